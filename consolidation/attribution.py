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
from plan.calendar import first_open_quarter, quarter_label
from plan.diff import SystemChange, diff_plans
from plan.models import Assignment, Plan

from .planner import plan as make_plan
from .scenario import Scenario

__all__ = ["MAX_STEPS", "PlanInputs", "attribute", "inventory_changes", "scenario_changes"]

MAX_STEPS = 24
"""At most this many plans for the changes; beyond it, changes are planned together per file (inventory)
or top-level key (scenario), and then per family."""

Planner = Callable[..., Plan]


@dataclass(frozen=True, eq=False)
class PlanInputs:
    """What a plan was made from."""

    landscape: Landscape
    scenario: Scenario
    as_of: date | None = None
    actuals: Actuals | None = None
    scenario_place: str = ""
    """The scenario file, as the user named it (shown with scenario causes)."""


@dataclass(frozen=True, eq=False)
class _Change:
    """One change of the inputs and how to apply it."""

    cause: Cause
    key: tuple
    value: Any
    """The record or value after the change (``_ABSENT`` when removed)."""
    touched: frozenset[str] = frozenset()
    """Systems the change concerns itself (``direct``)."""


_ABSENT = object()


# --------------------------------------------------------------------------- inventory records


def _records(L: Landscape) -> dict[tuple, Any]:
    """Every record of an inventory by a key: (kind, org or "", id)."""
    out: dict[tuple, Any] = {("meta", "", "landscape"): L.meta}
    for kind in ("domains", "products", "bsi_modules"):
        for r in getattr(L.catalogue, kind):
            out[(kind, "", r.id)] = r
    for inv in L.organisations:
        oid = inv.organisation.id
        out[("organisation", oid, oid)] = inv.organisation
        for kind in ("sites", "hosts", "systems", "online_services"):
            for r in getattr(inv, kind):
                out[(kind, oid, r.id)] = r
        for d in inv.dependencies:
            out[("dependencies", oid, f"{d.source}->{d.target}:{d.kind.value}")] = d
    return out


_KIND = {"meta": "meta", "domains": "domain", "products": "product", "bsi_modules": "bsi_module",
         "organisation": "organisation", "sites": "site", "hosts": "host", "systems": "system",
         "online_services": "online_service", "dependencies": "dependency"}


def _leaf_diff(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Dotted paths where two JSON-like values differ (lists compared whole)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[str, Any, Any]] = []
        for k in sorted(old.keys() | new.keys(), key=str):
            out += _leaf_diff(old.get(k), new.get(k), f"{path}.{k}" if path else str(k))
        return out
    return [] if old == new else [(path, old, new)]


def _show(value: Any) -> str:
    if value is None or value is _ABSENT:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _place(key: tuple) -> str:
    kind, org, _rid = key
    if kind == "meta":
        return "landscape.yaml"
    if kind in ("domains", "products", "bsi_modules"):
        return "catalogue.yaml"
    return f"organisations/{org}.yaml"


def _touched_inventory(key: tuple, old: Any, new: Any, lands: tuple[Landscape, Landscape]) -> frozenset[str]:
    kind, org, rid = key
    out: set[str] = set()
    for L in lands:
        if kind == "systems":
            out.add(rid)
        elif kind == "dependencies":
            for r in (old, new):
                if r is not _ABSENT:
                    out |= {r.source, r.target}
        elif kind == "hosts":
            out |= {s.id for s in L.systems.values() if s.hosting.host == rid}
        elif kind == "sites":
            hosts = {h.id for h in L.hosts.values() if h.site == rid}
            out |= {s.id for s in L.systems.values() if s.hosting.site == rid or s.hosting.host in hosts}
        elif kind in ("organisation", "organisation_file"):
            out |= {s.id for s in L.systems.values() if L.owner.get(s.id) == org}
        elif kind == "online_services":
            for r in (old, new):
                if r is not _ABSENT and r.feeds:
                    out.add(r.feeds)
        elif kind == "domains":
            out |= {s.id for s in L.systems.values() if s.domain == rid}
        elif kind == "products":
            out |= {s.id for s in L.systems.values() if s.product == rid}
        else:  # meta, bsi_modules: the whole inventory
            out |= set(L.systems)
    return frozenset(out)


