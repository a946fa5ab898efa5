"""Thin per-endpoint maps: which NetBox endpoints Landkarte writes, in which order, and how to compare them.

Each :class:`EndpointSpec` says which fields Landkarte sets (the only ones it compares and writes), which of
them point to other objects (compared by their Landkarte key, written as ids), and the natural key NetBox
itself enforces (used to spot an existing object without the ownership tag).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CF_DEPENDENCIES",
    "CF_ID",
    "CF_LIVE",
    "CF_ONLINE_SERVICES",
    "CF_PROGRESS",
    "CF_RECORD",
    "CF_SYSTEMS",
    "CUSTOM_FIELDS",
    "ENDPOINTS",
    "FILLED_IN_NETBOX",
    "LIVE_OBJECT_TYPES",
    "OWNER_TAG",
    "PROGRESS_OBJECT_TYPES",
    "SPECS",
    "UNIQUE_RULES",
    "EndpointSpec",
    "UniqueRule",
]

OWNER_TAG = "landkarte"
"""Slug of the ownership tag: Landkarte only changes or deletes objects that carry it."""

CF_ID = "landkarte_id"
CF_RECORD = "landkarte_record"
CF_SYSTEMS = "landkarte_systems"
CF_DEPENDENCIES = "landkarte_dependencies"
CF_ONLINE_SERVICES = "landkarte_online_services"
CF_PROGRESS = "landkarte_progress"
"""The organisation's progress (Ist-Stand) per system, kept in NetBox by the people doing the work: Landkarte
creates the field but never writes or compares it on push; ``landkarte actuals pull --netbox`` reads it."""
PROGRESS_OBJECT_TYPES = ("tenancy.tenant",)
CF_LIVE = "landkarte_live"
"""The day a planned VM went into production, set in NetBox by the platform engineers: like
:data:`CF_PROGRESS` created by Landkarte but never written or compared on push; a target instance is live
when every one of its planned VMs has a day (``landkarte actuals pull --netbox`` reads it)."""
LIVE_OBJECT_TYPES = ("virtualization.virtualmachine",)
FILLED_IN_NETBOX: dict[str, tuple[str, ...]] = {CF_PROGRESS: PROGRESS_OBJECT_TYPES, CF_LIVE: LIVE_OBJECT_TYPES}
"""Landkarte's custom fields that people fill in NetBox (the actuals), with the object types they are on: the
first push creates them, a push never writes or compares them, a release clears them."""


@dataclass(frozen=True)
class EndpointSpec:
    """How Landkarte uses one NetBox endpoint."""

    name: str
    """pynetbox path, e.g. ``tenancy.tenants``."""
    object_type: str
    """Content type, e.g. ``tenancy.tenant`` (for custom fields)."""
    label: str
    """What users call it in messages."""
    fields: tuple[str, ...]
    """Native fields Landkarte sets and compares."""
    refs: dict[str, str] = field(default_factory=dict)
    """Field → endpoint it points to."""
    natural_key: tuple[str, ...] = ("slug",)
    """Fields NetBox keeps unique (after ref resolution): an untagged object with the same key is a conflict."""
    custom_fields: tuple[str, ...] = (CF_ID,)
    """Landkarte's custom fields on this endpoint (``landkarte_id`` identifies the object)."""
    keyed_by_name: bool = False
    """The object cannot carry custom fields: ``name`` is its Landkarte key (config contexts)."""


