"""What the shared data centres need from the plan: tenant networks, VMs and allowed flows.

Everything is allocated deterministically in id order: per data centre the first block of
the supernet is the service network (VM addresses from ``.10``), tenant prefixes of
``tenant_prefix_length`` follow, one per organisation housed there, with VLANs from
``vlan_base``. Flows come from dependencies: a client (system or the target it moved to)
reaches a server (target instance or system) on the port of the interface kind; every
tenant reaches the targets it uses on the target's port. Everything else is denied.

>>> from consolidation.scenario import DataCentreSpec
>>> dc = DataCentreSpec.model_validate({"id": "rz", "name": "RZ", "supernet": "10.8.0.0/16",
...     "capacity": {"vcpu": 10, "ram_gb": 10, "storage_tb": 1}})
>>> [(t.org, t.prefix, t.vlan) for t in tenant_networks({"b": "rz", "a": "rz"}, [dc])]
[('a', '10.8.1.0/24', 100), ('b', '10.8.2.0/24', 101)]
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from common.errors import PlanningError
from plan.models import Flow, PlannedVM, TenantNetwork

from ._construct import builder
from .scenario import DataCentreSpec, Scenario

if TYPE_CHECKING:
    from inventory.models import Landscape

    from .placement import VmSize
    from .targets import TargetMapping

__all__ = ["PORTS", "AddressSpaceExhaustedError", "Network", "flows", "network", "planned_vms", "service_network",
           "tenant_networks"]

PORTS: dict[str, int] = {
    "authentifizierung": 636, "mail": 587, "ablage": 443, "xoev": 443, "api": 443, "datei": 22, "datenbank": 5432,
}
"""Port per dependency kind (LDAPS, SMTP submission, HTTPS, SFTP, PostgreSQL)."""


class AddressSpaceExhaustedError(PlanningError):
    """A data centre's supernet or VLAN range cannot hold every tenant or VM."""

    def __str__(self) -> str:
        return f"address space: {super().__str__()}"


def service_network(dc: DataCentreSpec, vms: int = 0) -> ipaddress.IPv4Network:
    """The service block at the start of the supernet: a /24, or larger when more VMs need addresses."""
    net = ipaddress.ip_network(dc.supernet)
    need = vms + 12
    plen = min(24, 32 - math.ceil(math.log2(need)))
    if plen < net.prefixlen:
        raise AddressSpaceExhaustedError(f"{dc.id}: supernet {dc.supernet} too small for {vms} VMs")
    return next(net.subnets(new_prefix=plen))


def tenant_networks(home: Mapping[str, str], dcs: Sequence[DataCentreSpec],
                    vms_per_dc: Mapping[str, int] | None = None) -> list[TenantNetwork]:
    """One prefix and VLAN per organisation in its home data centre (org id order).

    Raises
    ------
    AddressSpaceExhaustedError
        When a supernet or the VLAN range is too small.
    """
    out = []
    by_dc: dict[str, list[str]] = {}
    for org, dc in home.items():
        by_dc.setdefault(dc, []).append(org)
    for dc in sorted(dcs, key=lambda d: d.id):
        orgs = sorted(by_dc.get(dc.id, ()))
        if not orgs:
            continue
        net = ipaddress.ip_network(dc.supernet)
        svc = service_network(dc, (vms_per_dc or {}).get(dc.id, 0))
        if dc.tenant_prefix_length <= net.prefixlen:
            raise AddressSpaceExhaustedError(f"{dc.id}: tenant prefix /{dc.tenant_prefix_length} does not fit "
                                             f"into {dc.supernet}")
        free = (p for p in net.subnets(new_prefix=dc.tenant_prefix_length) if not p.overlaps(svc))
        for k, org in enumerate(orgs):
            prefix = next(free, None)
            vlan = dc.vlan_base + k
            if prefix is None or vlan > 4094:
                raise AddressSpaceExhaustedError(
                    f"{dc.id}: {len(orgs)} tenant networks do not fit into {dc.supernet} "
                    f"(/{dc.tenant_prefix_length}, VLANs from {dc.vlan_base})")
            out.append(TenantNetwork(org=org, data_centre=dc.id, prefix=str(prefix), vlan=vlan))
    return sorted(out, key=lambda t: t.org)


