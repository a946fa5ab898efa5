"""Read the CSV folder or XLSX workbook written by :mod:`inventory.write.table`.

Errors name the file (and sheet), the row and the column, e.g.
``systems.csv:12:9 systems[3].contract.notice_months: must be ≥ 0``.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from common.catalogue import Catalogue
from common.errors import Issue, IssuesError
from common.yamlfile import decode_text, validation_message

from .._tables import ORG_COLUMN, TABLES, CellError, Column, columns, from_cells, from_excel_text
from ..errors import InventoryError
from ..models import Landscape, OrganisationInventory, reference_errors
from .bounded_xlsx import Limits, WorkbookRefused, open_xlsx

__all__ = ["load_csv_folder", "load_xlsx"]

# A table as read: its file label and rows of (row number, {column: value}).
_Table = tuple[str, list[tuple[int, dict[str, Any]]], list[str]]


def _csv_tables(root: Path) -> tuple[dict[str, _Table], list[Issue]]:
    tables: dict[str, _Table] = {}
    issues: list[Issue] = []
    for name, model, _ in TABLES:
        label = f"{name}.csv"
        path = root / label
        if not path.is_file():
            issues.append(Issue(label, None, None, (), "file missing"))
            continue
        raw = path.read_bytes()
        try:
            text = decode_text(label, raw)
        except IssuesError as exc:
            issues.extend(exc.issues)
            continue
        # German Excel's CSV (``inventory export --excel``): UTF-8 with BOM, semicolons, decimal comma
        excel = raw.startswith(codecs.BOM_UTF8) and ";" in text.partition("\n")[0]
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ",")
            header = next(reader, [])
            rows = [(i, dict(zip(header, r, strict=False))) for i, r in enumerate(reader, start=2) if any(r)]
            issues.extend(_duplicate_columns(label, header))
            if excel:
                cols = {c.name: c for c in columns(model)}
                rows = [(i, {k: from_excel_text(v, cols[k]) if k in cols else v for k, v in r.items()})
                        for i, r in rows]
        except csv.Error as exc:
            issues.append(Issue(label, None, None, (), f"invalid CSV: {exc}"))
            continue
        tables[name] = (label, rows, header)
    return tables, issues


MAX_ROWS = 1_048_576
"""Rows per sheet: what Excel itself can hold (a Germany-scale export has about 1,000,000)."""
MAX_INFLATED = 2 * 1024**3
"""Bytes of XML a workbook may unpack to (a Germany-scale export is well below half of it)."""
MAX_RATIO = 200
"""Unpacked ÷ packed size above which a part of more than 16 MiB is taken for a zip bomb
(spreadsheet XML packs about 5–30 : 1; the bomb found in testing packed 800 : 1)."""
LIMITS = Limits(max_file_bytes=MAX_INFLATED, max_uncompressed_bytes=MAX_INFLATED, max_ratio=MAX_RATIO,
                ratio_above=16 * 1024**2)
"""The bounded reader's limits for an inventory workbook (the Erhebung's questionnaires keep the defaults)."""


def _duplicate_columns(label: str, header: list[str], name: Any = str) -> list[Issue]:
    """A column header that appears twice (the second would silently win)."""
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header, start=1):
        if h and h in seen:
            out.append(Issue(label, 1, i, (h,), f"duplicate column (also column {name(seen[h])})"))
        seen.setdefault(h, i)
    return out


def _sheet_rows(ws: Any, label: str, issues: list[Issue]) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Header and rows of one sheet; formula cells, duplicate headers and too many rows become issues."""
    from openpyxl.utils import get_column_letter

    it = ws.iter_rows()
    header_cells = next(it, ())
    header = [str(c.value) if c.value is not None else "" for c in header_cells]
    issues.extend(_duplicate_columns(label, header, get_column_letter))
    rows: list[tuple[int, dict[str, Any]]] = []
    for rownum, cells in enumerate(it, start=2):
        if rownum > MAX_ROWS:
            issues.append(Issue(label, rownum, None, (), f"more than {MAX_ROWS:,} rows (the most Excel can hold)"
                                .replace(",", ".")))
            break
        values = []
        for col, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                name = header[col - 1] if col <= len(header) else ""
                issues.append(Issue(label, rownum, col, (name,) if name else (),
                                    "formulas are not accepted: enter the value itself"))
                values.append(None)
            else:
                values.append(cell.value)
        if any(v not in (None, "") for v in values):
            rows.append((rownum, dict(zip(header, values, strict=False))))
    return header, rows


def _xlsx_tables(path: Path) -> tuple[dict[str, _Table], list[Issue]]:
    label0 = path.name
    tables: dict[str, _Table] = {}
    issues: list[Issue] = []
    try:
        wb = open_xlsx(path, LIMITS)  # formulas seen as formulas, not cached values
    except WorkbookRefused as exc:
        raise InventoryError([Issue(label0, None, None, (), exc.reason)]) from None
    try:
        for name, _, _ in TABLES:
            label = f"{label0}[{name}]"
            if name not in wb.sheetnames:
                issues.append(Issue(label, None, None, (), "sheet missing"))
                continue
            header, rows = _sheet_rows(wb[name], label, issues)
            tables[name] = (label, rows, header)
    except Exception as exc:  # noqa: BLE001 — openpyxl and its XML parser raise many types for a broken file
        raise InventoryError([Issue(label0, None, None, (), f"not a readable XLSX workbook "
                                    f"({type(exc).__name__}: {str(exc)[:200]})")]) from None
    finally:
        wb.close()
    return tables, issues


