"""Write a landscape as CSV files (one per table) or one XLSX workbook (one sheet per table).

These are the templates planners fill in; :mod:`inventory.load.table` reads them back.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from common.fsio import atomic_dir, atomic_path
from common.german import date_text
from common.spreadsheet import neutralise

from .._tables import ORG_COLUMN, TABLES, columns, to_row
from ..models import Landscape, LandscapeMeta

__all__ = ["is_csv_inventory", "owns_table_file", "table_rows", "write_csv_folder", "write_xlsx"]

_TABLE_FILES = frozenset(f"{name}.csv" for name, _model, _per_org in TABLES)


def table_rows(landscape: Landscape) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Table name → (header, rows) with python cell values."""
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for name, model, per_org in TABLES:
        cols = columns(model)
        header = ([ORG_COLUMN] if per_org else []) + [c.name for c in cols]
        rows: list[list[Any]] = []
        if name == "landscape":
            rows.append(to_row(landscape.meta, cols))
        elif name in ("domains", "products", "bsi_modules"):
            rows.extend(to_row(r, cols) for r in getattr(landscape.catalogue, name))
        elif name == "organisations":
            rows.extend(to_row(o.organisation, cols) for o in landscape.organisations)
        else:
            for o in landscape.organisations:
                rows.extend([o.organisation.id, *to_row(r, cols)] for r in getattr(o, name))
        out[name] = (header, rows)
    return out


def _csv_cell(v: Any, excel: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return ("ja" if v else "nein") if excel else ("true" if v else "false")
    if isinstance(v, str):
        return neutralise(v)
    if isinstance(v, date):
        return date_text(v) if excel else v.isoformat()
    if excel and isinstance(v, float):
        return repr(v).replace(".", ",")
    return str(v)


def owns_table_file(rel: str) -> bool:
    """The files of a CSV inventory folder: one ``<table>.csv`` per table, nothing else."""
    return rel in _TABLE_FILES


def is_csv_inventory(path: Path) -> bool:
    """A folder holding a CSV inventory (plain or for German Excel): its ``landscape.csv`` starts with
    the landscape table's header."""
    names = [c.name for c in columns(LandscapeMeta)]
    try:
        with open(path / "landscape.csv", encoding="utf-8-sig", newline="") as f:
            return f.readline().rstrip("\r\n") in (",".join(names), ";".join(names))
    except (OSError, UnicodeDecodeError):
        return False


def write_csv_folder(landscape: Landscape, out: str | Path, *, excel: bool = False, force: bool = False) -> Path:
    """One ``<table>.csv`` per table (UTF-8, RFC 4180); only these files are replaced in ``out``.

    With ``excel=True`` the files are what German Excel opens right with a double click:
    semicolon-separated, UTF-8 with BOM, decimal comma, dates as ``31.12.2030``, ``ja``/``nein``
    (:func:`inventory.load.table.load_csv_folder` reads them back).
    """
    with atomic_dir(out, owns=owns_table_file, own_output=is_csv_inventory, force=force) as tmp:
        for name, (header, rows) in table_rows(landscape).items():
            buf = io.StringIO()
            w = csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
            w.writerow(header)
            w.writerows([_csv_cell(v, excel) for v in row] for row in rows)
            (tmp / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8-sig" if excel else "utf-8")
    return Path(out)


def write_xlsx(landscape: Landscape, out: str | Path) -> Path:
    """One sheet per table: frozen header, autofilter, typed cells, text never a formula."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in table_rows(landscape).items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append([neutralise(v) if isinstance(v, str) else v for v in row])
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a string cell is never evaluated
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        for i, h in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(40, max(10, len(h) + 2))
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return Path(out)
