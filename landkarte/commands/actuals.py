"""``landkarte actuals …``: the progress folder (Ist-Stand) — check it, read it from NetBox and from the
evidence of ``landkarte configure``, and report where NetBox and the recorded actuals differ.

Re-planning with the actuals is ``landkarte plan INVENTORY --scenario S --actuals DIR --as-of DAY``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from common.errors import InputError
from landkarte.commands._common import JsonOpt, load_inventory, load_plan, parse_day
from landkarte.console import console, print_json

__all__ = ["app", "check", "evidence", "pull", "validate"]

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

FolderArg = Annotated[Path, typer.Argument(help="The progress folder (e.g. INVENTORY/progress).")]
NetBoxOpt = Annotated[bool, typer.Option("--netbox", help="Read from NetBox (LANDKARTE_NETBOX_URL and token from "
                                         "the environment): the tenants' custom field landkarte_progress.")]


class ActualsDiffer(InputError):
    """NetBox and the recorded actuals differ (the table says where); nothing was merged."""


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


@app.command("pull", help="Write NetBox's progress per system as a progress file (not merged into others; "
                          "compare with `landkarte actuals check`).")
def pull(netbox: NetBoxOpt = False,
         out: Annotated[Path, typer.Option("--out", help="Progress file to write (atomically), e.g. "
                                           "INVENTORY/progress/netbox-2027-Q2.yaml.")] = Path("-"),
         reported: Annotated[str | None, typer.Option("--reported", help="The day it reports up to "
                                                       "(31.03.2027 or 2027-03-31).")] = None,
         force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
         json_out: JsonOpt = False) -> int:
    from actuals.write import progress_yaml
    from common.fsio import atomic_write_text, check_output
    from netboxsync import connect, pull_progress

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
    systems = pull_progress(connect())
    late = sorted(s.system for s in systems.values() if s.date is not None and s.date > day)
    if late:
        raise InputError(f"--reported {day:%d.%m.%Y}: NetBox records later days for {', '.join(late[:10])}; "
                         "report up to a later day")
    atomic_write_text(out, progress_yaml(day, systems.values(),
                                         comment=f"Fortschritt aus NetBox (landkarte_progress), Stand {day:%d.%m.%Y}"))
    if json_out:
        print_json({"out": str(out), "systems": len(systems)})
    else:
        console.print(f"{out}: {len(systems)} Systeme aus NetBox")
    return 0


@app.command("check", help="Compare the recorded actuals with NetBox's progress; exits 1 when they differ "
                           "(for CI). Nothing is merged.")
def check(folder: FolderArg, netbox: NetBoxOpt = False, json_out: JsonOpt = False) -> int:
    from actuals.load import load_actuals
    from netboxsync import connect, progress_differences, pull_progress

    if not netbox:
        raise typer.BadParameter("the only source to compare with is NetBox: give --netbox", param_hint="--netbox")
    recorded = load_actuals(folder).systems
    diffs = progress_differences(recorded, pull_progress(connect()))
    if json_out:
        print_json({"folder": str(folder), "differences": [d.__dict__ for d in diffs]})
    elif diffs:
        from rich.table import Table

        table = Table(title="Ist-Stand: erfasst (Fortschrittsdateien) und NetBox weichen ab", title_justify="left")
        for col in ("System", "erfasst", "NetBox"):
            table.add_column(col, overflow="fold")
        for d in diffs:
            table.add_row(d.system, d.recorded, d.netbox)
        console.print(table)
    else:
        console.print(f"{folder}: erfasster Ist-Stand und NetBox stimmen überein ({len(recorded)} Systeme)")
    if diffs:
        raise ActualsDiffer(f"{len(diffs)} system(s) differ between {folder} and NetBox; record the right state in a "
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
