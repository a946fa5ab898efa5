"""``landkarte funding claims``: the funding milestones of a plan as of a day — geplant, nachgewiesen, abgerufen.

Writes ``claims.json`` and ``claims.xlsx`` (for the Land's finance department) into ``--out``, both
at once or neither. A milestone without valid evidence is not claimable, and the output says why.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from common.errors import InputError
from common.jsonfile import JsonFileError, read_json
from landkarte.commands._common import JsonOpt, Lang, LangOpt, load_plan, parse_day
from landkarte.console import console, print_json

if TYPE_CHECKING:
    from actuals.claims import Claims, NetBoxLookup, StackOutputLookup
    from plan.models import Plan

__all__ = ["CLAIMS_FILES", "app", "claims"]

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

CLAIMS_FILES = ("claims.json", "claims.xlsx")
"""The files ``funding claims`` writes (and owns) in its output folder."""


def _actuals_folder(plan: Plan, plan_path: Path, given: Path | None) -> Path:
    from actuals.load import PROGRESS_DIR
    from landkarte.commands.report import resolve_inventory

    if given is not None:
        return given
    inv = resolve_inventory(plan, plan_path)
    if inv is None or not (inv / PROGRESS_DIR).is_dir():
        raise typer.BadParameter("no progress folder found beside the plan's inventory; give it", param_hint="--actuals")
    return inv / PROGRESS_DIR


def _netbox_lookup() -> NetBoxLookup:
    """Look an API path (``virtualization/virtual-machines/123``) up in the NetBox of the environment."""
    import pynetbox

    from netboxsync import connect
    from netboxsync.errors import NetBoxUnavailable

    client = connect()  # unreachable or a bad token: said at once, before any lookup

    def lookup(path: str) -> dict[str, Any] | None:
        app_name, endpoint, ident = path.split("/")
        try:
            record = client.endpoint(f"{app_name}.{endpoint}").get(int(ident))
        except pynetbox.RequestError as exc:
            if exc.req.status_code == 404:  # an endpoint that does not exist: no such object either
                return None
            raise NetBoxUnavailable(f"NetBox answered HTTP {exc.req.status_code} for {path}") from None
        return None if record is None else dict(record)

    return lookup


def _stack_outputs(path: Path) -> StackOutputLookup:
    """``{stack: {output: value}}`` (e.g. ``pulumi stack output --json`` per stack, gathered) as a lookup."""
    try:
        data = read_json(path)
    except JsonFileError as exc:
        raise InputError(f"{path}: {'cannot read the stack outputs: ' if exc.unreadable else ''}{exc.problem}"
                         ) from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise InputError(f"{path}: expected {{\"<stack>\": {{\"<output>\": value}}}} at the top")

    def lookup(stack: str, output: str) -> Any:
        return data[stack][output]  # KeyError: no such stack or output

    return lookup


def write_claims(result: Claims, out: Path, *, lang: str, names: dict[str, str]) -> dict[str, Path]:
    """Write ``claims.json`` and ``claims.xlsx`` into ``out`` as one unit (nothing else there is touched)."""
    from common.fsio import atomic_dir
    from reports.claims import render_claims_xlsx
    from reports.messages import Translator

    files = {
        "claims.json": (result.model_dump_json(indent=2) + "\n").encode("utf-8"),
        "claims.xlsx": render_claims_xlsx(result, Translator(lang), names=names),  # type: ignore[arg-type]
    }
    with atomic_dir(out, owns=lambda rel: rel in CLAIMS_FILES, own_output=lambda _p: True) as tmp:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
    return {name: out / name for name in files}


@app.command("claims", help="Funding claims (Leistungsnachweis) of PLAN as of a day: per milestone the amount under "
                            "the scenario's funding rules, status geplant / nachgewiesen / abgerufen and the "
                            "evidence; writes claims.json and claims.xlsx into --out.")
def claims(
    plan: Annotated[Path, typer.Argument(help="Plan JSON written by `landkarte plan`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for claims.json and claims.xlsx.")],
    actuals: Annotated[Path | None, typer.Option(
        "--actuals", help="Progress folder (default: progress/ in the inventory the plan names).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Reference day (31.03.2027 or 2027-03-31; default: the latest 'reported' day of the "
                        "progress files). Deliveries and call-offs after it do not count.")] = None,
    netbox: Annotated[bool, typer.Option(
        "--netbox", help="Check NetBox evidence in the NetBox of LANDKARTE_NETBOX_URL / _TOKEN(_FILE); without it "
                         "NetBox evidence is 'not checked' and does not make a milestone claimable.")] = False,
    stack_outputs: Annotated[Path | None, typer.Option(
        "--stack-outputs", help="JSON {stack: {output: value}} to check stack-output evidence against.")] = None,
    lang: LangOpt = Lang.de,
    json_out: JsonOpt = False,
) -> int:
    """Build the claims of PLAN from the progress folder and write them; exit 1 on bad input."""
    from actuals.claims import build_claims
    from actuals.load import load_actuals
    from common.fsio import check_output
    from reports.messages import Translator

    day: date | None = parse_day(as_of)
    check_output(out, folder=True)
    the_plan = load_plan(plan)
    folder = _actuals_folder(the_plan, plan, actuals)
    progress = load_actuals(folder, plan=the_plan)
    day = day or progress.reported
    if day is None:
        raise typer.BadParameter("the progress folder reports nothing yet; give the reference day", param_hint="--as-of")
    outputs = _stack_outputs(stack_outputs) if stack_outputs is not None else None
    lookup = _netbox_lookup() if netbox else None
    result = build_claims(the_plan, progress, as_of=day, netbox=lookup, stack_output=outputs)
    names = {o.id: o.name for o in the_plan.organisations}
    paths = write_claims(result, out, lang=lang, names=names)
    tot = result.totals
    if json_out:
        print_json({"files": {k: str(v) for k, v in paths.items()},
                    "totals": json.loads(tot.model_dump_json())})
        return 0
    t = Translator(lang)  # type: ignore[arg-type]
    console.print(t("claims.title", day=t.date(day)), markup=False, soft_wrap=True)
    console.print("  " + t("claims.count_line", n=t.number(len(result.claims)), **{
        s: t.number(tot.count[s]) for s in ("abgerufen", "nachgewiesen", "geplant")}), markup=False, soft_wrap=True)
    for key, amount in (("planned", tot.planned), ("abgerufen", tot.abgerufen), ("nachgewiesen", tot.nachgewiesen),
                        ("faellig", tot.geplant_faellig), ("offen", tot.geplant_offen)):
        console.print(f"  {t(f'claims.sum.{key}')}: {t.money(amount)}", markup=False, soft_wrap=True)
    for p in paths.values():
        console.print(f"  {p}", markup=False, soft_wrap=True)
    return 0
