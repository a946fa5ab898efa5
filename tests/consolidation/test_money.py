"""Honest money in the plan: cash lines with their payer, risk lines beside, cash-only headlines."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from consolidation._examples import build_landscape, tiny_landscape, tiny_scenario
from consolidation.planner import plan
from consolidation.scenario import Scenario, ScenarioError, load_scenario
from plan.io import PlanFormatError, plan_to_json, read_plan


def _eol_landscape():
    return build_landscape([
        {"id": "a.mail", "org": "a", "domain": "e-mail", "eol": date(2026, 3, 31),
         "contract": {"vendor": "V", "start": "2020-01-01", "annual_cost": 12000, "end": "2026-12-31",
                      "notice_months": 3}},
        {"id": "b.mail", "org": "b", "domain": "e-mail", "eol": date(2027, 6, 30)},
    ])


def test_plan_cost_lines_say_cash_with_payer_or_risk_without():
    p = plan(_eol_landscape(), tiny_scenario())
    kinds = {(line.category, line.kind, line.payer is None) for line in p.costs.lines}
    assert ("eol_penalty", "risk", True) in kinds
    assert all(kind == ("risk" if cat == "eol_penalty" else "cash") for cat, kind, _ in kinds)
    assert all(line.payer is not None for line in p.costs.lines if line.kind == "cash")


def test_plan_headline_is_cash_only_and_risk_is_beside_it():
    p = plan(_eol_landscape(), tiny_scenario())
    c = p.costs

    def total(scen: str, kind: str) -> Decimal:
        return sum((line.amount for line in c.lines if line.scenario == scen and line.kind == kind), Decimal(0))

    assert c.risk_status_quo > 0
    # exactly the sums of the lines as written: a reader can add them up
    assert c.tco_status_quo == total("status_quo", "cash")
    assert c.tco_plan == total("plan", "cash")
    assert c.risk_status_quo == total("status_quo", "risk")
    assert c.risk_plan == total("plan", "risk")
    assert c.one_off == sum((line.amount for line in c.lines if line.category == "migration"), Decimal(0))


def test_payer_rules_of_the_scenario_decide_who_pays():
    s = tiny_scenario(payers=[{"payer": "land", "category": ["migration"]}, {"payer": "kommune", "shared": True},
                              {"payer": "zweckverband"}])
    p = plan(tiny_landscape(), s)
    payers = {(line.category, line.org is None, line.payer) for line in p.costs.lines if line.kind == "cash"}
    assert {pay for cat, _, pay in payers if cat == "migration"} == {"land"}
    assert {pay for cat, shared, pay in payers if cat != "migration" and shared} == {"kommune"}
    assert {pay for cat, shared, pay in payers if cat != "migration" and not shared} == {"zweckverband"}


def test_payer_rules_without_a_catch_all_last_rule_are_an_error():
    with pytest.raises(ValueError, match="the last rule must apply to every cost line"):
        tiny_scenario(payers=[{"payer": "land", "org_kind": ["Land"]}])


def test_old_plan_schema_version_is_a_clear_error(tmp_path):
    p = plan(tiny_landscape(), tiny_scenario())
    data = json.loads(plan_to_json(p))
    data["meta"]["schema_version"] = "1"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanFormatError) as err:
        read_plan(path)
    assert err.value.messages == [(
        "meta.schema_version: plan schema version '1', this Landkarte reads version '5' (cash and risk costs are "
        "split since version 3, reasons are message codes since version 4, rehosting is its own decision, the "
        "day rules are explicit and actuals are recorded since version 5); make the plan again with `landkarte plan`")]


def test_assumptions_register_carries_sources_and_flags_the_rest():
    s = tiny_scenario(sources={"costs.day_rate_fremd": "Rahmenvertrag 2025", "teams.eigen_pd_per_quarter": "Umfrage"})
    reg = {a.key: a for a in plan(tiny_landscape(), s).assumptions}
    assert reg["costs.day_rate_fremd"].source == "Rahmenvertrag 2025"
    assert reg["costs.day_rate_fremd"].unit == "EUR/PT"
    assert reg["teams.eigen_pd_per_quarter"].source == "Umfrage"
    assert reg["costs.day_rate_eigen"].source is None
    assert reg["costs.eol_penalty_per_quarter"].kind == "risk"
    assert "targets.e-mail.annual_run_cost" in reg


def test_scenario_source_for_an_unknown_figure_names_the_file_and_the_key(tmp_path):
    import yaml

    from consolidation._examples import scenario_dict

    d = json.loads(json.dumps(scenario_dict(), default=str))
    d["sources"] = {"costs.day_rate_eigne": "Tabelle"}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)
    assert str(path) in text and "sources: no such figure costs.day_rate_eigne" in text


def test_plan_as_of_plans_nothing_before_the_next_quarter_and_records_the_day():
    p = plan(tiny_landscape(), tiny_scenario(), as_of=date(2027, 2, 14))
    assert p.meta.start == tiny_scenario().start  # quarter 0 stays the scenario's start: one calendar per pact
    assert p.meta.as_of == date(2027, 2, 14)
    assert all(a.quarter_label >= "2027-Q2" for a in p.assignments if a.quarter_label)
    assert "actuals" not in p.meta.model_dump(mode="json") and p.assignments[0].progress is None


def test_scenario_model_is_unchanged_by_a_plan_as_of():
    s = tiny_scenario()
    plan(tiny_landscape(), s, as_of=date(2028, 1, 1))
    assert isinstance(s, Scenario) and s.start == tiny_scenario().start


def test_plan_as_of_after_the_horizon_is_a_planning_error():
    from common.errors import PlanningError

    with pytest.raises(PlanningError, match="horizon ends before that quarter"):
        plan(tiny_landscape(), tiny_scenario(), as_of=date(2030, 1, 1))


def test_plan_cli_as_of_plans_from_the_next_quarter(tmp_path):
    from landkarte.cli import main

    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    out = tmp_path / "p.json"
    code = main(["plan", "make", str(root / "inventory/samples/saarland"), "--scenario",
                 str(root / "consolidation/scenarios/landesweit.yaml"), "--out", str(out), "--as-of", "2026-12-05"])
    assert code == 0
    p = read_plan(out)
    assert p.meta.start == date(2026, 1, 1) and p.meta.as_of == date(2026, 12, 5)
    assert min(a.quarter_label for a in p.assignments if a.quarter_label) >= "2027-Q1"


def test_plan_cli_bad_as_of_is_a_usage_error(tmp_path):
    from landkarte.cli import main

    assert main(["plan", "make", "x", "--scenario", "y.yaml", "--out", str(tmp_path / "p.json"),
                 "--as-of", "morgen"]) == 2


def test_as_of_takes_the_german_date_a_planner_types() -> None:
    from landkarte.commands._common import parse_day

    assert parse_day("31.12.2026") == parse_day("2026-12-31") == date(2026, 12, 31)


def test_funding_releases_one_per_milestone_of_each_rule_with_its_reason():
    rules = [{"milestone": m, "amount": a} for m, a in (("target_live", 100000), ("org_complete", 50000),
                                                         ("domain_complete", 7500.5), ("system_migrated", 2000))]
    p = plan(tiny_landscape(), tiny_scenario(funding=rules))
    got = [(f.quarter, f.milestone, f.org, f.amount, f.reason.kind, f.reason.params) for f in p.funding]
    assert got == [
        (0, "abschluss.b", "b", Decimal(50000), "org_complete", {"org": "b", "quarter": "2027-Q1"}),
        (0, "domaene.iam", None, Decimal("7500.5"), "domain_complete", {"domain": "iam", "quarter": "2027-Q1"}),
        (0, "live.e-mail", None, Decimal(100000), "target_live", {"target": "t.e-mail", "quarter": "2027-Q1"}),
        (0, "migriert.a.q0", "a", Decimal("2000.00"), "systems_migrated", {"org": "a", "count": 1, "quarter": "2027-Q1"}),
        (0, "migriert.b.q0", "b", Decimal("4000.00"), "systems_migrated", {"org": "b", "count": 2, "quarter": "2027-Q1"}),
        (1, "abschluss.a", "a", Decimal(50000), "org_complete", {"org": "a", "quarter": "2027-Q2"}),
        (1, "domaene.e-mail", None, Decimal("7500.5"), "domain_complete", {"domain": "e-mail", "quarter": "2027-Q2"}),
        (1, "migriert.a.q1", "a", Decimal("2000.00"), "systems_migrated", {"org": "a", "count": 1, "quarter": "2027-Q2"}),
    ]
    # the reason's values keep their order in the plan JSON (target/org/domain, count, then quarter)
    assert [list(f.reason.params) for f in p.funding][:4] == [["org", "quarter"], ["domain", "quarter"],
                                                             ["target", "quarter"], ["org", "count", "quarter"]]