ENDPOINTS: tuple[EndpointSpec, ...] = (
    EndpointSpec("tenancy.tenant-groups", "tenancy.tenantgroup", "tenant group", ("name", "slug", "description")),
    EndpointSpec("dcim.regions", "dcim.region", "region", ("name", "slug", "parent", "description"),
                 refs={"parent": "dcim.regions"}),
    EndpointSpec("tenancy.tenants", "tenancy.tenant", "tenant", ("name", "slug", "group", "description"),
                 refs={"group": "tenancy.tenant-groups"},
                 custom_fields=(CF_ID, CF_RECORD, CF_SYSTEMS, CF_DEPENDENCIES, CF_ONLINE_SERVICES)),
    EndpointSpec("dcim.sites", "dcim.site", "site",
                 ("name", "slug", "status", "region", "tenant", "description"),
                 refs={"region": "dcim.regions", "tenant": "tenancy.tenants"},
                 custom_fields=(CF_ID, CF_RECORD)),
    EndpointSpec("dcim.manufacturers", "dcim.manufacturer", "manufacturer", ("name", "slug")),
    EndpointSpec("dcim.device-types", "dcim.devicetype", "device type", ("manufacturer", "model", "slug"),
                 refs={"manufacturer": "dcim.manufacturers"}, natural_key=("manufacturer", "slug")),
    EndpointSpec("dcim.device-roles", "dcim.devicerole", "device role", ("name", "slug", "color", "vm_role")),
    EndpointSpec("dcim.platforms", "dcim.platform", "platform", ("name", "slug"),
                 custom_fields=(CF_ID, CF_RECORD)),
    EndpointSpec("virtualization.cluster-types", "virtualization.clustertype", "cluster type", ("name", "slug")),
    EndpointSpec("virtualization.clusters", "virtualization.cluster", "cluster",
                 ("name", "type", "status", "scope_type", "scope_id"),
                 refs={"type": "virtualization.cluster-types", "scope_id": "dcim.sites"}, natural_key=("name",)),
    EndpointSpec("dcim.devices", "dcim.device", "device",
                 ("name", "device_type", "role", "site", "tenant", "platform", "cluster", "status"),
                 refs={"device_type": "dcim.device-types", "role": "dcim.device-roles", "site": "dcim.sites",
                       "tenant": "tenancy.tenants", "platform": "dcim.platforms",
                       "cluster": "virtualization.clusters"},
                 natural_key=("name", "site", "tenant"), custom_fields=(CF_ID, CF_RECORD)),
    EndpointSpec("virtualization.virtual-machines", "virtualization.virtualmachine", "virtual machine",
                 ("name", "cluster", "site", "device", "tenant", "platform", "role", "status", "vcpus", "memory",
                  "disk"),
                 refs={"cluster": "virtualization.clusters", "site": "dcim.sites", "device": "dcim.devices",
                       "tenant": "tenancy.tenants", "platform": "dcim.platforms", "role": "dcim.device-roles"},
                 natural_key=("name", "cluster", "tenant"), custom_fields=(CF_ID, CF_RECORD)),
    EndpointSpec("ipam.vlan-groups", "ipam.vlangroup", "VLAN group", ("name", "slug", "scope_type", "scope_id"),
                 refs={"scope_id": "dcim.sites"}, natural_key=("slug",)),
    EndpointSpec("ipam.vlans", "ipam.vlan", "VLAN", ("vid", "name", "group", "tenant", "status"),
                 refs={"group": "ipam.vlan-groups", "tenant": "tenancy.tenants"}, natural_key=("group", "vid")),
    EndpointSpec("ipam.prefixes", "ipam.prefix", "prefix",
                 ("prefix", "vrf", "status", "scope_type", "scope_id", "tenant", "vlan", "description"),
                 refs={"vrf": "ipam.vrfs", "scope_id": "dcim.sites", "tenant": "tenancy.tenants", "vlan": "ipam.vlans"},
                 natural_key=("vrf", "prefix")),
    EndpointSpec("extras.config-contexts", "extras.configcontext", "config context",
                 ("name", "description", "is_active", "weight", "data"), natural_key=("name",),
                 custom_fields=(), keyed_by_name=True),
)
"""Every endpoint in dependency order: create and update in this order, delete in reverse."""

SPECS: dict[str, EndpointSpec] = {s.name: s for s in ENDPOINTS}

