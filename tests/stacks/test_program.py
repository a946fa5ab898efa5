"""The real stack program under Pulumi mocks: counts, names, isolation, secrets, scopes."""

from __future__ import annotations

import runpy
from collections import Counter
from pathlib import Path

import pulumi
import pytest
from pki_files import PKI_CONFIG

from plan.io import write_plan
from plan.models import TenantNetwork
from stacks._recording import run_program
from stacks.config import parse_config
from stacks.firewall import PlanInconsistency
from stacks.naming import TEMPLATE_VM_ID
from stacks.policies.rules import T, check_tenant_isolation
from stacks.program import build


def _count(rec, type_):
    return len(rec.of_type(type_))


def test_resource_counts_match_plan(plan, run_stack):
    rec = run_stack(plan)
    participating = [o for o in plan.organisations if o.participates]
    assert _count(rec, "landkarte:tenant:Tenant") == len(participating) == 4
    for type_ in ("keycloak:index/group:Group", "keycloak:index/user:User", "vault:index/mount:Mount",
                  "vault:index/policy:Policy", "vault:kv/secretV2:SecretV2"):
        assert _count(rec, type_) == 4, type_
    assert _count(rec, "landkarte:tenant:TenantSegment") == len(plan.tenant_networks)
    assert _count(rec, "landkarte:servicevm:ServiceVm") == len(plan.vms)
    vms = [r for r in rec.of_type(T.VM) if not r.props.get("template")]
    templates = [r for r in rec.of_type(T.VM) if r.props.get("template")]
    assert len(vms) == len(plan.vms) and len(templates) == len(plan.data_centres)
    assert {r.props["vmId"] for r in templates} == {TEMPLATE_VM_ID}
    # one rule per (flow, VM of its target) plus one forward rule for the tenant-to-tenant flow
    vms_of = Counter(vm.target for vm in plan.vms)
    expected_rules = sum(vms_of[f.target] for f in plan.flows) + sum(1 for f in plan.flows if f.target_org)
    rules = [rule for r in rec.of_type(T.RULES) for rule in r.props["rules"]]
    assert len(rules) == expected_rules == 11
    assert Counter(r["comment"] for r in rules)["flow a-iam"] == 2
    assert _count(rec, T.SUBNET) == len(plan.tenant_networks) + len(plan.data_centres)
    assert _count(rec, "random:index/randomPassword:RandomPassword") == 4 + len(plan.vms)
    # one intermediate key per stack (the root key is offline) and one key per service VM
    assert _count(rec, "tls:index/privateKey:PrivateKey") == 1 + len(plan.vms)
    assert not rec.of_type("tls:index/selfSignedCert:SelfSignedCert")


def test_names_deterministic_across_runs_and_additions(plan, run_stack):
    first = sorted(r.urn for r in run_stack(plan).resources)
    again = sorted(r.urn for r in run_stack(plan).resources)
    bigger = plan.model_copy(update={"tenant_networks": plan.tenant_networks + (
        TenantNetwork(org="gemeinde-out", data_centre="rz-sued", prefix="10.30.3.0/24", vlan=203),)})
    grown = {r.urn for r in run_stack(bigger).resources}
    assert first == again
    assert set(first) <= grown, "adding a tenant network renamed existing resources"
    assert "urn:pulumi:test::landkarte::landkarte:tenant:Tenant$landkarte:tenant:TenantSegment::gemeinde-a-rz-nord" \
        in first


def test_vm_ids_stable_when_vms_are_added(plan, run_stack):
    ids = {r.name: r.props["vmId"] for r in run_stack(plan).of_type(T.VM)}
    more = plan.model_copy(update={"vms": plan.vms + (plan.vms[0].model_copy(update={"id": "dms-2",
                                                                                      "address": "10.30.0.11"}),)})
    ids2 = {r.name: r.props["vmId"] for r in run_stack(more).of_type(T.VM)}
    assert all(ids2[name] == vm_id for name, vm_id in ids.items())
    assert len(set(ids2.values()) - {TEMPLATE_VM_ID}) == len(more.vms)


