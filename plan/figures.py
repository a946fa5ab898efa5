"""The key figures (Zusammenfassung) of a plan, each traceable to a field of the plan.

Every figure has a stable key: the HTML carries it as ``data-figure`` with the raw value
in ``data-value``, the XLSX sheet "Kennzahlen" has it in its first column, and the
comparison of two plans pairs figures by key.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from plan.models import Plan

__all__ = ["BESIDE_HEADLINE", "HEADLINE", "Figure", "key_figures"]


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    """Stable id; the message key is ``fig.<key>``."""
    value: int | float | Decimal
    kind: str
    """Format kind: int, money, ratio."""
    source: str
    """Where in the plan the figure comes from (shown as a tooltip, listed in the XLSX)."""
    basis: str = ""
    """Money figures: ``cash`` (budget-relevant) or ``risk`` (kalkulatorisch, never in a headline)."""


#: The figures printed as large tiles at the top of the report (and checked in the PDF text): cash only.
HEADLINE = ("orgs_in_scope", "systems_in_scope", "consolidation_ratio", "tco_status_quo", "tco_plan",
            "npv_savings", "one_off", "systems_past_eol")
#: Shown beside the headline, never summed into it.
BESIDE_HEADLINE = ("risk_status_quo", "risk_plan")


def key_figures(plan: Plan) -> tuple[Figure, ...]:
    """All key figures of ``plan`` in display order.

    Examples
    --------
    The ratio is installations before over installations after, summed over the domains
    (``metrics``): 12 local installations replaced by 3 targets give 4.0.
    """
    c = plan.costs
    in_scope = [a for a in plan.assignments if a.decision != "out_of_scope"]
    before = sum(m.instances_before for m in plan.metrics)
    after = sum(m.instances_after for m in plan.metrics)
    past_eol = sum(1 for a in in_scope if a.end_of_life is not None and a.end_of_life <= plan.meta.start)
    waves = len({a.quarter for a in in_scope if a.moves and a.quarter is not None})
    figs = [
        Figure("orgs_in_scope", sum(o.participates for o in plan.organisations), "int",
               "organisations[participates]"),
        Figure("orgs_total", len(plan.organisations), "int", "organisations"),
        Figure("systems_in_scope", len(in_scope), "int", "assignments[decision != out_of_scope]"),
        Figure("systems_migrate", sum(a.moves for a in in_scope), "int",
               "assignments[decision in (migrate, rehost)]"),
        Figure("products_before", sum(m.products_before for m in plan.metrics), "int", "metrics.products_before"),
        Figure("products_after", sum(m.products_after for m in plan.metrics), "int", "metrics.products_after"),
        Figure("consolidation_ratio", round(before / after, 2) if after else 0.0, "ratio",
               "Σ metrics.instances_before / Σ metrics.instances_after"),
        Figure("targets", len(plan.targets), "int", "targets"),
        Figure("systems_past_eol", past_eol, "int", "assignments[end_of_life <= meta.start]"),
        Figure("eol_before_migration", sum(a.migrated_after_eol for a in in_scope), "int",
               "assignments[migrated_after_eol]"),
        Figure("tco_status_quo", c.tco_status_quo, "money", "costs.tco_status_quo", "cash"),
        Figure("tco_plan", c.tco_plan, "money", "costs.tco_plan", "cash"),
        Figure("tco_savings", c.tco_status_quo - c.tco_plan, "money", "costs.tco_status_quo − costs.tco_plan", "cash"),
        Figure("npv_status_quo", c.npv_status_quo, "money", "costs.npv_status_quo", "cash"),
        Figure("npv_plan", c.npv_plan, "money", "costs.npv_plan", "cash"),
        Figure("npv_savings", c.npv_savings, "money", "costs.npv_savings", "cash"),
        Figure("one_off", c.one_off, "money", "costs.one_off", "cash"),
        Figure("eigen_total", c.eigen_total, "money", "costs.eigen_total", "cash"),
        Figure("fremd_total", c.fremd_total, "money", "costs.fremd_total", "cash"),
        Figure("risk_status_quo", c.risk_status_quo, "money", "costs.risk_status_quo", "risk"),
        Figure("risk_plan", c.risk_plan, "money", "costs.risk_plan", "risk"),
        Figure("exceptions", len(plan.exceptions), "int", "exceptions"),
        Figure("waves", waves, "int", "assignments[migrate, rehost].quarter (distinct)"),
        Figure("funding_total", plan.funding_total, "money", "funding_total (Σ funding.amount)", "cash"),
    ]
    return tuple(figs)
