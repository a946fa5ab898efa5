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
from landkarte.commands._common import JsonOpt, Lang, LangOpt, load_inventory, load_plan, parse_day
from landkarte.console import console, print_json, say

if TYPE_CHECKING:
    from datetime import date

    from netboxsync import TargetInNetBox
    from reports.messages import Translator

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
             json_out: JsonOpt = False, lang: LangOpt = Lang.de) -> int:
    from actuals.load import load_actuals
    from reports.messages import Translator

    t = Translator(lang.value)
    landscape = load_inventory(inventory) if inventory is not None else None
    a = load_actuals(folder, landscape=landscape)
    counts = {s: len(a.by_status(s)) for s in ("migrated", "in_progress", "postponed")}
    summary = {"folder": str(folder), "files": len(a.files), "reported": a.reported.isoformat() if a.reported else None,
               **counts, "targets": len(a.targets), "milestones": len(a.milestones), "content_hash": a.content_hash}
    if json_out:
        print_json(summary)
    else:
        say(t("actuals.validated", folder=folder, files=len(a.files), day=t.date(a.reported), **counts,
              targets=len(a.targets), milestones=len(a.milestones)))
    return 0


@app.command("pull", help="Write NetBox's progress per system and its live target instances as a progress file "
                          "(not merged into others; compare with `landkarte actuals check`).")
def pull(netbox: NetBoxOpt = False,
         out: Annotated[Path, typer.Option("--out", help="Progress file to write (atomically), e.g. "
                                           "INVENTORY/progress/netbox-2027-Q2.yaml.")] = Path("-"),
         reported: Annotated[str | None, typer.Option("--reported", help="The day it reports up to "
                                                       "(31.03.2027 or 2027-03-31).")] = None,
         force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
         json_out: JsonOpt = False, lang: LangOpt = Lang.de) -> int:
    from actuals.write import progress_yaml
    from common.fsio import atomic_write_text, check_output
    from netboxsync import connect, pull_actuals
    from reports.messages import Translator

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
    de = Translator("de")  # the file's comment is German, as the progress folder is
    comment = [f"Fortschritt aus NetBox (landkarte_progress, landkarte_live), Stand {de.date(day)}"]
    comment += [f"Nur teilweise in Betrieb, daher nicht übernommen: {_partly_words(de, p)}" for p in partly]
    atomic_write_text(out, progress_yaml(day, nb.systems.values(), targets=live.values(), comment="\n".join(comment)))
    if json_out:
        print_json({"out": str(out), "systems": len(nb.systems), "targets": len(live),
                    "partly_live": [_partly_json(p) for p in partly]})
    else:
        t = Translator(lang.value)
        say(t("actuals.pulled", out=out, systems=len(nb.systems), targets=len(live)))
        for p in partly:
            say("  " + t("actuals.partly_skipped", target=_partly_words(t, p)))
    return 0


def _partly_words(t: Translator, target: TargetInNetBox) -> str:
    return t("actuals.partly", target=target.target, live=len(target.live), vms=len(target.vms),
             without=", ".join(target.not_live))


def _partly_json(target: TargetInNetBox) -> dict[str, object]:
    return {"target": target.target, "vms": list(target.vms),
            "live": {name: d.isoformat() for name, d in target.live}, "not_live": list(target.not_live)}


def _table(t: Translator, title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A table of ``rows`` under the message ``title`` with the columns ``actuals.col.<name>``."""
    from rich.table import Table

    table = Table(title=t(title), title_justify="left")
    for col in columns:
        table.add_column(t(f"actuals.col.{col}"), overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _live_words(t: Translator, day: date | None, live_vms: int = 0, vms: int = 0) -> str:
    if day is not None:
        return t("actuals.live_since", day=t.date(day))
    if live_vms:
        return t("actuals.live_partly", live=live_vms, vms=vms)
    return "–"


@app.command("check", help="Compare the recorded actuals with NetBox's progress and live target instances; exits 1 "
                           "when they differ (for CI). Nothing is merged.")
def check(folder: FolderArg, netbox: NetBoxOpt = False, json_out: JsonOpt = False, lang: LangOpt = Lang.de) -> int:
    from actuals.load import load_actuals
    from netboxsync import connect, progress_differences, pull_actuals, target_differences
    from reports.messages import Translator

    if not netbox:
        raise typer.BadParameter("the only source to compare with is NetBox: give --netbox", param_hint="--netbox")
    t = Translator(lang.value)
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
                    "partly_live": [_partly_json(p) for p in partly], "not_compared": unseen})
    else:
        if diffs:
            _table(t, "actuals.differ_title", ("system", "recorded", "netbox"),
                   [(d.system, d.recorded, d.netbox) for d in diffs])
        if tdiffs:
            _table(t, "actuals.targets_differ_title", ("target", "recorded", "netbox"),
                   [(d.target, _live_words(t, d.recorded), _live_words(t, d.netbox, d.live_vms, d.vms)) for d in tdiffs])
        if partly:
            _table(t, "actuals.partly_title", ("target", "live_vms", "other_vms"),
                   [(p.target, ", ".join(f"{n} ({t.date(d)})" for n, d in p.live), ", ".join(p.not_live))
                    for p in partly])
        if unseen:
            say(t("actuals.not_compared", targets=", ".join(unseen)))
        if not diffs and not tdiffs:
            say(t("actuals.agree", folder=folder, systems=len(recorded.systems), targets=len(nb.targets)))
    if diffs or tdiffs:
        parts = ([t("actuals.differ_systems", n=len(diffs))] if diffs else []) + (
            [t("actuals.differ_targets", n=len(tdiffs))] if tdiffs else [])
        raise ActualsDiffer(t("actuals.differ", what=t("actuals.and").join(parts), folder=folder))
    return 0


@app.command("evidence", help="Read OSCAL assessment results of `landkarte configure`: which target instances' "
                              "planned VMs are hardened and verified; with --progress the evidence entry to record.")
def evidence(assessment: Annotated[Path, typer.Argument(help="OSCAL assessment results (*.oscal-ar.json).")],
             plan_file: Annotated[Path, typer.Option("--plan", help="The plan the run configured.")],
             progress_dir: Annotated[Path | None, typer.Option(
                 "--progress", help="Progress folder the file lies in: print its evidence entry.")] = None,
             json_out: JsonOpt = False, lang: LangOpt = Lang.de) -> int:
    from actuals.evidence import evidence_record, read_assessment, verify_targets
    from reports.messages import Translator

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
    t = Translator(lang.value)
    say(t("actuals.run", assessment=assessment, day=t.date(ended), verified=sum(h.verified for h in hosts.values()),
          hosts=len(hosts)))
    for v in targets:
        state = t("actuals.target_complete" if v.complete else "actuals.target_incomplete")
        say("  " + t("actuals.target_state", target=v.target, state=state, verified=len(v.verified),
                     failed=len(v.not_verified), missing=len(v.missing)))
    if record is not None:
        say("  " + t("actuals.evidence_entry"))
        say(f"    - {{kind: {record['kind']}, ref: {record['ref']}, sha256: {record['sha256']}}}")
    return 0
