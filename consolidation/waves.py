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
valid global lower bound (the best of the capacity relaxation — each group at its cheapest
quarter after its earliest precedence-feasible start —, CP-SAT's own bound when the problem
is one block, the strong time-indexed LP up to ``lp_bound_max_vars`` (group, quarter) pairs,
else a Lagrangian bound) and the gap between them. When the strong LP is solved, CP-SAT
also searches the neighbourhood the LP solution spans (:func:`_lp_guided`).

When no schedule exists, :func:`explain_infeasibility` names a minimal set of conflicting
constraint families (CP-SAT assumptions, ``sufficient_assumptions_for_infeasibility``,
then a deletion filter).
"""

from __future__ import annotations

import functools
import itertools
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from common.errors import PlanningError
from common.interrupt import run_stoppable
from consolidation import relax as R
from consolidation.graph import component_roots

__all__ = [
    "ScheduleInfeasibleError",
    "ScheduleProblem",
    "ScheduleResult",
    "earliest_starts",
    "explain_infeasibility",
    "list_schedule",
    "relaxation_bound",
    "schedule",
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
    target_kind: tuple[str, ...] = ()
    """Per target instance: what it is an instance of (e.g. its domain); instances of one kind
    are alike, which lets large problems price onboarding from a sample of them. Default:
    every instance its own kind."""

    @property
    def size(self) -> int:
        return len(self.groups)

    def blocked(self) -> np.ndarray:
        """Boolean matrix (groups × quarters): quarter closed by a blackout window (computed
        once per problem, read-only)."""
        return _blocked(self)

    def predecessors(self) -> list[list[int]]:
        """Per group, the groups it depends on, in index order (computed once per problem, read-only)."""
        return _topo(self)[1]


@functools.lru_cache(maxsize=4)
def _blocked(problem: ScheduleProblem) -> np.ndarray:
    out = np.zeros((problem.size, problem.horizon), dtype=bool)
    masks = []
    for _, qs in problem.windows:
        m = np.zeros(problem.horizon, dtype=bool)
        m[[q for q in qs if 0 <= q < problem.horizon]] = True
        masks.append(m)
    for i, ws in enumerate(problem.group_windows if problem.windows else ()):
        for w in ws:
            out[i] |= masks[w]
    out.setflags(write=False)
    return out


class ScheduleInfeasibleError(PlanningError):
    """No schedule satisfies every constraint; ``conflicts`` lists (constraint names, explanation)."""

    def __init__(self, conflicts: list[tuple[tuple[str, ...], str]]):
        self.conflicts = conflicts
        super().__init__("; ".join(e for _, e in conflicts) or "no feasible schedule")

    def __reduce__(self):  # keeps the conflicts across a process boundary
        return type(self), (self.conflicts,)


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
    method: str = "OR-Tools CP-SAT"
    """How the schedule and its bound were found (recorded in the plan)."""


# --------------------------------------------------------------------------- helpers


@functools.lru_cache(maxsize=4)
def _successors(problem: ScheduleProblem, weight: float) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    """Successor lists, predecessor counts and the discounted waiting cost of all descendants."""
    n, H = problem.size, problem.horizon
    succ: list[list[int]] = [[] for _ in range(n)]
    for p, s_ in problem.edges[np.lexsort((problem.edges[:, 1], problem.edges[:, 0]))].tolist() if n else ():
        succ[p].append(s_)  # each list comes out sorted
    npred = np.bincount(problem.edges[:, 1], minlength=n) if len(problem.edges) else np.zeros(n, dtype=np.int64)
    desc = np.zeros(n)
    if weight:
        order, _ = _topo(problem)
        slope = ((problem.cost[:, -1] - problem.cost[:, 0]) / max(H - 1, 1)).tolist()
        d = [0.0] * n
        for g in order[::-1].tolist():
            if succ[g]:
                d[g] = sum(slope[s_] + d[s_] for s_ in succ[g]) * weight
        desc = np.array(d)
    return succ, npred, desc


@functools.lru_cache(maxsize=4)
def _level_sets(problem: ScheduleProblem) -> list[np.ndarray]:
    """The groups by longest-path level (level 0 first), each in index order."""
    p_, s_ = (problem.edges[:, 0], problem.edges[:, 1]) if len(problem.edges) else (np.zeros(0, np.int64),) * 2
    return R._levels(problem.size, p_, s_)


@functools.lru_cache(maxsize=4)
def _topo(problem: ScheduleProblem) -> tuple[np.ndarray, list[list[int]]]:
    """Topological order (by level, then index) and predecessor lists."""
    n = problem.size
    p_, s_ = (problem.edges[:, 0], problem.edges[:, 1]) if len(problem.edges) else (np.zeros(0, np.int64),) * 2
    order = np.concatenate(_level_sets(problem)) if n else np.zeros(0, dtype=np.int64)
    preds: list[list[int]] = [[] for _ in range(n)]
    for p, s in zip(p_[np.lexsort((p_, s_))].tolist(), np.sort(s_).tolist()):  # each list comes out sorted
        preds[s].append(p)
    return order, preds


def earliest_starts(problem: ScheduleProblem, blocked: np.ndarray | None = None) -> np.ndarray:
    """Earliest open quarter of each group from release, blackouts and precedence (capacity ignored).

    Computed level by level over arrays (the predecessors of a level are all in earlier ones).

    Examples
    --------
    >>> p = _example()
    >>> earliest_starts(p).tolist()
    [0, 1, 2]
    """
    blocked = problem.blocked() if blocked is None else blocked
    n, H = problem.size, problem.horizon
    nxt_ge = _next_open(blocked, at_or_after=True)
    es = problem.release.astype(np.int64).copy()
    p_, s_ = (problem.edges[:, 0], problem.edges[:, 1]) if len(problem.edges) else (np.zeros(0, np.int64),) * 2
    lvl = np.zeros(n, dtype=np.int64)
    levels = _level_sets(problem)
    for k, members in enumerate(levels):
        lvl[members] = k
    e_lvl = lvl[s_]
    by_lvl = np.argsort(e_lvl, kind="stable")
    bounds = np.searchsorted(e_lvl[by_lvl], np.arange(len(levels) + 1))
    for k, members in enumerate(levels):
        sel = by_lvl[bounds[k]:bounds[k + 1]]
        if len(sel):
            np.maximum.at(es, s_[sel], es[p_[sel]] + problem.lag)
        q = np.minimum(es[members], H)
        es[members] = nxt_ge[members, q]
    return es


def _next_open(blocked: np.ndarray, *, at_or_after: bool) -> np.ndarray:
    """(groups × H+1) the first open quarter at or after (or strictly after) each quarter; H if none."""
    n, H = blocked.shape
    out = np.full((n, H + 1), H, dtype=np.int16)
    for q in range(H - 1, -1, -1):
        if at_or_after:
            out[:, q] = np.where(blocked[:, q], out[:, q + 1], q)
        else:
            out[:, q] = np.where(blocked[:, q + 1], out[:, q + 1], q + 1) if q + 1 < H else H
    return out


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
    # plain lists in the loop: indexing them is several times faster than numpy scalars
    ce_l, cf_l, ob_l = ce.tolist(), cf.tolist(), ob.tolist()
    eig, fre = problem.eigen.tolist(), problem.fremd.tolist()
    rel, last = problem.release.tolist(), np.minimum(problem.deadline, H - 1).tolist()
    nxt = _next_open(blocked, at_or_after=True)
    has_blocked = blocked.any(axis=1).tolist()
    every = list(range(H + 1))  # the next open quarter of a group without blackouts
    lag = problem.lag
    out = [-1] * problem.size
    for i in order.tolist():
        q = rel[i]
        for p in preds[i]:
            q = max(q, out[p] + lag)
        e, f = eig[i], fre[i]
        ob_i = obs.get(i, ())
        row = nxt[i].tolist() if has_blocked[i] else every
        top = last[i]
        q = row[q] if q < H else H
        while q <= top:
            if ce_l[q] >= e and cf_l[q] >= f and all(ob_l[t][q] >= c for t, c in ob_i):
                break
            q = row[q + 1]
        else:
            return None
        out[i] = q
        ce_l[q] -= e
        cf_l[q] -= f
        for t, c in ob_i:
            ob_l[t][q] -= c
    return np.array(out, dtype=np.int64)


def priority_schedule(problem: ScheduleProblem, idx: np.ndarray | None = None, *, es: np.ndarray | None = None,
                      cap_eigen: np.ndarray | None = None, cap_fremd: np.ndarray | None = None,
                      ob_cap: np.ndarray | None = None, blocked: np.ndarray | None = None,
                      successor_weight: float = 0.5, wait: bool = True) -> np.ndarray | None:
    """Quarter-by-quarter greedy: fill each quarter with the ready groups whose waiting costs most
    per person-day (own marginal cost plus a share of what their successors lose by waiting).

    This is the warm start for CP-SAT; ``None`` if some group does not fit before its deadline.

    Examples
    --------
    >>> priority_schedule(_example()).tolist()
    [0, 1, 2]
    """
    blocked = problem.blocked() if blocked is None else blocked
    es = earliest_starts(problem, blocked) if es is None else es
    H = problem.horizon
    n = problem.size
    ce = (problem.cap_eigen if cap_eigen is None else cap_eigen).astype(np.int64).copy()
    cf = (problem.cap_fremd if cap_fremd is None else cap_fremd).astype(np.int64).copy()
    ob = np.asarray(problem.ob_cap if ob_cap is None else ob_cap, dtype=np.int64)
    ob = ob.copy() if ob.ndim == 2 else np.tile(ob[:, None], (1, H))
    order, _ = _topo(problem)
    members = np.arange(n) if idx is None else np.asarray(idx)
    member = np.zeros(n, dtype=bool)
    member[members] = True
    succ, npred, desc = _successors(problem, successor_weight)
    size = problem.eigen / max(float(np.mean(ce)), 1.0) + problem.fremd / max(float(np.mean(cf)), 1.0) + 1e-9
    obs = _onboarding_lists(problem)
    quarter = np.full(n, -1, dtype=np.int64)
    ready_at = np.where(member, es, H).astype(np.int64)
    last = np.minimum(H - 1, problem.deadline)
    nxt_open = _next_open(blocked, at_or_after=False)
    cost = problem.cost
    eig, fre = problem.eigen.tolist(), problem.fremd.tolist()
    left_l, ready_l, member_l, last_l = npred.tolist(), ready_at.tolist(), member.tolist(), last.tolist()
    pending = int(member.sum())
    future: list[list[int]] = [[] for _ in range(H)]  # groups whose predecessors are placed, by ready quarter
    for g in order.tolist():
        if member[g] and npred[g] == 0:
            if ready_at[g] > last[g]:
                return None
            future[int(ready_at[g])].append(g)
    active = np.zeros(0, dtype=np.int64)
    for q in range(H):
        if future[q]:
            active = np.concatenate([active, np.array(future[q], dtype=np.int64)])
        if len(active) == 0:
            continue
        cand = active[~blocked[active, q]]
        nxt = nxt_open[cand, q]
        urgent = nxt > last[cand]
        gain = np.where(urgent, 0.0, (cost[cand, np.minimum(nxt, H - 1)] - cost[cand, q]).astype(float))
        pr = gain + desc[cand]
        keep = urgent | (pr > 0) if wait else np.ones(len(cand), dtype=bool)  # waiting costs nothing: leave room
        cand, urgent, pr = cand[keep], urgent[keep], pr[keep]
        rank = np.lexsort((cand, -pr / size[cand], ~urgent))
        placed = []
        ce_q, cf_q = int(ce[q]), int(cf[q])
        ob_q = ob[:, q].tolist()
        for g in cand[rank].tolist():
            e, f = eig[g], fre[g]
            if ce_q >= e and cf_q >= f:
                ob_g = obs.get(g, ())
                if all(ob_q[t] >= c for t, c in ob_g):
                    ce_q -= e
                    cf_q -= f
                    for t, c in ob_g:
                        ob_q[t] -= c
                    placed.append(g)
        ce[q], cf[q] = ce_q, cf_q
        ob[:, q] = ob_q
        if placed:
            quarter[placed] = q
            active = active[quarter[active] < 0]
            pending -= len(placed)
            ready = q + problem.lag
            for g in placed:
                for s_ in succ[g]:
                    left_l[s_] -= 1
                    ready_l[s_] = max(ready_l[s_], ready)
                    if left_l[s_] == 0 and member_l[s_]:
                        at = max(ready_l[s_], q + 1)  # this quarter's candidates are chosen
                        if at > last_l[s_]:
                            return None
                        future[at].append(s_)
        if pending == 0:
            break
        if (last[active] <= q).any():
            return None
    return quarter if pending == 0 else None


def _lp_guided(problem: ScheduleProblem, quarter: np.ndarray, frac: np.ndarray, es: np.ndarray,
               blocked: np.ndarray, *, det_time: float, wall: float, seed: int, workers: int) -> np.ndarray:
    """LP-guided neighbourhood search (RINS-like): every group may move within the span of the
    quarters its LP solution uses (most groups are integral in the LP, so the model is small);
    if CP-SAT finds nothing there, within that span and its current quarter, with the current
    schedule as hint. Returns the better of the result and ``quarter``.
    """
    H, n = problem.horizon, problem.size
    used = frac > 1e-6
    q = np.arange(H)
    smin = np.maximum(es, np.where(used, q[None, :], H).min(axis=1))
    smax = np.minimum(H - 1, np.where(used, q[None, :], -1).max(axis=1))
    idx = np.arange(n)
    caps = (problem.cap_eigen.astype(np.int64), problem.cap_fremd.astype(np.int64),
            np.tile(problem.ob_cap.astype(np.int64)[:, None], (1, H)))
    kw = {"window": None, "det_time": det_time, "wall": wall, "seed": seed, "workers": workers}
    sol = None
    if (smin <= smax).all():
        sol = _solve_block(problem, idx, smin, smax, blocked, *caps, None, **kw)[0]
    if sol is None:
        lo, hi = np.minimum(smin, quarter), np.maximum(np.minimum(smax, H - 1), quarter)
        sol = _solve_block(problem, idx, lo, hi, blocked, *caps, quarter[idx], **kw)[0]
    if sol is not None and schedule_cost(problem, sol) < schedule_cost(problem, quarter):
        return sol
    return quarter


@functools.lru_cache(maxsize=4)
def _onboarding_lists(problem: ScheduleProblem) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for g, t, c in zip(problem.ob_group.tolist(), problem.ob_target.tolist(), problem.ob_count.tolist()):
        out.setdefault(g, []).append((t, c))
    return out


def _blocks(problem: ScheduleProblem, size: int) -> list[np.ndarray]:
    """Weakly connected components packed (in index order) into blocks of ≤ ``size`` groups."""
    edges = problem.edges
    roots = component_roots(problem.size, edges[:, 0], edges[:, 1]) if len(edges) else np.arange(problem.size)
    comps: dict[int, list[int]] = {}
    for i, r in enumerate(roots.tolist()):
        comps.setdefault(r, []).append(i)
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


def _candidates(problem: ScheduleProblem, i: int, lo: int, hi: int, blocked: np.ndarray, window: int | None,
                hint: int | None) -> tuple[list[int], bool]:
    """Open quarters of group i in [lo, hi]; with ``window``, only those within ``window``
    quarters of the hint (plus the earliest). Returns (quarters, whether some were cut)."""
    top = min(problem.horizon - 1, int(problem.deadline[i]), hi)
    qs = [q for q in range(max(0, lo), top + 1) if not blocked[i, q]]
    if window is None or hint is None:
        return qs, False
    keep = [q for q in qs if abs(q - hint) <= window or q == qs[0]]
    return keep, len(keep) < len(qs)


def _solve_block(problem: ScheduleProblem, idx: np.ndarray, lo: np.ndarray, hi: np.ndarray, blocked: np.ndarray,
                 cap_e: np.ndarray, cap_f: np.ndarray, ob_cap: np.ndarray, hint: np.ndarray | None,
                 *, window: int | None, det_time: float, wall: float, seed: int, workers: int
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
        qs, cut = _candidates(problem, g, int(lo[g]), int(hi[g]), blocked, window, h)
        restricted |= cut
        if not qs:
            return None, "INFEASIBLE", 0.0, 0.0, restricted
        y = [m.NewBoolVar("") for _ in qs[:-1]] + [true]
        for a, b in itertools.pairwise(y[:-1]):
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
    inside = np.zeros(problem.size, dtype=bool)
    inside[idx] = True
    e_in = problem.edges[inside[problem.edges[:, 0]] & inside[problem.edges[:, 1]]] if len(problem.edges) else []
    for p, s_ in np.asarray(e_in).tolist():
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
    prm.catch_sigint_signal = False  # CP-SAT's own SIGINT handler aborted the process; the CLI calls StopSearch
    prm.cp_model_probing_level = 0  # probing the time-indexed booleans costs seconds and gains nothing here
    prm.find_big_linear_overlap = False
    prm.linearization_level = 2  # the LP of the time-indexed rows guides the search: faster and better here
    status = run_stoppable(lambda: solver.Solve(m), solver.StopSearch)  # Ctrl-C stops the search
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, name, 0.0, 0.0, restricted
    out = np.array([solver.Value(x) for x in xs], dtype=np.int64)
    return out, name, solver.ObjectiveValue(), solver.BestObjectiveBound(), restricted


def _window_jobs(quarter: np.ndarray, idx: np.ndarray, starts: list[int], span: int, chunk: int, H: int,
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


def _window_at_minimum(problem: ScheduleProblem, quarter: np.ndarray, sel: np.ndarray, lo: np.ndarray,
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
    _, preds = _topo(problem)
    succ = _successors(problem, 0.5)[0]
    obs = _onboarding_lists(problem)
    calls = 0
    starts = list(range(0, H, max(1, span // 2)))
    if limit is not None:
        # the most loaded windows first (deterministic: ties by position)
        load = np.bincount(quarter[idx], weights=problem.eigen[idx] + problem.fremd[idx], minlength=H)
        if limit < len(starts):
            starts = sorted(sorted(starts, key=lambda q0: (-float(load[q0:q0 + span].sum()), q0))[:limit])
    for _ in range(passes):
        improved = False
        for q0, q1, sel in _window_jobs(quarter, idx, starts, span, chunk, H, limit):
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
            if _window_at_minimum(problem, quarter, sel, lo, hi, blocked):
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
            sol, _, _, _, _ = _solve_block(problem, sel, lo, hi, blocked, np.maximum(ce, 0), np.maximum(cf, 0),
                                           np.maximum(cob, 0), hint, window=None, det_time=det_time, wall=wall,
                                           seed=seed, workers=workers)
            calls += 1
            if sol is not None and float(problem.cost[sel, sol].sum()) < before:
                quarter[sel] = sol
                improved = True
        if not improved:
            break
    return quarter, calls


# --------------------------------------------------------------------------- driver


def schedule(problem: ScheduleProblem, *, deterministic_time: float = 0.2, time_limit_s: float = 20.0,
             seed: int = 0, workers: int = 1, block_size: int = 1500, window_span: int = 3, passes: int = 2,
             full_model_groups: int = 80, lp_max_pairs: int = 60_000, lp_margin: int = 8, fold_margin: int = 4,
             price_sample_groups: int = 5000, price_chunk_groups: int = 1000, price_chunks: int = 16,
             max_windows: int = 80, lp_guided_det_time: float = 0.05) -> ScheduleResult:
    """Assign every group a quarter; minimise the cost table subject to all constraints.

    Parameters
    ----------
    problem : ScheduleProblem
    deterministic_time : float
        CP-SAT deterministic-time limit per model (a block or a time window) of the fallback.
    time_limit_s : float
        Wall-clock safety limit per solver call.
    seed, workers : int
        Fixed for reproducible results.
    block_size, window_span, passes, max_windows : int
        The fallback when the price-guided schedule misses a deadline: blocks of at most
        ``block_size`` groups, improved by rolling time windows (see :func:`improve_by_windows`).
    full_model_groups : int
        Problems up to this size are solved as one CP-SAT model (proven optimal where possible).
    lp_max_pairs : int
        Up to this many (group, quarter) pairs the strong LP of the whole problem is solved
        (HiGHS); its duals are the capacity prices and its solution spans the CP-SAT
        neighbourhood. Beyond it, the prices come from the LP of a random sample of groups.
        The bound is the Lagrangian value at those prices (:func:`lagrangian`), valid for any.
    lp_margin : int
        The LPs only offer each group the quarters up to ``lp_margin`` after the later of its
        cheapest one and its quarter in a first schedule (small problems: the precedence-only
        optimum, repaired; large: the list schedule); the Lagrangian over all quarters keeps
        the bound valid.
    fold_margin : int
        Large problems: the Lagrangian's model keeps each group's quarters up to
        ``fold_margin`` after the later of its cheapest and its list-schedule quarter and folds
        the later ones into one (:func:`consolidation.relax.late_horizon`; measured at
        Germany scale: the same bound to 0.0001 % as with 8, the max-flow 40 % faster).
    price_sample_groups, price_chunk_groups, price_chunks : int
        Beyond ``lp_max_pairs``: team capacity is priced by the LP of a sample of about
        ``price_sample_groups`` groups in whole chunks (:func:`consolidation.relax.sample_prices`), onboarding
        by the LPs of at most ``price_chunks`` evenly spread chunks of about
        ``price_chunk_groups`` groups that keep every target instance whole; instances outside
        them take the mean price of the solved instances of their kind
        (:func:`consolidation.relax.onboarding_prices`).
    lp_guided_det_time : float
        CP-SAT deterministic time of the LP-guided neighbourhood search.

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
    blocks_kw = {"deterministic_time": deterministic_time, "time_limit_s": time_limit_s, "seed": seed,
                 "workers": workers, "block_size": block_size, "window_span": window_span, "passes": passes,
                 "full_model_groups": full_model_groups, "max_windows": max_windows}
    if n <= full_model_groups:
        return _schedule_blocks(problem, es, blocked, lb, per, baseline, t0, **blocks_kw)
    ok = R.open_quarters(problem, es, blocked)
    small = int(ok.sum()) <= lp_max_pairs * 4
    cheapest = np.where(ok, problem.cost, np.iinfo(np.int64).max).argmin(axis=1)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the second core, for the sample LP
        team = None
        if small:
            # a first schedule: the precedence-only optimum (capacity priced at zero), repaired
            ti = R.time_indexed(problem, ok)
            quarter = price_repair(problem, lagrangian(problem, ti, None, ok=ok)[1], es=es, blocked=blocked)
        else:
            quarter = base  # the list schedule
        # the LPs offer each group the quarters up to lp_margin after the later of its cheapest one
        # and its quarter in the first schedule (which keeps them feasible)
        lp_ok = ok if quarter is None else R.open_quarters(problem, es, blocked,
                                                           hi=np.maximum(cheapest, quarter) + lp_margin)
        if not small:
            # team capacity prices from a sample LP on the second core, while the Lagrangian's
            # model is built (its late quarters folded into one)
            team = pool.submit(R.sample_prices, problem, lp_ok, size=price_sample_groups, chunk=price_chunk_groups,
                               time_limit_s=time_limit_s)
            ti = R.time_indexed(problem, R.late_horizon(problem, ok, np.maximum(cheapest, base) + fold_margin,
                                                        levels=_level_sets(problem))[0] if base is not None else ok)
        frac = None
        if small and int(lp_ok.sum()) <= lp_max_pairs:
            lp = R.strong_lp(problem, lp_ok, time_limit_s=time_limit_s)
            if lp.status != "OPTIMAL" and lp_ok is not ok:
                lp = R.strong_lp(problem, ok, time_limit_s=time_limit_s)
            if lp.status == "INFEASIBLE":
                raise ScheduleInfeasibleError(explain_infeasibility(problem))
            if lp.status == "OPTIMAL":
                frac = lp.frac
                prices = (lp.price_eigen, lp.price_fremd, lp.price_ob)
        if frac is None:
            pe, pf, _ = (team.result() if team is not None else R.sample_prices(
                problem, lp_ok, size=price_sample_groups, chunk=price_chunk_groups, time_limit_s=time_limit_s))
            prices = (pe, pf, R.onboarding_prices(problem, lp_ok, (pe, pf), chunk=price_chunk_groups,
                                                  max_chunks=price_chunks, threads=2, time_limit_s=time_limit_s))
    value, first = lagrangian(problem, ti, prices, ok=ok)
    bound = max(lb, value)
    priced = price_repair(problem, first, es=es, blocked=blocked)
    if priced is not None and (quarter is None or schedule_cost(problem, priced) < schedule_cost(problem, quarter)):
        quarter = priced
    calls = 0
    if quarter is None:  # the repaired schedules miss a deadline: blocks and time windows instead
        fallback = _schedule_blocks(problem, es, blocked, lb, per, baseline, t0, **blocks_kw)
        quarter, calls = fallback.quarter, fallback.solved_by_cpsat
    if frac is not None and schedule_cost(problem, quarter) > bound:
        quarter = _lp_guided(problem, quarter, frac, es, blocked, det_time=lp_guided_det_time, wall=time_limit_s,
                             seed=seed, workers=workers)
        calls += 1
    objective = schedule_cost(problem, quarter)
    bound = min(bound, objective)
    gap = 0.0 if objective <= 0 else round((objective - bound) / objective, 6)
    status = "OPTIMAL" if gap == 0.0 else "FEASIBLE"
    method = ("HiGHS strong LP + OR-Tools max-flow Lagrangian + CP-SAT LP neighbourhood" if frac is not None
              else "HiGHS decomposed LP prices + OR-Tools max-flow Lagrangian + priority repair")
    return ScheduleResult(quarter, status, objective, round(bound, 2), gap, time.perf_counter() - t0, 1,
                          baseline, calls, method)


