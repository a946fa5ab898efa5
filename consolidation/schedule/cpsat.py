"""The CP-SAT model of the schedule, built in one place (:func:`build_model`) for solving a block
of groups and for explaining why no schedule exists (:mod:`consolidation.schedule.conflicts`).

Formulation: ``y[g, k]`` = "group g has moved by its k-th candidate quarter" (monotone in k,
the last one fixed true). A move in candidate k is ``y[g, k] - y[g, k-1]``. Precedence
becomes the implications ``y[s, q] → y[p, q - lag]`` — the strong (disaggregated)
time-indexed form, whose LP relaxation is much tighter than ``x[s] >= x[p] + lag``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from common.interrupt import run_stoppable

from .problem import Params, ScheduleProblem, schedule_cost

__all__ = ["BlockModel", "build_model", "candidates", "improve_by_windows", "lp_guided", "polish", "solve_block"]


def candidates(problem: ScheduleProblem, i: int, lo: int, hi: int, blocked: np.ndarray, window: int | None,
                hint: int | None) -> tuple[list[int], bool]:
    """Open quarters of group i in [lo, hi]; with ``window``, only those within ``window``
    quarters of the hint (plus the earliest). Returns (quarters, whether some were cut)."""
    top = min(problem.horizon - 1, int(problem.deadline[i]), hi)
    qs = [q for q in range(max(0, lo), top + 1) if not blocked[i, q]]
    if window is None or hint is None:
        return qs, False
    keep = [q for q in qs if abs(q - hint) <= window or q == qs[0]]
    return keep, len(keep) < len(qs)


@dataclass(eq=False)
class BlockModel:
    """The CP-SAT model of some groups and its variables (local group order)."""

    model: cp_model.CpModel
    quarters: list[list[int]]
    """Per group, its candidate quarters (ascending)."""
    moved_by: list[list]
    """Per group and candidate k, the literal "has moved by quarter ``quarters[g][k]``" (the last is true)."""
    start: list = field(default_factory=list)
    """Per group, its quarter as an integer variable (solving only)."""
    switches: dict[str, cp_model.IntVar] = field(default_factory=dict)
    """Per constraint family, the literal that switches it on (explaining only)."""
    families: dict[str, tuple[str, Params]] = field(default_factory=dict)
    """Per constraint family, what it requires as a reason (kind, params) (explaining only)."""


def build_model(problem: ScheduleProblem, idx: np.ndarray, quarters: list[list[int]], *, cap_e: np.ndarray,
                cap_f: np.ndarray, ob_cap: np.ndarray, hint: np.ndarray | None = None,
                switched: bool = False) -> BlockModel:
    """The one CP-SAT model of the schedule for the groups ``idx``: solving and explaining build it here.

    Parameters
    ----------
    problem : ScheduleProblem
    idx : int array
        The groups in the model (edges to groups outside are left out).
    quarters : list of list of int
        Per group of ``idx``, its candidate quarters (ascending, not empty).
    cap_e, cap_f : (H,) int
        Team capacity available to these groups.
    ob_cap : (T, H) int
        Onboarding capacity available to these groups.
    hint : int array, optional
        A schedule of ``idx`` to start the search from (solving).
    switched : bool
        Explaining: every constraint family (release, deadline, blackout window, team capacity,
        onboarding per target, dependency) holds only when its literal in ``switches`` is true;
        release, deadline and windows become constraints (the candidates are then every quarter),
        and there is no objective. Solving (default): the candidates carry release, deadline and
        windows, the capacity rows hold always and are repeated as ``cumulative`` resources over
        quarter intervals (stronger propagation), and the objective is the cost table.

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> p = example_problem(deadline=1)
    >>> b = build_model(p, np.arange(3), [list(range(4))] * 3, cap_e=p.cap_eigen, cap_f=p.cap_fremd,
    ...                 ob_cap=np.zeros((0, 4), np.int64), switched=True)
    >>> sorted(b.switches)
    ['abhaengigkeit:g.a>g.b', 'abhaengigkeit:g.b>g.c', 'frist:exit:x', 'kapazitaet:eigen']
    """
    # longer than 80 lines: one pass over the groups writes variables, rows and objective terms in
    # the order CP-SAT has always seen them (the solver's search, and so the plan, depends on it)
    H = problem.horizon
    m = cp_model.CpModel()
    out = BlockModel(m, [], [])
    true = m.NewConstant(1)
    members = idx.tolist()

    def family(name: str, kind: str, params: Params = ()) -> cp_model.IntVar:
        out.families.setdefault(name, (kind, params))
        if name not in out.switches:
            out.switches[name] = m.NewBoolVar(name)
        return out.switches[name]

    def holds(ct: cp_model.Constraint, name: str, kind: str, params: Params = ()) -> None:
        if switched:
            ct.OnlyEnforceIf(family(name, kind, params))

    obj_v: list = []
    obj_c: list[int] = []
    const = 0
    per_q_e: list[list] = [[] for _ in range(H)]
    per_q_f: list[list] = [[] for _ in range(H)]
    obs = problem.onboarding()
    per_tq: dict[tuple[int, int], list] = {}
    for k_g, g in enumerate(members):
        qs = quarters[k_g]
        y = [m.NewBoolVar("") for _ in qs[:-1]] + [true]
        for a, b in itertools.pairwise(y[:-1]):
            m.AddImplication(a, b)
        out.quarters.append(qs)
        out.moved_by.append(y)
        if switched:
            _switched_domain(problem, g, qs, y, m, holds)
        else:
            cost = [int(problem.cost[g, q]) for q in qs]
            const += cost[-1]
            for k in range(len(qs) - 1):
                if cost[k] != cost[k + 1]:
                    obj_v.append(y[k])
                    obj_c.append(cost[k] - cost[k + 1])
            # x = qs[0] + sum over k of (qs[k+1] - qs[k]) * (1 - y[k])
            x = m.NewIntVarFromDomain(cp_model.Domain.FromValues(qs), "")
            m.Add(x == qs[-1] - cp_model.LinearExpr.WeightedSum(y[:-1], [qs[k + 1] - qs[k] for k in range(len(qs) - 1)]))
            out.start.append(x)
        e, f = int(problem.eigen[g]), int(problem.fremd[g])
        for k, q in enumerate(qs):
            terms = [(y[k], 1)] + ([(y[k - 1], -1)] if k > 0 else [])
            if e:
                per_q_e[q].extend((v, c * e) for v, c in terms)
            if f:
                per_q_f[q].extend((v, c * f) for v, c in terms)
            for t, cnt in obs.get(g, ()):
                per_tq.setdefault((t, q), []).extend((v, c * cnt) for v, c in terms)

    def wsum(terms: list) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.WeightedSum([v for v, _ in terms], [c for _, c in terms])

    for q in range(H):
        if per_q_e[q]:
            holds(m.Add(wsum(per_q_e[q]) <= int(cap_e[q])), "kapazitaet:eigen", "team_eigen")
        if per_q_f[q]:
            holds(m.Add(wsum(per_q_f[q]) <= int(cap_f[q])), "kapazitaet:fremd", "team_fremd")
    for (t, q), terms in per_tq.items():
        holds(m.Add(wsum(terms) <= int(ob_cap[t, q])), f"onboarding:{problem.targets[t]}", "onboarding_capacity",
              (("target", problem.targets[t]),))
    if not switched:
        _cumulative(problem, members, out.start, cap_e, cap_f, m)
    _precedence(problem, idx, out, m, holds)
    if not switched:
        m.Minimize(cp_model.LinearExpr.WeightedSum(obj_v, obj_c) + const)
    if hint is not None:
        for k_g, (qs, y) in enumerate(zip(out.quarters, out.moved_by)):
            h = int(hint[k_g])
            m.AddHint(out.start[k_g], h)
            for k, q in enumerate(qs[:-1]):
                m.AddHint(y[k], q >= h)
    return out


def _switched_domain(problem: ScheduleProblem, g: int, qs: list[int], y: list, m: cp_model.CpModel, holds) -> None:
    """Release, deadline and blackout windows of group ``g`` as switched constraints (``qs`` is every quarter)."""
    H = problem.horizon
    if problem.release[g] > 0:
        r, q = problem.release_reason[g], int(problem.release[g])
        # not moved by the quarter before the release (a release beyond the horizon: never)
        holds(m.Add(y[min(q, H) - 1] == 0), f"freigabe:{r}", "release", (("reason", r), ("quarter", q)))
    if problem.deadline[g] < H - 1:
        r, q = problem.deadline_reason[g], int(problem.deadline[g])
        # moved by the deadline (a deadline before the start: never)
        holds(m.Add(y[q] == 1) if q >= 0 else m.Add(y[-1] == 0), f"frist:{r}", "deadline",
              (("reason", r), ("quarter", q)))
    for w in problem.group_windows[g] if problem.group_windows else ():
        wid, closed = problem.windows[w]
        for q in sorted(closed):
            if 0 <= q < H:  # no move in q
                holds(m.Add(y[q] == (y[q - 1] if q else 0)), f"sperrfenster:{wid}", "window", (("window", wid),))


def _cumulative(problem: ScheduleProblem, members: list[int], start: list, cap_e: np.ndarray, cap_f: np.ndarray,
                m: cp_model.CpModel) -> None:
    """The team capacity again as cumulative resources over quarter intervals (quarter-varying
    capacity through fixed filler intervals): stronger propagation than the rows alone.

    Written to the model's proto directly, as ``NewFixedSizeIntervalVar``/``AddCumulative`` would
    write them (the same model): their expression parsing was a third of the model's build time."""
    H = problem.horizon
    cts = m.proto.constraints

    def interval(var: int | None, offset: int) -> int:
        ct = cts.add()
        for e, off in ((ct.interval.start, offset), (ct.interval.end, offset + 1)):
            if var is not None:
                e.vars.append(var)
                e.coeffs.append(1)
            e.offset = off
        ct.interval.size.offset = 1
        return len(cts) - 1

    intervals = [interval(x.Index(), 0) for x in start]
    for dem, cap in ((problem.eigen, cap_e), (problem.fremd, cap_f)):
        top = int(max(cap.max(initial=0), 1))
        fill = [(q, top - int(cap[q])) for q in range(H) if int(cap[q]) < top]
        fillers = [interval(None, q) for q, _ in fill]
        cumulative = cts.add().cumulative
        cumulative.intervals.extend(intervals + fillers)
        for d in [int(dem[g]) for g in members] + [d for _, d in fill]:
            cumulative.demands.add().offset = d
        cumulative.capacity.offset = top


