"""The plan's quarter calendar: quarter 0 starts on the scenario's start day (a quarter's first day).

The planner labels its waves with it and the reports lay out their time axes with it, so both
count quarters the same way.

>>> from datetime import date
>>> quarter_start(date(2027, 1, 1), 5), quarter_label(date(2027, 1, 1), 5)
(datetime.date(2028, 4, 1), '2028-Q2')
>>> quarter_of(date(2027, 1, 1), date(2027, 8, 1))
2
"""

from __future__ import annotations

from datetime import date

__all__ = ["first_open_quarter", "quarter_label", "quarter_of", "quarter_start"]


def quarter_start(start: date, quarter: int) -> date:
    """First day of quarter ``quarter`` counted from ``start``.

    >>> quarter_start(date(2027, 1, 1), 5)
    datetime.date(2028, 4, 1)
    """
    m = start.year * 12 + start.month - 1 + 3 * quarter
    return date(m // 12, m % 12 + 1, 1)


def quarter_label(start: date, quarter: int) -> str:
    """``"2028-Q2"`` for quarter 5 from 2027-01-01.

    >>> quarter_label(date(2027, 1, 1), 5)
    '2028-Q2'
    """
    d = quarter_start(start, quarter)
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def quarter_of(start: date, day: date) -> int:
    """Index of the quarter holding ``day`` (negative before ``start``, may lie beyond any horizon).

    >>> quarter_of(date(2027, 1, 1), date(2026, 12, 31))
    -1
    """
    return (day.year - start.year) * 4 + (day.month - 1) // 3 - (start.month - 1) // 3


def first_open_quarter(start: date, as_of: date) -> int:
    """The as-of quarter: the first quarter that begins on or after ``as_of`` (a quarter already under way is
    not planned anew), counted from ``start``; 0 when ``as_of`` lies before ``start``.

    >>> first_open_quarter(date(2026, 1, 1), date(2026, 12, 5)), first_open_quarter(date(2026, 1, 1), date(2027, 4, 1))
    (4, 5)
    >>> first_open_quarter(date(2027, 1, 1), date(2026, 3, 1))
    0
    """
    q = quarter_of(start, as_of)
    if as_of != quarter_start(start, q):
        q += 1
    return max(q, 0)
