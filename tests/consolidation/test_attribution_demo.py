"""The demo issue: after two small edits in the inventory ``plan compare`` moved 60 systems without saying why (57 with the plans of issue 20).

Reproduced on the Saarland sample (plans made ``--as-of 05.12.2026`` like the demo): two contracts now end on
31.12.2028 (``organisations/kirkel.yaml``, ``organisations/schiffweiler.yaml``). Every one of the moved
systems gets a cause: the edit itself (direct) or a knock-on effect with the predecessor, quarter or
target that carries it.
"""

from __future__ import annotations

from collections import Counter

import pytest
from inventory_cases import ROOT

from benchmarks.bench_why import AS_OF, DEMO_EDITS, demo_edits
from consolidation.attribution import PlanInputs, attribute
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from plan.diff import diff_plans
from reports.changes import top_lines, via_text
from reports.messages import Translator

pytestmark = pytest.mark.slow


def test_the_demo_two_edits_every_moved_system_is_explained() -> None:
    L = load_landscape(ROOT / "inventory" / "samples" / "saarland")
    S = load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml")
    L2 = demo_edits(L)
    old, new = plan(L, S, as_of=AS_OF), plan(L2, S, as_of=AS_OF)
    d = diff_plans(old, new)
    assert d.moved == 57  # the demo had "60 systems"; 57 since the schedule of issue 20
    a = attribute(old, new, PlanInputs(L, S, as_of=AS_OF), PlanInputs(L2, S, as_of=AS_OF))
    assert {s.system for s in a.systems} == {c.system for c in d.changes}
    edits = {f"inventory:systems:{sid}" for sid in DEMO_EDITS}
    assert {s.cause for s in a.systems} <= edits and not [s for s in a.systems if s.also and not set(s.also) <= edits]
    assert {c.fields for c in a.causes if c.id in edits} == {("contract.end",)}
    by = {s.system: s for s in a.systems}
    assert by["kirkel.finanzwesen-doppik"].via == "direct"
    # every knock-on names what carried it
    t = Translator("de")
    for s in a.systems:
        if s.via in ("dependency", "capacity", "onboarding"):
            assert s.related, s
        assert via_text(t, s)
    assert set(Counter(s.via for s in a.systems)) <= {"direct", "dependency", "capacity", "onboarding", "reoptimised"}
    lines = top_lines(t, a)
    assert lines[0].headline.startswith(f"{lines[0].systems} Systeme verschoben wegen: Inventar organisations/")
    assert sum(line.systems for line in lines) == 57
