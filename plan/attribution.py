"""Why the plan changed: every changed system and every changed key figure traced to a cause.

:func:`plan.diff.diff_plans` says *what* moved between two plans; an :class:`Attribution` says
*why*. It is computed by the planner's side (``consolidation.attribution``: the inputs of the old
plan are changed one cause at a time and planned again), and read here by everything downstream
(``landkarte plan compare``, the report's chapter "Änderungen seit der letzten Sitzung").

A :class:`Cause` is one change of the inputs:

==============  =====================================================================
family          what changed
==============  =====================================================================
``inventory``   one record of the inventory (a system, a dependency, a host, an
                organisation …): ``record`` is its id, ``fields`` the changed fields
``scenario``    one key of the scenario (``teams.by_year.2027.eigen_pd_per_quarter``)
``actuals``     the actual progress: a system reported migrated early or late, in
                progress, postponed, or not reported although planned before the day
                of the plan (``kind`` says which); or the day of the plan itself
``planner``     the old plan cannot be reproduced from its inputs by this Landkarte
                (made by another version)
``unexplained`` the new plan differs from a fresh plan of its own inputs
==============  =====================================================================

Each changed system names the root cause and *how* the cause reached it (``via``):
``direct`` (the cause changes the system itself: its record, its domain's target, its actual),
``dependency`` (a predecessor's move group moved: ``related`` names it), ``capacity`` (team
capacity in a quarter: ``related`` is ``eigen:<quarter>`` or ``fremd:<quarter>``), ``onboarding``
(a target's onboarding limit in a quarter) or ``reoptimised`` (the schedule's optimum moved as a
whole: nothing of the above binds it).

>>> c = Cause(id="scenario:teams.eigen_pd_per_quarter", family="scenario", kind="key",
...           record="teams.eigen_pd_per_quarter", old="320", new="200")
>>> a = Attribution(causes=(c,), systems=(SystemCause("a.mail", "a", "e-mail", (), c.id, "capacity",
...                 "eigen:2027-Q3"),), figures=())
>>> [(cause.id, n) for cause, n, _via in a.top()]
[('scenario:teams.eigen_pd_per_quarter', 1)]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from .diff import SystemChange

__all__ = ["VIA", "Attribution", "Cause", "FigureCause", "SystemCause", "attribution_to_json"]

Family = Literal["inventory", "scenario", "actuals", "planner", "unexplained"]
Via = Literal["direct", "dependency", "capacity", "onboarding", "reoptimised"]
VIA: tuple[Via, ...] = ("direct", "dependency", "capacity", "onboarding", "reoptimised")
"""The ways a cause reaches a system, in display order."""


@dataclass(frozen=True, slots=True)
class Cause:
    """One change of the plan's inputs."""

    id: str
    """Stable id: ``<family>:<record>`` (``inventory:systems:bous.e-mail``, ``scenario:teams.by_year.2027``)."""
    family: Family
    kind: str
    """inventory: the record's kind (``system``, ``dependency``, ``host``, ``site``, ``organisation``,
    ``online_service``, ``domain``, ``product``, ``meta``, ``organisation_file``); scenario: ``key``;
    actuals: ``migrated``, ``in_progress``, ``postponed``, ``not_reported`` (planned before the day of the
    plan, no actual), ``target_live`` (a target instance went live; record: its id), ``as_of`` (the day of the
    plan); planner: ``version``; unexplained: ``replan``."""
    record: str
    """The record's id (inventory, actuals), the key path (scenario) or the versions (planner)."""
    fields: tuple[str, ...] = ()
    """inventory: the changed fields as dotted paths (``contract.end``); empty for an added or removed record."""
    old: str = ""
    """The value before (one changed field or key), ``""`` when the record is new or several fields changed."""
    new: str = ""
    """The value after, ``""`` when the record was removed or several fields changed."""
    change: Literal["changed", "added", "removed"] = "changed"
    place: str = ""
    """Where the change is: the inventory file (``organisations/bous.yaml``), the scenario file, the progress file."""
    group: tuple[str, ...] = ()
    """For a cause that stands for several changes planned together (too many to plan one by one, or
    not valid one by one): the ids of those changes."""


