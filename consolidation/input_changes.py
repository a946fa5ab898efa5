"""The changes between two plans' inputs, one cause each: inventory records, scenario keys, actuals.

:func:`inventory_changes` and :func:`scenario_changes` list what differs (record by record, key by key)
with the systems each change concerns itself; :func:`build_landscape` and :func:`set_key` apply a
subset of them, so :mod:`consolidation.attribution` can plan after each one.

>>> from consolidation._examples import tiny_landscape
>>> inventory_changes(tiny_landscape(), tiny_landscape())
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from actuals.models import Actuals
from inventory.models import Landscape
from plan.attribution import Cause
from plan.calendar import first_open_quarter, quarter_label
from plan.models import Plan

from .scenario import Scenario

__all__ = ["ABSENT", "Change", "PlanInputs", "actual_changes", "build_landscape", "inventory_changes", "records",
           "scenario_changes", "scenario_doc", "set_key", "touched_scenario"]


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
class Change:
    """One change of the inputs and how to apply it."""

    cause: Cause
    key: tuple
    value: Any
    """The record or value after the change (``ABSENT`` when removed)."""
    touched: frozenset[str] = frozenset()
    """Systems the change concerns itself (``direct``)."""


ABSENT = object()


# --------------------------------------------------------------------------- inventory records


def records(L: Landscape) -> dict[tuple, Any]:
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
    if value is None or value is ABSENT:
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
                if r is not ABSENT:
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
                if r is not ABSENT and r.feeds:
                    out.add(r.feeds)
        elif kind == "domains":
            out |= {s.id for s in L.systems.values() if s.domain == rid}
        elif kind == "products":
            out |= {s.id for s in L.systems.values() if s.product == rid}
        else:  # meta, bsi_modules: the whole inventory
            out |= set(L.systems)
    return frozenset(out)


def inventory_changes(old: Landscape, new: Landscape) -> list[Change]:
    """Every changed record from ``old`` to ``new``, in file and id order.

    An organisation that is new or gone is one change (its file) with everything in it.

    Examples
    --------
    >>> from consolidation._examples import tiny_landscape
    >>> L = tiny_landscape()
    >>> inventory_changes(L, L)
    []
    """
    ro, rn = records(old), records(new)
    orgs_old = {k[1] for k in ro if k[0] == "organisation"}
    orgs_new = {k[1] for k in rn if k[0] == "organisation"}
    whole = orgs_old ^ orgs_new
    lands = (old, new)
    out: list[Change] = []
    for oid in sorted(whole):
        gone = oid in orgs_old
        keys = tuple(k for k in (ro if gone else rn) if k[1] == oid)
        cause = Cause(id=f"inventory:organisation_file:{oid}", family="inventory", kind="organisation_file",
                      record=oid, change="removed" if gone else "added", place=f"organisations/{oid}.yaml")
        value = {k: (ABSENT if gone else rn[k]) for k in keys}
        touched = _touched_inventory(("organisation_file", oid, oid), ABSENT, ABSENT, lands)
        out.append(Change(cause, ("org_file", oid), value, touched))
    for key in sorted((ro.keys() | rn.keys()), key=lambda k: (_place(k), k)):
        if key[1] in whole:
            continue
        a, b = ro.get(key, ABSENT), rn.get(key, ABSENT)
        if a is not ABSENT and b is not ABSENT and a == b:
            continue
        kind, _org, rid = key
        if a is ABSENT or b is ABSENT:
            change, fields, old_v, new_v = ("added" if a is ABSENT else "removed"), (), "", ""
        else:
            leaves = _leaf_diff(a.model_dump(mode="json"), b.model_dump(mode="json"))
            change, fields = "changed", tuple(p for p, _x, _y in leaves)
            old_v, new_v = (_show(leaves[0][1]), _show(leaves[0][2])) if len(leaves) == 1 else ("", "")
        cause = Cause(id=f"inventory:{kind}:{rid}", family="inventory", kind=_KIND[kind], record=rid, fields=fields,
                      old=old_v, new=new_v, change=change, place=_place(key))  # type: ignore[arg-type]
        out.append(Change(cause, key, b, _touched_inventory(key, a, b, lands)))
    return out


def build_landscape(old: Landscape, new: Landscape, state: dict[tuple, Any]) -> Landscape:
    """The inventory of the records in ``state``, in the new inventory's order (then the old one's)."""
    def ordered(keys_new: Iterable[tuple], keys_old: Iterable[tuple]) -> list[tuple]:
        seen = dict.fromkeys(keys_new)
        seen.update(dict.fromkeys(keys_old))
        return [k for k in seen if k in state]

    rn, ro = records(new), records(old)
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
            out += _scenario_leaves(old.get(k, ABSENT), new.get(k, ABSENT), (*path, k))
        return out
    kf = _keyed(str(path[-1]), old, new) if path else None
    if kf is not None:
        a = {x[kf]: x for x in old}
        b = {x[kf]: x for x in new}
        out = []
        for k in sorted(a.keys() | b.keys(), key=str):
            if k in a and k in b:
                out += _scenario_leaves(a[k], b[k], (*path, (kf, k)))
            elif a.get(k, ABSENT) != b.get(k, ABSENT):
                out.append(((*path, (kf, k)), a.get(k, ABSENT), b.get(k, ABSENT)))
        return out
    return [] if old == new else [(path, old, new)]


def _key_text(path: tuple) -> str:
    return ".".join(str(p[1]) if isinstance(p, tuple) else str(p) for p in path)


def set_key(doc: dict, path: tuple, value: Any) -> None:
    """Set ``path`` in a nested dict of lists (keyed list items by their key) to ``value`` (or remove it)."""
    *head, last = path
    node: Any = doc
    for p in head:
        node = next(x for x in node if x[p[0]] == p[1]) if isinstance(p, tuple) else node[p]
    if isinstance(last, tuple):
        kf, k = last
        idx = next((i for i, x in enumerate(node) if x[kf] == k), None)
        if value is ABSENT:
            if idx is not None:
                del node[idx]
        elif idx is None:
            node.append(value)
        else:
            node[idx] = value
    elif value is ABSENT:
        node.pop(last, None)
    else:
        node[last] = value


def _plain(value: Any) -> Any:
    """A model dump with tuples as lists (mutable, for :func:`set_key`)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def scenario_doc(s: Scenario) -> dict:
    return _plain(s.model_dump(exclude={"sweep"}))


