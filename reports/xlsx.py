"""The planners' workbook: one sheet per table, frozen header, autofilter, numbers as numbers.

Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR)
are neutralised with :func:`common.spreadsheet.neutralise`; no cell is ever written as a formula.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.spreadsheet import neutralise

from .context import ReportContext
from .messages import Translator
from .tables import Table, build_tables, cell_kind

__all__ = ["DATE_FORMATS", "NUMBER_FORMATS", "render_xlsx"]

NUMBER_FORMATS = {
    "int": "#,##0",
    "float": "#,##0.0",
    "ratio": "#,##0.00",
    "money": '#,##0.00 "€"',
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
}
DATE_FORMATS = {"de": "DD.MM.YYYY", "en": "yyyy-mm-dd"}
"""Days as the language writes them (31.12.2026 / 2026-12-31); the cell holds a real date either way."""
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", title)[:31]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write_table(wb: Workbook, table: Table, used: set[str], lang: str = "en") -> None:
    ws = wb.create_sheet(_sheet_name(table.title, used))
    ws.freeze_panes = "A2"
    for i, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="2F5F9E")
    header = []
    for col in table.columns:
        c = WriteOnlyCell(ws, value=neutralise(col.label))
        c.font, c.fill = head_font, head_fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(c)
    ws.append(header)
    for row in table.rows:
        out = []
        for col, raw in zip(table.columns, row, strict=True):
            value, kind = cell_kind(col, raw)
            if isinstance(value, str):
                # Control characters are illegal in XLSX; drop them rather than fail the whole workbook.
                c = WriteOnlyCell(ws, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))
                c.data_type = "s"  # never a formula, whatever the text
            elif isinstance(value, bool):
                c = WriteOnlyCell(ws, value=value)
            else:
                c = WriteOnlyCell(ws, value=value)
                fmt = DATE_FORMATS.get(lang, NUMBER_FORMATS["date"]) if kind == "date" else NUMBER_FORMATS.get(kind)
                if fmt and value is not None:
                    c.number_format = fmt
            out.append(c)
        ws.append(out)
    last = get_column_letter(max(1, len(table.columns)))
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"


def render_xlsx(ctx: ReportContext, t: Translator) -> bytes:
    """The workbook as bytes (written atomically by the caller)."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for table in build_tables(ctx, t):
        _write_table(wb, table, used, t.lang)
    wb.properties.title = t("doc.title")
    wb.properties.creator = f"landkarte {ctx.tool_version}"
    wb.properties.created = ctx.generated_at.replace(tzinfo=None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
