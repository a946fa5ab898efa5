"""The bundled Saarland sample under the shipped scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from consolidation.planner import plan
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from plan.io import plan_to_json

ROOT = Path(__file__).resolve().parents[2]
LEAVING = {"eppelborn", "heusweiler", "losheim-am-see", "wadern", "weiskirchen"}


@pytest.fixture(scope="module")
def saarland():
    return load_landscape(ROOT / "inventory" / "samples" / "saarland")


@pytest.fixture(scope="module")
def landesweit(saarland):
    return plan(saarland, load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"))


def test_saarland_landesweit_is_feasible_and_complete(saarland, landesweit):
    p = landesweit
    assert p.feasible and p.conflicts == ()
    assert len(p.assignments) == len(saarland.systems)
    assert {a.decision for a in p.assignments} == {"migrate", "rehost", "stay", "exception"}
    sched = p.solver[1]
    assert sched.objective < sched.baseline_objective and 0 <= sched.gap < 0.2


def test_saarland_plan_carries_networks_flows_and_vms(landesweit):
    p = landesweit
    prefixes = [t.prefix for t in p.tenant_networks]
    assert len(prefixes) == len(set(prefixes)) == len({t.org for t in p.tenant_networks})
    assert len({(t.data_centre, t.vlan) for t in p.tenant_networks}) == len(p.tenant_networks)
    assert {f.port for f in p.flows} >= {443, 636}
    assert all(v.backup and v.monitoring for v in p.vms if v.schutzbedarf.value in ("hoch", "sehr hoch"))
    assert len({v.address for v in p.vms}) == len(p.vms)


def test_saarland_austritt_keeps_the_five_outside(saarland):
    p = plan(saarland, load_scenario(ROOT / "consolidation" / "scenarios" / "egosaar-austritt.yaml"))
    outside = {a.org for a in p.assignments if a.decision == "out_of_scope"}
    assert outside == LEAVING
    assert {o.id for o in p.organisations if not o.participates} == LEAVING


def test_saarland_plan_is_deterministic(saarland, landesweit):
    again = plan(saarland, load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"))
    assert plan_to_json(again) == plan_to_json(landesweit)


def test_saarland_plan_round_trips_through_the_contract(landesweit, tmp_path):
    from plan.io import read_plan, write_plan

    write_plan(landesweit, tmp_path / "plan.json")
    assert read_plan(tmp_path / "plan.json") == landesweit


def test_saarland_plan_validates_against_its_schema(landesweit):
    from plan.models import Plan

    # the planner builds its models without re-validation; the schema still accepts every value
    again = Plan.model_validate_json(landesweit.model_dump_json())
    assert again == landesweit
    assert again.model_dump_json() == landesweit.model_dump_json()


def test_inventory_hash_streamed_equals_hash_of_the_whole_json(saarland):
    import hashlib

    from consolidation.planner import inventory_hash

    assert inventory_hash(saarland) == hashlib.sha256(saarland.model_dump_json().encode("utf-8")).hexdigest()
