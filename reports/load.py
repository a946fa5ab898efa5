"""Reading the report's inputs: the plan, optionally a second plan and the inventory.

Bad input raises :class:`ReportInputError` naming the file and the key path; the CLI turns
it into exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from plan.io import PlanFormatError, read_plan
from plan.models import Plan

from .context import InventoryFacts, inventory_facts

__all__ = ["ReportInputError", "ReportInputs", "load_inputs", "resolve_inventory"]


class ReportInputError(Exception):
    """A plan or inventory the report cannot use; the message names the file and the place."""


@dataclass
class ReportInputs:
    plan: Plan
    plan_path: Path
    compare: Plan | None = None
    previous: Plan | None = None
    inventory: InventoryFacts | None = None
    warnings: list[str] = field(default_factory=list)


def _read(path: str | Path, role: str) -> Plan:
    try:
        return read_plan(path)
    except PlanFormatError as exc:
        shown = exc.messages[:20]
        more = f"\n  … and {len(exc.messages) - 20} more" if len(exc.messages) > 20 else ""
        raise ReportInputError(f"{role} {exc.path}: not a valid plan:\n  " + "\n  ".join(shown) + more) from None


def resolve_inventory(plan: Plan, plan_path: Path) -> Path | None:
    """The inventory folder a plan names: a path (as given or next to the plan), or a bundled sample
    whose ``landscape.yaml`` carries that name."""
    name = plan.meta.inventory_name
    if not name:
        return None
    import inventory

    samples = Path(inventory.__file__).parent / "samples"
    for c in (Path(name), plan_path.parent / name):
        try:
            if c.is_dir():
                return c
        except OSError:
            continue
    for meta_file in sorted(samples.glob("*/landscape.yaml")):
        try:
            meta = yaml.safe_load(meta_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(meta, dict) and meta.get("name") == name:
            return meta_file.parent
    return None


def _load_inventory(path: Path) -> InventoryFacts:
    from common.errors import InventoryError
    from inventory.load import load_landscape

    try:
        return inventory_facts(load_landscape(path), str(path))
    except InventoryError as exc:
        raise ReportInputError(f"inventory {path}: {exc}") from None


def load_inputs(
    plan: str | Path,
    *,
    compare: str | Path | None = None,
    previous: str | Path | None = None,
    inventory: str | Path | None = None,
    auto_inventory: bool = True,
) -> ReportInputs:
    """Read every input, or raise :class:`ReportInputError` for the first file that is bad.

    ``inventory`` given explicitly must load; otherwise the folder named in the plan's meta
    is tried (``auto_inventory``) and, if it cannot be found or read, the report goes on
    without it and says so in ``warnings``.
    """
    plan_path = Path(plan)
    out = ReportInputs(plan=_read(plan_path, "plan"), plan_path=plan_path)
    if compare is not None:
        out.compare = _read(compare, "comparison plan")
    if previous is not None:
        out.previous = _read(previous, "previous plan")
    if inventory is not None:
        out.inventory = _load_inventory(Path(inventory))
    elif auto_inventory:
        found = resolve_inventory(out.plan, plan_path)
        if found is None:
            out.warnings.append(
                f"inventory {out.plan.meta.inventory_name!r} named in the plan not found; "
                "sections that need it (OZG/EfA, data confidence) say so — pass --inventory DIR"
            )
        else:
            try:
                out.inventory = _load_inventory(found)
            except ReportInputError as exc:
                out.warnings.append(f"{exc} — going on without the inventory")
    return out
