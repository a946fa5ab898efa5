"""Re-cost a plan for a changed price without planning again.

A price-only assumption (:attr:`sweep.assumptions.Assumption.price_only`) changes no input of
the target mapping, the placement or the schedule, so the plan's waves stay as they are and
only money moves. Each such price enters the plan's cost lines linearly:

- day rates: the migration lines of that Betriebsart (one-off person-days × day rate);
- discount rate: only the discounting of the same yearly cash;
- base run cost of the targets: each instance from its go-live (the first quarter a system
  moves onto it) to the horizon's end;
- run cost per tenant: each (instance, organisation) from that tenant's first migration.

``tests/sweep`` checks for each of them that re-costing equals planning again (to the cent
rounding of the plan's lines).
"""

from __future__ import annotations

import numpy as np

from consolidation.costs import month_index
from consolidation.scenario import Scenario
from plan.models import Plan
from plan.recommend import eligible

from .figures import SweepFigures, cash_by_year, end_quarter, peak_load, saving

__all__ = ["RECOSTABLE", "recost"]

RECOSTABLE = ("day_rate_eigen", "day_rate_fremd", "discount_rate", "target_run_cost", "tenant_run_cost")


def _months_per_year(first_month: np.ndarray, years: tuple[int, ...], end_month: int) -> np.ndarray:
    """Months of [first, end) in each year (rows: entries, columns: years); months count from year 0."""
    ys = np.array(years)[None, :] * 12
    return np.clip(np.minimum(end_month, ys + 12) - np.maximum(first_month[:, None], ys), 0, None)


def _run_delta(plan: Plan, scenario: Scenario, *, per_tenant: bool) -> np.ndarray:
    """Plan cash per year that the targets' base run cost (or run cost per tenant) accounts for."""
    years = plan.costs.years
    start_m = month_index(plan.meta.start)
    end_m = start_m + 3 * plan.meta.horizon_quarters
    spec = {t.domain: t for t in scenario.targets}
    domain = {t.id: t.domain for t in plan.targets}
    first: dict[tuple[str, str | None], int] = {}
    for a in plan.assignments:
        if a.decision == "migrate" and a.target is not None and a.quarter is not None:
            key = (a.target, a.org if per_tenant else None)
            if a.quarter < first.get(key, 1 << 30):
                first[key] = a.quarter
    if not first:
        return np.zeros(len(years))
    keys = sorted(first, key=lambda k: (k[0], k[1] or ""))
    months = _months_per_year(np.array([start_m + 3 * first[k] for k in keys]), years, end_m)
    annual = np.array([float(spec[domain[t]].run_cost_per_tenant if per_tenant else spec[domain[t]].annual_run_cost)
                       for t, _ in keys])
    return (months * annual[:, None] / 12).sum(axis=0)


def recost(plan: Plan, scenario: Scenario, assumption: str, factor: float) -> SweepFigures:
    """The figures of ``plan`` (planned under ``scenario``) with one price multiplied by ``factor``.

    Raises
    ------
    ValueError
        ``assumption`` is not price-only (it must be re-planned).
    """
    if assumption not in RECOSTABLE:
        raise ValueError(f"{assumption!r} is not a pure price: it must be re-planned")
    sq, pl = cash_by_year(plan)
    rate = float(plan.meta.discount_rate)
    y0 = plan.costs.years[0]
    if assumption in ("day_rate_eigen", "day_rate_fremd"):
        tag = "Eigenleistung" if assumption == "day_rate_eigen" else "Fremdleistung"
        migration = np.zeros(len(pl))
        for line in plan.costs.lines:
            if line.scenario == "plan" and line.category == "migration" and line.betriebsart.value == tag:
                migration[line.year - y0] += float(line.amount)
        pl = pl + (factor - 1.0) * migration
    elif assumption == "discount_rate":
        rate *= factor
    else:
        pl = pl + (factor - 1.0) * _run_delta(plan, scenario, per_tenant=assumption == "tenant_run_cost")
    return SweepFigures(cash_npv_saving=saving(sq, pl, rate),
                        end_quarter=end_quarter(plan),
                        peak_load_pd=peak_load(plan), feasible=plan.feasible,
                        eligible=eligible(plan))  # the waves stay: so do the deadlines they meet
