"""Diff and push: compare desired objects with NetBox and apply the difference with bulk calls.

The engine works endpoint by endpoint in dependency order (see :data:`~netboxsync.endpoints.ENDPOINTS`):
read everything, compute creates/updates for that endpoint, write them in bulk; then deletes in reverse
order. When a write ends in doubt (timeout, reset connection, 5xx) it re-reads that endpoint and plans
again, so an interrupted or retried push never duplicates and the next push always converges. Every
created object carries the ``landkarte_id`` custom field (unique) from its first write, which is what
makes that possible.

Before the first write a push refuses (and ``diff`` shows as conflicts) everything that would reach beyond
Landkarte's own objects or fail half-way: untagged objects in the way (same natural key), every NetBox
uniqueness rule (:mod:`.uniqueness`), someone else's ``landkarte_*`` custom field or ``Landkarte`` tag, and
deletes of objects that untagged objects still refer to (:mod:`.references`; ``orphan`` releases those
objects instead of deleting them).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .client import NetBoxClient, WriteInDoubt
from .endpoints import (
    CF_ID,
    CF_LIVE,
    CUSTOM_FIELDS,
    ENDPOINTS,
    FILLED_IN_NETBOX,
    LIVE_OBJECT_TYPES,
    OWNER_TAG,
    SPECS,
    EndpointSpec,
)
from .errors import DeleteBlocked, NetBoxRejected, NetBoxSyncError, NetBoxUnavailable, OwnershipConflict
from .references import blocking, referring_objects
from .state import PLAN_PREFIX, Desired, Ref, State, desired_values, is_managed, key_of, normalize, tag_slugs
from .uniqueness import find_collisions

__all__ = ["SCHEMA_ENDPOINTS", "Change", "SyncReport", "check_deletes", "diff", "ensure_schema", "push",
           "read_state", "schema_conflicts"]

SCHEMA_ENDPOINTS = ("extras.tags", "extras.custom-fields")
"""Read with the objects: the ownership tag and Landkarte's custom fields (conflicts are found before writing)."""
_SCHEMA_LABELS = {"extras.tags": "tag", "extras.custom-fields": "custom field"}

log = logging.getLogger(__name__)

Action = Literal["create", "update", "delete", "conflict", "blocked", "release"]
"""``blocked``: a delete that untagged objects stand in the way of; ``release``: such an object left in place
(``orphan``), without Landkarte's tag and custom fields."""


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
    reasons: tuple[str, ...] = ()
    """For ``blocked`` and ``release``: the objects that still refer to it."""

    @property
    def object(self) -> str:
        return SPECS[self.endpoint].label if self.endpoint in SPECS else _SCHEMA_LABELS.get(self.endpoint, "")

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "object": self.object, "endpoint": self.endpoint,
                "key": self.key, "label": self.label, "id": self.id, "adopt": self.adopt,
                "fields": {k: {"netbox": _jsonable(a), "landkarte": _jsonable(b)} for k, (a, b) in self.fields.items()},
                "reasons": list(self.reasons)}


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
    """Endpoint passes repeated after a write in doubt."""
    schema_writes: int = 0
    """Writes that created the ownership tag and Landkarte's custom fields (first push only)."""
    seconds: float = 0.0


# ------------------------------------------------------------------------------------------ reading


