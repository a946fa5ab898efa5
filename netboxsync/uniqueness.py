"""NetBox's uniqueness rules, checked before the first write.

NetBox refuses an object that would break one of its unique constraints ("site with this name already
exists") — but only when the write arrives, after the objects before it have been written. This module
finds those collisions from what was read: for every object a push creates or changes, it computes the
values the object will have and compares them, rule by rule, with every other object of the endpoint
(Landkarte's and everybody else's). The rules are in :data:`netboxsync.endpoints.UNIQUE_RULES`; a test
compares them with the constraints of the real NetBox models.

Objects that a push deletes still exist while creates and updates run (deletes come last), so they count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from .endpoints import OWNER_TAG, SPECS, UNIQUE_RULES, UniqueRule
from .state import Desired, Ref, State, is_managed, key_of

__all__ = ["Collision", "find_collisions", "raw_value"]


class Collision:
    """A desired object that would break a NetBox uniqueness rule, and the object(s) in its way."""

    def __init__(self, endpoint: str, key: str, label: str, rule: UniqueRule, others: list[str]):
        self.endpoint = endpoint
        self.key = key
        self.label = label
        self.rule = rule
        self.others = others

    def text(self) -> str:
        return f"{self.label}: {self.rule.text} — already taken by {'; '.join(self.others)}"


def raw_value(obj: dict[str, Any], field: str) -> Any:
    """A field of an object read from NetBox, in a comparable form: related objects → id, choices → value.

    ``_site`` is the site a scoped object (cluster) belongs to, as NetBox caches it for its constraints.
    """
    if field == "_site":
        return _site_of(partial(raw_value, obj), obj)
    if field.startswith("cf."):
        return (obj.get("custom_fields") or {}).get(field[3:])
    v = obj.get(field)
    if isinstance(v, dict):
        if "id" in v:
            return v["id"]
        if "value" in v:
            return v["value"]
    return v


def _site_of(value: Callable[[str], Any], obj: dict[str, Any] | None) -> Any:
    if value("scope_type") == "dcim.site":
        return value("scope_id")
    scope = (obj or {}).get("scope")
    if isinstance(scope, dict) and isinstance(scope.get("site"), dict):  # a location's site
        return scope["site"].get("id")
    return None


def _post_value(fields: tuple[str, ...], d: Desired, base: dict[str, Any] | None, state: State, f: str) -> Any:
    """A field of desired object ``d`` after the push: Landkarte's value where it sets the field, else the
    existing object's (``base``) or, for a create, NetBox's default (empty)."""
    if f == "_site":
        return _site_of(partial(_post_value, fields, d, base, state), base)
    if f in fields or (f.startswith("cf.") and f[3:] in d.custom_fields):
        return _desired_value(d, f, state)
    return raw_value(base, f) if base is not None else None


def _desired_value(d: Desired, field: str, state: State) -> Any:
    if field.startswith("cf."):
        return d.custom_fields.get(field[3:])
    v = d.fields.get(field)
    if isinstance(v, Ref):
        rid = state.key_to_id.get(v.endpoint, {}).get(v.key)
        return rid if rid is not None else ("new", v.endpoint, v.key)  # equals only another ref to it
    return v


def _describe(spec_label: str, obj: dict[str, Any], rule: UniqueRule) -> str:
    owner = "Landkarte's" if is_managed(obj) else f"not Landkarte's (no '{OWNER_TAG}' tag)"
    name = obj.get("display") or obj.get("name") or obj.get("prefix") or obj.get("vid")
    fields = [f for f in rule.fields if not (f == "name" and name == obj.get("name"))]
    if obj.get("slug") and "slug" not in fields:
        fields.append("slug")
    shown = "".join(f"{f.removeprefix('cf.')} {_show(raw_value(obj, f), obj, f)}; " for f in fields)
    return f"NetBox {spec_label} #{obj['id']} {str(name)!r} ({shown}{owner})"


def _show(value: Any, obj: dict[str, Any], field: str) -> str:
    v = obj.get(field)
    if isinstance(v, dict):
        return str(v.get("display") or v.get("name") or v.get("slug") or v.get("id"))
    return "–" if value is None else repr(value) if isinstance(value, str) else str(value)


def find_collisions(desired: Iterable[Desired], state: State, touched: dict[str, dict[str, int | None]]
                    ) -> list[Collision]:
    """Every desired object that a push creates or changes and that would share a unique key with another.

    Parameters
    ----------
    desired : every object Landkarte wants.
    state : what NetBox holds now.
    touched : endpoint → {key: id of the existing object it updates, or None for a create}; objects the push
        leaves as they are (and conflicts it will not write) are not in it.

    Returns
    -------
    One :class:`Collision` per object and rule, in the order of ``desired``.
    """
    desired = list(desired)
    by_ep: dict[str, list[Desired]] = defaultdict(list)
    for d in desired:
        by_ep[d.endpoint].append(d)
    out: list[Collision] = []
    for endpoint, wanted in by_ep.items():
        rules = UNIQUE_RULES.get(endpoint, ())
        mine = touched.get(endpoint, {})
        if not rules or not mine:
            continue
        spec = SPECS[endpoint]
        objs = {o["id"]: o for o in state.objects.get(endpoint, [])}
        for rule in rules:
            index: dict[tuple[Any, ...], list[tuple[str, Any]]] = defaultdict(list)
            changed_ids = {i for i in mine.values() if i is not None}
            for oid, obj in objs.items():
                if oid in changed_ids:
                    continue  # its values after the push are the desired ones (below)
                k = rule.key(partial(raw_value, obj))
                if k is not None:
                    index[k].append(("netbox", oid))
            for d in wanted:
                if d.key not in mine:
                    continue
                base = objs.get(mine[d.key]) if mine[d.key] is not None else None

                k = rule.key(partial(_post_value, spec.fields, d, base, state))
                if k is not None:
                    index[k].append(("landkarte", d))
            for entries in index.values():
                if len(entries) < 2:
                    continue
                for who, item in entries:
                    if who != "landkarte":
                        continue
                    others = []
                    for who2, item2 in entries:
                        if item2 is item:
                            continue
                        if who2 == "netbox":
                            obj = objs[item2]
                            text = _describe(spec.label, obj, rule)
                            if is_managed(obj) and key_of(endpoint, obj) and key_of(endpoint, obj) not in mine:
                                text += ", which this push deletes only after its creates and updates"
                            others.append(text)
                        else:
                            others.append(f"{item2.label}, also in this push")
                    out.append(Collision(endpoint, item.key, item.label, rule, others))
    order = {(d.endpoint, d.key): i for i, d in enumerate(desired)}
    return sorted(out, key=lambda c: order.get((c.endpoint, c.key), 0))


