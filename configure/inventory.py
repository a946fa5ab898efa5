"""Generate the Ansible inventory from a plan: one host per planned VM.

Groups: ``dc_<data centre>``, ``tenant_<organisation>`` (the target's tenants),
``role_<service role>`` and ``service_<ansible role>`` for the service roles the playbooks
configure (e.g. ``service_mailrelay``). Host variables carry the role variables derived from
the plan: the firewall's allowed inbound flows, the central log host, the time servers and
the backup flag.

Example
-------
>>> from configure.inventory import group_name
>>> group_name("dc", "rz-saarbruecken")
'dc_rz_saarbruecken'
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from plan.models import Plan, PlannedVM

__all__ = ["LOG_HOST_ROLES", "SERVICE_ROLES", "InventoryOptions", "build_inventory", "group_name"]

SERVICE_ROLES: Mapping[str, str] = {
    "mail": "mailrelay", "mailrelay": "mailrelay", "smtp": "mailrelay", "e-mail-groupware": "mailrelay",
}
"""Plan VM role → the playbooks' service role configured on it."""
LOG_HOST_ROLES = frozenset({"logging", "log", "siem"})
"""Plan VM roles that make a VM the central log host of its data centre."""
BACKUP_HOST_ROLES = frozenset({"backup", "backup-repository"})
"""Plan VM roles that make a VM the backup repository host of its data centre."""
BACKUP_SFTP_GROUP = "landkarte-backup"
DB_ROLE = "db"
"""A target's database VM: reached only by the target's other VMs, on :data:`DB_PORT`."""
DB_PORT = 5432
MAIL_PORTS = frozenset({25, 465, 587})
NFT_COMMENT_MAX = 120


@dataclass(frozen=True)
class InventoryOptions:
    """How to reach the hosts and the infrastructure facts the plan does not hold."""

    user: str = "ansible"
    private_key: str | None = None
    known_hosts: str | None = None
    """known_hosts file for strict host-key checking (the default: the user's own)."""
    management_sources: tuple[str, ...] = ()
    """Networks allowed to reach SSH: the stack config's ``managementNetworks`` (one source for Pulumi
    and Ansible). Required: an empty tuple is an error, never a guessed default."""
    ntp_servers: tuple[str, ...] = ("ptbtime1.ptb.de", "ptbtime2.ptb.de", "ptbtime3.ptb.de")
    log_host: str | None = None
    """VM id of the central log host for every data centre (default: a VM with a logging role in each)."""
    backup_host: str | None = None
    """VM id of the backup repository host for every data centre (default: a VM with a backup role in each)."""
    address_overrides: Mapping[str, str] = field(default_factory=dict)
    """VM id → address to connect to and to use in rules (e.g. test hosts standing in for VMs)."""
    site_vars: Mapping[str, object] = field(default_factory=dict)
    """Role variables for every host that the plan does not hold (see :mod:`configure.sitevars`)."""


def group_name(kind: str, ident: str) -> str:
    """A valid Ansible group name (letters, digits, underscore)."""
    return f"{kind}_" + re.sub(r"[^A-Za-z0-9_]", "_", ident).lower()


def sftp_user(vm_id: str) -> str:
    """The SFTP account of a VM on its backup host: short, valid as a user name, stable.

    >>> sftp_user("vm-mail-1")
    'bk-02dc4a9807f0'
    """
    return "bk-" + hashlib.sha256(vm_id.encode()).hexdigest()[:12]


def _declared_hosts(by_dc: Mapping[str, list[PlannedVM]], vms_by_id: Mapping[str, PlannedVM], chosen: str | None,
                    roles: frozenset[str], what: str) -> dict[str, PlannedVM | None]:
    """Per data centre the VM that serves it (``chosen`` for all, else the first VM with one of ``roles``)."""
    if chosen is not None and chosen not in vms_by_id:
        raise ValueError(f"{what} {chosen!r} is not a VM of the plan")
    return {
        dc: vms_by_id[chosen] if chosen
        else min((vm for vm in vms if vm.role in roles), key=lambda v: v.id, default=None)
        for dc, vms in by_dc.items()
    }


