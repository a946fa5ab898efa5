"""Invariants of every plan on generated landscapes (hypothesis)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consolidation._examples import build_landscape, tiny_scenario
from consolidation.planner import plan

DOMAINS = ("e-mail", "iam", "ewo", "fin")


@st.composite
def landscapes(draw):
    n_orgs = draw(st.integers(1, 3))
    systems, deps = [], []
    for o in range(n_orgs):
        org = f"o{o}"
        doms = draw(st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=4, unique=True))
        ids = [f"{org}.{d}" for d in doms]
        for sid, d in zip(ids, doms):
            rec = {"id": sid, "org": org, "domain": d, "users": draw(st.integers(1, 600)),
                   "complexity": draw(st.sampled_from(["niedrig", "mittel", "hoch"])),
                   "sb": draw(st.sampled_from(["normal", "hoch", "sehr hoch"]))}
            if draw(st.booleans()):
                end = draw(st.one_of(st.none(), st.dates(date(2026, 6, 1), date(2030, 12, 31))))
                rec["contract"] = {"vendor": "V", "annual_cost": draw(st.integers(0, 50_000)),
                                   "start": date(2020, 1, 1), "end": end,
                                   "notice_months": draw(st.sampled_from([0, 3, 6, 12])),
                                   "renewal_months": draw(st.sampled_from([0, 12, 24]))}
            if draw(st.booleans()):
                rec["eol"] = draw(st.dates(date(2025, 1, 1), date(2031, 12, 31)))
            systems.append(rec)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                kind = draw(st.sampled_from(["none", "none", "ab", "ba", "both"]))
                crit = draw(st.sampled_from(["mittel", "hoch"]))
                if kind in ("ab", "both"):
                    deps.append({"source": a, "target": b, "criticality": crit})
                if kind in ("ba", "both"):
                    deps.append({"source": b, "target": a, "criticality": crit})
    return build_landscape(systems, deps, domains=DOMAINS)


@st.composite
def scenarios(draw):
    blackouts = []
    if draw(st.booleans()):
        start = draw(st.dates(date(2027, 1, 1), date(2028, 6, 30)))
        blackouts.append({"id": "wahl", "domains": ["ewo"], "start": start.isoformat(),
                          "end": date(start.year + (start.month + 4) // 12, (start.month + 4) % 12 or 12, 1).isoformat(),
                          "reason": "Wahl"})
    cap = draw(st.integers(20, 200))
    return tiny_scenario(
        horizon_years=3,
        targets=[{"domain": "e-mail", "product": "ox", "name": "Mail", "onboarding_per_quarter": draw(st.integers(1, 3))},
                 {"domain": "ewo", "product": "vois", "name": "EWO", "available_from": "2027-04-01",
                  "onboarding_per_quarter": draw(st.integers(1, 3))}],
        data_centres=[
            {"id": "rz-a", "name": "A", "supernet": "10.1.0.0/16", "certifications": ["ISO 27001"], "redundancy": "2n",
             "capacity": {"vcpu": 5000, "ram_gb": 20000, "storage_tb": 100}},
            {"id": "rz-b", "name": "B", "supernet": "10.2.0.0/16", "redundancy": "none", "cost_per_vcpu_year": 1,
             "capacity": {"vcpu": 5000, "ram_gb": 20000, "storage_tb": 100}}],
        teams={"eigen_pd_per_quarter": cap * 0.4, "fremd_pd_per_quarter": cap * 0.6},
        blackouts=blackouts,
        scheduling={"eol": draw(st.sampled_from(["soft", "hard"]))},
        solver={"deterministic_time": 0.2, "full_model_groups": draw(st.sampled_from([0, 80]))},
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(landscape=landscapes(), scenario=scenarios())
def test_plan_invariants_on_generated_landscapes(landscape, scenario):
    p = plan(landscape, scenario)
    # every system exactly once
    assert Counter(a.system for a in p.assignments) == Counter(list(landscape.systems))
    if not p.feasible:
        assert p.conflicts and all(c.reason.kind for c in p.conflicts)
        return
    by_id = {a.system: a for a in p.assignments}
    mig = [a for a in p.assignments if a.decision == "migrate"]
    assert all(a.quarter is not None and 0 <= a.quarter < scenario.horizon_quarters for a in mig)
    # no group before a group it depends on
    groups = {g.id: g for g in p.move_groups}
    for g in p.move_groups:
        assert {by_id[s].quarter for s in g.systems} == {g.quarter}
        for d in g.depends_on:
            assert groups[d].quarter + scenario.scheduling.precedence_lag_quarters <= g.quarter
    # no quarter over any capacity
    eig, fre, onb = Counter(), Counter(), Counter()
    for a in mig:
        eig[a.quarter] += a.effort_eigen_pd
        fre[a.quarter] += a.effort_fremd_pd
        if a.target:
            onb[a.target, a.quarter] += 1
    for q in eig:
        e_cap, f_cap = scenario.capacity(q)
        assert eig[q] <= e_cap + 1e-6 and fre[q] <= f_cap + 1e-6
    per_target = {t.id: t.onboarding_per_quarter for t in p.targets}
    assert all(n <= per_target[t] for (t, _), n in onb.items())
    # no migration inside a blackout window of its domain
    for b in p.blackouts:
        assert not [a for a in mig if a.domain in b.domains and a.quarter in b.quarters]
    # "sehr hoch" only in sites that allow it
    allowed = {d.id: d.allows_sehr_hoch for d in p.data_centres}
    assert all(allowed[t.data_centre] for t in p.targets if t.schutzbedarf.value == "sehr hoch")
    assert all(allowed[a.data_centre] for a in mig if a.schutzbedarf.value == "sehr hoch")
    # the reported bound never exceeds the objective
    sched = p.solver[1]
    assert sched.best_bound <= sched.objective + 1e-6 and 0.0 <= sched.gap <= 1.0
