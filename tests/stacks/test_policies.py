"""Each policy: compliant on the stack program's resources for the good plan, violated on the
resources the same program declares for a deliberately bad plan (both under mocks)."""

from __future__ import annotations

import copy
import dataclasses

import pulumi
import pytest
from pki_files import PKI_CONFIG

from plan.io import write_plan
from plan.models import Flow
from stacks._recording import run_program
from stacks.policies.rules import (
    POLICIES,
    T,
    check_backups,
    check_default_deny,
    check_monitoring,
    check_no_overlapping_prefixes,
    check_secrets,
    check_sehr_hoch_placement,
    check_tenant_isolation,
    run_all,
)
from stacks.program import main


def _messages(violations):
    return [f"{v.urn}: {v.message}" for v in violations]


@pytest.fixture
def good(plan, run_stack):
    return run_stack(plan).resources


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_policy_compliant_on_good_plan(name, plan, good):
    _desc, check, _needs_plan = POLICIES[name]
    assert check(good, plan) == [], _messages(check(good, plan))


def test_tenant_isolation_violated_by_shared_vlan(plan, run_stack):
    nets = list(plan.tenant_networks)
    nets[1] = nets[1].model_copy(update={"vlan": nets[0].vlan})  # gemeinde-b on gemeinde-a's VLAN
    violations = check_tenant_isolation(run_stack(plan.model_copy(update={"tenant_networks": tuple(nets)})).resources,
                                        plan)
    assert [v.urn.rsplit("::", 1)[-1] for v in violations] == ["gemeinde-b-rz-nord-vnet"], _messages(violations)
    assert "shares VLAN tag 101 with gemeinde-a-rz-nord-vnet" in violations[0].message


def test_tenant_isolation_violated_by_undeclared_interface(plan, run_stack):
    tampered = plan.model_copy(update={"flows": plan.flows + (Flow(
        id="b-kreis", source_org="gemeinde-b", target_org="kreis-x", source="gemeinde-b",
        target="kreis-x.sozialamt", port=22, reason="not approved"),)})
    violations = check_tenant_isolation(run_stack(tampered).resources, plan)  # checked against the approved plan
    assert len(violations) == 1, _messages(violations)
    assert violations[0].urn.endswith("::rz-sued-cluster-rules")
    assert "opens gemeinde-b → kreis-x tcp/22, an interface the plan does not declare" in violations[0].message
    assert check_tenant_isolation(run_stack(tampered).resources, tampered) == []


def test_no_overlapping_prefixes_violated(plan, run_stack):
    nets = list(plan.tenant_networks)
    nets[1] = nets[1].model_copy(update={"prefix": "10.20.0.0/23"})  # swallows the service network and a's
    violations = check_no_overlapping_prefixes(
        run_stack(plan.model_copy(update={"tenant_networks": tuple(nets)})).resources, plan)
    assert {v.urn.rsplit("::", 1)[-1] for v in violations} == {"rz-nord-subnet-services", "gemeinde-a-rz-nord-subnet"}
    assert all("overlaps 10.20.0.0/23 of gemeinde-b-rz-nord-subnet" in v.message for v in violations)


def test_default_deny_violated_by_any_prefix(plan, run_stack):
    nets = list(plan.tenant_networks)
    nets[3] = nets[3].model_copy(update={"prefix": "0.0.0.0/0"})  # an allocator bug: land = everything
    violations = check_default_deny(run_stack(plan.model_copy(update={"tenant_networks": tuple(nets)})).resources,
                                    plan)
    assert {v.urn.rsplit("::", 1)[-1] for v in violations} == {"rz-nord-iam-1-rules", "rz-nord-iam-2-rules"}
    assert all("accepts from 0.0.0.0/0, which is practically any source" in v.message for v in violations)


def test_sehr_hoch_outside_certified_site_violated(plan, run_stack):
    vms = tuple(vm.model_copy(update={"data_centre": "rz-sued", "address": "10.30.0.12"}) if vm.id == "ewm-1" else vm
                for vm in plan.vms)
    violations = check_sehr_hoch_placement(run_stack(plan.model_copy(update={"vms": vms})).resources, plan)
    assert [v.urn.rsplit("::", 1)[-1] for v in violations] == ["rz-sued-ewm-1"], _messages(violations)
    assert "not certified for it" in violations[0].message


def test_backups_violated_for_hoch_without_backup(plan, run_stack):
    vms = tuple(vm.model_copy(update={"backup": False}) if vm.id == "iam-2" else vm for vm in plan.vms)
    violations = check_backups(run_stack(plan.model_copy(update={"vms": vms})).resources, plan)
    assert [v.urn.rsplit("::", 1)[-1] for v in violations] == ["rz-nord-iam-2", "rz-nord-iam-2"]
    assert [v.message for v in violations] == [
        "Schutzbedarf hoch but in no enabled backup job of data centre rz-nord", "disks[0] is excluded from backup"]


def test_tenant_isolation_violated_by_foreign_vault_path(plan, good):
    policy = next(r for r in good if r.name == "gemeinde-a-policy")
    widened = dataclasses.replace(policy, props={**policy.props, "policy": policy.props["policy"]
                                                 + 'path "tenants/gemeinde-b/data/*" { capabilities = ["read"] }\n'})
    violations = check_tenant_isolation([widened if r is policy else r for r in good], plan)
    assert _messages(violations) == [(f"{policy.urn}: tenant policy reaches beyond tenants/gemeinde-a/: "
                                     "tenants/gemeinde-b/data/*")]


