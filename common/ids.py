"""Stable ids from German names, and German text in ASCII."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_german", "slugify"]

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"})


def ascii_german(text: str) -> str:
    """German text in ASCII: umlauts and ß spelled out, other accents dropped.

    >>> ascii_german("Überherrn, Straße, Rémelfing")
    'Ueberherrn, Strasse, Remelfing'
    """
    return unicodedata.normalize("NFKD", text.translate(_UMLAUTS)).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    """A stable id from a German name.

    >>> slugify("Sulzbach/Saar"), slugify("St. Ingbert"), slugify("Überherrn")
    ('sulzbach-saar', 'st-ingbert', 'ueberherrn')
    """
    return re.sub(r"[^a-z0-9]+", "-", ascii_german(text).lower()).strip("-")[:100]
