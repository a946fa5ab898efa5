
from report_plans import small_plan

from plan.diff import diff_plans
from plan.figures import key_figures
from reports.context import build_context


def _figs(plan):
    return {f.key: f.value for f in key_figures(plan)}


def test_key_figures_equal_the_plan_fields():
    plan = small_plan()
    f = _figs(plan)
    assert (f["orgs_in_scope"], f["orgs_total"], f["systems_in_scope"], f["systems_migrate"]) == (2, 3, 4, 2)
    assert (f["products_before"], f["products_after"], f["consolidation_ratio"]) == (4, 3, 2.0)
    assert (f["tco_status_quo"], f["tco_plan"], f["npv_savings"]) == (
        plan.costs.tco_status_quo, plan.costs.tco_plan, plan.costs.npv_savings)
    assert (f["systems_past_eol"], f["eol_before_migration"], f["exceptions"], f["waves"]) == (1, 1, 1, 2)


def test_context_groups_orgs_by_kreis_and_sums_their_costs():
    ctx = build_context(small_plan())
    assert [(k.key, [o.org.id for o in k.orgs]) for k in ctx.kreise] == [("10041", ["aue"]), ("10042", ["tal", "berg"])]
    aue = ctx.orgs[0]
    assert (aue.migrate, aue.one_off, aue.tco_status_quo, aue.tco_plan) == (2, 19000, 100000, 79000)


def test_context_heat_rows_per_org_below_the_limit_and_per_kreis_above():
    plan = small_plan()
    per_org = build_context(plan)
    per_kreis = build_context(plan, detail_limit=2)
    assert [r.key for r in per_org.heat_rows] == ["aue", "tal", "berg"]
    assert [r.key for r in per_kreis.heat_rows] == ["10041", "10042"]
    assert (per_kreis.aggregated, per_kreis.appendix) == (True, "kreis")
    assert [c.status for c in per_org.heat_rows[2].cells] == ["stay", "exception"]


def test_context_risks_list_eol_hotspots_and_gap():
    r = build_context(small_plan()).risks
    assert [s.a.system for s in r.eol] == ["aue-ewo"]
    assert r.wave_hotspots == (("2026-Q2", "eigen", 1.0),)
    assert [(n, res) for n, res, _ in r.dc_hotspots] == [("RZ eGo-Saar Saarbrücken", "vcpu")]
    assert (r.max_gap, r.low_confidence) == (0.05, None)


def test_context_gantt_counts_migrations_per_domain_and_quarter():
    ctx = build_context(small_plan())
    assert ctx.gantt == {("ewo", 1): 1, ("mail", 2): 1}
    assert ctx.quarter_labels[:3] == ["2026-Q1", "2026-Q2", "2026-Q3"] and len(ctx.quarter_labels) == 40


def test_diff_of_a_plan_with_itself_is_empty():
    plan = small_plan()
    assert diff_plans(plan, plan).empty


def test_diff_reports_moved_systems_domains_and_exceptions():
    d = diff_plans(small_plan(), small_plan(variant=1))
    assert [(c.system, c.field, c.old, c.new) for c in d.changes] == [
        ("aue-mail", "quarter", "2026-Q3", "2026-Q4"),
        ("berg-mail", "decision", "exception", "migrate"),
        ("berg-mail", "target", "", "t-mail"),
        ("berg-mail", "data_centre", "", "rz-sb"),
        ("berg-mail", "quarter", "", "2027-Q1"),
    ]
    assert (d.moved, d.domains, d.exceptions_removed) == (2, (("mail", "E-Mail/Groupware", 2, 1),), ("e1",))


def test_diff_lists_added_and_removed_systems():
    old = small_plan()
    new = replace_assignments(old, old.assignments[:-1])
    d = diff_plans(old, new)
    assert [(c.system, c.field) for c in d.changes] == [("tal-mail", "removed")]
    assert [(c.system, c.field) for c in diff_plans(new, old).changes] == [("tal-mail", "added")]


def replace_assignments(plan, assignments):
    return plan.model_copy(update={"assignments": tuple(assignments)})


def test_build_context_never_changes_the_plan():
    plan = small_plan()
    before = plan.model_dump_json()
    build_context(plan, compare=small_plan(variant=1), previous=small_plan(variant=1))
    assert plan.model_dump_json() == before