def lagrangian(problem: ScheduleProblem, ti: R.TimeIndexed, prices: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
               *, ok: np.ndarray) -> tuple[float, np.ndarray]:
    """Lagrangian bound with capacity and onboarding priced (``None``: zero prices) and
    precedence kept, and the schedule that attains it (capacity ignored; precedence-feasible
    unless late quarters were folded — it is used as each group's earliest wish).

    ``ti`` is the time-indexed model over all open quarters ``ok`` or over a
    :func:`consolidation.relax.late_horizon` of them (the last quarter of each group then
    stands for all later ones). Valid for any non-negative prices; equals the strong LP bound
    at the LP's duals when ``ti`` has all quarters.

    Examples
    --------
    >>> p = _example()
    >>> ok = R.open_quarters(p, earliest_starts(p), p.blocked())
    >>> value, first = lagrangian(p, R.time_indexed(p, ok), None, ok=ok)
    >>> round(value, 3), first.tolist()
    (30.0, [0, 1, 2])
    """
    pe, pf, pob = prices if prices is not None else (None, None, None)
    red = R.reduced_costs(problem, ok, price_eigen=pe, price_fremd=pf, price_ob=pob)
    value, first = R.closure_min(ti, R.late_pair_costs(ti, red))
    # a group at its last quarter there moves in the cheapest of the quarters that one stands for
    at_last = first == ti.pq[ti.first + ti.m - 1]
    if at_last.any():
        q = np.arange(problem.horizon)
        rows = np.flatnonzero(at_last)
        first[rows] = np.where(q[None, :] >= first[rows, None], red[rows], np.inf).argmin(axis=1)
    if prices is not None:
        value -= float(pe @ problem.cap_eigen) + float(pf @ problem.cap_fremd)
        if len(problem.targets):
            value -= float((pob * problem.ob_cap[:, None]).sum())
    return value, first


