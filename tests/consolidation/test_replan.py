"""Rolling re-planning on hand-made landscapes: actuals as constraints, and the conflict when reality
has overtaken a hard deadline."""

from __future__ import annotations

from datetime import date

import pytest

from actuals.models import Actuals, SystemProgress, TargetLive
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


def _mail_scenario(**target):
    return tiny_scenario(targets=[{"domain": "e-mail", "product": "ox", "name": "Mail", "category": "Basis-IT",
                                   **target}],
                         funding=[{"milestone": "target_live", "amount": 100000}])


def _live(day: date, reported: date) -> Actuals:
    return Actuals(targets={"t.e-mail": TargetLive(target="t.e-mail", live=day)}, reported=reported,
                   content_hash="y" * 64)


def _mail(p):
    return sorted((a.system, a.quarter_label) for a in p.assignments if a.target == "t.e-mail")


def _funding(p, milestone: str) -> str:
    [f] = [f for f in p.funding if f.milestone == milestone]
    return f.reason.params["quarter"]


def test_replan_target_live_early_makes_its_moves_possible_from_then_and_is_its_go_live():
    # the scenario expects the mail platform from 2028; it went live on 10.05.2027
    s = _mail_scenario(available_from="2028-01-01")
    as_of = date(2027, 7, 1)
    without = plan(tiny_landscape(), s, as_of=as_of, actuals=_actuals())
    assert {q for _, q in _mail(without)} == {"2028-Q1"} and _funding(without, "live.e-mail") == "2028-Q1"
    a = plan(tiny_landscape(), s, as_of=as_of, actuals=_live(date(2027, 5, 10), date(2027, 6, 30)))
    assert a.feasible and _mail(a)[1] == ("b.mail", "2027-Q3") and _mail(a)[0][1] < "2028-Q1"  # a.mail: after a.iam
    assert _funding(a, "live.e-mail") == "2027-Q2"  # its go-live is the day it went live, not its first move
    by = {x.system: x for x in a.assignments}
    assert (by["b.mail"].binding.kind, by["b.mail"].binding.reason.kind) == ("earliest", "as_of")


def test_replan_target_live_late_holds_its_moves_until_then_and_says_why():
    # the actuals (reported later than the day the plan is made as of) say the platform went live on 10.08.2027
    a = plan(tiny_landscape(), _mail_scenario(), as_of=date(2027, 1, 1),
             actuals=_live(date(2027, 8, 10), date(2027, 8, 10)))
    assert a.feasible and all(q >= "2027-Q3" for _, q in _mail(a)) and _funding(a, "live.e-mail") == "2027-Q3"
    by = {x.system: x for x in a.assignments}
    assert (by["b.mail"].binding.kind, by["b.mail"].binding.reason.kind, by["b.mail"].binding.reason.params) == (
        "earliest", "target_available", {"quarter": "2027-Q3"})
    fresh = plan(tiny_landscape(), _mail_scenario(), as_of=date(2027, 1, 1), actuals=_actuals())
    assert min(q for _, q in _mail(fresh)) < "2027-Q3" and _funding(fresh, "live.e-mail") < "2027-Q3"


def test_replan_a_live_target_the_scenario_does_not_have_changes_nothing():
    s = _mail_scenario()
    ghost = Actuals(targets={"t.ghost": TargetLive(target="t.ghost", live=date(2027, 2, 1))}, reported=date(2027, 3, 31),
                    content_hash="y" * 64)
    a = plan(tiny_landscape(), s, as_of=date(2027, 4, 1), actuals=ghost)
    b = plan(tiny_landscape(), s, as_of=date(2027, 4, 1), actuals=_actuals(reported=date(2027, 3, 31)))
    assert _mail(a) == _mail(b) and a.funding == b.funding


def _cli(*args: str) -> int:
    from landkarte.cli import main

    return main(list(args))


def test_plan_cli_with_actuals_records_them_and_defaults_as_of_to_the_reported_day(tiny_inventory, tiny_scenario_file,
                                                                                   tmp_path):
    from plan.io import read_plan

    progress = tiny_inventory / "progress"
    progress.mkdir()
    (progress / "2027-Q1.yaml").write_text("schema: 1\nreported: 31.03.2027\nsystems:\n"
                                           "  - {system: a.iam, status: migrated, date: 2027-02-01}\n"
                                           "  - {system: b.mail, status: in_progress, date: 2027-03-01}\n",
                                           encoding="utf-8")
    out = tmp_path / "p.json"
    assert _cli("plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out),
                "--actuals", str(progress)) == 0
    p = read_plan(out)
    a = {x.system: x for x in p.assignments}
    assert p.meta.as_of == date(2027, 3, 31) and p.meta.actuals is not None
    assert (a["a.iam"].progress, a["a.iam"].quarter_label) == ("done", "2027-Q1")
    assert a["b.mail"].progress == "in_progress" and a["b.mail"].quarter_label in ("2027-Q2", "2027-Q3")
    assert a["a.mail"].progress == "planned" and a["a.mail"].quarter_label >= "2027-Q2"


def test_plan_cli_refuses_actuals_reported_after_as_of_and_bad_files_without_writing(tiny_inventory,
                                                                                     tiny_scenario_file, tmp_path,
                                                                                     capsys):
    progress = tmp_path / "progress"
    progress.mkdir()
    (progress / "q.yaml").write_text("schema: 1\nreported: 2027-03-31\n", encoding="utf-8")
    out = tmp_path / "p.json"
    args = ("plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out),
            "--actuals", str(progress))
    assert _cli(*args, "--as-of", "01.03.2027") == 1
    assert "report up to 31.03.2027, after --as-of 01.03.2027" in capsys.readouterr().err
    (progress / "q.yaml").write_text("schema: 1\nreported: 2027-03-31\nsystems:\n"
                                     "  - {system: x.nope, status: migrated, date: 2027-02-01}\n", encoding="utf-8")
    assert _cli(*args) == 1
    err = capsys.readouterr().err
    assert f"{progress / 'q.yaml'}:4:14 systems[0].system: unknown system 'x.nope': not in the inventory" in err
    assert "Traceback" not in err and not out.exists()


def test_plan_cli_checks_target_and_milestone_ids_against_the_new_plan(tiny_inventory, tiny_scenario_file, tmp_path,
                                                                       capsys):
    progress = tmp_path / "progress"
    progress.mkdir()
    (progress / "q.yaml").write_text(
        "schema: 1\nreported: 2027-03-31\ntargets:\n  - {target: t.e-mal, live: 2027-02-01}\n", encoding="utf-8")
    out = tmp_path / "p.json"
    assert _cli("plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out),
                "--actuals", str(progress)) == 1
    err = capsys.readouterr().err
    assert ("targets[0].target: unknown target 't.e-mal': not in the plan's target instances "
            "(did you mean 't.e-mail'?)") in err
    assert not out.exists()
