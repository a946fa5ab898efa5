"""What differs between two plans: for the Szenarienvergleich and the changes since the last meeting.

:func:`diff_plans` pairs key figures by key, systems by id and exceptions by id; it only
compares what both plans say.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from plan.models import Assignment, Plan, PlanMeta

from .figures import key_figures

__all__ = ["FigureDelta", "PlanDiff", "SystemChange", "diff_plans"]

_FIELDS = ("decision", "target", "data_centre", "quarter")


@dataclass(frozen=True, slots=True)
class FigureDelta:
    key: str
    kind: str
    old: int | float | Decimal
    new: int | float | Decimal

    @property
    def delta(self) -> int | float | Decimal:
        if isinstance(self.new, Decimal) or isinstance(self.old, Decimal):
            return Decimal(str(self.new)) - Decimal(str(self.old))
        return round(self.new - self.old, 2) if self.kind == "ratio" else self.new - self.old


@dataclass(frozen=True, slots=True)
class SystemChange:
    system: str
    org: str
    domain: str
    field: str
    """decision, target, data_centre, quarter — or "added"/"removed"."""
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class PlanDiff:
    old_meta: PlanMeta
    new_meta: PlanMeta
    figures: tuple[FigureDelta, ...]
    changes: tuple[SystemChange, ...]
    domains: tuple[tuple[str, str, int, int], ...]
    """(domain, name, products after old, products after new) where they differ."""
    exceptions_added: tuple[str, ...]
    exceptions_removed: tuple[str, ...]

    @property
    def moved(self) -> int:
        return len({c.system for c in self.changes if c.field in _FIELDS})

    @property
    def added(self) -> int:
        return sum(c.field == "added" for c in self.changes)

    @property
    def removed(self) -> int:
        return sum(c.field == "removed" for c in self.changes)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.domains and not self.exceptions_added and not self.exceptions_removed \
            and all(f.old == f.new for f in self.figures)


def _show(a: Assignment, name: str) -> str:
    if name == "quarter":
        return a.quarter_label or ("" if a.quarter is None else str(a.quarter))
    value = getattr(a, name)
    return "" if value is None else str(value)


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """Compare ``old`` with ``new`` (old → new).

    Examples
    --------
    >>> # diff_plans(plan, plan).empty is True for any plan
    """
    f_old = {f.key: f for f in key_figures(old)}
    figures = tuple(FigureDelta(f.key, f.kind, f_old[f.key].value, f.value) for f in key_figures(new))
    a_old = {a.system: a for a in old.assignments}
    a_new = {a.system: a for a in new.assignments}
    changes: list[SystemChange] = []
    for sid in sorted(a_old.keys() | a_new.keys()):
        o, n = a_old.get(sid), a_new.get(sid)
        if o is None:
            changes.append(SystemChange(sid, n.org, n.domain, "added", "", n.decision))
        elif n is None:
            changes.append(SystemChange(sid, o.org, o.domain, "removed", o.decision, ""))
        else:
            for name in _FIELDS:
                before, after = _show(o, name), _show(n, name)
                if before != after:
                    changes.append(SystemChange(sid, n.org, n.domain, name, before, after))
    m_old = {m.domain: m for m in old.metrics}
    domains = tuple(
        (m.domain, m.domain_name, m_old[m.domain].products_after if m.domain in m_old else 0, m.products_after)
        for m in new.metrics
        if m.domain not in m_old or m_old[m.domain].products_after != m.products_after
    )
    e_old = {e.id for e in old.exceptions}
    e_new = {e.id for e in new.exceptions}
    return PlanDiff(
        old_meta=old.meta,
        new_meta=new.meta,
        figures=figures,
        changes=tuple(changes),
        domains=domains,
        exceptions_added=tuple(sorted(e_new - e_old)),
        exceptions_removed=tuple(sorted(e_old - e_new)),
    )