def _host(address: str) -> str:
    return str(ipaddress.ip_network(address, strict=False)) if "/" in address else f"{address}/32"


def _rules(plan: Plan, vm: PlannedVM, addresses: Mapping[str, str]) -> list[dict]:
    """The inbound rules of one VM from the plan's flows into its target, grouped by protocol and port.

    Flows reach a target's front VMs; its database VM accepts only the front VMs on :data:`DB_PORT`.
    A flow from a target comes from that target's front VMs; a flow from an organisation from its
    tenant networks.
    """
    fronts: dict[str, list[str]] = {}
    for other in plan.vms:
        if other.role != DB_ROLE:
            fronts.setdefault(other.target, []).append(_host(addresses[other.id]))
    if vm.role == DB_ROLE:
        sources = fronts.get(vm.target, [])
        return [{"name": f"infra: database of {vm.target}"[:NFT_COMMENT_MAX], "protocol": "tcp", "port": DB_PORT,
                 "sources": sorted(sources, key=_net_key)}] if sources else []
    prefixes: dict[str, list[str]] = {}
    for net in plan.tenant_networks:
        prefixes.setdefault(net.org, []).append(str(net.prefix))
    grouped: dict[tuple[str, int], tuple[list[str], set[str]]] = {}
    for flow in sorted(plan.flows, key=lambda f: f.id):
        if flow.target != vm.target:
            continue
        sources = fronts.get(flow.source) or prefixes.get(flow.source_org, [])
        if not sources:
            continue
        ids, srcs = grouped.setdefault((flow.protocol, flow.port), ([], set()))
        ids.append(flow.id)
        srcs.update(sources)
    return [
        {"name": _comment(ids), "protocol": proto, "port": port, "sources": sorted(srcs, key=_net_key)}
        for (proto, port), (ids, srcs) in sorted(grouped.items())
    ]


def _comment(ids: list[str]) -> str:
    text = "plan flows: " + ", ".join(ids)
    return text if len(text) <= NFT_COMMENT_MAX else text[: NFT_COMMENT_MAX - 4] + " ..."


def _net_key(cidr: str) -> tuple[int, int]:
    net = ipaddress.ip_network(cidr, strict=False)
    return int(net.network_address), net.prefixlen


