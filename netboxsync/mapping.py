"""Landscape (and optionally a Plan) → the NetBox objects Landkarte wants. Pure: no I/O.

See ``docs/netbox-mapping.md`` for the mapping and why. In short: organisations → tenants (grouped by
Kreis, Zweckverband, Land), sites → sites (in Kreis regions), physical hosts → devices, virtual hosts →
VMs in one cluster per site, OS → platforms; systems, dependencies and online services → JSON custom
fields on the tenant; whatever NetBox has no field for → the ``landkarte_record`` JSON custom field;
meta and catalogue → one inactive config context. Plan: data centres → sites, tenant networks → VLANs
and prefixes, planned VMs → VMs (status planned).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from common.errors import InputError
from common.ids import ascii_german
from inventory.models import Host, Landscape, OrganisationInventory, Site
from inventory.types import LAND_CODES, HostKind, OrgKind
from plan.models import Plan

from .endpoints import CF_DEPENDENCIES, CF_ID, CF_ONLINE_SERVICES, CF_RECORD, CF_SYSTEMS, SPECS
from .state import PLAN_PREFIX, Desired, Ref

__all__ = ["DISK_MB_PER_GB", "LANDSCAPE_CONTEXT", "MEMORY_MB_PER_GB", "MappingError", "desired_objects", "slugify"]

LANDSCAPE_CONTEXT = "landkarte-landscape"
"""Name of the config context that holds meta, catalogue and the order of organisations."""
MEMORY_MB_PER_GB = 1024
DISK_MB_PER_GB = 1000
_NAME_MAX = {"tenancy.tenants": 100, "dcim.sites": 100, "dcim.devices": 64,
             "virtualization.virtual-machines": 64, "virtualization.clusters": 100}
_ENGINEERS_STATUS = frozenset({"status"})
"""A planned VM is created with status ``planned``; after that its status is the platform engineers' (they set
it when the VM goes into production). Its go-live day is the custom field ``landkarte_live``."""


class MappingError(InputError):
    """The inventory cannot be mapped onto NetBox (e.g. two ids give the same slug)."""


def slugify(text: str, max_length: int = 100) -> str:
    """A NetBox slug (ASCII letters, digits, ``-``, ``_``).

    >>> slugify("Windows Server 2012 R2")
    'windows-server-2012-r2'
    >>> slugify("saarbrücken.rathaus")
    'saarbruecken-rathaus'
    """
    return re.sub(r"[^a-z0-9_]+", "-", ascii_german(text).lower()).strip("-")[:max_length] or "x"


def _display_names(items: Iterable[tuple[str, str, Any]], max_length: int) -> dict[str, str]:
    """Key → a name NetBox accepts: unique within its scope and short enough; ``name [key]`` when not."""
    items = list(items)
    seen = Counter((scope, name.casefold()) for _, name, scope in items)
    out = {}
    for key, name, scope in items:
        if seen[(scope, name.casefold())] > 1 or len(name) > max_length:
            suffix = f" [{key}]"
            name = name[: max(1, max_length - len(suffix))] + suffix
        out[key] = name[:max_length]
    return out


def _record(model: Any, *, exclude: set[str], name: str | None = None, shown: str | None = None) -> dict[str, Any]:
    rec = model.model_dump(mode="json", exclude=exclude)
    if name is not None and shown != name:
        rec["name"] = name  # NetBox shows a changed (unique or shortened) name; keep the original
    return rec


class _Builder:
    def __init__(self) -> None:
        self.objects: list[Desired] = []
        self._seen: dict[tuple[str, str], Desired] = {}

    def add(self, endpoint: str, key: str, label: str, fields: dict[str, Any],
            custom_fields: dict[str, Any] | None = None, *, create_only: frozenset[str] = frozenset()) -> Ref:
        spec = SPECS[endpoint]
        cfs = {} if spec.keyed_by_name else {CF_ID: key, **(custom_fields or {})}
        d = Desired(endpoint, key, label, fields, cfs, create_only)
        if (endpoint, key) in self._seen:
            raise MappingError(f"two objects map to the same NetBox {spec.label} {key!r}")
        self._seen[(endpoint, key)] = d
        self.objects.append(d)
        return Ref(endpoint, key)

    def check_natural_keys(self) -> None:
        by: dict[tuple[str, tuple[Any, ...]], str] = {}
        for d in self.objects:
            spec = SPECS[d.endpoint]
            nk = tuple((v.key if isinstance(v, Ref) else v) for v in (d.fields.get(f) for f in spec.natural_key))
            other = by.setdefault((d.endpoint, nk), d.label)
            if other != d.label:
                raise MappingError(f"{d.label} and {other} would be the same NetBox {spec.label} "
                                   f"({', '.join(spec.natural_key)} = {', '.join(map(str, nk))})")


def desired_objects(landscape: Landscape, plan: Plan | None = None) -> list[Desired]:
    """Every object Landkarte wants in NetBox for ``landscape`` (and ``plan``), in dependency order.

    Raises
    ------
    MappingError
        When two inventory records would become the same NetBox object.
    """
    b = _Builder()
    _shared(b)
    regions = _regions(b, landscape)
    groups = _tenant_groups(b, landscape)
    tenants = _tenants(b, landscape, groups)
    sites = _sites(b, landscape, regions, tenants)
    _hosts(b, landscape, sites, tenants)
    if plan is not None:
        _plan(b, landscape, plan, sites, tenants)
    b.add("extras.config-contexts", LANDSCAPE_CONTEXT, f"config context {LANDSCAPE_CONTEXT!r}", {
        "name": LANDSCAPE_CONTEXT,
        "description": "Landkarte: inventory meta, catalogue and order (inactive; read by landkarte netbox pull)",
        "is_active": False,
        "weight": 1000,
        "data": {
            "meta": landscape.meta.model_dump(mode="json"),
            "catalogue": landscape.catalogue.model_dump(mode="json"),
            "organisations": [o.organisation.id for o in landscape.organisations],
        },
    })
    b.check_natural_keys()
    order = {s.name: i for i, s in enumerate(SPECS.values())}
    return sorted(b.objects, key=lambda d: order[d.endpoint])


# ------------------------------------------------------------------------------------------- parts


def _shared(b: _Builder) -> None:
    b.add("dcim.manufacturers", "manufacturer:generic", "manufacturer 'Generic (Landkarte)'",
          {"name": "Generic (Landkarte)", "slug": "landkarte-generic"})
    b.add("dcim.device-types", "device-type:server", "device type 'Server (Landkarte)'",
          {"manufacturer": Ref("dcim.manufacturers", "manufacturer:generic"), "model": "Server (Landkarte)",
           "slug": "landkarte-server"})
    b.add("dcim.device-roles", "role:server", "device role 'Server (Landkarte)'",
          {"name": "Server (Landkarte)", "slug": "landkarte-server", "color": "2196f3", "vm_role": True})
    b.add("virtualization.cluster-types", "cluster-type:virtualisierung", "cluster type 'Virtualisierung'",
          {"name": "Virtualisierung (Landkarte)", "slug": "landkarte-virtualisierung"})


def _district_names(landscape: Landscape) -> dict[str, str]:
    """Kreisschlüssel → name, preferring the Kreis's own organisation record."""
    names: dict[str, str] = {}
    for inv in landscape.organisations:
        o = inv.organisation
        if o.district is None:
            continue
        own = o.kind in (OrgKind.LANDKREIS, OrgKind.REGIONALVERBAND)
        if own or o.district not in names:
            names[o.district] = o.district_name or (o.name if own else f"Kreis {o.district}")
    return dict(sorted(names.items()))


