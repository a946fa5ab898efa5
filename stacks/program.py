"""The stack program: plan + config → resources.

:func:`main` is what Pulumi runs (``stacks/__main__.py``) and what ``landkarte deploy render``
runs under a recording mock, so the reviewed graph and the deployed one cannot diverge.
:func:`build` declares everything for one plan and one configuration and returns the stack
outputs; it is also the unit tests' entry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pulumi
import pulumi_keycloak as keycloak
import pulumi_proxmoxve as pve
import pulumi_vault as vault

from plan.io import read_plan
from plan.models import Plan
from stacks.config import StackConfig, load_config
from stacks.datacentre import DataCentre, DataCentreArgs
from stacks.firewall import PlanInconsistency, cross_tenant_rules, vm_rules
from stacks.naming import TENANT_ZONE, provider_name, vm_ids
from stacks.pki import Pki, PkiArgs
from stacks.tenant import Tenant, TenantArgs, TenantSegmentArgs

__all__ = ["Stack", "build", "main"]


@dataclass
class Stack:
    """What :func:`build` declared, for callers that want the component objects (tests)."""

    outputs: dict[str, pulumi.Input[object]]
    pki: Pki | None = None
    data_centres: dict[str, DataCentre] = field(default_factory=dict)
    tenants: dict[str, Tenant] = field(default_factory=dict)


def _check_references(plan: Plan) -> None:
    if not plan.feasible:
        raise PlanInconsistency(f"feasible: false — the plan has {len(plan.conflicts)} conflict(s) and no "
                                "infrastructure may be declared from it; resolve them and plan again")
    dcs = {dc.id for dc in plan.data_centres}
    orgs = {o.id for o in plan.organisations}
    problems = [f"tenant_networks[{i}].data_centre: unknown data centre {tn.data_centre!r}"
                for i, tn in enumerate(plan.tenant_networks) if tn.data_centre not in dcs]
    problems += [f"tenant_networks[{i}].org: unknown organisation {tn.org!r}"
                 for i, tn in enumerate(plan.tenant_networks) if tn.org not in orgs]
    problems += [f"vms[{i}].data_centre: unknown data centre {vm.data_centre!r}"
                 for i, vm in enumerate(plan.vms) if vm.data_centre not in dcs]
    if problems:
        raise PlanInconsistency("; ".join(problems))


def _pki(cfg: StackConfig) -> Pki | None:
    """This stack's intermediate under the offline root; every stack with data centres has its own."""
    if cfg.scope.kind == "kreis":
        return None
    return Pki("landkarte-pki", PkiArgs(organisation="E-Government-Pakt Saarland",
                                       root_cert_pem=cfg.root_ca_cert_pem,
                                       intermediate_cert_pem=cfg.intermediate_ca_cert_pem))


