"""``landkarte plan …``: make a plan, export its schema, compare two plans, explain a system.

The documented form ``landkarte plan INVENTORY --scenario FILE --out plan.json`` is the
``make`` subcommand: when the first argument is not a subcommand name, the group inserts
``make`` in front of it (a click group cannot take a positional argument and subcommands).
"""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer
from typer.core import TyperGroup

from common.errors import InputError, PlanningError
from landkarte.commands._common import JsonOpt, Lang, LangOpt, load_inventory, load_plan, parse_day
from landkarte.commands._why import (
    ActualsOpt,
    InventoryOpt,
    OldActualsOpt,
    OldInventoryOpt,
    OldScenarioOpt,
    ScenarioOpt,
    SinceOpt,
    WhyOptions,
    explain_change,
)
from landkarte.console import console, err_console, print_json, progress, say

if TYPE_CHECKING:
    from plan.models import Plan

__all__ = ["app", "compare", "explain", "make", "schema"]

def _translator(lang: str):
    from reports.messages import Translator

    return Translator(lang)  # type: ignore[arg-type]


class _DefaultMake(TyperGroup):
    """Dispatch ``plan INVENTORY …`` to ``plan make INVENTORY …``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_DefaultMake, no_args_is_help=True, rich_markup_mode=None)


class PlanInfeasible(PlanningError):
    """The plan was written, but no schedule satisfies every constraint."""


@app.command("make", help="Plan INVENTORY under a scenario and write the plan JSON "
                          "(also: landkarte plan INVENTORY --scenario FILE --out plan.json).")
def make(
    inventory: Annotated[Path, typer.Argument(help="Inventory: a YAML folder, a CSV folder or an .xlsx workbook.")],
    scenario: Annotated[Path, typer.Option("--scenario", help="Scenario YAML (see consolidation/scenarios/).")],
    out: Annotated[Path, typer.Option("--out", help="Plan JSON to write (atomically).")],
    json_out: JsonOpt = False,
    timing: Annotated[bool, typer.Option("--timing", help="Record solver wall-clock times in the plan "
                                         "(then two runs are no longer byte-identical).")] = False,
    lang: LangOpt = Lang.de,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The day the plan is made (31.12.2026 or 2026-12-31): nothing that is not done is planned "
                        "before the first quarter beginning on or after it; quarter 0 stays the scenario's start. "
                        "Default: the actuals' last reported day, else none.")] = None,
    actuals_dir: Annotated[Path | None, typer.Option(
        "--actuals", help="Progress folder (YAML, e.g. INVENTORY/progress): done moves stay in their real quarters, "
                          "in-progress ones finish in the as-of quarter or the next, postponed ones wait.")] = None,
) -> int:
    from common.fsio import check_output
    from consolidation.placement import PlacementInfeasibleError
    from consolidation.planner import plan
    from consolidation.scenario import load_scenario
    from consolidation.targets import UnknownReferenceError
    from plan.io import write_plan

    t = _translator(lang)
    day = parse_day(as_of)
    check_output(out, folder=False)  # before the solve, not after it
    scen = load_scenario(scenario)
    landscape = load_inventory(inventory)
    progress_ = None
    if actuals_dir is not None:
        from actuals.load import load_actuals

        progress_ = load_actuals(actuals_dir, landscape=landscape)
        if day is None:
            day = progress_.reported
        elif progress_.reported is not None and progress_.reported > day:
            raise InputError(f"{actuals_dir}: the actuals report up to {progress_.reported:%d.%m.%Y}, after --as-of "
                             f"{day:%d.%m.%Y}; re-plan as of that day or later")
    steps = ["Zielzuordnung", "Abhängigkeitsgraph", "Platzierung", "Kosten je Quartal", "Wellenplanung",
             "Kosten und Förderung", "Erklärungen und Netze"]
    try:
        with progress() as bar:
            if bar is None:
                result = plan(landscape, scen, record_timing=timing, as_of=day, actuals=progress_)
            else:
                task = bar.add_task("Planung", total=len(steps))

                def tick(name: str) -> None:
                    bar.update(task, description=name, completed=steps.index(name) if name in steps else 0)

                result = plan(landscape, scen, progress=tick, record_timing=timing, as_of=day, actuals=progress_)
                bar.update(task, completed=len(steps))
    except UnknownReferenceError as exc:  # found while planning; the scenario file is known here
        raise InputError(f"{scenario}: {exc}") from None
    except PlacementInfeasibleError as exc:  # the reasons are message codes: said in the user's language
        from plan.models import Reason

        lines = "\n".join(t("explain.conflict", text=t.reason(Reason(kind=kind, params=dict(params))))
                          for kind, params in exc.reasons)
        raise PlanningError(f"{t('plan.no_placement', scenario=str(scenario))}\n{lines}") from None
    if progress_ is not None:
        from actuals.load import check_plan_ids

        check_plan_ids(progress_, result)  # target and milestone ids: known only now
    write_plan(result, out)
    summary = _summary(result)
    if json_out:
        print_json({"out": str(out), **summary})
    else:
        s = summary
        gap = t.number(100 * s["gap"], 2) + " %" if s["gap"] is not None else "–"
        say(t("plan.cli.waves", out=out, systems=t.number(s["systems_migrate"]), waves=s["waves"],
              first=s["first_wave"] or "–", last=s["last_wave"] or "–", targets=s["targets"]))
        say(t("plan.cli.solver", objective=t.number(s["objective"]), bound=t.number(s["best_bound"]), gap=gap,
              baseline=t.number(s["baseline_objective"])))
        say(t("plan.cli.tco", status_quo=t.money(s["tco_status_quo"]), plan=t.money(s["tco_plan"]),
              npv=t.money(s["npv_savings"])))
        say(t("plan.cli.risk", status_quo=t.money(s["risk_status_quo"]), plan=t.money(s["risk_plan"])))
    exited = {a.binding.reason.params["org"]: a.binding.reason for a in result.assignments
              if a.binding.reason.kind == "exited_before_start"}
    for org in sorted(exited):  # out of scope, not a conflict: said, so nobody misses it
        err_console.print(t("plan.out_of_scope", text=t.reason(exited[org])), markup=False, highlight=False)
    if not result.feasible:
        lines = "\n".join(t("explain.conflict", text=t.reason(c.reason, c.parts)) for c in result.conflicts)
        raise PlanInfeasible(t("plan.infeasible", out=out, lines=lines))
    return 0


def _json_number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _summary(p: Plan) -> dict[str, Any]:
    """The plan's key figures (:mod:`plan.figures`, as in the report) and the schedule solver's numbers."""
    from plan.figures import key_figures

    return {
        **_solver(p),
        "systems": len(p.assignments),
        "move_groups": len(p.move_groups),
        "first_wave": p.waves[0].label if p.waves else None,
        "last_wave": p.waves[-1].label if p.waves else None,
        **{f.key: _json_number(f.value) for f in key_figures(p)},
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


@app.command("compare", help="Key figures of two plans side by side (as in the report's Szenarienvergleich), "
                             "the systems whose decision, target, data centre or wave differ, and why: each change "
                             "traced to an inventory record, a scenario key, an actual or a knock-on effect "
                             "(computed by planning again; needs the plans' inputs, see --since).")
def compare(
    a: Annotated[Path, typer.Argument(help="First (older) plan JSON.")],
    b: Annotated[Path, typer.Argument(help="Second (newer) plan JSON.")],
    json_out: JsonOpt = False,
    limit: Annotated[int, typer.Option(help="Changed systems to list (0 = all).")] = 50,
    lang: LangOpt = Lang.de,
    since: SinceOpt = None,
    inventory: InventoryOpt = None,
    old_inventory: OldInventoryOpt = None,
    scenario: ScenarioOpt = None,
    old_scenario: OldScenarioOpt = None,
    actuals: ActualsOpt = None,
    old_actuals: OldActualsOpt = None,
    why: Annotated[bool, typer.Option("--why/--no-why", help="Compute the causes (default) or only list what "
                                      "moved.")] = True,
) -> int:
    from rich.table import Table

    from plan.attribution import attribution_to_json
    from plan.diff import diff_plans
    from reports.changes import cause_short, figure_parts_text, top_lines, via_text

    pa, pb = load_plan(a, role="plan A"), load_plan(b, role="plan B")
    d = diff_plans(pa, pb)
    t = _translator(lang)
    attribution, missing = None, ""
    if why and not d.empty:
        opts = WhyOptions(since=since, inventory=inventory, old_inventory=old_inventory, scenario=scenario,
                          old_scenario=old_scenario, actuals=actuals, old_actuals=old_actuals)
        attribution, missing = explain_change(pa, a, pb, b, opts, lang=lang)
    cause_of = {s.system: s for s in attribution.systems} if attribution else {}
    changes = [{"system": c.system, "org": c.org, "domain": c.domain, "field": c.field, "a": c.old, "b": c.new,
                **({"cause": cause_of[c.system].cause, "via": cause_of[c.system].via} if c.system in cause_of else {})}
               for c in d.changes]
    if json_out:
        print_json({
            "a": {"path": str(a), **_solver(pa)},
            "b": {"path": str(b), **_solver(pb)},
            "figures": [{"key": f.key, "kind": f.kind, "a": _json_number(f.old), "b": _json_number(f.new),
                         "delta": _json_number(f.delta)} for f in d.figures],
            "changed": changes,
            "domains": [{"domain": dom, "name": name, "products_after_a": x, "products_after_b": y}
                        for dom, name, x, y in d.domains],
            "exceptions_added": list(d.exceptions_added),
            "exceptions_removed": list(d.exceptions_removed),
            "why": attribution_to_json(attribution) if attribution else None,
            "why_missing": missing or None,
        })
        return 0

    if attribution is not None:
        say(t("why.title"), "bold")
        for line in top_lines(t, attribution):
            say(f"  {line.headline}")
            if line.split:
                say(f"      {line.split}")
        for note in attribution.notes:
            say(f"  {t(note)}")
    elif missing:
        say(t("why.missing", reason=missing))
    table = Table(title=t("cmp.caption"))
    for col, justify in ((t("col.figure"), "left"), (f"A: {pa.meta.scenario_id}", "right"),
                         (f"B: {pb.meta.scenario_id}", "right"), (t("col.delta"), "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for f in d.figures:
        table.add_row(t(f"fig.{f.key}"), t.value(f.old, f.kind), t.value(f.new, f.kind), t.value(f.delta, f.kind))
    console.print(table)
    if attribution is not None and attribution.figures:
        say(t("why.figures_caption"), "bold")
        for f in attribution.figures:
            say(f"  {t(f'fig.{f.key}')}: {t.value(f.old, f.kind)} → {t.value(f.new, f.kind)}")
            for cid, delta in f.parts:
                say(f"      {figure_parts_text(t, attribution, ((cid, delta),), f.kind)}")
    shown = changes if limit == 0 else changes[:limit]
    c = Table(title=t("cmp.counts", moved=d.moved, added=d.added, removed=d.removed))
    cols = [t("col.system"), t("col.org"), t("col.field"), "A", "B"]
    if attribution is not None:
        cols += [t("why.col.cause"), t("why.col.via")]
    for col in cols:
        c.add_column(col)
    for ch in shown:
        row = [ch["system"], ch["org"], _field_name(t, ch["field"]), ch["a"] or "–", ch["b"] or "–"]
        if attribution is not None:
            sc = cause_of[ch["system"]]
            row += [cause_short(t, attribution.cause(sc.cause)), via_text(t, sc)]
        c.add_row(*row)
    console.print(c)
    if len(shown) < len(changes):
        say(t("cmp.more", n=len(changes) - len(shown)))
    return 0


def _field_name(t, field: str) -> str:
    return t(f"field.{field}") if t.has(f"field.{field}") else t(f"cmp.{field}")



def _solver(p: Plan) -> dict[str, Any]:
    """Scenario, feasibility and the schedule solver's numbers."""
    sched = next((s for s in p.solver if s.step == "schedule"), None)
    return {"scenario": p.meta.scenario_id, "feasible": p.feasible,
            **{k: getattr(sched, k) if sched else None
               for k in ("objective", "best_bound", "gap", "baseline_objective")}}


