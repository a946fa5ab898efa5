"""Shared machinery of the CSV/XLSX formats: which tables, which columns, cell encoding.

A landscape becomes flat tables: ``landscape`` (one row), ``domains``, ``products``,
``bsi_modules``, ``organisations`` and, each with a leading ``org`` column, ``sites``,
``hosts``, ``systems``, ``dependencies``, ``online_services``. Nested models become dotted
columns (``contract.notice_months``); tuples are ``a; b`` (JSON when an item holds ``;``).

Text cells pass the formula guard of :mod:`common.spreadsheet` on the way out and back.
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from common.catalogue import BsiModule, Domain, Product
from common.errors import InputError
from common.german import parse_date, parse_ja_nein, parse_number
from common.spreadsheet import unneutralise

from .models import Dependency, Host, LandscapeMeta, OnlineService, Organisation, Site, System

#: (table name, model, per-organisation?) in the order tables are written.
TABLES: tuple[tuple[str, type[BaseModel], bool], ...] = (
    ("landscape", LandscapeMeta, False),
    ("domains", Domain, False),
    ("products", Product, False),
    ("bsi_modules", BsiModule, False),
    ("organisations", Organisation, False),
    ("sites", Site, True),
    ("hosts", Host, True),
    ("systems", System, True),
    ("dependencies", Dependency, True),
    ("online_services", OnlineService, True),
)
ORG_COLUMN = "org"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    path: tuple[str, ...]
    is_list: bool
    py_type: Any


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional?) of ``X | None``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _base(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def columns(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Column]:
    out: list[Column] = []
    for name, field in model.model_fields.items():
        ann, _ = _unwrap(field.annotation)
        ann = _base(ann)
        path = prefix + (name,)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.extend(columns(ann, path))
        elif typing.get_origin(ann) is tuple:
            out.append(Column(".".join(path), path, True, str))
        else:
            out.append(Column(".".join(path), path, False, ann))
    return out


def get_path(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for p in path:
        if data is None:
            return None
        data = data.get(p)
    return data


def encode_list(items: list[Any]) -> str:
    items = [str(i) for i in items]
    if any(";" in i or i.startswith("[") or i != i.strip() for i in items):
        return json.dumps(items, ensure_ascii=False)
    return "; ".join(items)


def decode_list(text: str) -> list[str]:
    """A list cell: items separated by ``;``, or a JSON list (``["a; b", "c"]``).

    Raises
    ------
    ValueError
        A cell that starts with ``[`` but is not a JSON list of plain values.
    """
    text = text.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise ValueError("not a list: a cell starting with '[' must be a JSON list such as "
                             '["a", "b"]; or write the items separated by ";"') from None
        if not isinstance(items, list) or any(isinstance(i, (list, dict)) for i in items):
            raise ValueError("not a list of plain values")
        return items
    return [t.strip() for t in text.split(";") if t.strip()]


_WHOLE = re.compile(r"[+-]?\d+")


def _number(text: str, kind: type) -> int | float | Decimal | str:
    """A number cell's text (CSV) as a number; anything else unchanged, for the model to reject."""
    t = text.strip()
    if _WHOLE.fullmatch(t):
        return Decimal(t) if kind is Decimal else int(t)
    try:
        n = Decimal(t) if kind is Decimal else float(t)
    except (ValueError, ArithmeticError):
        return text
    finite = n.is_finite() if isinstance(n, Decimal) else math.isfinite(n)
    return n if finite else text


class CellError(InputError):
    """A cell that cannot be read (``column`` is its header); the loader turns it into an Issue with its place."""

    def __init__(self, column: str, message: str) -> None:
        self.column = column
        super().__init__(message)

    def __reduce__(self):
        return type(self), (self.column, str(self))


def plain(value: Any) -> Any:
    """A python-mode dump value → a cell value (str, int, float, bool, date or None)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def to_row(record: BaseModel, cols: list[Column]) -> list[Any]:
    data = record.model_dump()
    row = []
    for c in cols:
        v = get_path(data, c.path)
        if c.is_list:
            row.append(encode_list([plain(x) for x in v]) if v else None)
        else:
            row.append(plain(v))
    return row


def from_cells(cells: dict[str, Any], cols: list[Column]) -> dict[str, Any]:
    """Cell values by column name → nested dict for ``model_validate``; empty cells are left out."""
    out: dict[str, Any] = {}
    for c in cols:
        v = cells.get(c.name)
        if v is None or (isinstance(v, str) and v == ""):
            continue
        if isinstance(v, str):
            v = unneutralise(v)
            if c.py_type in (int, float, Decimal):
                v = _number(v, c.py_type)
            elif c.is_list:
                try:
                    v = decode_list(v)
                except ValueError as exc:
                    raise CellError(c.name, str(exc)) from None
        elif isinstance(v, float) and c.py_type is int and v.is_integer():
            v = int(v)  # a spreadsheet keeps every number as a float
        elif isinstance(v, datetime):
            v = v.date() if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) else v
        target = out
        for p in c.path[:-1]:
            target = target.setdefault(p, {})
        target[c.path[-1]] = v
    return out


def is_date_type(t: Any) -> bool:
    return t is date


def from_excel_text(text: str, col: Column) -> str:
    """A cell of a German Excel CSV (``12.500,50``, ``31.12.2030``, ``ja``/``nein``) → the canonical
    text, read by the one German cell reader (:mod:`common.german`, the Erhebung's too); text that
    is not a German number, date or ja/nein is left as it is, for the model to reject with its place.

    >>> c = Column("contract.annual_cost", ("contract", "annual_cost"), False, Decimal)
    >>> from_excel_text("9710,5", c), from_excel_text("12.500,00", c), from_excel_text("viel", c)
    ('9710.5', '12500.00', 'viel')
    >>> from_excel_text("31.12.2030", Column("end", ("end",), False, date))
    '2030-12-31'
    """
    t = col.py_type
    if col.is_list or not text:
        return text
    if t in (float, Decimal, int):
        n = parse_number(text)
        return text if n is None else str(n)
    if t is date:
        try:
            d = parse_date(text)
        except ValueError:  # no such day: the model names it
            return text
        return text if d is None else d.isoformat()
    if t is bool:
        b = parse_ja_nein(text)
        return text if b is None else ("true" if b else "false")
    return text
