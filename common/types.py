"""Constrained types every package shares (pydantic ``Annotated`` types) and the shared vocabulary.

Identifiers, names and free text, money, CIDR prefixes, years and dates; the BSI
Schutzbedarf, the Betriebsart (who does the work) and the domain category. The landscape's
own vocabulary (AGS, kinds of organisation, site and host) lives in :mod:`inventory.types`.
Validators raise ``ValueError`` so pydantic reports them with their location.
"""

from __future__ import annotations

import ipaddress
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, PlainSerializer, StringConstraints

__all__ = [
    "CIDR",
    "Betriebsart",
    "Date",
    "DomainCategory",
    "Id",
    "Money",
    "NonEmptyStr",
    "Rate",
    "Schutzbedarf",
    "SignedMoney",
    "Text",
    "Year",
]

_ID_RE = r"^[a-z0-9][a-z0-9._-]{0,127}$"

Id = Annotated[str, StringConstraints(pattern=_ID_RE)]
"""A stable identifier: lower-case ASCII letters, digits, ``.``, ``_`` and ``-``, at most 128 characters."""

_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=_NO_CONTROL)]
"""A name or label: trimmed, 1–500 characters, no control characters."""

Text = Annotated[str, StringConstraints(max_length=10_000, pattern=_NO_CONTROL)]
"""Free text (notes, descriptions, sources): no control characters except tab and newlines."""

Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=15, decimal_places=2),
    PlainSerializer(lambda v: float(v), return_type=float, when_used="json"),
]
"""An amount in EUR with cent precision, never negative."""

SignedMoney = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2),
    PlainSerializer(lambda v: float(v), return_type=float, when_used="json"),
]
"""A difference of amounts in EUR with cent precision (negative: a loss); a number in JSON like ``Money``."""

Rate = Annotated[
    Decimal,
    Field(ge=0, le=1),
    PlainSerializer(lambda v: float(v), return_type=float, when_used="json"),
]
"""A yearly rate as a fraction (0.03 = 3 %); a number in JSON."""


def _check_cidr(value: str) -> str:
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"not a CIDR prefix with host bits zero: {exc}") from None
    return str(net)


CIDR = Annotated[str, AfterValidator(_check_cidr)]
"""An IPv4 or IPv6 prefix in CIDR notation with host bits zero, e.g. ``10.20.0.0/24``."""

Year = Annotated[int, Field(ge=1900, le=2100)]
Date = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]


class Schutzbedarf(StrEnum):
    """BSI protection requirement category (BSI-Standard 200-2)."""

    NORMAL = "normal"
    HOCH = "hoch"
    SEHR_HOCH = "sehr hoch"

    @property
    def rank(self) -> int:
        return _SB_RANK[self]


_SB_RANK = {Schutzbedarf.NORMAL: 0, Schutzbedarf.HOCH: 1, Schutzbedarf.SEHR_HOCH: 2}


class Betriebsart(StrEnum):
    """Who does the work: the organisation itself or a contractor."""

    EIGENLEISTUNG = "Eigenleistung"
    FREMDLEISTUNG = "Fremdleistung"


class DomainCategory(StrEnum):
    FACHVERFAHREN = "Fachverfahren"
    BASIS_IT = "Basis-IT"
    PLATTFORM = "Plattform"
