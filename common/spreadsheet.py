"""The spreadsheet formula guard (OWASP CSV injection): one for every CSV and XLSX we write.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or CR) is written with a leading apostrophe; :func:`unneutralise` strips exactly that
apostrophe, so a round trip is lossless and no formula ever runs.
"""

from __future__ import annotations

__all__ = ["neutralise", "unneutralise"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Make text safe for a spreadsheet cell (and reversible with :func:`unneutralise`).

    >>> neutralise("=HYPERLINK(1)"), neutralise("Rathaus")
    ("'=HYPERLINK(1)", 'Rathaus')
    """
    if text.startswith(_FORMULA_START) or text.startswith("'"):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """The inverse of :func:`neutralise`.

    >>> unneutralise(neutralise("=1+1")), unneutralise("'Rathaus")
    ('=1+1', "'Rathaus")
    """
    if text.startswith("'") and len(text) > 1 and (text[1] in _FORMULA_START or text[1] == "'"):
        return text[1:]
    return text
