"""One CSV file per table (UTF-8 with BOM, semicolon for German, comma for English).

Every field is quoted and text that a spreadsheet would run as a formula is neutralised
with :func:`common.spreadsheet.neutralise` (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io

from common.spreadsheet import neutralise

from .context import ReportContext
from .messages import Translator
from .tables import build_tables, cell_kind, plain

__all__ = ["render_csv"]


def render_csv(ctx: ReportContext, t: Translator) -> dict[str, bytes]:
    """File name → content, one per table."""
    delimiter = ";" if t.lang == "de" else ","
    files: dict[str, bytes] = {}
    for table in build_tables(ctx, t):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow([neutralise(c.label) for c in table.columns])
        for row in table.rows:
            out = []
            for col, raw in zip(table.columns, row, strict=True):
                value = plain(cell_kind(col, raw)[0])
                if value is None:
                    out.append("")
                elif isinstance(value, str):
                    out.append(neutralise(value))
                elif isinstance(value, float) and t.lang == "de":
                    out.append(repr(value).replace(".", ","))
                else:
                    out.append(str(value))
            w.writerow(out)
        files[f"{table.id}.csv"] = ("\ufeff" + buf.getvalue()).encode("utf-8")
    return files
