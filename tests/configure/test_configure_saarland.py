"""The inventory generated from the real Saarland plan (planner output for the bundled sample)."""

from __future__ import annotations

from pathlib import Path

import pytest

from configure.inventory import DB_PORT, InventoryOptions, build_inventory
from consolidation.planner import plan as make_plan
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from plan.models import Plan

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def saarland() -> Plan:
    return make_plan(load_landscape(ROOT / "inventory" / "samples" / "saarland"),
                     load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"))


@pytest.fixture(scope="module")
def inventory(saarland) -> dict:
    return build_inventory(saarland, InventoryOptions(management_sources=("10.255.0.0/24",)))


def test_saarland_every_planned_vm_is_a_host_in_its_data_centre_group(saarland, inventory):
    hosts, children = inventory["all"]["hosts"], inventory["all"]["children"]
    assert set(hosts) == {vm.id for vm in saarland.vms}
    for vm in saarland.vms:
        assert vm.id in children[f"dc_{vm.data_centre.replace('-', '_')}"]["hosts"]
        assert hosts[vm.id]["ansible_host"] == vm.address
        assert hosts[vm.id]["backup_enabled"] is vm.backup


def test_saarland_tenant_groups_cover_every_tenant_of_every_target(saarland, inventory):
    children = inventory["all"]["children"]
    targets = {t.id: t for t in saarland.targets}
    for vm in saarland.vms:
        for org in targets[vm.target].tenants:
            assert vm.id in children[f"tenant_{org.replace('-', '_')}"]["hosts"]


def test_saarland_every_tenant_flow_into_a_target_is_allowed_on_its_front_vms(saarland, inventory):
    hosts = inventory["all"]["hosts"]
    prefixes = {n.org: str(n.prefix) for n in saarland.tenant_networks}
    fronts = [vm for vm in saarland.vms if vm.role != "db"]
    missing = []
    for flow in saarland.flows:
        if flow.source_org not in prefixes or flow.source != flow.source_org:
            continue
        for vm in (v for v in fronts if v.target == flow.target):
            rules = hosts[vm.id]["nftables_allowed_inbound"]
            if not any(r["port"] == flow.port and prefixes[flow.source_org] in r["sources"] for r in rules):
                missing.append((flow.id, vm.id))
    assert missing == []


def test_saarland_database_vms_accept_only_their_front_vms(saarland, inventory):
    hosts = inventory["all"]["hosts"]
    for vm in (v for v in saarland.vms if v.role == "db"):
        fronts = sorted(f"{v.address}/32" for v in saarland.vms if v.target == vm.target and v.role != "db")
        assert [(r["port"], sorted(r["sources"])) for r in hosts[vm.id]["nftables_allowed_inbound"]] == \
            [(DB_PORT, fronts)]


def test_saarland_central_log_host_option_receives_from_every_vm(saarland):
    log_vm = min(vm.id for vm in saarland.vms if vm.role == "backup")
    hosts = build_inventory(saarland, InventoryOptions(log_host=log_vm, management_sources=("10.255.0.0/24",)))["all"]["hosts"]
    assert hosts[log_vm]["logging_receive"] is True
    rule = next(r for r in hosts[log_vm]["nftables_allowed_inbound"] if r["port"] == 514)
    assert len(rule["sources"]) == len(saarland.vms)
    assert {h["logging_server"] for k, h in hosts.items() if k != log_vm} == {hosts[log_vm]["ansible_host"]}
