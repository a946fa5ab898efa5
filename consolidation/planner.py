"""The planner: ``plan(landscape, scenario) -> Plan``, a pure function.

It runs the steps in order — :mod:`~consolidation.targets` (mapping),
:mod:`~consolidation.graph` (move groups, precedence), :mod:`~consolidation.placement`
(data centres, CP-SAT), :mod:`~consolidation.waves` (quarters, CP-SAT),
:mod:`~consolidation.costs` (TCO, NPV, funding), :mod:`~consolidation.explain` (binding
constraints) and :mod:`~consolidation.network` (tenant networks, flows, VMs) — and
assembles the :class:`~consolidation.plan.Plan`. Same input → byte-identical plan JSON
(sorted collections, seeded single-thread or interleaved solver, deterministic time limits).

>>> from consolidation._examples import tiny_landscape, tiny_scenario
>>> p = plan(tiny_landscape(), tiny_scenario())
>>> [(a.system, a.decision, a.target, a.quarter) for a in p.assignments]
[('a.iam', 'migrate', None, 0), ('a.mail', 'migrate', 't.e-mail', 1), ('b.iam', 'migrate', None, 0), ('b.mail', 'migrate', 't.e-mail', 0)]
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from inventory.models import Landscape

from . import costs as C
from .explain import binding_constraints
from .graph import dependency_graph, group_dag, move_groups
from .network import flows, planned_vms, tenant_networks
from .placement import Unit, place
from .plan import (
    Assignment,
    BindingConstraint,
    Blackout,
    Conflict,
    CostLine,
    CostSummary,
    DataCentre,
    DomainMetrics,
    ExceptionEntry,
    FundingRelease,
    MoveGroup,
    Plan,
    PlanMeta,
    PlanOrganisation,
    SolverStep,
    TargetInstance,
    Wave,
)
from .scenario import Scenario, quarter_label, quarter_start, scenario_hash
from .targets import map_targets, migration_effort
from .waves import ScheduleInfeasibleError, ScheduleProblem, schedule

__all__ = ["inventory_hash", "plan"]

Progress = Callable[[str], None]


def _tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("landkarte")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0+unknown"


def inventory_hash(landscape: Landscape) -> str:
    """sha256 over the inventory's canonical JSON."""
    return hashlib.sha256(landscape.model_dump_json().encode("utf-8")).hexdigest()


def _blackout_quarters(scenario: Scenario) -> list[tuple[str, tuple[str, ...], date, date, str, tuple[int, ...]]]:
    H = scenario.horizon_quarters
    out = []
    for b in sorted(scenario.blackouts, key=lambda b: b.id):
        spans = [(b.start, b.end)]
        if b.every_year:
            spans = []
            for k in range(-1, scenario.horizon_years + 1):
                try:
                    s = b.start.replace(year=scenario.start.year + k + (b.start.year - b.start.year))
                    e = b.end.replace(year=s.year + (b.end.year - b.start.year))
                except ValueError:  # 29 February
                    continue
                spans.append((s, e))
        qs = sorted({q for s, e in spans for q in range(scenario.quarter_of(s), scenario.quarter_of(e) + 1)
                     if 0 <= q < H})
        out.append((b.id, tuple(sorted(b.domains)), b.start, b.end, b.reason, tuple(qs)))
    return out


