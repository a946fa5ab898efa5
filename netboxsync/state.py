"""The two sides of a sync as plain data: what Landkarte wants (:class:`Desired`) and what NetBox has.

A :class:`Ref` points from one desired object to another by Landkarte key; it becomes a NetBox id only
when the payload is written. Actual objects are the plain dicts :class:`~netboxsync.client.NetBoxClient`
returns; :func:`normalize` makes them comparable with desired ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .endpoints import CF_ID, OWNER_TAG, EndpointSpec

__all__ = ["Desired", "Ref", "State", "desired_values", "is_managed", "key_of", "normalize", "tag_slugs"]

PLAN_PREFIX = "plan/"
"""Keys of objects derived from a plan start with this; a push without ``--plan`` leaves them alone."""


@dataclass(frozen=True)
class Ref:
    """A reference to another desired object: its endpoint and Landkarte key."""

    endpoint: str
    key: str


@dataclass(frozen=True)
class Desired:
    """One object Landkarte wants in NetBox."""

    endpoint: str
    key: str
    """Landkarte key (the ``landkarte_id`` custom field, or the name for config contexts)."""
    label: str
    """Plain words for messages, e.g. ``tenant 'Beckingen' (beckingen)``."""
    fields: dict[str, Any]
    """Native fields; values may be :class:`Ref`."""
    custom_fields: dict[str, Any] = field(default_factory=dict)
    create_only: frozenset[str] = frozenset()
    """Native fields written when the object is created and left to NetBox after that (never compared): a
    planned VM's ``status``, which the platform engineers change when it goes into production."""


@dataclass
class State:
    """Everything read from NetBox for the endpoints in question, as plain dicts, plus key ↔ id indexes."""

    objects: dict[str, list[dict[str, Any]]]
    """Endpoint → every object (managed or not)."""

    def __post_init__(self) -> None:
        self.key_to_id: dict[str, dict[str, int]] = {}
        self.id_to_key: dict[str, dict[int, str]] = {}
        for ep, objs in self.objects.items():
            self.index(ep, objs)

    def index(self, endpoint: str, objs: list[dict[str, Any]]) -> None:
        k2i: dict[str, int] = {}
        i2k: dict[int, str] = {}
        for obj in sorted(objs, key=lambda o: o["id"]):
            key = key_of(endpoint, obj)
            if key is not None and is_managed(obj):
                k2i.setdefault(key, obj["id"])
                i2k[obj["id"]] = key
        self.key_to_id[endpoint] = k2i
        self.id_to_key[endpoint] = i2k

    def replace(self, endpoint: str, objs: list[dict[str, Any]]) -> None:
        self.objects[endpoint] = objs
        self.index(endpoint, objs)


def tag_slugs(obj: dict[str, Any]) -> set[str]:
    out = set()
    for t in obj.get("tags") or ():
        out.add(t["slug"] if isinstance(t, dict) else str(t))
    return out


def is_managed(obj: dict[str, Any]) -> bool:
    return OWNER_TAG in tag_slugs(obj)


def key_of(endpoint: str, obj: dict[str, Any]) -> str | None:
    """The Landkarte key of an actual object (``None`` when it has none)."""
    if endpoint == "extras.config-contexts":
        return obj.get("name")
    value = (obj.get("custom_fields") or {}).get(CF_ID)
    return value or None


def _ref_id(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get("id")
    return int(value)


def normalize(spec: EndpointSpec, obj: dict[str, Any], state: State) -> dict[str, Any]:
    """An actual object → ``{field: value}`` over the fields Landkarte sets, refs as Landkarte keys.

    A ref to an object Landkarte does not manage becomes ``"#<id>"`` (it never equals a desired key).
    """
    out: dict[str, Any] = {}
    for f in spec.fields:
        v = obj.get(f)
        if f in spec.refs:
            rid = _ref_id(v)
            v = None if rid is None else state.id_to_key.get(spec.refs[f], {}).get(rid, f"#{rid}")
        elif isinstance(v, dict) and "value" in v and "label" in v:
            v = v["value"]
        out[f] = v
    cfs = obj.get("custom_fields") or {}
    for name in spec.custom_fields:
        out[f"cf.{name}"] = cfs.get(name)
    return out


def desired_values(spec: EndpointSpec, d: Desired) -> dict[str, Any]:
    """A desired object in the same shape as :func:`normalize` gives."""
    out = {f: (d.fields.get(f).key if isinstance(d.fields.get(f), Ref) else d.fields.get(f)) for f in spec.fields}
    for name in spec.custom_fields:
        out[f"cf.{name}"] = d.custom_fields.get(name)
    return out
