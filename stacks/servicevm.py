"""A VM of a shared service: the VM, its firewall (default deny + the plan's flows), its server
certificate and its console password (``landkarte:servicevm:ServiceVm``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_proxmoxve as pve
import pulumi_random as random

from plan.models import PlannedVM
from stacks.firewall import Rule
from stacks.naming import schutzbedarf_tag
from stacks.pki import ServiceCertificate, ServiceCertificateArgs

__all__ = ["ServiceVm", "ServiceVmArgs", "vm_tags"]


def vm_tags(vm: PlannedVM) -> list[str]:
    """Proxmox tags: who made it, where, Schutzbedarf, role and which hooks it has (sorted).

    Examples
    --------
    >>> from stacks._synthetic import synthetic_plan
    >>> vm_tags(synthetic_plan().vms[0])
    ['dc-rz-01', 'landkarte', 'monitoring', 'role-dms', 'sb-normal', 'svc-dms-rz-01', 'vm-dms-rz-01-1']
    """
    tags = {"landkarte", f"dc-{vm.data_centre}", schutzbedarf_tag(vm.schutzbedarf), f"role-{vm.role}", f"vm-{vm.id}",
            f"svc-{vm.target}"}
    if vm.backup:
        tags.add("backup")
    if vm.monitoring:
        tags.add("monitoring")
    return sorted(tags)


@dataclass
class ServiceVmArgs:
    vm: PlannedVM
    vm_id: int
    node: str
    template_vm_id: pulumi.Input[int]
    datastore: str
    bridge: pulumi.Input[str]
    prefix_length: int
    gateway: str
    rules: list[Rule]
    fqdn: str
    ca_cert_pem: pulumi.Input[str] | None
    """The intermediate's certificate; None until the offline root signed it (no certificate then)."""
    ca_key_pem: pulumi.Input[str] | None
    cert_validity_days: int
    password_length: int
    ssh_public_keys: list[str] = field(default_factory=list)
    hook_script_file_id: pulumi.Input[str] | None = None
    """The data centre's monitoring hook script (set when the plan asks for monitoring)."""
    template_node: str | None = None
    """Node holding the template to clone from (default: ``node``)."""
    system_disk_gb: int | None = None
    """Size of the system disk (default: the plan's ``disk_gb``)."""
    node_override: str | None = None
    """Node this VM runs on (placement); default: ``node``."""
    data_disk: tuple[str, int] | None = None
    """A second disk ``(datastore, GB)``: a backup host's repository on its own datastore."""


class ServiceVm(pulumi.ComponentResource):
    def __init__(self, name: str, args: ServiceVmArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("landkarte:servicevm:ServiceVm", name, {}, opts)
        vm = args.vm
        password = random.RandomPassword(
            f"{name}-console-password", length=args.password_length, special=False,
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["result", "bcryptHash"]),
        )
        self.vm = pve.VmLegacy(
            name, node_name=args.node_override or args.node, vm_id=args.vm_id, name=vm.name,
            description=f"{vm.role} for target {vm.target} (plan VM {vm.id}); Schutzbedarf {vm.schutzbedarf}",
            tags=vm_tags(vm), on_boot=True, started=True, protection=vm.schutzbedarf != "normal",
            clone=pve.VmLegacyCloneArgs(vm_id=args.template_vm_id, full=True, datastore_id=args.datastore,
                                        node_name=args.template_node or args.node),
            cpu=pve.VmLegacyCpuArgs(cores=vm.vcpu, type="x86-64-v2-AES"),
            memory=pve.VmLegacyMemoryArgs(dedicated=vm.ram_gb * 1024),
            disks=[pve.VmLegacyDiskArgs(interface="scsi0", datastore_id=args.datastore,
                                        size=args.system_disk_gb or vm.disk_gb, backup=vm.backup, discard="on",
                                        ssd=True),
                   *([pve.VmLegacyDiskArgs(interface="scsi1", datastore_id=args.data_disk[0], size=args.data_disk[1],
                                           backup=False, discard="on")] if args.data_disk else [])],
            network_devices=[pve.VmLegacyNetworkDeviceArgs(bridge=args.bridge, firewall=True, model="virtio")],
            agent=pve.VmLegacyAgentArgs(enabled=True),
            hook_script_file_id=args.hook_script_file_id if vm.monitoring else None,
            initialization=pve.VmLegacyInitializationArgs(
                datastore_id=args.datastore,
                ip_configs=[pve.VmLegacyInitializationIpConfigArgs(ipv4=pve.VmLegacyInitializationIpConfigIpv4Args(
                    address=f"{vm.address}/{args.prefix_length}", gateway=args.gateway))],
                user_account=pve.VmLegacyInitializationUserAccountArgs(
                    username="landkarte", keys=args.ssh_public_keys, password=password.result),
            ),
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["initialization"]),
        )
        after_vm = pulumi.ResourceOptions(parent=self, depends_on=[self.vm])
        pve.firewall.OptionsLegacy(
            f"{name}-firewall", node_name=args.node_override or args.node, vm_id=args.vm_id, enabled=True, input_policy="DROP",
            output_policy="ACCEPT", macfilter=True, ipfilter=True, dhcp=False, opts=after_vm,
        )
        if args.rules:
            pve.firewall.RulesLegacy(
                f"{name}-rules", node_name=args.node_override or args.node, vm_id=args.vm_id,
                rules=[pve.firewall.RulesLegacyRuleArgs(**r) for r in args.rules], opts=after_vm,
            )
        self.certificate: ServiceCertificate | None = None
        if args.ca_cert_pem is not None and args.ca_key_pem is not None:
            self.certificate = ServiceCertificate(
                f"{name}-tls", ServiceCertificateArgs(
                    common_name=args.fqdn, ca_cert_pem=args.ca_cert_pem, ca_key_pem=args.ca_key_pem,
                    validity_days=args.cert_validity_days, ip_addresses=[vm.address]),
                pulumi.ResourceOptions(parent=self),
            )
        self.console_password: pulumi.Output[str] = pulumi.Output.secret(password.result)
        outputs = {"vm_id": args.vm_id, "address": vm.address, "console_password": self.console_password}
        if self.certificate is not None:
            outputs |= {"cert_pem": self.certificate.cert_pem, "key_pem": self.certificate.key_pem}
        self.register_outputs(outputs)