def scenario_changes(old: Scenario, new: Scenario, *, place: str = "") -> list[Change]:
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
    for path, a, b in _scenario_leaves(scenario_doc(old), scenario_doc(new), ()):
        change = "added" if a is ABSENT else "removed" if b is ABSENT else "changed"
        key = _key_text(path)
        whole = isinstance(a, dict) or isinstance(b, dict)
        cause = Cause(id=f"scenario:{key}", family="scenario", kind="key", record=key,
                      old="" if whole else _show(a), new="" if whole else _show(b), change=change, place=place)
        out.append(Change(cause, path, b))
    return out


def touched_scenario(path: tuple, old: Scenario, new: Scenario, A: Plan, B: Plan) -> frozenset[str]:
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


def actual_changes(old: PlanInputs, new: PlanInputs, old_plan: Plan) -> list[Change]:
    """The actual progress (and the day of the plan) as causes: one per system it concerns, and one per target
    instance that went live (touching the systems planned onto it)."""
    a_old = old.actuals.systems if old.actuals is not None else {}
    a_new = new.actuals.systems if new.actuals is not None else {}
    out: list[Change] = []
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
        out.append(Change(cause, ("actual", sid), y, frozenset({sid})))
    t_old = old.actuals.targets if old.actuals is not None else {}
    t_new = new.actuals.targets if new.actuals is not None else {}
    for tid in sorted(t_old.keys() | t_new.keys()):
        x, z = t_old.get(tid), t_new.get(tid)
        if x == z or z is None:
            continue
        onto = [a for a in old_plan.assignments if a.target == tid and a.quarter is not None
                and a.progress != "done"]
        first = min((a.quarter_label or "" for a in onto), default="")
        cause = Cause(id=f"actuals:{tid}", family="actuals", kind="target_live", record=tid, old=first,
                      new=z.live.isoformat())
        out.append(Change(cause, ("actual", tid), z, frozenset(a.system for a in onto)))
    reported = a_new.keys()
    for a in old_plan.assignments:
        if (a.moves and a.quarter is not None and a.system not in reported
                and a.system not in a_old and getattr(a, "progress", None) != "done"
                and quarter_label(old_plan.meta.start, a.quarter) < open_from):
            cause = Cause(id=f"actuals:{a.system}", family="actuals", kind="not_reported", record=a.system,
                          old=a.quarter_label or "", new=day.isoformat() if day else "")
            out.append(Change(cause, ("actual", a.system), None, frozenset({a.system})))
    out.sort(key=lambda c: c.cause.record)
    overall = Cause(id="actuals:as_of", family="actuals", kind="as_of", record=day.isoformat() if day else "",
                    old=old.as_of.isoformat() if old.as_of else "", new=new.as_of.isoformat() if new.as_of else "")
    return [Change(overall, ("as_of",), None), *out]


def _actuals_hash(i: PlanInputs) -> str:
    return i.actuals.content_hash if i.actuals is not None else ""