@app.command("explain", help="Why a system is in its wave: its binding constraint, group and predecessors.")
def explain(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="Plan JSON.")],
    system_id: Annotated[str, typer.Argument(metavar="SYSTEM_ID", help="Id of a system of the inventory.")],
    json_out: JsonOpt = False,
    lang: LangOpt = Lang.de,
) -> int:
    from plan.calendar import quarter_label

    t = _translator(lang)
    p = load_plan(plan_path)
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
        "depends_on": preds, "binding": a.binding.model_dump(mode="json"), "binding_text": t.reason(a.binding.reason),
        "contract_end": a.contract_end.isoformat() if a.contract_end else None,
        "notice_deadline": a.notice_deadline.isoformat() if a.notice_deadline else None,
        "end_of_life": a.end_of_life.isoformat() if a.end_of_life else None,
        "migrated_after_eol": a.migrated_after_eol,
    }
    if json_out:
        print_json(data)
        return 0

    say(t("explain.system", system=a.system, org=a.org, domain=a.domain, decision=t(f"decision.{a.decision}"))
        + (t("explain.moves", target=a.target or t("explain.rehosting"), data_centre=a.data_centre,
             wave=a.quarter_label) if a.moves else ""))
    say(t("explain.binding", kind=t(f"binding.{a.binding.kind}"), text=t.reason(a.binding.reason))
        + (f" [{a.binding.related}]" if a.binding.related else ""))
    if g is not None:
        say(t("explain.group", group=g.id, reason=t(f"group.{g.reason}"), systems=", ".join(g.systems)))
    for d in preds:
        wave = quarter_label(p.meta.start, d["quarter"]) if d["quarter"] is not None else "–"
        say(t("explain.after", group=d["group"], wave=wave, systems=", ".join(d["systems"])))
    if a.contract_end and a.notice_deadline:
        say(t("explain.contract", end=t.date(a.contract_end), notice=t.date(a.notice_deadline)))
    elif a.contract_end:
        say(t("explain.contract_expires", end=t.date(a.contract_end)))
    if a.end_of_life:
        say(t("explain.eol", date=t.date(a.end_of_life)) + (t("explain.after_eol") if a.migrated_after_eol else ""))
    return 0


def _register_sweep() -> None:
    from landkarte.commands.sweep import sweep

    app.command("sweep", help="How sure is the plan? Vary assumptions (--sensitivity) and draw uncertain records "
                              "by their confidence (--samples N) on a local pool or Dask; writes OUT/sweep.json.")(sweep)


_register_sweep()
