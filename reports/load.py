"""Reading the report's inputs: the plan and, optionally, a second plan and the previous one.

Bad input raises :class:`ReportInputError` naming the file and the key path; the CLI turns
it into exit code 1. The inventory facts (:class:`~reports.context.InventoryFacts`) come from
the caller: the report reads plans, never an inventory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plan.io import PlanFormatError, read_plan
from plan.models import Plan

from .context import InventoryFacts

__all__ = ["ReportInputError", "ReportInputs", "load_inputs"]


class ReportInputError(Exception):
    """A plan the report cannot use; the message names the file and the place."""


@dataclass
class ReportInputs:
    plan: Plan
    plan_path: Path
    compare: Plan | None = None
    previous: Plan | None = None
    inventory: InventoryFacts | None = None


def _read(path: str | Path, role: str) -> Plan:
    try:
        return read_plan(path)
    except PlanFormatError as exc:
        shown = exc.messages[:20]
        more = f"\n  … and {len(exc.messages) - 20} more" if len(exc.messages) > 20 else ""
        raise ReportInputError(f"{role} {exc.path}: not a valid plan:\n  " + "\n  ".join(shown) + more) from None


def load_inputs(
    plan: str | Path,
    *,
    compare: str | Path | None = None,
    previous: str | Path | None = None,
    inventory: InventoryFacts | None = None,
) -> ReportInputs:
    """Read every plan, or raise :class:`ReportInputError` for the first file that is bad."""
    plan_path = Path(plan)
    out = ReportInputs(plan=_read(plan_path, "plan"), plan_path=plan_path, inventory=inventory)
    if compare is not None:
        out.compare = _read(compare, "comparison plan")
    if previous is not None:
        out.previous = _read(previous, "previous plan")
    return out
