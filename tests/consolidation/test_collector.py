"""The planner pauses the cyclic garbage collector and hands its objects on without a collection."""

from __future__ import annotations

import gc

from consolidation._examples import tiny_landscape, tiny_scenario
from consolidation.planner import plan


def test_the_plan_objects_leave_the_young_generation_and_the_collector_runs_again():
    assert gc.isenabled()
    p = plan(tiny_landscape(), tiny_scenario())
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # frozen and unfrozen: in the oldest generation, not frozen
    assert gc.get_count()[0] < 50  # no young collection has to walk what the planner made
    assert p.assignments


def test_objects_the_program_froze_stay_frozen():
    marker = [[k] for k in range(2000)]
    gc.freeze()
    try:
        plan(tiny_landscape(), tiny_scenario())
        assert gc.get_freeze_count() > 2000
        assert all(o is not marker for o in gc.get_objects())  # the generations 0–2, not the permanent one
    finally:
        gc.unfreeze()
    assert any(o is marker for o in gc.get_objects())