def _precedence(problem: ScheduleProblem, idx: np.ndarray, b: BlockModel, m: cp_model.CpModel, holds) -> None:
    """``y[s, q] → y[p, q − lag]`` for every edge inside ``idx`` (``y[s, q] = 0`` where no
    quarter of the predecessor is early enough)."""
    pos = {g: k for k, g in enumerate(idx.tolist())}
    lag = problem.lag
    inside = np.zeros(problem.size, dtype=bool)
    inside[idx] = True
    e_in = problem.edges[inside[problem.edges[:, 0]] & inside[problem.edges[:, 1]]] if len(problem.edges) else []
    for p, s_ in np.asarray(e_in).tolist():
        qp, yp = b.quarters[pos[p]], b.moved_by[pos[p]]
        qs, ysu = b.quarters[pos[s_]], b.moved_by[pos[s_]]
        name, why = f"abhaengigkeit:{problem.groups[p]}>{problem.groups[s_]}", (
            ("successor", problem.groups[s_]), ("predecessor", problem.groups[p]))
        j = -1
        for k, q in enumerate(qs):
            while j + 1 < len(qp) and qp[j + 1] <= q - lag:
                j += 1
            if j < 0:
                holds(m.Add(ysu[k] == 0), name, "precedence", why)
            elif j < len(qp) - 1:
                holds(m.AddImplication(ysu[k], yp[j]), name, "precedence", why)


