"""Diff and push: compare desired objects with NetBox and apply the difference with bulk calls.

The engine works endpoint by endpoint in dependency order (see :data:`~netboxsync.endpoints.ENDPOINTS`):
read everything, compute creates/updates for that endpoint, write them in bulk; then deletes in reverse
order. When a write ends in doubt (timeout, reset connection, 5xx) it re-reads that endpoint and plans
again, so an interrupted or retried push never duplicates and the next push always converges. Every
created object carries the ``landkarte_id`` custom field (unique) from its first write, which is what
makes that possible.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .client import NetBoxClient, WriteInDoubt
from .endpoints import CF_ID, CUSTOM_FIELDS, ENDPOINTS, OWNER_TAG, SPECS, EndpointSpec
from .errors import NetBoxRejected, NetBoxUnavailable, OwnershipConflict
from .state import PLAN_PREFIX, Desired, Ref, State, desired_values, is_managed, key_of, normalize, tag_slugs

__all__ = ["Change", "SyncReport", "diff", "ensure_schema", "push", "read_state"]

log = logging.getLogger(__name__)

Action = Literal["create", "update", "delete", "conflict"]


@dataclass(frozen=True)
class Change:
    """One difference between Landkarte and NetBox."""

    action: Action
    endpoint: str
    key: str
    label: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Field → (NetBox value, Landkarte value); for a create only the new values matter."""
    id: int | None = None
    adopt: bool = False
    """An update that takes over an untagged object (``--adopt``)."""

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "object": SPECS[self.endpoint].label, "endpoint": self.endpoint,
                "key": self.key, "label": self.label, "id": self.id, "adopt": self.adopt,
                "fields": {k: {"netbox": _jsonable(a), "landkarte": _jsonable(b)} for k, (a, b) in self.fields.items()}}


def _jsonable(value: Any) -> Any:
    return value.key if isinstance(value, Ref) else value


@dataclass
class SyncReport:
    changes: list[Change]
    writes: int = 0
    """Write requests sent."""
    objects: dict[str, int] = field(default_factory=dict)
    """Objects created / updated / deleted."""
    retries: int = 0
    schema_writes: int = 0
    """Writes that created the ownership tag and Landkarte's custom fields (first push only)."""
    """Endpoint passes repeated after a write in doubt."""
    seconds: float = 0.0


# ------------------------------------------------------------------------------------------ reading


def read_state(client: NetBoxClient, endpoints: Iterable[str] | None = None) -> State:
    """Read every object of the given endpoints (default: all Landkarte uses)."""
    names = list(endpoints) if endpoints is not None else [s.name for s in ENDPOINTS]
    return State(client.list_many(names))


def _in_scope(key: str, with_plan: bool) -> bool:
    return with_plan or not key.startswith(PLAN_PREFIX)


