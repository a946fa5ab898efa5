"""``landkarte netbox …``: diff, push and pull the inventory against NetBox.

URL and token come from the environment (``LANDKARTE_NETBOX_URL``, ``LANDKARTE_NETBOX_TOKEN`` or
``LANDKARTE_NETBOX_TOKEN_FILE``), never from argv; ``scripts/netbox.sh env`` prints them for the local
NetBox. The token never appears in output or logs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from common.errors import InputError
from landkarte.commands._common import JsonOpt, load_inventory, load_plan
from landkarte.console import console, print_json, progress

if TYPE_CHECKING:
    from netboxsync import Change, NetBoxClient
    from plan.models import Plan

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

InventoryArg = Annotated[Path, typer.Argument(help="Inventory: a YAML folder, a CSV folder or an .xlsx workbook.")]
PlanOpt = Annotated[Path | None, typer.Option("--plan", help="Plan JSON: also sync target data centres, "
                                               "tenant prefixes/VLANs and planned VMs.")]
AdoptOpt = Annotated[bool, typer.Option("--adopt", help="Take over matching objects that lack the 'landkarte' "
                                         "tag (otherwise they are never changed).")]
OrphanOpt = Annotated[bool, typer.Option("--orphan", help="An object Landkarte no longer needs but others still "
                                          "use is left in place without the 'landkarte' tag (released) instead "
                                          "of blocking the push.")]


def _client() -> NetBoxClient:
    from netboxsync import connect

    return connect()


def _plan(path: Path | None) -> Plan | None:
    return None if path is None else load_plan(path)


def _show_value(value: Any) -> str:
    text = str(value)
    if isinstance(value, (dict, list)):
        text = f"<{type(value).__name__}, {len(value)} entries>"
    return text if len(text) <= 60 else text[:57] + "…"


def _table(changes: list[Change]) -> None:
    from rich.table import Table

    counts = Counter(c.action for c in changes)
    if not changes:
        console.print("NetBox matches the inventory: nothing to create, update or delete.")
        return
    table = Table(title="Changes a push would make", show_lines=False)
    for col in ("action", "object", "key", "fields"):
        table.add_column(col)
    for c in changes:
        if c.action == "update":
            detail = "; ".join(f"{f}: {_show_value(a)} → {_show_value(b)}" for f, (a, b) in c.fields.items())
        elif c.action == "conflict":
            detail = c.label
        elif c.action in ("blocked", "release"):
            detail = "used by " + "; ".join(c.reasons)
        else:
            detail = ""
        table.add_row(c.action + (" (adopt)" if c.adopt else ""), c.object, c.key, detail)
    console.print(table)
    console.print(", ".join(f"{n} {a}" for a, n in sorted(counts.items())))
    if counts.get("conflict"):
        console.print("A push would stop before its first write: resolve the conflicts first (an untagged object "
                      "with the same slug can be taken over with --adopt).")
    if counts.get("blocked"):
        console.print("A push would stop before its first write: objects it would delete are still used by "
                      "objects Landkarte does not own (--orphan leaves them in place, released).")


_ACTIONS = ("create", "update", "delete", "conflict", "blocked", "release")


@app.command("diff", help="Show what a push would create, update or delete (reads only). Exits 1 when a push "
                          "would stop: conflicts or blocked deletes.")
def diff(inventory: InventoryArg, plan: PlanOpt = None, json_out: JsonOpt = False,
         adopt: AdoptOpt = False, orphan: OrphanOpt = False) -> int:
    from netboxsync import diff_landscape

    landscape = load_inventory(inventory)
    changes = diff_landscape(_client(), landscape, _plan(plan), adopt=adopt, orphan=orphan)
    counts = Counter(c.action for c in changes)
    if json_out:
        print_json({"changes": [c.as_json() for c in changes],
                    "summary": {a: counts.get(a, 0) for a in _ACTIONS}})
    else:
        _table(changes)
    return 1 if counts.get("conflict") or counts.get("blocked") else 0


def _summary(report: Any) -> dict[str, Any]:
    if report is None:
        return {"created": 0, "updated": 0, "deleted": 0, "released": 0, "write_requests": 0, "retries": 0,
                "seconds": 0.0}
    return {"created": report.objects.get("created", 0), "updated": report.objects.get("updated", 0),
            "deleted": report.objects.get("deleted", 0), "released": report.objects.get("released", 0),
            "write_requests": report.writes, "retries": report.retries, "seconds": round(report.seconds, 2)}


@app.command("push", help="Write the inventory (and plan) to NetBox with bulk calls; idempotent. Stops before "
                          "the first write on conflicts and blocked deletes.")
def push(inventory: InventoryArg, plan: PlanOpt = None, adopt: AdoptOpt = False, orphan: OrphanOpt = False,
         json_out: JsonOpt = False) -> int:
    from netboxsync import NetBoxSyncError, push_landscape
    from netboxsync.endpoints import ENDPOINTS

    landscape = load_inventory(inventory)
    the_plan = _plan(plan)
    client = _client()
    try:
        with progress() as bar:
            task = bar.add_task("NetBox", total=len(ENDPOINTS)) if bar is not None else None
            report = push_landscape(client, landscape, the_plan, adopt=adopt, orphan=orphan,
                                    on_endpoint=lambda _ep: bar.advance(task) if bar is not None else None)
    except NetBoxSyncError as exc:
        partial = getattr(exc, "report", None)
        if json_out:  # what was written before the failure, counted per batch NetBox applied
            print_json({"error": str(exc), "summary": _summary(partial),
                        "changes": [c.as_json() for c in partial.changes] if partial is not None else []})
        elif partial is not None and partial.writes:
            console.print(f"Written before the error: {partial.objects.get('created', 0)} created, "
                          f"{partial.objects.get('updated', 0)} updated, {partial.objects.get('deleted', 0)} "
                          f"deleted in {partial.writes} write requests; the next push continues from there.")
        raise
    counts = Counter(c.action for c in report.changes)
    if json_out:
        print_json({"summary": _summary(report), "changes": [c.as_json() for c in report.changes]})
    elif not report.changes:
        console.print(f"NetBox already matches the inventory: 0 writes ({report.seconds:.1f} s).")
    else:
        released = f", {counts['release']} released (left in place for their users)" if counts.get("release") else ""
        console.print(f"NetBox updated: {counts.get('create', 0)} created, {counts.get('update', 0)} updated, "
                      f"{counts.get('delete', 0)} deleted{released} in {report.writes} write requests "
                      f"({report.seconds:.1f} s).")
    return 0


@app.command("pull", help="Read the inventory back from NetBox into a folder (replaced atomically).")
def pull(out: Annotated[Path, typer.Option("--out", help="Folder to write the inventory to.")],
         json_out: JsonOpt = False) -> int:
    from inventory.write import write_landscape
    from netboxsync import pull_landscape

    landscape = pull_landscape(_client())
    try:
        write_landscape(landscape, out)
    except OSError as exc:
        raise InputError(f"{out}: cannot write: {exc.strerror or exc}") from None
    summary = {"out": str(out), "organisations": len(landscape.organisations), "sites": len(landscape.sites),
               "hosts": len(landscape.hosts), "systems": len(landscape.systems)}
    if json_out:
        print_json(summary)
    else:
        console.print(f"{out}: {summary['organisations']} Organisationen, {summary['sites']} Standorte, "
                      f"{summary['hosts']} Hosts, {summary['systems']} Systeme aus NetBox")
    return 0