def solve_block(problem: ScheduleProblem, idx: np.ndarray, lo: np.ndarray, hi: np.ndarray, blocked: np.ndarray,
                cap_e: np.ndarray, cap_f: np.ndarray, ob_cap: np.ndarray, hint: np.ndarray | None,
                *, window: int | None, det_time: float, wall: float, seed: int, workers: int, cuts: bool = True
                ) -> tuple[np.ndarray | None, str, float, float, bool]:
    """Solve the model (:func:`build_model`) of one block: the groups ``idx`` between ``lo`` and
    ``hi`` with the capacity given; returns (quarters for idx, status, objective, bound, restricted).

    With ``window`` (and a ``hint``) each group only gets the quarters within ``window`` of its
    hinted one (plus its earliest); ``restricted`` says whether that cut any. ``cuts=False``
    leaves out CP-SAT's Chvátal-Gomory, MIR, zero-half and clique cuts: on a model whose LP is
    already tight (the LP-guided neighbourhood) their rounds cost more than they prune.
    """
    restricted = False
    quarters = []
    for k_g, g in enumerate(idx.tolist()):
        qs, cut = candidates(problem, g, int(lo[g]), int(hi[g]), blocked, window,
                             None if hint is None else int(hint[k_g]))
        restricted |= cut
        if not qs:
            return None, "INFEASIBLE", 0.0, 0.0, restricted
        quarters.append(qs)
    b = build_model(problem, idx, quarters, cap_e=cap_e, cap_f=cap_f, ob_cap=ob_cap, hint=hint)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.random_seed = seed
    prm.num_workers = workers
    prm.interleave_search = workers > 1
    prm.max_deterministic_time = det_time
    prm.max_time_in_seconds = wall
    prm.cp_model_probing_level = 0  # probing the time-indexed booleans costs seconds and gains nothing here
    prm.find_big_linear_overlap = False
    prm.linearization_level = 2  # the LP of the time-indexed rows guides the search: faster and better here
    if not cuts:
        prm.add_cg_cuts = prm.add_mir_cuts = prm.add_zero_half_cuts = prm.add_clique_cuts = False
    prm.catch_sigint_signal = False  # CP-SAT's own SIGINT handler aborted the process; the CLI calls StopSearch
    status = run_stoppable(lambda: solver.Solve(b.model), solver.StopSearch)  # Ctrl-C stops the search
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, name, 0.0, 0.0, restricted
    out = np.array([solver.Value(x) for x in b.start], dtype=np.int64)
    return out, name, solver.ObjectiveValue(), solver.BestObjectiveBound(), restricted


