"""One target data centre = one Proxmox VE cluster (``landkarte:datacentre:DataCentre``).

Declares the SDN zones (a VLAN zone for tenant segments, a simple zone with the service
network), the cluster firewall (enabled, input and forward policy DROP, plus the forward rules
of the tenant-to-tenant flows the plan declares), the base VM template, the service VMs, the
backup jobs and the monitoring hooks (metrics export and a lifecycle hook script).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

import pulumi
import pulumi_proxmoxve as pve

from plan.models import DataCentre as PlanDataCentre
from plan.models import PlannedVM
from stacks.firewall import PlanInconsistency, Rule
from stacks.naming import SERVICE_VNET, SERVICE_ZONE, TEMPLATE_VM_ID, TENANT_ZONE
from stacks.servicevm import ServiceVm, ServiceVmArgs

__all__ = ["BACKUP_CLASSES", "HOOK_SCRIPT", "DataCentre", "DataCentreArgs", "service_network"]

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
    ca_cert_pem: pulumi.Input[str]
    ca_key_pem: pulumi.Input[str]
    cert_validity_days: int
    password_length: int
    ssh_public_keys: list[str] = field(default_factory=list)


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
                ),
                pulumi.ResourceOptions(parent=self, depends_on=[*self.sdn_resources, template]),
            )

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
