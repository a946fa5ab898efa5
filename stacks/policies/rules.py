"""Validation functions of the policy pack: pure functions, one per policy.

Each takes the stack's resources (as :class:`Resource` views, built either from the policy
engine's ``PolicyResource`` objects or from a mocked run of the stack program) and, where the
rule depends on what was approved, the approved :class:`~plan.models.Plan`; each returns
the list of :class:`Violation` s, empty when compliant.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from plan.models import Plan
from stacks.naming import TENANT_ZONE, tag_schutzbedarf

__all__ = [
    "POLICIES",
    "SECRET_PROPERTIES",
    "Resource",
    "T",
    "Violation",
    "check_backup_datastore",
    "check_backups",
    "check_default_deny",
    "check_monitoring",
    "check_no_overlapping_prefixes",
    "check_root_ca_offline",
    "check_secrets",
    "check_sehr_hoch_placement",
    "check_tenant_isolation",
    "check_vm_spread",
    "run_all",
]


class T:
    """Type tokens the policies read."""

    VM = "proxmoxve:index/vmLegacy:VmLegacy"
    VNET = "proxmoxve:sdn/vnet:Vnet"
    SUBNET = "proxmoxve:sdn/subnet:Subnet"
    ZONE_VLAN = "proxmoxve:sdn/zone/vlan:Vlan"
    ZONE_SIMPLE = "proxmoxve:sdn/zone/simple:Simple"
    RULES = "proxmoxve:firewall/rulesLegacy:RulesLegacy"
    VM_FIREWALL = "proxmoxve:firewall/optionsLegacy:OptionsLegacy"
    CLUSTER_FIREWALL = "proxmoxve:cluster/firewallLegacy:FirewallLegacy"
    BACKUP_JOB = "proxmoxve:backup/job:Job"
    VAULT_POLICY = "vault:index/policy:Policy"


_VAULT_PATH = re.compile(r'path\s+"([^"]*)"')


@dataclass(frozen=True)
class Resource:
    """One resource as the policies see it."""

    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    """Input properties, camelCase, secret values unwrapped."""
    parent: str | None = None
    provider: str | None = None
    """Name of the resource's provider."""
    data_centre: str | None = None
    """Data centre of a Proxmox resource (from its provider ``proxmox-<dc>``)."""
    custom: bool = True
    secret_outputs: frozenset[str] = field(default_factory=frozenset)
    """``additional_secret_outputs`` of the resource."""
    secret_inputs: frozenset[str] = field(default_factory=frozenset)
    """Inputs known to be secret (visible under mocks; the policy engine unwraps them)."""


@dataclass(frozen=True)
class Violation:
    policy: str
    urn: str | None
    message: str

    def __str__(self) -> str:
        return f"[{self.policy}] {self.urn or '<stack>'}: {self.message}"


# --------------------------------------------------------------------------- helpers


def _networks(value: Any) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    """CIDRs of a firewall source/dest field; ``None`` when it is not a literal address list."""
    if not value:
        return []
    out = []
    for part in str(value).split(","):
        try:
            out.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            return None
    return out


