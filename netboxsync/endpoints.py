"""Thin per-endpoint maps: which NetBox endpoints Landkarte writes, in which order, and how to compare them.

Each :class:`EndpointSpec` says which fields Landkarte sets (the only ones it compares and writes), which of
them point to other objects (compared by their Landkarte key, written as ids), and the natural key NetBox
itself enforces (used to spot an existing object without the ownership tag).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CF_DEPENDENCIES",
    "CF_ID",
    "CF_ONLINE_SERVICES",
    "CF_RECORD",
    "CF_SYSTEMS",
    "CUSTOM_FIELDS",
    "ENDPOINTS",
    "OWNER_TAG",
    "SPECS",
    "EndpointSpec",
]

OWNER_TAG = "landkarte"
"""Slug of the ownership tag: Landkarte only changes or deletes objects that carry it."""

CF_ID = "landkarte_id"
CF_RECORD = "landkarte_record"
CF_SYSTEMS = "landkarte_systems"
CF_DEPENDENCIES = "landkarte_dependencies"
CF_ONLINE_SERVICES = "landkarte_online_services"


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
                 ("prefix", "status", "scope_type", "scope_id", "tenant", "vlan", "description"),
                 refs={"scope_id": "dcim.sites", "tenant": "tenancy.tenants", "vlan": "ipam.vlans"},
                 natural_key=("prefix",)),
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
}
