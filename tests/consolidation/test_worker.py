"""The placement and schedule solved in a worker process give the same plan as in a thread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consolidation._examples import tiny_scenario
from consolidation._worker import Worker, WorkerError
from consolidation.placement import PlacementInfeasibleError
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from consolidation.schedule import ScheduleConflict, ScheduleInfeasibleError, schedule
from consolidation.schedule import example_problem as _example
from inventory.load import load_landscape

ROOT = Path(__file__).resolve().parents[2]


def _without_scenario_hash(p) -> dict:
    d = json.loads(p.model_dump_json())
    d["meta"].pop("scenario_hash")  # the scenario differs in solver.process_min_groups only
    return d


def test_plan_with_the_schedule_in_a_worker_process_equals_the_thread():
    saarland = load_landscape(ROOT / "inventory" / "samples" / "saarland")
    landesweit = load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml")
    in_process = landesweit.model_copy(update={"solver": landesweit.solver.model_copy(
        update={"process_min_groups": 1})})
    assert _without_scenario_hash(plan(saarland, in_process)) == _without_scenario_hash(plan(saarland, landesweit))


def test_infeasible_schedule_in_a_worker_keeps_its_conflicts(exit_chain):
    p = plan(exit_chain, tiny_scenario(solver={"deterministic_time": 2.0, "process_min_groups": 1}))
    assert p.feasible is False
    assert [c.constraints for c in p.conflicts] == [
        ("abhaengigkeit:g.x.b>g.x.a", "abhaengigkeit:g.x.c>g.x.b", "frist:exit:x")]


def test_worker_raises_the_functions_exception_in_the_parent_and_goes_on():
    with Worker() as w:
        bad = w.submit(schedule, _example(), no_such_setting=1)
        good = w.submit(schedule, _example())
        with pytest.raises(TypeError, match="unexpected keyword"):
            bad.result()
        assert good.result().quarter.tolist() == [0, 1, 2]


def test_a_worker_that_dies_fails_what_is_pending_with_a_clear_error():
    import os

    with Worker() as w:
        w.submit(os._exit, 3)
        lost = w.submit(schedule, _example())
        with pytest.raises(WorkerError, match="exit code 3"):
            lost.result(timeout=60)


@pytest.mark.parametrize("error", [
    ScheduleInfeasibleError([ScheduleConflict(("a", "b"), "contradiction", parts=(("team_eigen", ()),))]),
    PlacementInfeasibleError([("dc_capacity", (("resource", "vcpu"), ("need", 12), ("available", 10))),
                              ("dc_timeout", ())]),
])
def test_solver_errors_survive_pickling(error):
    import pickle

    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error) and vars(back) == vars(error)


def test_a_kept_value_stands_for_itself_in_each_later_call():
    import numpy as np

    from consolidation.explain import binding_constraints

    problem = _example()
    with Worker() as w:
        there = w.keep(problem)
        scheduled = w.submit(schedule, there)
        explained = w.submit(binding_constraints, there, np.array([0, 1, 2]))
        assert scheduled.result().quarter.tolist() == schedule(problem).quarter.tolist()
        assert explained.result() == binding_constraints(problem, np.array([0, 1, 2]))


def test_shutdown_without_waiting_finishes_the_pending_calls_and_refuses_new_ones():
    w = Worker()
    pending = w.submit(schedule, _example())
    w.shutdown(wait=False)
    with pytest.raises(RuntimeError, match="after shutdown"):
        w.submit(schedule, _example())
    assert pending.result(timeout=60).quarter.tolist() == [0, 1, 2]
    w.close()
    assert w._proc.returncode == 0


def test_no_worker_process_gives_the_same_plan_in_a_thread(monkeypatch, exit_chain):
    import consolidation._worker as W

    scenario = tiny_scenario(solver={"process_min_groups": 1})
    expected = plan(exit_chain, scenario).model_dump_json()
    monkeypatch.setattr(W.sys, "executable", "/nonexistent/python")
    with pytest.warns(RuntimeWarning, match="no worker process"):
        assert plan(exit_chain, scenario).model_dump_json() == expected


def test_cli_says_when_the_worker_process_dies(monkeypatch, tiny_inventory, tmp_path, capsys):
    import os

    import yaml

    from consolidation._examples import scenario_dict
    from landkarte.cli import main

    submit = Worker.submit

    def dies_scheduling(self, fn, /, *args, **kwargs):
        return submit(self, os._exit, 9) if fn is schedule else submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(Worker, "submit", dies_scheduling)
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(scenario_dict(solver={"deterministic_time": 2.0, "process_min_groups": 1})),
                        encoding="utf-8")
    out = tmp_path / "plan.json"
    assert main(["plan", str(tiny_inventory), "--scenario", str(scenario), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "exit code 9" in err and "Traceback" not in err
    assert not out.exists()


def test_a_worker_started_for_the_systems_but_not_needed_for_the_groups_ends_unused():
    from consolidation._examples import build_landscape

    cycle = build_landscape(  # two migrating systems in a dependency cycle: one move group
        [{"id": "a.mail", "org": "a", "domain": "e-mail"}, {"id": "a.iam", "org": "a", "domain": "iam"}],
        [{"source": "a.mail", "target": "a.iam"}, {"source": "a.iam", "target": "a.mail"}])
    started = []
    init = Worker.__init__

    def counting(self):
        started.append(self)
        init(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Worker, "__init__", counting)
        p = plan(cycle, tiny_scenario(solver={"deterministic_time": 2.0, "process_min_groups": 2}))
    assert len(p.move_groups) == 1 and len(started) == 1
    assert started[0]._proc.returncode == 0  # ended with the plan
    expected = plan(cycle, tiny_scenario(solver={"deterministic_time": 2.0, "process_min_groups": 3}))
    assert _without_scenario_hash(p) == _without_scenario_hash(expected)
