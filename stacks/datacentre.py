"""One target data centre = one Proxmox VE cluster (``landkarte:datacentre:DataCentre``).

Declares the SDN zones (a VLAN zone for tenant segments, a simple zone with the service
network), the cluster firewall (enabled, input and forward policy DROP, plus the forward rules
of the tenant-to-tenant flows the plan declares), the base VM template, the service VMs, the
backup jobs and the monitoring hooks (metrics export and a lifecycle hook script).
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field

import pulumi
import pulumi_proxmoxve as pve

from plan.models import DataCentre as PlanDataCentre
from plan.models import PlannedVM
from stacks.firewall import PlanInconsistency, Rule
from stacks.naming import SERVICE_VNET, SERVICE_ZONE, TEMPLATE_VM_ID, TENANT_ZONE
from stacks.servicevm import ServiceVm, ServiceVmArgs

__all__ = ["BACKUP_CLASSES", "BACKUP_HOST_ROLE", "BACKUP_SIZE_FACTOR", "HOOK_SCRIPT", "DataCentre", "DataCentreArgs",
           "backup_sizes", "place_vms", "service_network"]

BACKUP_HOST_ROLE = "backup"
BACKUP_SIZE_FACTOR = 1.5
"""Annahme: a deduplicated, versioned repository (7 daily, 5 weekly, 12 monthly) needs about 1.5 times the
data it protects; the backup hosts' repository datastore is sized from that, per data centre."""
BACKUP_SYSTEM_DISK_GB = 32


def place_vms(vms: list[PlannedVM], nodes: list[str]) -> dict[str, str]:
    """Node of each VM: the instances of one service (same target and role) on different nodes,
    each service starting one node further so that the data centre's load spreads.

    Examples
    --------
    >>> from stacks._synthetic import synthetic_plan
    >>> vms = [v for v in synthetic_plan().vms if v.data_centre == "rz-01"]
    >>> sorted(set(place_vms(vms, ["pve1", "pve2"]).values()))
    ['pve1', 'pve2']
    """
    groups: dict[tuple[str, str], list[PlannedVM]] = {}
    for vm in sorted(vms, key=lambda v: v.id):
        groups.setdefault((vm.target, vm.role), []).append(vm)
    placed: dict[str, str] = {}
    for offset, (_key, members) in enumerate(sorted(groups.items())):
        for i, vm in enumerate(members):
            placed[vm.id] = nodes[(offset + i) % len(nodes)]
    return placed


def backup_sizes(vms: list[PlannedVM]) -> dict[str, int]:
    """Repository size in GB of each backup host of one data centre: the data of the VMs it backs up
    times :data:`BACKUP_SIZE_FACTOR`, split over the backup hosts (not the planner's disk_gb)."""
    hosts = sorted(v.id for v in vms if v.role == BACKUP_HOST_ROLE)
    if not hosts:
        return {}
    data = sum(v.disk_gb for v in vms if v.backup and v.role != BACKUP_HOST_ROLE)
    each = max(1, math.ceil(data * BACKUP_SIZE_FACTOR / len(hosts)))
    return dict.fromkeys(hosts, each)

#: Backup job per Schutzbedarf: (job suffix, retention). Schedules come from the stack config.
BACKUP_CLASSES: dict[str, dict[str, str]] = {
    "normal": {"keep-daily": "7", "keep-weekly": "4"},
    "hoch": {"keep-daily": "14", "keep-weekly": "8", "keep-monthly": "12"},
    "sehr hoch": {"keep-hourly": "24", "keep-daily": "30", "keep-weekly": "12", "keep-monthly": "24"},
}

HOOK_SCRIPT = """#!/bin/sh
# Landkarte monitoring hook: report VM lifecycle events to the monitoring endpoint.
# Proxmox calls it as: <script> <vmid> <phase>
vmid="$1"; phase="$2"
case "$phase" in
  post-start|pre-stop|post-stop)
    curl -fsS -m 5 -X POST "https://{server}:{port}/v1/events" \\
      -H 'Content-Type: application/json' \\
      -d "{{\\"dc\\":\\"{dc}\\",\\"vmid\\":$vmid,\\"phase\\":\\"$phase\\"}}" >/dev/null 2>&1 || true ;;
esac
exit 0
"""


