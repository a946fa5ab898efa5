"""Stable ids from German names."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]


def slugify(text: str) -> str:
    """A stable id from a German name.

    >>> slugify("Sulzbach/Saar"), slugify("St. Ingbert"), slugify("Überherrn")
    ('sulzbach-saar', 'st-ingbert', 'ueberherrn')
    """
    text = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:100]