def _check_header(table: _Table, cols: list[Column], per_org: bool) -> list[Issue]:
    label, _, header = table
    known = {c.name for c in cols} | ({ORG_COLUMN} if per_org else set())
    out = [Issue(label, 1, i + 1, (h,), "unknown column") for i, h in enumerate(header) if h and h not in known]
    if per_org and ORG_COLUMN not in header:
        out.append(Issue(label, 1, None, (ORG_COLUMN,), "column missing"))
    return out


def _issues(exc: ValidationError, label: str, rownum: int, header: list[str], loc_prefix: tuple) -> list[Issue]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        colname = ".".join(str(p) for p in loc if isinstance(p, str))
        col = header.index(colname) + 1 if colname in header else None
        out.append(Issue(label, rownum, col, loc_prefix + loc, validation_message(err)))
    return out


def _cell_issue(exc: CellError, label: str, rownum: int, header: list[str]) -> Issue:
    return Issue(label, rownum, header.index(exc.column) + 1 if exc.column in header else None, (exc.column,), str(exc))


def _assemble(tables: dict[str, _Table], issues: list[Issue]) -> Landscape:
    models = {name: (model, per_org) for name, model, per_org in TABLES}
    for name, table in tables.items():
        issues.extend(_check_header(table, columns(models[name][0]), models[name][1]))
    if issues:
        raise InventoryError(issues)

    def build(name: str) -> list[tuple[int, BaseModel | None, dict[str, Any]]]:
        model, _ = models[name]
        cols = columns(model)
        label, rows, header = tables[name]
        out = []
        for rownum, cells in rows:
            try:
                out.append((rownum, model.model_validate(from_cells(cells, cols)), cells))
            except ValidationError as exc:
                issues.extend(_issues(exc, label, rownum, header, ()))
                out.append((rownum, None, cells))
            except CellError as exc:
                issues.append(_cell_issue(exc, label, rownum, header))
                out.append((rownum, None, cells))
        return out

    meta_rows = build("landscape")
    if len(meta_rows) != 1:
        issues.append(Issue(tables["landscape"][0], None, None, (), "needs exactly one row"))
    catalogue = {n: tuple(m for _, m, _ in build(n) if m is not None) for n in ("domains", "products", "bsi_modules")}
    orgs = build("organisations")
    per_org: dict[str, dict[str, list[tuple[int, Any]]]] = {}
    row_of: dict[tuple[str, str, int], tuple[str, int, list[str]]] = {}
    org_ids = {m.id for _, m, _ in orgs if m is not None} | {
        str(c.get("id")) for _, m, c in orgs if m is None}
    for name, _, is_org in TABLES:
        if not is_org:
            continue
        model = models[name][0]
        cols = columns(model)
        label, rows, header = tables[name]
        for rownum, cells in rows:
            oid = cells.get(ORG_COLUMN)
            oid = str(oid) if oid not in (None, "") else ""
            if oid not in org_ids:
                issues.append(Issue(label, rownum, header.index(ORG_COLUMN) + 1, (ORG_COLUMN,),
                                    f"unknown organisation {oid!r}" if oid else "organisation missing"))
                continue
            try:
                data = from_cells(cells, cols)
            except CellError as exc:
                issues.append(_cell_issue(exc, label, rownum, header))
                continue
            bucket = per_org.setdefault(oid, {}).setdefault(name, [])
            row_of[(oid, name, len(bucket))] = (label, rownum, header)
            bucket.append((rownum, data))
    inventories: list[OrganisationInventory] = []
    for _, org, _ in orgs:
        if org is None:
            continue
        parts = per_org.get(org.id, {})
        data = {"organisation": org.model_dump()} | {k: [d for _, d in v] for k, v in parts.items()}
        try:
            inventories.append(OrganisationInventory.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(err["loc"])
                if len(loc) >= 2 and isinstance(loc[1], int) and (org.id, loc[0], loc[1]) in row_of:
                    label, rownum, header = row_of[(org.id, str(loc[0]), loc[1])]
                    colname = ".".join(str(p) for p in loc[2:] if isinstance(p, str))
                    col = header.index(colname) + 1 if colname in header else None
                    issues.append(Issue(label, rownum, col, loc, validation_message(err)))
                else:
                    issues.append(Issue(tables["organisations"][0], None, None, (org.id, *loc), validation_message(err)))
    if issues:
        raise InventoryError(issues)
    inventories.sort(key=lambda o: o.organisation.id)
    landscape = Landscape.model_construct(
        meta=meta_rows[0][1], catalogue=Catalogue(**catalogue), organisations=tuple(inventories))
    for r in reference_errors(landscape):
        if r.org_index is None:
            label = tables[str(r.loc[0])][0]
            rownum = tables[str(r.loc[0])][1][int(r.loc[1])][0] if len(r.loc) > 1 else None
            issues.append(Issue(label, rownum, None, r.loc, r.msg))
            continue
        oid = inventories[r.org_index].organisation.id
        if r.loc[0] == "organisation":
            rownum = next(n for n, m, _ in orgs if m is not None and m.id == oid)
            issues.append(Issue(tables["organisations"][0], rownum, None, r.loc, r.msg))
            continue
        label, rownum, header = row_of[(oid, str(r.loc[0]), int(r.loc[1]))]
        col = header.index(str(r.loc[2])) + 1 if len(r.loc) > 2 and str(r.loc[2]) in header else None
        issues.append(Issue(label, rownum, col, r.loc, r.msg))
    if issues:
        raise InventoryError(issues)
    return landscape


def load_csv_folder(root: str | Path) -> Landscape:
    tables, issues = _csv_tables(Path(root))
    return _assemble(tables, issues)


def load_xlsx(path: str | Path) -> Landscape:
    tables, issues = _xlsx_tables(Path(path))
    return _assemble(tables, issues)
