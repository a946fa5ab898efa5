"""Relaxations of the wave schedule: the strong LP (HiGHS), the Lagrangian as a minimum cut
(OR-Tools max flow), and capacity prices by decomposition — all built from arrays.

The strong time-indexed model of :mod:`consolidation.waves`: per move group ``g`` and open
quarter ``q_k`` (sorted) a variable ``y[g, k]`` = "g has moved by ``q_k``", monotone in
``k``, the last one the constant 1. Moving in ``q_k`` is ``y[g, k] − y[g, k−1]``.
Precedence is disaggregated, ``y[s, q] ≤ y[p, q − lag]``; Eigen-/Fremdleistung capacity
and onboarding per target and quarter are rows over the moves.

* :func:`strong_lp` — every row and column generated with numpy (no Python loop per group),
  handed to HiGHS in compressed-row form. Its value is a valid lower bound, its solution
  guides the primal search (most groups are integral in it), its row duals are prices.
* :func:`closure_min` — with capacity priced, the rest is a minimum-weight closure problem,
  solved exactly as one minimum s–t cut: a valid bound for any non-negative prices
  (the Lagrangian, :func:`consolidation.waves.lagrangian`), equal to the LP at its duals.
  :func:`late_horizon` folds each group's late quarters into one to keep it small.
* :func:`sample_prices`, :func:`onboarding_prices` — prices for problems too large for one
  LP: team capacity from a sample of whole organisation chunks, onboarding per chunk of
  groups that keeps every target instance whole (:func:`instance_chunks`).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from common.interrupt import run_stoppable

__all__ = ["LPResult", "TimeIndexed", "closure_min", "instance_chunks", "late_horizon", "late_pair_costs",
           "onboarding_prices", "open_quarters", "pair_costs", "reduced_costs", "sample_prices", "strong_lp",
           "time_indexed"]


@dataclass(frozen=True, eq=False)
class LPResult:
    """Outcome of :func:`strong_lp`.

    ``value`` is a valid lower bound (``inf`` if infeasible, ``-inf`` if not solved);
    ``frac[g, q]`` the LP's share of group ``g`` moving in quarter ``q`` (rows of ``idx``);
    ``price_eigen``/``price_fremd`` (per quarter) and ``price_ob`` (target × quarter) are the
    capacity rows' dual prices (≥ 0, per unit of effort/onboarding).
    """

    status: str
    value: float
    frac: np.ndarray | None = None
    price_eigen: np.ndarray | None = None
    price_fremd: np.ndarray | None = None
    price_ob: np.ndarray | None = None


def open_quarters(problem, es: np.ndarray, blocked: np.ndarray, lo: np.ndarray | None = None,
                  hi: np.ndarray | None = None) -> np.ndarray:
    """Boolean matrix (groups × quarters): quarter open to the group (earliest start or
    ``lo``, deadline or ``hi``, blackouts)."""
    q = np.arange(problem.horizon)
    first = es if lo is None else np.maximum(es, lo)
    last = problem.deadline if hi is None else np.minimum(problem.deadline, hi)
    return (q[None, :] >= first[:, None]) & (q[None, :] <= last[:, None]) & ~blocked


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


def time_indexed(problem, ok: np.ndarray, idx: np.ndarray | None = None, *, batch: int = 1 << 21) -> TimeIndexed:
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
            e_ix, within = _expand(m[bs])
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
        e_ix, within = _expand(m[g_])
        og, ot, oc = ((first[g_][e_ix] + within).astype(np.int32), t_[e_ix].astype(np.int32),
                      c_[e_ix].astype(np.int32))
    return TimeIndexed(idx, H, m, first, pg, pq, k_in, is_last, var, nvar, one, zero,
                       (np.concatenate(ia), np.concatenate(ib)), (og, ot, oc), bad)


def _expand(reps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For entries repeated ``reps`` times: (entry index, position within the entry)."""
    reps = reps.astype(np.int64)
    e_ix = np.repeat(np.arange(len(reps)), reps)
    within = np.arange(len(e_ix)) - np.repeat(np.cumsum(reps) - reps, reps)
    return e_ix, within