def _regions(b: _Builder, landscape: Landscape) -> dict[str, Ref]:
    """Kreisschlüssel → region (below a region for the Land, when the landscape names one)."""
    land = landscape.meta.land
    parent = None
    if land is not None:
        parent = b.add("dcim.regions", f"region:{land}", f"region {LAND_CODES[land]!r}",
                       {"name": LAND_CODES[land], "slug": slugify(LAND_CODES[land]), "parent": None,
                        "description": "Land (Landkarte)"})
    out = {}
    for district, name in _district_names(landscape).items():
        out[district] = b.add("dcim.regions", f"region:{district}", f"region {name!r} ({district})",
                              {"name": name, "slug": f"kreis-{district}", "parent": parent,
                               "description": f"Kreis {district} (Landkarte)"})
    if parent is not None:
        out[""] = parent
    return out


def _tenant_groups(b: _Builder, landscape: Landscape) -> dict[str, Ref]:
    """Kreisschlüssel / ``zweckverband`` / ``land`` → tenant group."""
    out = {}
    for district, name in _district_names(landscape).items():
        out[district] = b.add("tenancy.tenant-groups", f"group:{district}", f"tenant group {name!r}",
                              {"name": name, "slug": f"kreis-{district}", "description": f"Kreis {district}"})
    kinds = {inv.organisation.kind for inv in landscape.organisations}
    if OrgKind.ZWECKVERBAND in kinds:
        out["zweckverband"] = b.add("tenancy.tenant-groups", "group:zweckverband", "tenant group 'Zweckverband'",
                                    {"name": "Zweckverband", "slug": "zweckverband", "description": ""})
    if OrgKind.LAND in kinds:
        out["land"] = b.add("tenancy.tenant-groups", "group:land", "tenant group 'Land'",
                            {"name": "Land", "slug": "land", "description": ""})
    return out


