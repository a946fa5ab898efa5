"""The sweep engine: zero ranges equal the single plan, re-costing equals re-planning, a flip is named,
the P-figures of a known distribution, reproducible draws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sweep_cases import small_scenario

from consolidation._examples import tiny_landscape, tiny_scenario
from consolidation.planner import plan
from consolidation.scenario import Scenario
from reports.messages import Translator
from reports.sweep import flip_sentence
from sweep import assumptions_of, figures_of, run_sweep, sweep_to_json, vary
from sweep.draws import draw_landscape, relative, sample_rng, shape
from sweep.engine import recommended
from sweep.recost import RECOSTABLE, recost

ZERO = {"verified": 0, "estimated": 0, "unknown": 0}


def _zero(s: Scenario, **sweep) -> Scenario:
    cfg = {"default_range": 0.0, "cost_spread": ZERO, "user_spread": ZERO, "contract_end_months": ZERO,
           "complexity_shift": ZERO, **sweep}
    return s.model_copy(update={"sweep": s.sweep.model_validate({**s.sweep.model_dump(), **cfg})})


def test_sweep_with_all_ranges_zero_equals_the_single_plan(landscape):
    s = _zero(small_scenario())
    single = figures_of(plan(landscape, s))
    r = run_sweep(landscape, [s], samples=5, sensitivity=True).result
    base = r.base[0][1]
    assert (base.cash_npv_saving, base.end_quarter, base.peak_load_pd) == (
        single.cash_npv_saving, single.end_quarter, single.peak_load_pd)
    u = r.uncertainty
    assert u.values == ((single.cash_npv_saving, single.end_quarter, single.peak_load_pd),) * 5
    assert (u.cash_npv_saving.p10, u.cash_npv_saving.p50, u.cash_npv_saving.p90) == (single.cash_npv_saving,) * 3
    assert (u.end_quarter.p10, u.end_quarter.p90) == (single.end_quarter, single.end_quarter)
    assert {w.p_done for w in u.waves} == {1.0}
    assert all(a.swing == 0 and a.options[0].low == a.options[0].high == base for a in r.sensitivity)


def test_zero_draws_leave_the_landscape_as_it_is(landscape):
    s = _zero(small_scenario())
    drawn = draw_landscape(landscape, s.sweep, sample_rng(1, 0))
    assert drawn.model_dump() == landscape.model_dump()


@pytest.mark.parametrize("assumption", RECOSTABLE)
@pytest.mark.parametrize("factor", [0.8, 1.3])
def test_recost_of_a_pure_price_equals_planning_again(landscape, assumption, factor):
    s = small_scenario()
    base = plan(landscape, s)
    again = plan(landscape, vary(s, assumption, factor))
    assert [(a.system, a.quarter) for a in again.assignments] == [(a.system, a.quarter) for a in base.assignments]
    got, want = recost(base, s, assumption, factor), figures_of(again)
    # the plan's lines are rounded to cents each: a few cents of difference in the NPV
    assert got.cash_npv_saving == pytest.approx(want.cash_npv_saving, abs=1.0), assumption
    assert (got.end_quarter, got.peak_load_pd) == (want.end_quarter, want.peak_load_pd)


def test_price_only_assumptions_are_exactly_the_recostable_ones():
    assert {a.id for a in assumptions_of(small_scenario()) if a.price_only} == set(RECOSTABLE)


def _flip_options() -> tuple[Scenario, Scenario]:
    a = small_scenario(id="a", name="Option A")
    targets = [t.model_dump(mode="json") for t in a.targets]
    targets[0]["annual_run_cost"] = 20000  # B: half the mail run cost, 21 % more migration effort
    b = small_scenario(id="b", name="Option B", targets=targets,
                       costs={"migration_pd": {"niedrig": 4 * 1.21, "mittel": 10 * 1.21, "hoch": 25 * 1.21}})
    return a, b


def test_an_assumption_that_flips_the_recommendation_is_named(landscape):
    a, b = _flip_options()
    r = run_sweep(landscape, [a, b], sensitivity=True).result
    assert r.recommendation.option == "a"
    assert [(f.assumption, f.end, f.recommended) for f in r.recommendation.flips] == [("migration_effort", "low", "b")]
    # checked independently: plan both options at each end of every range and apply the rule
    for x in assumptions_of(a):
        for end, rel in (("low", x.low), ("high", x.high)):
            rec = recommended([(s.id, figures_of(plan(landscape, vary(s, x.id, 1 + rel)))) for s in (a, b)])
            assert (rec != "a") == ((x.id, end) in {(f.assumption, f.end) for f in r.recommendation.flips}), (x.id, end)
    de = flip_sentence(r, Translator("de"))
    assert "Migrationsaufwand je System (mittlere Komplexität) (bei −20 %: „Option B“)" in de
    assert "Empfohlen ist die Option „Option A“" in de
    assert "Tagessatz" not in de


def _misses_an_exit(p):
    """``p`` with one organisation leaving the Zweckverband the day before its first planned migration."""
    from datetime import timedelta

    from plan.calendar import quarter_start
    first = min((a for a in p.assignments if a.decision == "migrate" and a.quarter), key=lambda a: (a.quarter, a.org))
    leaves = quarter_start(p.meta.start, first.quarter) - timedelta(days=1)
    return p.model_copy(update={"organisations": tuple(
        o.model_copy(update={"exit_date": leaves}) if o.id == first.org else o for o in p.organisations)})


def test_sweep_and_vorlage_recommend_the_same_option_when_one_misses_a_deadline(landscape):
    from reports.vorlage import option_view
    from reports.vorlage import recommend as vorlage_recommend

    a, b = _flip_options()
    pa, pb = plan(landscape, a), plan(landscape, b)

    def both(*plans):
        sweep = recommended([(p.meta.scenario_id, figures_of(p)) for p in plans])
        vorlage = vorlage_recommend([option_view(p) for p in plans])
        return sweep, vorlage.key if vorlage else None

    assert both(pa, pb) == ("a", "a")
    late = _misses_an_exit(pa)
    f = figures_of(late)
    assert (f.feasible, f.eligible) == (True, False)  # a feasible plan, but not one the board may choose
    assert both(late, pb) == ("b", "b")
    assert both(late, _misses_an_exit(pb)) == (None, None)
    # re-costing keeps the waves, so it keeps the missed deadline too
    assert not recost(late, a, "day_rate_eigen", 0.5).eligible


def test_the_sweep_chapter_rounds_money_like_the_vorlage(landscape):
    from reports.sweep import sweep_view

    r = run_sweep(landscape, [small_scenario()], samples=3, sensitivity=False).result
    u = r.uncertainty
    near_zero = r.model_copy(update={
        "base": ((r.base[0][0], r.base[0][1].model_copy(update={"cash_npv_saving": -400.0})),),
        "uncertainty": u.model_copy(update={"cash_npv_saving": u.cash_npv_saving.model_copy(
            update={"p10": -2500.0, "p50": -499.99, "p90": 1_250_000.0})})})
    for t in (Translator("de"), Translator("en")):
        row = sweep_view(near_zero, t).uncertainty[1][0]
        assert row[1:] == tuple(t.money_round(v) for v in (-2500.0, -499.99, 1_250_000.0, -400.0))
    assert sweep_view(near_zero, Translator("de")).uncertainty[1][0][1:] == ("−3 T€", "0 T€", "1,3 Mio. €", "0 T€")


def test_no_flip_and_a_single_option_are_said(landscape):
    r = run_sweep(landscape, [small_scenario()], sensitivity=True).result
    assert r.recommendation.flips == ()
    assert "nur eine Option" in flip_sentence(r, Translator("de"))
    assert "Only one option" in flip_sentence(r, Translator("en"))


def test_p_figures_of_a_known_distribution_match_within_sampling_error():
    # only the Fremdleistung day rate is uncertain: triangular on −30 % … +30 % (mode: the scenario value);
    # the cash saving is linear in it (a pure price), so its quantiles are known exactly
    L = tiny_landscape()
    s = _zero(tiny_scenario(), ranges={"day_rate_fremd": (-0.3, 0.3)}, sample_assumptions=True)
    n = 240
    r = run_sweep(L, [s], samples=n, seed=7).result
    p0 = plan(L, s)
    s0 = figures_of(p0).cash_npv_saving
    slope = (recost(p0, s, "day_rate_fremd", 1.3).cash_npv_saving - s0) / 0.3  # EUR per unit of relative change
    assert slope < 0

    def cdf_of_change(x: float) -> float:  # triangular(−0.3, 0, 0.3)
        return (x + 0.3) ** 2 / 0.18 if x < 0 else 1 - (0.3 - x) ** 2 / 0.18

    u = r.uncertainty
    for q, got in ((0.1, u.cash_npv_saving.p10), (0.5, u.cash_npv_saving.p50), (0.9, u.cash_npv_saving.p90)):
        change = (got - s0) / slope
        level = 1 - cdf_of_change(change)  # the saving falls as the day rate rises
        assert abs(level - q) < 3.5 * math.sqrt(q * (1 - q) / n), (q, level)
    assert u.end_quarter.p10 == u.end_quarter.p90 == figures_of(p0).end_quarter


def test_draws_are_reproducible_and_depend_on_the_sample_only(landscape):
    s = small_scenario()
    a = draw_landscape(landscape, s.sweep, sample_rng(5, 3))
    b = draw_landscape(landscape, s.sweep, sample_rng(5, 3))
    c = draw_landscape(landscape, s.sweep, sample_rng(5, 4))
    assert a.model_dump_json() == b.model_dump_json() != c.model_dump_json()
    # a verified record's users, contract end and complexity never move
    for o0, o1 in zip(landscape.organisations, c.organisations, strict=True):
        for s0, s1 in zip(o0.systems, o1.systems, strict=True):
            if s0.confidence.value == "verified":
                assert (s1.users, s1.contract.end, s1.complexity) == (s0.users, s0.contract.end, s0.complexity)
            assert s1.contract.end >= s1.contract.start


def test_sweep_runs_twice_to_the_same_bytes(landscape):
    s = small_scenario()
    one = sweep_to_json(run_sweep(landscape, [s], samples=4, sensitivity=True, seed=11).result)
    two = sweep_to_json(run_sweep(landscape, [s], samples=4, sensitivity=True, seed=11).result)
    assert one == two


def test_shapes_stay_in_their_range():
    u = np.linspace(0, 1, 1001, endpoint=False)
    for dist in ("uniform", "triangular"):
        g = shape(u, dist)
        assert g.min() >= -1 and g.max() <= 1
    assert relative(0.999999, -0.1, 0.3, "triangular") == pytest.approx(0.3, abs=1e-3)
    assert relative(0.0, -0.1, 0.3, "triangular") == -0.1


def test_the_english_chapter_has_no_german_and_the_german_no_english(landscape):
    from reports.sweep import sweep_view

    r = run_sweep(landscape, [small_scenario()], samples=3, sensitivity=True).result

    def text(lang: str) -> str:
        v = sweep_view(r, Translator(lang))
        cells = [c for tbl in (v.ranges, v.uncertainty, v.waves) for row in (tbl[0], *tbl[1]) for c in row]
        return " ".join([v.title, *v.paragraphs, v.uncertainty_intro or "", *cells, *v.captions.values(),
                         v.chart.title, v.chart.desc, *(i.text for i in v.chart.items if hasattr(i, "text"))])

    en, de = text("en"), text("de")
    for word in ("Annahme", "neu geplant", "Stichprobe", "Bandbreite", "Empfehlung", "Mio.", "Tagessatz", " bei "):
        assert word not in en, word
    for word in ("assumption", "re-planned", "sample", "range", "recommend", "day rate", "Day rate", " at "):
        assert word not in de, word
