"""What still refers to an object Landkarte would delete: NetBox's related objects, found over REST.

Deleting an object in NetBox reaches other objects through the database's on-delete rules: devices and
VMs lose their platform (SET_NULL), child platforms, regions and locations are deleted with their parent
(CASCADE), a config context scoped to the object loses that scope. Landkarte deletes only objects it owns,
so before a delete it asks NetBox for every object that refers to it. The relations are read from NetBox's
own OpenAPI document (every list endpoint whose objects have a field pointing to the object type, and every
generic ``<x>_type``/``<x>_id`` pair), so they match the NetBox that is asked — plugins included. A test
compares them with the relations of the real NetBox models.

A referring object that Landkarte owns does not block the delete when the same push deletes it or changes
its field away (desired objects only ever point to desired objects); every other referring object does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .client import NetBoxClient
from .endpoints import SPECS
from .state import is_managed

__all__ = ["Reference", "Relation", "blocking", "referring_objects", "relations_to"]

_GENERIC = ("scope", "assigned_object", "object", "termination", "parent_object")
_BATCH = 100
_NOT_REFERENCES = frozenset({
    "extras.tagged-objects",  # the object's own tags
    "core.jobs",              # background jobs that ran for the object
    "extras.bookmarks",       # a user's bookmark of it (removed with it; holds no data)
    "extras.subscriptions",   # a user's subscription to its notifications (likewise)
    "extras.notifications",   # notifications about it
})
"""Generic relations that are part of the object itself or hold nothing of anyone's."""
_FILTER_ALIASES = {
    ("extras.config-contexts", "roles"): "device_role_id",
    ("dcim.interfaces", "tagged_vlans"): "vlan_id",
    ("dcim.interfaces", "untagged_vlan"): "vlan_id",
    ("dcim.interfaces", "qinq_svlan"): "vlan_id",
    ("virtualization.interfaces", "tagged_vlans"): "vlan_id",
    ("virtualization.interfaces", "untagged_vlan"): "vlan_id",
    ("virtualization.interfaces", "qinq_svlan"): "vlan_id",
}
"""Filters whose name NetBox does not derive from the field's."""
_DERIVED = frozenset({("dcim.virtual-chassis", "members")})
"""Read-only lists of objects that point the other way (a chassis's members are devices with its id)."""


@dataclass(frozen=True)
class Relation:
    """A way objects of ``endpoint`` can point to an object: the REST field and the filter that finds them."""

    endpoint: str
    """pynetbox path of the referring objects, e.g. ``dcim.devices``."""
    field: str
    """Their field that points, e.g. ``platform`` (``scope`` for a generic one)."""
    filters: tuple[tuple[str, str], ...]
    """Query parameters: ``(name, "{ids}")`` takes the ids, any other value is sent as it is."""


@dataclass(frozen=True)
class Reference:
    """One object that refers to an object Landkarte would delete."""

    target_endpoint: str
    target_id: int
    endpoint: str
    field: str
    obj: dict[str, Any]

    def text(self) -> str:
        o = self.obj
        name = o.get("display") or o.get("name") or o.get("slug") or f"#{o.get('id')}"
        kind = SPECS[self.endpoint].label if self.endpoint in SPECS else _singular(
            self.endpoint.rpartition(".")[2].replace("-", " "))
        owner = "" if is_managed(o) else ", not Landkarte's"
        return f"{kind} #{o.get('id')} {str(name)!r} (field '{self.field}'{owner})"


def _schema_of_list(paths: dict[str, Any], path: str) -> str | None:
    """``/api/dcim/devices/`` → ``Device`` (the schema of the objects the list endpoint returns)."""
    try:
        ref = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    except (KeyError, TypeError):
        return None
    return ref.rsplit("/", 1)[-1].removeprefix("Paginated").removesuffix("List")


def _refs_in(schema: Any) -> set[str]:
    """Names of the component schemas a property schema refers to (through allOf/oneOf/items)."""
    out: set[str] = set()
    if isinstance(schema, dict):
        if "$ref" in schema:
            out.add(str(schema["$ref"]).rsplit("/", 1)[-1])
        for v in schema.values():
            out |= _refs_in(v)
    elif isinstance(schema, list):
        for v in schema:
            out |= _refs_in(v)
    return out


def _endpoint_name(path: str) -> str:
    """``/api/dcim/device-types/`` → ``dcim.device-types``."""
    app, ep = path.removeprefix("/api/").strip("/").split("/")[:2]
    return f"{app}.{ep}"


def _singular(word: str) -> str:
    for plural, one in (("ies", "y"), ("xes", "x"), ("sses", "ss"), ("s", "")):
        if word.endswith(plural):
            return word[: -len(plural)] + one
    return word