class _TenantIndex:
    """Which tenants' prefixes a network overlaps: sorted intervals, a running maximum of the
    ends, and a cache per rule field (the same source string recurs in many rules)."""

    def __init__(self, plan: Plan):
        spans = sorted(
            (net.version, int(net.network_address), int(net.broadcast_address), tn.org)
            for tn in plan.tenant_networks for net in [ipaddress.ip_network(tn.prefix)]
        )
        self._spans = spans
        self._starts = [(v, a) for v, a, _b, _o in spans]
        self._max_end: list[tuple[int, int]] = []
        for v, _a, b, _o in spans:
            prev = self._max_end[-1] if self._max_end and self._max_end[-1][0] == v else (v, -1)
            self._max_end.append((v, max(prev[1], b)))
        self._cache: dict[str, frozenset[str]] = {}

    def orgs(self, field_value: str, nets: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> frozenset[str]:
        if field_value in self._cache:
            return self._cache[field_value]
        found: set[str] = set()
        for net in nets:
            lo, hi = int(net.network_address), int(net.broadcast_address)
            i = bisect.bisect_right(self._starts, (net.version, hi)) - 1
            while i >= 0 and self._max_end[i][0] == net.version and self._max_end[i][1] >= lo:
                _v, a, b, org = self._spans[i]
                if b >= lo and a <= hi:
                    found.add(org)
                i -= 1
        self._cache[field_value] = frozenset(found)
        return self._cache[field_value]


def _vmid(value: Any) -> str | None:
    """VM ids arrive as int, float (protobuf numbers) or str; compare them as decimal strings."""
    if value is None or value == "":
        return None
    try:
        return str(int(float(value)))
    except (TypeError, ValueError):
        return str(value)


def _vms(resources: Sequence[Resource]) -> list[Resource]:
    return [r for r in resources if r.type == T.VM and not r.props.get("template")]


def _vm_address(vm: Resource) -> str | None:
    for cfg in (vm.props.get("initialization") or {}).get("ipConfigs") or []:
        addr = ((cfg or {}).get("ipv4") or {}).get("address")
        if addr:
            return str(addr).split("/")[0]
    return None


def _accept_rules(resources: Sequence[Resource]) -> Iterable[tuple[Resource, int, Mapping[str, Any]]]:
    for r in resources:
        if r.type == T.RULES:
            for i, rule in enumerate(r.props.get("rules") or []):
                if rule and str(rule.get("action", "")).upper() == "ACCEPT" and rule.get("enabled", True):
                    yield r, i, rule


# --------------------------------------------------------------------------- policies


def check_tenant_isolation(resources: Sequence[Resource], plan: Plan) -> list[Violation]:
    """No rule and no route between two tenants' segments unless the approved plan declares that interface.

    * Tenant VNets sit in a VLAN zone (a simple or EVPN zone would route between them) and no two
      of them in one data centre share a VLAN tag (they would be bridged into one segment).
    * A tenant's Vault policy (``tenant-<org>``) names only paths under ``tenants/<org>/``.
    * Every ACCEPT rule whose source lies in tenant A's prefixes and whose destination (the rule's
      ``dest``, or for a VM rule the VM's address) lies in tenant B's needs a plan flow
      A → B with that protocol and port.
    """
    policy = "tenant-isolation"
    out: list[Violation] = []
    zones = {(r.data_centre, r.props.get("resourceId")): r for r in resources if r.type.startswith("proxmoxve:sdn/zone/")}
    tags: dict[tuple[str | None, str, Any], list[Resource]] = defaultdict(list)
    for r in resources:
        if r.type != T.VNET or r.props.get("zone") != TENANT_ZONE:
            continue
        zone = zones.get((r.data_centre, TENANT_ZONE))
        if zone is not None and zone.type != T.ZONE_VLAN:
            out.append(Violation(policy, r.urn, f"tenant VNet in zone {TENANT_ZONE!r} of type {zone.type}, which "
                                                "routes between its VNets; tenant segments need a VLAN zone"))
        tags[(r.data_centre, TENANT_ZONE, r.props.get("tag"))].append(r)
    for (dc, _zone, tag), group in sorted(tags.items(), key=lambda kv: str(kv[0])):
        vnets = sorted(group, key=lambda r: r.name)
        for other in vnets[1:]:
            out.append(Violation(policy, other.urn, f"shares VLAN tag {tag} with {vnets[0].name} in data centre {dc}: "
                                                    "the two tenant segments are bridged together"))
    for r in resources:
        if r.type == T.VAULT_POLICY and str(r.props.get("name", "")).startswith("tenant-"):
            own = f"tenants/{str(r.props['name'])[len('tenant-'):]}/"
            foreign = sorted(p for p in _VAULT_PATH.findall(str(r.props.get("policy", ""))) if not p.startswith(own))
            if foreign:
                out.append(Violation(policy, r.urn, f"tenant policy reaches beyond {own}: {', '.join(foreign)}"))
    declared = {(f.source_org, f.target_org, f.protocol, str(f.port)) for f in plan.flows if f.target_org}
    index = _TenantIndex(plan)
    vm_address = {(v.data_centre, _vmid(v.props.get("vmId"))): _vm_address(v) for v in _vms(resources)}
    for r, i, rule in _accept_rules(resources):
        src_field = str(rule.get("source") or "")
        if rule.get("dest"):
            dst_field = str(rule["dest"])
        elif r.props.get("vmId") is not None:
            dst_field = vm_address.get((r.data_centre, _vmid(r.props.get("vmId")))) or ""
        else:
            dst_field = ""
        src, dst = _networks(src_field), _networks(dst_field)
        if src is None or dst is None:
            out.append(Violation(policy, r.urn, f"rules[{i}] uses a source/dest that is not a literal prefix; "
                                                "isolation cannot be checked"))
            continue
        for a in sorted(index.orgs(src_field, src)):
            for b in sorted(index.orgs(dst_field, dst) - {a}):
                key = (a, b, str(rule.get("proto") or ""), str(rule.get("dport") or ""))
                if key not in declared:
                    out.append(Violation(policy, r.urn, f"rules[{i}] ({rule.get('comment', '')}) opens {a} → {b} "
                                                        f"{key[2]}/{key[3]}, an interface the plan does not declare"))
    return out


def check_no_overlapping_prefixes(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """No two subnets (tenant segments and service networks, all data centres) overlap."""
    policy = "no-overlapping-prefixes"
    nets: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network | None, Resource]] = []
    for r in resources:
        if r.type == T.SUBNET:
            try:
                nets.append((ipaddress.ip_network(str(r.props.get("cidr")), strict=False), r))
            except ValueError:
                nets.append((None, r))
    out = [Violation(policy, r.urn, f"cidr {r.props.get('cidr')!r} is not a prefix") for n, r in nets if n is None]
    valid = sorted(((n, r) for n, r in nets if n is not None),
                   key=lambda nr: (nr[0].version, int(nr[0].network_address), nr[0].prefixlen, nr[1].urn))
    # Sweep: a subnet overlaps an earlier one iff it starts before the widest earlier end (same family).
    widest: tuple[Any, Resource] | None = None
    for net, r in valid:
        if widest is not None and widest[0].version == net.version and \
                int(net.network_address) <= int(widest[0].broadcast_address):
            out.append(Violation(policy, r.urn, f"{net} overlaps {widest[0]} of {widest[1].name}"))
        if widest is None or widest[0].version != net.version or \
                int(net.broadcast_address) > int(widest[0].broadcast_address):
            widest = (net, r)
    return out


