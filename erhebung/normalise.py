"""What a clerk types, turned into model values: German dates, amounts, labels, ja/nein.

Every function takes a cell value (whatever openpyxl read: str, int, float, datetime, None) and
returns the model value or ``None`` for an empty cell, or raises :class:`Unzulaessig` with the
message in German and English.

>>> datum("31.12.2030"), datum(47484)
(datetime.date(2030, 12, 31), datetime.date(2030, 1, 1))
>>> betrag("12.500,00 €"), betrag("12.500 €"), betrag(9710.5)
(Decimal('12500.00'), Decimal('12500'), Decimal('9710.5'))
>>> from erhebung.spalten import ENUMS
>>> auswahl(" HOCH ", ENUMS["schutzbedarf"])
'hoch'
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from common.errors import InputError
from common.german import date_text, parse_date, parse_number

from .spalten import Auswahl

__all__ = ["Unzulaessig", "auswahl", "betrag", "datum", "ganzzahl", "text", "zitat"]


class Unzulaessig(InputError, ValueError):
    """A cell value that cannot be taken; ``de`` and ``en`` are the messages (without the place)."""

    def __init__(self, de: str, en: str):
        self.de = de
        self.en = en
        super().__init__(de)


def zitat(value: Any, lang: str = "de") -> str:
    """The value as the clerk typed it, quoted: „sehr  hoch“ (German) or "sehr  hoch" (English)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        value = date_text(value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value)
    if len(s) > 60:
        s = s[:57] + "…"
    return f"„{s}“" if lang == "de" else f'"{s}"'


def _leer(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def text(value: Any) -> str | None:
    """Trimmed text; a number typed into a text cell (a version 2016) becomes its plain digits.

    >>> text("  Rathaus "), text(2016), text(2015.4), text("")
    ('Rathaus', '2016', '2015.4', None)
    """
    if _leer(value):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return date_text(value)
    return str(value).strip()


_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in for serials > 60)


def datum(value: Any) -> date | None:
    """A date: a date cell, an Excel serial number, ``31.12.2030``, ``31.12.30`` or ``2030-12-31``.

    >>> datum("1.1.27"), datum("2030-12-31"), datum(None)
    (datetime.date(2027, 1, 1), datetime.date(2030, 12, 31), None)
    """
    if _leer(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 18264 <= value <= 73415 and float(value).is_integer():  # 1950-01-01 … 2100-12-31
            return _EPOCH + timedelta(days=int(value))
        raise Unzulaessig(f"{zitat(value)} ist kein Datum — Format: TT.MM.JJJJ, z. B. 31.12.2030",
                          f"{zitat(value, 'en')} is not a date — format: DD.MM.YYYY, e.g. 31.12.2030")
    try:
        d = parse_date(str(value))
    except ValueError:
        raise Unzulaessig(f"{zitat(value)} ist kein gültiges Datum (diesen Tag gibt es nicht)",
                          f"{zitat(value, 'en')} is not a valid date (no such day)") from None
    if d is None:
        raise Unzulaessig(f"{zitat(value)} ist kein Datum — Format: TT.MM.JJJJ, z. B. 31.12.2030",
                          f"{zitat(value, 'en')} is not a date — format: DD.MM.YYYY, e.g. 31.12.2030")
    return d


def betrag(value: Any) -> Decimal | None:
    """An amount in euro: a number cell, ``12.500,00 €``, ``12500``, ``9.710,50 EUR``."""
    if _leer(value):
        return None
    d = parse_number(value)
    if d is None:
        raise Unzulaessig(f"{zitat(value)} ist kein Betrag — bitte in Euro angeben, z. B. 12.500,00",
                          f"{zitat(value, 'en')} is not an amount — give euros, e.g. 12.500,00")
    if d < 0:
        raise Unzulaessig(f"{zitat(value)}: der Betrag darf nicht negativ sein",
                          f"{zitat(value, 'en')}: the amount must not be negative")
    if d != d.quantize(Decimal("0.01")):
        raise Unzulaessig(f"{zitat(value)}: höchstens zwei Nachkommastellen (Cent)",
                          f"{zitat(value, 'en')}: at most two decimal places (cents)")
    return d


def ganzzahl(value: Any) -> int | None:
    """A whole number: ``1200``, ``1.200``, ``12,0``; never negative.

    >>> ganzzahl("1.200"), ganzzahl(7.0), ganzzahl(" 24 ")
    (1200, 7, 24)
    """
    if _leer(value):
        return None
    d = parse_number(value)
    if d is None or d != d.to_integral_value():
        raise Unzulaessig(f"{zitat(value)} ist keine ganze Zahl", f"{zitat(value, 'en')} is not a whole number")
    if d < 0:
        raise Unzulaessig(f"{zitat(value)}: die Zahl darf nicht negativ sein",
                          f"{zitat(value, 'en')}: the number must not be negative")
    return int(d)


def _key(s: str) -> str:
    return s.strip().casefold()


def auswahl(value: Any, choices: Auswahl) -> str | None:
    """A dropdown value: its label in any case, with surrounding spaces, or an accepted alias."""
    if _leer(value):
        return None
    s = text(value) or ""
    k = _key(s)
    for label, v in choices.labels:
        if _key(label) == k or _key(v) == k:
            return v
    for alias, v in choices.aliases:
        if _key(alias) == k:
            return v
    allowed = ", ".join(lbl for lbl, _ in choices.labels)
    raise Unzulaessig(f"{zitat(value)} ist {choices.kein_de} — erlaubt: {allowed}",
                      f"{zitat(value, 'en')} is {choices.kein_en} — allowed: {allowed}")
