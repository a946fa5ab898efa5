"""``landkarte plan …``: make a plan, export its schema, compare two plans, explain a system.

The documented form ``landkarte plan INVENTORY --scenario FILE --out plan.json`` is the
``make`` subcommand: when the first argument is not a subcommand name, the group inserts
``make`` in front of it (a click group cannot take a positional argument and subcommands).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from landkarte.console import console, err_console, print_json, progress
from landkarte.errors import InputError, LandkarteError

__all__ = ["app", "compare", "explain", "make", "schema"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]


class _DefaultMake(TyperGroup):
    """Dispatch ``plan INVENTORY …`` to ``plan make INVENTORY …``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_DefaultMake, no_args_is_help=True, rich_markup_mode=None)


class PlanInfeasible(LandkarteError):
    """The plan was written, but no schedule satisfies every constraint."""


def _load_plan(path: Path):
    from plan.io import PlanFormatError, read_plan

    try:
        return read_plan(path)
    except PlanFormatError as exc:
        raise InputError(str(exc)) from None


@app.command("make", help="Plan INVENTORY under a scenario and write the plan JSON "
                          "(also: landkarte plan INVENTORY --scenario FILE --out plan.json).")
def make(
    inventory: Annotated[Path, typer.Argument(help="Inventory: a YAML folder, a CSV folder or an .xlsx workbook.")],
    scenario: Annotated[Path, typer.Option("--scenario", help="Scenario YAML (see consolidation/scenarios/).")],
    out: Annotated[Path, typer.Option("--out", help="Plan JSON to write (atomically).")],
    json_out: JsonOpt = False,
    timing: Annotated[bool, typer.Option("--timing", help="Record solver wall-clock times in the plan "
                                         "(then two runs are no longer byte-identical).")] = False,
) -> int:
    from common.fsio import check_output
    from consolidation._worker import WorkerError
    from consolidation.network import AddressSpaceExhaustedError
    from consolidation.placement import PlacementInfeasibleError
    from consolidation.planner import plan
    from consolidation.scenario import ScenarioError, load_scenario
    from consolidation.targets import UnknownReferenceError
    from landkarte.commands.inventory import load
    from plan.io import write_plan

    check_output(out, folder=False)  # before the solve, not after it
    try:
        scen = load_scenario(scenario)
    except ScenarioError as exc:
        raise InputError(str(exc)) from None
    landscape = load(inventory)
    steps = ["Zielzuordnung", "Abhängigkeitsgraph", "Platzierung", "Kosten je Quartal", "Wellenplanung",
             "Kosten und Förderung", "Erklärungen und Netze"]
    try:
        with progress() as bar:
            if bar is None:
                result = plan(landscape, scen, record_timing=timing)
            else:
                task = bar.add_task("Planung", total=len(steps))

                def tick(name: str) -> None:
                    bar.update(task, description=name, completed=steps.index(name) if name in steps else 0)

                result = plan(landscape, scen, progress=tick, record_timing=timing)
                bar.update(task, completed=len(steps))
    except UnknownReferenceError as exc:
        raise InputError(f"{scenario}: {exc}") from None
    except PlacementInfeasibleError as exc:
        raise LandkarteError(f"no data-centre placement: {exc}") from None
    except AddressSpaceExhaustedError as exc:
        raise LandkarteError(f"address space: {exc}") from None
    except WorkerError as exc:
        raise LandkarteError(f"solver: {exc}") from None
    write_plan(result, out)
    summary = _summary(result)
    if json_out:
        print_json({"out": str(out), **summary})
    else:
        s = summary
        console.print(f"{out}: {s['systems_migrating']} Systeme in {s['waves']} Wellen "
                      f"({s['first_wave'] or '–'} … {s['last_wave'] or '–'}), Ziel-Instanzen {s['targets']}")
        console.print(f"  Zielfunktion {s['objective']}, Schranke {s['best_bound']}, Lücke {s['gap']}, "
                      f"Basislinie {s['baseline_objective']}")
        console.print(f"  TCO Status quo {s['tco_status_quo']} €, Plan {s['tco_plan']} €, "
                      f"Kapitalwert-Ersparnis {s['npv_savings']} €")
    if not result.feasible:
        lines = "\n".join(f"  {c.explanation}" for c in result.conflicts)
        raise PlanInfeasible(f"no feasible schedule (plan written to {out} with the conflicts):\n{lines}")
    return 0


def _summary(p) -> dict[str, Any]:
    sched = next((s for s in p.solver if s.step == "schedule"), None)
    mig = [a for a in p.assignments if a.decision == "migrate"]
    return {
        "scenario": p.meta.scenario_id,
        "feasible": p.feasible,
        "systems": len(p.assignments),
        "systems_migrating": len(mig),
        "exceptions": sum(1 for a in p.assignments if a.decision == "exception"),
        "out_of_scope": sum(1 for a in p.assignments if a.decision == "out_of_scope"),
        "targets": len(p.targets),
        "move_groups": len(p.move_groups),
        "waves": len(p.waves),
        "first_wave": p.waves[0].label if p.waves else None,
        "last_wave": p.waves[-1].label if p.waves else None,
        "objective": sched.objective if sched else None,
        "best_bound": sched.best_bound if sched else None,
        "gap": sched.gap if sched else None,
        "baseline_objective": sched.baseline_objective if sched else None,
        "tco_status_quo": float(p.costs.tco_status_quo),
        "tco_plan": float(p.costs.tco_plan),
        "one_off": float(p.costs.one_off),
        "npv_savings": float(p.costs.npv_savings),
        "eigen_total": float(p.costs.eigen_total),
        "fremd_total": float(p.costs.fremd_total),
        "funding_total": float(sum(f.amount for f in p.funding)),
    }