def relations_to(openapi: dict[str, Any], endpoint: str) -> list[Relation]:
    """Every relation through which an object of ``endpoint`` can be referred to.

    Parameters
    ----------
    openapi : NetBox's OpenAPI document (``/api/schema/``).
    endpoint : e.g. ``dcim.platforms``.
    """
    paths = openapi.get("paths") or {}
    schemas = (openapi.get("components") or {}).get("schemas") or {}
    app, _, ep = endpoint.partition(".")
    target = _schema_of_list(paths, f"/api/{app}/{ep}/")
    object_type = SPECS[endpoint].object_type if endpoint in SPECS else None
    if target is None:
        raise KeyError(f"NetBox's API has no list endpoint {endpoint}")
    wanted = {target, f"Brief{target}", f"Nested{target}"}
    out: list[Relation] = []
    for path in sorted(paths):
        if not path.startswith("/api/") or path.count("/") != 4 or "{" in path or not path.endswith("/"):
            continue
        schema = _schema_of_list(paths, path)
        if schema is None or schema not in schemas:
            continue
        params = {p.get("name") for p in paths[path]["get"].get("parameters") or () if p.get("in") == "query"}
        name = _endpoint_name(path)
        for prop, prop_schema in sorted((schemas[schema].get("properties") or {}).items()):
            if prop in ("id", "url", "display", "display_url") or not (_refs_in(prop_schema) & wanted):
                continue
            if (schema == target and prop in ("children", "_children")) or (name, prop) in _DERIVED:
                continue
            alias = _FILTER_ALIASES.get((name, prop))
            for f in ((alias,) if alias else (f"{prop}_id", f"{_singular(prop)}_id", prop)):
                if f in params:
                    out.append(Relation(name, prop, ((f, "{ids}"),)))
                    break
            else:
                out.append(Relation(name, prop, ()))  # no filter: reported as unchecked
        if object_type is not None and name not in _NOT_REFERENCES:
            for g in _GENERIC:
                if f"{g}_type" in params and f"{g}_id" in params:
                    out.append(Relation(name, g, ((f"{g}_type", object_type), (f"{g}_id", "{ids}"))))
    return out


def referring_objects(client: NetBoxClient, targets: dict[str, Iterable[int]], *, workers: int = 4
                      ) -> list[Reference]:
    """Every object in NetBox that refers to one of the objects ``targets`` names (endpoint → ids); reads only,
    ``workers`` requests at a time (about 20–40 per object type, one per relation and 100 ids).

    Raises
    ------
    LookupError
        When NetBox has a relation to one of these object types that cannot be filtered (the delete cannot be
        checked, so it must not happen).
    """
    doc = client.openapi()
    tasks: list[tuple[str, Relation, list[int]]] = []
    unchecked = []
    for endpoint, some in targets.items():
        ids = sorted(set(some))
        if not ids:
            continue
        for rel in relations_to(doc, endpoint):
            if not rel.filters:
                unchecked.append(f"{endpoint} through {rel.endpoint}.{rel.field}")
                continue
            tasks += [(endpoint, rel, ids[lo:lo + _BATCH]) for lo in range(0, len(ids), _BATCH)]
    if unchecked:
        raise LookupError(f"cannot check what refers to {', '.join(unchecked)} (NetBox offers no filter for it)")

    def run(task: tuple[str, Relation, list[int]]) -> list[Reference]:
        endpoint, rel, chunk = task
        params = {k: (chunk if v == "{ids}" else v) for k, v in rel.filters}
        return [Reference(endpoint, tid, rel.endpoint, rel.field, obj)
                for obj in client.list(rel.endpoint, **params) for tid in _targets(obj, rel, chunk)]

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(tasks)))) as pool:
        return [ref for refs in pool.map(run, tasks) for ref in refs]


def _targets(obj: dict[str, Any], rel: Relation, ids: list[int]) -> list[int]:
    """Which of ``ids`` the object points to through ``rel`` (a filter may match more, e.g. tree filters)."""
    if rel.field in _GENERIC:
        tid = obj.get(f"{rel.field}_id")
        return [tid] if tid in ids else []
    v = obj.get(rel.field)
    found = []
    for item in v if isinstance(v, list) else [v]:
        tid = item.get("id") if isinstance(item, dict) else item
        if tid in ids:
            found.append(tid)
    # A tree filter (region_id on sites) also matches objects below a child: only direct references count;
    # the child itself refers directly (and blocks, or is deleted too and checked in turn).
    return found


def blocking(references: list[Reference], *, deleted: dict[str, set[int]],
             kept_fields: dict[str, dict[int, set[str]]]) -> dict[tuple[str, int], list[Reference]]:
    """The references that stop a delete: (target endpoint, id) → the objects in the way.

    A reference does not stop it when the referring object is deleted by the same push, or is Landkarte's
    after the push and has the referring field set by it (to a desired object, never to a deleted one).
    ``deleted``: endpoint → ids this push deletes; ``kept_fields``: endpoint → id → fields that this push
    sets on a Landkarte object it keeps (so a reference through them is changed away before the delete).
    """
    out: dict[tuple[str, int], list[Reference]] = defaultdict(list)
    for ref in references:
        oid = ref.obj.get("id")
        if oid in deleted.get(ref.endpoint, set()):
            continue
        field = f"{ref.field}_id" if ref.field in _GENERIC else ref.field
        if field in kept_fields.get(ref.endpoint, {}).get(oid, set()):
            continue
        out[(ref.target_endpoint, ref.target_id)].append(ref)
    return dict(out)