def read_state(client: NetBoxClient, endpoints: Iterable[str] | None = None) -> State:
    """Read every object of the given endpoints (default: all Landkarte uses, plus tags and custom fields)."""
    names = list(endpoints) if endpoints is not None else [*(s.name for s in ENDPOINTS), *SCHEMA_ENDPOINTS]
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
                diff = {k: (have[k], v) for k, v in want.items() if k not in d.create_only and not _equal(have[k], v)}
                out.append(Change("update", spec.name, d.key, d.label, diff, other["id"], adopt=True))
            else:
                shown = other.get("display") or other.get("name") or other.get("prefix") or other.get("vid")
                out.append(Change("conflict", spec.name, d.key, f"{d.label}: NetBox {spec.label} #{other['id']} "
                                  f"{str(shown)!r} ({_natural_text(spec, want)}) has no '{OWNER_TAG}' tag; "
                                  "--adopt takes it over", id=other["id"]))
            continue
        have = normalize(spec, obj, state)
        diff = {k: (have[k], v) for k, v in want.items() if k not in d.create_only and not _equal(have[k], v)}
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
    """Every change a push would make, in the order it would make them (deletes last, in reverse).

    Conflicts (``action == "conflict"``) are what stops a push before its first write: an untagged object
    with the same natural key (unless ``adopt``), a broken uniqueness rule, someone else's ``landkarte_*``
    custom field or ``Landkarte`` tag. Deletes are not yet checked for references: :func:`check_deletes`.
    """
    by_ep = _group(desired)
    changes = [c for spec in ENDPOINTS
               for c in _endpoint_changes(spec, by_ep[spec.name], state, with_plan=with_plan, adopt=adopt)]
    touched: dict[str, dict[str, int | None]] = {}
    for c in changes:
        if c.action in ("create", "update"):
            touched.setdefault(c.endpoint, {})[c.key] = c.id
    collisions = find_collisions(desired, state, touched)
    if collisions:
        hit = {(c.endpoint, c.key) for c in collisions}
        changes = [c for c in changes if c.action not in ("create", "update") or (c.endpoint, c.key) not in hit]
        changes += [Change("conflict", c.endpoint, c.key, c.text()) for c in collisions]
    changes += schema_conflicts(state)
    order = {s.name: i for i, s in enumerate(ENDPOINTS)}
    rest = sorted((c for c in changes if c.action not in ("delete", "blocked", "release")),
                  key=lambda c: order.get(c.endpoint, -1))
    deletes = sorted((c for c in changes if c.action in ("delete", "blocked", "release")),
                     key=lambda c: -order[c.endpoint])
    return rest + deletes


def _kept_fields(desired: list[Desired], state: State, changes: list[Change]) -> dict[str, dict[int, set[str]]]:
    """Endpoint → id → fields this push sets on an object that is Landkarte's after the push (kept or adopted)."""
    wanted = {(d.endpoint, d.key) for d in desired}
    out: dict[str, dict[int, set[str]]] = {}
    for ep, objs in state.objects.items():
        if ep not in SPECS:
            continue
        for o in objs:
            k = key_of(ep, o)
            if is_managed(o) and k is not None and (ep, k) in wanted and state.key_to_id.get(ep, {}).get(k) == o["id"]:
                out.setdefault(ep, {})[o["id"]] = set(SPECS[ep].fields)
    for c in changes:
        if c.adopt and c.id is not None:
            out.setdefault(c.endpoint, {})[c.id] = set(SPECS[c.endpoint].fields)
    return out


def check_deletes(client: NetBoxClient, changes: list[Change], state: State, desired: list[Desired], *,
                  orphan: bool = False) -> list[Change]:
    """Deletes that other objects still refer to become ``blocked`` (or ``release`` with ``orphan``).

    Reads NetBox's related objects (:func:`~netboxsync.references.referring_objects`) for every delete.
    """
    deletes = [c for c in changes if c.action == "delete" and c.id is not None]
    if not deletes:
        return changes
    deleted: dict[str, set[int]] = {}
    for c in deletes:
        deleted.setdefault(c.endpoint, set()).add(c.id)  # type: ignore[arg-type]
    try:
        refs = referring_objects(client, deleted)
    except LookupError as exc:
        raise NetBoxRejected([str(exc)]) from None
    blocked = blocking(refs, deleted=deleted, kept_fields=_kept_fields(desired, state, changes))
    running = _in_production(state, deletes)
    out = []
    for c in changes:
        in_way = blocked.get((c.endpoint, c.id)) if c.action == "delete" and c.id is not None else None
        live = running.get((c.endpoint, c.id)) if c.action == "delete" and c.id is not None else None
        if in_way or live:
            reasons = tuple(sorted({r.text() for r in in_way or ()})) + ((live,) if live else ())
            out.append(Change("release" if orphan else "blocked", c.endpoint, c.key, c.label, id=c.id,
                              reasons=reasons))
        else:
            out.append(c)
    return out


def _in_production(state: State, deletes: list[Change]) -> dict[tuple[str, int], str]:
    """The planned VMs among ``deletes`` that the platform engineers marked as in production (``landkarte_live``):
    a new plan without them does not delete them (endpoint, id → why)."""
    out = {}
    by_id: dict[str, dict[int, dict]] = {}  # per endpoint of such VMs, its objects by id (built once)
    for c in deletes:
        if SPECS[c.endpoint].object_type not in LIVE_OBJECT_TYPES:
            continue
        if c.endpoint not in by_id:
            by_id[c.endpoint] = {o["id"]: o for o in state.objects.get(c.endpoint, [])}
        day = (by_id[c.endpoint].get(c.id, {}).get("custom_fields") or {}).get(CF_LIVE)
        if day:
            out[(c.endpoint, c.id)] = (f"its platform engineers: it is in production since {day} ({CF_LIVE}); clear "
                                       "that field in NetBox once it is really gone")
    return out


