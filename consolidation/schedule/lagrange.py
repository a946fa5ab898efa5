"""The strong time-indexed model as arrays and its Lagrangian: with team and onboarding capacity
priced, the rest is a minimum-weight closure problem, solved exactly as one minimum s–t cut
(OR-Tools max flow) — a valid bound for any non-negative prices, equal to the strong LP
(:mod:`consolidation.schedule.lp`) at its duals.

The model: per move group ``g`` and open quarter ``q_k`` (sorted) a variable ``y[g, k]`` =
"g has moved by ``q_k``", monotone in ``k``, the last one the constant 1. Moving in ``q_k`` is
``y[g, k] − y[g, k−1]``. Precedence is disaggregated, ``y[s, q] ≤ y[p, q − lag]``;
Eigen-/Fremdleistung capacity and onboarding per target and quarter are rows over the moves.
:func:`late_horizon` folds each group's late quarters into one to keep it small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .problem import ScheduleProblem, expand, longest_path_levels

__all__ = ["TimeIndexed", "closure_min", "lagrangian", "late_horizon", "late_pair_costs", "pair_costs",
           "reduced_costs", "time_indexed"]


@dataclass(frozen=True, eq=False)
class TimeIndexed:
    """The strong time-indexed model of some groups, as arrays (see the module docstring).

    Pairs are (local group, open quarter) in row-major order; pair ``j`` of local group ``g``
    that is not the group's last has variable ``j - g``.
    """

    idx: np.ndarray
    H: int
    m: np.ndarray
    first: np.ndarray
    pg: np.ndarray
    pq: np.ndarray
    k_in: np.ndarray
    is_last: np.ndarray
    var: np.ndarray
    nvar: int
    one: np.ndarray
    """Variables fixed to 1 (a successor's last quarter needs this predecessor quarter)."""
    zero: np.ndarray
    """Variables fixed to 0 (no predecessor quarter early enough)."""
    impl: tuple[np.ndarray, np.ndarray]
    """Implications ``y[a] → y[b]`` (monotone in k, precedence) as (a, b) variable arrays."""
    ob: tuple[np.ndarray, np.ndarray, np.ndarray]
    """Onboarding entries expanded over pairs: (pair, target, count)."""
    infeasible: bool = False

    def weights(self, pair_cost: np.ndarray) -> tuple[np.ndarray, float]:
        """Objective on the variables for a cost per pair: (weights, constant)."""
        nl = ~self.is_last
        w = np.zeros(self.nvar)
        w[self.var[nl]] = pair_cost[nl] - pair_cost[np.flatnonzero(nl) + 1]
        return w, float(pair_cost[self.is_last].sum())

    def moves(self, y: np.ndarray) -> np.ndarray:
        """(local groups × H) shares of moving in each quarter from variable values ``y``."""
        nl = ~self.is_last
        ypair = np.ones(len(self.pg))
        ypair[nl] = y[self.var[nl]]
        prev = np.zeros(len(self.pg))
        later = self.k_in > 0
        prev[later] = ypair[np.flatnonzero(later) - 1]
        out = np.zeros((len(self.idx), self.H))
        out[self.pg, self.pq] = np.clip(ypair - prev, 0.0, 1.0)
        return out


def time_indexed(problem: ScheduleProblem, ok: np.ndarray, idx: np.ndarray | None = None, *, batch: int = 1 << 21) -> TimeIndexed:
    """Build the strong time-indexed structure of the groups ``idx`` (default all).

    Edges to groups outside ``idx`` are ignored (narrow ``ok`` to express them). Index arrays
    are 32-bit and the precedence rows are generated in batches of about ``batch`` entries,
    so memory stays near the size of the result even for 500,000 groups.
    """
    H, n_all = problem.horizon, problem.size
    idx = np.arange(n_all) if idx is None else np.asarray(idx, dtype=np.int64)
    n = len(idx)
    okb = ok[idx]
    m = okb.sum(axis=1, dtype=np.int32)
    pg, pq = (a.astype(np.int32) for a in np.nonzero(okb))
    npairs = len(pg)
    first = np.zeros(n, dtype=np.int64)
    if n:
        first[1:] = np.cumsum(m, dtype=np.int64)[:-1]
    k_in = (np.arange(npairs, dtype=np.int64) - first[pg]).astype(np.int32)
    is_last = k_in == m[pg] - 1
    var = (np.arange(npairs, dtype=np.int64) - pg).astype(np.int32)
    nvar = npairs - n
    one, zero = np.zeros(nvar, dtype=bool), np.zeros(nvar, dtype=bool)
    bad = bool((m == 0).any())
    mono = np.flatnonzero(~is_last & (k_in < m[pg] - 2))
    ia, ib = [var[mono]], [var[mono] + 1]
    del mono
    local = np.full(n_all, -1, dtype=np.int64)
    local[idx] = np.arange(n)
    if len(problem.edges) and not bad:
        ep, es_ = local[problem.edges[:, 0]], local[problem.edges[:, 1]]
        inside = (ep >= 0) & (es_ >= 0)
        ep, es_ = ep[inside], es_[inside]
        cnt = np.cumsum(okb, axis=1, dtype=np.int32)  # open quarters of g at or before q
        reps = m[es_].astype(np.int64)
        ends = np.cumsum(reps)
        lo_e = 0
        while lo_e < len(ep):  # batches of edges with about `batch` (edge, quarter) entries
            hi_e = max(lo_e + 1, int(np.searchsorted(ends, (ends[lo_e - 1] if lo_e else 0) + batch)))
            bp, bs = ep[lo_e:hi_e], es_[lo_e:hi_e]
            e_ix, within = expand(m[bs])
            js = first[bs][e_ix] + within  # the successor's pair
            qq = pq[js] - problem.lag
            p_ = bp[e_ix]
            jp_local = np.where(qq >= 0, cnt[p_, np.maximum(qq, 0)] - 1, -1)
            s_last = is_last[js]
            none = jp_local < 0
            bad |= bool((none & s_last).any())
            zero[var[js[none & ~s_last]]] = True
            p_last = jp_local == m[p_] - 1
            jp = first[p_] + jp_local
            lower = ~none & ~p_last & s_last
            one[var[jp[lower]]] = True
            sel = ~none & ~p_last & ~s_last
            ia.append(var[js[sel]])
            ib.append(var[jp[sel]])
            lo_e = hi_e
        del cnt
    bad |= bool((one & zero).any())
    og = ot = oc = np.zeros(0, dtype=np.int64)
    if len(problem.ob_group):
        keep = local[problem.ob_group] >= 0
        g_, t_, c_ = local[problem.ob_group[keep]], problem.ob_target[keep], problem.ob_count[keep]
        e_ix, within = expand(m[g_])
        og, ot, oc = ((first[g_][e_ix] + within).astype(np.int32), t_[e_ix].astype(np.int32),
                      c_[e_ix].astype(np.int32))
    return TimeIndexed(idx, H, m, first, pg, pq, k_in, is_last, var, nvar, one, zero,
                       (np.concatenate(ia), np.concatenate(ib)), (og, ot, oc), bad)


def reduced_costs(problem: ScheduleProblem, ok: np.ndarray, *, price_eigen: np.ndarray | None = None,
                  price_fremd: np.ndarray | None = None, price_ob: np.ndarray | None = None) -> np.ndarray:
    """(groups × quarters) cost plus capacity prices times the group's use; ``inf`` where closed."""
    red = problem.cost.astype(float)
    if price_eigen is not None:
        red += problem.eigen[:, None] * price_eigen[None, :]
    if price_fremd is not None:
        red += problem.fremd[:, None] * price_fremd[None, :]
    if price_ob is not None and len(problem.ob_group):
        by_group = np.argsort(problem.ob_group, kind="stable")
        g = problem.ob_group[by_group]
        heads = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])  # a group's targets summed in one row
        use = problem.ob_count[by_group, None] * price_ob[problem.ob_target[by_group]]
        red[g[heads]] += np.add.reduceat(use, heads, axis=0)
    red[~ok] = np.inf
    return red


