"""Issue 20's schedule search switched off, for the tests that pin a plan written before it.

Issue 20 deliberately changes schedules (a better repair of the Lagrangian schedule, priority
lists and moves on the large path, the full CP-SAT model at the end of small and medium
problems; ``tests/consolidation/test_exact_optimum.py`` pins what it gains). The goldens of the
plan before it stay meaningful for everything else with it switched off here: the repair as it
was, the two new steps off through their settings, and the scenario hash without those settings.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from consolidation.schedule.greedy import priority_schedule

NEW_SETTINGS = ("polish_max_groups", "polish_det_time", "moves_max_groups", "windows_max_groups")


def repair_before(problem, first_choice, *, es, blocked):
    """The Lagrangian schedule's repair before issue 20: every ready group placed at once."""
    return priority_schedule(problem, es=np.maximum(es, first_choice), blocked=blocked, successor_weight=0.0,
                             wait=False)


def scenario_before(scenario):
    """``scenario`` with the full model at the end and the moves switched off."""
    data = scenario.model_dump()
    data["solver"] = {**data["solver"], "polish_max_groups": 0, "moves_max_groups": 0, "windows_max_groups": 0}
    return type(scenario).model_validate(data)


def hash_before(scenario) -> str:
    """The scenario's hash (as the plan records it) without the settings issue 20 added."""
    data = scenario.model_dump(mode="json", exclude={"sweep"})
    for key in NEW_SETTINGS:
        data["solver"].pop(key)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def switch_off(monkeypatch, scenario):
    """Monkeypatch the repair back; returns the scenario to plan with and the hash to record."""
    monkeypatch.setattr("consolidation.schedule.driver.price_repair", repair_before)
    return scenario_before(scenario), hash_before(scenario)