def reduced_costs(problem, ok: np.ndarray, *, price_eigen: np.ndarray | None = None,
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


def late_horizon(problem, ok: np.ndarray, hi: np.ndarray, *, levels: list[np.ndarray] | None = None
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
    >>> from consolidation.waves import _example, earliest_starts
    >>> p = _example()
    >>> ok, late = late_horizon(p, open_quarters(p, earliest_starts(p), p.blocked()), np.array([0, 0, 0]))
    >>> ok.astype(int).tolist(), late.tolist()
    ([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], [1, 2, 3])
    """
    n, H = problem.size, problem.horizon
    q = np.arange(H)
    U = np.minimum(np.asarray(hi, dtype=np.int64), H - 1)
    late = np.full(n, -1, dtype=np.int64)
    p_, s_ = (problem.edges[:, 0], problem.edges[:, 1]) if len(problem.edges) else (np.zeros(0, int),) * 2
    for level in _levels(n, p_, s_) if levels is None else levels:
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


def _levels(n: int, p_: np.ndarray, s_: np.ndarray) -> list[np.ndarray]:
    """Groups by longest-path level of the group graph (Kahn's algorithm over arrays), level 0
    first, each sorted by index. Raises ``ValueError`` on a cycle.

    Examples
    --------
    >>> [x.tolist() for x in _levels(4, np.array([0, 1, 0]), np.array([1, 2, 3]))]
    [[0], [1, 3], [2]]
    """
    indeg = np.bincount(s_, minlength=n)
    order = np.argsort(p_, kind="stable")
    heads = s_[order]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(p_, minlength=n), out=start[1:])
    frontier = np.flatnonzero(indeg == 0)
    out, seen = [], 0
    while len(frontier):
        out.append(frontier)
        seen += len(frontier)
        counts = start[frontier + 1] - start[frontier]
        e_ix, within = _expand(counts)
        nxt = heads[start[frontier][e_ix] + within]
        if not len(nxt):
            break
        dec = np.bincount(nxt, minlength=n)
        touched = np.flatnonzero(dec)
        indeg[touched] -= dec[touched]
        frontier = touched[indeg[touched] == 0]
    if seen != n:
        raise ValueError("the group graph has a cycle")
    return out


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


def pair_costs(problem, ti: TimeIndexed, *, price_eigen: np.ndarray | None = None,
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


_banner_lock = threading.Lock()
_banner_done = False


def _highs():
    """A silent HiGHS instance. HiGHS prints a banner to standard output when the process
    makes its first instance; that one is made with the output pointed at /dev/null, so the
    CLI's output (``--json``) stays clean."""
    import highspy

    global _banner_done
    with _banner_lock:
        if not _banner_done:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "wb") as null:
                    os.dup2(null.fileno(), 1)
                    highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_done = True
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def strong_lp(problem, ok: np.ndarray, *, idx: np.ndarray | None = None, cap_eigen: np.ndarray | None = None,
              cap_fremd: np.ndarray | None = None, ob_cap: np.ndarray | None = None,
              team_prices: tuple[np.ndarray, np.ndarray] | None = None, time_limit_s: float = 60.0,
              threads: int = 1) -> LPResult:
    """Solve the strong LP over the groups ``idx`` (default all) with open quarters ``ok``.

    Parameters
    ----------
    problem : ScheduleProblem
    ok : (n, H) bool
        Open quarters per group (see :func:`open_quarters`).
    idx : int array, optional
        The groups in the model; edges to groups outside are ignored (narrow ``ok`` to
        express them).
    cap_eigen, cap_fremd : (H,) int, optional
        Capacity available to these groups (default: the problem's).
    ob_cap : (T, H) or (T,) int, optional
        Onboarding capacity available (default: the problem's, every quarter).
    team_prices : (price_eigen, price_fremd), optional
        Price the team capacity instead of constraining it (no team rows; the prices are
        returned as the team duals): the model then falls apart into independent parts
        linked only by onboarding and precedence.
    time_limit_s : float
        HiGHS wall-clock limit.

    Examples
    --------
    >>> from consolidation.waves import _example, earliest_starts
    >>> p = _example()
    >>> r = strong_lp(p, open_quarters(p, earliest_starts(p), p.blocked()))
    >>> r.status, round(r.value, 3), r.frac.argmax(axis=1).tolist()
    ('OPTIMAL', 30.0, [0, 1, 2])
    """
    import highspy

    H = problem.horizon
    ti = time_indexed(problem, ok, idx)
    n = len(ti.idx)
    if n == 0:
        return LPResult("OPTIMAL", 0.0, np.zeros((0, H)))
    if ti.infeasible:
        return LPResult("INFEASIBLE", float("inf"))
    T = len(problem.targets)
    cap_e = (problem.cap_eigen if cap_eigen is None else cap_eigen).astype(float)
    cap_f = (problem.cap_fremd if cap_fremd is None else cap_fremd).astype(float)
    obc = np.asarray(problem.ob_cap if ob_cap is None else ob_cap, dtype=float)
    obc = np.tile(obc[:, None], (1, H)) if obc.ndim == 1 else obc
    if team_prices is None:
        col_cost, const = ti.weights(pair_costs(problem, ti))
    else:
        col_cost, const = ti.weights(pair_costs(problem, ti, price_eigen=team_prices[0], price_fremd=team_prices[1]))
    rows_r: list[np.ndarray] = []
    rows_c: list[np.ndarray] = []
    rows_v: list[np.ndarray] = []
    row_hi: list[np.ndarray] = []
    nrow = 0

    def add_resource(j: np.ndarray, amount: np.ndarray, row_of_pair: np.ndarray, n_rows: int, ub: np.ndarray) -> int:
        """Rows Σ amount·(y[k] − y[k−1]) ≤ ub over the pairs ``j``; returns the first row."""
        nonlocal nrow
        base = nrow
        ub = ub.astype(float).copy()
        r = base + row_of_pair
        own = ~ti.is_last[j]
        prev = ti.k_in[j] > 0
        rows_r.extend([r[own], r[prev]])
        rows_c.extend([ti.var[j[own]], ti.var[j[prev] - 1]])
        rows_v.extend([amount[own], -amount[prev]])
        np.subtract.at(ub, row_of_pair[ti.is_last[j]], amount[ti.is_last[j]])
        row_hi.append(ub)
        nrow += n_rows
        return base

    pairs = np.arange(len(ti.pg))
    e_amt = problem.eigen[ti.idx].astype(float)[ti.pg]
    f_amt = problem.fremd[ti.idx].astype(float)[ti.pg]
    row_e = row_f = -1
    if team_prices is None:
        sel = pairs[e_amt > 0]
        row_e = add_resource(sel, e_amt[sel], ti.pq[sel], H, cap_e)
        sel = pairs[f_amt > 0]
        row_f = add_resource(sel, f_amt[sel], ti.pq[sel], H, cap_f)
    row_ob = -1
    j, t, c = ti.ob
    if T and len(j):
        row_ob = add_resource(j, c.astype(float), t * H + ti.pq[j], T * H, obc.reshape(-1))
    a, b = ti.impl
    if len(a):
        r = nrow + np.arange(len(a))
        rows_r += [r, r]
        rows_c += [a, b]
        rows_v += [np.ones(len(a)), -np.ones(len(a))]
        row_hi.append(np.zeros(len(a)))
        nrow += len(a)
    R = np.concatenate(rows_r) if rows_r else np.zeros(0, dtype=np.int64)
    Cc = np.concatenate(rows_c) if rows_c else np.zeros(0, dtype=np.int64)
    Vv = np.concatenate(rows_v) if rows_v else np.zeros(0)
    order = np.lexsort((Cc, R))
    R, Cc, Vv = R[order], Cc[order], Vv[order]
    start = np.zeros(nrow + 1, dtype=np.int32)
    np.cumsum(np.bincount(R, minlength=nrow), out=start[1:])

    h = _highs()
    h.setOptionValue("threads", threads)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("presolve", "off")  # measured: presolve costs more than it saves on this model
    h.setOptionValue("time_limit", float(time_limit_s))
    lp = highspy.HighsLp()
    lp.num_col_ = ti.nvar
    lp.num_row_ = nrow
    lp.offset_ = const
    lp.col_cost_ = col_cost
    lp.col_lower_ = ti.one.astype(float)
    lp.col_upper_ = (~ti.zero).astype(float)
    lp.row_lower_ = np.full(nrow, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate(row_hi) if row_hi else np.zeros(0)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = Cc.astype(np.int32)
    lp.a_matrix_.value_ = Vv
    lp.a_matrix_.num_col_ = ti.nvar
    lp.a_matrix_.num_row_ = nrow
    h.passModel(lp)
    h.HandleUserInterrupt = True  # the interrupt callback polls cancelSolve(): Ctrl-C stops the LP
    run_stoppable(h.run, h.cancelSolve)
    st = h.getModelStatus()
    if st == highspy.HighsModelStatus.kInfeasible:
        return LPResult("INFEASIBLE", float("inf"))
    if st != highspy.HighsModelStatus.kOptimal:
        return LPResult(h.modelStatusToString(st), float("-inf"))
    sol = h.getSolution()
    dual = -np.asarray(sol.row_dual)
    value = float(h.getInfo().objective_function_value)
    if team_prices is None:
        pe, pf = np.maximum(dual[row_e:row_e + H], 0.0), np.maximum(dual[row_f:row_f + H], 0.0)
    else:
        pe, pf = team_prices
    pob = np.maximum(dual[row_ob:row_ob + T * H], 0.0).reshape(T, H) if row_ob >= 0 else np.zeros((T, H))
    return LPResult("OPTIMAL", value - 1e-6 * abs(value), ti.moves(np.asarray(sol.col_value)), pe, pf, pob)


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


def sample_prices(problem, ok: np.ndarray, *, size: int, chunk: int, time_limit_s: float = 60.0
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Capacity prices (Eigen, Fremd per quarter; onboarding per target and quarter) from the
    strong LP of a sample of about ``size`` groups with the team capacity scaled to the
    sample's share of the effort.

    The sample is whole chunks (:func:`instance_chunks`, about ``chunk`` groups each), evenly
    spread over the groups: it keeps the organisations' dependencies and their target
    instances intact, which prices the shared team capacity much more steadily than a random
    sample of groups (measured). Onboarding prices are exact only for the sampled instances;
    :func:`onboarding_prices` prices the rest. Zero prices if the sample LP is not solved.

    Examples
    --------
    >>> from consolidation.waves import _example, earliest_starts
    >>> p = _example()
    >>> [x.shape for x in sample_prices(p, open_quarters(p, earliest_starts(p), p.blocked()), size=2, chunk=2)]
    [(4,), (4,), (0, 4)]
    """
    H, T = problem.horizon, len(problem.targets)
    chunks = instance_chunks(problem, size=chunk)
    mean = max(1.0, problem.size / len(chunks))
    k = min(len(chunks), max(1, round(size / mean)))
    idx = np.concatenate([chunks[i] for i in np.linspace(0, len(chunks) - 1, k).round().astype(int).tolist()])
    work = problem.eigen + problem.fremd
    share = float(work[idx].sum()) / max(float(work.sum()), 1.0)
    lp = strong_lp(problem, ok, idx=idx, cap_eigen=problem.cap_eigen * share, cap_fremd=problem.cap_fremd * share,
                   time_limit_s=time_limit_s)
    if lp.status != "OPTIMAL":
        return np.zeros(H), np.zeros(H), np.zeros((T, H))
    return lp.price_eigen, lp.price_fremd, lp.price_ob


def instance_chunks(problem, *, size: int) -> list[np.ndarray]:
    """Consecutive ranges of groups, cut only where no target instance has tenants on both
    sides, packed to about ``size`` groups (a range is never cut inside an instance's span, so
    one instance's onboarding rows stay in one chunk; a span longer than ``size`` stays whole).

    Examples
    --------
    >>> from consolidation.waves import _example
    >>> [c.tolist() for c in instance_chunks(_example(), size=2)]
    [[0, 1], [2]]
    """
    n, T = problem.size, len(problem.targets)
    crossing = np.zeros(n + 1, dtype=np.int64)  # instances whose span covers the cut before i
    if T and len(problem.ob_group):
        lo = np.full(T, n)
        hi = np.full(T, -1)
        np.minimum.at(lo, problem.ob_target, problem.ob_group)
        np.maximum.at(hi, problem.ob_target, problem.ob_group)
        used = hi >= 0
        np.add.at(crossing, lo[used] + 1, 1)
        np.add.at(crossing, hi[used] + 1, -1)
        crossing = np.cumsum(crossing)
    cuts = [0]
    for c in np.flatnonzero(crossing[1:n] == 0).tolist():
        if c + 1 - cuts[-1] >= size:
            cuts.append(c + 1)
    cuts.append(n)
    return [np.arange(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def onboarding_prices(problem, ok: np.ndarray, team_prices: tuple[np.ndarray, np.ndarray], *, chunk: int,
                      max_chunks: int | None = None, threads: int = 2, time_limit_s: float = 60.0) -> np.ndarray:
    """Onboarding prices (target instance × quarter) for problems too large for one LP.

    Onboarding is local to a target instance. With the team capacity priced
    (``team_prices``, e.g. from :func:`sample_prices`), the strong LP falls apart into
    independent parts, solved per chunk of groups that keeps every instance whole
    (:func:`instance_chunks`) on ``threads`` threads; each instance gets the onboarding duals
    of its chunk. With more than ``max_chunks`` chunks only that many, evenly spread, are
    solved, and every other instance takes the mean price of the solved instances of its kind
    (``problem.target_kind``). Any non-negative prices give a valid Lagrangian bound; these
    come close to the whole LP's duals.

    Examples
    --------
    >>> from consolidation.waves import _example, earliest_starts
    >>> p = _example()
    >>> ok = open_quarters(p, earliest_starts(p), p.blocked())
    >>> onboarding_prices(p, ok, (np.zeros(4), np.zeros(4)), chunk=2).shape
    (0, 4)
    """
    T, H = len(problem.targets), problem.horizon
    pob = np.zeros((T, H))
    if not T:
        return pob
    chunks = instance_chunks(problem, size=chunk)
    if max_chunks is not None and len(chunks) > max_chunks:
        chunks = [chunks[i] for i in np.linspace(0, len(chunks) - 1, max_chunks).round().astype(int).tolist()]

    def solve(idx: np.ndarray) -> np.ndarray:
        r = strong_lp(problem, ok, idx=idx, team_prices=team_prices, time_limit_s=time_limit_s)
        return r.price_ob if r.status == "OPTIMAL" else np.zeros((T, H))

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for part in pool.map(solve, chunks):  # in chunk order: deterministic
            np.maximum(pob, part, out=pob)
    solved = np.zeros(T, dtype=bool)
    inside = np.zeros(problem.size, dtype=bool)
    for c in chunks:
        inside[c] = True
    solved[problem.ob_target[inside[problem.ob_group]]] = True
    if not solved.all():
        kind = np.asarray(problem.target_kind if len(problem.target_kind) == T else problem.targets)
        for k in np.unique(kind[~solved]).tolist():
            src = (kind == k) & solved
            if src.any():
                pob[(kind == k) & ~solved] = pob[src].mean(axis=0)
    return pob