def service_network(dc: str, vms: list[PlannedVM],
                    prefix_length: int) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The service network of a data centre: the smallest prefix, ``/prefix_length`` or wider,
    that holds all its VM addresses (the planner widens it when a /24 is too small).

    Raises
    ------
    PlanInconsistency
        When the addresses lie so far apart that they need a network wider than /16.

    Examples
    --------
    >>> from stacks._synthetic import synthetic_plan
    >>> service_network("rz-01", [v for v in synthetic_plan().vms if v.data_centre == "rz-01"], 24)
    IPv4Network('172.16.0.0/24')
    """
    if not vms:
        return None
    for length in range(prefix_length, 15, -1):
        net = ipaddress.ip_network(f"{vms[0].address}/{length}", strict=False)
        if all(ipaddress.ip_address(vm.address) in net for vm in vms):
            return net
    raise PlanInconsistency(f"vms: the addresses of data centre {dc}'s VMs do not fit into one /16 service network")


@dataclass
class DataCentreArgs:
    dc: PlanDataCentre
    vms: list[tuple[PlannedVM, int, list[Rule]]]
    """Each service VM with its Proxmox VM id and its firewall rules."""
    forward_rules: list[Rule]
    node: str
    """Node holding the template, the image and the hook snippet."""
    vm_datastore: str
    file_datastore: str
    tenant_bridge: str
    service_prefix_length: int
    template_image_url: str
    monitoring_server: str
    monitoring_port: int
    backup_storage: str
    backup_schedules: dict[str, str]
    dns_domain: str
    ca_cert_pem: pulumi.Input[str] | None
    ca_key_pem: pulumi.Input[str] | None
    cert_validity_days: int
    password_length: int
    ssh_public_keys: list[str] = field(default_factory=list)
    nodes: list[str] = field(default_factory=lambda: ["pve1", "pve2"])
    """Nodes the VMs are spread over (:func:`place_vms`)."""
    backup_datastore: str = "backup"


class DataCentre(pulumi.ComponentResource):
    tenant_zone: pulumi.Output[str]
    sdn_resources: list[pulumi.Resource]

    def __init__(self, name: str, args: DataCentreArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("landkarte:datacentre:DataCentre", name, {}, opts)
        child = pulumi.ResourceOptions(parent=self)
        node = args.node
        zone = pve.sdn.zone.Vlan(f"{name}-zone-tenants", resource_id=TENANT_ZONE, bridge=args.tenant_bridge,
                                 opts=child)
        self.tenant_zone = zone.resource_id
        self.sdn_resources = [zone]
        plan_vms = [vm for vm, _, _ in args.vms]
        net = service_network(args.dc.id, plan_vms, args.service_prefix_length)
        bridge: pulumi.Input[str] = SERVICE_VNET
        gateway = ""
        if net is not None:
            gateway = str(next(net.hosts()))
            svc_zone = pve.sdn.zone.Simple(f"{name}-zone-services", resource_id=SERVICE_ZONE, opts=child)
            vnet = pve.sdn.Vnet(f"{name}-vnet-services", resource_id=SERVICE_VNET, zone=svc_zone.resource_id,
                                alias="shared services", opts=child)
            subnet = pve.sdn.Subnet(f"{name}-subnet-services", vnet=vnet.resource_id, cidr=str(net),
                                    gateway=gateway, snat=False, opts=child)
            bridge = vnet.resource_id
            self.sdn_resources += [svc_zone, vnet, subnet]

        pve.cluster.FirewallLegacy(f"{name}-cluster-firewall", enabled=True, input_policy="DROP",
                                   output_policy="ACCEPT", forward_policy="DROP", ebtables=True, opts=child)
        if args.forward_rules:
            pve.firewall.RulesLegacy(f"{name}-cluster-rules",
                                     rules=[pve.firewall.RulesLegacyRuleArgs(**r) for r in args.forward_rules],
                                     opts=child)

        pve.metrics.Server(f"{name}-metrics", name="landkarte", type="opentelemetry",
                           server=args.monitoring_server, port=args.monitoring_port, opentelemetry_proto="https",
                           opts=child)
        hook = pve.FileLegacy(
            f"{name}-monitoring-hook", node_name=node, datastore_id=args.file_datastore, content_type="snippets",
            file_mode="0700",
            source_raw=pve.FileLegacySourceRawArgs(
                file_name="landkarte-monitoring-hook.sh",
                data=HOOK_SCRIPT.format(server=args.monitoring_server, port=args.monitoring_port, dc=args.dc.id)),
            opts=child,
        )

        image = pve.download.File(f"{name}-template-image", node_name=node, datastore_id=args.file_datastore,
                                  content_type="import", url=args.template_image_url,
                                  file_name=args.template_image_url.rsplit("/", 1)[-1], opts=child)
        template = pve.VmLegacy(
            f"{name}-template", node_name=node, vm_id=TEMPLATE_VM_ID, name="tpl-landkarte-base", template=True,
            started=False, tags=["landkarte", "template"], description="Landkarte base template (cloud image)",
            disks=[pve.VmLegacyDiskArgs(interface="scsi0", datastore_id=args.vm_datastore, import_from=image.id,
                                        size=16)],
            agent=pve.VmLegacyAgentArgs(enabled=True),
            initialization=pve.VmLegacyInitializationArgs(datastore_id=args.vm_datastore),
            opts=child,
        )

        self.vms: dict[str, ServiceVm] = {}
        placement = place_vms(plan_vms, list(args.nodes))
        repository = backup_sizes(plan_vms)
        for vm, vm_id, rules in args.vms:
            self.vms[vm.id] = ServiceVm(
                f"{name}-{vm.id}",
                ServiceVmArgs(
                    vm=vm, vm_id=vm_id, node=node, template_vm_id=TEMPLATE_VM_ID,
                    datastore=args.vm_datastore, bridge=bridge, prefix_length=args.service_prefix_length,
                    gateway=gateway, rules=rules, fqdn=f"{vm.name}.{args.dns_domain}",
                    ca_cert_pem=args.ca_cert_pem, ca_key_pem=args.ca_key_pem,
                    cert_validity_days=args.cert_validity_days, password_length=args.password_length,
                    ssh_public_keys=args.ssh_public_keys, hook_script_file_id=hook.id,
                    node_override=placement[vm.id], template_node=node,
                    system_disk_gb=min(vm.disk_gb, BACKUP_SYSTEM_DISK_GB) if vm.id in repository else None,
                    data_disk=(args.backup_datastore, repository[vm.id]) if vm.id in repository else None,
                ),
                pulumi.ResourceOptions(parent=self, depends_on=[*self.sdn_resources, template]),
            )

        # Anti-affinity: HA keeps the instances of one service on different nodes, also after a failover.
        ids_by_vm = {vm.id: vm_id for vm, vm_id, _ in args.vms}
        groups: dict[tuple[str, str], list[str]] = {}
        for vm in plan_vms:
            groups.setdefault((vm.target, vm.role), []).append(vm.id)
        for (target, role), members in sorted(groups.items()):
            if len(members) < 2:
                continue
            ha = [pve.Haresource(f"{name}-ha-{vm_id}", resource_id=f"vm:{ids_by_vm[vm_id]}", state="started",
                                 opts=pulumi.ResourceOptions(parent=self, depends_on=[self.vms[vm_id]]))
                  for vm_id in sorted(members)]
            pve.Harule(f"{name}-anti-affinity-{target}-{role}", rule=f"lk-{target}-{role}"[:60],
                       type="resource-affinity", affinity="negative", strict=True,
                       resources=[f"vm:{ids_by_vm[v]}" for v in sorted(members)],
                       comment=f"Landkarte: instances of {target} ({role}) on different nodes",
                       opts=pulumi.ResourceOptions(parent=self, depends_on=ha))

        for sb, retention in BACKUP_CLASSES.items():
            ids = [str(vm_id) for vm, vm_id, _ in args.vms if vm.backup and vm.schutzbedarf == sb]
            if not ids:
                continue
            suffix = sb.replace(" ", "-")
            pve.backup.Job(
                f"{name}-backup-{suffix}", resource_id=f"landkarte-{suffix}", schedule=args.backup_schedules[sb],
                storage=args.backup_storage, vmids=ids, mode="snapshot", compress="zstd", enabled=True,
                prune_backups=retention, notes_template="{{guestname}} (Landkarte)",
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.vms[vm.id] for vm, _, _ in args.vms]),
            )
        self.register_outputs({"tenant_zone": self.tenant_zone,
                               "service_network": str(net) if net is not None else None})