def test_monitoring_violated_for_hoch_without_monitoring(plan, run_stack):
    vms = tuple(vm.model_copy(update={"monitoring": False}) if vm.id == "ewm-1" else vm for vm in plan.vms)
    violations = check_monitoring(run_stack(plan.model_copy(update={"vms": vms})).resources, plan)
    assert _messages(violations) == [
        f"{violations[0].urn}: Schutzbedarf sehr hoch but no monitoring hook script"]
    assert violations[0].urn.endswith("::rz-nord-ewm-1")


def test_secrets_violated_when_program_drops_secret_marking(plan, tmp_path):
    # No plan can make a password public; the failure mode is a change to the program. Simulate it by running
    # the real program with a stack transformation that drops every additional_secret_outputs, then view the
    # resources as the policy engine does (it unwraps secret inputs; only additional_secret_outputs remain).
    def drop_secret_marking(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult:
        opts = copy.copy(args.opts)
        opts.additional_secret_outputs = []
        return pulumi.ResourceTransformationResult(args.props, opts)

    def regressed_program() -> None:
        root = pulumi.runtime.get_root_resource()
        saved = root._transformations
        pulumi.runtime.register_stack_transformation(drop_secret_marking)
        try:
            main()
        finally:
            root._transformations = saved

    def engine_view(resources):
        return [dataclasses.replace(r, secret_inputs=frozenset()) for r in resources]

    path = tmp_path / "plan.json"
    write_plan(plan, path)
    violations = check_secrets(engine_view(run_program(regressed_program, config={"planPath": str(path), **PKI_CONFIG})
                                           .resources), plan)
    names = {v.urn.rsplit("::", 1)[-1] for v in violations}
    assert {"gemeinde-a-admin-password", "gemeinde-a-admin", "landkarte-pki-intermediate-key", "rz-nord-iam-1"} <= names, \
        _messages(violations)
    assert check_secrets(engine_view(run_program(main, config={"planPath": str(path), **PKI_CONFIG}).resources),
                         plan) == []


def test_run_all_reports_each_policy_once_per_finding(plan, run_stack):
    vms = tuple(vm.model_copy(update={"backup": False}) for vm in plan.vms)
    violations = run_all(run_stack(plan.model_copy(update={"vms": vms})).resources, plan)
    assert {v.policy for v in violations} == {"backups-for-hoch-and-above"}
    assert str(violations[0]).startswith("[backups-for-hoch-and-above] urn:pulumi:test::landkarte::")


def _replace_props(resources, type_, name_part, **props):
    return [dataclasses.replace(r, props={**r.props, **props}) if r.type == type_ and name_part in r.name else r
            for r in resources]


def test_root_ca_offline_passes_program_and_catches_a_self_signed_ca(plan, run_stack):
    from stacks.policies.rules import Resource, check_root_ca_offline

    resources = list(run_stack(plan).resources)
    assert check_root_ca_offline(resources, plan) == []
    bad = Resource(urn="urn:pulumi:test::landkarte::tls:index/selfSignedCert:SelfSignedCert::root-ca",
                   type="tls:index/selfSignedCert:SelfSignedCert", name="root-ca",
                   props={"isCaCertificate": True, "privateKeyPem": "x"})
    violations = check_root_ca_offline([*resources, bad], plan)
    assert [(v.policy, v.urn) for v in violations] == [("root-ca-offline", bad.urn)]
    assert "CA key would be in Pulumi state" in violations[0].message


def test_vm_spread_passes_program_and_catches_one_node_and_shared_node(plan, run_stack):
    from stacks.policies.rules import check_vm_spread

    resources = list(run_stack(plan).resources)
    assert check_vm_spread(resources, plan) == []
    one_node = [dataclasses.replace(r, props={**r.props, "nodeName": "pve1"}) if r.type == T.VM else r
                for r in resources]
    messages = _messages(check_vm_spread(one_node, plan))
    assert any("all 3 VMs of data centre rz-nord on node pve1" in m for m in messages), messages
    node_of = {r.props["name"]: r.props["nodeName"] for r in resources if r.type == T.VM}
    shared = [dataclasses.replace(r, props={**r.props, "nodeName": node_of["iam-1"]})
              if r.type == T.VM and r.props["name"] == "iam-2" else r for r in resources]
    messages = _messages(check_vm_spread(shared, plan))
    assert len(messages) == 1 and "share a node" in messages[0] and "no anti-affinity" in messages[0], messages


def test_backup_datastore_catches_a_huge_disk_beside_the_vms(plan, run_stack):
    from stacks.policies.rules import Resource, check_backup_datastore

    assert check_backup_datastore(list(run_stack(plan).resources), plan) == []
    huge = Resource(urn="urn:pulumi:test::landkarte::proxmoxve:index/vmLegacy:VmLegacy::backup-app1",
                    type=T.VM, name="backup-app1", data_centre="rz-nord",
                    props={"tags": ["role-backup"], "nodeName": "pve1",
                           "disks": [{"interface": "scsi0", "datastoreId": "local-lvm", "size": 508638}]})
    messages = [v.message for v in check_backup_datastore([huge], plan)]
    assert messages == ["backup host without a repository disk on its own datastore",
                        "system disk of 508638 GB on local-lvm: the repository belongs on the backup datastore"]