def _group_of(inv: OrganisationInventory, groups: dict[str, Ref]) -> Ref | None:
    o = inv.organisation
    if o.kind == OrgKind.ZWECKVERBAND:
        return groups.get("zweckverband")
    if o.kind == OrgKind.LAND:
        return groups.get("land")
    return groups.get(o.district) if o.district else None


def _tenants(b: _Builder, landscape: Landscape, groups: dict[str, Ref]) -> dict[str, Ref]:
    names = _display_names(((i.organisation.id, i.organisation.name, None) for i in landscape.organisations),
                           _NAME_MAX["tenancy.tenants"])
    out = {}
    for inv in landscape.organisations:
        o = inv.organisation
        record = {
            "organisation": _record(o, exclude={"id", "name"}, name=o.name, shown=names[o.id]),
            "sites": [s.id for s in inv.sites],
            "hosts": [h.id for h in inv.hosts],
        }
        desc = o.kind.value + (f", AGS {o.ags}" if o.ags else "")
        out[o.id] = b.add(
            "tenancy.tenants", o.id, f"tenant {o.name!r} (organisation {o.id})",
            {"name": names[o.id], "slug": slugify(o.id), "group": _group_of(inv, groups), "description": desc},
            {
                CF_RECORD: record,
                CF_SYSTEMS: [s.model_dump(mode="json") for s in inv.systems],
                CF_DEPENDENCIES: [d.model_dump(mode="json") for d in inv.dependencies],
                CF_ONLINE_SERVICES: [v.model_dump(mode="json") for v in inv.online_services],
            },
        )
    return out


def _site_region(site: Site, org_district: str | None, regions: dict[str, Ref]) -> Ref | None:
    district = site.ags[:5] if site.ags else org_district
    return regions.get(district or "", regions.get(""))


def _sites(b: _Builder, landscape: Landscape, regions: dict[str, Ref], tenants: dict[str, Ref]) -> dict[str, Ref]:
    names = _display_names(((s.id, s.name, None) for s in landscape.sites.values()), _NAME_MAX["dcim.sites"])
    out = {}
    for inv in landscape.organisations:
        for s in inv.sites:
            out[s.id] = b.add(
                "dcim.sites", s.id, f"site {s.name!r} ({s.id})",
                {"name": names[s.id], "slug": slugify(s.id), "status": "active",
                 "region": _site_region(s, inv.organisation.district, regions),
                 "tenant": tenants[inv.organisation.id], "description": s.kind.value},
                {CF_RECORD: _record(s, exclude={"id", "name"}, name=s.name, shown=names[s.id])},
            )
    return out


def _platform(b: _Builder, host: Host, made: dict[tuple[str, str], Ref]) -> Ref:
    k = (host.os.name, host.os.version)
    if k not in made:
        name = f"{host.os.name} {host.os.version}"
        made[k] = b.add("dcim.platforms", f"platform:{slugify(name)}", f"platform {name!r}",
                        {"name": name[:100], "slug": slugify(name)},
                        {CF_RECORD: {"name": host.os.name, "version": host.os.version}})
    return made[k]