# Custom fields Landkarte defines: name → (type, label, description).
CUSTOM_FIELDS: dict[str, tuple[str, str, str]] = {
    CF_ID: ("text", "Landkarte-ID", "Stable id of the object in the Landkarte inventory (key of the sync)."),
    CF_RECORD: ("json", "Landkarte-Daten",
                "Inventory attributes NetBox has no field for (kind, AGS, capacity, provenance, …)."),
    CF_SYSTEMS: ("json", "Fachverfahren",
                 "The organisation's systems (Fachverfahren, Basis-IT) with contract and Schutzbedarf."),
    CF_DEPENDENCIES: ("json", "Schnittstellen", "Dependencies between the organisation's systems."),
    CF_ONLINE_SERVICES: ("json", "Online-Dienste", "OZG online services of the organisation."),
    CF_PROGRESS: ("json", "Landkarte-Fortschritt", ("Progress per system (Ist-Stand): {system id: {status, date, "
                                                    "reason, not_before}}; kept in NetBox, read by landkarte actuals pull.")),
    CF_LIVE: ("date", "Landkarte-Inbetriebnahme", ("Day this planned VM went into production; its target instance is "
                                                   "live when all its VMs have one. Kept in NetBox, read by landkarte "
                                                   "actuals pull.")),
}


@dataclass(frozen=True)
class UniqueRule:
    """One uniqueness rule NetBox enforces for an object type (a unique field or a unique constraint).

    ``fields`` are REST field names (``cf.<name>`` for a custom field; ``_site`` is the site a scoped object
    belongs to). SQL compares empty values as distinct unless ``nulls_distinct`` is false.
    """

    fields: tuple[str, ...]
    text: str
    """The rule in plain words, e.g. "NetBox allows each site name only once"."""
    constraint: str
    """NetBox's constraint (``<field>`` for a unique field; ``ENFORCE_GLOBAL_UNIQUE`` for prefixes)."""
    lower: tuple[str, ...] = ()
    """Fields compared case-insensitively (``Lower(...)`` in the constraint)."""
    nulls_distinct: bool = True
    when_set: tuple[str, ...] = ()
    """The rule applies only when these fields are set (the constraint's condition)."""
    when_empty: tuple[str, ...] = ()
    """The rule applies only when these fields are empty."""

    def key(self, value: Callable[[str], Any]) -> tuple[Any, ...] | None:
        """The values this rule compares for one object (``value(field)``), or ``None`` when it does not apply."""
        if any(value(f) is None for f in self.when_set) or any(value(f) is not None for f in self.when_empty):
            return None
        out = []
        for f in self.fields:
            v = value(f)
            if v is None and self.nulls_distinct:
                return None
            out.append(v.lower() if f in self.lower and isinstance(v, str) else v)
        return tuple(out)


def _unique_fields(kind: str, *names: str) -> tuple[UniqueRule, ...]:
    return tuple(UniqueRule((n,), f"NetBox allows each {kind} {n} only once", n) for n in names)


def _per(kind: str, parent: str, parent_text: str, constraint: str, *, name: str = "name",
         nulls_distinct: bool = False) -> tuple[UniqueRule, ...]:
    return (UniqueRule((parent, name), f"NetBox allows each {kind} {name} only once per {parent_text}",
                       f"{constraint}_{name}" if constraint.endswith("parent") else constraint.format(name),
                       nulls_distinct=nulls_distinct),)


_CF_ID_RULE = UniqueRule((f"cf.{CF_ID}",), f"the custom field {CF_ID} is unique per object type", f"cf.{CF_ID}")

