"""The planner: ``plan(landscape, scenario) -> Plan``, a pure function.

It runs the steps in order — :mod:`~consolidation.targets` (mapping),
:mod:`~consolidation.graph` (move groups, precedence), :mod:`~consolidation.placement`
(data centres, CP-SAT), :mod:`~consolidation.waves` (quarters, CP-SAT),
:mod:`~consolidation.costs` (TCO, NPV, funding), :mod:`~consolidation.explain` (binding
constraints) and :mod:`~consolidation.network` (tenant networks, flows, VMs) — and
assembles the :class:`~plan.models.Plan`. Same input → byte-identical plan JSON
(sorted collections, seeded single-thread or interleaved solver, deterministic time limits).

>>> from consolidation._examples import tiny_landscape, tiny_scenario
>>> p = plan(tiny_landscape(), tiny_scenario())
>>> [(a.system, a.decision, a.target, a.quarter) for a in p.assignments]
[('a.iam', 'migrate', None, 0), ('a.mail', 'migrate', 't.e-mail', 1), ('b.iam', 'migrate', None, 0), ('b.mail', 'migrate', 't.e-mail', 0)]
"""

from __future__ import annotations

import functools
import gc
import hashlib
import math
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from common.types import Betriebsart
from inventory.models import Landscape
from plan.calendar import quarter_label, quarter_start
from plan.models import (
    RISK_CATEGORIES,
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

from . import costs as C
from ._construct import builder
from ._worker import Worker, preload
from .assumptions import assumption_register
from .explain import binding_constraints
from .graph import condense, dependency_arrays
from .network import flows, planned_vms, tenant_networks
from .placement import Unit, place
from .scenario import Scenario, scenario_hash, start_on_or_after
from .targets import TargetMapping, heterogeneity, map_targets, migration_effort, schutzbedarf_maximum
from .waves import ScheduleInfeasibleError, ScheduleProblem, schedule

__all__ = ["inventory_hash", "plan"]

Progress = Callable[[str], None]

_FROZEN_AT_IMPORT = gc.get_freeze_count()
"""Objects in the collector's permanent generation before anyone froze any (CPython 3.12: 375 tuples)."""


def _tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("landkarte")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0+unknown"


def inventory_hash(landscape: Landscape) -> str:
    """sha256 over the inventory's canonical JSON (``landscape.model_dump_json()``).

    The JSON is fed to the hash one organisation at a time: at Germany scale the whole
    document is over half a gigabyte.

    >>> from consolidation._examples import tiny_landscape
    >>> L = tiny_landscape()
    >>> inventory_hash(L) == hashlib.sha256(L.model_dump_json().encode("utf-8")).hexdigest()
    True
    """
    h = hashlib.sha256()
    marker = '"organisations":[]'
    shell = landscape.model_copy(update={"organisations": ()}).model_dump_json()
    if shell.count(marker) != 1:  # pragma: no cover - an organisation-free part that looks the same
        h.update(landscape.model_dump_json().encode("utf-8"))
        return h.hexdigest()
    head, tail = shell.split(marker)
    h.update(f'{head}"organisations":['.encode())
    for k, inv in enumerate(landscape.organisations):
        if k:
            h.update(b",")
        h.update(inv.__pydantic_serializer__.to_json(inv))  # model_dump_json() without the str round trip
    h.update(f"]{tail}".encode())
    return h.hexdigest()


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
         record_timing: bool = False, as_of: date | None = None) -> Plan:
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
    as_of : date, optional
        The day the plan is made: the plan starts at the first quarter that begins on or after it
        (:func:`~consolidation.scenario.start_on_or_after`), so it never schedules the past; the
        plan records the day in ``meta.as_of``.

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
    consolidation._worker.WorkerError
        The worker process for the solver steps died (e.g. killed when out of memory).

    Notes
    -----
    The cyclic garbage collector is paused while the planner runs (and restored afterwards):
    the planner allocates millions of acyclic objects next to a landscape of millions more, and
    every full collection walks all of them — seconds per collection at Germany scale, for
    nothing to collect. Reference counting still frees everything as usual.
    """
    if as_of is not None:
        scenario = start_on_or_after(scenario, as_of)
    with _collector_paused(), ThreadPoolExecutor(max_workers=2) as background, ExitStack() as stack:
        return _plan(landscape, scenario, progress=progress, record_timing=record_timing, background=background,
                     stack=stack, as_of=as_of)


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() <= _FROZEN_AT_IMPORT:
            # hand the objects made meanwhile to the oldest generation without a collection;
            # otherwise the first young collection afterwards walks the whole plan: 1 s at Germany
            # scale. Skipped when the program has frozen objects itself (unfreezing would release
            # them); the few hundred tuples CPython 3.12 keeps there from its start move along.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _plan(landscape: Landscape, scenario: Scenario, *, progress: Progress | None, record_timing: bool,
          background: ThreadPoolExecutor, stack: ExitStack, as_of: date | None = None) -> Plan:
    step = progress or (lambda _s: None)
    H = scenario.horizon_quarters
    start_m = C.month_index(scenario.start)
    labels = [quarter_label(scenario.start, q) for q in range(H)]
    label = lambda q: labels[q] if 0 <= q < H else quarter_label(scenario.start, q)

    step("Zielzuordnung")
    mapping = map_targets(landscape, scenario)
    dec = mapping.decisions
    systems = landscape.systems
    owner = landscape.owner
    org_ids = sorted(landscape.orgs)
    org_ix = {o: i for i, o in enumerate(org_ids)}
    migrating = [s for s, d in dec.items() if d.decision == "migrate"]

    step("Abhängigkeitsgraph")
    # the placement (a CP-SAT solve) and the schedule run beside the planner's other steps: in a
    # worker process for large landscapes (see solver.process_min_groups), else in a thread. There
    # are at most as many move groups as migrating systems: a worker that may be needed starts now
    # and imports the solver modules while the graph is built.
    worker = None
    if len(migrating) >= scenario.solver.process_min_groups:
        try:
            worker = stack.enter_context(Worker())
        except OSError as exc:  # e.g. a process limit: the same plan, in a thread (slower)
            warnings.warn(f"no worker process ({exc}); solving in a thread of this process", RuntimeWarning,
                          stacklevel=3)
        else:
            worker.submit(preload, "consolidation.placement", "consolidation.waves", "consolidation.explain")
    # array form of dependency_graph → move_groups → group_dag (same groups and edges)
    cond = condense(dependency_arrays(landscape, systems=migrating), tight=scenario.scheduling.tight_coupling)
    groups = cond.groups
    n_groups = len(groups)

    step("Platzierung")
    inst_by_id = {i.id: i for i in mapping.instances}
    units, inst_size, rehost_size = _placement_units(landscape, mapping, migrating)
    elsewhere: Worker | ThreadPoolExecutor = background
    if worker is not None and n_groups >= scenario.solver.process_min_groups:
        elsewhere = worker
    elif worker is not None:  # fewer groups than systems: not needed after all
        worker.shutdown(wait=False)
    placed = elsewhere.submit(place, units, scenario.data_centres, seed=scenario.solver.seed,
                              workers=scenario.solver.workers, time_limit_s=scenario.solver.time_limit_s)
    dc_spec = {d.id: d for d in scenario.data_centres}

    step("Kosten je Quartal")
    # systems in group order (each group's systems are sorted), so group rows are contiguous
    order = [s for g in groups for s in g.systems]
    n = len(order)
    sizes = np.fromiter((len(g.systems) for g in groups), np.int64, n_groups)
    sys_group = np.repeat(np.arange(n_groups, dtype=np.int64), sizes)
    starts = np.cumsum(sizes) - sizes
    c = scenario.costs
    default_annual = float(c.legacy_annual_cost_default)
    exits = {o: org.zweckverband.exit_date for o, org in landscape.orgs.items()
             if org.zweckverband.exit_date is not None and o not in scenario.organisations.continue_after_exit}
    target_ids = tuple(i.id for i in mapping.instances)
    t_ix = {t: i for i, t in enumerate(target_ids)}
    annual = [0.0] * n
    has_c = [False] * n
    end_next = [-1] * n
    notice = [0] * n
    renewal = [0] * n
    eol_q = [C.NO_EOL] * n
    rehost = [False] * n
    eig = [0.0] * n
    fre = [0.0] * n
    eigen_run = [False] * n
    sys_org = [0] * n
    sys_target = [-1] * n
    sys_domain: list[str] = [""] * n
    month_after = functools.cache(lambda day: C.month_index(day + timedelta(days=1)))
    quarter_of_end = functools.cache(lambda day: scenario.quarter_of(day + timedelta(days=1)) - 1)
    efforts: dict[tuple[int, str, bool], tuple[float, float]] = {}  # depends on users, complexity, same product
    hosts = landscape.hosts
    eigen = Betriebsart.EIGENLEISTUNG
    for k, sid in enumerate(order):
        s = systems[sid]
        d = dec[sid]
        sys_org[k] = org_ix[d.org]
        sys_domain[k] = d.domain
        eigen_run[k] = s.betriebsart == eigen
        ct = s.contract
        if ct is not None:
            annual[k] = float(ct.annual_cost)
            has_c[k] = True
            notice[k] = ct.notice_months
            renewal[k] = ct.renewal_months
            if ct.end is not None:
                end_next[k] = month_after(ct.end)
        else:
            annual[k] = default_annual
        eol = s.end_of_life
        if d.target is None:
            rehost[k] = True
            h = hosts.get(s.hosting.host) if s.hosting.host else None
            eol = h.os.end_of_life if h is not None else None
        else:
            sys_target[k] = t_ix[d.target]
        if eol is not None:
            eol_q[k] = quarter_of_end(eol)
        key = (s.users, s.complexity, d.same_product)
        e = efforts.get(key)
        if e is None:
            e = efforts[key] = migration_effort(s, scenario, same_product=d.same_product)
        eig[k], fre[k] = e
    sa = C.SystemArrays(ids=tuple(order), org=np.array(sys_org, np.int64), group=sys_group,
                        annual=np.array(annual, float), has_contract=np.array(has_c, bool),
                        end_next=np.array(end_next, np.int64), notice=np.array(notice, np.int64),
                        renewal=np.array(renewal, np.int64), eol_q=np.array(eol_q, np.int64),
                        rehost=np.array(rehost, bool), eigen_pd=np.array(eig, float), fremd_pd=np.array(fre, float),
                        eigen_run=np.array(eigen_run, bool))
    sys_org_a, sys_target_a, rehost_a, eol_q_a = sa.org, np.array(sys_target, np.int64), sa.rehost, sa.eol_q
    table = C.cost_table(sa, scenario)
    gcost = np.add.reduceat(table, starts, axis=0) if n else np.zeros((0, H), np.int64)
    del table
    geig = np.rint(np.add.reduceat(sa.eigen_pd * 10, starts)).astype(np.int64) if n else np.zeros(0, np.int64)
    gfre = np.rint(np.add.reduceat(sa.fremd_pd * 10, starts)).astype(np.int64) if n else np.zeros(0, np.int64)

    step("Wellenplanung")
    release = np.zeros(n_groups, np.int64)
    release_reason = ["start"] * n_groups
    deadline = np.full(n_groups, H - 1, np.int64)
    deadline_reason = ["horizon"] * n_groups
    ob_cap = np.array([inst_by_id[t].spec.onboarding_per_quarter for t in target_ids], np.int64)
    blackouts = _blackout_quarters(scenario)
    win_by_domain: dict[str, set[int]] = {}
    for w, b in enumerate(blackouts):
        for dom in b[1]:
            win_by_domain.setdefault(dom, set()).add(w)
    if win_by_domain:
        dom_windows = {dom: tuple(sorted(ws)) for dom, ws in win_by_domain.items()}
        sys_windows = [dom_windows.get(dom, ()) for dom in sys_domain]
        group_windows = [sys_windows[a] if b - a == 1 else tuple(sorted(set().union(*sys_windows[a:b])))
                         for a, b in zip(starts.tolist(), (starts + sizes).tolist())]
    else:
        group_windows = [()] * n_groups
    # release: the latest availability of a target the group moves onto (first such target names it)
    t_release = [scenario.quarter_of(i.spec.available_from) if i.spec.available_from is not None else 0
                 for i in mapping.instances]
    for k in np.flatnonzero(sys_target_a >= 0).tolist():
        t = sys_target[k]
        gi = int(sys_group[k])
        if t_release[t] > release[gi]:
            release[gi] = t_release[t]
            release_reason[gi] = target_ids[t]
    # deadline: an organisation's exit, then (hard EOL) the earliest end of life
    if exits:
        exit_q = {o: scenario.quarter_of(day + timedelta(days=1)) - 1 for o, day in exits.items()}
        exit_by_ix = {org_ix[o]: (q, f"exit:{o}") for o, q in exit_q.items()}
        for k, o in enumerate(sys_org):
            if o in exit_by_ix:
                q, why = exit_by_ix[o]
                gi = int(sys_group[k])
                if q < deadline[gi]:
                    deadline[gi], deadline_reason[gi] = q, why
    if scenario.scheduling.eol == "hard" and n:
        g_eol = np.minimum.reduceat(np.where(rehost_a, C.NO_EOL, eol_q_a), starts)
        for gi in np.flatnonzero(g_eol < deadline).tolist():
            deadline[gi], deadline_reason[gi] = g_eol[gi], f"eol:{groups[gi].id}"
    caps = [scenario.capacity(q) for q in range(H)]
    n_t = max(len(target_ids), 1)
    with_target = sys_target_a >= 0
    ob_key, ob_count = np.unique(sys_group[with_target] * n_t + sys_target_a[with_target], return_counts=True)
    problem = ScheduleProblem(
        horizon=H, groups=tuple(g.id for g in groups), eigen=geig, fremd=gfre, release=release,
        release_reason=tuple(release_reason), deadline=deadline, deadline_reason=tuple(deadline_reason),
        cost=gcost, cap_eigen=np.array([round(e * 10) for e, _ in caps], np.int64),
        cap_fremd=np.array([round(f * 10) for _, f in caps], np.int64), edges=cond.edges,
        lag=scenario.scheduling.precedence_lag_quarters,
        windows=tuple((b[0], b[5]) for b in blackouts), group_windows=tuple(group_windows), targets=target_ids,
        ob_cap=ob_cap, ob_group=(ob_key // n_t).astype(np.int64), ob_target=(ob_key % n_t).astype(np.int64),
        ob_count=ob_count.astype(np.int64), target_kind=tuple(inst_by_id[t].spec.domain for t in target_ids),
    )
    sv = scenario.solver
    feasible = True
    conflicts: list[Conflict] = []
    settings = sv.model_dump(exclude={"process_min_groups"})  # the others are schedule()'s keywords
    # the explanations read the problem too: a worker gets it once
    problem_there = elsewhere.keep(problem) if isinstance(elsewhere, Worker) else problem
    scheduled = elsewhere.submit(schedule, problem_there, **settings)

    # beside the schedule: what does not depend on it
    inv_hash = inventory_hash(landscape)
    domain_metrics = heterogeneity(landscape, scenario, mapping)
    placement = placed.result()
    where = placement.where
    home_dc = {u.id[5:]: where[u.id] for u in units if u.tenant}
    data_centres = _data_centres(scenario, units, where)
    orgs = _organisations(landscape, org_ids, mapping.participating, scenario.organisations.continue_after_exit)
    outside = {sid for sid, d in dec.items() if d.decision == "out_of_scope"}
    deps = ((dd.source, dd.target, dd.kind, dd.standard) for dd in landscape.dependencies()  # kind: a StrEnum
            if dd.source not in outside and dd.target not in outside)
    target_of = {sid: d.target for sid, d in dec.items() if d.target is not None}
    in_dc = {sid: d.decision == "migrate" for sid, d in dec.items()}
    tenant_targets = sorted({(d.org, d.target, inst_by_id[d.target].spec.port) for d in dec.values()
                             if d.target is not None and d.decision == "migrate"})
    flow_models = flows(deps, target_of=target_of, in_dc=in_dc, owner=owner, tenant_targets=tenant_targets)
    del outside, target_of, in_dc, tenant_targets
    vm_inputs = []
    for inst in mapping.instances:
        v, r, st = inst_size[inst.id]
        vm_inputs.append((inst.id, inst.spec.domain, where[inst.id], v, r, st, inst.schutzbedarf.value, inst.spec.vms))
    vms = planned_vms(vm_inputs, scenario.data_centres)
    vms_per_dc: dict[str, int] = {}
    for vm in vms:
        vms_per_dc[vm.data_centre] = vms_per_dc.get(vm.data_centre, 0) + 1
    tenants = tenant_networks(home_dc, scenario.data_centres, vms_per_dc)
    staying = sorted(s for s, d in dec.items() if d.decision in ("exception", "stay"))
    st_annual = np.array([float(systems[s].contract.annual_cost) if systems[s].contract else default_annual
                          for s in staying])
    st_eigen = np.array([systems[s].betriebsart.value == "Eigenleistung" for s in staying], bool)
    st_org = np.array([org_ix[dec[s].org] for s in staying], np.int64)
    st_eol = np.array([scenario.quarter_of(systems[s].end_of_life + timedelta(days=1)) - 1
                       if systems[s].end_of_life else C.NO_EOL for s in staying], np.int64)
    standing = C.standing_lines(sa, scenario, n_orgs=len(org_ids), staying_annual=st_annual, staying_eigen=st_eigen,
                                staying_org=st_org, staying_eol=st_eol)
    del st_annual, st_eigen, st_org, st_eol
    years = tuple(range(scenario.start.year, scenario.start.year + scenario.horizon_years))
    cost_line = builder(CostLine)
    payer = C.payer_rule(scenario, [landscape.orgs[o].kind.value for o in org_ids])
    sq_lines, sq_total, _, _ = _scenario_lines(standing, "status_quo", years, org_ids, cost_line, payer)
    # the assignments in system id order: finished where they do not migrate, else the values
    # that do not depend on the schedule
    sb_max = schutzbedarf_maximum()
    money = functools.cache(C.money)  # one-off costs: few distinct amounts
    binding = builder(BindingConstraint)
    binding_of = functools.cache(lambda kind, detail, related: binding(kind=kind, detail=detail, related=related))
    assignment = builder(Assignment)
    prepared: list[Assignment | tuple] = []
    exc_entries = {e.id: e for e in scenario.exceptions}
    pos = {sid: k for k, sid in enumerate(order)}
    group_l = sys_group.tolist()
    one_e, one_f = C.one_off_costs(sa, scenario)
    one_off_l = (one_e + one_f).tolist()
    group_ids = [g.id for g in groups]
    dc_of_target = {t: where[t] for t in target_ids}
    for sid in sorted(dec):
        d = dec[sid]
        s = systems[sid]
        if d.decision != "migrate":
            if d.decision == "out_of_scope":
                b = binding_of("out_of_scope", f"{d.org} nimmt an diesem Szenario nicht teil", d.org)
            elif d.decision == "exception":
                e = exc_entries[d.exception]
                b = binding_of("exception", f"Einzelmaßnahme: {e.justification}", e.id)
            else:
                b = binding_of("stay", f"kein Standardziel für {d.domain}; bleibt am Ort", None)
            prepared.append(assignment(system=sid, org=d.org, domain=d.domain, product_before=s.product,
                                       schutzbedarf=sb_max(s.schutzbedarf), end_of_life=s.end_of_life,
                                       decision=d.decision, binding=b))
            continue
        k = pos[sid]
        prepared.append((k, sid, d.org, d.domain, s.product, d.target,
                         dc_of_target[d.target] if d.target is not None else home_dc[d.org], group_ids[group_l[k]],
                         money(one_off_l[k]), s.end_of_life, sb_max(s.schutzbedarf)))
    del pos, one_off_l
    preds: list[list[int]] = [[] for _ in range(n_groups)]
    for pr, su in cond.edges.tolist():  # sorted by predecessor: each list comes out sorted
        preds[su].append(pr)
    depends_on = [tuple(group_ids[p] for p in ps) for ps in preds]
    del preds

    try:
        result = scheduled.result()
        gq = result.quarter
        sched_step = SolverStep(step="schedule", solver=result.method, status=result.status,
                                objective=result.objective, best_bound=result.best_bound, gap=result.gap,
                                time_s=round(result.time_s, 3) if record_timing else 0.0,
                                subproblems=result.subproblems,
                                baseline_objective=result.baseline_objective)
        explained = elsewhere.submit(binding_constraints, problem_there, gq,
                                     label=functools.partial(quarter_label, scenario.start))
    except ScheduleInfeasibleError as exc:
        feasible = False
        conflicts = [Conflict(constraints=names, explanation=text) for names, text in exc.conflicts]
        gq = np.zeros(n_groups, np.int64)
        sched_step = SolverStep(step="schedule", solver="OR-Tools CP-SAT", status="INFEASIBLE", time_s=0.0)
    elsewhere.shutdown(wait=False)  # a worker process ends by itself after the explanations
    quarter = gq[sys_group] if n else np.zeros(0, np.int64)

    step("Kosten und Förderung")
    # target go-live: first quarter a system moves onto it (per target, and per target and tenant)
    t_sys, q_sys, o_sys = sys_target_a[with_target], quarter[with_target], sys_org_a[with_target]
    t_first = np.full(len(target_ids), H, np.int64)
    np.minimum.at(t_first, t_sys, q_sys)
    live = {target_ids[t]: int(q) for t, q in enumerate(t_first.tolist()) if q < H}
    n_o = max(len(org_ids), 1)
    tenant_key, tenant_inv = np.unique(t_sys * n_o + o_sys, return_inverse=True)
    tenant_first = np.full(len(tenant_key), H, np.int64)
    np.minimum.at(tenant_first, tenant_inv.reshape(-1), q_sys)
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
    for key, q in zip(tenant_key.tolist(), tenant_first.tolist()):  # (target, org) order
        sp = mapping.instances[key // n_o].spec
        runs.append((key % n_o, start_m + 3 * q, float(sp.run_cost_per_tenant), sp.betriebsart.value == "Eigenleistung"))
    rehost_cost = np.zeros(n)
    rk = np.flatnonzero(rehost_a)
    if len(rk):
        size = np.array([rehost_size[order[k]] for k in rk.tolist()], float).reshape(-1, 3)
        rate_of = {o: dc_spec[dc] for o, dc in home_dc.items()}
        per_org = np.zeros((len(org_ids), 3))
        for o, dcs in rate_of.items():
            per_org[org_ix[o]] = (float(dcs.cost_per_vcpu_year), float(dcs.cost_per_gb_ram_year),
                                  float(dcs.cost_per_tb_year))
        rate = per_org[sys_org_a[rk]]
        rehost_cost[rk] = size[:, 0] * rate[:, 0] + size[:, 1] * rate[:, 1] + size[:, 2] / 1000 * rate[:, 2]
    lines_raw, breakdown = C.tco(sa, quarter, scenario, n_orgs=len(org_ids), standing=standing, target_runs=runs,
                                 rehost_hosting=rehost_cost)
    del standing
    rate = float(scenario.costs.discount_rate)
    plan_lines, plan_total, eig_total, fre_total = _scenario_lines(lines_raw, "plan", years, org_ids, cost_line,
                                                                   payer)
    cost_lines = plan_lines + sq_lines  # in (scenario, year, org, category, betriebsart) order
    del lines_raw, plan_lines, sq_lines
    npv_sq, npv_plan = C.npv(sq_total, rate), C.npv(plan_total, rate)
    # The sums a reader can check are the sums of the lines as written (to the cent), not of the floats.
    sums: dict[tuple[str, str], Decimal] = {}
    for ln in cost_lines:
        k = (ln.scenario, "migration" if ln.category == "migration" else ln.kind)
        sums[k] = sums.get(k, Decimal(0)) + ln.amount
    zero = Decimal("0.00")
    costs = CostSummary(
        years=years,
        tco_status_quo=sums.get(("status_quo", "cash"), zero) + sums.get(("status_quo", "migration"), zero),
        tco_plan=sums.get(("plan", "cash"), zero) + sums.get(("plan", "migration"), zero),
        one_off=sums.get(("plan", "migration"), zero), npv_status_quo=C.money(npv_sq), npv_plan=C.money(npv_plan),
        npv_savings=Decimal(str(round(npv_sq - npv_plan, 2))), eigen_total=C.money(eig_total),
        fremd_total=C.money(fre_total), risk_status_quo=sums.get(("status_quo", "risk"), zero),
        risk_plan=sums.get(("plan", "risk"), zero), lines=tuple(cost_lines),
    )
    funding = _funding(scenario, org_ids, sys_org_a, sys_domain, quarter, live, label) if feasible else []

    step("Erklärungen und Netze")
    last_day = functools.cache(C.last_day_before)
    cend_l = breakdown.contract_end.tolist()
    # the first system of each group whose legacy contract ends with the cut-over
    cand = np.where(sa.has_contract & ~rehost_a, np.arange(n), n)
    first = np.minimum.reduceat(cand, starts).tolist() if n else []
    notes: list[str | None] = [None] * n_groups
    for gi, k in enumerate(first):
        if k < n:
            notes[gi] = (f"Vertrag von {order[k]} endet {last_day(cend_l[k]).isoformat()}, "
                         f"Kündigung bis {last_day(cend_l[k] - notice[k]).isoformat()}")
    if feasible:  # one model per distinct binding; a binding contract names its contract
        group_binding = [binding_of("contract", notes[gi], None) if kind == "contract" and notes[gi] is not None
                         else binding_of(kind, detail, related)
                         for gi, (kind, detail, related) in enumerate(explained.result())]
    else:
        group_binding = [binding_of("capacity", "kein zulässiger Plan: siehe conflicts", None)] * n_groups
    del notes

    assignments = []
    q_l = quarter.tolist()
    late_l = breakdown.late_quarters.tolist()
    for item in prepared:
        if item.__class__ is tuple:
            k, sid, org, dom, product, target, dc, mg, one_off, eol, sb = item
            q = q_l[k] if feasible else None
            with_contract = has_c[k] and not rehost[k]
            item = assignment(
                system=sid, org=org, domain=dom, product_before=product, decision="migrate", target=target,
                data_centre=dc, move_group=mg, quarter=q, quarter_label=labels[q] if q is not None else None,
                effort_eigen_pd=eig[k], effort_fremd_pd=fre[k], one_off_cost=one_off, end_of_life=eol,
                migrated_after_eol=bool(feasible and not rehost[k] and late_l[k] > 0),
                contract_end=last_day(cend_l[k]) if with_contract else None,
                notice_deadline=last_day(cend_l[k] - notice[k]) if with_contract else None,
                schutzbedarf=sb, binding=group_binding[group_l[k]],
            )
        assignments.append(item)
    del prepared, group_binding

    move_group = builder(MoveGroup)
    gq_l = gq.tolist()
    move_group_models = tuple(
        move_group(id=g.id, systems=g.systems, depends_on=depends_on[gi],
                   quarter=gq_l[gi] if feasible else None, reason=g.reason)
        for gi, g in enumerate(groups))
    del depends_on
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
    metrics = tuple(DomainMetrics(
        domain=m.domain, domain_name=m.domain_name, systems=m.systems, products_before=m.products_before,
        products_after=m.products_after, instances_before=m.instances_before, instances_after=m.instances_after,
        consolidation_ratio=m.consolidation_ratio, inselloesungen_before=m.inselloesungen_before) for m in domain_metrics)
    exceptions = tuple(ExceptionEntry(id=e.id, systems=mapping.exception_systems.get(e.id, ()), org=e.org,
                                      justification=e.justification, coordinated=e.coordinated)
                       for e in sorted(scenario.exceptions, key=lambda e: e.id))
    meta = PlanMeta(
        tool_version=_tool_version(), scenario_id=scenario.id, scenario_name=scenario.name,
        scenario_hash=scenario_hash(scenario), inventory_name=landscape.meta.name,
        inventory_hash=inv_hash, synthetic=landscape.meta.synthetic or scenario.synthetic,
        start=scenario.start, horizon_quarters=H, discount_rate=scenario.costs.discount_rate,
        eol_rule=scenario.scheduling.eol, as_of=as_of,
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
        meta=meta, organisations=orgs, data_centres=data_centres, targets=tuple(targets),
        assignments=tuple(assignments), move_groups=tuple(move_group_models), waves=tuple(waves),
        blackouts=tuple(Blackout(id=b[0], domains=b[1], start=b[2], end=b[3], reason=b[4], quarters=b[5])
                        for b in blackouts),
        exceptions=exceptions, metrics=metrics, costs=costs, funding=tuple(funding), solver=solver_steps,
        feasible=feasible, conflicts=tuple(conflicts), tenant_networks=tuple(tenants), flows=tuple(flow_models),
        vms=tuple(vms), assumptions=assumption_register(scenario),
    )


def _placement_units(landscape: Landscape, mapping: TargetMapping, migrating: list[str]
                     ) -> tuple[list[Unit], dict[str, tuple[int, int, int]], dict[str, tuple[int, int, int]]]:
    """What the data centres must hold: each target instance, sized by its users and data, and
    per organisation its home (tenant network plus the workloads it rehosts unchanged).

    Returns (units, size per target instance, size per rehosted system), sizes as (vCPU, RAM GB, storage GB).
    """
    dec, systems, hosts = mapping.decisions, landscape.systems, landscape.hosts
    units = []
    inst_size: dict[str, tuple[int, int, int]] = {}
    for inst in mapping.instances:
        sp = inst.spec
        k = inst.users / 1000
        size = (sp.vcpu + math.ceil(k * sp.vcpu_per_1000_users), sp.ram_gb + math.ceil(k * sp.ram_gb_per_1000_users),
                sp.storage_gb + inst.data_gb)
        inst_size[inst.id] = size
        units.append(Unit(inst.id, *size, inst.schutzbedarf.value))
    home_load: dict[str, list[int]] = {}
    home_sb: dict[str, int] = {}
    rehost_size: dict[str, tuple[int, int, int]] = {}
    sb_max = schutzbedarf_maximum()
    for sid in migrating:
        d = dec[sid]
        load = home_load.get(d.org)
        if load is None:
            load = home_load[d.org] = [0, 0, 0, 0]
        if d.target is None:
            s = systems[sid]
            h = hosts.get(s.hosting.host) if s.hosting.host else None
            size = (h.size.vcpu, h.size.ram_gb, h.size.storage_gb) if h is not None and h.kind == "virtual" else (
                2, 8, max(50, s.data_gb * 2))
            rehost_size[sid] = size
            for k in range(3):
                load[k] += size[k]
            home_sb[d.org] = max(home_sb.get(d.org, 0), sb_max(s.schutzbedarf).rank)
    sb_name = {0: "normal", 1: "hoch", 2: "sehr hoch"}
    for org in sorted(home_load):
        v, r, st, _ = home_load[org]
        units.append(Unit(f"home.{org}", v, r, st, sb_name[home_sb.get(org, 0)], tenant=True))
    return units, inst_size, rehost_size


def _data_centres(scenario: Scenario, units: list[Unit], where: dict[str, str]) -> tuple[DataCentre, ...]:
    """The data centres (id order) with what the placed units use of them."""
    used: dict[str, list[float]] = {}
    for u in units:
        acc = used.setdefault(where[u.id], [0, 0, 0.0])
        acc[0] += u.vcpu
        acc[1] += u.ram_gb
        acc[2] += u.storage_gb / 1000
    out = []
    for d in sorted(scenario.data_centres, key=lambda d: d.id):
        acc = used.get(d.id, [0, 0, 0.0])
        out.append(DataCentre(
            id=d.id, name=d.name, certifications=d.certifications, redundancy=d.redundancy,
            allows_sehr_hoch=d.allows_sehr_hoch, capacity_vcpu=d.capacity.vcpu, capacity_ram_gb=d.capacity.ram_gb,
            capacity_storage_tb=d.capacity.storage_tb, used_vcpu=int(acc[0]), used_ram_gb=int(acc[1]),
            used_storage_tb=round(acc[2], 3), supernet=d.supernet))
    return tuple(out)


def _organisations(landscape: Landscape, org_ids: list[str], participating: frozenset[str],
                   continuing: tuple[str, ...] = ()) -> tuple[PlanOrganisation, ...]:
    """Every organisation of the inventory (id order), whether it takes part, its Zweckverband status."""
    out = []
    for oid in org_ids:
        o = landscape.orgs[oid]
        out.append(PlanOrganisation(
            id=oid, name=o.name, kind=o.kind.value, ags=o.ags, district=o.district, district_name=o.district_name,
            participates=oid in participating, zweckverband_member=o.zweckverband.member,
            exit_date=o.zweckverband.exit_date, continues_after_exit=oid in continuing,
            population=o.population.count if o.population else None))
    return tuple(out)


def _scenario_lines(lines: C.Lines, scen: str, years: tuple[int, ...], org_ids: list[str],
                    cost_line: Callable[..., CostLine], payer: Callable[[str, int], str | None]
                    ) -> tuple[list[CostLine], np.ndarray, float, float]:
    """One scenario's cost lines as models, and its cash totals: per year (for the NPV), Eigenleistung,
    Fremdleistung. ``payer(category, org index)`` says who pays a cash line (None: a risk line).

    The models come in (year, org, category, betriebsart) order: the lines sorted by (org
    index — shared lines, -1, first —, category, betriebsart), then year by year. The amounts
    are nearly all distinct: a cache of ``money`` would only cost memory.
    """
    money = C.money
    keys = sorted(k for k in lines if k[0] == scen)  # (scenario, category, org, betriebsart): the totals' order
    total = np.zeros(len(years))
    eig = fre = 0.0
    for key in keys:
        per_year = lines[key]
        if key[1] in RISK_CATEGORIES:
            continue
        total += per_year
        if key[3] == "Eigenleistung":
            eig += float(per_year.sum())
        else:
            fre += float(per_year.sum())
    tags = {t.value: t for t in Betriebsart}
    ks = sorted(keys, key=lambda k: (k[2], k[1], k[3]))
    per_year = np.array([lines[k] for k in ks]).reshape(len(ks), len(years))
    line_of = [(cat, None if o < 0 else org_ids[o], tags[tag], payer(cat, o)) for _, cat, o, tag in ks]
    out = []
    yy, kk = np.nonzero((per_year > 0.005).T)
    for y, k, amount in zip(yy.tolist(), kk.tolist(), per_year[kk, yy].tolist()):
        cat, org, tag, who = line_of[k]
        out.append(cost_line(year=years[y], org=org, scenario=scen, category=cat,
                             kind="cash" if who is not None else "risk", payer=who, betriebsart=tag,
                             amount=money(amount)))
    return out, total, eig, fre


def _funding(scenario: Scenario, org_ids: list[str], sys_org: np.ndarray, sys_domain: list[str],
             quarter: np.ndarray, live: dict[str, int], label: Callable[[int], str]) -> list[FundingRelease]:
    """Money released per delivered milestone, in the quarter it is delivered.

    ``sys_org`` (index into ``org_ids``), ``sys_domain`` and ``quarter`` describe the migrating systems.
    """
    out: list[FundingRelease] = []
    release = builder(FundingRelease)
    year_of = functools.cache(lambda q: quarter_start(scenario.start, q).year)
    n = len(quarter)
    q_top = int(quarter.max()) + 1 if n else 1
    org_last_a = np.full(len(org_ids), -1, np.int64)
    np.maximum.at(org_last_a, sys_org, quarter)
    org_last = [(org_ids[o], q) for o, q in enumerate(org_last_a.tolist()) if q >= 0]
    domains = sorted(set(sys_domain))
    d_ix = {d: i for i, d in enumerate(domains)}
    dom_last_a = np.full(len(domains), -1, np.int64)
    np.maximum.at(dom_last_a, np.array([d_ix[d] for d in sys_domain], np.int64).reshape(-1), quarter)
    dom_last = list(zip(domains, dom_last_a.tolist()))
    oq, counts = np.unique(sys_org * q_top + quarter, return_counts=True)
    per_org_q = [((org_ids[k // q_top], k % q_top), c) for k, c in zip(oq.tolist(), counts.tolist())]
    for rule in scenario.funding:
        amt = rule.amount
        if rule.milestone == "target_live":
            for t, q in sorted(live.items()):
                out.append(release(year=year_of(q), quarter=q, milestone=f"live.{t[2:]}",
                                   description=rule.description or f"{t} in Betrieb ({label(q)})", amount=amt))
        elif rule.milestone == "org_complete":
            for o, q in org_last:
                out.append(release(year=year_of(q), quarter=q, milestone=f"abschluss.{o}", org=o,
                                   description=rule.description or f"{o}: alle Systeme migriert ({label(q)})",
                                   amount=amt))
        elif rule.milestone == "domain_complete":
            for dom, q in dom_last:
                out.append(release(year=year_of(q), quarter=q, milestone=f"domaene.{dom}",
                                   description=rule.description or f"{dom}: vollständig migriert ({label(q)})",
                                   amount=amt))
        else:
            for (o, q), cnt in per_org_q:
                out.append(release(year=year_of(q), quarter=q, milestone=f"migriert.{o}.q{q}", org=o,
                                   description=rule.description or f"{o}: {cnt} System(e) migriert ({label(q)})",
                                   amount=C.money(float(amt) * cnt)))
    out.sort(key=lambda f: (f.quarter, f.milestone))
    return out

