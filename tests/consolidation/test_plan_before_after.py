"""The plan before and after the pipeline refactor (issue 14): identical except for the reasons.

The goldens in ``tests/data/plan_golden/`` were written at the commit before the refactor (plan
schema 3, reasons as German sentences; see the README there). The current planner must give the same plan JSON for
every part that is not a reason, and each new reason (a message code with values) rendered in
German must read as the old sentence, with dates now in German format.
"""

from __future__ import annotations

import json
import lzma
import re
from pathlib import Path

import pytest
from before_issue_20 import switch_off

from benchmarks.bench_plan import scaled_scenario
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from inventory.generate import generate_landscape
from inventory.load import load_landscape
from plan.io import plan_to_json
from reports.messages import Translator

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "plan_golden"
DE = Translator("de")


class _R:
    """A reason read from plan JSON, for the renderer."""

    def __init__(self, data: dict):
        self.kind, self.params = data["kind"], data["params"]


def _german_dates(text: str) -> str:
    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3.\2.\1", text)


def _old_sentences(old: dict) -> tuple[list[str], list[str], list[str]]:
    """The old plan's reasons (bindings, funding, conflicts), removed from it."""
    bindings = [a["binding"].pop("detail") for a in old["assignments"]]
    funding = [f.pop("description") for f in old["funding"]]
    conflicts = [c.pop("explanation") for c in old["conflicts"]]
    return bindings, funding, conflicts


def _new_sentences(new: dict) -> tuple[list[str], list[str], list[str]]:
    """The new plan's reasons rendered in German, removed from it."""
    bindings = [DE.reason(_R(a["binding"].pop("reason"))) for a in new["assignments"]]
    funding = []
    for f in new["funding"]:
        reason, own = _R(f.pop("reason")), f.pop("description")
        funding.append(own or DE.reason(reason))
    conflicts = [DE.reason(_R(c.pop("reason")), tuple(_R(p) for p in c.pop("parts"))) for c in new["conflicts"]]
    return bindings, funding, conflicts


def _compare(new_json: str, golden: str, *, scenario_hash: str) -> None:
    old = json.loads(lzma.decompress((GOLDEN / golden).read_bytes()))
    new = json.loads(new_json)
    new["meta"]["scenario_hash"] = scenario_hash
    for p in (old, new):
        del p["meta"]["tool_version"], p["meta"]["schema_version"]
    old_b, old_f, old_c = _old_sentences(old)
    new_b, new_f, new_c = _new_sentences(new)
    for key in sorted(set(old) | set(new)):
        assert new.get(key) == old.get(key), f"{golden}: {key} differs from the plan before the refactor"
    assert new_b == [_german_dates(s) for s in old_b]
    assert new_f == old_f
    assert new_c == old_c


@pytest.mark.parametrize("scenario", ["landesweit", "egosaar-austritt"])
def test_saarland_plan_unchanged_by_the_refactor_except_reasons(scenario: str, monkeypatch) -> None:
    # the goldens predate issue 16's rule (a system already on the standard product stays): switched off here
    monkeypatch.setattr("consolidation.targets.already_standard", lambda *_a: False)
    # and issue 20's schedule search (tests/before_issue_20.py)
    sc, before = switch_off(monkeypatch, load_scenario(ROOT / "consolidation" / "scenarios" / f"{scenario}.yaml"))
    landscape = load_landscape(ROOT / "inventory" / "samples" / "saarland")
    _compare(plan_to_json(plan(landscape, sc)), f"saarland-{scenario}.json.xz", scenario_hash=before)


@pytest.mark.parametrize("orgs", [40, pytest.param(300, marks=pytest.mark.slow)])
def test_generated_plan_unchanged_by_the_refactor_except_reasons(orgs: int, monkeypatch) -> None:
    monkeypatch.setattr("consolidation.targets.already_standard", lambda *_a: False)
    landscape = generate_landscape(orgs, 7, systems_per_org=46)
    sc, before = switch_off(monkeypatch, scaled_scenario(len(landscape.organisations), len(landscape.systems)))
    _compare(plan_to_json(plan(landscape, sc)), f"generated-{orgs}.json.xz", scenario_hash=before)
