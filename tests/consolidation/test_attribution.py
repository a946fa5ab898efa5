"""Why the plan changed: constructed cases where the cause of every move is known in advance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from actuals.models import Actuals, SystemProgress, TargetLive
from consolidation._examples import build_landscape, scenario_dict
from consolidation.attribution import PlanInputs, attribute, inventory_changes, scenario_changes
from consolidation.planner import plan
from consolidation.scenario import Scenario
from plan.attribution import attribution_to_json
from plan.diff import diff_plans
from reports.changes import cause_short, cause_text, top_lines
from reports.messages import Translator


def _systems(orgs: str = "abc") -> list[dict]:
    """Per organisation a directory, mail (onto the standard target ``t.e-mail``) and a GIS."""
    domains = {"iam": "iam", "mail": "e-mail", "gis": "gis"}
    return [{"id": f"{o}.{k}", "org": o, "domain": d} for o in orgs for k, d in domains.items()]


def _every_change_explained(old, new, a) -> None:
    d = diff_plans(old, new)
    assert {s.system for s in a.systems} == {c.system for c in d.changes} != set()
    ids = {c.id for c in a.causes}
    assert all(s.cause in ids for s in a.systems)
    for f in a.figures:  # the parts add up to the change of the figure
        assert sum(p for _c, p in f.parts) == pytest.approx(f.new - f.old, abs=Decimal("0.01"))


def test_one_inventory_edit_the_moved_systems_are_attributed_to_it() -> None:
    deps = [{"source": f"{o}.gis", "target": f"{o}.mail"} for o in "abc"]
    before = build_landscape(_systems(), deps)
    after = build_landscape(_systems(), [*deps, {"source": "a.mail", "target": "a.iam"}])  # one new dependency
    S = Scenario.model_validate(scenario_dict())
    old, new = plan(before, S), plan(after, S)
    a = attribute(old, new, PlanInputs(before, S), PlanInputs(after, S))
    _every_change_explained(old, new, a)
    cause = "inventory:dependencies:a.mail->a.iam:api"
    assert {s.system: (s.cause, s.via) for s in a.systems} == {
        "a.mail": (cause, "direct"),          # it now waits for a.iam
        "a.gis": (cause, "dependency"),       # and its successor waits for it
    }
    gis = next(s for s in a.systems if s.system == "a.gis")
    assert gis.related == "g.a.mail" and gis.detail == "2027-Q1 → 2027-Q2"
    c = a.cause(cause)
    assert (c.family, c.kind, c.change, c.place) == ("inventory", "dependency", "added", "organisations/a.yaml")


def test_inventory_changes_name_record_and_field() -> None:
    before = build_landscape([{"id": "a.mail", "org": "a", "domain": "e-mail", "users": 20}])
    after = build_landscape([{"id": "a.mail", "org": "a", "domain": "e-mail", "users": 400}])
    [c] = inventory_changes(before, after)
    assert (c.cause.id, c.cause.fields, c.cause.old, c.cause.new, c.touched) == (
        "inventory:systems:a.mail", ("users",), "20", "400", frozenset({"a.mail"}))


def test_a_scenario_capacity_cut_is_attributed_to_capacity() -> None:
    L = build_landscape(_systems("abcdef"))
    wide = Scenario.model_validate(scenario_dict())
    cut = Scenario.model_validate(scenario_dict(teams={"eigen_pd_per_quarter": 12, "fremd_pd_per_quarter": 100}))
    old, new = plan(L, wide), plan(L, cut)
    a = attribute(old, new, PlanInputs(L, wide), PlanInputs(L, cut))
    _every_change_explained(old, new, a)
    assert {s.cause for s in a.systems} == {"scenario:teams.eigen_pd_per_quarter"}
    via = {s.via for s in a.systems}
    assert "capacity" in via and "direct" not in via  # capacity acts on all: nobody is touched by name
    assert all(s.related.startswith("eigen:") for s in a.systems if s.via == "capacity")
    c = a.cause("scenario:teams.eigen_pd_per_quarter")
    assert (c.old, c.new) == ("100", "12")
    waves = next(f for f in a.figures if f.key == "waves")
    assert waves.parts == (("scenario:teams.eigen_pd_per_quarter", waves.new - waves.old),)
    text = top_lines(Translator("de"), a)[0].headline
    assert text == (f"{len(a.systems)} Systeme verschoben wegen: Szenario `teams.eigen_pd_per_quarter`: 100 → 12")


def test_scenario_changes_key_lists_by_their_id() -> None:
    S = Scenario.model_validate(scenario_dict())
    T = Scenario.model_validate(scenario_dict(targets=[
        {"domain": "e-mail", "product": "ox", "name": "Mail", "category": "Basis-IT", "onboarding_per_quarter": 2}]))
    assert [(c.cause.record, c.cause.old, c.cause.new) for c in scenario_changes(S, T)] == [
        ("targets.e-mail.onboarding_per_quarter", "20", "2")]


def test_a_delay_moves_its_successors_as_knock_on() -> None:
    L = build_landscape(_systems("ab"), [{"source": "a.mail", "target": "a.iam"}, {"source": "a.gis",
                                                                                   "target": "a.mail"}])
    S = Scenario.model_validate(scenario_dict())
    t0 = date(2026, 12, 1)
    old = plan(L, S, as_of=t0)
    q = {x.system: x.quarter_label for x in old.assignments}
    assert (q["a.iam"], q["a.mail"], q["a.gis"]) == ("2027-Q1", "2027-Q2", "2027-Q3")
    # at T1 everything planned for 2027-Q1 is done, except a.iam: work started, not finished
    done = {s: SystemProgress(system=s, status="migrated", date=date(2027, 2, 10))
            for s, label in q.items() if label == "2027-Q1" and s != "a.iam"}
    late = SystemProgress(system="a.iam", status="in_progress", date=date(2027, 2, 1))
    act = Actuals(systems={**done, "a.iam": late}, reported=date(2027, 3, 31), content_hash="t1")
    t1 = date(2027, 4, 1)
    new = plan(L, S, as_of=t1, actuals=act)
    a = attribute(old, new, PlanInputs(L, S, as_of=t0), PlanInputs(L, S, as_of=t1, actuals=act))
    _every_change_explained(old, new, a)
    by = {s.system: s for s in a.systems}
    assert (by["a.iam"].cause, by["a.iam"].via) == ("actuals:a.iam", "direct")
    for succ in ("a.mail", "a.gis"):  # the delay's successors: knock-on, rooted in the delay
        assert (by[succ].cause, by[succ].via) == ("actuals:a.iam", "dependency")
    assert by["a.mail"].related == "g.a.iam"
    assert a.cause("actuals:a.iam").kind == "in_progress"
    json = attribution_to_json(a)
    assert json["top"][0] == {"cause": "actuals:a.iam", "systems": 3, "via": {"direct": 1, "dependency": 2}}


def test_a_target_going_live_early_is_the_cause_of_the_moves_onto_it() -> None:
    L = build_landscape(_systems("ab"))
    d = scenario_dict()
    d["targets"][0]["available_from"] = "2028-01-01"
    S = Scenario.model_validate(d)
    t0, t1 = date(2026, 12, 1), date(2027, 7, 1)
    old = plan(L, S, as_of=t0)
    assert {x.quarter_label for x in old.assignments if x.target == "t.e-mail"} == {"2028-Q1"}
    act = Actuals(targets={"t.e-mail": TargetLive(target="t.e-mail", live=date(2027, 5, 10))},
                  reported=date(2027, 6, 30), content_hash="t1")
    new = plan(L, S, as_of=t1, actuals=act)
    assert {x.quarter_label for x in new.assignments if x.target == "t.e-mail"} == {"2027-Q3"}
    a = attribute(old, new, PlanInputs(L, S, as_of=t0), PlanInputs(L, S, as_of=t1, actuals=act))
    _every_change_explained(old, new, a)
    by = {s.system: s for s in a.systems}
    assert {(by[x].cause, by[x].via) for x in ("a.mail", "b.mail")} == {("actuals:t.e-mail", "direct")}
    cause = a.cause("actuals:t.e-mail")
    assert (cause.kind, cause.old, cause.new) == ("target_live", "2028-Q1", "2027-05-10")
    assert cause_text(Translator("de"), cause) == (
        "Ist: Zielinstanz t.e-mail in Betrieb seit 10.05.2027 (erster Umzug darauf geplant 2028-Q1)")
    assert cause_short(Translator("en"), cause) == "Actuals: t.e-mail (live)"


def test_unchanged_inputs_explain_nothing_and_need_no_plan() -> None:
    L = build_landscape(_systems("a"))
    S = Scenario.model_validate(scenario_dict())
    p = plan(L, S)
    a = attribute(p, p, PlanInputs(L, S), PlanInputs(L, S))
    assert (a.systems, a.figures, a.replans) == ((), (), 0)


def test_an_old_plan_that_is_not_reproducible_is_named_so() -> None:
    L = build_landscape(_systems("ab"))
    S = Scenario.model_validate(scenario_dict())
    p = plan(L, S)
    edited = p.model_copy(update={"assignments": tuple(
        x.model_copy(update={"quarter": x.quarter + 1, "quarter_label": "2027-Q4"}) if x.system == "b.gis" else x
        for x in p.assignments)})
    a = attribute(edited, p, PlanInputs(L, S), PlanInputs(L, S), verify_old=True)
    assert [(s.system, s.cause) for s in a.systems] == [("b.gis", "planner:version")]


def test_the_wording_examples_run() -> None:
    import doctest

    import reports.changes

    result = doctest.testmod(reports.changes)
    assert result.attempted > 0 and result.failed == 0


def test_a_dependency_on_a_system_added_later_is_planned_together_with_it() -> None:
    before = build_landscape(_systems("ab"))
    # a.gis depends on a.new, a system that is new too: alone, the dependency would point nowhere
    after = build_landscape([*_systems("ab"), {"id": "a.new", "org": "a", "domain": "e-mail"}],
                            [{"source": "a.iam", "target": "a.new"}])
    S = Scenario.model_validate(scenario_dict())
    old, new = plan(before, S), plan(after, S)
    a = attribute(old, new, PlanInputs(before, S), PlanInputs(after, S))
    _every_change_explained(old, new, a)
    assert "why.note.grouped" in a.notes
    group = next(c for c in a.causes if c.kind == "group")
    assert set(group.group) == {"inventory:dependencies:a.iam->a.new:api", "inventory:systems:a.new"}
    by = {s.system: s for s in a.systems}
    assert by["a.new"].changes[0].field == "added" and by["a.new"].via == "direct"


def test_many_changes_are_planned_per_file_within_the_budget() -> None:
    before = build_landscape(_systems("abcd"))
    after = build_landscape([{**s, "users": 500} for s in _systems("abcd")])  # 12 records in 4 files
    S = Scenario.model_validate(scenario_dict(teams={"eigen_pd_per_quarter": 30, "fremd_pd_per_quarter": 100}))
    old, new = plan(before, S), plan(after, S)
    a = attribute(old, new, PlanInputs(before, S), PlanInputs(after, S), max_steps=6)
    _every_change_explained(old, new, a)
    assert a.replans <= 4
    assert {c.record for c in a.causes if c.kind == "group"} <= {f"organisations/{o}.yaml" for o in "abcd"}