def late_horizon(problem: ScheduleProblem, ok: np.ndarray, hi: np.ndarray, *, levels: list[np.ndarray] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Open quarters up to ``U[g] ≥ hi[g]`` plus one *late* quarter ``r[g]`` (the first open one
    after ``U[g]``, ``-1`` if none) that stands for all later ones.

    ``U`` is raised along the dependencies so that ``r[s] ≥ r[p] + lag`` on every edge: then
    every schedule maps (later quarters → the late one) to a feasible schedule of the
    truncated problem, and costing the late quarter at the minimum over the quarters it
    stands for (:func:`late_pair_costs`) keeps the truncated minimum a valid lower bound
    while the model shrinks to the quarters that matter. ``levels``: the groups by precedence
    level, if already known. Returns (open quarters, r).

    Examples
    --------
    >>> from consolidation.schedule.problem import earliest_starts, example_problem, open_quarters
    >>> p = example_problem()
    >>> ok, late = late_horizon(p, open_quarters(p, earliest_starts(p), p.blocked()), np.array([0, 0, 0]))
    >>> ok.astype(int).tolist(), late.tolist()
    ([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], [1, 2, 3])
    """
    n, H = problem.size, problem.horizon
    q = np.arange(H)
    U = np.minimum(np.asarray(hi, dtype=np.int64), H - 1)
    late = np.full(n, -1, dtype=np.int64)
    p_, s_ = (problem.edges[:, 0], problem.edges[:, 1]) if len(problem.edges) else (np.zeros(0, int),) * 2
    for level in longest_path_levels(n, p_, s_) if levels is None else levels:
        if len(p_):
            inc = np.isin(s_, level) if len(level) < n else np.ones(len(s_), dtype=bool)
            need = np.full(n, -1, dtype=np.int64)
            pl = p_[inc]
            np.maximum.at(need, s_[inc], np.where(late[pl] >= 0, late[pl], U[pl]) + problem.lag - 1)
            U[level] = np.minimum(np.maximum(U[level], need[level]), H - 1)
        after = ok[level] & (q[None, :] > U[level][:, None])
        late[level] = np.where(after.any(axis=1), after.argmax(axis=1), -1)
    keep = ok & ((q[None, :] <= U[:, None]) | (q[None, :] == late[:, None]))
    return keep, late


def late_pair_costs(ti: TimeIndexed, red: np.ndarray) -> np.ndarray:
    """Pair costs from reduced costs ``red`` where each group's last pair costs the minimum over
    all open quarters from its quarter on (it stands for them, see :func:`late_horizon`)."""
    g = ti.idx[ti.pg]
    pc = red[g, ti.pq]
    last = np.flatnonzero(ti.is_last)
    rows = red if len(ti.idx) == len(red) else red[ti.idx]
    sfx = np.minimum.accumulate(rows[:, ::-1], axis=1)[:, ::-1]
    pc[last] = sfx[ti.pg[last], ti.pq[last]]
    return pc


def pair_costs(problem: ScheduleProblem, ti: TimeIndexed, *, price_eigen: np.ndarray | None = None,
               price_fremd: np.ndarray | None = None, price_ob: np.ndarray | None = None) -> np.ndarray:
    """Cost of each pair, plus capacity prices times the group's use (Lagrangian costs)."""
    g = ti.idx[ti.pg]
    pc = problem.cost[g, ti.pq].astype(float)
    if price_eigen is not None:
        pc += problem.eigen[g] * price_eigen[ti.pq]
    if price_fremd is not None:
        pc += problem.fremd[g] * price_fremd[ti.pq]
    if price_ob is not None and len(ti.ob[0]):
        j, t, c = ti.ob
        np.add.at(pc, j, c * price_ob[t, ti.pq[j]])
    return pc


def closure_min(ti: TimeIndexed, pair_cost: np.ndarray, *, scale: float | None = None) -> tuple[float, np.ndarray]:
    """Exact minimum of the precedence-only problem (no capacity) for the given pair costs.

    With capacity left out, the strong model is a minimum-weight closure problem (every row is
    an implication ``y[a] → y[b]``), solved exactly as a minimum s–t cut (OR-Tools max flow).
    Weights are scaled by ``scale`` (default: as fine as 64-bit capacities allow, at most
    10⁴ per EUR) and rounded down, so the returned value is a valid lower bound of the true
    minimum (within ``nvar / scale``). Returns (value, the quarter each group moves in).
    """
    from ortools.graph.python import max_flow

    w, const = ti.weights(pair_cost)
    forced1 = np.flatnonzero(ti.one)
    forced0 = np.flatnonzero(ti.zero)
    if scale is None:  # every arc and the total out of the source must fit into 63 bits
        scale = min(1e4, 2.0**60 / ((float(np.abs(w).sum()) + 1.0) * (len(forced1) + len(forced0) + 2)))
    wi = np.floor(w * scale).astype(np.int64)
    del w
    nv = ti.nvar
    src, snk = nv, nv + 1
    inf = int(np.abs(wi).sum() + 1)
    neg = np.flatnonzero(wi < 0).astype(np.int32)
    pos = np.flatnonzero(wi > 0).astype(np.int32)
    base = float(wi[neg].sum())
    a, b = ti.impl
    i32 = lambda k, v: np.full(k, v, dtype=np.int32)
    tails = np.concatenate([i32(len(neg), src), pos, i32(len(forced1), src), forced0.astype(np.int32), a])
    heads = np.concatenate([neg, i32(len(pos), snk), forced1.astype(np.int32), i32(len(forced0), snk), b])
    caps = np.concatenate([-wi[neg], wi[pos], np.full(len(forced1) + len(forced0) + len(a), inf, dtype=np.int64)])
    del wi, neg, pos
    f = max_flow.SimpleMaxFlow()
    f.add_arcs_with_capacity(tails, heads, caps)
    del tails, heads, caps
    status = f.solve(src, snk)
    if status != f.OPTIMAL:
        raise RuntimeError(f"max flow failed: {status}")
    # the largest optimal closure (everything not on the sink side): among equally cheap
    # quarters each group takes the earliest, which leaves the repair the most room
    y = np.ones(nv)
    side = np.asarray(f.get_sink_side_min_cut(), dtype=np.int64)
    y[side[side < nv]] = 0.0
    value = (base + float(f.optimal_flow())) / scale + const
    del f
    # y is monotone within a group: the move is at the group's first pair with y = 1
    ypair = np.ones(len(ti.pg))
    nl = ~ti.is_last
    ypair[nl] = y[ti.var[nl]]
    zeros = np.add.reduceat(ypair < 0.5, ti.first) if len(ti.first) else np.zeros(0, dtype=np.int64)
    return value, ti.pq[ti.first + zeros].astype(np.int64)


def lagrangian(problem: ScheduleProblem, ti: TimeIndexed, prices: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
               *, ok: np.ndarray) -> tuple[float, np.ndarray]:
    """Lagrangian bound with capacity and onboarding priced (``None``: zero prices) and
    precedence kept, and the schedule that attains it (capacity ignored; precedence-feasible
    unless late quarters were folded — it is used as each group's earliest wish).

    ``ti`` is the time-indexed model over all open quarters ``ok`` or over a
    :func:`consolidation.schedule.lagrange.late_horizon` of them (the last quarter of each group then
    stands for all later ones). Valid for any non-negative prices; equals the strong LP bound
    at the LP's duals when ``ti`` has all quarters.

    Examples
    --------
    >>> from consolidation.schedule.problem import earliest_starts, example_problem, open_quarters
    >>> p = example_problem()
    >>> ok = open_quarters(p, earliest_starts(p), p.blocked())
    >>> value, first = lagrangian(p, time_indexed(p, ok), None, ok=ok)
    >>> round(value, 3), first.tolist()
    (30.0, [0, 1, 2])
    """
    pe, pf, pob = prices if prices is not None else (None, None, None)
    red = reduced_costs(problem, ok, price_eigen=pe, price_fremd=pf, price_ob=pob)
    value, first = closure_min(ti, late_pair_costs(ti, red))
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
