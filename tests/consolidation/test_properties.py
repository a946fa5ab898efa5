"""Invariants of every plan on generated landscapes (hypothesis)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consolidation._examples import build_landscape, tiny_scenario
from consolidation.condense import condense, dependency_arrays
from consolidation.costs import cost_table
from consolidation.planner import plan
from consolidation.scenario import Weights
from consolidation.schedule import ScheduleInfeasibleError, ScheduleProblem, schedule
from consolidation.systems import system_table
from consolidation.targets import map_targets
from plan.calendar import quarter_start

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
    mig = [a for a in p.assignments if a.moves]
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


# issue 20: the planner's defects, as invariants of every plan

def _month_end(d: date) -> date:
    return (date(d.year + d.month // 12, d.month % 12 + 1, 1)) - timedelta(days=1)


def _months_before(d: date, months: int) -> date:
    """The last day of the month ``months`` before the month of ``d``."""
    m = d.year * 12 + d.month - 1 - months
    return _month_end(date(m // 12, m % 12 + 1, 1))


def _cut_over_day(p, a) -> date:
    return quarter_start(p.meta.start, a.quarter + 1) - timedelta(days=1)


def _eol_quarters(p, a, last: int) -> int:
    """Quarters 0 … ``last`` that end after the end of life (independent of the planner's code)."""
    if a.end_of_life is None:
        return 0
    return sum(1 for q in range(last + 1) if quarter_start(p.meta.start, q + 1) - timedelta(days=1) > a.end_of_life)


def _objective_eol_terms(landscape, scenario) -> dict[str, np.ndarray]:
    """Per moving system the schedule objective's EOL term in each quarter, unweighted (the cost table
    with only the EOL weight on)."""
    m = map_targets(landscape, scenario)
    moving = [s for s, d in m.decisions.items() if d.decision == "migrate"]
    groups = condense(dependency_arrays(landscape, systems=moving), tight=scenario.scheduling.tight_coupling).groups
    table = system_table(landscape, scenario, m, groups, org_ids=sorted(landscape.orgs))
    only_eol = scenario.model_copy(update={"weights": Weights(double_running=0, eol_lateness=1, delay=0)})
    c = cost_table(table, only_eol)
    return {sid: c[k] for k, sid in enumerate(table.ids)}


def check_contract_dates(landscape, p) -> None:
    """Notice deadline on or after the start, consistent with the contract end; none for a fixed term."""
    for a in p.assignments:
        ct = landscape.systems[a.system].contract
        if not a.moves or ct is None or a.quarter is None:
            assert a.contract_end is None and a.notice_deadline is None, a.system
            continue
        assert a.contract_end == _month_end(a.contract_end) and a.contract_end >= _cut_over_day(p, a), a.system
        if ct.end is not None and ct.renewal_months == 0:
            assert a.notice_deadline is None, a.system  # ends by itself
            assert a.contract_end == max(_month_end(ct.end), _cut_over_day(p, a)), a.system  # to its month's end
        else:
            assert a.notice_deadline is not None and a.notice_deadline >= p.meta.start, a.system
            assert a.notice_deadline == _months_before(a.contract_end, ct.notice_months), a.system
            # and not later than needed: one month earlier would need notice before the start or the cut-over
            if ct.end is None:
                earlier = _months_before(a.contract_end, 1)
                assert earlier < _cut_over_day(p, a) or _months_before(earlier, ct.notice_months) < p.meta.start


def check_vms_within_capacity(p) -> None:
    """Data centres are filled by the VMs planned: each target is the sum of its VMs, each data centre's
    use counts them and stays within its capacity."""
    for t in p.targets:
        vms = [v for v in p.vms if v.target == t.id]
        if vms:
            assert (t.vcpu, t.ram_gb, t.storage_gb) == (sum(v.vcpu for v in vms), sum(v.ram_gb for v in vms),
                                                        sum(v.disk_gb for v in vms)), t.id
    for d in p.data_centres:
        vms = [v for v in p.vms if v.data_centre == d.id]
        assert sum(v.vcpu for v in vms) <= d.used_vcpu <= d.capacity_vcpu, d.id
        assert sum(v.ram_gb for v in vms) <= d.used_ram_gb <= d.capacity_ram_gb, d.id
        assert sum(v.disk_gb for v in vms) / 1000 <= d.used_storage_tb + 1e-9, d.id
        assert d.used_storage_tb <= d.capacity_storage_tb + 1e-9, d.id


def check_eol_costs(landscape, scenario, p) -> None:
    """The plan's EOL cost lines are the objective's EOL terms (plus the systems that stay, all horizon)."""
    H = p.meta.horizon_quarters
    per_q = float(scenario.costs.eol_penalty_per_quarter)
    terms = _objective_eol_terms(landscape, scenario)
    moving = [a for a in p.assignments if a.moves]
    objective = sum(float(terms[a.system][a.quarter]) for a in moving)
    assert objective == sum(_eol_quarters(p, a, a.quarter) * per_q for a in moving)
    staying = sum(_eol_quarters(p, a, H - 1) * per_q for a in p.assignments if a.decision in ("stay", "exception"))
    lines = sum(float(ln.amount) for ln in p.costs.lines if ln.scenario == "plan" and ln.category == "eol_penalty")
    assert abs(lines - (objective + staying)) < 0.01
    for a in moving:
        assert a.migrated_after_eol == (terms[a.system][a.quarter] > 0), a.system


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(landscape=landscapes(), scenario=scenarios(), rehost=st.booleans())
def test_notice_vms_and_eol_costs_hold_on_generated_landscapes(landscape, scenario, rehost):
    scenario = scenario.model_copy(update={"scheduling": scenario.scheduling.model_copy(
        update={"rehost_unmapped": rehost})})
    p = plan(landscape, scenario)
    check_vms_within_capacity(p)
    if p.feasible:
        check_contract_dates(landscape, p)
        check_eol_costs(landscape, scenario, p)


@st.composite
def tight_problems(draw):
    """Small wave problems with exit deadlines and team capacity that may bind."""
    n, H = draw(st.integers(2, 8)), draw(st.integers(2, 5))
    eigen = np.array(draw(st.lists(st.integers(0, 120), min_size=n, max_size=n)), dtype=np.int64)
    fremd = np.array(draw(st.lists(st.integers(0, 120), min_size=n, max_size=n)), dtype=np.int64)
    deadline = np.array(draw(st.lists(st.integers(0, H - 1), min_size=n, max_size=n)), dtype=np.int64)
    cap = draw(st.integers(40, 160))
    return ScheduleProblem(
        horizon=H, groups=tuple(f"g.{k}" for k in range(n)), eigen=eigen, fremd=fremd,
        release=np.zeros(n, np.int64), release_reason=("start",) * n, deadline=deadline,
        deadline_reason=tuple("horizon" if d == H - 1 else f"exit:o{k % 2}" for k, d in enumerate(deadline.tolist())),
        cost=np.tile(np.arange(H) * 10, (n, 1)), cap_eigen=np.full(H, cap), cap_fremd=np.full(H, cap))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=tight_problems())
def test_capacity_conflicts_name_the_resource_and_the_groups(problem):
    try:
        schedule(problem, deterministic_time=0.5)
        return
    except ScheduleInfeasibleError as exc:
        conflicts = exc.conflicts
    for c in conflicts:
        kinds = [k for k, _ in c.parts]
        if c.kind == "contradiction" and {"team_eigen", "team_fremd"} & set(kinds):
            named = [dict(ps)["group"] for k, ps in c.parts if k == "group_cannot_fit"]
            assert named and set(named) <= set(problem.groups)
            # the named groups cannot fit: together they need more of the short resource than the
            # quarters up to their latest deadline offer, or one alone more than a quarter
            ix = [problem.groups.index(g) for g in named]
            last = int(problem.deadline[ix].max())
            short = [(problem.eigen, problem.cap_eigen), (problem.fremd, problem.cap_fremd)]
            assert any(int(d[ix].sum()) > int(cap[:last + 1].sum()) or int(d[ix].max()) > int(cap.max())
                       or len(ix) > 1 for d, cap in short)
