"""``landkarte inventory …``: validate, stats, schema, generate, sample, export, import."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from common.catalogue import Catalogue
from common.fsio import atomic_dir, check_output
from common.german import number
from inventory.errors import InventoryError
from inventory.models import Landscape, LandscapeMeta, OrganisationInventory
from landkarte.commands._common import JsonOpt, Lang, LangOpt, load_inventory, parse_day
from landkarte.console import console, print_json, progress, say

if TYPE_CHECKING:
    from reports.messages import Translator

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

PathArg = Annotated[Path, typer.Argument(help="Inventory: a YAML folder, a CSV folder or an .xlsx workbook.")]


class TableFormat(StrEnum):
    yaml = "yaml"
    csv = "csv"
    xlsx = "xlsx"


@app.command("validate", help="Check an inventory and report every error with file:line:column key.")
def validate(path: PathArg, json_out: JsonOpt = False) -> int:
    from inventory.load import load_landscape

    try:
        landscape = load_landscape(path) if json_out else load_inventory(path)
    except InventoryError as exc:
        if json_out:
            print_json({"valid": False, "errors": [
                {"file": i.file, "line": i.line, "column": i.col, "loc": list(i.loc), "message": i.msg,
                 "text": str(i)} for i in exc.issues]})
        raise
    counts = {"organisations": len(landscape.organisations), "systems": len(landscape.systems)}
    if json_out:
        print_json({"valid": True, "errors": [], **counts})
    else:
        console.print(f"{path}: gültig — {number(counts['organisations'])} Organisationen, "
                      f"{number(counts['systems'])} Systeme")
    return 0


@app.command("stats", help="Counts, heterogeneity per domain, Insellösungen, end of life, data confidence.")
def stats(
    path: PathArg,
    json_out: JsonOpt = False,
    at: Annotated[str | None, typer.Option(help="Reference date for end of life (YYYY-MM-DD); default today.")] = None,
    lang: LangOpt = Lang.de,
) -> int:
    from inventory.stats import landscape_stats
    from reports.messages import Translator

    ref = parse_day(at, "--at") or date.today()
    s = landscape_stats(load_inventory(path), at=ref)
    if json_out:
        print_json(s)
        return 0
    _print_stats(s, Translator(lang.value))
    return 0


def _print_stats(s: dict, t: Translator) -> None:
    from rich.table import Table
    from rich.text import Text

    n = t.number  # German (1.287) or English (1,287) thousands
    c = {k: n(v) for k, v in s["counts"].items()}
    console.print(Text(s["landscape"], style="bold")
                  + (Text(t("stats.synthetic"), style="yellow") if s["synthetic"] else Text("")))
    say(t("stats.counts", **c))
    say(t("stats.organisations", kinds=", ".join(f"{k} {n(v)}" for k, v in s["organisations_by_kind"].items())))
    table = Table(title=t("stats.title"))
    for col in ("domain", "systems", "products", "organisations", "insel"):
        table.add_column(t(f"stats.col.{col}"), justify="left" if col == "domain" else "right")
    for d in sorted(s["domains"].values(), key=lambda d: (-d["distinct_products"], d["name"])):
        table.add_row(d["name"], n(d["systems"]), n(d["distinct_products"]), n(d["organisations"]), n(d["inselloesungen"]))
    console.print(table)
    eol = s["past_end_of_life"]
    say(t("stats.eol", day=t.date(date.fromisoformat(s["at"])), systems=n(eol["systems"]), hosts=n(eol["hosts"])))
    say(t("stats.insel", n=n(len(s["inselloesungen"]))))
    say(t("stats.confidence", values=", ".join(f"{t(f'confidence.{k}')} {n(v)}" for k, v in s["confidence"].items())))
    say(t("stats.provenance", values=", ".join(f"{t(f'provenance.{k}')} {n(v)}" for k, v in s["provenance"].items())))


@app.command("schema", help="Export the JSON Schemas of the inventory files (for editors).")
def schema(
    out: Annotated[Path | None, typer.Option(help="Folder for the *.schema.json files; default: print all.")] = None,
    force: ForceOpt = False,
) -> int:
    schemas = {
        "organisation.schema.json": OrganisationInventory.model_json_schema(),
        "catalogue.schema.json": Catalogue.model_json_schema(),
        "landscape.schema.json": LandscapeMeta.model_json_schema(),
    }
    if out is None:
        print_json(schemas)
        return 0
    with atomic_dir(out, owns=lambda rel: rel in schemas, own_output=lambda p: (p / next(iter(schemas))).is_file(),
                    force=force) as tmp:
        for name, sch in schemas.items():
            (tmp / name).write_text(json.dumps(sch, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")
    console.print(f"JSON Schemas geschrieben: {out}/ ({', '.join(schemas)})")
    return 0


ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Write into a non-empty folder that is not an inventory; only the inventory's own files "
                    "are replaced there, nothing else is removed.")]


def _check_out(out: Path, fmt: TableFormat) -> None:
    """Before any work: the output path can be written (a file for xlsx, else a folder)."""
    check_output(out, folder=fmt != TableFormat.xlsx)


def _write(landscape: Landscape, out: Path, fmt: TableFormat, *, excel: bool = False, force: bool = False) -> None:
    from inventory.write import write_folder
    from inventory.write.table import write_csv_folder, write_xlsx

    if fmt == TableFormat.xlsx:
        write_xlsx(landscape, out)
    elif fmt == TableFormat.yaml:
        write_folder(landscape, out, force=force)
    else:
        write_csv_folder(landscape, out, excel=excel, force=force)


@app.command("generate", help="Generate a synthetic landscape (deterministic: same seed, same bytes).")
def generate(
    out: Annotated[Path, typer.Option(help="Output folder (its inventory files replaced atomically).")],
    orgs: Annotated[int, typer.Option(min=1, max=20000, help="Number of municipalities.")] = 100,
    seed: Annotated[int, typer.Option(help="RNG seed.")] = 1,
    systems_per_org: Annotated[int | None, typer.Option(
        min=1, max=200, help="Average systems per municipality (Germany scale: 46).")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.yaml,
    force: ForceOpt = False,
) -> int:
    from inventory.generate import generate_landscape

    _check_out(out, fmt)

    with progress() as bar:
        task = bar.add_task("Erzeugen", total=orgs + orgs // 25 + 3) if bar else None
        landscape = generate_landscape(
            orgs, seed, systems_per_org=systems_per_org,
            progress=(lambda n: bar.advance(task, n)) if bar else None)
    _write(landscape, out, fmt, force=force)
    console.print(f"{len(landscape.organisations)} Organisationen, {len(landscape.systems)} Systeme "
                  f"(synthetisch, seed {seed}) → {out}")
    return 0


@app.command("sample", help="Write the bundled Saarland sample (real facts, synthetic systems).")
def sample(
    out: Annotated[Path, typer.Option(help="Output folder or file.")],
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.yaml,
    force: ForceOpt = False,
) -> int:
    from inventory.generate import saarland_sample

    _check_out(out, fmt)
    _write(saarland_sample(), out, fmt, force=force)
    console.print(f"Saarland-Beispiel → {out}")
    return 0


@app.command("export", help="Convert an inventory to YAML folder, CSV folder or XLSX workbook.")
def export(
    path: PathArg,
    out: Annotated[Path, typer.Option(help="Output folder (yaml, csv) or .xlsx file.")],
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.xlsx,
    excel: Annotated[bool, typer.Option(
        "--excel", help="CSV that German Excel opens right: semicolons, UTF-8 with BOM, decimal comma "
                        "(implies --format csv).")] = False,
    force: ForceOpt = False,
) -> int:
    if excel:
        fmt = TableFormat.csv
    _check_out(out, fmt)
    landscape = load_inventory(path)
    _write(landscape, out, fmt, excel=excel, force=force)
    console.print(f"{path} → {out} ({'csv, Excel' if excel else fmt.value})")
    return 0


@app.command("import", help="Read a filled-in CSV folder or XLSX workbook into a YAML inventory folder.")
def import_(
    path: PathArg,
    out: Annotated[Path, typer.Option(help="Output YAML folder (its inventory files replaced atomically).")],
    force: ForceOpt = False,
) -> int:
    _check_out(out, TableFormat.yaml)
    landscape = load_inventory(path)
    _write(landscape, out, TableFormat.yaml, force=force)
    console.print(f"{path} → {out} (yaml)")
    return 0


@app.command("template", help="An empty XLSX/CSV template with the catalogue filled in, for planners.")
def template(
    out: Annotated[Path, typer.Option(help="Output .xlsx file or CSV folder.")],
    fmt: Annotated[TableFormat, typer.Option("--format", help="xlsx or csv.")] = TableFormat.xlsx,
    force: ForceOpt = False,
) -> int:
    from common.catalogue import facts_catalogue

    if fmt == TableFormat.yaml:
        raise typer.BadParameter("a template is xlsx or csv", param_hint="--format")
    empty = Landscape.model_construct(
        meta=LandscapeMeta(name="Neues Inventar"), catalogue=facts_catalogue(), organisations=())
    _check_out(out, fmt)
    _write(empty, out, fmt, force=force)
    console.print(f"Vorlage → {out}")
    return 0