UNIQUE_RULES: dict[str, tuple[UniqueRule, ...]] = {
    "tenancy.tenant-groups": (*_unique_fields("tenant group", "name", "slug"), _CF_ID_RULE),
    "dcim.regions": (
        *_per("region", "parent", "parent region", "dcim_region_parent"),
        *_per("region", "parent", "parent region", "dcim_region_parent", name="slug"),
        _CF_ID_RULE),
    "tenancy.tenants": (
        *_per("tenant", "group", "tenant group", "tenancy_tenant_unique_group_{}"),
        *_per("tenant", "group", "tenant group", "tenancy_tenant_unique_group_{}", name="slug"),
        _CF_ID_RULE),
    "dcim.sites": (*_unique_fields("site", "name", "slug"), _CF_ID_RULE),
    "dcim.manufacturers": (*_unique_fields("manufacturer", "name", "slug"), _CF_ID_RULE),
    "dcim.device-types": (
        *_per("device type", "manufacturer", "manufacturer", "dcim_devicetype_unique_manufacturer_{}",
              name="model", nulls_distinct=True),
        *_per("device type", "manufacturer", "manufacturer", "dcim_devicetype_unique_manufacturer_{}",
              name="slug", nulls_distinct=True),
        _CF_ID_RULE),
    "dcim.device-roles": (
        *_per("device role", "parent", "parent role", "dcim_devicerole_parent"),
        *_per("device role", "parent", "parent role", "dcim_devicerole_parent", name="slug"),
        _CF_ID_RULE),
    "dcim.platforms": (
        *_per("platform", "manufacturer", "manufacturer (or none)", "dcim_platform_manufacturer_{}"),
        *_per("platform", "manufacturer", "manufacturer (or none)", "dcim_platform_manufacturer_{}", name="slug"),
        _CF_ID_RULE),
    "virtualization.cluster-types": (*_unique_fields("cluster type", "name", "slug"), _CF_ID_RULE),
    "virtualization.clusters": (
        UniqueRule(("group", "name"), "NetBox allows each cluster name only once per cluster group",
                   "virtualization_cluster_unique_group_name"),
        UniqueRule(("_site", "name"), "NetBox allows each cluster name only once per site",
                   "virtualization_cluster_unique__site_name"),
        _CF_ID_RULE),
    "dcim.devices": (
        UniqueRule(("name", "site", "tenant"), "NetBox allows each device name only once per site and tenant "
                   "(ignoring case)", "dcim_device_unique_name_site_tenant", lower=("name",),
                   nulls_distinct=False, when_set=("name",)),
        _CF_ID_RULE),
    "virtualization.virtual-machines": (
        UniqueRule(("name", "cluster", "tenant"), "NetBox allows each virtual machine name only once per "
                   "cluster and tenant (ignoring case)", "virtualization_virtualmachine_unique_name_cluster_tenant",
                   lower=("name",), nulls_distinct=False, when_set=("cluster",)),
        UniqueRule(("name", "device", "tenant"), "NetBox allows each virtual machine name only once per "
                   "device and tenant (ignoring case)", "virtualization_virtualmachine_unique_name_device_tenant",
                   lower=("name",), nulls_distinct=False, when_set=("device",), when_empty=("cluster",)),
        _CF_ID_RULE),
    "ipam.vlan-groups": (
        UniqueRule(("scope_type", "scope_id", "name"), "NetBox allows each VLAN group name only once per scope",
                   "ipam_vlangroup_unique_scope_name"),
        UniqueRule(("scope_type", "scope_id", "slug"), "NetBox allows each VLAN group slug only once per scope",
                   "ipam_vlangroup_unique_scope_slug"),
        _CF_ID_RULE),
    "ipam.vlans": (
        UniqueRule(("group", "vid"), "NetBox allows each VLAN id only once per VLAN group",
                   "ipam_vlan_unique_group_vid"),
        UniqueRule(("group", "name"), "NetBox allows each VLAN name only once per VLAN group",
                   "ipam_vlan_unique_group_name"),
        _CF_ID_RULE),
    "ipam.prefixes": (
        UniqueRule(("vrf", "prefix"), "NetBox allows each prefix only once in the global table (no VRF; "
                   "ENFORCE_GLOBAL_UNIQUE, on by default)", "ENFORCE_GLOBAL_UNIQUE", nulls_distinct=False,
                   when_empty=("vrf",)),
        _CF_ID_RULE),
    "extras.config-contexts": _unique_fields("config context", "name"),
}
"""Every uniqueness rule NetBox 4.7 enforces on the fields of the objects Landkarte writes (a test compares
them with the real models' constraints). Rules on fields Landkarte never sets (a device's asset tag, rack
position, primary IPs; a VLAN's Q-in-Q S-VLAN) cannot be broken by a push and are left out."""
