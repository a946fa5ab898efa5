"""The board paper's recommendation rule, one for the Beschlussvorlage and the sweep.

A rule names the option figure it compares and whether higher is better (:data:`RULES`).
Among the eligible options — those without a missed hard deadline — the one with the best
figure is recommended; ties go to the option listed first; without an eligible option
there is no recommendation. :func:`recommend` applies a rule to any kind of option: the
Vorlage's option views (``reports.vorlage``) and the sweep's figures per option
(``sweep.engine``) each say how to read the figure and eligibility of theirs.

>>> sorted(RULES)
['npv_savings', 'one_off', 'tco_savings']
>>> recommend([("a", 10, True), ("b", 12, True), ("c", 99, False)], "npv_savings",
...           figure=lambda o: o[1], eligible=lambda o: o[2])
('b', 12, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

__all__ = ["DEFAULT_RULE", "RULES", "Rule", "recommend"]

class Rule(NamedTuple):
    figure: str
    """The option figure compared (its name on the Vorlage's option view)."""
    higher: bool
    """Higher is better (else lower)."""


RULES: dict[str, Rule] = {
    "npv_savings": Rule("npv_savings", True),
    "tco_savings": Rule("tco_savings", True),
    "one_off": Rule("one_off", False),
}
"""Recommendation rule → (option figure, higher is better)."""

DEFAULT_RULE = "npv_savings"
"""The board paper's default rule: the highest NPV saving."""


def recommend[T](options: Iterable[T], rule: str, *, figure: Callable[[T], Any],
                 eligible: Callable[[T], bool]) -> T | None:
    """The option ``rule`` picks: the best ``figure`` among the ``eligible`` options (ties: the first listed)."""
    higher = RULES[rule].higher
    best, best_value = None, None
    for o in options:
        if not eligible(o):
            continue
        v = figure(o)
        if best is None or ((v > best_value) if higher else (v < best_value)):
            best, best_value = o, v
    return best
