"""Read the CSV folder or XLSX workbook written by :mod:`inventory.write.table`.

Errors name the file (and sheet), the row and the column, e.g.
``systems.csv:12:9 systems[3].contract.notice_months: must be ≥ 0``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from common.catalogue import Catalogue
from common.errors import InventoryError, Issue
from common.yamlfile import _decode, _message

from .._tables import ORG_COLUMN, TABLES, Column, columns, from_cells
from ..models import Landscape, OrganisationInventory, reference_errors

__all__ = ["load_csv_folder", "load_xlsx"]

# A table as read: its file label and rows of (row number, {column: value}).
_Table = tuple[str, list[tuple[int, dict[str, Any]]], list[str]]


def _csv_tables(root: Path) -> tuple[dict[str, _Table], list[Issue]]:
    tables: dict[str, _Table] = {}
    issues: list[Issue] = []
    for name, _, _ in TABLES:
        label = f"{name}.csv"
        path = root / label
        if not path.is_file():
            issues.append(Issue(label, None, None, (), "file missing"))
            continue
        try:
            text = _decode(label, path.read_bytes())
        except InventoryError as exc:
            issues.extend(exc.issues)
            continue
        try:
            reader = csv.reader(io.StringIO(text, newline=""))
            header = next(reader)
            rows = [(i, dict(zip(header, r, strict=False))) for i, r in enumerate(reader, start=2) if any(r)]
        except csv.Error as exc:
            issues.append(Issue(label, None, None, (), f"invalid CSV: {exc}"))
            continue
        tables[name] = (label, rows, header)
    return tables, issues


def _xlsx_tables(path: Path) -> tuple[dict[str, _Table], list[Issue]]:
    from openpyxl import load_workbook

    label0 = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many types for a broken file
        raise InventoryError([Issue(label0, None, None, (), f"not a readable XLSX workbook ({type(exc).__name__})")]) from None
    tables: dict[str, _Table] = {}
    issues: list[Issue] = []
    for name, _, _ in TABLES:
        label = f"{label0}[{name}]"
        if name not in wb.sheetnames:
            issues.append(Issue(label, None, None, (), "sheet missing"))
            continue
        it: Iterator[tuple[Any, ...]] = wb[name].iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(it, ())]
        rows = [(i, dict(zip(header, r, strict=False))) for i, r in enumerate(it, start=2)
                if any(v not in (None, "") for v in r)]
        tables[name] = (label, rows, header)
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
        out.append(Issue(label, rownum, col, loc_prefix + loc, _message(err)))
    return out


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
            bucket = per_org.setdefault(oid, {}).setdefault(name, [])
            row_of[(oid, name, len(bucket))] = (label, rownum, header)
            bucket.append((rownum, from_cells(cells, cols)))
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
                    issues.append(Issue(label, rownum, col, loc, _message(err)))
                else:
                    issues.append(Issue(tables["organisations"][0], None, None, (org.id, *loc), _message(err)))
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