def schema_conflicts(state: State) -> list[Change]:
    """Someone else's ``landkarte_*`` custom field, or a ``Landkarte`` tag with another slug (or one that may
    not be put on Landkarte's object types): a push would change or trip over them."""
    out: list[Change] = []
    tags = state.objects.get("extras.tags")
    if tags is not None:
        for t in tags:
            if t.get("slug") != OWNER_TAG and str(t.get("name", "")).casefold() == "landkarte":
                out.append(Change("conflict", "extras.tags", OWNER_TAG,
                                  f"tag #{t['id']} {t['name']!r} (slug {t.get('slug')!r}) has Landkarte's tag name "
                                  f"with another slug; Landkarte's tag needs name 'Landkarte' and slug "
                                  f"'{OWNER_TAG}'. Rename that tag", id=t["id"]))
            elif t.get("slug") == OWNER_TAG and t.get("object_types"):
                missing = sorted({s.object_type for s in ENDPOINTS if not s.keyed_by_name}
                                 - set(t["object_types"]))
                if missing:
                    out.append(Change("conflict", "extras.tags", OWNER_TAG,
                                      f"tag '{OWNER_TAG}' may not be put on {', '.join(missing)}; "
                                      "Landkarte marks its objects of these types with it", id=t["id"]))
    fields = state.objects.get("extras.custom-fields")
    if fields is not None:
        for cf in fields:
            name = cf.get("name")
            if name not in CUSTOM_FIELDS:
                continue
            problems = _foreign_field(cf)
            if problems:
                out.append(Change("conflict", "extras.custom-fields", name,
                                  f"custom field #{cf['id']} {name!r} is not Landkarte's ({'; '.join(problems)}); "
                                  "Landkarte neither changes nor uses it. Rename or delete it in NetBox",
                                  id=cf["id"]))
    return out


def _choice(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else value


def _foreign_field(cf: dict[str, Any]) -> list[str]:
    """How an existing custom field differs from the one Landkarte defines under that name (empty: ours)."""
    kind, label, description = CUSTOM_FIELDS[cf["name"]]
    out = []
    if _choice(cf.get("type")) != kind:
        out.append(f"type {_choice(cf.get('type'))!r}, Landkarte's is {kind!r}")
    if (cf.get("label") or "") != label:
        out.append(f"label {cf.get('label')!r}, Landkarte's is {label!r}")
    if (cf.get("description") or "") != description:
        out.append("another description")
    if kind == "text" and (_choice(cf.get("filter_logic")) != "exact" or not cf.get("unique")):
        out.append("not unique with exact filtering")
    return out


# ------------------------------------------------------------------------------------------ schema


def ensure_schema(client: NetBoxClient, state: State | None = None) -> int:
    """Create the ownership tag and Landkarte's custom fields when missing, and add object types to Landkarte's
    own custom fields (never to someone else's: :func:`schema_conflicts` stops a push before that).
    Returns the number of writes."""
    writes = 0
    have = state.objects if state is not None else {}
    tags = have.get("extras.tags")
    if tags is None:
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
    for name, object_types in FILLED_IN_NETBOX.items():  # NetBox's to fill: created here, never pushed
        wanted[name].update(object_types)
    fields = have.get("extras.custom-fields")
    if fields is None:
        fields = client.list("extras.custom-fields")
    existing = {cf["name"]: cf for cf in fields}
    foreign = [name for name, cf in existing.items() if name in CUSTOM_FIELDS and _foreign_field(cf)]
    if foreign:
        raise OwnershipConflict([f"custom field {name!r} is not Landkarte's" for name in foreign])
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
                     with_plan: bool, orphan: bool, all_desired: list[Desired]) -> None:
    changes = _endpoint_changes(spec, desired, state, with_plan=with_plan, adopt=False)
    deletes = [c for c in changes if c.action == "delete"]
    if not deletes:
        return
    # Asked again right before the delete: someone may have pointed an object at it since the push began.
    checked = check_deletes(client, deletes, state, all_desired, orphan=orphan)
    blocked = [c for c in checked if c.action == "blocked"]
    if blocked:
        raise DeleteBlocked([_blocked_text(c) for c in blocked])
    _release(client, spec, [c for c in checked if c.action == "release"], state)
    deletes = [c for c in checked if c.action == "delete"]
    if deletes:
        client.bulk_delete(spec.name, [c.id for c in deletes if c.id is not None], [c.label for c in deletes])


