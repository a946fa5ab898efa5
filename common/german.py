"""Numbers, amounts and dates the way a German reader writes them, and back: one place for both.

Writing (:func:`number`, :func:`money`, :func:`date_text`) serves the report's translator
(``reports.messages.Translator``) and the Erhebung's change report; ``lang="en"`` gives the
English forms. Reading (:func:`parse_number`, :func:`parse_date`, :func:`parse_ja_nein`) takes
what a clerk types into a cell or what German Excel writes into a CSV: the Erhebung's
normalisation (``erhebung.normalise``) and the inventory's Excel CSV (``inventory._tables``)
read with it.

>>> number(12500.5, 2), money(-5), date_text(dt.date(2030, 12, 31))
('12.500,50', '−5,00 €', '31.12.2030')
>>> parse_number("12.500,00 €"), parse_date("31.12.30"), parse_ja_nein(" Ja ")
(Decimal('12500.00'), datetime.date(2030, 12, 31), True)
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Literal

__all__ = ["Lang", "date_text", "money", "number", "parse_date", "parse_ja_nein", "parse_number"]

Lang = Literal["de", "en"]

MINUS = "−"
"""U+2212: the typographic minus of every formatted negative number."""


def number(value: float | Decimal, digits: int = 0, lang: Lang = "de") -> str:
    """``1234.5`` → ``1.234,5`` (de) / ``1,234.5`` (en) with ``digits`` places; what rounds to zero
    has no sign (never ``−0``).

    >>> number(-1234.5, 1), number(-0.4), number(-0.004, 2), number(7, lang="en")
    ('−1.234,5', '0', '0,00', '7')
    """
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and not text.strip("-0,."):
        text = text[1:]
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return MINUS + text[1:] if text.startswith("-") else text


def money(value: float | Decimal, lang: Lang = "de") -> str:
    """An amount to the cent: ``12.500,00 €`` / ``€12,500.00``.

    >>> money(Decimal("12500")), money(-5, "en"), money(-0.004)
    ('12.500,00 €', '−€5.00', '0,00 €')
    """
    text = number(Decimal(str(value)).quantize(Decimal("0.01")), 2, lang)
    if lang == "de":
        return f"{text} €"
    return f"{MINUS}€{text[1:]}" if text.startswith(MINUS) else f"€{text}"


def date_text(value: dt.date | dt.datetime, lang: Lang = "de") -> str:
    """``31.12.2030`` / ``2030-12-31``; a time stamp with time and zone.

    >>> date_text(dt.date(2030, 12, 31), "en"), date_text(dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC))
    ('2030-12-31', '02.01.2026 03:04 UTC')
    """
    if isinstance(value, dt.datetime):
        stamp = value.strftime("%d.%m.%Y %H:%M" if lang == "de" else "%Y-%m-%d %H:%M")
        return f"{stamp} {value.tzname() or ''}".strip()
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


_NOISE = re.compile(r"(?i)\s|\u00a0|\u202f|€|eur(?:o)?\b")
_DIGITS = re.compile(r"[-−]?[0-9][0-9.,']*")
_GROUPED = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+")


def parse_number(text: object) -> Decimal | None:
    """German (or unambiguous English) number text → Decimal; ``None`` when it is not a number.

    ``12.500,00 €``, ``9.710,50 EUR``, ``12,5``, ``1.200`` (twelve hundred: a German sheet groups
    thousands with dots), ``12,500.00`` and ``12'500`` are numbers; ``1.2.3`` and ``1,2,3`` are not.

    >>> parse_number("12.500,00 €"), parse_number("1.200"), parse_number("9710,5"), parse_number("1.5")
    (Decimal('12500.00'), Decimal('1200'), Decimal('9710.5'), Decimal('1.5'))
    >>> parse_number("12,500.00"), parse_number("1,2,3"), parse_number("viel"), parse_number(2.5)
    (Decimal('12500.00'), None, None, Decimal('2.5'))
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    if isinstance(text, Decimal):
        return text
    s = _NOISE.sub("", str(text))
    if not _DIGITS.fullmatch(s):
        return None
    s = s.replace("'", "").replace(MINUS, "-")
    if "," in s and "." in s:
        if s.rfind(",") < s.rfind("."):  # 12,500.00 (English) — accepted, it is unambiguous
            s = s.replace(",", "")
        else:
            s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        if s.count(",") > 1:
            return None
        s = s.replace(",", ".")
    elif s.count(".") > 1 or re.fullmatch(r"-?[0-9]{1,3}\.[0-9]{3}", s):
        if not _GROUPED.fullmatch(s):
            return None
        s = s.replace(".", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


_DATE_DE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_date(text: str) -> dt.date | None:
    """``31.12.2030``, ``31.12.30``, ``1. 1. 2027`` or ``2030-12-31`` → the date; ``None`` when it is
    not written as a date.

    Raises
    ------
    ValueError
        Written as a date, but no such day (``31.02.2030``).

    >>> parse_date("1.1.27"), parse_date(" 2030-12-31 "), parse_date("morgen")
    (datetime.date(2027, 1, 1), datetime.date(2030, 12, 31), None)
    """
    s = text.strip()
    if m := _DATE_DE.match(s):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        y = y + 2000 if y < 100 else y
    elif m := _DATE_ISO.match(s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    return dt.date(y, mo, d)


def parse_ja_nein(text: str) -> bool | None:
    """``ja``/``nein`` in any case and with spaces → True/False; anything else ``None``.

    >>> parse_ja_nein("NEIN"), parse_ja_nein("vielleicht")
    (False, None)
    """
    return {"ja": True, "nein": False}.get(text.strip().casefold())