def test_tenant_segments_isolated(plan, run_stack):
    rec = run_stack(plan)
    vnets = [r for r in rec.of_type(T.VNET) if r.props["zone"] == "tenants"]
    assert len({(r.data_centre, r.props["tag"]) for r in vnets}) == len(vnets) == 4
    assert {r.type for r in rec.resources if r.props.get("resourceId") == "tenants"} == {T.ZONE_VLAN}
    forward = [rule for r in rec.of_type(T.RULES) for rule in r.props["rules"] if rule["type"] == "forward"]
    assert [(f["source"], f["dest"], f["dport"]) for f in forward] == [("10.20.1.0/24", "10.30.1.0/24", "8443")]
    assert check_tenant_isolation(rec.resources, plan) == []


def test_secrets_are_secret(plan, run_stack):
    rec = run_stack(plan)
    for r in rec.of_type("random:index/randomPassword:RandomPassword"):
        assert {"result", "bcryptHash"} <= r.secret_outputs, r.urn
    for r in rec.of_type("tls:index/privateKey:PrivateKey"):
        assert "privateKeyPem" in r.secret_outputs, r.urn
    for r in rec.of_type("keycloak:index/user:User"):
        assert "initialPassword" in r.secret_inputs and "initialPassword" in r.secret_outputs, r.urn
    for r in rec.of_type("vault:kv/secretV2:SecretV2"):
        assert "dataJson" in r.secret_inputs, r.urn
    for r in rec.of_type(T.VM):
        if not r.props.get("template"):
            assert "initialization" in r.secret_inputs, r.urn
    for r in rec.of_type("tls:index/locallySignedCert:LocallySignedCert"):
        assert "caPrivateKeyPem" in r.secret_inputs, r.urn


def test_component_outputs_are_secret(plan):
    cfg = parse_config({"planPath": "unused.json", **PKI_CONFIG})
    seen = {}

    @pulumi.runtime.test
    def declare():
        stack = build(plan, cfg)
        outputs = [stack.tenants["gemeinde-a"].password, stack.pki.intermediate_key_pem,
                   stack.data_centres["rz-nord"].vms["iam-1"].certificate.key_pem, stack.outputs["service_keys"]]
        checks = [o.is_secret() for o in outputs] + [pulumi.Output.from_input(stack.outputs["root_ca_pem"]).is_secret()]

        def record(flags):
            seen["flags"] = flags

        return pulumi.Output.all(*[pulumi.Output.from_input(c) for c in checks]).apply(record)

    declare()
    assert seen["flags"] == [True, True, True, True, False]


def test_backups_and_monitoring_follow_plan(plan, run_stack):
    rec = run_stack(plan)
    vm_ids = {r.props["name"]: r.props["vmId"] for r in rec.of_type(T.VM)}
    jobs = {r.props["resourceId"]: {int(v) for v in r.props["vmids"]} for r in rec.of_type(T.BACKUP_JOB)}
    assert jobs == {"landkarte-hoch": {vm_ids["iam-1"], vm_ids["iam-2"]}, "landkarte-sehr-hoch": {vm_ids["ewm-1"]}}
    hooked = {r.props["name"] for r in rec.of_type(T.VM) if r.props.get("hookScriptFileId")}
    assert hooked == {"ewm-1", "iam-1", "iam-2"}
    assert _count(rec, "proxmoxve:metrics/server:Server") == len(plan.data_centres)


def test_default_deny_everywhere(plan, run_stack):
    rec = run_stack(plan)
    assert {(r.props["inputPolicy"], r.props["forwardPolicy"]) for r in rec.of_type(T.CLUSTER_FIREWALL)} == \
        {("DROP", "DROP")}
    assert {(r.props["enabled"], r.props["inputPolicy"]) for r in rec.of_type(T.VM_FIREWALL)} == {(True, "DROP")}
    assert len(rec.of_type(T.VM_FIREWALL)) == len(plan.vms)


def test_non_participating_org_gets_nothing(plan, run_stack):
    rec = run_stack(plan)
    assert not [r for r in rec.resources if "gemeinde-out" in r.name]


def test_unknown_data_centre_names_key_path(plan, run_stack):
    bad = plan.model_copy(update={"vms": (plan.vms[0].model_copy(update={"data_centre": "rz-west"}),)})
    with pytest.raises(PlanInconsistency, match=r"vms\[0\]\.data_centre: unknown data centre 'rz-west'"):
        run_stack(bad)