def build_inventory(plan: Plan, options: InventoryOptions | None = None) -> dict:
    """The inventory (Ansible's YAML/JSON inventory structure) for every VM of ``plan``.

    Parameters
    ----------
    plan
        A plan as read by :func:`plan.io.read_plan`.
    options
        Connection settings and infrastructure facts; see :class:`InventoryOptions`.

    Returns
    -------
    dict
        ``{"all": {"vars": ..., "hosts": {vm id: hostvars}, "children": {group: {"hosts": ...}}}}``,
        sorted so the same plan gives the same inventory.
    """
    options = options or InventoryOptions()
    addresses = {vm.id: options.address_overrides.get(vm.id, vm.address) for vm in plan.vms}
    targets = {t.id: t for t in plan.targets}
    by_dc: dict[str, list[PlannedVM]] = {}
    for vm in plan.vms:
        by_dc.setdefault(vm.data_centre, []).append(vm)
    vms_by_id = {vm.id: vm for vm in plan.vms}
    if not options.management_sources:
        raise ValueError("no management network: give the stack (its landkarte:managementNetworks) or "
                         "--management-cidr; the data centre's supernet is never assumed")
    for net in options.management_sources:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            raise ValueError(f"management network {net!r} is not a CIDR prefix") from None
    log_hosts = _declared_hosts(by_dc, vms_by_id, options.log_host, LOG_HOST_ROLES, "log host")
    backup_hosts = _declared_hosts(by_dc, vms_by_id, options.backup_host, BACKUP_HOST_ROLES, "backup host")

    hosts: dict[str, dict] = {}
    groups: dict[str, set[str]] = {}
    for vm in sorted(plan.vms, key=lambda v: v.id):
        address = addresses[vm.id]
        dc_hosts = sorted((_host(addresses[v.id]) for v in by_dc[vm.data_centre]), key=_net_key)
        rules = _rules(plan, vm, addresses)
        log_host = log_hosts.get(vm.data_centre)
        is_log_host = any(h is not None and h.id == vm.id for h in log_hosts.values())
        if is_log_host:
            clients = sorted({_host(addresses[v.id]) for v in plan.vms if log_hosts.get(v.data_centre) == vm},
                             key=_net_key)
            rules.append({"name": "infra: central logging", "protocol": "tcp", "port": 514, "sources": clients})
        backup_host = backup_hosts.get(vm.data_centre)
        is_backup_host = any(h is not None and h.id == vm.id for h in backup_hosts.values())
        if is_backup_host:
            clients = sorted({_host(addresses[v.id]) for v in plan.vms
                              if v.backup and v.id != vm.id and backup_hosts.get(v.data_centre) == vm}, key=_net_key)
            if clients:
                rules.append({"name": "infra: backup clients (sftp)", "protocol": "tcp", "port": 22,
                              "sources": clients})
        serves_time = address in options.ntp_servers
        if serves_time:
            rules.append({"name": "infra: time service", "protocol": "udp", "port": 123, "sources": dc_hosts})
        service = SERVICE_ROLES.get(vm.role)
        tenants = targets[vm.target].tenants if vm.target in targets else ()
        hostvars: dict = {
            "ansible_host": address,
            "landkarte_vm": vm.id,
            "landkarte_vm_name": vm.name,
            "landkarte_target": vm.target,
            "landkarte_role": vm.role,
            "landkarte_data_centre": vm.data_centre,
            "landkarte_tenants": list(tenants),
            "landkarte_schutzbedarf": str(vm.schutzbedarf),
            "backup_enabled": vm.backup,
            "baseline_ntp_servers": [s for s in options.ntp_servers if s != address] or list(options.ntp_servers),
            "baseline_ntp_serve_networks": dc_hosts if serves_time else [],
            "nftables_management_sources": list(options.management_sources),
            "nftables_allowed_inbound": rules,
            "logging_receive": is_log_host,
            "logging_server": "" if log_host is None or is_log_host else addresses[log_host.id],
            "logging_server_host": "" if log_host is None or is_log_host else log_host.id,
            # Off-host only: the backup host itself has no repository elsewhere (its controls stay not_checked).
            "backup_repository_host": "" if backup_host is None or backup_host.id == vm.id else backup_host.id,
            "backup_repository_address": "" if backup_host is None or backup_host.id == vm.id
            else addresses[backup_host.id],
            "backup_sftp_user": sftp_user(vm.id),
        }
        if is_backup_host:
            hostvars["ssh_sftp_chroot_group"] = BACKUP_SFTP_GROUP
        if service == "mailrelay":
            hostvars["mailrelay_hostname"] = vm.name
            hostvars["mailrelay_networks"] = sorted(
                {s for r in rules if r["port"] in MAIL_PORTS for s in r["sources"]}, key=_net_key
            )
        hosts[vm.id] = hostvars
        groups.setdefault(group_name("dc", vm.data_centre), set()).add(vm.id)
        groups.setdefault(group_name("role", vm.role), set()).add(vm.id)
        for org in tenants:
            groups.setdefault(group_name("tenant", org), set()).add(vm.id)
        if service:
            groups.setdefault(group_name("service", service), set()).add(vm.id)
    groups.setdefault(group_name("service", "mailrelay"), set())

    ssh_args = ["-o StrictHostKeyChecking=yes"]
    if options.known_hosts:
        ssh_args.append(f"-o UserKnownHostsFile={options.known_hosts}")
    all_vars: dict = {**options.site_vars, "ansible_user": options.user, "ansible_ssh_common_args": " ".join(ssh_args)}
    if options.private_key:
        all_vars["ansible_ssh_private_key_file"] = options.private_key
    return {
        "all": {
            "vars": all_vars,
            "hosts": hosts,
            "children": {g: {"hosts": {h: {} for h in sorted(members)}} for g, members in sorted(groups.items())},
        }
    }