def inventory_changes(old: Landscape, new: Landscape) -> list[_Change]:
    """Every changed record from ``old`` to ``new``, in file and id order.

    An organisation that is new or gone is one change (its file) with everything in it.

    Examples
    --------
    >>> from consolidation._examples import tiny_landscape
    >>> L = tiny_landscape()
    >>> inventory_changes(L, L)
    []
    """
    ro, rn = _records(old), _records(new)
    orgs_old = {k[1] for k in ro if k[0] == "organisation"}
    orgs_new = {k[1] for k in rn if k[0] == "organisation"}
    whole = orgs_old ^ orgs_new
    lands = (old, new)
    out: list[_Change] = []
    for oid in sorted(whole):
        gone = oid in orgs_old
        keys = tuple(k for k in (ro if gone else rn) if k[1] == oid)
        cause = Cause(id=f"inventory:organisation_file:{oid}", family="inventory", kind="organisation_file",
                      record=oid, change="removed" if gone else "added", place=f"organisations/{oid}.yaml")
        value = {k: (_ABSENT if gone else rn[k]) for k in keys}
        touched = _touched_inventory(("organisation_file", oid, oid), _ABSENT, _ABSENT, lands)
        out.append(_Change(cause, ("org_file", oid), value, touched))
    for key in sorted((ro.keys() | rn.keys()), key=lambda k: (_place(k), k)):
        if key[1] in whole:
            continue
        a, b = ro.get(key, _ABSENT), rn.get(key, _ABSENT)
        if a is not _ABSENT and b is not _ABSENT and a == b:
            continue
        kind, _org, rid = key
        if a is _ABSENT or b is _ABSENT:
            change, fields, old_v, new_v = ("added" if a is _ABSENT else "removed"), (), "", ""
        else:
            leaves = _leaf_diff(a.model_dump(mode="json"), b.model_dump(mode="json"))
            change, fields = "changed", tuple(p for p, _x, _y in leaves)
            old_v, new_v = (_show(leaves[0][1]), _show(leaves[0][2])) if len(leaves) == 1 else ("", "")
        cause = Cause(id=f"inventory:{kind}:{rid}", family="inventory", kind=_KIND[kind], record=rid, fields=fields,
                      old=old_v, new=new_v, change=change, place=_place(key))  # type: ignore[arg-type]
        out.append(_Change(cause, key, b, _touched_inventory(key, a, b, lands)))
    return out


def _build_landscape(old: Landscape, new: Landscape, state: dict[tuple, Any]) -> Landscape:
    """The inventory of the records in ``state``, in the new inventory's order (then the old one's)."""
    def ordered(keys_new: Iterable[tuple], keys_old: Iterable[tuple]) -> list[tuple]:
        seen = dict.fromkeys(keys_new)
        seen.update(dict.fromkeys(keys_old))
        return [k for k in seen if k in state]

    rn, ro = _records(new), _records(old)
    cat = {kind: tuple(state[k] for k in ordered((k for k in rn if k[0] == kind), (k for k in ro if k[0] == kind)))
           for kind in ("domains", "products", "bsi_modules")}
    org_order = list(dict.fromkeys([i.organisation.id for i in new.organisations]
                                   + [i.organisation.id for i in old.organisations]))
    invs = {i.organisation.id: i for i in (*old.organisations, *new.organisations)}
    organisations = []
    for oid in org_order:
        if ("organisation", oid, oid) not in state:
            continue
        parts: dict[str, Any] = {"organisation": state[("organisation", oid, oid)]}
        for kind in ("sites", "hosts", "systems", "online_services", "dependencies"):
            parts[kind] = tuple(state[k] for k in ordered((k for k in rn if k[0] == kind and k[1] == oid),
                                                          (k for k in ro if k[0] == kind and k[1] == oid)))
        organisations.append(invs[oid].model_copy(update=parts))
    return Landscape(meta=state[("meta", "", "landscape")], catalogue=new.catalogue.model_copy(update=cat),
                     organisations=tuple(organisations))


# --------------------------------------------------------------------------- scenario keys

_KEYED = {"targets": "domain", "data_centres": "id", "blackouts": "id", "exceptions": "id", "funding": "milestone",
          "by_year": "year", "vms": "role"}


def _keyed(name: str, old: Any, new: Any) -> str | None:
    kf = _KEYED.get(name)
    if kf is None:
        return None
    for seq in (old, new):
        if not isinstance(seq, (list, tuple)) or not all(isinstance(x, dict) and kf in x for x in seq):
            return None
        keys = [x[kf] for x in seq]
        if len(set(keys)) != len(keys):
            return None
    return kf