def _release(client: NetBoxClient, spec: EndpointSpec, releases: list[Change], state: State) -> None:
    """Leave objects in place for those who still use them: without Landkarte's tag and custom fields."""
    if not releases:
        return
    objs = {o["id"]: o for o in state.objects.get(spec.name, [])}
    bodies = []
    for c in releases:
        rest = sorted(tag_slugs(objs.get(c.id or -1, {})) - {OWNER_TAG})
        body: dict[str, Any] = {"id": c.id, "tags": rest if spec.keyed_by_name else [{"slug": t} for t in rest]}
        if spec.custom_fields:
            body["custom_fields"] = {name: None for name in spec.custom_fields}
            body["custom_fields"].update({name: None for name, types in FILLED_IN_NETBOX.items()
                                          if spec.object_type in types})
        bodies.append(body)
    client.bulk_update(spec.name, bodies, [c.label for c in releases])
    client.stats.objects["updated"] -= len(releases)  # counted as released, not as inventory updates
    client.stats.objects["released"] += len(releases)
    gone = {c.id for c in releases}
    state.replace(spec.name, [o for o in state.objects.get(spec.name, []) if o["id"] not in gone])


def _blocked_text(c: Change) -> str:
    return f"{c.label} is still used by: " + "; ".join(c.reasons)


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
         orphan: bool = False, state: State | None = None,
         on_endpoint: Callable[[str], None] | None = None) -> SyncReport:
    """Make NetBox match ``desired``: creates and updates in dependency order, then deletes in reverse.

    Parameters
    ----------
    adopt : take over untagged objects with the same natural key (they get the tag and ``landkarte_id``).
    orphan : an object Landkarte would delete but others still refer to is left in place, released (its
        ``landkarte`` tag and Landkarte's custom fields removed), instead of stopping the push.

    Raises
    ------
    OwnershipConflict
        Before any write, for every conflict :func:`diff` finds (untagged objects in the way, uniqueness
        rules, someone else's custom field or tag).
    DeleteBlocked
        Before any write, when untagged objects refer to an object the push would delete (and not ``orphan``);
        or, before that endpoint's deletes, when such a reference appeared during the push.
    NetBoxRejected
        When NetBox refuses a write (the message names the object and field).
    NetBoxUnavailable
        When NetBox stays unreachable through every retry.

    Every error raised after the first write carries the partial :class:`SyncReport` as ``exc.report``.
    """
    t0 = time.perf_counter()
    writes0 = client.stats.writes
    objects0 = dict(client.stats.objects)
    report = SyncReport(changes=[])
    if state is None:
        state = read_state(client)
    report.changes = check_deletes(client, diff(desired, state, with_plan=with_plan, adopt=adopt), state, desired,
                                   orphan=orphan)
    conflicts = [c.label for c in report.changes if c.action == "conflict"]
    if conflicts:
        raise OwnershipConflict(conflicts)  # before any write
    blocked = [_blocked_text(c) for c in report.changes if c.action == "blocked"]
    if blocked:
        raise DeleteBlocked(blocked)  # before any write
    try:
        report.schema_writes = ensure_schema(client, state)
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
                    client, s, by_ep[s.name], state, with_plan=with_plan, orphan=orphan, all_desired=desired),
                    report)
    except NetBoxSyncError as exc:
        _finish(report, client, writes0, objects0, t0)
        exc.report = report  # type: ignore[attr-defined]
        raise
    _finish(report, client, writes0, objects0, t0)
    return report


def _finish(report: SyncReport, client: NetBoxClient, writes0: int, objects0: dict[str, int], t0: float) -> None:
    report.writes = client.stats.writes - writes0
    report.objects = {k: v - objects0.get(k, 0) for k, v in client.stats.objects.items() if v - objects0.get(k, 0)}
    report.seconds = time.perf_counter() - t0
