"""``landkarte actuals …``: the progress folder (Ist-Stand) — check it, read it from NetBox (progress per system,
target instances live) and from the evidence of ``landkarte configure``, and report where NetBox and the recorded
actuals differ.

Re-planning with the actuals is ``landkarte plan INVENTORY --scenario S --actuals DIR --as-of DAY``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from common.errors import InputError
from landkarte.commands._common import JsonOpt, load_inventory, load_plan, parse_day
from landkarte.console import console, print_json

if TYPE_CHECKING:
    from datetime import date

    from netboxsync import TargetInNetBox

__all__ = ["app", "check", "evidence", "pull", "validate"]

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

FolderArg = Annotated[Path, typer.Argument(help="The progress folder (e.g. INVENTORY/progress).")]
NetBoxOpt = Annotated[bool, typer.Option("--netbox", help="Read from NetBox (LANDKARTE_NETBOX_URL and token from "
                                         "the environment): the tenants' custom field landkarte_progress and the "
                                         "planned VMs' landkarte_live.")]


class ActualsDiffer(InputError):
    """NetBox and the recorded actuals differ (the tables say where); nothing was merged."""


@app.command("validate", help="Check a progress folder (every error with file:line); with --inventory also the "
                              "system ids.")
def validate(folder: FolderArg,
             inventory: Annotated[Path | None, typer.Option("--inventory", help="Check the ids against it.")] = None,
             json_out: JsonOpt = False) -> int:
    from actuals.load import load_actuals

    landscape = load_inventory(inventory) if inventory is not None else None
    a = load_actuals(folder, landscape=landscape)
    counts = {s: len(a.by_status(s)) for s in ("migrated", "in_progress", "postponed")}
    summary = {"folder": str(folder), "files": len(a.files), "reported": a.reported.isoformat() if a.reported else None,
               **counts, "targets": len(a.targets), "milestones": len(a.milestones), "content_hash": a.content_hash}
    if json_out:
        print_json(summary)
    else:
        day = f"{a.reported:%d.%m.%Y}" if a.reported else "–"
        console.print(f"{folder}: {len(a.files)} Datei(en), Stand {day}: {counts['migrated']} migriert, "
                      f"{counts['in_progress']} in Arbeit, {counts['postponed']} zurückgestellt; "
                      f"{len(a.targets)} Zielinstanzen in Betrieb, {len(a.milestones)} Meilensteine erbracht")
    return 0


@app.command("pull", help="Write NetBox's progress per system and its live target instances as a progress file "
                          "(not merged into others; compare with `landkarte actuals check`).")
def pull(netbox: NetBoxOpt = False,
         out: Annotated[Path, typer.Option("--out", help="Progress file to write (atomically), e.g. "
                                           "INVENTORY/progress/netbox-2027-Q2.yaml.")] = Path("-"),
         reported: Annotated[str | None, typer.Option("--reported", help="The day it reports up to "
                                                       "(31.03.2027 or 2027-03-31).")] = None,
         force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
         json_out: JsonOpt = False) -> int:
    from actuals.write import progress_yaml
    from common.fsio import atomic_write_text, check_output
    from netboxsync import connect, pull_actuals

    if not netbox:
        raise typer.BadParameter("the only source is NetBox: give --netbox", param_hint="--netbox")
    if str(out) == "-":
        raise typer.BadParameter("give the progress file to write", param_hint="--out")
    day = parse_day(reported, "--reported")
    if day is None:
        raise typer.BadParameter("give the day the file reports up to", param_hint="--reported")
    if out.exists() and not force:
        raise InputError(f"{out}: exists; a pull never overwrites recorded actuals (use another name or --force)")
    check_output(out, folder=False)
    nb = pull_actuals(connect())
    live = nb.live_targets()
    late = sorted([s.system for s in nb.systems.values() if s.date is not None and s.date > day]
                  + [t.target for t in live.values() if t.live > day])
    if late:
        raise InputError(f"--reported {day:%d.%m.%Y}: NetBox records later days for {', '.join(late[:10])}; "
                         "report up to a later day")
    partly = nb.partly_live()
    comment = [f"Fortschritt aus NetBox (landkarte_progress, landkarte_live), Stand {day:%d.%m.%Y}"]
    comment += [f"Nur teilweise in Betrieb, daher nicht übernommen: {_partly_words(t)}" for t in partly]
    atomic_write_text(out, progress_yaml(day, nb.systems.values(), targets=live.values(), comment="\n".join(comment)))
    if json_out:
        print_json({"out": str(out), "systems": len(nb.systems), "targets": len(live),
                    "partly_live": [_partly_json(t) for t in partly]})
    else:
        console.print(f"{out}: {len(nb.systems)} Systeme und {len(live)} Zielinstanzen in Betrieb aus NetBox")
        for t in partly:
            console.print(f"  nur teilweise in Betrieb, nicht übernommen: {_partly_words(t)}")
    return 0


def _partly_words(t: TargetInNetBox) -> str:
    return f"{t.target} ({len(t.live)} von {len(t.vms)} VMs mit Inbetriebnahmedatum; ohne: {', '.join(t.not_live)})"


def _partly_json(t: TargetInNetBox) -> dict[str, object]:
    return {"target": t.target, "vms": list(t.vms), "live": {name: d.isoformat() for name, d in t.live},
            "not_live": list(t.not_live)}


def _live_words(day: date | None, live_vms: int = 0, vms: int = 0) -> str:
    if day is not None:
        return f"in Betrieb seit {day:%d.%m.%Y}"
    if live_vms:
        return f"teilweise ({live_vms} von {vms} VMs)"
    return "–"


@app.command("check", help="Compare the recorded actuals with NetBox's progress and live target instances; exits 1 "
                           "when they differ (for CI). Nothing is merged.")
def check(folder: FolderArg, netbox: NetBoxOpt = False, json_out: JsonOpt = False) -> int:
    from actuals.load import load_actuals
    from netboxsync import connect, progress_differences, pull_actuals, target_differences

    if not netbox:
        raise typer.BadParameter("the only source to compare with is NetBox: give --netbox", param_hint="--netbox")
    recorded = load_actuals(folder)
    nb = pull_actuals(connect())
    diffs = progress_differences(recorded.systems, nb.systems)
    tdiffs = target_differences(recorded.targets, nb.targets)
    partly = nb.partly_live()
    unseen = sorted(set(recorded.targets) - set(nb.targets))
    if json_out:
        print_json({"folder": str(folder), "differences": [d.__dict__ for d in diffs],
                    "target_differences": [{"target": d.target, "recorded": d.recorded, "netbox": d.netbox,
                                            "live_vms": d.live_vms, "vms": d.vms} for d in tdiffs],
                    "partly_live": [_partly_json(t) for t in partly], "not_compared": unseen})
    else:
        from rich.table import Table

        if diffs:
            table = Table(title="Ist-Stand: erfasst (Fortschrittsdateien) und NetBox weichen ab", title_justify="left")
            for col in ("System", "erfasst", "NetBox"):
                table.add_column(col, overflow="fold")
            for d in diffs:
                table.add_row(d.system, d.recorded, d.netbox)
            console.print(table)
        if tdiffs:
            table = Table(title="Zielinstanzen in Betrieb: erfasst und NetBox weichen ab", title_justify="left")
            for col in ("Zielinstanz", "erfasst", "NetBox"):
                table.add_column(col, overflow="fold")
            for t in tdiffs:
                table.add_row(t.target, _live_words(t.recorded), _live_words(t.netbox, t.live_vms, t.vms))
            console.print(table)
        if partly:
            table = Table(title="In NetBox nur teilweise in Betrieb (gilt nicht als in Betrieb)",
                          title_justify="left")
            for col in ("Zielinstanz", "VMs mit Inbetriebnahmedatum", "VMs ohne"):
                table.add_column(col, overflow="fold")
            for t in partly:
                table.add_row(t.target, ", ".join(f"{n} ({d:%d.%m.%Y})" for n, d in t.live), ", ".join(t.not_live))
            console.print(table)
        if unseen:
            console.print(f"Nicht verglichen, NetBox hat keine geplanten VMs von: {', '.join(unseen)}")
        if not diffs and not tdiffs:
            console.print(f"{folder}: erfasster Ist-Stand und NetBox stimmen überein ({len(recorded.systems)} Systeme, "
                          f"{len(nb.targets)} Zielinstanzen)")
    if diffs or tdiffs:
        parts = ([f"{len(diffs)} system(s)"] if diffs else []) + ([f"{len(tdiffs)} target instance(s)"] if tdiffs else [])
        raise ActualsDiffer(f"{' and '.join(parts)} differ between {folder} and NetBox; record the right state in a "
                            "progress file (or in NetBox) and check again")
    return 0


@app.command("evidence", help="Read OSCAL assessment results of `landkarte configure`: which target instances' "
                              "planned VMs are hardened and verified; with --progress the evidence entry to record.")
def evidence(assessment: Annotated[Path, typer.Argument(help="OSCAL assessment results (*.oscal-ar.json).")],
             plan_file: Annotated[Path, typer.Option("--plan", help="The plan the run configured.")],
             progress_dir: Annotated[Path | None, typer.Option(
                 "--progress", help="Progress folder the file lies in: print its evidence entry.")] = None,
             json_out: JsonOpt = False) -> int:
    from actuals.evidence import evidence_record, read_assessment, verify_targets

    p = load_plan(plan_file)
    hosts, ended = read_assessment(assessment)
    targets = verify_targets(p, hosts)
    record = evidence_record(assessment, progress_dir) if progress_dir is not None else None
    if json_out:
        print_json({"assessment": str(assessment), "ended": ended.isoformat() if ended else None,
                    "targets": [{"target": t.target, "complete": t.complete, "verified": list(t.verified),
                                 "not_verified": list(t.not_verified), "missing": list(t.missing)} for t in targets],
                    "evidence": record})
        return 0
    day = f"{ended:%d.%m.%Y}" if ended else "–"
    console.print(f"{assessment}: Lauf beendet {day}, {sum(h.verified for h in hosts.values())} von {len(hosts)} "
                  "Hosts gehärtet und geprüft")
    for t in targets:
        state = "vollständig gehärtet und geprüft" if t.complete else "nicht vollständig"
        console.print(f"  {t.target}: {state} ({len(t.verified)} geprüft, {len(t.not_verified)} nicht bestanden, "
                      f"{len(t.missing)} nicht im Lauf)")
    if record is not None:
        console.print("  Nachweis für die Fortschrittsdatei (milestones[].evidence):")
        console.print(f"    - {{kind: {record['kind']}, ref: {record['ref']}, sha256: {record['sha256']}}}",
                      markup=False, highlight=False)
    return 0
