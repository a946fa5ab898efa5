"""NetBox → Landscape: the reverse of :mod:`netboxsync.mapping`.

Only objects with the ownership tag and a ``landkarte_id`` are read; plan objects (``plan/…``) are not
inventory and are left out. Native fields win where NetBox has them (names, the site and tenant of a
host, platform, VM size, hypervisor), so an edit made in NetBox comes back; everything else comes from the
``landkarte_record`` and the tenant's JSON custom fields.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from common.catalogue import Catalogue
from inventory.models import Landscape, LandscapeMeta
from inventory.types import HostKind

from .endpoints import CF_DEPENDENCIES, CF_ONLINE_SERVICES, CF_RECORD, CF_SYSTEMS
from .errors import NotALandscape
from .mapping import DISK_MB_PER_GB, LANDSCAPE_CONTEXT, MEMORY_MB_PER_GB
from .state import PLAN_PREFIX, State, is_managed, key_of

__all__ = ["PULL_ENDPOINTS", "landscape_from_state"]

PULL_ENDPOINTS = ("tenancy.tenants", "dcim.sites", "dcim.platforms", "dcim.devices",
                  "virtualization.virtual-machines", "extras.config-contexts")


def _managed(state: State, endpoint: str) -> dict[str, dict[str, Any]]:
    out = {}
    for obj in sorted(state.objects.get(endpoint, []), key=lambda o: o["id"]):
        key = key_of(endpoint, obj)
        if key and is_managed(obj) and not key.startswith(PLAN_PREFIX):
            out.setdefault(key, obj)
    return out


def _ref_key(state: State, endpoint: str, value: Any) -> str | None:
    if value is None:
        return None
    rid = value["id"] if isinstance(value, dict) else int(value)
    return state.id_to_key.get(endpoint, {}).get(rid)


def _cf(obj: dict[str, Any], name: str, default: Any) -> Any:
    value = (obj.get("custom_fields") or {}).get(name)
    return default if value is None else value


def _ordered(items: dict[str, dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """Items in the recorded order, then any others (added in NetBox) by key."""
    pos = {k: i for i, k in enumerate(order)}
    return [v for _, v in sorted(items.items(), key=lambda kv: (pos.get(kv[0], len(pos)), kv[0]))]


def landscape_from_state(state: State) -> Landscape:
    """Build the inventory back from NetBox objects.

    Raises
    ------
    NotALandscape
        When NetBox holds no Landkarte landscape, or the objects do not form a valid inventory (the message
        names the NetBox object and the field).
    """
    ctx = _managed(state, "extras.config-contexts").get(LANDSCAPE_CONTEXT)
    if ctx is None:
        raise NotALandscape(f"NetBox holds no Landkarte inventory (config context {LANDSCAPE_CONTEXT!r} with the "
                            "'landkarte' tag is missing); push one first")
    data = ctx.get("data") or {}
    try:
        meta = LandscapeMeta.model_validate(data.get("meta"))
        catalogue = Catalogue.model_validate(data.get("catalogue"))
    except ValidationError as exc:
        raise NotALandscape(f"config context {LANDSCAPE_CONTEXT!r}: {_first(exc)}") from None

    tenants = _managed(state, "tenancy.tenants")
    platforms = {k: _cf(p, CF_RECORD, {}) for k, p in _managed(state, "dcim.platforms").items()}
    sites_by_org: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in tenants}
    hosts_by_org: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in tenants}
    problems: list[str] = []

    for key, s in _managed(state, "dcim.sites").items():
        org = _ref_key(state, "tenancy.tenants", s.get("tenant"))
        if org not in sites_by_org:
            problems.append(f"site {s.get('name')!r} ({key}): tenant is not a Landkarte organisation")
            continue
        rec = dict(_cf(s, CF_RECORD, {}))
        sites_by_org[org][key] = {"id": key, "name": rec.pop("name", s.get("name")), **rec}

    def host(key: str, obj: dict[str, Any], kind: HostKind) -> None:
        org = _ref_key(state, "tenancy.tenants", obj.get("tenant"))
        site = _ref_key(state, "dcim.sites", obj.get("site"))
        label = f"{'device' if kind == HostKind.PHYSICAL else 'virtual machine'} {obj.get('name')!r} ({key})"
        if org not in hosts_by_org or site is None:
            problems.append(f"{label}: tenant or site is not a Landkarte organisation/site")
            return
        rec = dict(_cf(obj, CF_RECORD, {}))
        plat = platforms.get(_ref_key(state, "dcim.platforms", obj.get("platform")) or "", {})
        out: dict[str, Any] = {
            "id": key, "name": rec.pop("name", obj.get("name")), "kind": kind.value, "site": site,
            "os": {"name": plat.get("name"), "version": plat.get("version"),
                   "end_of_life": rec.pop("os_end_of_life", None)},
        }
        if kind == HostKind.VIRTUAL:
            size = _vm_size(obj, label, problems)
            if size is None:
                return
            out["size"] = size
            out["hypervisor"] = _ref_key(state, "dcim.devices", obj.get("device")) or rec.pop("hypervisor", None)
            rec.pop("hypervisor", None)
        out.update(rec)
        hosts_by_org[org][key] = out

    for key, d in _managed(state, "dcim.devices").items():
        host(key, d, HostKind.PHYSICAL)
    for key, v in _managed(state, "virtualization.virtual-machines").items():
        host(key, v, HostKind.VIRTUAL)
    if problems:
        raise NotALandscape("NetBox objects do not form a valid inventory:\n" + "\n".join(f"  - {p}" for p in problems))

    organisations = []
    for t in _ordered(tenants, list(data.get("organisations") or [])):
        key = key_of("tenancy.tenants", t) or ""
        rec = _cf(t, CF_RECORD, {})
        org = dict(rec.get("organisation") or {})
        organisations.append({
            "organisation": {"id": key, "name": org.pop("name", t.get("name")), **org},
            "sites": _ordered(sites_by_org[key], rec.get("sites") or []),
            "hosts": _ordered(hosts_by_org[key], rec.get("hosts") or []),
            "systems": _cf(t, CF_SYSTEMS, []),
            "dependencies": _cf(t, CF_DEPENDENCIES, []),
            "online_services": _cf(t, CF_ONLINE_SERVICES, []),
        })
    try:
        return Landscape.model_validate({"meta": meta, "catalogue": catalogue, "organisations": organisations})
    except ValidationError as exc:
        raise NotALandscape("NetBox objects do not form a valid inventory: " + _where(exc, organisations)) from None


def _whole(value: Any, unit: int) -> int | None:
    """``value`` (NetBox's number) divided by ``unit`` when that is a whole number ≥ 0, else ``None``."""
    try:
        exact = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not exact.is_finite() or exact < 0 or exact % unit != 0:
        return None
    return int(exact / unit)


def _vm_size(obj: dict[str, Any], label: str, problems: list[str]) -> dict[str, int] | None:
    """vCPUs, memory and disk of a VM as the inventory holds them (whole vCPUs, whole GB), or ``None``
    after adding one problem per value the inventory cannot represent: a pull never rounds."""
    size: dict[str, int] = {}
    for field, target, unit, unit_text in (("vcpus", "vcpu", 1, "a whole number of vCPUs"),
                                           ("memory", "ram_gb", MEMORY_MB_PER_GB, f"whole GB ({MEMORY_MB_PER_GB} MB)"),
                                           ("disk", "storage_gb", DISK_MB_PER_GB, f"whole GB ({DISK_MB_PER_GB} MB)")):
        value = obj.get(field)
        if value is None:
            problems.append(f"{label}: {field} is empty in NetBox; the inventory needs {unit_text}")
            continue
        whole = _whole(value, unit)
        if whole is None:
            shown = f"{value} MB" if unit != 1 else str(value)
            problems.append(f"{label}: {field} {shown} cannot be represented in the inventory, which holds "
                            f"{unit_text}; change it in NetBox (nothing is rounded)")
            continue
        size[target] = whole
    return size if len(size) == 3 else None


def _first(exc: ValidationError) -> str:
    e = exc.errors(include_url=False, include_input=False)[0]
    return f"{'.'.join(map(str, e['loc']))}: {e['msg']} ({exc.error_count()} error(s))"


def _where(exc: ValidationError, organisations: list[dict[str, Any]]) -> str:
    """Name the tenant (organisation) and the field for each error."""
    parts = []
    for e in exc.errors(include_url=False, include_input=False)[:20]:
        loc = list(e["loc"])
        if len(loc) >= 2 and loc[0] == "organisations" and isinstance(loc[1], int) and loc[1] < len(organisations):
            org = organisations[loc[1]]["organisation"]["id"]
            parts.append(f"tenant {org}: {'.'.join(map(str, loc[2:]))}: {e['msg']}")
        else:
            parts.append(f"{'.'.join(map(str, loc))}: {e['msg']}")
    return "; ".join(parts)