def window_jobs(quarter: np.ndarray, idx: np.ndarray, starts: list[int], span: int, chunk: int, H: int,
                 limit: int | None):
    """Yield (first quarter, last quarter, groups) per window; groups are taken when the window is
    reached (earlier windows may have moved some in or out); crowded windows come in chunks."""
    done = 0
    for q0 in starts:
        q1 = min(H - 1, q0 + span - 1)
        in_window = idx[(quarter[idx] >= q0) & (quarter[idx] <= q1)]
        for k in range(0, max(len(in_window), 1), chunk):
            if limit is not None and done >= limit:
                return
            done += 1
            yield q0, q1, in_window[k:k + chunk]


def window_at_minimum(problem: ScheduleProblem, quarter: np.ndarray, sel: np.ndarray, lo: np.ndarray,
                       hi: np.ndarray, blocked: np.ndarray) -> bool:
    """Whether every group of ``sel`` already sits at its cheapest open quarter in [lo, hi]
    (then re-optimising the window cannot lower the objective)."""
    q = np.arange(problem.horizon)
    top = np.minimum(hi[sel], problem.deadline[sel])
    ok = (q[None, :] >= lo[sel][:, None]) & (q[None, :] <= top[:, None]) & ~blocked[sel]
    best = np.where(ok, problem.cost[sel].astype(float), np.inf).min(axis=1)
    return bool((problem.cost[sel, quarter[sel]] <= best).all())