def price_repair(problem: ScheduleProblem, first_choice: np.ndarray, *, es: np.ndarray, blocked: np.ndarray
                 ) -> np.ndarray | None:
    """A feasible schedule near the Lagrangian one: no group before its ``first_choice``
    quarter (precedence-feasible, chosen at the capacity prices), quarters filled in order by
    the priority list (:func:`priority_schedule`); ``None`` if a deadline is missed.

    Examples
    --------
    >>> price_repair(_example(), np.array([0, 1, 2]), es=np.array([0, 1, 2]), blocked=_example().blocked()).tolist()
    [0, 1, 2]
    """
    return priority_schedule(problem, es=np.maximum(es, first_choice), blocked=blocked, successor_weight=0.0,
                             wait=False)


def _schedule_blocks(problem: ScheduleProblem, es: np.ndarray, blocked: np.ndarray, lb: float, per: np.ndarray,
                     baseline: float | None, t0: float, *, deterministic_time: float, time_limit_s: float, seed: int,
                     workers: int, block_size: int, window_span: int, passes: int, full_model_groups: int,
                     max_windows: int) -> ScheduleResult:
    """Blocks of connected groups solved one after another against the residual capacity: one
    CP-SAT model per small block, priority list plus rolling time windows for large ones."""
    H = problem.horizon
    n = problem.size
    blocks = _blocks(problem, block_size)
    single = len(blocks) == 1
    res_e = problem.cap_eigen.astype(np.int64).copy()
    res_f = problem.cap_fremd.astype(np.int64).copy()
    res_ob = np.tile(problem.ob_cap.astype(np.int64)[:, None], (1, H))
    weight = (problem.eigen + problem.fremd).astype(float) + 1.0
    remaining = float(weight.sum())
    quarter = np.full(n, -1, dtype=np.int64)
    bound_cp = None
    cpsat = 0
    full_hi = np.full(n, H - 1, dtype=np.int64)
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
            caps = {"cap_eigen": ce, "cap_fremd": cf, "ob_cap": cob, "blocked": blocked}
            prio = priority_schedule(problem, idx, es=es, **caps)
            if prio is None:  # waiting for cheaper quarters crowded the end: place greedily instead
                prio = priority_schedule(problem, idx, es=es, wait=False, **caps)
            warm = [x for x in (prio, list_schedule(problem, idx, **caps)) if x is not None]
            hint = min((x[idx] for x in warm), key=lambda h: float(problem.cost[idx, h].sum()), default=None)
            block_lb = float(per[idx].sum())
            if hint is not None and float(problem.cost[idx, hint].sum()) <= block_lb:
                quarter[idx] = hint  # meets the block's lower bound: optimal without a solver call
                bound_cp = block_lb if single else None
                done = True
                break
            if len(idx) <= full_model_groups or hint is None:
                sol, status, _obj, bound, _ = _solve_block(
                    problem, idx, es, full_hi, blocked, ce, cf, cob, hint, window=None,
                    det_time=max(deterministic_time, 1.0), wall=time_limit_s, seed=seed, workers=workers)
                cpsat += 1
                if sol is None or hint is not None and float(problem.cost[idx, sol].sum()) > float(problem.cost[idx, hint].sum()):
                    sol = hint
                if single and status in ("OPTIMAL", "FEASIBLE"):
                    bound_cp = bound
            else:
                full = np.zeros(n, dtype=np.int64)
                full[idx] = hint
                budget = int(max_windows * len(idx) // n)
                improved, calls = improve_by_windows(
                    problem, full, idx, es=es, blocked=blocked, cap_eigen=ce, cap_fremd=cf, ob_cap=cob,
                    span=window_span, passes=passes if budget else 0, det_time=deterministic_time,
                    wall=time_limit_s, seed=seed, workers=workers, limit=budget)
                cpsat += calls
                sol = improved[idx]
            if sol is not None:
                quarter[idx] = sol
                done = True
                break
        if not done:
            raise ScheduleInfeasibleError(explain_infeasibility(problem, idx))
        np.subtract.at(res_e, quarter[idx], problem.eigen[idx])
        np.subtract.at(res_f, quarter[idx], problem.fremd[idx])
        mask = np.isin(problem.ob_group, idx)
        np.subtract.at(res_ob, (problem.ob_target[mask], quarter[problem.ob_group[mask]]), problem.ob_count[mask])
    bound = lb if bound_cp is None else max(lb, bound_cp)
    objective = schedule_cost(problem, quarter)
    bound = min(bound, objective)
    gap = 0.0 if objective <= 0 else round((objective - bound) / objective, 6)
    status = "OPTIMAL" if gap == 0.0 else "FEASIBLE"
    return ScheduleResult(quarter, status, objective, round(bound, 2), gap, time.perf_counter() - t0, len(blocks),
                          baseline, cpsat)


# --------------------------------------------------------------------------- infeasibility


def _aggregate_conflicts(problem: ScheduleProblem, idx: np.ndarray) -> list[tuple[tuple[str, ...], str]]:
    """For problems too large for an exact explanation: resources whose total demand exceeds supply."""
    H = problem.horizon
    out = []
    for name, dem, cap in (("kapazitaet:eigen", problem.eigen, problem.cap_eigen),
                           ("kapazitaet:fremd", problem.fremd, problem.cap_fremd)):
        need, have = float(dem[idx].sum()) / 10, float(cap.sum()) / 10
        if need > have * 0.9:
            out.append(((name,), f"{name}: Bedarf {need:,.0f} PT, im Horizont verfügbar {have:,.0f} PT"))
    mask = np.isin(problem.ob_group, idx)
    dem = np.bincount(problem.ob_target[mask], weights=problem.ob_count[mask], minlength=len(problem.targets))
    for t, d in enumerate(dem.tolist()):
        if d > problem.ob_cap[t] * H * 0.8:
            out.append(((f"onboarding:{problem.targets[t]}",),
                        f"Onboarding {problem.targets[t]}: {d:.0f} Systeme, höchstens {problem.ob_cap[t]} je Quartal"))
    return out or [((), (f"kein zulässiger Plan für {len(idx)} Umzugsgruppen gefunden; Ressourcen sind knapp "
                         "(Kapazität, Onboarding, Sperrfenster) — Szenario mit mehr Kapazität prüfen"))]


def explain_infeasibility(problem: ScheduleProblem, idx: np.ndarray | None = None, *,
                          max_checks: int = 60, max_groups: int = 300) -> list[tuple[tuple[str, ...], str]]:
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
    idx = np.arange(problem.size) if idx is None else np.asarray(sorted({int(i) for i in idx}), dtype=np.int64)
    if len(idx) > max_groups:
        return _aggregate_conflicts(problem, idx)
    # widen to the dependency closure of idx (predecessors matter for precedence conflicts)
    _, preds = _topo(problem)
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
        solver.parameters.catch_sigint_signal = False
        status = run_stoppable(lambda: solver.Solve(m), solver.StopSearch)
        core = None
        if status == cp_model.INFEASIBLE and active is None:
            by_index = {lits[nm].Index(): nm for nm in lits}
            core = {by_index[i] for i in solver.SufficientAssumptionsForInfeasibility()}
        return status, core

    status, core = solve(None)
    if status != cp_model.INFEASIBLE:
        return [((), "kein zulässiger Plan gefunden (Zeitlimit), aber kein Widerspruch nachweisbar")]
    core = set(core or families)
    for nm in sorted(core)[:max_checks]:
        trial = core - {nm}
        st, _ = solve(trial)
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
