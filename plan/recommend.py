"""The board paper's recommendation rule, one for the Beschlussvorlage and the sweep.

A rule names the option figure it compares and whether higher is better (:data:`RULES`).
Among the eligible options — those without a missed hard deadline (:func:`missed_deadlines`,
:func:`eligible`) — the one with the best figure is recommended; ties go to the option listed
first; without an eligible option there is no recommendation. :func:`recommend` applies a rule
to any kind of option: the Vorlage's option views (``reports.vorlage``) and the sweep's figures
per option (``sweep.engine``) each say how to read the figure of theirs, and both take
eligibility from :func:`eligible` of the option's plan, so the two cannot disagree.

>>> sorted(RULES)
['npv_savings', 'one_off', 'tco_savings']
>>> recommend([("a", 10, True), ("b", 12, True), ("c", 99, False)], "npv_savings",
...           figure=lambda o: o[1], eligible=lambda o: o[2])
('b', 12, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, NamedTuple

from .calendar import quarter_start
from .models import Plan

__all__ = ["DEFAULT_RULE", "RULES", "Rule", "eligible", "missed_deadlines", "recommend"]

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


def missed_deadlines(plan: Plan) -> tuple[tuple[str, int], ...]:
    """The hard deadlines ``plan`` misses, as (kind, count): ``infeasible`` (no feasible plan;
    count: its conflicts), ``exit`` (migrations of a member leaving the Zweckverband, and not
    staying a customer, that end after its exit date), ``eol`` (with the scenario's ``eol: hard``
    rule, migrations after the end of support). Empty: the option is eligible.
    """
    out = []
    if not plan.feasible:
        out.append(("infeasible", max(len(plan.conflicts), 1)))
    exits = {o.id: o.exit_date for o in plan.organisations
             if o.exit_date is not None and o.participates and not o.continues_after_exit}
    late_exit = sum(1 for a in plan.assignments if a.moves and a.org in exits
                    and a.quarter is not None
                    and quarter_start(plan.meta.start, a.quarter + 1) > exits[a.org] + timedelta(days=1))
    if late_exit:
        out.append(("exit", late_exit))
    if plan.meta.eol_rule == "hard":
        n = sum(1 for a in plan.assignments if a.migrated_after_eol)
        if n:
            out.append(("eol", n))
    return tuple(out)


def eligible(plan: Plan) -> bool:
    """``plan`` may be recommended: it misses no hard deadline (:func:`missed_deadlines`)."""
    return not missed_deadlines(plan)


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