def improve_by_windows(problem: ScheduleProblem, quarter: np.ndarray, idx: np.ndarray, *, es: np.ndarray,
                       blocked: np.ndarray, cap_eigen: np.ndarray, cap_fremd: np.ndarray, ob_cap: np.ndarray,
                       span: int = 4, passes: int = 2, det_time: float = 0.2, wall: float = 10.0, seed: int = 0,
                       workers: int = 1, limit: int | None = None, chunk: int = 200) -> tuple[np.ndarray, int]:
    """Rolling time windows: re-optimise, exactly with CP-SAT, the groups of ``span`` consecutive
    quarters while everything else stays fixed; slide by half a window; repeat ``passes`` times.

    Returns the improved quarters (a copy) and the number of CP-SAT calls.
    """
    H = problem.horizon
    quarter = quarter.copy()
    _, preds = problem.topological()
    succ = problem.successors(0.5)[0]
    obs = problem.onboarding()
    calls = 0
    starts = list(range(0, H, max(1, span // 2)))
    if limit is not None:
        # the most loaded windows first (deterministic: ties by position)
        load = np.bincount(quarter[idx], weights=problem.eigen[idx] + problem.fremd[idx], minlength=H)
        if limit < len(starts):
            starts = sorted(sorted(starts, key=lambda q0: (-float(load[q0:q0 + span].sum()), q0))[:limit])
    for _ in range(passes):
        improved = False
        for q0, q1, sel in window_jobs(quarter, idx, starts, span, chunk, H, limit):
            if len(sel) < 2:
                continue
            free = np.zeros(problem.size, dtype=bool)
            free[sel] = True
            lo = np.zeros(problem.size, dtype=np.int64)
            hi = np.zeros(problem.size, dtype=np.int64)
            for g in sel.tolist():
                lo[g] = max([q0, int(es[g])] + [int(quarter[p]) + problem.lag for p in preds[g] if not free[p]])
                hi[g] = min([q1] + [int(quarter[s_]) - problem.lag for s_ in succ[g]
                                    if not free[s_] and quarter[s_] >= 0])
            if window_at_minimum(problem, quarter, sel, lo, hi, blocked):
                continue  # no group can get cheaper inside the window: CP-SAT could not improve it
            others = idx[~free[idx]]
            ce = cap_eigen - np.bincount(quarter[others], weights=problem.eigen[others], minlength=H).astype(np.int64)
            cf = cap_fremd - np.bincount(quarter[others], weights=problem.fremd[others], minlength=H).astype(np.int64)
            cob = ob_cap.copy()
            for g in others.tolist():
                for t, c in obs.get(g, ()):
                    cob[t, quarter[g]] -= c
            outside = np.ones(H, dtype=bool)
            outside[q0:q1 + 1] = False
            ce[outside] = 0
            cf[outside] = 0
            cob[:, outside] = 0
            hint = quarter[sel]
            before = float(problem.cost[sel, hint].sum())
            sol, _, _, _, _ = solve_block(problem, sel, lo, hi, blocked, np.maximum(ce, 0), np.maximum(cf, 0),
                                           np.maximum(cob, 0), hint, window=None, det_time=det_time, wall=wall,
                                           seed=seed, workers=workers)
            calls += 1
            if sol is not None and float(problem.cost[sel, sol].sum()) < before:
                quarter[sel] = sol
                improved = True
        if not improved:
            break
    return quarter, calls


def lp_guided(problem: ScheduleProblem, quarter: np.ndarray, frac: np.ndarray, es: np.ndarray,
               blocked: np.ndarray, *, det_time: float, wall: float, seed: int, workers: int) -> np.ndarray:
    """LP-guided neighbourhood search (RINS-like): every group may move within the span of the
    quarters its LP solution uses (most groups are integral in the LP, so the model is small);
    if CP-SAT finds nothing there, within that span and its current quarter, with the current
    schedule as hint. Returns the better of the result and ``quarter``.

    The second model goes without CP-SAT's cut rounds (``solve_block``'s ``cuts``): where the
    first is infeasible (the LP splits a group over quarters and the integral groups leave it no
    room, as on the Saarland sample), the time-indexed LP of the second is tight and the cuts
    cost more than they prune (measured: Saarland 45 → 20 ms, the same schedule; on the sample
    as of 05.12.2026, where the first model is feasible, the second did better without them too).
    """
    H, n = problem.horizon, problem.size
    used = frac > 1e-6
    q = np.arange(H)
    smin = np.maximum(es, np.where(used, q[None, :], H).min(axis=1))
    smax = np.minimum(H - 1, np.where(used, q[None, :], -1).max(axis=1))
    idx = np.arange(n)
    caps = problem.capacities()
    kw = {"window": None, "det_time": det_time, "wall": wall, "seed": seed, "workers": workers}
    sol = None
    if (smin <= smax).all():
        sol = solve_block(problem, idx, smin, smax, blocked, *caps, None, **kw)[0]
    if sol is None:
        lo, hi = np.minimum(smin, quarter), np.maximum(smax, quarter)
        sol = solve_block(problem, idx, lo, hi, blocked, *caps, quarter[idx], cuts=False, **kw)[0]
    if sol is not None and schedule_cost(problem, sol) < schedule_cost(problem, quarter):
        return sol
    return quarter


def polish(problem: ScheduleProblem, quarter: np.ndarray, es: np.ndarray, blocked: np.ndarray, *, det_time: float,
           wall: float, seed: int, workers: int) -> tuple[np.ndarray, float | None]:
    """The full model (every group, every open quarter from its earliest start to its deadline)
    warm-started from the feasible schedule ``quarter``, stopped by deterministic time.

    Returns the better of CP-SAT's schedule and ``quarter``, and CP-SAT's proven lower bound
    (``None`` if it proved nothing): the model only leaves out quarters no feasible schedule
    uses, so its bound holds for the whole problem.

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem, earliest_starts
    >>> p = example_problem()
    >>> q, bound = polish(p, np.array([1, 2, 3]), earliest_starts(p), p.blocked(), det_time=1.0, wall=10.0,
    ...                   seed=0, workers=1)
    >>> q.tolist(), bound
    ([0, 1, 2], 30.0)
    """
    H, n = problem.horizon, problem.size
    caps = problem.capacities()
    sol, status, _, bound, _ = solve_block(problem, np.arange(n), es, np.full(n, H - 1, dtype=np.int64), blocked,
                                           *caps, quarter, window=None, det_time=det_time, wall=wall, seed=seed,
                                           workers=workers)
    if sol is not None and schedule_cost(problem, sol) < schedule_cost(problem, quarter):
        quarter = sol
    return quarter, (float(bound) if status in ("OPTIMAL", "FEASIBLE") else None)
