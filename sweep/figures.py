"""The three figures a sweep follows, read from a plan in one place (:func:`figures_of`).

- **cash NPV saving**: net present value of the status quo's cash minus the plan's cash over
  the horizon. Cash is every cost line the plan marks ``kind: cash``; the modelled risk
  surcharge after end of support is ``risk`` and no budget pays it (:func:`is_cash`).
- **end quarter**: the quarter of the last wave (``None`` without waves).
- **peak team load**: the largest Eigen- plus Fremdleistung person-days of any wave.

>>> from consolidation._examples import tiny_landscape, tiny_scenario
>>> from consolidation.planner import plan
>>> f = figures_of(plan(tiny_landscape(), tiny_scenario()))
>>> (f.end_quarter, f.peak_load_pd, f.feasible, f.eligible)
(1, 20.0, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from consolidation.costs import npv
from plan.models import CostLine, Plan
from plan.recommend import eligible

__all__ = ["SweepFigures", "cash_by_year", "end_quarter", "figures_of", "is_cash", "peak_load", "saving"]


@dataclass(frozen=True, slots=True)
class SweepFigures:
    """The figures of one plan (or one sample, or one end of a range)."""

    cash_npv_saving: float
    """EUR, rounded to cents."""
    end_quarter: int | None
    peak_load_pd: float
    feasible: bool
    eligible: bool
    """May be recommended: no missed hard deadline (:func:`plan.recommend.eligible`, the Vorlage's rule)."""


def is_cash(line: CostLine) -> bool:
    """A cost line a budget pays (the plan's ``kind``; not a modelled risk surcharge)."""
    return line.kind == "cash"


def cash_by_year(plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """Cash per year of the horizon: (status quo, plan), EUR."""
    years = plan.costs.years
    y0 = years[0]
    sq, pl = np.zeros(len(years)), np.zeros(len(years))
    for line in plan.costs.lines:
        if is_cash(line):
            (sq if line.scenario == "status_quo" else pl)[line.year - y0] += float(line.amount)
    return sq, pl


def saving(sq: np.ndarray, pl: np.ndarray, rate: float) -> float:
    """Cash NPV saving (status quo minus plan; :func:`consolidation.costs.npv`, the planner's NPV), to the cent."""
    return round(npv(sq, rate) - npv(pl, rate), 2)


def end_quarter(plan: Plan) -> int | None:
    """The quarter of the last wave (None without waves or without a feasible plan)."""
    return plan.waves[-1].quarter if plan.waves and plan.feasible else None


def peak_load(plan: Plan) -> float:
    return round(max((w.effort_eigen_pd + w.effort_fremd_pd for w in plan.waves), default=0.0), 1)


def figures_of(plan: Plan) -> SweepFigures:
    """The sweep's figures of ``plan`` (the adapter between the plan's money and the sweep)."""
    sq, pl = cash_by_year(plan)
    return SweepFigures(
        cash_npv_saving=saving(sq, pl, float(plan.meta.discount_rate)),
        end_quarter=end_quarter(plan),
        peak_load_pd=peak_load(plan),
        feasible=plan.feasible,
        eligible=eligible(plan),
    )
