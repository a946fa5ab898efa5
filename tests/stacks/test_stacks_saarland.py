"""The stack program on the real Saarland plan (planner output for the bundled sample inventory)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from consolidation.planner import plan as make_saarland_plan
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from plan.io import write_plan
from plan.models import Plan
from stacks._recording import Recording, run_program
from stacks.firewall import flows_without_rule
from stacks.policies.rules import T, check_secrets, run_all
from stacks.program import main

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def saarland(tmp_path_factory) -> tuple[Plan, Path]:
    plan = make_saarland_plan(load_landscape(ROOT / "inventory" / "samples" / "saarland"),
                              load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"))
    path = tmp_path_factory.mktemp("saarland") / "plan.json"
    write_plan(plan, path)
    return plan, path


@pytest.fixture(scope="module")
def recording(saarland) -> Recording:
    _plan, path = saarland
    return run_program(main, config={"planPath": str(path)}, stack="saarland")


def test_saarland_counts_match_plan(saarland, recording):
    plan, _ = saarland
    assert len(recording.of_type("landkarte:tenant:Tenant")) == sum(o.participates for o in plan.organisations)
    assert len(recording.of_type("landkarte:tenant:TenantSegment")) == len(plan.tenant_networks)
    assert len(recording.of_type("landkarte:servicevm:ServiceVm")) == len(plan.vms)
    assert len(recording.of_type("landkarte:datacentre:DataCentre")) == len(plan.data_centres)
    vms_of = Counter(vm.target for vm in plan.vms)
    unrouted = {f.id for f in flows_without_rule(plan)}
    expected = sum(vms_of[f.target] or 1 for f in plan.flows if f.id not in unrouted)
    rules = [rule for r in recording.of_type(T.RULES) for rule in r.props["rules"]]
    assert len(rules) == expected
    assert {rule["comment"].removeprefix("flow ") for rule in rules} == {f.id for f in plan.flows} - unrouted


def test_saarland_passes_every_policy(saarland, recording):
    plan, _ = saarland
    violations = run_all(recording.resources, plan)
    assert violations == [], [str(v) for v in violations[:10]]


def test_saarland_tenant_segments_isolated_and_secrets_secret(saarland, recording):
    plan, _ = saarland
    vnets = [r for r in recording.of_type(T.VNET) if r.props["zone"] == "tenants"]
    assert len({(r.data_centre, r.props["tag"]) for r in vnets}) == len(vnets) == len(plan.tenant_networks)
    engine_view = [dataclasses.replace(r, secret_inputs=frozenset()) for r in recording.resources]
    assert check_secrets(engine_view, plan) == []


def test_saarland_backup_hosts_keep_the_repository_on_the_backup_datastore(saarland, recording):
    from stacks.datacentre import BACKUP_SIZE_FACTOR
    from stacks.policies.rules import T

    plan, _path = saarland
    backup_vms = [r for r in recording.of_type(T.VM) if "role-backup" in (r.props.get("tags") or [])]
    assert backup_vms
    for vm in backup_vms:
        system, repository = vm.props["disks"]
        assert system["size"] <= 32 and repository["datastoreId"] == "backup"
    for dc in plan.data_centres:
        data = sum(v.disk_gb for v in plan.vms if v.data_centre == dc.id and v.backup and v.role != "backup")
        sizes = [r.props["disks"][1]["size"] for r in backup_vms if r.data_centre == dc.id]
        if sizes:
            assert sum(sizes) >= data * BACKUP_SIZE_FACTOR
            print(f"{dc.id}: data {data} GB → repository {sum(sizes)} GB on {len(sizes)} backup host(s)")


def test_saarland_vms_spread_over_nodes(recording):
    from stacks.policies.rules import T

    nodes = {r.props["nodeName"] for r in recording.of_type(T.VM) if not r.props.get("template")}
    assert nodes == {"pve1", "pve2"}
