"""The Beschlussvorlage: options, the recommendation rule, honest money, time, the risk register."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from report_plans import small_plan

from plan.figures import BESIDE_HEADLINE, HEADLINE
from plan.models import Assignment, BindingConstraint, Reason, Wave
from plan.recommend import missed_deadlines
from reports.context import build_context
from reports.messages import Translator
from reports.register import eol_capacity
from reports.vorlage import Meeting

STAMP = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def option(key: str, npv: str, *, one_off: str = "19000.00", miss_exit: bool = False, drop: tuple[str, ...] = ()):
    """The small plan as an option ``key`` with the given cash NPV saving (and optionally a missed exit)."""
    p = small_plan()
    orgs = tuple(
        o.model_copy(update={"exit_date": date(2026, 6, 30)}) if miss_exit and o.id == "aue"
        else o.model_copy(update={"participates": False}) if o.id in drop else o
        for o in p.organisations)
    return p.model_copy(update={
        "meta": p.meta.model_copy(update={"scenario_id": key, "scenario_name": f"Option {key.upper()}"}),
        "costs": p.costs.model_copy(update={"npv_savings": Decimal(npv), "one_off": Decimal(one_off)}),
        "organisations": orgs})


def vorlage(*plans, rule: str = "npv_savings", as_of: date = date(2026, 1, 1)):
    ctx = build_context(plans[0], compare=list(plans[1:]), generated_at=STAMP, as_of=as_of,
                        meeting=Meeting(sitzung="12. Sitzung", top="TOP 3", rule=rule))
    return ctx, ctx.vorlage


def test_recommendation_takes_the_highest_cash_npv_saving():
    _, v = vorlage(option("a", "100000"), option("b", "250000"))
    assert v.recommended.key == "b"
    assert v.reasons[0] == "Empfohlen wird „Option B“: Kapitalwert der zahlungswirksamen Einsparung 250 T€."
    assert "„Option A“ erreicht 100 T€, also 150 T€ weniger." in v.reasons


def test_recommendation_skips_the_cheaper_option_that_misses_a_hard_deadline():
    cheap_but_late = option("b", "900000", miss_exit=True)
    assert missed_deadlines(cheap_but_late) == (("exit", 1),)
    _, v = vorlage(option("a", "100000"), cheap_but_late)
    assert v.recommended.key == "a"
    assert "„Option B“ scheidet aus: 1 Migration(en) nach dem Austrittsdatum." in v.reasons


def test_no_recommendation_when_every_option_misses_a_hard_deadline():
    _, v = vorlage(option("a", "1", miss_exit=True), option("b", "2", miss_exit=True))
    assert v.recommended is None
    assert v.beschluss[0] == "Das IT-Planungsgremium Saar beschließt:"
    assert v.beschluss[1].startswith("Keine Option wird beschlossen")


def test_the_rule_is_configurable():
    _, v = vorlage(option("a", "100000", one_off="5000"), option("b", "250000"), rule="one_off")
    assert v.recommended.key == "a"
    assert v.rule_text.startswith("Empfohlen wird die Option mit den geringsten Einmalkosten")


def test_options_over_different_organisations_are_flagged():
    _, v = vorlage(option("a", "1"), option("b", "2", drop=("berg",)))
    assert not v.scope_same
    assert v.scope_text.startswith("Achtung: Die Optionen umfassen verschiedene Organisationen (Option B: ohne Stadt Berg)")
    _, same = vorlage(option("a", "1"), option("b", "2"))
    assert same.scope_same and same.scope_text.startswith("Alle Optionen umfassen dieselben 2 Organisationen")


def test_header_names_gremium_sitzung_top_options_and_date():
    _, v = vorlage(option("a", "1"), option("b", "2"))
    assert dict(v.header) | {"Stand der Daten": ""} == {
        "Gremium": "IT-Planungsgremium Saar", "Sitzung": "12. Sitzung", "TOP": "TOP 3", "Vorlagen-Nr.": "a / b",
        "Datum": "01.01.2026", "Stand der Daten": ""}


def test_finance_is_cash_by_year_and_payer_and_risk_stays_beside():
    plan = small_plan()
    _, v = vorlage(plan)
    cash = [line for line in plan.costs.lines if line.scenario == "plan" and line.kind == "cash"]
    for row in v.finance:
        lines = [line for line in cash if line.year == row.year]
        assert row.total == sum((line.amount for line in lines), Decimal(0))
        for payer in v.payers:
            assert row.by_payer[payer] == sum((line.amount for line in lines if line.payer == payer), Decimal(0))
        assert row.one_off + row.recurring == row.total
    assert v.finance_total.total == plan.costs.tco_plan
    assert v.finance_total.risk == plan.costs.risk_plan
    assert v.finance_total.by_payer == {"land": Decimal("19000.00"), "zweckverband": Decimal(0),
                                        "kommune": Decimal("120000.00")}
    assert {label: value for label, _, value in v.per_capita}["Einwohner (Zensus 2022)"] == 12345 + 23456


def test_headline_figures_are_cash_and_risk_is_only_beside_them():
    ctx, _ = vorlage(small_plan())
    figs = {f.key: f for f in ctx.figures}
    assert all(figs[k].basis != "risk" for k in HEADLINE)
    assert {figs[k].basis for k in BESIDE_HEADLINE} == {"risk"}
    assert figs["tco_status_quo"].value == Decimal("200000.00")  # cash only: the 200 T€ risk is not in it
    assert sum(v[1] for v in ctx.cost_by_year.values()) == ctx.plan.costs.tco_plan
    assert sum(v[0] for v in ctx.risk_by_year.values()) == ctx.plan.costs.risk_status_quo


def test_as_of_flags_migrations_planned_in_past_quarters():
    ctx, v = vorlage(small_plan(), as_of=date(2026, 10, 1))
    assert [r.a.system for r in ctx.overdue] == ["aue-ewo", "aue-mail"]
    assert v.overdue_text.startswith("Achtung: 2 Migrationen sind für Quartale geplant")
    assert any(r.key == "overdue" for r in ctx.register)
    ctx, v = vorlage(small_plan(), as_of=date(2026, 1, 1))
    assert ctx.overdue == () and v.overdue_text is None


def _late(system: str, kind: str, quarter: int, eol: date, eigen: float, fremd: float) -> Assignment:
    return Assignment(system=system, org="aue", domain="ewo", product_before="ewo-alt", decision="migrate",
                      target="t-ewo", quarter=quarter, quarter_label=f"q{quarter}", effort_eigen_pd=eigen,
                      effort_fremd_pd=fremd, end_of_life=eol, migrated_after_eol=True, schutzbedarf="normal",
                      binding=BindingConstraint(kind=kind, reason=Reason(kind="load_balancing",
                                                                         params={"quarter": f"q{quarter}"})))


def test_eol_capacity_is_computed_from_the_plan():
    p = small_plan()
    late = (_late("x1", "capacity", 6, date(2026, 9, 30), 3, 4),   # support ends with 2026-Q3 (quarter 2)
            _late("x2", "capacity", 7, date(2026, 11, 15), 1, 2),  # last quarter before: 2026-Q3 too
            _late("x3", "dependency", 8, date(2027, 3, 31), 5, 5),  # held by a dependency: capacity does not help
            _late("x4", "capacity", 5, date(2025, 6, 30), 9, 9))  # support ended before the plan starts
    p = p.model_copy(update={"assignments": (*p.assignments[1:], *late)})
    cap = eol_capacity(p)
    assert cap.movable == 2 and cap.past_at_start == 1
    assert cap.extra == (("2026-Q3", 4.0, 6.0),)
    assert cap.held == {"capacity": 3, "dependency": 1}
    entry = next(r for r in build_context(p, generated_at=STAMP).register if r.key == "eol")
    assert "zusätzlich 4 PT Eigen- und 6 PT Fremdleistung die 2 nur durch die Teamkapazität" in entry.massnahme
    assert entry.wahrscheinlichkeit == 4


def test_register_rates_capacity_and_full_data_centres():
    p = small_plan()
    hot = Wave(quarter=5, label="2027-Q2", start=date(2027, 4, 1), end=date(2027, 6, 30), groups=1, systems=1,
               effort_eigen_pd=19, effort_fremd_pd=1, capacity_eigen_pd=20, capacity_fremd_pd=40)
    dc = p.data_centres[0].model_copy(update={"used_storage_tb": 199.8})
    p = p.model_copy(update={"waves": (*p.waves, hot), "data_centres": (dc,)})
    reg = {r.key: r for r in build_context(p, generated_at=STAMP).register}
    assert reg["capacity"].wahrscheinlichkeit == 3 and "2027-Q2" in reg["capacity"].ursache
    assert reg["dc.rz-sb"].wahrscheinlichkeit == 4 and reg["dc.rz-sb"].auswirkung >= 3
    assert "Auslastung Speicher 99,9 %" in reg["dc.rz-sb"].beschreibung
    ranks = [r.rang for r in reg.values()]
    assert ranks == sorted(ranks, reverse=True)


def test_english_vorlage_is_english():
    ctx = build_context(small_plan(), lang="en", generated_at=STAMP, as_of=date(2026, 1, 1))
    v = ctx.vorlage
    assert v.beschluss[0] == "The IT-Planungsgremium Saar resolves:"
    assert Translator("en").money_round(Decimal(139000)) in " ".join(v.sachverhalt)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_message_key_used_by_the_vorlage_exists(lang):
    ctx = build_context(option("a", "1"), compare=[option("b", "2", miss_exit=True)], lang=lang,
                        generated_at=STAMP, as_of=date(2027, 1, 1))
    assert ctx.vorlage is not None and ctx.register


def test_assumptions_without_source_are_flagged_in_the_report():
    from consolidation._examples import tiny_landscape, tiny_scenario
    from consolidation.planner import plan as make_plan
    from reports.html import render_html

    p = make_plan(tiny_landscape(), tiny_scenario(sources={"costs.day_rate_fremd": "Rahmenvertrag 2025"}))
    html = render_html(build_context(p, generated_at=STAMP), Translator("de"))
    flagged = sum(a.source is None for a in p.assumptions)
    assert flagged == len(p.assumptions) - 1
    assert f'data-flagged="{flagged}"' in html
    assert f"{flagged} von {len(p.assumptions)} Zahlen haben keine Quelle" in html
    row = html[html.index('data-key="costs.day_rate_fremd"'):]
    row = row[: row.index("</tr>")]
    assert "Tagessatz Fremdleistung" in row and "1.100" in row and "Rahmenvertrag 2025" in row
    assert "Annahme – ohne Quelle" not in row
