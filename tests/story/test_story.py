"""The Soll/Ist story over board meetings on the Saarland sample (issue 17).

T0 (05.12.2026): the plan is made. T1 (30.06.2027): the progress file
``inventory/samples/saarland/progress/2027-Q2.yaml`` (synthetic) records what happened — most
migrations of 2027-Q1/Q2 done, some late (in progress, not begun, postponed), one early
(wadgassen.verzeichnisdienst, planned for 2028-Q1) and one target instance live late (t.backup,
planned from 2027-Q1, live 15.05.2027). The re-plan as of 01.07.2027 keeps the history, schedules
nothing before 2027-Q3 and reschedules the late ones.
"""

from __future__ import annotations

from datetime import date

import pytest
from inventory_cases import ROOT, SAMPLE

from actuals.load import load_actuals
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from plan.calendar import first_open_quarter, quarter_label, quarter_of
from plan.io import plan_to_json

T0, T1 = date(2026, 12, 5), date(2027, 7, 1)
PROGRESS = SAMPLE / "progress"


@pytest.fixture(scope="module")
def story():
    landscape = load_landscape(SAMPLE)
    scenario = load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml")
    actuals = load_actuals(PROGRESS, landscape=landscape)
    p0 = plan(landscape, scenario, as_of=T0)
    p1 = plan(landscape, scenario, as_of=T1, actuals=actuals)
    return landscape, scenario, actuals, p0, p1


def _by_system(p):
    return {a.system: a for a in p.assignments}


def test_story_t0_plans_nothing_before_its_as_of_quarter(story):
    _, scenario, _, p0, _ = story
    first = first_open_quarter(scenario.start, T0)
    assert quarter_label(scenario.start, first) == "2027-Q1"
    assert p0.feasible and p0.meta.start == scenario.start and p0.meta.actuals is None
    assert min(a.quarter for a in p0.assignments if a.quarter is not None) == first
    assert all(a.progress is None for a in p0.assignments)


def test_story_t1_keeps_the_history_in_its_real_quarters(story):
    _, scenario, actuals, _, p1 = story
    assert p1.feasible and p1.meta.start == scenario.start
    assert p1.meta.actuals == actuals.content_hash and p1.meta.as_of == T1
    a1 = _by_system(p1)
    migrated = actuals.by_status("migrated")
    assert len(migrated) == 68
    for sid, sp in migrated.items():
        a = a1[sid]
        assert (a.progress, a.actual_date) == ("done", sp.date), sid
        assert a.quarter == quarter_of(scenario.start, sp.date), sid
        assert a.binding.kind == "actual" and a.binding.reason.kind == "done", sid


def test_story_t1_schedules_nothing_before_its_as_of_quarter(story):
    _, scenario, _, _, p1 = story
    first = first_open_quarter(scenario.start, T1)
    assert quarter_label(scenario.start, first) == "2027-Q3"
    early = [a.system for a in p1.assignments if a.quarter is not None and a.quarter < first and a.progress != "done"]
    assert early == []
    assert {a.progress for a in p1.assignments if a.moves} == {"done", "in_progress", "planned"}


def test_story_t1_reschedules_the_late_ones(story):
    _, scenario, _, p0, p1 = story
    first = first_open_quarter(scenario.start, T1)
    a0, a1 = _by_system(p0), _by_system(p1)
    late = sorted(s for s, a in a0.items() if a.quarter is not None and a.quarter < first and a1[s].progress != "done")
    assert late == ["illingen.einwohnermeldewesen", "lebach.dokumentenmanagement-e-akte",
                    "lebach.e-mail-groupware", "lebach.geoinformationssystem", "lebach.verzeichnisdienst",
                    "neunkirchen.backup", "ottweiler.e-mail-groupware", "ottweiler.verzeichnisdienst"]
    assert all(a1[s].quarter >= first for s in late)
    # in progress: finishes in the as-of quarter or the next
    for s in ("lebach.e-mail-groupware", "lebach.verzeichnisdienst"):
        assert a1[s].progress == "in_progress" and a1[s].quarter in (first, first + 1)
        assert a1[s].binding.reason.kind == "in_progress"
    # its successors wait for it
    for s in ("lebach.dokumentenmanagement-e-akte", "lebach.geoinformationssystem"):
        assert a1[s].quarter > a1["lebach.e-mail-groupware"].quarter
    # postponed: not before the first quarter beginning on or after not_before (01.10.2027 → 2027-Q4)
    assert a1["illingen.einwohnermeldewesen"].quarter >= quarter_of(scenario.start, date(2027, 10, 1))
    # not begun: planned again from the as-of quarter, and says so
    assert a1["neunkirchen.backup"].quarter >= first


def test_story_t1_keeps_the_early_one_and_the_late_target_where_reality_put_them(story):
    _, _, actuals, p0, p1 = story
    a0, a1 = _by_system(p0), _by_system(p1)
    early = a1["wadgassen.verzeichnisdienst"]
    assert a0["wadgassen.verzeichnisdienst"].quarter_label == "2028-Q1"
    assert (early.quarter_label, early.progress) == ("2027-Q2", "done")
    # t.backup went live a quarter later than planned; freisen.backup moved onto it then
    assert actuals.targets["t.backup"].live == date(2027, 5, 15)
    assert a0["freisen.backup"].quarter_label == "2027-Q1"
    assert (a1["freisen.backup"].quarter_label, a1["freisen.backup"].progress) == ("2027-Q2", "done")


def test_story_t1_still_keeps_dependencies_and_capacity_from_the_as_of_quarter(story):
    _, scenario, _, _, p1 = story
    first = first_open_quarter(scenario.start, T1)
    q = {g.id: g.quarter for g in p1.move_groups}
    lag = scenario.scheduling.precedence_lag_quarters
    state = {}
    for a in p1.assignments:
        if a.move_group:
            state.setdefault(a.move_group, set()).add(a.progress)
    for g in p1.move_groups:
        if state.get(g.id) == {"planned"}:
            assert all(q[d] + lag <= q[g.id] for d in g.depends_on), g.id
    for w in p1.waves:
        if w.quarter >= first:
            assert w.effort_eigen_pd <= w.capacity_eigen_pd + 1e-6 and w.effort_fremd_pd <= w.capacity_fremd_pd + 1e-6
    sched = p1.solver[1]
    assert sched.gap is not None and sched.gap < 0.05 and sched.best_bound is not None


def test_story_t1_is_deterministic(story):
    landscape, scenario, actuals, _, p1 = story
    assert plan_to_json(plan(landscape, scenario, as_of=T1, actuals=actuals)) == plan_to_json(p1)
