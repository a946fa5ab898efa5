"""Reading the report's inputs: the plan and, optionally, a second plan and the previous one.

A bad plan raises :class:`plan.io.PlanFormatError` naming the file and the key path; the CLI
turns it into exit code 1. The inventory facts (:class:`~reports.context.InventoryFacts`) come from
the caller: the report reads plans, never an inventory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from actuals.load import load_actuals
from actuals.models import Actuals
from plan.attribution import Attribution
from plan.io import read_plan
from plan.models import Plan
from sweep.result import SweepResult, read_sweep

from .context import InventoryFacts

__all__ = ["ReportInputs", "load_inputs"]


@dataclass
class ReportInputs:
    plan: Plan
    plan_path: Path
    compare: list[Plan] = field(default_factory=list)
    """The other options (``--compare``, in the order given)."""
    previous: Plan | None = None
    inventory: InventoryFacts | None = None
    sweep: SweepResult | None = None
    """Ranges from ``landkarte plan sweep`` (``--sweep``): the chapter "Bandbreiten"."""
    actuals: Actuals | None = None
    """The progress folder (``--actuals``): the chapter "Soll/Ist"."""
    baseline: Plan | None = None
    """The plan delivery is measured against (``--baseline``; default the previous plan, else the plan)."""

    @property
    def soll(self) -> Plan:
        """The plan of reference of the Soll/Ist chapter: ``baseline``, else ``previous``, else ``plan``."""
        return self.baseline or self.previous or self.plan
    why: Attribution | None = None
    """Why the plan changed since ``previous`` (computed by the caller, which can plan: the CLI)."""
    why_missing: str = ""
    """Why ``why`` could not be computed, for the chapter "Änderungen seit der letzten Sitzung"."""


def load_inputs(
    plan: str | Path,
    *,
    compare: str | Path | list[str | Path] | tuple[str | Path, ...] | None = None,
    previous: str | Path | None = None,
    inventory: InventoryFacts | None = None,
    sweep: str | Path | None = None,
    actuals: str | Path | None = None,
    baseline: str | Path | None = None,
) -> ReportInputs:
    """Read every plan (and the sweep and the actuals), or raise :class:`plan.io.PlanFormatError`
    (:class:`sweep.result.SweepFormatError`, :class:`actuals.errors.ActualsError`) for the first input that is
    bad."""
    plan_path = Path(plan)
    out = ReportInputs(plan=read_plan(plan_path), plan_path=plan_path, inventory=inventory)
    for other in ([] if compare is None else [compare] if isinstance(compare, (str, Path)) else list(compare)):
        out.compare.append(read_plan(other, role="comparison plan"))
    if previous is not None:
        out.previous = read_plan(previous, role="previous plan")
    if sweep is not None:
        out.sweep = read_sweep(sweep)
    if baseline is not None:
        out.baseline = read_plan(baseline, role="baseline plan")
    if actuals is not None:  # ids checked against the plan of reference (its targets and milestones)
        out.actuals = load_actuals(actuals, plan=out.soll)
    return out