@dataclass(frozen=True, slots=True)
class SystemCause:
    """Why one system's assignment changed."""

    system: str
    org: str
    domain: str
    changes: tuple[SystemChange, ...]
    """What changed (decision, target, data centre, wave; or added/removed), old → new."""
    cause: str
    """The id of the root :class:`Cause`."""
    via: Via
    related: str | None = None
    """dependency: the predecessor's move group; capacity: ``eigen:<quarter>``/``fremd:<quarter>``;
    onboarding: the target instance; otherwise None."""
    detail: str = ""
    """dependency: the predecessor's wave before → after (``2027-Q1 → 2027-Q3``); onboarding/capacity: the quarter."""
    also: tuple[str, ...] = ()
    """Other causes that changed the system on the way (the inputs are changed one at a time; the
    root cause is the last one that changed it)."""


@dataclass(frozen=True, slots=True)
class FigureCause:
    """A key figure's change split by cause: the parts add up to ``new − old``."""

    key: str
    kind: str
    old: int | float | Decimal
    new: int | float | Decimal
    parts: tuple[tuple[str, int | float | Decimal], ...]
    """(cause id, change) for every cause that changed the figure, largest change first."""


@dataclass(frozen=True, slots=True)
class Attribution:
    """Every changed system and every changed key figure between two plans, with its cause."""

    causes: tuple[Cause, ...]
    """Every change of the inputs, in the order they were applied (also those without effect), and the
    planner or the residual when they changed something."""
    systems: tuple[SystemCause, ...]
    """Every system whose assignment differs (the systems of :attr:`plan.diff.PlanDiff.changes`), by id."""
    figures: tuple[FigureCause, ...]
    """Every key figure (:func:`plan.figures.key_figures`) whose value differs."""
    replans: int = 0
    """Plans computed to find the causes."""
    seconds: float = 0.0
    """Wall-clock seconds the attribution took (not part of the JSON unless asked)."""
    notes: tuple[str, ...] = field(default=())
    """Message keys of remarks (e.g. ``why.note.grouped``: changes planned together)."""

    def cause(self, cause_id: str) -> Cause:
        return next(c for c in self.causes if c.id == cause_id)

    def top(self) -> list[tuple[Cause, int, dict[str, int]]]:
        """Causes by the number of systems they changed (most first), with the count per ``via``."""
        count = Counter(s.cause for s in self.systems)
        via: dict[str, Counter] = {}
        for s in self.systems:
            via.setdefault(s.cause, Counter())[s.via] += 1
        order = {c.id: k for k, c in enumerate(self.causes)}
        ranked = sorted(count, key=lambda cid: (-count[cid], order.get(cid, len(order))))
        return [(self.cause(cid), count[cid], {v: via[cid][v] for v in VIA if via[cid][v]}) for cid in ranked]

    def without_effect(self) -> list[Cause]:
        """Changes of the inputs that changed neither a system nor a key figure (given the changes before them)."""
        named = {s.cause for s in self.systems} | {a for s in self.systems for a in s.also}
        named |= {cid for f in self.figures for cid, _d in f.parts}
        grouped = {g for c in self.causes if c.id in named for g in c.group}
        return [c for c in self.causes if c.id not in named and c.id not in grouped and c.kind != "as_of"]

    def figure_only(self) -> list[Cause]:
        """Causes that changed key figures but no system's assignment (e.g. a cost assumption)."""
        moved = {s.cause for s in self.systems}
        figs = {cid for f in self.figures for cid, _d in f.parts}
        return [c for c in self.causes if c.id in figs and c.id not in moved]


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def attribution_to_json(a: Attribution) -> dict[str, Any]:
    """The attribution as plain JSON values (``landkarte plan compare --json``, key ``why``)."""
    return {
        "replans": a.replans,
        "causes": [{"id": c.id, "family": c.family, "kind": c.kind, "record": c.record, "fields": list(c.fields),
                    "old": c.old, "new": c.new, "change": c.change, "place": c.place, "group": list(c.group)}
                   for c in a.causes],
        "top": [{"cause": c.id, "systems": n, "via": via} for c, n, via in a.top()],
        "without_effect": [c.id for c in a.without_effect()],
        "systems": [{"system": s.system, "org": s.org, "domain": s.domain, "cause": s.cause, "via": s.via,
                     "related": s.related, "detail": s.detail, "also": list(s.also),
                     "changes": [{"field": ch.field, "old": ch.old, "new": ch.new} for ch in s.changes]}
                    for s in a.systems],
        "figures": [{"key": f.key, "kind": f.kind, "old": _number(f.old), "new": _number(f.new),
                     "parts": [{"cause": cid, "delta": _number(d)} for cid, d in f.parts]} for f in a.figures],
        "notes": list(a.notes),
    }
