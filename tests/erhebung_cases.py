"""Helpers for the Erhebung tests: the Saarland sample, questionnaires, clerk edits (a plain module)."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

from inventory_cases import SAMPLE
from openpyxl import load_workbook

from erhebung.fragebogen import Kampagne, write_fragebogen
from inventory.load import load_landscape
from inventory.models import Landscape

KAMPAGNE = Kampagne("erhebung-2026", frist=date(2026, 3, 31), erstellt=date(2026, 1, 15))


@functools.cache
def saarland() -> Landscape:
    return load_landscape(SAMPLE)


def fragebogen(out: Path, org: str = "heusweiler", landscape: Landscape | None = None) -> Path:
    return write_fragebogen(landscape or saarland(), org, out, kampagne=KAMPAGNE)


def edit(path: Path, edits: list[tuple[str, str, str, Any]], out: Path | None = None) -> Path:
    """Set cells as a clerk would: (sheet, row name in column B — or "+" for the first empty row —, header, value).

    A value starting with "=" is written as a formula (what Excel stores when a clerk types one).
    """
    wb = load_workbook(path)
    first_empty = {ws.title: next(r for r in range(2, ws.max_row + 2) if all(
        ws.cell(r, c).value in (None, "") for c in range(1, 5))) for ws in wb.worksheets}
    for sheet, row_name, header, value in edits:
        ws = wb[sheet]
        col = next(c.column for c in ws[1] if c.value and str(c.value).removesuffix(" *") == header)
        name_col = 1 if sheet == "Schnittstellen" else 2
        if row_name == "+":
            row = first_empty[sheet]
        else:
            row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, name_col).value == row_name)
        ws.cell(row, col).value = value
    out = out or path
    wb.save(out)
    return out