def _natural(spec: EndpointSpec, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(str(values.get(f)).casefold() if isinstance(values.get(f), str) else values.get(f)
                 for f in spec.natural_key)


def _endpoint_changes(spec: EndpointSpec, desired: list[Desired], state: State, *, with_plan: bool,
                      adopt: bool) -> list[Change]:
    """Creates, updates, conflicts and deletes for one endpoint."""
    objs = state.objects.get(spec.name, [])
    managed: dict[str, dict[str, Any]] = {}
    duplicates: list[dict[str, Any]] = []
    unmanaged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for obj in sorted(objs, key=lambda o: o["id"]):
        key = key_of(spec.name, obj)
        if is_managed(obj) and key is not None:
            if key in managed:
                duplicates.append(obj)  # left over from an interrupted run: keep the oldest
            else:
                managed[key] = obj
        elif not is_managed(obj):
            unmanaged.setdefault(_natural(spec, normalize(spec, obj, state)), obj)
    out: list[Change] = []
    wanted = set()
    for d in desired:
        wanted.add(d.key)
        want = desired_values(spec, d)
        obj = managed.get(d.key)
        if obj is None:
            other = unmanaged.get(_natural(spec, want))
            if other is None:
                out.append(Change("create", spec.name, d.key, d.label, {k: (None, v) for k, v in want.items()}))
            elif adopt:
                have = normalize(spec, other, state)
                diff = {k: (have[k], v) for k, v in want.items() if not _equal(have[k], v)}
                out.append(Change("update", spec.name, d.key, d.label, diff, other["id"], adopt=True))
            else:
                out.append(Change("conflict", spec.name, d.key, f"{d.label}: NetBox {spec.label} #{other['id']} "
                                  f"({_natural_text(spec, want)}) has no '{OWNER_TAG}' tag", id=other["id"]))
            continue
        have = normalize(spec, obj, state)
        diff = {k: (have[k], v) for k, v in want.items() if not _equal(have[k], v)}
        if diff:
            out.append(Change("update", spec.name, d.key, d.label, diff, obj["id"]))
    for key, obj in managed.items():
        if key not in wanted and _in_scope(key, with_plan):
            out.append(Change("delete", spec.name, key, f"{spec.label} {obj.get('display') or obj.get('name')!r} "
                              f"({key})", id=obj["id"]))
    for obj in duplicates:
        key = key_of(spec.name, obj) or ""
        if _in_scope(key, with_plan):
            out.append(Change("delete", spec.name, key, f"duplicate {spec.label} #{obj['id']} ({key})", id=obj["id"]))
    return out


def _natural_text(spec: EndpointSpec, values: dict[str, Any]) -> str:
    return ", ".join(f"{f}={values.get(f)}" for f in spec.natural_key)


def _equal(have: Any, want: Any) -> bool:
    if isinstance(have, float) or isinstance(want, float):
        try:
            return float(have) == float(want)
        except (TypeError, ValueError):
            return False
    return have == want


def _group(desired: list[Desired]) -> dict[str, list[Desired]]:
    out: dict[str, list[Desired]] = {s.name: [] for s in ENDPOINTS}
    for d in desired:
        out[d.endpoint].append(d)
    return out


def diff(desired: list[Desired], state: State, *, with_plan: bool = False, adopt: bool = False) -> list[Change]:
    """Every change a push would make, in the order it would make them (deletes last, in reverse)."""
    by_ep = _group(desired)
    changes = [c for spec in ENDPOINTS
               for c in _endpoint_changes(spec, by_ep[spec.name], state, with_plan=with_plan, adopt=adopt)]
    order = {s.name: i for i, s in enumerate(ENDPOINTS)}
    rest = [c for c in changes if c.action != "delete"]
    deletes = sorted((c for c in changes if c.action == "delete"), key=lambda c: -order[c.endpoint])
    return rest + deletes


# ------------------------------------------------------------------------------------------ schema


def ensure_schema(client: NetBoxClient) -> int:
    """Create the ownership tag and Landkarte's custom fields when missing. Returns the number of writes."""
    writes = 0
    tags = client.list("extras.tags")
    if not any(t["slug"] == OWNER_TAG for t in tags):
        client.bulk_create("extras.tags", [{"name": "Landkarte", "slug": OWNER_TAG, "color": "4caf50",
                                            "description": "Managed by Landkarte: change the inventory, not NetBox"}],
                           ["tag 'landkarte'"])
        writes += 1
    wanted: dict[str, set[str]] = {name: set() for name in CUSTOM_FIELDS}
    for spec in ENDPOINTS:
        for name in spec.custom_fields:
            wanted[name].add(spec.object_type)
    existing = {cf["name"]: cf for cf in client.list("extras.custom-fields")}
    creates, updates, labels_c, labels_u = [], [], [], []
    for name, (kind, label, description) in CUSTOM_FIELDS.items():
        cf = existing.get(name)
        if cf is None:
            body = {"name": name, "label": label, "type": kind, "object_types": sorted(wanted[name]),
                    "description": description, "required": False, "ui_editable": "yes"}
            if kind == "text":
                body.update(filter_logic="exact", unique=True)
            creates.append(body)
            labels_c.append(f"custom field {name!r}")
        elif not wanted[name] <= set(cf.get("object_types") or ()):
            updates.append({"id": cf["id"], "object_types": sorted(wanted[name] | set(cf.get("object_types") or ()))})
            labels_u.append(f"custom field {name!r}")
    if creates:
        client.bulk_create("extras.custom-fields", creates, labels_c)
        writes += 1
    if updates:
        client.bulk_update("extras.custom-fields", updates, labels_u)
        writes += 1
    return writes


# ------------------------------------------------------------------------------------------ writing


def _payload(spec: EndpointSpec, d: Desired, state: State, only: Iterable[str] | None = None) -> dict[str, Any]:
    names = set(only) if only is not None else None
    body: dict[str, Any] = {}
    for f in spec.fields:
        if names is not None and f not in names:
            continue
        v = d.fields.get(f)
        if isinstance(v, Ref):
            rid = state.key_to_id.get(v.endpoint, {}).get(v.key)
            if rid is None:
                raise NetBoxRejected([(f"{d.label}: field '{f}' points to {SPECS[v.endpoint].label} {v.key!r}, "
                                       "which is not in NetBox (its creation failed?)")])
            v = rid
        body[f] = v
    cfs = {n: v for n, v in d.custom_fields.items() if names is None or f"cf.{n}" in names}
    if cfs:
        body["custom_fields"] = cfs
    return body


def _owner_tags(spec: EndpointSpec, existing: dict[str, Any] | None = None) -> list[Any]:
    slugs = sorted(tag_slugs(existing or {}) | {OWNER_TAG})
    return slugs if spec.keyed_by_name else [{"slug": s} for s in slugs]


def _apply_endpoint(client: NetBoxClient, spec: EndpointSpec, desired: list[Desired], state: State, *,
                    with_plan: bool, adopt: bool) -> None:
    changes = _endpoint_changes(spec, desired, state, with_plan=with_plan, adopt=adopt)
    conflicts = [c.label for c in changes if c.action == "conflict"]
    if conflicts:
        raise OwnershipConflict(conflicts)
    by_key = {d.key: d for d in desired}
    creates = [by_key[c.key] for c in changes if c.action == "create"]
    updates = [c for c in changes if c.action == "update"]
    if updates:
        objs = {o["id"]: o for o in state.objects.get(spec.name, [])}
        bodies = []
        for c in updates:
            body = {"id": c.id, **_payload(spec, by_key[c.key], state, only=c.fields)}
            if c.adopt:
                body["tags"] = _owner_tags(spec, objs.get(c.id))
                if not spec.keyed_by_name:
                    body.setdefault("custom_fields", {})[CF_ID] = c.key
            bodies.append(body)
        client.bulk_update(spec.name, bodies, [c.label for c in updates])
        for c in updates:  # adopted objects are managed from now on
            if c.adopt and c.id is not None:
                state.key_to_id.setdefault(spec.name, {})[c.key] = c.id
                state.id_to_key.setdefault(spec.name, {})[c.id] = c.key
    # Objects that point to others of the same endpoint (regions below the Land) go in rounds.
    pending = creates
    while pending:
        ready = [d for d in pending if all(
            not (isinstance(v, Ref) and v.endpoint == spec.name) or v.key in state.key_to_id.get(spec.name, {})
            for v in d.fields.values())]
        if not ready:
            raise NetBoxRejected([f"{pending[0].label}: refers to itself through another {spec.label}"])
        bodies = [{**_payload(spec, d, state), "tags": _owner_tags(spec)} for d in ready]
        made = client.bulk_create(spec.name, bodies, [d.label for d in ready])
        for d, obj in zip(ready, made, strict=True):
            state.key_to_id.setdefault(spec.name, {})[d.key] = obj["id"]
            state.id_to_key.setdefault(spec.name, {})[obj["id"]] = d.key
        pending = [d for d in pending if d not in ready]


def _delete_endpoint(client: NetBoxClient, spec: EndpointSpec, desired: list[Desired], state: State, *,
                     with_plan: bool) -> None:
    changes = _endpoint_changes(spec, desired, state, with_plan=with_plan, adopt=False)
    deletes = [c for c in changes if c.action == "delete"]
    if deletes:
        client.bulk_delete(spec.name, [c.id for c in deletes if c.id is not None], [c.label for c in deletes])


def _with_retries(client: NetBoxClient, spec: EndpointSpec, state: State, step: Callable[[], None],
                  report: SyncReport, attempts: int = 6) -> None:
    """Run ``step``; after a write in doubt, wait, re-read the endpoint and run it again (it re-plans)."""
    delay = max(client.settings.backoff_s, 0.5)
    for attempt in range(attempts):
        try:
            step()
            return
        except (WriteInDoubt, NetBoxUnavailable) as exc:
            if attempt == attempts - 1:
                raise NetBoxUnavailable(f"giving up on {spec.label}s after {attempts} attempts: {exc}") from None
            log.warning("%s: %s; re-reading NetBox and trying again in %.1f s", spec.name, exc, delay)
            report.retries += 1
            time.sleep(delay)
            delay = min(delay * 2, 8.0)
            try:
                state.replace(spec.name, client.list(spec.name))
            except NetBoxUnavailable:
                pass  # the next attempt re-reads again


def push(client: NetBoxClient, desired: list[Desired], *, with_plan: bool = False, adopt: bool = False,
         state: State | None = None, on_endpoint: Callable[[str], None] | None = None) -> SyncReport:
    """Make NetBox match ``desired``: creates and updates in dependency order, then deletes in reverse.

    Raises
    ------
    OwnershipConflict
        Before any write, when an object exists without the ownership tag and ``adopt`` is false.
    NetBoxRejected
        When NetBox refuses a write (the message names the object and field).
    NetBoxUnavailable
        When NetBox stays unreachable through every retry.
    """
    t0 = time.perf_counter()
    writes0 = client.stats.writes
    report = SyncReport(changes=[])
    if state is None:
        state = read_state(client)
    report.changes = diff(desired, state, with_plan=with_plan, adopt=adopt)
    conflicts = [c.label for c in report.changes if c.action == "conflict"]
    if conflicts:
        raise OwnershipConflict(conflicts)  # before any write
    report.schema_writes = ensure_schema(client)
    objects0 = dict(client.stats.objects)  # the tag and custom fields are not inventory objects
    by_ep = _group(desired)
    touched = {c.endpoint for c in report.changes}
    for spec in ENDPOINTS:
        if spec.name in touched:
            _with_retries(client, spec, state, lambda s=spec: _apply_endpoint(
                client, s, by_ep[s.name], state, with_plan=with_plan, adopt=adopt), report)
        if on_endpoint is not None:
            on_endpoint(spec.name)
    for spec in reversed(ENDPOINTS):
        if spec.name in touched:
            _with_retries(client, spec, state, lambda s=spec: _delete_endpoint(
                client, s, by_ep[s.name], state, with_plan=with_plan), report)
    report.writes = client.stats.writes - writes0
    report.objects = {k: v - objects0.get(k, 0) for k, v in client.stats.objects.items() if v - objects0.get(k, 0)}
    report.seconds = time.perf_counter() - t0
    return report
