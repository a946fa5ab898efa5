"""Why the plan changed: attribute every changed system and key figure to a cause, by planning again.

The old plan's inputs are turned into the new plan's inputs one change at a time — first the
inventory (record by record), then the scenario (key by key), then the actual progress and the
day of the plan — and planned after each change. What changes between two consecutive plans is
caused by that change (the chain telescopes: the old plan, a fresh plan of its inputs, each change,
the new plan). Within a step a system the change touches itself is ``direct``; any other is a
knock-on effect, named by what binds it in the plan before or after: a predecessor's move group
that moved in the same step (``dependency``), the team capacity or a target's onboarding limit in
a quarter, or else the schedule's optimum as a whole (``reoptimised``). The order of the changes is
fixed (inventory, scenario, actuals; each sorted by file and id), so the answer is reproducible;
when two changes interact, the later one gets what both did together.

The result is a :class:`plan.attribution.Attribution`.

>>> from consolidation._examples import tiny_landscape, tiny_scenario
>>> L, S = tiny_landscape(), tiny_scenario()
>>> from consolidation.planner import plan
>>> old = plan(L, S)
>>> a = attribute(old, old, PlanInputs(L, S), PlanInputs(L, S))
>>> a.systems, a.replans
((), 0)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from actuals.models import Actuals
from common.errors import LandkarteError
from common.version import tool_version
from inventory.models import Landscape
from plan.attribution import Attribution, Cause, FigureCause, SystemCause
from plan.calendar import quarter_label
from plan.diff import SystemChange, diff_plans
from plan.models import Assignment, Plan

from .input_changes import (
    ABSENT,
    Change,
    PlanInputs,
    actual_changes,
    build_landscape,
    inventory_changes,
    records,
    scenario_changes,
    scenario_doc,
    set_key,
    touched_scenario,
)
from .planner import plan as make_plan
from .scenario import Scenario

__all__ = ["MAX_STEPS", "PlanInputs", "attribute", "inventory_changes", "scenario_changes"]

MAX_STEPS = 24
"""At most this many plans for the changes; beyond it, changes are planned together per file (inventory)
or top-level key (scenario), and then per family."""

Planner = Callable[..., Plan]


# --------------------------------------------------------------------------- the chain


@dataclass(eq=False)
class _Step:
    causes: list[Cause]
    direct: dict[str, str]
    """System → the cause (of this step) that concerns it itself."""
    fallback: Cause
    """The cause for knock-on effects no single change of the step explains."""
    before: Plan
    after: Plan


@dataclass(eq=False)
class _Chain:
    planner: Planner
    steps: list[_Step] = field(default_factory=list)
    replans: int = 0

    def plan(self, landscape: Landscape, scenario: Scenario, as_of: date | None, actuals: Actuals | None) -> Plan:
        self.replans += 1
        kw: dict[str, Any] = {"as_of": as_of}
        if actuals is not None:
            kw["actuals"] = actuals
        return self.planner(landscape, scenario, **kw)


def _group_cause(changes: list[Change], family: str, n: int) -> Cause:
    if len(changes) == 1:
        return changes[0].cause
    places = sorted({c.cause.place for c in changes if c.cause.place})
    return Cause(id=f"{family}:group:{n}", family=family, kind="group",  # type: ignore[arg-type]
                 record=", ".join(places), group=tuple(c.cause.id for c in changes))


def _batches(changes: list[Change], budget: int, by: Callable[[Change], str]) -> list[list[Change]]:
    """One change per batch within ``budget``; else by ``by`` (file, top-level key); else all in one."""
    if len(changes) <= budget:
        return [[c] for c in changes]
    groups: dict[str, list[Change]] = {}
    for c in changes:
        groups.setdefault(by(c), []).append(c)
    if len(groups) <= budget:
        return list(groups.values())
    return [changes] if changes else []


def attribute(old_plan: Plan, new_plan: Plan, old: PlanInputs, new: PlanInputs, *, max_steps: int = MAX_STEPS,
              planner: Planner = make_plan, progress: Callable[[str, int, int], None] | None = None,
              verify_old: bool = False) -> Attribution:
    """Why ``new_plan`` differs from ``old_plan``: every changed system and key figure with its cause.

    Parameters
    ----------
    old_plan, new_plan : Plan
        The plans as written (their inputs must be ``old`` and ``new``; the caller checks the hashes).
    old, new : PlanInputs
        What each plan was made from.
    max_steps : int
        At most this many plans for the changes (see :data:`MAX_STEPS`).
    planner : callable
        ``plan(landscape, scenario, as_of=…, actuals=…)``; the planner by default.
    progress : callable, optional
        Called with (what, done, total) before each plan.
    verify_old : bool
        Plan the old inputs again even when this Landkarte made the old plan (by default it is taken as
        its own reproduction; the planner is deterministic). A plan of another version is always planned
        again, and what differs is attributed to the planner's version.

    Returns
    -------
    Attribution
    """
    t0 = time.perf_counter()
    chain = _Chain(planner)
    inv = inventory_changes(old.landscape, new.landscape)
    scen = scenario_changes(old.scenario, new.scenario, place=new.scenario_place)
    act = actual_changes(old, new, old_plan)
    budget = max(1, max_steps - 2 - (1 if act else 0))
    share = max(1, budget * len(inv) // max(1, len(inv) + len(scen))) if inv and scen else budget
    inv_batches = _batches(inv, share, lambda c: c.cause.place)
    scen_batches = _batches(scen, max(1, budget - len(inv_batches)), lambda c: str(c.key[0]))
    total = len(inv_batches) + len(scen_batches) + (1 if act else 0)
    tell = progress or (lambda _w, _d, _t: None)

    if old_plan.meta.tool_version == tool_version() and not verify_old:
        # the planner is deterministic (same input, byte-identical plan): this version reproduces the old
        # plan from its inputs; a plan that differs all the same shows up as the residual at the end
        p0 = old_plan
    else:
        tell("old", 0, total)
        p0 = chain.plan(old.landscape, old.scenario, old.as_of, old.actuals)
    planner_cause = Cause(id="planner:version", family="planner", kind="version",
                          record=f"{old_plan.meta.tool_version} → {p0.meta.tool_version}",
                          old=old_plan.meta.tool_version, new=p0.meta.tool_version)
    chain.steps.append(_Step([planner_cause], {}, planner_cause, old_plan, p0))

    state = records(old.landscape)
    doc = scenario_doc(old.scenario)
    current = {"landscape": old.landscape, "scenario": old.scenario}
    notes: list[str] = []

    def apply_record(c: Change) -> None:
        if c.key[0] == "org_file":
            state.update(c.value)
            for key in [key for key, v in state.items() if v is ABSENT]:
                del state[key]
        elif c.value is ABSENT:
            state.pop(c.key, None)
        else:
            state[c.key] = c.value

    def build_inventory(last: bool) -> None:
        current["landscape"] = new.landscape if last else build_landscape(old.landscape, new.landscape, state)

    def build_scenario(last: bool) -> None:
        current["scenario"] = new.scenario if last else Scenario.model_validate(doc)

    def replan() -> Plan:
        return chain.plan(current["landscape"], current["scenario"], old.as_of, old.actuals)

    def scenario_touched(pending: list[Change], before: Plan, after: Plan) -> list[Change]:
        return [Change(c.cause, c.key, c.value, touched_scenario(c.key, old.scenario, new.scenario, before, after))
                for c in pending]

    before = _family(chain, inv_batches, "inventory", p0, apply=apply_record, build=build_inventory, replan=replan,
                     touched=lambda pending, _b, _a: pending, notes=notes, tell=tell, total=total)
    before = _family(chain, scen_batches, "scenario", before, apply=lambda c: set_key(doc, c.key, c.value),
                     build=build_scenario, replan=replan, touched=scenario_touched, notes=notes, tell=tell,
                     total=total)

    if act:
        tell("actuals", len(chain.steps), total)
        after = chain.plan(new.landscape, new.scenario, new.as_of, new.actuals)
        chain.steps.append(_Step([c.cause for c in act], _direct(act[1:]), act[0].cause, before, after))
        before = after

    residual = Cause(id="unexplained:replan", family="unexplained", kind="replan", record=new_plan.meta.tool_version)
    chain.steps.append(_Step([residual], {}, residual, before, new_plan))
    return _attribution(old_plan, new_plan, chain, sorted(set(notes)), time.perf_counter() - t0)


def _family(chain: _Chain, batches: list[list[Change]], family: str, before: Plan, *,
            apply: Callable[[Change], None], build: Callable[[bool], None], replan: Callable[[], Plan],
            touched: Callable[[list[Change], Plan, Plan], list[Change]], notes: list[str],
            tell: Callable[[str, int, int], None], total: int) -> Plan:
    """Apply one family's changes batch by batch, planning after each; a batch that is not valid on its own
    (the inputs do not validate, or the planner refuses them) is planned together with the next."""
    pending: list[Change] = []
    for k, batch in enumerate(batches):
        pending += batch
        for c in batch:
            apply(c)
        last = k == len(batches) - 1
        try:
            build(last)
        except ValidationError:
            continue  # e.g. a dependency on a system added by a later change
        tell(family, len(chain.steps), total)
        try:
            after = replan()
        except LandkarteError:  # an intermediate the planner refuses (the scenario names a system added later)
            if last:
                raise
            continue
        if len(pending) > 1:
            notes.append("why.note.grouped")
        chain.steps.append(_Step([c.cause for c in pending], _direct(touched(pending, before, after)),
                                 _group_cause(pending, family, len(chain.steps)), before, after))
        before, pending = after, []
    return before


def _direct(changes: Iterable[Change]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in changes:
        for sid in sorted(c.touched):
            out.setdefault(sid, c.cause.id)
    return out


# --------------------------------------------------------------------------- classification


@dataclass(frozen=True, eq=False)
class _Index:
    plan: Plan
    assignments: dict[str, Assignment]
    groups: dict[str, Any]

    @classmethod
    def of(cls, p: Plan) -> _Index:
        return cls(p, {a.system: a for a in p.assignments}, {g.id: g for g in p.move_groups})

    def label(self, q: int | None) -> str:
        return "–" if q is None else quarter_label(self.plan.meta.start, q)


def _classify_step(step: _Step, changed: list[str]) -> dict[str, tuple[str, str, str | None, str]]:
    """Per changed system of one step: (root cause id, via, related, detail)."""
    A, B = _Index.of(step.before), _Index.of(step.after)
    moved_groups = {}
    for gid in A.groups.keys() & B.groups.keys():
        qa, qb = A.groups[gid].quarter, B.groups[gid].quarter
        if A.label(qa) != B.label(qb):
            moved_groups[gid] = (A.label(qa), B.label(qb))
    members: dict[str, tuple[str, ...]] = {gid: g.systems for gid, g in B.groups.items()}
    out: dict[str, tuple[str, str, str | None, str]] = {}
    pending: list[tuple[str, str]] = []
    weak = {c.id for c in step.causes if c.kind == "not_reported"}
    for sid in changed:
        b = B.assignments.get(sid)
        if sid in step.direct and not (step.direct[sid] in weak and b is not None and b.binding.kind == "dependency"
                                       and b.binding.related in moved_groups):
            # (a system merely not reported done whose predecessor moved waits for the predecessor)
            out[sid] = (step.direct[sid], "direct", None, "")
            continue
        hit = None
        for idx in (B, A):
            a = idx.assignments.get(sid)
            if a is not None and a.binding.kind == "dependency" and a.binding.related in moved_groups:
                hit = ("dependency", a.binding.related)
                break
        if hit is None:
            for idx in (B, A):
                a = idx.assignments.get(sid)
                if a is not None and a.binding.kind in ("capacity", "onboarding") and a.binding.related:
                    detail = str(a.binding.reason.params.get("quarter", ""))
                    via = a.binding.kind
                    out[sid] = (step.fallback.id, via, a.binding.related, detail)
                    break
            else:
                out[sid] = (step.fallback.id, "reoptimised", None, "")
            continue
        pending.append((sid, hit[1]))
    # a dependency's root cause is the cause of the predecessor's move (found in any order)
    for _round in range(len(pending) + 1):
        left = []
        for sid, gid in pending:
            root = next((out[m][0] for m in members.get(gid, ()) if m in out), None)
            if root is None and _round < len(pending):
                left.append((sid, gid))
                continue
            out[sid] = (root or step.fallback.id, "dependency", gid, f"{moved_groups[gid][0]} → {moved_groups[gid][1]}")
        pending = left
        if not pending:
            break
    return out


def _attribution(old_plan: Plan, new_plan: Plan, chain: _Chain, notes: list[str], seconds: float) -> Attribution:
    final = diff_plans(old_plan, new_plan)
    by_system: dict[str, list[SystemChange]] = {}
    for c in final.changes:
        by_system.setdefault(c.system, []).append(c)
    per_step: list[dict[str, tuple[str, str, str | None, str]]] = []
    figure_parts: dict[str, list[tuple[str, Any]]] = {}
    used: list[Cause] = []
    for step in chain.steps:
        d = diff_plans(step.before, step.after)
        changed = sorted({c.system for c in d.changes})
        per_step.append(_classify_step(step, changed) if changed else {})
        for f in d.figures:
            if f.old != f.new:
                figure_parts.setdefault(f.key, []).append((step.fallback.id, f.delta))
    systems = []
    for sid, changes in sorted(by_system.items()):
        hits = [cls[sid] for cls in per_step if sid in cls]
        if not hits:  # cannot happen: the chain runs from the old plan to the new one
            hits = [(chain.steps[-1].fallback.id, "reoptimised", None, "")]
        root, via, related, detail = hits[-1]
        also = tuple(dict.fromkeys(h[0] for h in hits[:-1] if h[0] != root))
        c0 = changes[0]
        systems.append(SystemCause(sid, c0.org, c0.domain, tuple(changes), root, via, related, detail, also))  # type: ignore[arg-type]
    figures = []
    for f in final.figures:
        if f.old == f.new:
            continue
        parts: dict[str, Any] = {}
        for cid, delta in figure_parts.get(f.key, []):
            parts[cid] = parts.get(cid, 0) + delta
        ranked = tuple(sorted(((cid, v) for cid, v in parts.items() if v != 0),
                              key=lambda p: -abs(Decimal(str(p[1])))))
        figures.append(FigureCause(f.key, f.kind, f.old, f.new, ranked))
    named = {s.cause for s in systems} | {a for s in systems for a in s.also} | {cid for f in figures for cid, _ in f.parts}
    for step in chain.steps:
        for c in [*step.causes, step.fallback]:
            # every change of the inputs is listed (one without effect, too); the planner and the residual
            # only when they changed something
            if c not in used and (c.id in named or c.family not in ("planner", "unexplained")):
                used.append(c)
        if step.fallback.group:  # a group names its members: keep them for the description
            for c in step.causes:
                if c not in used and step.fallback.id in named:
                    used.append(c)
    return Attribution(causes=tuple(used), systems=tuple(systems), figures=tuple(figures), replans=chain.replans,
                       seconds=seconds, notes=tuple(notes))