#: Sources an ACCEPT rule may never have: anything (missing) or prefixes wider than this.
MIN_SOURCE_PREFIXLEN = {4: 8, 6: 32}


def check_default_deny(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """Every firewall denies by default and opens only named sources.

    * each data centre with VMs has a cluster firewall: enabled, input and forward policy DROP;
    * each VM has a VM firewall (enabled, input policy DROP) and firewall on every NIC;
    * no ACCEPT rule has an empty source or one wider than /8 (IPv4) or /32 (IPv6).
    """
    policy = "default-deny-firewalls"
    out: list[Violation] = []
    clusters = {r.data_centre: r for r in resources if r.type == T.CLUSTER_FIREWALL}
    for r in clusters.values():
        p = r.props
        if p.get("enabled") is not True or str(p.get("inputPolicy")).upper() != "DROP" \
                or str(p.get("forwardPolicy")).upper() != "DROP":
            out.append(Violation(policy, r.urn, "cluster firewall must be enabled with input and forward policy DROP "
                                                f"(enabled={p.get('enabled')}, input={p.get('inputPolicy')}, "
                                                f"forward={p.get('forwardPolicy')})"))
    vm_fw = {(r.data_centre, _vmid(r.props.get("vmId"))): r for r in resources if r.type == T.VM_FIREWALL}
    for vm in _vms(resources):
        if vm.data_centre not in clusters:
            out.append(Violation(policy, vm.urn, f"data centre {vm.data_centre} has no cluster firewall"))
            clusters[vm.data_centre] = vm  # report once per data centre
        fw = vm_fw.get((vm.data_centre, _vmid(vm.props.get("vmId"))))
        if fw is None:
            out.append(Violation(policy, vm.urn, "VM has no firewall options (default policy would be ACCEPT)"))
        elif fw.props.get("enabled") is not True or str(fw.props.get("inputPolicy")).upper() != "DROP":
            out.append(Violation(policy, fw.urn, "VM firewall must be enabled with input policy DROP"))
        for j, nic in enumerate(vm.props.get("networkDevices") or []):
            if not (nic or {}).get("firewall"):
                out.append(Violation(policy, vm.urn, f"networkDevices[{j}] has the firewall switched off"))
    for r, i, rule in _accept_rules(resources):
        nets = _networks(rule.get("source"))
        if nets is None:
            continue  # ipset/alias references are resolved by Proxmox; literal prefixes are checked here
        if not nets:
            out.append(Violation(policy, r.urn, f"rules[{i}] ({rule.get('comment', '')}) accepts from any source"))
        for net in nets:
            if net.prefixlen < MIN_SOURCE_PREFIXLEN[net.version]:
                out.append(Violation(policy, r.urn, f"rules[{i}] ({rule.get('comment', '')}) accepts from {net}, "
                                                    "which is practically any source"))
    return out


def check_sehr_hoch_placement(resources: Sequence[Resource], plan: Plan) -> list[Violation]:
    """No VM with Schutzbedarf "sehr hoch" outside a data centre the plan lists as certified for it.

    A VM without a Schutzbedarf tag counts as a violation: unknown is not allowed anywhere.
    """
    policy = "sehr-hoch-only-in-certified-sites"
    allowed = {dc.id for dc in plan.data_centres if dc.allows_sehr_hoch}
    out = []
    for vm in _vms(resources):
        sb = tag_schutzbedarf(vm.props.get("tags") or [])
        if sb is None:
            out.append(Violation(policy, vm.urn, "VM has no Schutzbedarf tag (sb-normal, sb-hoch, sb-sehr-hoch)"))
        elif sb.rank >= 2 and vm.data_centre not in allowed:
            out.append(Violation(policy, vm.urn, f"Schutzbedarf sehr hoch in data centre {vm.data_centre}, which is "
                                                 "not certified for it (allows_sehr_hoch is false)"))
    return out


#: Type → (property, always): ``always`` for computed outputs that every such resource has; the
#: others only when the resource sets them.
SECRET_PROPERTIES: dict[str, tuple[tuple[str, bool], ...]] = {
    "random:index/randomPassword:RandomPassword": (("result", True), ("bcryptHash", True)),
    "tls:index/privateKey:PrivateKey": (("privateKeyPem", True), ("privateKeyOpenssh", True),
                                        ("privateKeyPemPkcs8", True)),
    "tls:index/selfSignedCert:SelfSignedCert": (("privateKeyPem", False),),
    "tls:index/certRequest:CertRequest": (("privateKeyPem", False),),
    "tls:index/locallySignedCert:LocallySignedCert": (("caPrivateKeyPem", False),),
    "vault:kv/secretV2:SecretV2": (("dataJson", False), ("data", False)),
    "keycloak:index/user:User": (("initialPassword", False),),
    T.VM: (("initialization", False),),
}


def check_secrets(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """Every property that carries a password or private key is marked secret."""
    policy = "secrets-marked-secret"
    out = []
    for r in resources:
        for prop, always in SECRET_PROPERTIES.get(r.type, ()):
            if not always and r.props.get(prop) in (None, "", {}, []):
                continue
            if r.type == T.VM and not ((r.props.get("initialization") or {}).get("userAccount") or {}).get("password"):
                continue
            if prop not in r.secret_outputs and prop not in r.secret_inputs:
                out.append(Violation(policy, r.urn, f"{prop} carries a secret but is not marked secret "
                                                    "(add it to additional_secret_outputs)"))
    return out


def check_backups(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """Every VM with Schutzbedarf hoch or sehr hoch is in an enabled backup job of its data centre,
    and none of its disks is excluded from backup."""
    policy = "backups-for-hoch-and-above"
    covered: set[tuple[str | None, str | None]] = set()
    for job in resources:
        if job.type == T.BACKUP_JOB and job.props.get("enabled", True) is not False:
            covered |= {(job.data_centre, _vmid(v)) for v in job.props.get("vmids") or []}
    out = []
    for vm in _vms(resources):
        sb = tag_schutzbedarf(vm.props.get("tags") or [])
        if sb is None or sb.rank < 1:
            continue
        if (vm.data_centre, _vmid(vm.props.get("vmId"))) not in covered:
            out.append(Violation(policy, vm.urn, f"Schutzbedarf {sb} but in no enabled backup job of "
                                                 f"data centre {vm.data_centre}"))
        repository_host = "role-backup" in (vm.props.get("tags") or [])
        for j, disk in enumerate(vm.props.get("disks") or []):
            if repository_host and j > 0:
                continue  # the backup host's repository disk is not backed up into itself
            if (disk or {}).get("backup") is False:
                out.append(Violation(policy, vm.urn, f"disks[{j}] is excluded from backup"))
    return out


def check_monitoring(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """Every VM with Schutzbedarf hoch or sehr hoch has the monitoring hooks: the guest agent and the
    lifecycle hook script."""
    policy = "monitoring-for-hoch-and-above"
    out = []
    for vm in _vms(resources):
        sb = tag_schutzbedarf(vm.props.get("tags") or [])
        if sb is None or sb.rank < 1:
            continue
        missing = [what for what, ok in (("guest agent", (vm.props.get("agent") or {}).get("enabled") is True),
                                         ("hook script", bool(vm.props.get("hookScriptFileId")))) if not ok]
        if missing:
            out.append(Violation(policy, vm.urn, f"Schutzbedarf {sb} but no monitoring {' and no '.join(missing)}"))
    return out


def check_root_ca_offline(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """The root CA is offline: no CA certificate is created in the stack (self-signed or signed with
    a key held in state); its certificate is imported, its key never enters state."""
    policy = "root-ca-offline"
    out = []
    for r in resources:
        if r.type in ("tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert") \
                and r.props.get("isCaCertificate"):
            out.append(Violation(policy, r.urn, "creates a CA certificate inside the stack: the CA key would be in "
                                                "Pulumi state; import the offline root's certificate and have it sign "
                                                "the intermediate CSR instead"))
    return out


def _vm_tag(vm: Resource, prefix: str) -> str | None:
    return next((t[len(prefix):] for t in vm.props.get("tags") or [] if t.startswith(prefix)), None)


def check_vm_spread(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """VMs are spread over at least two nodes of their data centre, and the instances of one service
    (same target and role) never share a node while there are enough nodes."""
    policy = "vms-spread-over-nodes"
    by_dc: dict[str | None, list[Resource]] = defaultdict(list)
    for vm in _vms(resources):
        by_dc[vm.data_centre].append(vm)
    out = []
    for dc, vms in sorted(by_dc.items(), key=lambda kv: str(kv[0])):
        nodes = {vm.props.get("nodeName") for vm in vms}
        if len(vms) >= 2 and len(nodes) < 2:
            out.append(Violation(policy, vms[0].urn, f"all {len(vms)} VMs of data centre {dc} on node "
                                                     f"{next(iter(nodes))}: one node failure takes every service"))
        groups: dict[tuple[str | None, str | None], list[Resource]] = defaultdict(list)
        for vm in vms:
            groups[(_vm_tag(vm, "svc-"), _vm_tag(vm, "role-"))].append(vm)
        for (svc, role), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
            if svc is None or len(members) < 2:
                continue
            used = [m.props.get("nodeName") for m in members]
            if len(set(used)) < min(len(members), len(nodes)):
                out.append(Violation(policy, members[0].urn, f"instances of {svc} ({role}) share a node "
                                                             f"({', '.join(sorted(map(str, used)))}): no anti-affinity"))
    return out


def check_backup_datastore(resources: Sequence[Resource], plan: Plan | None = None) -> list[Violation]:
    """A backup host keeps its repository on a datastore of its own, not as one huge disk beside the VMs."""
    policy = "backup-on-own-datastore"
    out = []
    for vm in _vms(resources):
        if "role-backup" not in (vm.props.get("tags") or []):
            continue
        disks = vm.props.get("disks") or []
        system = (disks[0] or {}).get("datastoreId") if disks else None
        others = [d for d in disks[1:] if (d or {}).get("datastoreId") not in (None, system)]
        if not others:
            out.append(Violation(policy, vm.urn, "backup host without a repository disk on its own datastore"))
        if disks and int(float((disks[0] or {}).get("size") or 0)) > 64:
            out.append(Violation(policy, vm.urn, f"system disk of {disks[0].get('size')} GB on {system}: the "
                                                 "repository belongs on the backup datastore"))
    return out


#: Policy name → (description, validator, needs the approved plan).
POLICIES: dict[str, tuple[str, Callable[..., list[Violation]], bool]] = {
    "tenant-isolation": ("No rule or route between two tenants' segments unless the plan declares that interface.",
                         check_tenant_isolation, True),
    "no-overlapping-prefixes": ("No two subnets overlap.", check_no_overlapping_prefixes, False),
    "default-deny-firewalls": ("Every firewall denies by default and opens only named sources.",
                               check_default_deny, False),
    "sehr-hoch-only-in-certified-sites": ("No VM with Schutzbedarf sehr hoch outside a site certified for it.",
                                          check_sehr_hoch_placement, True),
    "secrets-marked-secret": ("Every property carrying a password or private key is marked secret.",
                              check_secrets, False),
    "backups-for-hoch-and-above": ("Every VM with Schutzbedarf hoch or higher has a backup job.",
                                   check_backups, False),
    "monitoring-for-hoch-and-above": ("Every VM with Schutzbedarf hoch or higher has the monitoring hooks.",
                                      check_monitoring, False),
    "root-ca-offline": ("No CA certificate is created in the stack: the root is offline, its key never in state.",
                        check_root_ca_offline, False),
    "vms-spread-over-nodes": ("VMs spread over at least two nodes; instances of one service on different nodes.",
                              check_vm_spread, False),
    "backup-on-own-datastore": ("Backup hosts keep the repository on a datastore of its own.",
                                check_backup_datastore, False),
}


def run_all(resources: Sequence[Resource], plan: Plan) -> list[Violation]:
    """All policies against one resource set (what ``landkarte deploy render`` reports), in a stable order."""
    ordered = sorted(resources, key=lambda r: r.urn)
    return [v for _desc, check, _needs in POLICIES.values() for v in check(ordered, plan)]
