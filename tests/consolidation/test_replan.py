"""Rolling re-planning on hand-made landscapes: actuals as constraints, and the conflict when reality
has overtaken a hard deadline."""

from __future__ import annotations

from datetime import date

import pytest

from actuals.models import Actuals, SystemProgress
from consolidation._examples import build_landscape, tiny_landscape, tiny_scenario
from consolidation.planner import plan
from consolidation.progress import ActualsMismatchError
from reports.messages import Translator


def _actuals(*records: SystemProgress, reported: date = date(2027, 6, 30)) -> Actuals:
    return Actuals(systems={r.system: r for r in records}, reported=reported, content_hash="x" * 64)


def test_replan_exit_deadline_overtaken_by_reality_says_so_in_plain_words():
    # org a leaves the Zweckverband on 30.06.2027: its mail must move by 2027-Q2; as of 01.07.2027 it has not
    L = build_landscape([{"id": "a.mail", "org": "a", "domain": "e-mail"}], exits={"a": date(2027, 6, 30)})
    fresh = plan(L, tiny_scenario())
    assert fresh.feasible
    p = plan(L, tiny_scenario(), as_of=date(2027, 7, 1), actuals=_actuals())
    assert not p.feasible
    [c] = p.conflicts
    assert c.reason.kind == "behind" and c.reason.params == {"group": "g.a.mail", "as_of": "2027-Q3",
                                                             "earliest": "2027-Q3"}
    assert [(r.kind, r.params) for r in c.parts] == [("exit", {"quarter": "2027-Q2"})]
    assert Translator("de").reason(c.reason, c.parts) == (
        "g.a.mail ist nicht mehr fristgerecht umzusetzen (spätestens 2027-Q2: Austritt aus dem Zweckverband): "
        "Nach dem Stand 2027-Q3 ist frühestens 2027-Q3 möglich – die Umsetzung liegt hinter dem Plan.")
    assert Translator("en").reason(c.reason, c.parts).startswith("g.a.mail can no longer meet its deadline")


def test_replan_done_system_keeps_its_real_quarter_even_against_a_dependency():
    p = plan(tiny_landscape(), tiny_scenario(), as_of=date(2027, 7, 1), actuals=_actuals(
        SystemProgress(system="a.mail", status="migrated", date=date(2027, 2, 1))))
    a = {x.system: x for x in p.assignments}
    assert p.feasible and (a["a.mail"].quarter_label, a["a.mail"].progress) == ("2027-Q1", "done")
    assert a["a.mail"].actual_date == date(2027, 2, 1)
    assert all(x.quarter >= 2 for x in p.assignments if x.progress == "planned")


def test_replan_postponed_waits_and_names_its_reason():
    p = plan(tiny_landscape(), tiny_scenario(), as_of=date(2027, 4, 1), actuals=_actuals(
        SystemProgress(system="b.mail", status="postponed", reason="Personal fehlt", not_before=date(2027, 11, 15)),
        reported=date(2027, 3, 31)))
    a = {x.system: x for x in p.assignments}
    assert a["b.mail"].quarter_label == "2028-Q1" and a["b.mail"].progress == "planned"
    assert (a["b.mail"].binding.kind, a["b.mail"].binding.reason.params) == (
        "postponed", {"quarter": "2028-Q1", "reason": "Personal fehlt"})
    assert Translator("de").reason(a["b.mail"].binding.reason) == "zurückgestellt bis 2028-Q1: Personal fehlt"


def test_replan_progress_on_a_system_the_scenario_does_not_migrate_is_an_error():
    s = tiny_scenario(scheduling={"keep_domains": ["e-mail"]})
    with pytest.raises(ActualsMismatchError, match=r"a.mail \(migrated; decision stay\)"):
        plan(tiny_landscape(), s, actuals=_actuals(
            SystemProgress(system="a.mail", status="migrated", date=date(2027, 2, 1))))