def plan(landscape: Landscape, scenario: Scenario, *, progress: Progress | None = None,
         record_timing: bool = False) -> Plan:
    """Plan the consolidation of ``landscape`` under ``scenario``.

    Parameters
    ----------
    landscape : Landscape
    scenario : Scenario
    progress : callable, optional
        Called with the name of each step as it starts (for a progress display).
    record_timing : bool, default False
        Record wall-clock solver times in ``solver[].time_s``. Off by default because
        timings differ between runs and the plan must be byte-identical for the same input.

    Returns
    -------
    Plan
        ``feasible=False`` with ``conflicts`` when no schedule satisfies every constraint.

    Raises
    ------
    consolidation.targets.UnknownReferenceError
        The scenario names organisations or systems the inventory does not have.
    consolidation.placement.PlacementInfeasibleError
        The data centres cannot hold the targets and workloads.
    """
    step = progress or (lambda _s: None)
    H = scenario.horizon_quarters
    start_m = C.month_index(scenario.start)
    label = lambda q: quarter_label(scenario.start, q)

    step("Zielzuordnung")
    mapping = map_targets(landscape, scenario)
    dec = mapping.decisions
    systems = landscape.systems
    owner = landscape.owner
    org_ids = sorted(landscape.orgs)
    org_ix = {o: i for i, o in enumerate(org_ids)}
    migrating = sorted(s for s, d in dec.items() if d.decision == "migrate")

    step("Abhängigkeitsgraph")
    G = dependency_graph(landscape, systems=migrating, hosts=False)
    groups = move_groups(G, tight=scenario.scheduling.tight_coupling)
    D = group_dag(G, groups)
    g_ix = {g.id: i for i, g in enumerate(groups)}
    group_of = {s: g.id for g in groups for s in g.systems}

    step("Platzierung")
    inst_by_id = {i.id: i for i in mapping.instances}
    units = []
    inst_size: dict[str, tuple[int, int, int]] = {}
    for inst in mapping.instances:
        sp = inst.spec
        k = inst.users / 1000
        size = (sp.vcpu + math.ceil(k * sp.vcpu_per_1000_users), sp.ram_gb + math.ceil(k * sp.ram_gb_per_1000_users),
                sp.storage_gb + inst.data_gb)
        inst_size[inst.id] = size
        units.append(Unit(inst.id, *size, inst.schutzbedarf.value))
    hosts = landscape.hosts
    home_load: dict[str, list[int]] = {}
    home_sb: dict[str, int] = {}
    rehost_size: dict[str, tuple[int, int, int]] = {}
    for sid in migrating:
        d = dec[sid]
        load = home_load.setdefault(d.org, [0, 0, 0, 0])
        if d.target is None:
            s = systems[sid]
            h = hosts.get(s.hosting.host) if s.hosting.host else None
            size = (h.size.vcpu, h.size.ram_gb, h.size.storage_gb) if h is not None and h.kind == "virtual" else (
                2, 8, max(50, s.data_gb * 2))
            rehost_size[sid] = size
            for k in range(3):
                load[k] += size[k]
            home_sb[d.org] = max(home_sb.get(d.org, 0), s.schutzbedarf.maximum.rank)
    sb_name = {0: "normal", 1: "hoch", 2: "sehr hoch"}
    for org in sorted(home_load):
        v, r, st, _ = home_load[org]
        units.append(Unit(f"home.{org}", v, r, st, sb_name[home_sb.get(org, 0)], tenant=True))
    placement = place(units, scenario.data_centres, seed=scenario.solver.seed, workers=scenario.solver.workers,
                      time_limit_s=scenario.solver.time_limit_s)
    where = placement.where
    home_dc = {u.id[5:]: where[u.id] for u in units if u.tenant}
    dc_spec = {d.id: d for d in scenario.data_centres}

    step("Kosten je Quartal")
    # systems sorted by group so group rows are contiguous
    order = sorted(migrating, key=lambda s: (g_ix[group_of[s]], s))
    n = len(order)
    c = scenario.costs
    default_annual = float(c.legacy_annual_cost_default)
    exits = {o: org.zweckverband.exit_date for o, org in landscape.orgs.items()
             if org.zweckverband.exit_date is not None and o not in scenario.organisations.continue_after_exit}
    annual = np.zeros(n)
    has_c = np.zeros(n, bool)
    end_next = np.full(n, -1, np.int64)
    notice = np.zeros(n, np.int64)
    renewal = np.zeros(n, np.int64)
    eol_q = np.full(n, C.NO_EOL, np.int64)
    rehost = np.zeros(n, bool)
    eig = np.zeros(n)
    fre = np.zeros(n)
    eigen_run = np.zeros(n, bool)
    sys_org = np.zeros(n, np.int64)
    sys_group = np.zeros(n, np.int64)
    for k, sid in enumerate(order):
        s = systems[sid]
        d = dec[sid]
        sys_org[k] = org_ix[d.org]
        sys_group[k] = g_ix[group_of[sid]]
        eigen_run[k] = s.betriebsart.value == "Eigenleistung"
        ct = s.contract
        if ct is not None:
            annual[k] = float(ct.annual_cost)
            has_c[k] = True
            notice[k] = ct.notice_months
            renewal[k] = ct.renewal_months
            if ct.end is not None:
                end_next[k] = C.month_index(ct.end + timedelta(days=1))
        else:
            annual[k] = default_annual
        rehost[k] = d.target is None
        eol = s.end_of_life
        if rehost[k]:
            h = hosts.get(s.hosting.host) if s.hosting.host else None
            eol = h.os.end_of_life if h is not None else None
        if eol is not None:
            eol_q[k] = scenario.quarter_of(eol + timedelta(days=1)) - 1
        eig[k], fre[k] = migration_effort(s, scenario, same_product=d.same_product)
    sa = C.SystemArrays(ids=tuple(order), org=sys_org, group=sys_group, annual=annual, has_contract=has_c,
                        end_next=end_next, notice=notice, renewal=renewal, eol_q=eol_q, rehost=rehost,
                        eigen_pd=eig, fremd_pd=fre, eigen_run=eigen_run)
    table = C.cost_table(sa, scenario)
    n_groups = len(groups)
    starts = np.searchsorted(sys_group, np.arange(n_groups)) if n else np.zeros(0, np.int64)
    gcost = np.add.reduceat(table, starts, axis=0) if n else np.zeros((0, H), np.int64)
    geig = np.rint(np.add.reduceat(eig * 10, starts)).astype(np.int64) if n else np.zeros(0, np.int64)
    gfre = np.rint(np.add.reduceat(fre * 10, starts)).astype(np.int64) if n else np.zeros(0, np.int64)

    step("Wellenplanung")
    release = np.zeros(n_groups, np.int64)
    release_reason = ["start"] * n_groups
    deadline = np.full(n_groups, H - 1, np.int64)
    deadline_reason = ["horizon"] * n_groups
    target_ids = tuple(i.id for i in mapping.instances)
    t_ix = {t: i for i, t in enumerate(target_ids)}
    ob_cap = np.array([inst_by_id[t].spec.onboarding_per_quarter for t in target_ids], np.int64)
    ob: dict[tuple[int, int], int] = {}
    blackouts = _blackout_quarters(scenario)
    win_by_domain: dict[str, list[int]] = {}
    for w, b in enumerate(blackouts):
        for dom in b[1]:
            win_by_domain.setdefault(dom, []).append(w)
    group_windows = []
    for gi, g in enumerate(groups):
        wins: set[int] = set()
        for sid in g.systems:
            d = dec[sid]
            wins.update(win_by_domain.get(d.domain, ()))
            if d.target is not None:
                ob[gi, t_ix[d.target]] = ob.get((gi, t_ix[d.target]), 0) + 1
                af = inst_by_id[d.target].spec.available_from
                if af is not None and scenario.quarter_of(af) > release[gi]:
                    release[gi] = scenario.quarter_of(af)
                    release_reason[gi] = d.target
            if d.org in exits:
                q = scenario.quarter_of(exits[d.org] + timedelta(days=1)) - 1
                if q < deadline[gi]:
                    deadline[gi], deadline_reason[gi] = q, f"exit:{d.org}"
        if scenario.scheduling.eol == "hard":
            rows = slice(starts[gi], starts[gi + 1] if gi + 1 < n_groups else n)
            q = int(np.where(rehost[rows], C.NO_EOL, eol_q[rows]).min())
            if q < deadline[gi]:
                deadline[gi], deadline_reason[gi] = q, f"eol:{g.id}"
        group_windows.append(tuple(sorted(wins)))
    caps = [scenario.capacity(q) for q in range(H)]
    edges = np.array([(g_ix[u], g_ix[v]) for u, v in sorted(D.edges())], np.int64).reshape(-1, 2)
    obk = sorted(ob)
    problem = ScheduleProblem(
        horizon=H, groups=tuple(g.id for g in groups), eigen=geig, fremd=gfre, release=release,
        release_reason=tuple(release_reason), deadline=deadline, deadline_reason=tuple(deadline_reason),
        cost=gcost, cap_eigen=np.array([round(e * 10) for e, _ in caps], np.int64),
        cap_fremd=np.array([round(f * 10) for _, f in caps], np.int64), edges=edges,
        lag=scenario.scheduling.precedence_lag_quarters,
        windows=tuple((b[0], b[5]) for b in blackouts), group_windows=tuple(group_windows), targets=target_ids,
        ob_cap=ob_cap, ob_group=np.array([g for g, _ in obk], np.int64),
        ob_target=np.array([t for _, t in obk], np.int64), ob_count=np.array([ob[k] for k in obk], np.int64),
        target_kind=tuple(inst_by_id[t].spec.domain for t in target_ids),
    )
    sv = scenario.solver
    feasible = True
    conflicts: list[Conflict] = []
    try:
        result = schedule(problem, deterministic_time=sv.deterministic_time, time_limit_s=sv.time_limit_s,
                          seed=sv.seed, workers=sv.workers, block_size=sv.block_size,
                          window_span=sv.window_span, passes=sv.passes, full_model_groups=sv.full_model_groups,
                          max_windows=sv.max_windows, lp_max_pairs=sv.lp_max_pairs,
                          price_sample_groups=sv.price_sample_groups, price_chunks=sv.price_chunks)
        gq = result.quarter
        sched_step = SolverStep(step="schedule", solver="OR-Tools CP-SAT", status=result.status,
                                objective=result.objective, best_bound=result.best_bound, gap=result.gap,
                                time_s=round(result.time_s, 3) if record_timing else 0.0,
                                subproblems=result.subproblems,
                                baseline_objective=result.baseline_objective)
    except ScheduleInfeasibleError as exc:
        feasible = False
        conflicts = [Conflict(constraints=names, explanation=text) for names, text in exc.conflicts]
        gq = np.zeros(n_groups, np.int64)
        sched_step = SolverStep(step="schedule", solver="OR-Tools CP-SAT", status="INFEASIBLE", time_s=0.0)
    quarter = gq[sys_group] if n else np.zeros(0, np.int64)

    step("Kosten und Förderung")
    staying = sorted(s for s, d in dec.items() if d.decision in ("exception", "keep"))
    st_annual = np.array([float(systems[s].contract.annual_cost) if systems[s].contract else default_annual
                          for s in staying])
    st_eigen = np.array([systems[s].betriebsart.value == "Eigenleistung" for s in staying], bool)
    st_org = np.array([org_ix[dec[s].org] for s in staying], np.int64)
    st_eol = np.array([scenario.quarter_of(systems[s].end_of_life + timedelta(days=1)) - 1
                       if systems[s].end_of_life else C.NO_EOL for s in staying], np.int64)
    # target go-live: first quarter a system moves onto it
    live: dict[str, int] = {}
    tenant_live: dict[tuple[str, str], int] = {}
    for k, sid in enumerate(order):
        t = dec[sid].target
        if t is not None:
            q = int(quarter[k])
            live[t] = min(live.get(t, H), q)
            key = (t, dec[sid].org)
            tenant_live[key] = min(tenant_live.get(key, H), q)
    runs: list[tuple[int | None, int, float, bool]] = []
    dc_cost = {}
    for inst in mapping.instances:
        dcs = dc_spec[where[inst.id]]
        v, r, st = inst_size[inst.id]
        dc_cost[inst.id] = (v * float(dcs.cost_per_vcpu_year) + r * float(dcs.cost_per_gb_ram_year)
                            + st / 1000 * float(dcs.cost_per_tb_year))
        if inst.id in live:
            m0 = start_m + 3 * live[inst.id]
            runs.append((None, m0, float(inst.spec.annual_run_cost) + dc_cost[inst.id],
                         inst.spec.betriebsart.value == "Eigenleistung"))
    for (t, o), q in sorted(tenant_live.items()):
        sp = inst_by_id[t].spec
        runs.append((org_ix[o], start_m + 3 * q, float(sp.run_cost_per_tenant), sp.betriebsart.value == "Eigenleistung"))
    rehost_cost = np.zeros(n)
    for k, sid in enumerate(order):
        if rehost[k]:
            v, r, st = rehost_size[sid]
            dcs = dc_spec[home_dc[dec[sid].org]]
            rehost_cost[k] = (v * float(dcs.cost_per_vcpu_year) + r * float(dcs.cost_per_gb_ram_year)
                              + st / 1000 * float(dcs.cost_per_tb_year))
    lines_raw, breakdown = C.tco(sa, quarter, scenario, n_orgs=len(org_ids), staying_annual=st_annual,
                                 staying_eigen=st_eigen, staying_org=st_org, staying_eol=st_eol, target_runs=runs,
                                 rehost_hosting=rehost_cost)
    years = tuple(range(scenario.start.year, scenario.start.year + scenario.horizon_years))
    rate = float(scenario.costs.discount_rate)
    cost_lines = []
    tot = {"status_quo": np.zeros(len(years)), "plan": np.zeros(len(years))}
    eig_total = fre_total = 0.0
    for (scen, cat, o, tag), per_year in sorted(lines_raw.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2],
                                                                                    kv[0][3])):
        tot[scen] += per_year
        if scen == "plan":
            if tag == "Eigenleistung":
                eig_total += float(per_year.sum())
            else:
                fre_total += float(per_year.sum())
        for y, amount in zip(years, per_year.tolist()):
            if amount > 0.005:
                cost_lines.append(CostLine(year=y, org=None if o < 0 else org_ids[o], scenario=scen, category=cat,
                                           betriebsart=tag, amount=C.money(amount)))
    cost_lines.sort(key=lambda x: (x.scenario, x.year, x.org or "", x.category, x.betriebsart.value))
    npv_sq, npv_plan = C.npv(tot["status_quo"], rate), C.npv(tot["plan"], rate)
    costs = CostSummary(
        years=years, tco_status_quo=C.money(tot["status_quo"].sum()), tco_plan=C.money(tot["plan"].sum()),
        one_off=C.money(breakdown.one_off.sum()), npv_status_quo=C.money(npv_sq), npv_plan=C.money(npv_plan),
        npv_savings=Decimal(str(round(npv_sq - npv_plan, 2))), eigen_total=C.money(eig_total),
        fremd_total=C.money(fre_total), lines=tuple(cost_lines),
    )
    funding = _funding(scenario, dec, order, quarter, live, label) if feasible else []

    step("Erklärungen und Netze")
    notes = []
    for gi in range(n_groups):
        rows = range(starts[gi], starts[gi + 1] if gi + 1 < n_groups else n)
        best = None
        for k in rows:
            if has_c[k] and not rehost[k]:
                m_end = int(breakdown.contract_end[k])
                best = (f"Vertrag von {order[k]} endet {C.last_day_before(m_end).isoformat()}, "
                        f"Kündigung bis {C.last_day_before(m_end - int(notice[k])).isoformat()}")
                break
        notes.append(best)
    bindings = binding_constraints(problem, gq, label=label, contract_note=notes) if feasible else []

    assignments = []
    exc_entries = {e.id: e for e in scenario.exceptions}
    pos = {sid: k for k, sid in enumerate(order)}
    for sid in sorted(dec):
        d = dec[sid]
        s = systems[sid]
        sb = s.schutzbedarf.maximum
        common = dict(system=sid, org=d.org, domain=d.domain, product_before=s.product, schutzbedarf=sb,
                      end_of_life=s.end_of_life)
        if d.decision == "out_of_scope":
            assignments.append(Assignment(**common, decision="out_of_scope", binding=BindingConstraint(
                kind="out_of_scope", detail=f"{d.org} nimmt an diesem Szenario nicht teil", related=d.org)))
            continue
        if d.decision in ("exception", "keep"):
            if d.decision == "exception":
                e = exc_entries[d.exception]
                b = BindingConstraint(kind="exception", detail=f"Einzelmaßnahme: {e.justification}", related=e.id)
            else:
                b = BindingConstraint(kind="out_of_scope", detail=f"kein Standardziel für {d.domain}; bleibt am Ort")
            assignments.append(Assignment(**common, decision=d.decision, binding=b))
            continue
        k = pos[sid]
        gi = int(sys_group[k])
        q = int(quarter[k]) if feasible else None
        ct = s.contract
        cend = int(breakdown.contract_end[k])
        dc = where[d.target] if d.target is not None else home_dc[d.org]
        if feasible:
            bd = bindings[gi]
            binding = BindingConstraint(kind=bd.kind, detail=bd.detail, related=bd.related)
        else:
            binding = BindingConstraint(kind="capacity", detail="kein zulässiger Plan: siehe conflicts")
        assignments.append(Assignment(
            **common, decision="migrate", target=d.target, data_centre=dc, move_group=groups[gi].id, quarter=q,
            quarter_label=label(q) if q is not None else None, effort_eigen_pd=float(eig[k]),
            effort_fremd_pd=float(fre[k]),
            one_off_cost=C.money(float(breakdown.one_off[k])), migrated_after_eol=bool(
                feasible and not rehost[k] and breakdown.late_quarters[k] > 0),
            contract_end=C.last_day_before(cend) if ct is not None and not rehost[k] else None,
            notice_deadline=C.last_day_before(cend - int(notice[k])) if ct is not None and not rehost[k] else None,
            binding=binding,
        ))

    move_group_models = []
    for gi, g in enumerate(groups):
        move_group_models.append(MoveGroup(id=g.id, systems=g.systems, depends_on=tuple(sorted(D.pred[g.id])),
                                           quarter=int(gq[gi]) if feasible else None, reason=g.reason))
    waves = []
    if feasible:
        used_e = np.bincount(gq, weights=geig, minlength=H) / 10 if n_groups else np.zeros(H)
        used_f = np.bincount(gq, weights=gfre, minlength=H) / 10 if n_groups else np.zeros(H)
        n_g = np.bincount(gq, minlength=H) if n_groups else np.zeros(H, np.int64)
        n_s = np.bincount(quarter, minlength=H) if n else np.zeros(H, np.int64)
        for q in range(H):
            if n_g[q] == 0:
                continue
            e_cap, f_cap = caps[q]
            waves.append(Wave(quarter=q, label=label(q), start=quarter_start(scenario.start, q),
                              end=quarter_start(scenario.start, q + 1) - timedelta(days=1), groups=int(n_g[q]),
                              systems=int(n_s[q]), effort_eigen_pd=round(float(used_e[q]), 1),
                              effort_fremd_pd=round(float(used_f[q]), 1), capacity_eigen_pd=float(e_cap),
                              capacity_fremd_pd=float(f_cap)))

    vm_inputs = []
    for inst in mapping.instances:
        v, r, st = inst_size[inst.id]
        vm_inputs.append((inst.id, inst.spec.domain, where[inst.id], v, r, st, inst.schutzbedarf.value, inst.spec.vms))
    vms = planned_vms(vm_inputs, scenario.data_centres)
    vms_per_dc: dict[str, int] = {}
    for vm in vms:
        vms_per_dc[vm.data_centre] = vms_per_dc.get(vm.data_centre, 0) + 1
    tenants = tenant_networks(home_dc, scenario.data_centres, vms_per_dc)
    deps = sorted((dd.source, dd.target, dd.kind.value, dd.standard) for dd in landscape.dependencies())
    deps = [x for x in deps if dec[x[0]].decision != "out_of_scope" and dec[x[1]].decision != "out_of_scope"]
    target_of = {sid: d.target for sid, d in dec.items()}
    in_dc = {sid: d.decision == "migrate" for sid, d in dec.items()}
    tenant_targets = sorted({(d.org, d.target, inst_by_id[d.target].spec.port) for d in dec.values()
                             if d.target is not None and d.decision == "migrate"})
    flow_models = flows(deps, target_of=target_of, in_dc=in_dc, owner=owner, tenant_targets=tenant_targets)

    used: dict[str, list[float]] = {}
    for u in units:
        acc = used.setdefault(where[u.id], [0, 0, 0.0])
        acc[0] += u.vcpu
        acc[1] += u.ram_gb
        acc[2] += u.storage_gb / 1000
    data_centres = []
    for d in sorted(scenario.data_centres, key=lambda d: d.id):
        acc = used.get(d.id, [0, 0, 0.0])
        data_centres.append(DataCentre(
            id=d.id, name=d.name, certifications=d.certifications, redundancy=d.redundancy,
            allows_sehr_hoch=d.allows_sehr_hoch, capacity_vcpu=d.capacity.vcpu, capacity_ram_gb=d.capacity.ram_gb,
            capacity_storage_tb=d.capacity.storage_tb, used_vcpu=int(acc[0]), used_ram_gb=int(acc[1]),
            used_storage_tb=round(acc[2], 3), supernet=d.supernet))
    targets = []
    for inst in mapping.instances:
        v, r, st = inst_size[inst.id]
        targets.append(TargetInstance(
            id=inst.id, domain=inst.spec.domain, product=inst.spec.product, product_name=inst.spec.name,
            category=inst.spec.category, data_centre=where[inst.id], vcpu=v, ram_gb=r, storage_gb=st,
            schutzbedarf=inst.schutzbedarf, tenants=inst.tenants, onboarding_per_quarter=inst.spec.onboarding_per_quarter,
            annual_run_cost=C.money(float(inst.spec.annual_run_cost) + dc_cost[inst.id]
                                    + float(inst.spec.run_cost_per_tenant) * len(inst.tenants)),
        ))
    orgs = []
    for oid in org_ids:
        o = landscape.orgs[oid]
        orgs.append(PlanOrganisation(
            id=oid, name=o.name, kind=o.kind.value, ags=o.ags, district=o.district, district_name=o.district_name,
            participates=oid in mapping.participating, zweckverband_member=o.zweckverband.member,
            exit_date=o.zweckverband.exit_date, population=o.population.count if o.population else None))
    metrics = tuple(DomainMetrics(
        domain=m.domain, domain_name=m.domain_name, systems=m.systems, products_before=m.products_before,
        products_after=m.products_after, instances_before=m.instances_before, instances_after=m.instances_after,
        consolidation_ratio=m.consolidation_ratio, insellösungen_before=m.insel_before) for m in mapping.metrics)
    exceptions = tuple(ExceptionEntry(id=e.id, systems=mapping.exception_systems.get(e.id, ()), org=e.org,
                                      justification=e.justification, coordinated=e.coordinated)
                       for e in sorted(scenario.exceptions, key=lambda e: e.id))
    meta = PlanMeta(
        tool_version=_tool_version(), scenario_id=scenario.id, scenario_name=scenario.name,
        scenario_hash=scenario_hash(scenario), inventory_name=landscape.meta.name,
        inventory_hash=inventory_hash(landscape), synthetic=landscape.meta.synthetic or scenario.synthetic,
        start=scenario.start, horizon_quarters=H, discount_rate=scenario.costs.discount_rate,
    )
    solver_steps = (
        SolverStep(step="placement", solver="OR-Tools CP-SAT", status=placement.status,
                   objective=round(placement.objective, 2), best_bound=round(placement.best_bound, 2),
                   gap=0.0 if placement.objective <= 0 else round(
                       (placement.objective - placement.best_bound) / placement.objective, 6),
                   time_s=round(placement.time_s, 3) if record_timing else 0.0),
        sched_step,
    )
    return Plan(
        meta=meta, organisations=tuple(orgs), data_centres=tuple(data_centres), targets=tuple(targets),
        assignments=tuple(assignments), move_groups=tuple(move_group_models), waves=tuple(waves),
        blackouts=tuple(Blackout(id=b[0], domains=b[1], start=b[2], end=b[3], reason=b[4], quarters=b[5])
                        for b in blackouts),
        exceptions=exceptions, metrics=metrics, costs=costs, funding=tuple(funding), solver=solver_steps,
        feasible=feasible, conflicts=tuple(conflicts), tenant_networks=tuple(tenants), flows=tuple(flow_models),
        vms=tuple(vms),
    )