def planned_vms(instances: Iterable[tuple[str, str, str, str, Sequence[VmSize]]],
                dcs: Sequence[DataCentreSpec]) -> list[PlannedVM]:
    """VMs of the target instances: (id, domain, dc, schutzbedarf, VM sizes of
    :func:`~consolidation.placement.vm_sizes` — the sizes the placement used).

    Addresses are taken in VM id order from each data centre's service network, from ``.10``.
    """
    specs = []
    for tid, domain, dc, sb, sizes in instances:
        for vm in sizes:
            for n in range(1, vm.count + 1):
                specs.append((f"vm.{tid[2:]}.{vm.role}{n}", tid, domain, dc, vm, sb))
    specs.sort(key=lambda s: s[0])
    per_dc: dict[str, int] = {}
    for s in specs:
        per_dc[s[3]] = per_dc.get(s[3], 0) + 1
    dc_by_id = {d.id: d for d in dcs}
    nets = {d: service_network(dc_by_id[d], n) for d, n in per_dc.items()}
    used: dict[str, int] = {}
    out = []
    for vid, tid, domain, dc, vm, sb in specs:
        k = used.get(dc, 0)
        used[dc] = k + 1
        out.append(PlannedVM(
            id=vid, name=vid[3:].replace(".", "-")[:63], target=tid, role=domain if vm.role == "app" else vm.role,
            data_centre=dc, vcpu=vm.vcpu, ram_gb=vm.ram_gb, disk_gb=vm.disk_gb, schutzbedarf=sb,
            backup=sb in ("hoch", "sehr hoch"), monitoring=sb in ("hoch", "sehr hoch"),
            address=str(nets[dc].network_address + 10 + k),
        ))
    return out


def _flow_id(*parts: object) -> str:
    return "fl." + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def flows(deps: Iterable[tuple[str, str, str, str]], *, target_of: Mapping[str, str | None],
          in_dc: Mapping[str, bool], owner: Mapping[str, str],
          tenant_targets: Iterable[tuple[str, str, int]]) -> list[Flow]:
    """Allowed flows.

    Parameters
    ----------
    deps : iterable of (user system, used system, dependency kind, standard)
        In any order: flows come out sorted by id, each named after the first of its
        dependencies in sorted order.
    target_of : system → target instance it moved to (None: still a system)
    in_dc : system → it runs in a shared data centre after the plan (migrated or rehosted)
    owner : system → organisation
    tenant_targets : (org, target instance, port) — users of an org reach the target
    """
    # one flow per (client, server, port); the first dependency in sorted order gives its reason
    first: dict[tuple[str, str, int], tuple[str, str, str, str]] = {}
    moved, runs_in_dc, port_of, seen_get = target_of.get, in_dc.get, PORTS.get, first.get
    for dep in deps:
        src, dst = dep[0], dep[1]
        client = moved(src) or src
        server = moved(dst) or dst
        if client == server or not (runs_in_dc(src) or runs_in_dc(dst)):
            continue
        key = (client, server, port_of(dep[2], 443))
        seen = seen_get(key)
        if seen is None or dep < seen:
            first[key] = dep
    flow = builder(Flow)
    out: dict[str, Flow] = {}
    for (client, server, port), (src, dst, kind, standard) in first.items():
        fid = _flow_id(client, server, "tcp", port)
        out[fid] = flow(id=fid, source_org=owner[src], target_org=None if target_of.get(dst) else owner[dst],
                        source=client, target=server, port=port,
                        reason=f"Schnittstelle {kind}{' (' + standard + ')' if standard else ''}: {src} → {dst}")
    for org, tid, port in tenant_targets:
        fid = _flow_id(org, tid, "tcp", port)
        out.setdefault(fid, flow(id=fid, source_org=org, target_org=None, source=org, target=tid, port=port,
                                 reason=f"Zugriff der Beschäftigten von {org} auf {tid}"))
    return [out[k] for k in sorted(out)]


@dataclass(frozen=True, eq=False)
class Network:
    """The plan's network: flows, VMs of the target instances, tenant networks."""

    flows: list[Flow]
    vms: list[PlannedVM]
    tenants: list[TenantNetwork]


def network(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, *,
            vm_sizes: Mapping[str, Sequence[VmSize]], where: Mapping[str, str], home_dc: Mapping[str, str]) -> Network:
    """Flows from the dependencies between systems that stay in the plan, the VMs of each target
    instance in its data centre, a tenant network per organisation in its home data centre."""
    dec = mapping.decisions
    outside = {sid for sid, d in dec.items() if d.decision == "out_of_scope"}
    deps = ((dd.source, dd.target, dd.kind, dd.standard) for dd in landscape.dependencies()  # kind: a StrEnum
            if dd.source not in outside and dd.target not in outside)
    target_of = {sid: d.target for sid, d in dec.items() if d.target is not None}
    in_dc = {sid: d.decision == "migrate" for sid, d in dec.items()}
    port = {i.id: i.spec.port for i in mapping.instances}
    tenant_targets = sorted({(d.org, d.target, port[d.target]) for d in dec.values()
                             if d.target is not None and d.decision == "migrate"})
    flow_models = flows(deps, target_of=target_of, in_dc=in_dc, owner=landscape.owner, tenant_targets=tenant_targets)
    del outside, target_of, in_dc, tenant_targets
    vms = planned_vms([(inst.id, inst.spec.domain, where[inst.id], inst.schutzbedarf.value, vm_sizes[inst.id])
                       for inst in mapping.instances], scenario.data_centres)
    vms_per_dc: dict[str, int] = {}
    for vm in vms:
        vms_per_dc[vm.data_centre] = vms_per_dc.get(vm.data_centre, 0) + 1
    return Network(flow_models, vms, tenant_networks(home_dc, scenario.data_centres, vms_per_dc))
