"""Firewall rules from the plan's flows: pure functions, no Pulumi resources.

Everything is denied by default (cluster forward policy and every VM's input policy DROP);
these functions compute the only rules that open traffic. A flow's **source** is the tenant's
segment prefixes, or, when the client is itself a shared service (a target instance), the
addresses of that target's VMs. Its **destination** decides where the rule goes:

* a shared service (a target instance with VMs in the plan): an ``in`` rule on each of its VMs;
* a system of another tenant (``target_org`` with a segment): a cluster-level ``forward`` rule
  into that tenant's segment, in every data centre where the tenant has one.

Flows whose source or destination lies outside the shared data centres open nothing here
(:func:`flows_without_rule`; they pass the perimeter, which is not part of these stacks).
Rule dictionaries use the input names of ``proxmoxve.firewall.RulesLegacyRuleArgs``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NotRequired, TypedDict

from common.errors import InputError
from plan.models import Flow, Plan, PlannedVM

__all__ = ["PlanInconsistency", "Rule", "cross_tenant_rules", "flows_without_rule", "prefixes_by_org", "vm_rules"]


class Rule(TypedDict):
    """One firewall rule, with the input names of ``proxmoxve.firewall.RulesLegacyRuleArgs``."""

    type: str
    """``in`` (VM level) or ``forward`` (cluster level)."""
    action: str
    source: str
    proto: str
    dport: str
    comment: str
    enabled: bool
    dest: NotRequired[str]


class PlanInconsistency(InputError):
    """The plan references something it does not define; names the key path."""


def prefixes_by_org(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Tenant id → its segment prefixes, sorted.

    Examples
    --------
    >>> from stacks._synthetic import synthetic_plan
    >>> prefixes_by_org(synthetic_plan())["gemeinde-00001"]
    ('10.16.0.0/24',)
    """
    out: dict[str, list[str]] = defaultdict(list)
    for tn in plan.tenant_networks:
        out[tn.org].append(tn.prefix)
    return {org: tuple(sorted(p)) for org, p in sorted(out.items())}


def _service_addresses(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Target instance id (and VM id) → the /32s of its VMs."""
    out: dict[str, list[str]] = defaultdict(list)
    for vm in plan.vms:
        out[vm.target].append(f"{vm.address}/32")
        out[vm.id].append(f"{vm.address}/32")
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _source(flow: Flow, prefixes: dict[str, tuple[str, ...]], services: dict[str, tuple[str, ...]]) -> str | None:
    if flow.source in services:
        return ",".join(services[flow.source])
    if flow.source_org in prefixes:
        return ",".join(prefixes[flow.source_org])
    return None


def _rule(flow: Flow, source: str, *, kind: str, dest: str | None = None) -> Rule:
    rule: Rule = {
        "type": kind,
        "action": "ACCEPT",
        "source": source,
        "proto": flow.protocol,
        "dport": str(flow.port),
        "comment": f"flow {flow.id}",
        "enabled": True,
    }
    if dest is not None:
        rule["dest"] = dest
    return rule


class _Index:
    """Lookups shared by all VMs of one plan (built once per plan, not once per VM)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.prefixes = prefixes_by_org(plan)
        self.services = _service_addresses(plan)
        self.flows_to: dict[str, list[Flow]] = defaultdict(list)
        for flow in plan.flows:
            self.flows_to[flow.target].append(flow)


_last_index: list[_Index] = []


def _index(plan: Plan) -> _Index:
    if not _last_index or _last_index[0].plan is not plan:
        _last_index[:] = [_Index(plan)]
    return _last_index[0]


def vm_rules(plan: Plan, vm: PlannedVM, *, management_networks: tuple[str, ...] = ()) -> list[Rule]:
    """The ``in`` rules of one service VM: its target's flows, those to the VM itself, then SSH from
    management networks (each group in plan order)."""
    ix = _index(plan)
    flows = ix.flows_to.get(vm.target, []) + (ix.flows_to.get(vm.id, []) if vm.id != vm.target else [])
    rules = []
    for flow in flows:
        source = _source(flow, ix.prefixes, ix.services)
        if source is not None:
            rules.append(_rule(flow, source, kind="in"))
    rules += [
        Rule(type="in", action="ACCEPT", source=net, proto="tcp", dport="22", comment="management ssh", enabled=True)
        for net in management_networks
    ]
    return rules


def cross_tenant_rules(plan: Plan, dc: str) -> list[Rule]:
    """Cluster-level ``forward`` rules in data centre ``dc`` for flows into a tenant's segment there."""
    prefixes, services = prefixes_by_org(plan), _service_addresses(plan)
    in_dc: dict[str, list[str]] = defaultdict(list)
    for tn in plan.tenant_networks:
        if tn.data_centre == dc:
            in_dc[tn.org].append(tn.prefix)
    rules = []
    for flow in plan.flows:
        if flow.target in services or flow.target_org is None or flow.target_org not in in_dc:
            continue
        source = _source(flow, prefixes, services)
        if source is not None:
            rules.append(_rule(flow, source, kind="forward", dest=",".join(sorted(in_dc[flow.target_org]))))
    return rules


def flows_without_rule(plan: Plan) -> list[Flow]:
    """Flows that open nothing in the shared data centres (source or destination runs elsewhere)."""
    prefixes, services = prefixes_by_org(plan), _service_addresses(plan)
    return [f for f in plan.flows
            if _source(f, prefixes, services) is None
            or (f.target not in services and (f.target_org is None or f.target_org not in prefixes))]