def _hosts(b: _Builder, landscape: Landscape, sites: dict[str, Ref], tenants: dict[str, Ref]) -> None:
    hosts = landscape.hosts
    owner = landscape.owner
    platforms: dict[tuple[str, str], Ref] = {}
    for h in sorted(hosts.values(), key=lambda h: (h.os.name, h.os.version)):
        _platform(b, h, platforms)
    # One cluster per site with virtual hosts; the VM's cluster decides where its hypervisor may be.
    clusters: dict[str, Ref] = {}
    virtual_sites = sorted({h.site for h in hosts.values() if h.kind == HostKind.VIRTUAL})
    cnames = _display_names(((s, s, None) for s in virtual_sites), _NAME_MAX["virtualization.clusters"])
    for site_id in virtual_sites:
        clusters[site_id] = b.add(
            "virtualization.clusters", f"cluster:{site_id}", f"cluster {cnames[site_id]!r}",
            {"name": cnames[site_id], "type": Ref("virtualization.cluster-types", "cluster-type:virtualisierung"),
             "status": "active", "scope_type": "dcim.site", "scope_id": sites[site_id]})

    def native_hypervisor(h: Host) -> str | None:
        hv = hosts.get(h.hypervisor) if h.hypervisor else None
        return hv.id if hv is not None and hv.kind == HostKind.PHYSICAL and hv.site == h.site else None

    hypervisors = {native_hypervisor(h) for h in hosts.values() if h.kind == HostKind.VIRTUAL} - {None}
    dev_names = _display_names(((h.id, h.name, (h.site, owner[h.id])) for h in hosts.values()
                                if h.kind == HostKind.PHYSICAL), _NAME_MAX["dcim.devices"])
    vm_names = _display_names(((h.id, h.name, (h.site, owner[h.id])) for h in hosts.values()
                               if h.kind == HostKind.VIRTUAL), _NAME_MAX["virtualization.virtual-machines"])
    for h in hosts.values():
        tenant = tenants[owner[h.id]]
        platform = platforms[(h.os.name, h.os.version)]
        if h.kind == HostKind.PHYSICAL:
            rec = _record(h, exclude={"id", "name", "kind", "site", "os", "hypervisor"}, name=h.name,
                          shown=dev_names[h.id])
            rec["os_end_of_life"] = h.os.end_of_life.isoformat() if h.os.end_of_life else None
            if h.hypervisor is not None:
                rec["hypervisor"] = h.hypervisor
            b.add("dcim.devices", h.id, f"device {h.name!r} ({h.id})",
                  {"name": dev_names[h.id], "device_type": Ref("dcim.device-types", "device-type:server"),
                   "role": Ref("dcim.device-roles", "role:server"), "site": sites[h.site], "tenant": tenant,
                   "platform": platform, "cluster": clusters.get(h.site) if h.id in hypervisors else None,
                   "status": "active"},
                  {CF_RECORD: rec})
        else:
            rec = _record(h, exclude={"id", "name", "kind", "site", "os", "size", "hypervisor"}, name=h.name,
                          shown=vm_names[h.id])
            rec["os_end_of_life"] = h.os.end_of_life.isoformat() if h.os.end_of_life else None
            native = native_hypervisor(h)
            if h.hypervisor is not None and native is None:
                rec["hypervisor"] = h.hypervisor
            b.add("virtualization.virtual-machines", h.id, f"virtual machine {h.name!r} ({h.id})",
                  {"name": vm_names[h.id], "cluster": clusters[h.site], "site": sites[h.site],
                   "device": Ref("dcim.devices", native) if native else None, "tenant": tenant,
                   "platform": platform, "role": Ref("dcim.device-roles", "role:server"), "status": "active",
                   "vcpus": h.size.vcpu, "memory": h.size.ram_gb * MEMORY_MB_PER_GB,
                   "disk": h.size.storage_gb * DISK_MB_PER_GB},
                  {CF_RECORD: rec})