@app.command("schema", help="Export the plan's JSON Schema (the contract downstream tools read).")
def schema(out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")] = None
           ) -> int:
    from common.fsio import atomic_write_text
    from plan.io import plan_json_schema

    text = json.dumps(plan_json_schema(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(out, text)
        err_console.print(f"{out}: JSON Schema geschrieben")
    return 0


@app.command("compare", help="Key figures of two plans side by side, and the systems that moved wave or target.")
def compare(
    a: Annotated[Path, typer.Argument(help="First plan JSON.")],
    b: Annotated[Path, typer.Argument(help="Second plan JSON.")],
    json_out: JsonOpt = False,
    limit: Annotated[int, typer.Option(help="Changed systems to list (0 = all).")] = 50,
) -> int:
    from rich.table import Table

    pa, pb = _load_plan(a), _load_plan(b)
    sa, sb = _summary(pa), _summary(pb)
    ia = {x.system: x for x in pa.assignments}
    ib = {x.system: x for x in pb.assignments}
    changes = []
    for sid in sorted(set(ia) | set(ib)):
        x, y = ia.get(sid), ib.get(sid)
        qa = (x.quarter_label or x.decision) if x else "–"
        qb = (y.quarter_label or y.decision) if y else "–"
        ta = x.target if x else None
        tb = y.target if y else None
        if qa != qb or ta != tb:
            changes.append({"system": sid, "a_wave": qa, "b_wave": qb, "a_target": ta, "b_target": tb})
    if json_out:
        print_json({"a": {"path": str(a), **sa}, "b": {"path": str(b), **sb}, "changed": changes})
        return 0
    t = Table(title="Kennzahlen")
    t.add_column("Kennzahl")
    t.add_column(f"A: {sa['scenario']}", justify="right")
    t.add_column(f"B: {sb['scenario']}", justify="right")
    for k in sa:
        t.add_row(k, _fmt(sa[k]), _fmt(sb[k]))
    console.print(t)
    shown = changes if limit == 0 else changes[:limit]
    c = Table(title=f"Geänderte Systeme ({len(changes)})")
    for col in ("System", "Welle A", "Welle B", "Ziel A", "Ziel B"):
        c.add_column(col)
    for ch in shown:
        c.add_row(ch["system"], ch["a_wave"], ch["b_wave"], ch["a_target"] or "–", ch["b_target"] or "–")
    console.print(c)
    if len(shown) < len(changes):
        console.print(f"… {len(changes) - len(shown)} weitere (--limit 0 zeigt alle)")
    return 0


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) >= 1 or v == 0 else f"{v:.4f}"
    return "–" if v is None else str(v)


@app.command("explain", help="Why a system is in its wave: its binding constraint, group and predecessors.")
def explain(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="Plan JSON.")],
    system_id: Annotated[str, typer.Argument(metavar="SYSTEM_ID", help="Id of a system of the inventory.")],
    json_out: JsonOpt = False,
) -> int:
    p = _load_plan(plan_path)
    by_id = {x.system: x for x in p.assignments}
    a = by_id.get(system_id)
    if a is None:
        near = difflib.get_close_matches(system_id, list(by_id), n=3)
        hint = f" (did you mean: {', '.join(near)}?)" if near else ""
        raise InputError(f"{plan_path}: no system {system_id!r} in this plan{hint}")
    groups = {g.id: g for g in p.move_groups}
    g = groups.get(a.move_group) if a.move_group else None
    preds = [{"group": d, "quarter": groups[d].quarter, "systems": list(groups[d].systems)}
             for d in (g.depends_on if g else ()) if d in groups]
    data = {
        "system": a.system, "org": a.org, "domain": a.domain, "decision": a.decision,
        "product_before": a.product_before, "target": a.target, "data_centre": a.data_centre,
        "wave": a.quarter_label, "quarter": a.quarter, "move_group": a.move_group,
        "group_reason": g.reason if g else None, "group_systems": list(g.systems) if g else [],
        "depends_on": preds, "binding": a.binding.model_dump(mode="json"),
        "contract_end": a.contract_end.isoformat() if a.contract_end else None,
        "notice_deadline": a.notice_deadline.isoformat() if a.notice_deadline else None,
        "end_of_life": a.end_of_life.isoformat() if a.end_of_life else None,
        "migrated_after_eol": a.migrated_after_eol,
    }
    if json_out:
        print_json(data)
        return 0
    console.print(f"{a.system} ({a.org}, {a.domain}): {a.decision}"
                  + (f" → {a.target or 'Rehosting'} in {a.data_centre}, Welle {a.quarter_label}"
                     if a.decision == "migrate" else ""))
    console.print(f"  bindend: {a.binding.kind} — {a.binding.detail}"
                  + (f" [{a.binding.related}]" if a.binding.related else ""))
    if g is not None:
        console.print(f"  Umzugsgruppe {g.id} ({g.reason}): {', '.join(g.systems)}")
    for d in preds:
        console.print(f"  nach {d['group']} (Quartal {d['quarter']}): {', '.join(d['systems'])}")
    if a.contract_end:
        console.print(f"  Altvertrag endet {a.contract_end}, Kündigung bis {a.notice_deadline}")
    if a.end_of_life:
        console.print(f"  Herstellerunterstützung bis {a.end_of_life}"
                      + (" (Migration danach)" if a.migrated_after_eol else ""))
    return 0
