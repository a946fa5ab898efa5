"""What every command shares: the ``--json`` and ``--lang`` options and loading a plan or an inventory.

Errors are not translated here: every error Landkarte raises on purpose is a
:class:`common.errors.LandkarteError` and ``landkarte/cli.py`` maps it to its exit code.
Heavy packages are imported inside the functions so that ``landkarte --help`` stays fast.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from landkarte.console import progress

if TYPE_CHECKING:
    from inventory.models import Landscape
    from plan.models import Plan

__all__ = ["PROJECT_DIR", "JsonOpt", "Lang", "LangOpt", "load_inventory", "load_plan", "parse_day"]

PROJECT_DIR = Path(__file__).resolve().parents[2]
"""The repository root, which holds Pulumi.yaml and the stack files (Pulumi.<stack>.yaml)."""

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]


class Lang(StrEnum):
    """The languages of ``--lang`` (those of ``reports.messages.LANGUAGES``); the parser refuses any other."""

    de = "de"
    en = "en"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages, tables and reports: de (default) or en.")]


def parse_day(text: str | None, option: str = "--as-of") -> date | None:
    """A day given as ``31.12.2026`` or ``2026-12-31`` (``None`` stays ``None``), read by the same rule
    as the questionnaires' date cells (:func:`erhebung.normalise.datum`); anything else is a usage
    error naming ``option``."""
    from erhebung.normalise import Unzulaessig, datum

    if text is None:
        return None
    try:
        return datum(text)
    except Unzulaessig:
        raise typer.BadParameter(f"{text!r} is not a date (31.12.2026 or 2026-12-31)", param_hint=option) from None


def load_plan(path: Path, *, role: str = "plan") -> Plan:
    """Read a plan JSON file; a bad one raises :class:`plan.io.PlanFormatError` naming ``role`` and the file."""
    from plan.io import read_plan

    return read_plan(path, role=role)


def load_inventory(path: Path) -> Landscape:
    """Load any inventory format (YAML folder, CSV folder, XLSX), with a progress bar on a terminal.

    Raises
    ------
    inventory.errors.InventoryError
        With every problem found, each with its file and place.
    """
    from inventory.load import load_landscape
    from inventory.load.folder import ORG_DIR

    total = len(list((path / ORG_DIR).glob("*.y*ml"))) if path.is_dir() else None
    with progress() as bar:
        if bar is None or not total:
            return load_landscape(path)
        task = bar.add_task("Inventar laden", total=total)
        return load_landscape(path, progress=lambda n: bar.advance(task, n))
