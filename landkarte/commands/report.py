"""landkarte report — render the board pack (HTML, PDF, XLSX, CSV) from a plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from landkarte.console import console, err_console, print_json, progress
from landkarte.errors import InputError

__all__ = ["report"]


def report(
    plan: Annotated[Path, typer.Argument(help="Plan JSON written by `landkarte plan`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the report files.")],
    format: Annotated[str, typer.Option("--format", help="Comma-separated: html, pdf, xlsx, csv.")] = "html,pdf,xlsx",
    lang: Annotated[str, typer.Option("--lang", help="Language: de (default) or en.")] = "de",
    compare: Annotated[Path | None, typer.Option("--compare", help="A second plan: adds the Szenarienvergleich.")] = None,
    previous: Annotated[
        Path | None, typer.Option("--previous", help="The plan of the last meeting: adds what changed since.")
    ] = None,
    inventory: Annotated[
        Path | None, typer.Option("--inventory", help="Inventory folder (default: the one the plan names, if found).")
    ] = None,
    appendix: Annotated[
        str | None,
        typer.Option("--appendix", help="org (a page each), kreis (a page per Kreis) or none; default by size."),
    ] = None,
    pdf_engine: Annotated[str, typer.Option("--pdf-engine", help="typst (default, fast) or weasyprint.")] = "typst",
    json_out: Annotated[bool, typer.Option("--json", help="Print the written files as JSON.")] = False,
) -> int:
    """Render the report files for PLAN into --out; never recomputes the plan."""
    from common.fsio import check_output
    from reports import FORMATS, ReportInputError, load_inputs, write_report
    from reports.messages import LANGUAGES
    from reports.pdf import ENGINES

    formats = tuple(dict.fromkeys(f.strip().lower() for f in format.split(",") if f.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}",
                                 param_hint="--format")
    if lang not in LANGUAGES:
        raise typer.BadParameter(f"choose one of {', '.join(LANGUAGES)}", param_hint="--lang")
    if appendix is not None and appendix not in ("org", "kreis", "none"):
        raise typer.BadParameter("choose org, kreis or none", param_hint="--appendix")
    if pdf_engine not in ENGINES:
        raise typer.BadParameter(f"choose one of {', '.join(ENGINES)}", param_hint="--pdf-engine")
    check_output(out, folder=True)  # before the rendering, not after it
    try:
        inputs = load_inputs(plan, compare=compare, previous=previous, inventory=inventory)
    except ReportInputError as exc:
        raise InputError(str(exc)) from None
    for warning in inputs.warnings:
        err_console.print(f"warning: {warning}", markup=False, soft_wrap=True)
    try:
        with progress() as bar:
            task = bar.add_task("rendering " + ", ".join(formats), total=len(formats)) if bar else None
            paths = write_report(inputs, out, formats=formats, lang=lang, appendix=appendix, pdf_engine=pdf_engine,
                                 on_format=(lambda _fmt: bar.advance(task)) if bar else None)
    except OSError as exc:
        raise InputError(f"{exc.filename or out}: cannot write the report: {exc.strerror or exc}") from None
    if json_out:
        print_json({fmt: str(p) for fmt, p in paths.items()})
    else:
        for fmt, p in paths.items():
            console.print(f"{fmt}: {p}", markup=False, soft_wrap=True)
    return 0
