"""The plan before and after: every plan of the golden inputs is the one in ``tests/data/plan_golden/``.

The goldens were first written at the commit before the pipeline refactor (issue 14, plan schema 3,
reasons as German sentences) and pinned that refactor: the same plan but for the reasons' structure.
Issue 20 changed the plan by design (plan schema 5: notice deadlines never before the start, one
sizing of placement and VMs, rehosts with their own decision, contract dates and EOL risk, and so
different schedules); the goldens were re-written then (see the README there). Any other change of
the plan fails here: re-write the goldens only for a change made on purpose, and say why.
"""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

from benchmarks.bench_plan import scaled_scenario
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from inventory.generate import generate_landscape
from inventory.load import load_landscape
from plan.io import plan_to_json

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "plan_golden"


def saarland_plan(scenario: str):
    landscape = load_landscape(ROOT / "inventory" / "samples" / "saarland")
    return plan(landscape, load_scenario(ROOT / "consolidation" / "scenarios" / f"{scenario}.yaml"))


def generated_plan(orgs: int):
    landscape = generate_landscape(orgs, 7, systems_per_org=46)
    return plan(landscape, scaled_scenario(len(landscape.organisations), len(landscape.systems)))


def _compare(new_json: str, golden: str) -> None:
    old = json.loads(lzma.decompress((GOLDEN / golden).read_bytes()))
    new = json.loads(new_json)
    for p in (old, new):
        del p["meta"]["tool_version"]
    for key in sorted(set(old) | set(new)):
        assert new.get(key) == old.get(key), f"{golden}: {key} differs from the golden plan"


@pytest.mark.parametrize("scenario", ["landesweit", "egosaar-austritt"])
def test_saarland_plan_is_the_golden_one(scenario: str) -> None:
    _compare(plan_to_json(saarland_plan(scenario)), f"saarland-{scenario}.json.xz")


@pytest.mark.parametrize("orgs", [40, pytest.param(300, marks=pytest.mark.slow)])
def test_generated_plan_is_the_golden_one(orgs: int) -> None:
    _compare(plan_to_json(generated_plan(orgs)), f"generated-{orgs}.json.xz")


def write_goldens() -> None:  # pragma: no cover - run by hand for a change of the plan made on purpose
    """``python -c "import sys; sys.path.insert(0, 'tests/consolidation'); import test_plan_before_after as t; t.write_goldens()"``"""
    for scenario in ("landesweit", "egosaar-austritt"):
        (GOLDEN / f"saarland-{scenario}.json.xz").write_bytes(lzma.compress(plan_to_json(saarland_plan(scenario)).encode()))
    for orgs in (40, 300):
        (GOLDEN / f"generated-{orgs}.json.xz").write_bytes(lzma.compress(plan_to_json(generated_plan(orgs)).encode()))