def _plan(b: _Builder, landscape: Landscape, plan: Plan, sites: dict[str, Ref], tenants: dict[str, Ref]) -> None:
    """The plan's target data centres, tenant networks and planned VMs (keys start with ``plan/``)."""
    dc_site: dict[str, Ref] = {}
    for dc in plan.data_centres:
        if dc.id in sites:
            dc_site[dc.id] = sites[dc.id]
        else:
            dc_site[dc.id] = b.add("dcim.sites", f"{PLAN_PREFIX}dc/{dc.id}", f"planned data centre {dc.name!r}",
                                   {"name": dc.name[:100], "slug": slugify(f"plan-{dc.id}"), "status": "planned",
                                    "region": None, "tenant": None, "description": "Zielrechenzentrum (Plan)"},
                                   {CF_RECORD: dc.model_dump(mode="json")})
        b.add("ipam.prefixes", f"{PLAN_PREFIX}supernet/{dc.id}", f"prefix {dc.supernet} ({dc.id})",
              {"prefix": dc.supernet, "vrf": None, "status": "container", "scope_type": "dcim.site", "scope_id": dc_site[dc.id],
               "tenant": None, "vlan": None, "description": f"Mandantennetze {dc.name}"[:200]})
    groups: dict[str, Ref] = {}
    by_dc: dict[str, list] = defaultdict(list)
    for tn in plan.tenant_networks:
        by_dc[tn.data_centre].append(tn)
    for dc_id, nets in sorted(by_dc.items()):
        if dc_id not in dc_site:
            raise MappingError(f"plan: tenant network of {nets[0].org} names unknown data centre {dc_id!r}")
        groups[dc_id] = b.add("ipam.vlan-groups", f"{PLAN_PREFIX}vlan-group/{dc_id}", f"VLAN group of {dc_id}",
                              {"name": f"Mandanten {dc_id}"[:100], "slug": slugify(f"landkarte-{dc_id}"),
                               "scope_type": "dcim.site", "scope_id": dc_site[dc_id]})
        for tn in nets:
            vlan = b.add("ipam.vlans", f"{PLAN_PREFIX}vlan/{dc_id}/{tn.org}", f"VLAN {tn.vlan} ({tn.org} in {dc_id})",
                         {"vid": tn.vlan, "name": tn.org[:64], "group": groups[dc_id],
                          "tenant": tenants.get(tn.org), "status": "reserved"})
            b.add("ipam.prefixes", f"{PLAN_PREFIX}prefix/{dc_id}/{tn.org}", f"prefix {tn.prefix} ({tn.org})",
                  {"prefix": tn.prefix, "vrf": None, "status": "reserved", "scope_type": "dcim.site", "scope_id": dc_site[dc_id],
                   "tenant": tenants.get(tn.org), "vlan": vlan, "description": f"Mandantennetz {tn.org}"})
    vm_dcs = sorted({vm.data_centre for vm in plan.vms})
    for dc_id in vm_dcs:
        if dc_id not in dc_site:
            raise MappingError(f"plan: a planned VM names unknown data centre {dc_id!r}")
    clusters = {dc_id: b.add("virtualization.clusters", f"{PLAN_PREFIX}cluster/{dc_id}", f"planned cluster {dc_id}",
                             {"name": f"Ziel {dc_id}"[:100],
                              "type": Ref("virtualization.cluster-types", "cluster-type:virtualisierung"),
                              "status": "planned", "scope_type": "dcim.site", "scope_id": dc_site[dc_id]})
                for dc_id in vm_dcs}
    for vm in plan.vms:
        b.add("virtualization.virtual-machines", f"{PLAN_PREFIX}vm/{vm.id}", f"planned VM {vm.name!r}",
              {"name": vm.name[:64], "cluster": clusters[vm.data_centre], "site": dc_site[vm.data_centre],
               "device": None, "tenant": None, "platform": None, "role": Ref("dcim.device-roles", "role:server"),
               "status": "planned", "vcpus": vm.vcpu, "memory": vm.ram_gb * MEMORY_MB_PER_GB,
               "disk": vm.disk_gb * DISK_MB_PER_GB},
              {CF_RECORD: vm.model_dump(mode="json")},
              create_only=_ENGINEERS_STATUS)