def test_infeasible_plan_is_refused(plan, run_stack):
    with pytest.raises(PlanInconsistency, match=r"^feasible: false — the plan has 0 conflict\(s\)"):
        run_stack(plan.model_copy(update={"feasible": False}))


def test_scope_kreis_declares_only_its_tenants(plan, run_stack):
    rec = run_stack(plan, scope="kreis:10041", sharedStack="org/landkarte/shared")
    assert sorted(r.name for r in rec.of_type("landkarte:tenant:Tenant")) == ["gemeinde-a", "gemeinde-b", "kreis-x"]
    assert not rec.of_type(T.VM) and not rec.of_type("landkarte:pki:Pki")
    assert sorted(r.name for r in rec.of_type("proxmoxve:sdn/applier:Applier")) == \
        ["rz-nord-sdn-applier", "rz-sued-sdn-applier"]


def test_scope_dc_declares_one_cluster_with_its_own_intermediate(plan, run_stack):
    rec = run_stack(plan, scope="dc:rz-nord", sharedStack="org/landkarte/shared")
    assert {r.data_centre for r in rec.resources if r.data_centre} == {"rz-nord"}
    assert sorted(r.props["name"] for r in rec.of_type(T.VM) if not r.props.get("template")) == \
        ["ewm-1", "iam-1", "iam-2"]
    assert not rec.of_type("landkarte:tenant:Tenant") and len(rec.of_type("landkarte:pki:Pki")) == 1
    certs = [r for r in rec.of_type("tls:index/locallySignedCert:LocallySignedCert")]
    assert len(certs) == 3 and all("caPrivateKeyPem" in r.secret_inputs for r in certs)


def test_scope_shared_declares_pki_and_realm_only(plan, run_stack):
    rec = run_stack(plan, scope="shared")
    assert Counter(r.type for r in rec.resources if r.custom) == Counter({
        "tls:index/privateKey:PrivateKey": 1, "tls:index/certRequest:CertRequest": 1,
        "pulumi:providers:keycloak": 1, "keycloak:index/realm:Realm": 1,
    })


def test_pulumi_entry_point_runs_the_program(plan, tmp_path):
    # Pulumi runs the directory `main: stacks/` (its __main__.py), exactly as here.
    path = tmp_path / "plan.json"
    write_plan(plan, path)
    stacks_dir = Path(__file__).resolve().parents[2] / "stacks"
    rec = run_program(lambda: runpy.run_path(str(stacks_dir), run_name="__main__"), config={"planPath": str(path)})
    assert len(rec.of_type("landkarte:tenant:Tenant")) == 4 and len(rec.of_type(T.VM)) == 6


def test_pki_root_is_imported_and_the_intermediate_key_is_never_an_output(plan):
    cfg = parse_config({"planPath": "unused.json", **PKI_CONFIG})

    @pulumi.runtime.test
    def declare():
        stack = build(plan, cfg)
        assert "intermediate_ca_key_pem" not in stack.outputs
        assert stack.outputs["root_ca_pem"] == cfg.root_ca_cert_pem and "PRIVATE" not in stack.outputs["root_ca_pem"]
        assert stack.outputs["pki_status"] == "ready"
        assert "intermediate_ca_csr_pem" in stack.outputs

    declare()


def test_pki_without_signed_intermediate_declares_no_service_certificates(plan, run_stack):
    rec = run_stack(plan, rootCaCertFile="", intermediateCaCertFile="")
    assert not rec.of_type("tls:index/locallySignedCert:LocallySignedCert")
    assert len(rec.of_type("tls:index/certRequest:CertRequest")) == 1  # the intermediate's CSR only


def test_vms_of_one_service_land_on_different_nodes_with_ha_anti_affinity(plan, run_stack):
    rec = run_stack(plan)
    nodes = {r.props["name"]: r.props["nodeName"] for r in rec.of_type(T.VM) if not r.props.get("template")}
    assert nodes["iam-1"] != nodes["iam-2"]
    assert len(set(nodes.values())) >= 2
    rules = rec.of_type("proxmoxve:index/harule:Harule")
    assert [(r.props["type"], r.props["affinity"], len(r.props["resources"])) for r in rules] == \
        [("resource-affinity", "negative", 2)]
