"""Step 4 — wave scheduling: one quarter per move group (OR-Tools CP-SAT).

The model (per subproblem) is time-indexed: a boolean ``b[g, q]`` per move group and
candidate quarter, linked to an integer start ``x[g]`` and a fixed-size interval
``[x[g], x[g] + 1)``. Constraints:

* precedence ``x[s] >= x[p] + lag`` for every edge of the group DAG;
* Eigen- and Fremdleistung team capacity per quarter: a ``cumulative`` over the intervals
  (quarter-varying capacity through fixed filler intervals) plus the same as linear rows;
* per-target onboarding capacity per quarter (linear rows);
* release (start, target availability), deadlines (exit from the Zweckverband, hard EOL,
  the horizon) and blackout windows as the variables' domains.

The objective is the scenario's weighted cost table ``cost[g, q]`` (double running of
legacy contracts, EOL risk, delay), computed in :mod:`consolidation.costs`.

Decomposition for scale (see ``docs/planner.md``): groups connected by dependencies are
never split; the weakly connected components are packed, in id order, into blocks of at
most ``solver.block_size`` groups. Blocks are solved one after the other against the
*residual* team and onboarding capacity; each block first gets a share proportional to its
effort (so early blocks cannot starve later ones) and falls back to the whole residual if
the share is infeasible. A block whose earliest-start list schedule already meets its lower
bound is proven optimal without calling CP-SAT. The plan reports the global objective, a
valid global lower bound (CP-SAT's own bound when the problem is solved as one block,
otherwise the capacity relaxation: each group at its cheapest quarter after its earliest
precedence-feasible start) and the gap between them.

When no schedule exists, :func:`explain_infeasibility` names a minimal set of conflicting
constraint families (CP-SAT assumptions, ``sufficient_assumptions_for_infeasibility``,
then a deletion filter).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

__all__ = [
    "ScheduleProblem",
    "ScheduleResult",
    "ScheduleInfeasibleError",
    "earliest_starts",
    "list_schedule",
    "relaxation_bound",
    "schedule",
    "explain_infeasibility",
    "schedule_cost",
]


@dataclass(frozen=True, eq=False)
class ScheduleProblem:
    """Arrays describing the scheduling problem; index ``i`` is the i-th group in ``groups``.

    Efforts are in tenths of person-days, costs in whole EUR.
    """

    horizon: int
    groups: tuple[str, ...]
    eigen: np.ndarray
    fremd: np.ndarray
    release: np.ndarray
    release_reason: tuple[str, ...]
    deadline: np.ndarray
    deadline_reason: tuple[str, ...]
    cost: np.ndarray
    cap_eigen: np.ndarray
    cap_fremd: np.ndarray
    edges: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    """(predecessor, successor) index pairs."""
    lag: int = 1
    windows: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """Blackout windows: (id, blocked quarters)."""
    group_windows: tuple[tuple[int, ...], ...] = ()
    """Per group: indexes into ``windows`` that apply to it (its domains)."""
    targets: tuple[str, ...] = ()
    ob_cap: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ob_group: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ob_target: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ob_count: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def size(self) -> int:
        return len(self.groups)

    def blocked(self) -> np.ndarray:
        """Boolean matrix (groups × quarters): quarter closed by a blackout window."""
        out = np.zeros((self.size, self.horizon), dtype=bool)
        if not self.windows:
            return out
        masks = []
        for _, qs in self.windows:
            m = np.zeros(self.horizon, dtype=bool)
            m[[q for q in qs if 0 <= q < self.horizon]] = True
            masks.append(m)
        for i, ws in enumerate(self.group_windows):
            for w in ws:
                out[i] |= masks[w]
        return out


class ScheduleInfeasibleError(ValueError):
    """No schedule satisfies every constraint; ``conflicts`` lists (constraint names, explanation)."""

    def __init__(self, conflicts: list[tuple[tuple[str, ...], str]]):
        self.conflicts = conflicts
        super().__init__("; ".join(e for _, e in conflicts) or "no feasible schedule")


@dataclass(frozen=True, eq=False)
class ScheduleResult:
    quarter: np.ndarray
    status: str
    objective: float
    best_bound: float
    gap: float
    time_s: float
    subproblems: int
    baseline_objective: float | None
    solved_by_cpsat: int = 0


# --------------------------------------------------------------------------- helpers


def _topo(problem: ScheduleProblem) -> tuple[np.ndarray, list[list[int]]]:
    """Topological order (by level, then index) and predecessor lists."""
    n = problem.size
    preds: list[list[int]] = [[] for _ in range(n)]
    indeg = np.zeros(n, dtype=np.int64)
    succ: list[list[int]] = [[] for _ in range(n)]
    for p, s in problem.edges.tolist():
        preds[s].append(p)
        succ[p].append(s)
        indeg[s] += 1
    level = np.zeros(n, dtype=np.int64)
    frontier = [i for i in range(n) if indeg[i] == 0]
    seen = 0
    while frontier:
        nxt = []
        for i in frontier:
            seen += 1
            for s in succ[i]:
                level[s] = max(level[s], level[i] + 1)
                indeg[s] -= 1
                if indeg[s] == 0:
                    nxt.append(s)
        frontier = nxt
    if seen != n:
        raise ValueError("the group graph has a cycle")
    order = np.lexsort((np.arange(n), level))
    return order, preds


def earliest_starts(problem: ScheduleProblem, blocked: np.ndarray | None = None) -> np.ndarray:
    """Earliest open quarter of each group from release, blackouts and precedence (capacity ignored).

    Examples
    --------
    >>> p = _example()
    >>> earliest_starts(p).tolist()
    [0, 1, 2]
    """
    blocked = problem.blocked() if blocked is None else blocked
    order, preds = _topo(problem)
    es = problem.release.astype(np.int64).copy()
    H = problem.horizon
    for i in order.tolist():
        q = max([es[i]] + [es[p] + problem.lag for p in preds[i]])
        while q < H and blocked[i, q]:
            q += 1
        es[i] = q
    return es


def relaxation_bound(problem: ScheduleProblem, es: np.ndarray | None = None,
                     blocked: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """A valid lower bound: every group at its cheapest open quarter in [earliest start, deadline].

    Returns the bound and the per-group minimum (``inf`` where no quarter is open).

    Examples
    --------
    >>> relaxation_bound(_example())[0]
    30.0
    """
    blocked = problem.blocked() if blocked is None else blocked
    es = earliest_starts(problem, blocked) if es is None else es
    q = np.arange(problem.horizon)
    ok = (q[None, :] >= es[:, None]) & (q[None, :] <= problem.deadline[:, None]) & ~blocked
    per = np.where(ok, problem.cost, np.iinfo(np.int64).max).min(axis=1).astype(float)
    per[~ok.any(axis=1)] = np.inf
    return float(per.sum()), per


def schedule_cost(problem: ScheduleProblem, quarter: np.ndarray) -> float:
    """Objective value of a full assignment of quarters."""
    return float(problem.cost[np.arange(problem.size), quarter].sum())


def list_schedule(problem: ScheduleProblem, idx: np.ndarray | None = None, *, cap_eigen: np.ndarray | None = None,
                  cap_fremd: np.ndarray | None = None, ob_cap: np.ndarray | None = None,
                  blocked: np.ndarray | None = None) -> np.ndarray | None:
    """Earliest-start list schedule (the baseline): groups in topological order, each in the first
    open quarter where precedence, capacity and onboarding allow. ``None`` if some group does not fit.

    Examples
    --------
    >>> list_schedule(_example()).tolist()
    [0, 1, 2]
    """
    blocked = problem.blocked() if blocked is None else blocked
    H = problem.horizon
    ce = (problem.cap_eigen if cap_eigen is None else cap_eigen).astype(np.int64).copy()
    cf = (problem.cap_fremd if cap_fremd is None else cap_fremd).astype(np.int64).copy()
    ob = np.asarray(problem.ob_cap if ob_cap is None else ob_cap, dtype=np.int64)
    ob = ob.copy() if ob.ndim == 2 else np.tile(ob[:, None], (1, H))
    order, preds = _topo(problem)
    if idx is not None:
        member = np.zeros(problem.size, dtype=bool)
        member[idx] = True
        order = order[member[order]]
    obs = _onboarding_lists(problem)
    quarter = np.full(problem.size, -1, dtype=np.int64)
    for i in order.tolist():
        q = max([int(problem.release[i])] + [int(quarter[p]) + problem.lag for p in preds[i]])
        e, f = problem.eigen[i], problem.fremd[i]
        while q <= problem.deadline[i] and q < H:
            if (not blocked[i, q] and ce[q] >= e and cf[q] >= f
                    and all(ob[t, q] >= c for t, c in obs.get(i, ()))):
                break
            q += 1
        else:
            return None
        quarter[i] = q
        ce[q] -= e
        cf[q] -= f
        for t, c in obs.get(i, ()):
            ob[t, q] -= c
    return quarter


def _onboarding_lists(problem: ScheduleProblem) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for g, t, c in zip(problem.ob_group.tolist(), problem.ob_target.tolist(), problem.ob_count.tolist()):
        out.setdefault(g, []).append((t, c))
    return out


def _blocks(problem: ScheduleProblem, size: int) -> list[np.ndarray]:
    """Weakly connected components packed (in index order) into blocks of ≤ ``size`` groups."""
    n = problem.size
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p, s in problem.edges.tolist():
        rp, rs = find(p), find(s)
        if rp != rs:
            parent[max(rp, rs)] = min(rp, rs)
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(find(i), []).append(i)
    blocks: list[list[int]] = []
    cur: list[int] = []
    for root in sorted(comps):
        c = comps[root]
        if cur and len(cur) + len(c) > size:
            blocks.append(cur)
            cur = []
        cur.extend(c)
    if cur:
        blocks.append(cur)
    return [np.array(sorted(b), dtype=np.int64) for b in blocks]


# --------------------------------------------------------------------------- CP-SAT


def _candidates(problem: ScheduleProblem, i: int, es: int, blocked: np.ndarray, limit: int,
                hint: int | None) -> tuple[list[int], bool]:
    """Open quarters of group i from its earliest start; at most ``limit`` (and whether some were cut)."""
    qs = [q for q in range(max(0, es), min(problem.horizon - 1, int(problem.deadline[i])) + 1) if not blocked[i, q]]
    if len(qs) <= limit:
        return qs, False
    keep = set(qs[: limit - 2])
    keep.update(sorted(qs, key=lambda q: (problem.cost[i, q], q))[:2])
    if hint is not None and hint in qs:
        keep.add(hint)
    return sorted(keep), True


def _solve_block(problem: ScheduleProblem, idx: np.ndarray, es: np.ndarray, blocked: np.ndarray,
                 cap_e: np.ndarray, cap_f: np.ndarray, ob_cap: np.ndarray, hint: np.ndarray | None,
                 *, limit: int, det_time: float, wall: float, seed: int, workers: int
                 ) -> tuple[np.ndarray | None, str, float, float, bool]:
    """Solve one block; returns (quarters for idx, status, objective, bound, restricted).

    Formulation: ``y[g, k]`` = "group g has moved by its k-th candidate quarter" (monotone in
    k, the last one fixed true). A move in candidate k is ``y[g, k] - y[g, k-1]``. Precedence
    becomes the implications ``y[s, q] → y[p, q - lag]`` — the strong (disaggregated)
    time-indexed form, whose LP relaxation is much tighter than ``x[s] >= x[p] + lag``.
    """
    H = problem.horizon
    m = cp_model.CpModel()
    true = m.NewConstant(1)
    members = idx.tolist()
    restricted = False
    cand: list[list[int]] = []
    ys: list[list] = []
    xs = []
    obj_v: list = []
    obj_c: list[int] = []
    const = 0
    per_q_e: list[list] = [[] for _ in range(H)]
    per_q_f: list[list] = [[] for _ in range(H)]
    obs = _onboarding_lists(problem)
    per_tq: dict[tuple[int, int], list] = {}
    for k_g, g in enumerate(members):
        h = None if hint is None else int(hint[k_g])
        qs, cut = _candidates(problem, g, int(es[g]), blocked, limit, h)
        restricted |= cut
        if not qs:
            return None, "INFEASIBLE", 0.0, 0.0, restricted
        y = [m.NewBoolVar("") for _ in qs[:-1]] + [true]
        for a, b in zip(y[:-2], y[1:-1]):
            m.AddImplication(a, b)
        cand.append(qs)
        ys.append(y)
        cost = [int(problem.cost[g, q]) for q in qs]
        const += cost[-1]
        for k in range(len(qs) - 1):
            if cost[k] != cost[k + 1]:
                obj_v.append(y[k])
                obj_c.append(cost[k] - cost[k + 1])
        # x = qs[0] + sum over k of (qs[k+1] - qs[k]) * (1 - y[k])
        x = m.NewIntVarFromDomain(cp_model.Domain.FromValues(qs), "")
        m.Add(x == qs[-1] - cp_model.LinearExpr.WeightedSum(y[:-1], [qs[k + 1] - qs[k] for k in range(len(qs) - 1)]))
        xs.append(x)
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
            m.Add(wsum(per_q_e[q]) <= int(cap_e[q]))
        if per_q_f[q]:
            m.Add(wsum(per_q_f[q]) <= int(cap_f[q]))
    for (t, q), terms in per_tq.items():
        m.Add(wsum(terms) <= int(ob_cap[t, q]))
    # the same capacity as cumulative resources over quarter intervals (stronger propagation)
    intervals = [m.NewFixedSizeIntervalVar(x, 1, "") for x in xs]
    for dem, cap in ((problem.eigen, cap_e), (problem.fremd, cap_f)):
        top = int(max(cap.max(initial=0), 1))
        fill = [(q, top - int(cap[q])) for q in range(H) if int(cap[q]) < top]
        m.AddCumulative(
            intervals + [m.NewFixedSizeIntervalVar(q, 1, "") for q, _ in fill],
            [int(dem[g]) for g in members] + [d for _, d in fill],
            top,
        )
    pos = {g: k for k, g in enumerate(members)}
    lag = problem.lag
    for p, s_ in problem.edges.tolist():
        if p not in pos or s_ not in pos:
            continue
        qp, yp = cand[pos[p]], ys[pos[p]]
        qs, ysu = cand[pos[s_]], ys[pos[s_]]
        j = -1
        for k, q in enumerate(qs):
            while j + 1 < len(qp) and qp[j + 1] <= q - lag:
                j += 1
            if j < 0:
                m.Add(ysu[k] == 0)
            elif j < len(qp) - 1:
                m.AddImplication(ysu[k], yp[j])
    m.Minimize(cp_model.LinearExpr.WeightedSum(obj_v, obj_c) + const)
    if hint is not None:
        for k_g, (qs, y) in enumerate(zip(cand, ys)):
            h = int(hint[k_g])
            m.AddHint(xs[k_g], h)
            for k, q in enumerate(qs[:-1]):
                m.AddHint(y[k], q >= h)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.random_seed = seed
    prm.num_workers = workers
    prm.interleave_search = workers > 1
    prm.max_deterministic_time = det_time
    prm.max_time_in_seconds = wall
    prm.cp_model_probing_level = 0  # probing the time-indexed booleans costs seconds and gains nothing here
    prm.find_big_linear_overlap = False
    status = solver.Solve(m)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, name, 0.0, 0.0, restricted
    out = np.array([solver.Value(x) for x in xs], dtype=np.int64)
    return out, name, solver.ObjectiveValue(), solver.BestObjectiveBound(), restricted


# --------------------------------------------------------------------------- driver


def schedule(problem: ScheduleProblem, *, deterministic_time: float = 5.0, time_limit_s: float = 20.0,
             seed: int = 0, workers: int = 1, block_size: int = 1500, candidates: int = 40) -> ScheduleResult:
    """Assign every group a quarter; minimise the cost table subject to all constraints.

    Parameters
    ----------
    problem : ScheduleProblem
    deterministic_time : float
        CP-SAT deterministic-time budget for the whole problem (split over blocks by size).
    time_limit_s : float
        Wall-clock safety limit per block.
    seed, workers : int
        Fixed for reproducible results.
    block_size : int
        Largest subproblem (in groups) solved as one model.
    candidates : int
        Candidate quarters per group when the problem is decomposed.

    Returns
    -------
    ScheduleResult

    Raises
    ------
    ScheduleInfeasibleError
        With a minimal set of conflicting constraint families.

    Examples
    --------
    >>> r = schedule(_example())
    >>> r.quarter.tolist(), r.status, r.gap
    ([0, 1, 2], 'OPTIMAL', 0.0)
    """
    t0 = time.perf_counter()
    H = problem.horizon
    n = problem.size
    if n == 0:
        return ScheduleResult(np.zeros(0, dtype=np.int64), "OPTIMAL", 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    blocked = problem.blocked()
    es = earliest_starts(problem, blocked)
    lb, per = relaxation_bound(problem, es, blocked)
    if not np.isfinite(lb):
        raise ScheduleInfeasibleError(explain_infeasibility(problem, np.flatnonzero(~np.isfinite(per))[:50]))
    base = list_schedule(problem, blocked=blocked)
    baseline = schedule_cost(problem, base) if base is not None else None

    blocks = _blocks(problem, block_size)
    single = len(blocks) == 1
    limit = H + 1 if single else candidates
    res_e = problem.cap_eigen.astype(np.int64).copy()
    res_f = problem.cap_fremd.astype(np.int64).copy()
    res_ob = np.tile(problem.ob_cap.astype(np.int64)[:, None], (1, H))
    weight = (problem.eigen + problem.fremd).astype(float) + 1.0
    remaining = float(weight.sum())
    quarter = np.full(n, -1, dtype=np.int64)
    statuses: list[str] = []
    bound_cp = None
    cpsat = 0
    any_restricted = False
    for idx in blocks:
        w = float(weight[idx].sum())
        share = w / remaining if remaining > 0 else 1.0
        remaining -= w
        tries = [share, 1.0] if share < 0.999 else [1.0]
        done = False
        for sh in tries:
            ce = np.floor(res_e * sh).astype(np.int64)
            cf = np.floor(res_f * sh).astype(np.int64)
            cob = np.floor(res_ob * sh).astype(np.int64)
            hint_full = list_schedule(problem, idx, cap_eigen=ce, cap_fremd=cf, ob_cap=cob, blocked=blocked)
            hint = hint_full[idx] if hint_full is not None else None
            block_lb = float(per[idx].sum())
            if hint is not None and float(problem.cost[idx, hint].sum()) <= block_lb:
                quarter[idx] = hint
                statuses.append("OPTIMAL")
                if single:
                    bound_cp = block_lb
                done = True
                break
            det = max(0.05, deterministic_time * len(idx) / n)
            sol, status, _, bound, restricted = _solve_block(
                problem, idx, es, blocked, ce, cf, cob, hint, limit=limit, det_time=det, wall=time_limit_s,
                seed=seed, workers=workers)
            cpsat += 1
            if sol is None and hint is not None:
                sol, status = hint, "FEASIBLE"
            if sol is not None:
                any_restricted |= restricted
                quarter[idx] = sol
                statuses.append(status)
                if single and not restricted:
                    bound_cp = bound
                done = True
                break
        if not done:
            raise ScheduleInfeasibleError(explain_infeasibility(problem, idx))
        for i in idx.tolist():
            q = int(quarter[i])
            res_e[q] -= int(problem.eigen[i])
            res_f[q] -= int(problem.fremd[i])
        mask = np.isin(problem.ob_group, idx)
        np.subtract.at(res_ob, (problem.ob_target[mask], quarter[problem.ob_group[mask]]), problem.ob_count[mask])
    objective = schedule_cost(problem, quarter)
    bound = max(lb, bound_cp) if bound_cp is not None else lb
    bound = min(bound, objective)
    gap = 0.0 if objective <= 0 else round((objective - bound) / objective, 6)
    status = "OPTIMAL" if gap == 0.0 else "FEASIBLE"
    return ScheduleResult(quarter, status, objective, bound, gap, time.perf_counter() - t0, len(blocks), baseline,
                          cpsat)


# --------------------------------------------------------------------------- infeasibility


def explain_infeasibility(problem: ScheduleProblem, idx: np.ndarray | None = None, *,
                          max_checks: int = 60) -> list[tuple[tuple[str, ...], str]]:
    """A minimal set of constraint families that cannot hold together (for the groups ``idx``).

    Every family (a release, a deadline, a blackout window, a team capacity, an onboarding
    capacity, a dependency) is switched by an assumption literal; CP-SAT returns a sufficient
    set of assumptions, which a deletion filter reduces to a minimal one.

    Returns
    -------
    list of (constraint names, explanation)

    Examples
    --------
    >>> p = _example(deadline=1)
    >>> explain_infeasibility(p)[0][0]
    ('abhaengigkeit:g.a>g.b', 'abhaengigkeit:g.b>g.c', 'frist:exit:x')
    """
    H = problem.horizon
    idx = np.arange(problem.size) if idx is None else np.asarray(sorted(set(int(i) for i in idx)), dtype=np.int64)
    # widen to the dependency closure of idx (predecessors matter for precedence conflicts)
    order, preds = _topo(problem)
    want = set(idx.tolist())
    stack = list(want)
    while stack:
        i = stack.pop()
        for p in preds[i]:
            if p not in want:
                want.add(p)
                stack.append(p)
    idx = np.array(sorted(want), dtype=np.int64)
    pos = {g: k for k, g in enumerate(idx.tolist())}
    blocked_by: list[list[tuple[int, set[int]]]] = []
    for g in idx.tolist():
        ws = problem.group_windows[g] if problem.group_windows else ()
        blocked_by.append([(w, set(problem.windows[w][1])) for w in ws])

    families: dict[str, str] = {}

    def fam(name: str, text: str) -> str:
        families.setdefault(name, text)
        return name

    def build(active: set[str] | None):
        m = cp_model.CpModel()
        lits: dict[str, cp_model.IntVar] = {}

        def lit(name: str):
            if name not in lits:
                lits[name] = m.NewBoolVar(name)
            return lits[name]

        b = []
        for k, g in enumerate(idx.tolist()):
            bg = {q: m.NewBoolVar("") for q in range(H)}
            m.AddExactlyOne(bg.values())
            b.append(bg)
            if problem.release[g] > 0:
                r = problem.release_reason[g]
                nm = fam(f"freigabe:{r}", f"frühester Start {r} (Quartal {int(problem.release[g])})")
                m.Add(sum(bg[q] for q in range(min(int(problem.release[g]), H))) == 0).OnlyEnforceIf(lit(nm))
            if problem.deadline[g] < H - 1:
                r = problem.deadline_reason[g]
                nm = fam(f"frist:{r}", f"Frist {r} (spätestens Quartal {int(problem.deadline[g])})")
                late = [bg[q] for q in range(max(0, int(problem.deadline[g]) + 1), H)]
                if late:
                    m.Add(sum(late) == 0).OnlyEnforceIf(lit(nm))
            for w, qs in blocked_by[k]:
                wid = problem.windows[w][0]
                nm = fam(f"sperrfenster:{wid}", f"Sperrfenster {wid}")
                inside = [bg[q] for q in sorted(qs) if 0 <= q < H]
                if inside:
                    m.Add(sum(inside) == 0).OnlyEnforceIf(lit(nm))
        xs = [sum(q * v for q, v in bg.items()) for bg in b]
        ne = fam("kapazitaet:eigen", "Teamkapazität Eigenleistung je Quartal")
        nf = fam("kapazitaet:fremd", "Teamkapazität Fremdleistung je Quartal")
        for q in range(H):
            m.Add(sum(int(problem.eigen[g]) * b[k][q] for k, g in enumerate(idx.tolist()))
                  <= int(problem.cap_eigen[q])).OnlyEnforceIf(lit(ne))
            m.Add(sum(int(problem.fremd[g]) * b[k][q] for k, g in enumerate(idx.tolist()))
                  <= int(problem.cap_fremd[q])).OnlyEnforceIf(lit(nf))
        per_t: dict[int, list[tuple[int, int]]] = {}
        for g, t, c in zip(problem.ob_group.tolist(), problem.ob_target.tolist(), problem.ob_count.tolist()):
            if g in pos:
                per_t.setdefault(t, []).append((pos[g], c))
        for t, terms in sorted(per_t.items()):
            nm = fam(f"onboarding:{problem.targets[t]}", f"Onboarding-Kapazität von {problem.targets[t]} je Quartal")
            for q in range(H):
                m.Add(sum(c * b[k][q] for k, c in terms) <= int(problem.ob_cap[t])).OnlyEnforceIf(lit(nm))
        for p, s in problem.edges.tolist():
            if p in pos and s in pos:
                gp, gs = problem.groups[p], problem.groups[s]
                nm = fam(f"abhaengigkeit:{gp}>{gs}", f"Abhängigkeit: {gs} erst nach {gp}")
                m.Add(xs[pos[s]] >= xs[pos[p]] + problem.lag).OnlyEnforceIf(lit(nm))
        names = sorted(lits)
        if active is not None:
            for nm in names:
                m.Add(lits[nm] == int(nm in active))
        else:
            m.AddAssumptions([lits[nm] for nm in names])
        return m, lits

    def solve(active: set[str] | None):
        m, lits = build(active)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_time_in_seconds = 10.0
        status = solver.Solve(m)
        core = None
        if status == cp_model.INFEASIBLE and active is None:
            by_index = {lits[nm].Index(): nm for nm in lits}
            core = {by_index[i] for i in solver.SufficientAssumptionsForInfeasibility()}
        return status, core

    status, core = solve(None)
    if status != cp_model.INFEASIBLE:
        return [((), "kein zulässiger Plan gefunden (Zeitlimit), aber kein Widerspruch nachweisbar")]
    core = set(core or families)
    checks = 0
    for nm in sorted(core):
        if checks >= max_checks:
            break
        trial = core - {nm}
        st, _ = solve(trial)
        checks += 1
        if st == cp_model.INFEASIBLE:
            core = trial
    names = tuple(sorted(core))
    text = "Widerspruch: " + "; ".join(families[n] for n in names)
    return [(names, text)]


def _example(deadline: int | None = None) -> ScheduleProblem:
    """Three groups in a chain a → b → c over four quarters (used by the docstrings)."""
    H = 4
    dl = np.array([H - 1, H - 1, H - 1 if deadline is None else deadline])
    return ScheduleProblem(
        horizon=H, groups=("g.a", "g.b", "g.c"), eigen=np.array([10, 10, 10]), fremd=np.array([0, 0, 0]),
        release=np.array([0, 0, 0]), release_reason=("start",) * 3, deadline=dl,
        deadline_reason=("horizon", "horizon", "horizon" if deadline is None else "exit:x"),
        cost=np.tile(np.arange(H) * 10, (3, 1)), cap_eigen=np.full(H, 100), cap_fremd=np.full(H, 100),
        edges=np.array([[0, 1], [1, 2]]),
    )