def _funding(scenario: Scenario, dec, order: list[str], quarter: np.ndarray, live: dict[str, int],
             label: Callable[[int], str]) -> list[FundingRelease]:
    """Money released per delivered milestone, in the quarter it is delivered."""
    out: list[FundingRelease] = []
    year_of = lambda q: quarter_start(scenario.start, q).year
    org_last: dict[str, int] = {}
    dom_last: dict[str, int] = {}
    per_org_q: dict[tuple[str, int], int] = {}
    for k, sid in enumerate(order):
        q = int(quarter[k])
        d = dec[sid]
        org_last[d.org] = max(org_last.get(d.org, 0), q)
        dom_last[d.domain] = max(dom_last.get(d.domain, 0), q)
        per_org_q[d.org, q] = per_org_q.get((d.org, q), 0) + 1
    for rule in scenario.funding:
        amt = rule.amount
        if rule.milestone == "target_live":
            for t, q in sorted(live.items()):
                out.append(FundingRelease(year=year_of(q), quarter=q, milestone=f"live.{t[2:]}",
                                          description=rule.description or f"{t} in Betrieb ({label(q)})", amount=amt))
        elif rule.milestone == "org_complete":
            for o, q in sorted(org_last.items()):
                out.append(FundingRelease(year=year_of(q), quarter=q, milestone=f"abschluss.{o}", org=o,
                                          description=rule.description or f"{o}: alle Systeme migriert ({label(q)})",
                                          amount=amt))
        elif rule.milestone == "domain_complete":
            for dom, q in sorted(dom_last.items()):
                out.append(FundingRelease(year=year_of(q), quarter=q, milestone=f"domaene.{dom}",
                                          description=rule.description or f"{dom}: vollständig migriert ({label(q)})",
                                          amount=amt))
        else:
            for (o, q), cnt in sorted(per_org_q.items()):
                out.append(FundingRelease(year=year_of(q), quarter=q, milestone=f"migriert.{o}.q{q}", org=o,
                                          description=rule.description or f"{o}: {cnt} System(e) migriert ({label(q)})",
                                          amount=C.money(float(amt) * cnt)))
    out.sort(key=lambda f: (f.quarter, f.milestone))
    return out