def _scenario_leaves(old: Any, new: Any, path: tuple) -> list[tuple[tuple, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[tuple, Any, Any]] = []
        for k in sorted(old.keys() | new.keys(), key=str):
            out += _scenario_leaves(old.get(k, _ABSENT), new.get(k, _ABSENT), (*path, k))
        return out
    kf = _keyed(str(path[-1]), old, new) if path else None
    if kf is not None:
        a = {x[kf]: x for x in old}
        b = {x[kf]: x for x in new}
        out = []
        for k in sorted(a.keys() | b.keys(), key=str):
            if k in a and k in b:
                out += _scenario_leaves(a[k], b[k], (*path, (kf, k)))
            elif a.get(k, _ABSENT) != b.get(k, _ABSENT):
                out.append(((*path, (kf, k)), a.get(k, _ABSENT), b.get(k, _ABSENT)))
        return out
    return [] if old == new else [(path, old, new)]


def _key_text(path: tuple) -> str:
    return ".".join(str(p[1]) if isinstance(p, tuple) else str(p) for p in path)


def _set(doc: dict, path: tuple, value: Any) -> None:
    """Set ``path`` in a nested dict of lists (keyed list items by their key) to ``value`` (or remove it)."""
    *head, last = path
    node: Any = doc
    for p in head:
        node = next(x for x in node if x[p[0]] == p[1]) if isinstance(p, tuple) else node[p]
    if isinstance(last, tuple):
        kf, k = last
        idx = next((i for i, x in enumerate(node) if x[kf] == k), None)
        if value is _ABSENT:
            if idx is not None:
                del node[idx]
        elif idx is None:
            node.append(value)
        else:
            node[idx] = value
    elif value is _ABSENT:
        node.pop(last, None)
    else:
        node[last] = value


def _plain(value: Any) -> Any:
    """A model dump with tuples as lists (mutable, for :func:`_set`)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _scenario_doc(s: Scenario) -> dict:
    return _plain(s.model_dump(exclude={"sweep"}))


def scenario_changes(old: Scenario, new: Scenario, *, place: str = "") -> list[_Change]:
    """Every changed key from ``old`` to ``new`` (list items by their id, domain, milestone or year), in key order.

    Examples
    --------
    >>> from consolidation._examples import tiny_scenario
    >>> S = tiny_scenario()
    >>> T = S.model_copy(update={"teams": S.teams.model_copy(update={"eigen_pd_per_quarter": 5.0})})
    >>> [(c.cause.record, c.cause.old, c.cause.new) for c in scenario_changes(S, T)]
    [('teams.eigen_pd_per_quarter', '100', '5')]
    """
    out = []
    for path, a, b in _scenario_leaves(_scenario_doc(old), _scenario_doc(new), ()):
        change = "added" if a is _ABSENT else "removed" if b is _ABSENT else "changed"
        key = _key_text(path)
        whole = isinstance(a, dict) or isinstance(b, dict)
        cause = Cause(id=f"scenario:{key}", family="scenario", kind="key", record=key,
                      old="" if whole else _show(a), new="" if whole else _show(b), change=change, place=place)
        out.append(_Change(cause, path, b))
    return out


def _touched_scenario(path: tuple, old: Scenario, new: Scenario, A: Plan, B: Plan) -> frozenset[str]:
    """Systems a scenario key concerns itself; none for keys that act on all (teams, costs, weights …)."""
    head = path[0]
    sel = path[1][1] if len(path) > 1 and isinstance(path[1], tuple) else None
    both = (*A.assignments, *B.assignments)
    if head == "targets" and sel is not None:
        return frozenset(a.system for a in both if a.domain == sel)
    if head == "data_centres" and sel is not None:
        return frozenset(a.system for a in both if a.data_centre == sel)
    if head == "blackouts" and sel is not None:
        domains = {d for s in (old, new) for b in s.blackouts if b.id == sel for d in b.domains}
        return frozenset(a.system for a in both if a.domain in domains)
    if head == "exceptions" and sel is not None:
        return frozenset(a.system for a in both if a.binding.kind == "exception" and a.binding.related == sel)
    if head == "organisations":
        po, pn = old.organisations, new.organisations
        orgs = set()
        for attr in ("include", "exclude", "continue_after_exit"):
            x, y = getattr(po, attr), getattr(pn, attr)
            if isinstance(x, str) or isinstance(y, str):
                return frozenset(a.system for a in both)
            orgs |= set(x) ^ set(y)
        return frozenset(a.system for a in both if a.org in orgs)
    return frozenset()


# --------------------------------------------------------------------------- actuals and the day of the plan


def _actual_changes(old: PlanInputs, new: PlanInputs, old_plan: Plan) -> list[_Change]:
    """The actual progress (and the day of the plan) as causes: one per system it concerns."""
    a_old = old.actuals.systems if old.actuals is not None else {}
    a_new = new.actuals.systems if new.actuals is not None else {}
    out: list[_Change] = []
    changed_day = old.as_of != new.as_of
    if not changed_day and a_old == a_new and _actuals_hash(old) == _actuals_hash(new):
        return out
    day = new.as_of or (new.actuals.reported if new.actuals is not None else None)
    open_from = quarter_label(new.scenario.start, first_open_quarter(new.scenario.start, day)) if day else ""
    planned = {a.system: a for a in old_plan.assignments}
    for sid in sorted(a_old.keys() | a_new.keys()):
        x, y = a_old.get(sid), a_new.get(sid)
        if x == y or y is None:
            continue
        was = planned.get(sid)
        cause = Cause(id=f"actuals:{sid}", family="actuals", kind=y.status, record=sid,
                      old=(was.quarter_label or "") if was else "", new=(y.date.isoformat() if y.date else
                                                                        (y.reason or "")))
        out.append(_Change(cause, ("actual", sid), y, frozenset({sid})))
    reported = a_new.keys()
    for a in old_plan.assignments:
        if (a.decision == "migrate" and a.quarter is not None and a.system not in reported
                and a.system not in a_old and getattr(a, "progress", None) != "done"
                and quarter_label(old_plan.meta.start, a.quarter) < open_from):
            cause = Cause(id=f"actuals:{a.system}", family="actuals", kind="not_reported", record=a.system,
                          old=a.quarter_label or "", new=day.isoformat() if day else "")
            out.append(_Change(cause, ("actual", a.system), None, frozenset({a.system})))
    out.sort(key=lambda c: c.cause.record)
    overall = Cause(id="actuals:as_of", family="actuals", kind="as_of", record=day.isoformat() if day else "",
                    old=old.as_of.isoformat() if old.as_of else "", new=new.as_of.isoformat() if new.as_of else "")
    return [_Change(overall, ("as_of",), None), *out]


def _actuals_hash(i: PlanInputs) -> str:
    return i.actuals.content_hash if i.actuals is not None else ""


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


def _group_cause(changes: list[_Change], family: str, n: int) -> Cause:
    if len(changes) == 1:
        return changes[0].cause
    places = sorted({c.cause.place for c in changes if c.cause.place})
    return Cause(id=f"{family}:group:{n}", family=family, kind="group",  # type: ignore[arg-type]
                 record=", ".join(places), group=tuple(c.cause.id for c in changes))


def _batches(changes: list[_Change], budget: int, by: Callable[[_Change], str]) -> list[list[_Change]]:
    """One change per batch within ``budget``; else by ``by`` (file, top-level key); else all in one."""
    if len(changes) <= budget:
        return [[c] for c in changes]
    groups: dict[str, list[_Change]] = {}
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
    act = _actual_changes(old, new, old_plan)
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

    state = _records(old.landscape)
    doc = _scenario_doc(old.scenario)
    current = {"landscape": old.landscape, "scenario": old.scenario}
    notes: list[str] = []

    def apply_record(c: _Change) -> None:
        if c.key[0] == "org_file":
            state.update(c.value)
            for key in [key for key, v in state.items() if v is _ABSENT]:
                del state[key]
        elif c.value is _ABSENT:
            state.pop(c.key, None)
        else:
            state[c.key] = c.value

    def build_landscape(last: bool) -> None:
        current["landscape"] = new.landscape if last else _build_landscape(old.landscape, new.landscape, state)

    def build_scenario(last: bool) -> None:
        current["scenario"] = new.scenario if last else Scenario.model_validate(doc)

    def replan() -> Plan:
        return chain.plan(current["landscape"], current["scenario"], old.as_of, old.actuals)

    def scenario_touched(pending: list[_Change], before: Plan, after: Plan) -> list[_Change]:
        return [_Change(c.cause, c.key, c.value, _touched_scenario(c.key, old.scenario, new.scenario, before, after))
                for c in pending]

    before = _family(chain, inv_batches, "inventory", p0, apply=apply_record, build=build_landscape, replan=replan,
                     touched=lambda pending, _b, _a: pending, notes=notes, tell=tell, total=total)
    before = _family(chain, scen_batches, "scenario", before, apply=lambda c: _set(doc, c.key, c.value),
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


def _family(chain: _Chain, batches: list[list[_Change]], family: str, before: Plan, *,
            apply: Callable[[_Change], None], build: Callable[[bool], None], replan: Callable[[], Plan],
            touched: Callable[[list[_Change], Plan, Plan], list[_Change]], notes: list[str],
            tell: Callable[[str, int, int], None], total: int) -> Plan:
    """Apply one family's changes batch by batch, planning after each; a batch that is not valid on its own
    (the inputs do not validate, or the planner refuses them) is planned together with the next."""
    pending: list[_Change] = []
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


def _direct(changes: Iterable[_Change]) -> dict[str, str]:
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
