"""Names of the plan contract (issue 14): "stay" says why a system stays, Insellösungen have one definition."""

from __future__ import annotations

from collections import defaultdict

from consolidation._examples import build_landscape, tiny_landscape, tiny_scenario
from consolidation.planner import plan
from inventory.stats import inselloesungen


def test_systems_of_a_kept_domain_stay_and_their_binding_says_kept():
    p = plan(tiny_landscape(), tiny_scenario(scheduling={"keep_domains": ["iam"]}))
    by_system = {a.system: a for a in p.assignments}
    assert [(by_system[s].decision, by_system[s].binding.kind, by_system[s].binding.reason.kind,
             by_system[s].binding.reason.params) for s in ("a.iam", "b.iam")] == [
        ("stay", "kept", "domain_kept", {"domain": "iam"})] * 2
    assert (by_system["a.mail"].decision, by_system["a.mail"].target) == ("migrate", "t.e-mail")
    # a.mail authenticates against a.iam, which stays: no ordering, but the plan says so
    assert {g.id: g.outside for g in p.move_groups} == {"g.a.mail": ("a.iam",), "g.b.mail": ()}


def test_a_domain_without_target_is_rehosted_with_its_own_decision():
    p = plan(tiny_landscape(), tiny_scenario())
    assert {(a.domain, a.decision, a.target, a.data_centre) for a in p.assignments if a.domain == "iam"} == {
        ("iam", "rehost", None, "rz1")}


def test_a_domain_without_target_stays_when_not_rehosted():
    p = plan(tiny_landscape(), tiny_scenario(scheduling={"rehost_unmapped": False}))
    assert {(a.domain, a.decision, a.binding.kind, a.target) for a in p.assignments if a.domain == "iam"} == {
        ("iam", "stay", "stay", None)}


def test_plan_metrics_count_inselloesungen_as_the_inventory_defines_them():
    systems = [{"id": f"{o}.ewo", "org": o, "domain": "ewo", "product": prod}
               for o, prod in (("a", "ok-ewo"), ("b", "ok-ewo"), ("c", "meso"), ("d", "ewo-x"))]
    systems += [{"id": f"{o}.mail", "org": o, "domain": "e-mail", "product": "ox"} for o in "ab"]
    landscape = build_landscape(systems)
    p = plan(landscape, tiny_scenario())
    orgs_by_product: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for inv in landscape.organisations:
        for s in inv.systems:
            orgs_by_product[s.domain][s.product].add(inv.organisation.id)
    expected = {d: len(inselloesungen(products)) for d, products in orgs_by_product.items()}
    assert {m.domain: m.inselloesungen_before for m in p.metrics} == expected == {"ewo": 2, "e-mail": 0}


def test_the_planner_computes_the_plans_domain_metrics_themselves():
    from consolidation.targets import heterogeneity, map_targets
    from plan.models import DomainMetrics

    landscape, scenario = tiny_landscape(), tiny_scenario()
    metrics = heterogeneity(landscape, scenario, map_targets(landscape, scenario))
    assert all(type(m) is DomainMetrics for m in metrics)  # one model, no planner-side copy to convert
    assert metrics == plan(landscape, scenario).metrics
    assert [(m.domain, m.instances_before, m.instances_after, m.consolidation_ratio) for m in metrics] == [
        ("e-mail", 2, 1, 2.0), ("iam", 2, 2, 1.0)]