def build(plan: Plan, cfg: StackConfig) -> Stack:
    """Declare the resources of ``plan`` within ``cfg.scope`` and return the stack outputs.

    Raises
    ------
    PlanInconsistency
        When the plan is infeasible or references a data centre or organisation it does not define.
    """
    _check_references(plan)
    scope = cfg.scope
    if scope.kind == "dc" and scope.key not in {dc.id for dc in plan.data_centres}:
        raise PlanInconsistency(f"landkarte:scope: data centre {scope.key!r} is not in the plan")
    stack = Stack(outputs={})
    pki = _pki(cfg)
    stack.pki = pki
    signing = pki is not None and pki.ready
    ca_cert = pki.intermediate_cert_pem if signing else None
    ca_key = pki.intermediate_key_pem if signing else None

    providers: dict[str, pve.Provider] = {}

    def provider(dc: str) -> pve.Provider:
        if dc not in providers:
            providers[dc] = pve.Provider(provider_name(dc), endpoint=cfg.endpoint(dc), insecure=cfg.proxmox_insecure)
        return providers[dc]

    ids = vm_ids(vm.id for vm in plan.vms)
    vms_by_dc = defaultdict(list)
    for vm in plan.vms:
        vms_by_dc[vm.data_centre].append(vm)
    sdn: dict[str, list[pulumi.Resource]] = defaultdict(list)
    zones: dict[str, pulumi.Input[str]] = {}
    for dc in plan.data_centres:
        if not scope.has_dc(dc.id):
            continue
        component = DataCentre(dc.id, DataCentreArgs(
            dc=dc,
            vms=[(vm, ids[vm.id], vm_rules(plan, vm, management_networks=cfg.management_networks))
                 for vm in vms_by_dc[dc.id]],
            forward_rules=cross_tenant_rules(plan, dc.id), node=cfg.proxmox_node, vm_datastore=cfg.vm_datastore,
            file_datastore=cfg.file_datastore, tenant_bridge=cfg.tenant_bridge,
            service_prefix_length=cfg.service_prefix_length, template_image_url=cfg.template_image_url,
            monitoring_server=cfg.monitoring_server, monitoring_port=cfg.monitoring_port,
            backup_storage=cfg.backup_storage,
            backup_schedules={"normal": cfg.backup_schedule_normal, "hoch": cfg.backup_schedule_hoch,
                              "sehr hoch": cfg.backup_schedule_sehr_hoch},
            dns_domain=cfg.dns_domain, ca_cert_pem=ca_cert, ca_key_pem=ca_key,
            cert_validity_days=cfg.cert_validity_days, password_length=cfg.password_length,
            ssh_public_keys=list(cfg.ssh_public_keys), nodes=list(cfg.proxmox_nodes),
            backup_datastore=cfg.backup_datastore,
        ), pulumi.ResourceOptions(provider=provider(dc.id)))
        stack.data_centres[dc.id] = component
        zones[dc.id] = component.tenant_zone
        sdn[dc.id] += component.sdn_resources

    tenant_orgs = [o for o in plan.organisations if o.participates and scope.has_tenant(o.district)]
    realm_id: pulumi.Input[str] = cfg.keycloak_realm
    manage_realm = cfg.manage_realm and scope.has_shared
    kc = None
    if tenant_orgs or manage_realm:
        # The client secret comes from KEYCLOAK_CLIENT_SECRET, never from config in plain text.
        kc = keycloak.Provider("keycloak", url=cfg.keycloak_url, realm="master", client_id="landkarte-deploy")
    if manage_realm:
        realm = keycloak.Realm("realm", realm=cfg.keycloak_realm, display_name="E-Government-Pakt", enabled=True,
                               ssl_required="all", password_policy="length(14) and notUsername",
                               opts=pulumi.ResourceOptions(provider=kc))
        realm_id = realm.id
    if tenant_orgs:
        vp = vault.Provider("vault", address=cfg.vault_address, skip_child_token=True)  # token: VAULT_TOKEN
        networks = defaultdict(list)
        for tn in plan.tenant_networks:
            networks[tn.org].append(tn)
        for org in tenant_orgs:
            segments = [
                (TenantSegmentArgs(org=org.id, data_centre=tn.data_centre, prefix=tn.prefix, vlan=tn.vlan,
                                   zone=zones.get(tn.data_centre, TENANT_ZONE)), provider(tn.data_centre))
                for tn in networks[org.id]
            ]
            attributes = {k: v for k, v in (("ags", org.ags), ("kreis", org.district), ("kind", org.kind)) if v}
            tenant = Tenant(org.id, TenantArgs(org=org.id, name=org.name, realm_id=realm_id,
                                               password_length=cfg.password_length, attributes=attributes,
                                               segments=segments),
                            pulumi.ResourceOptions(providers=[p for p in (kc, vp) if p is not None]))
            stack.tenants[org.id] = tenant
            for seg, tn in zip(tenant.segments, networks[org.id], strict=True):
                sdn[tn.data_centre] += [seg.vnet, seg.subnet]

    for dc_id, resources in sorted(sdn.items()):
        pve.sdn.Applier(f"{dc_id}-sdn-applier", on_create=True, on_destroy=True,
                        opts=pulumi.ResourceOptions(provider=provider(dc_id), depends_on=resources))

    out = stack.outputs
    out["scope"] = f"{scope.kind}:{scope.key}" if scope.key else scope.kind
    out["plan"] = {"scenario": plan.meta.scenario_id, "inventory_hash": plan.meta.inventory_hash}
    if pki is not None:
        # Certificates and the CSR only: the intermediate key is never an output, the root key never here.
        out["root_ca_pem"] = pki.root_cert_pem or ""
        out["intermediate_ca_pem"] = pki.intermediate_cert_pem or ""
        out["intermediate_ca_csr_pem"] = pki.csr_pem
        out["pki_status"] = ("ready" if pki.ready else "waiting: sign intermediate_ca_csr_pem with the offline root "
                             "and set landkarte:rootCaCertFile and landkarte:intermediateCaCertFile")
    vms = {vm_id: svm for dc in stack.data_centres.values() for vm_id, svm in dc.vms.items()}
    plan_vms = {vm.id: vm for vm in plan.vms}
    out["vms"] = {i: {"vm_id": ids[i], "address": plan_vms[i].address, "data_centre": plan_vms[i].data_centre}
                  for i in sorted(vms)}
    out["monitoring_targets"] = sorted(plan_vms[i].address for i in vms if plan_vms[i].monitoring)
    out["service_keys"] = pulumi.Output.secret({i: vms[i].certificate.key_pem for i in sorted(vms)
                                                if vms[i].certificate is not None})
    out["tenants"] = sorted(stack.tenants)
    return stack


def main() -> None:
    """The Pulumi program: load config, read the plan, declare, export."""
    cfg = load_config()
    plan = read_plan(cfg.plan_path)
    stack = build(plan, cfg)
    for key, value in stack.outputs.items():
        pulumi.export(key, value)
