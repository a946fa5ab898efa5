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
        else:
            detail = ""
        table.add_row(c.action + (" (adopt)" if c.adopt else ""), c.label.split(":")[0], c.key, detail)
    console.print(table)
    console.print(", ".join(f"{n} {a}" for a, n in sorted(counts.items())))


@app.command("diff", help="Show what a push would create, update or delete (reads only).")
def diff(inventory: InventoryArg, plan: PlanOpt = None, json_out: JsonOpt = False,
         adopt: AdoptOpt = False) -> int:
    from netboxsync import diff_landscape

    landscape = load_inventory(inventory)
    changes = diff_landscape(_client(), landscape, _plan(plan), adopt=adopt)
    if json_out:
        counts = Counter(c.action for c in changes)
        print_json({"changes": [c.as_json() for c in changes],
                    "summary": {a: counts.get(a, 0) for a in ("create", "update", "delete", "conflict")}})
    else:
        _table(changes)
    return 0


@app.command("push", help="Write the inventory (and plan) to NetBox with bulk calls; idempotent.")
def push(inventory: InventoryArg, plan: PlanOpt = None, adopt: AdoptOpt = False, json_out: JsonOpt = False) -> int:
    from netboxsync import push_landscape
    from netboxsync.endpoints import ENDPOINTS

    landscape = load_inventory(inventory)
    the_plan = _plan(plan)
    client = _client()
    with progress() as bar:
        task = bar.add_task("NetBox", total=len(ENDPOINTS)) if bar is not None else None
        report = push_landscape(client, landscape, the_plan, adopt=adopt,
                                on_endpoint=lambda _ep: bar.advance(task) if bar is not None else None)
    counts = Counter(c.action for c in report.changes)
    summary = {"created": report.objects.get("created", 0), "updated": report.objects.get("updated", 0),
               "deleted": report.objects.get("deleted", 0), "write_requests": report.writes,
               "retries": report.retries, "seconds": round(report.seconds, 2)}
    if json_out:
        print_json({"summary": summary, "changes": [c.as_json() for c in report.changes]})
    elif not report.changes:
        console.print(f"NetBox already matches the inventory: 0 writes ({report.seconds:.1f} s).")
    else:
        console.print(f"NetBox updated: {counts.get('create', 0)} created, {counts.get('update', 0)} updated, "
                      f"{counts.get('delete', 0)} deleted in {report.writes} write requests "
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
