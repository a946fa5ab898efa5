"""Small hand-made landscapes whose optimal schedule is known by hand."""

from __future__ import annotations

from datetime import date

from consolidation._examples import build_landscape, tiny_scenario
from consolidation.planner import plan


def _by_system(p):
    return {a.system: a for a in p.assignments}


def _open_ended(annual: int) -> dict:
    return {"vendor": "V", "annual_cost": annual, "start": date(2020, 1, 1), "notice_months": 0}


def test_golden_capacity_puts_the_costlier_system_first():
    # one system per quarter fits (4 PD Eigen + 6 PD Fremd each); waiting costs a 10x more for a
    L = build_landscape([
        {"id": "a.mail", "org": "a", "domain": "e-mail", "contract": _open_ended(40_000)},
        {"id": "b.mail", "org": "b", "domain": "e-mail", "contract": _open_ended(4_000)},
    ])
    p = plan(L, tiny_scenario(teams={"eigen_pd_per_quarter": 4, "fremd_pd_per_quarter": 6}))
    got = {s: (a.quarter, a.binding.kind) for s, a in _by_system(p).items()}
    assert got == {"a.mail": (0, "earliest"), "b.mail": (1, "capacity")}
    sched = p.solver[1]
    assert (sched.status, sched.gap, sched.objective) == ("OPTIMAL", 0.0, 250.0)  # 0.25 * 4000/4 * 1


def test_golden_contract_end_delays_to_avoid_double_running():
    # fixed end 2027-12-31 (renews yearly, 3 months notice): cutting over at the end of 2027-Q4 pays nothing twice
    contract = {"vendor": "V", "annual_cost": 12_000, "start": date(2020, 1, 1), "end": date(2027, 12, 31),
                "notice_months": 3, "renewal_months": 12}
    L = build_landscape([{"id": "a.mail", "org": "a", "domain": "e-mail", "contract": contract}])
    p = plan(L, tiny_scenario(weights={"delay": 0.01}))
    [a] = p.assignments
    assert (a.quarter, a.quarter_label, a.binding.kind) == (3, "2027-Q4", "contract")
    assert (a.contract_end, a.notice_deadline) == (date(2027, 12, 31), date(2027, 9, 30))


def test_golden_blackout_and_dependency_bind():
    # ewo uses iam: iam first (2027-Q1); ewo may not move in the first half of 2027 (Wahl)
    L = build_landscape(
        [{"id": "a.iam", "org": "a", "domain": "iam"}, {"id": "a.ewo", "org": "a", "domain": "ewo"},
         {"id": "a.fin", "org": "a", "domain": "fin"}],
        [{"source": "a.ewo", "target": "a.iam"}, {"source": "a.fin", "target": "a.iam"}], domains=["e-mail"],
    )
    s = tiny_scenario(blackouts=[{"id": "wahl", "domains": ["ewo"], "start": "2027-01-01", "end": "2027-06-30",
                                  "reason": "Wahl"}])
    got = {x.system: (x.quarter, x.binding.kind, x.binding.related) for x in plan(L, s).assignments}
    assert got == {"a.iam": (0, "earliest", None), "a.fin": (1, "dependency", "g.a.iam"),
                   "a.ewo": (2, "blackout", "wahl")}


def test_golden_infeasible_exit_names_the_conflict(exit_chain):
    # x leaves on 2027-06-30 (last quarter 2027-Q2) but its chain c <- b <- a needs three quarters
    p = plan(exit_chain, tiny_scenario())
    assert p.feasible is False
    assert [c.constraints for c in p.conflicts] == [
        ("abhaengigkeit:g.x.b>g.x.a", "abhaengigkeit:g.x.c>g.x.b", "frist:exit:x")]
    assert [(r.kind, r.params) for r in p.conflicts[0].parts][-1] == ("deadline", {"reason": "exit:x", "quarter": 1})


def test_golden_exit_ignored_for_members_that_stay_customers(exit_chain):
    p = plan(exit_chain, tiny_scenario(organisations={"continue_after_exit": ["x"]}))
    assert p.feasible and [(a.system, a.quarter) for a in p.assignments] == [("x.a", 2), ("x.b", 1), ("x.c", 0)]


def test_golden_sehr_hoch_only_in_certified_redundant_site():
    L = build_landscape([{"id": "a.mail", "org": "a", "domain": "e-mail", "sb": "sehr hoch"},
                         {"id": "a.ewo", "org": "a", "domain": "ewo"}])
    cheap = {"id": "rz0", "name": "Günstig", "supernet": "10.20.0.0/16", "redundancy": "none",
             "capacity": {"vcpu": 1000, "ram_gb": 4000, "storage_tb": 100}, "cost_per_vcpu_year": 1,
             "cost_per_gb_ram_year": 1, "cost_per_tb_year": 1}
    s = tiny_scenario()
    s = tiny_scenario(data_centres=[cheap, s.data_centres[0].model_dump(mode="json")])
    p = plan(L, s)
    assert {t.id: (t.data_centre, t.schutzbedarf.value) for t in p.targets} == {"t.e-mail": ("rz1", "sehr hoch")}
    assert _by_system(p)["a.ewo"].data_centre == "rz0"  # rehosted normal workload: the cheaper site
