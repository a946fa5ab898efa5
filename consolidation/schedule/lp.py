"""The strong LP of the schedule (HiGHS) and capacity prices for problems too large for one LP.

* :func:`strong_lp` — every row and column of the time-indexed model
  (:func:`consolidation.schedule.lagrange.time_indexed`) generated with numpy (no Python loop
  per group), handed to HiGHS in compressed-row form. Its value is a valid lower bound, its
  solution guides the primal search (most groups are integral in it), its row duals are prices.
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

from .lagrange import pair_costs, time_indexed
from .problem import ScheduleProblem

__all__ = ["LPResult", "instance_chunks", "instance_shares", "onboarding_prices", "sample_prices", "strong_lp"]


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


#: From this many variables on, HiGHS polls for Ctrl-C (``cancelSolve``) through its interrupt
#: callback. A smaller LP ends within about half a second (the Saarland sample's 12,000: 0.06 s),
#: so Ctrl-C waits for it: the callback calls into Python at every simplex iteration and waits
#: there for the interpreter lock whenever another thread of the planner runs Python
#: (measured on the Saarland sample: 63 → 81 ms).
INTERRUPTIBLE_VARS = 50_000

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


def strong_lp(problem: ScheduleProblem, ok: np.ndarray, *, idx: np.ndarray | None = None, cap_eigen: np.ndarray | None = None,
              cap_fremd: np.ndarray | None = None, ob_cap: np.ndarray | None = None,
              team_prices: tuple[np.ndarray, np.ndarray] | None = None, time_limit_s: float = 60.0,
              threads: int = 1, native: threading.Event | None = None) -> LPResult:
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
    native : threading.Event, optional
        Set just before HiGHS starts solving: from then on the solve leaves the interpreter
        lock free (see :func:`~consolidation.schedule.driver.schedule`).

    Examples
    --------
    >>> from consolidation.schedule.problem import earliest_starts, example_problem, open_quarters
    >>> p = example_problem()
    >>> r = strong_lp(p, open_quarters(p, earliest_starts(p), p.blocked()))
    >>> r.status, round(r.value, 3), r.frac.argmax(axis=1).tolist()
    ('OPTIMAL', 30.0, [0, 1, 2])
    """
    # longer than 80 lines: the rows of team capacity, onboarding and precedence go into one
    # compressed-row matrix for HiGHS; the parts share the row counter and the arrays they fill
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
    h.HandleUserInterrupt = ti.nvar >= INTERRUPTIBLE_VARS  # the callback polls cancelSolve(): Ctrl-C stops the LP
    if native is not None:
        native.set()
    try:
        run_stoppable(h.run, h.cancelSolve)
    finally:
        # the subscription is a reference cycle (the solver → its callback list → its own bound
        # method): with the collector paused, as in the planner and its worker, every solver with
        # its model and factorisation stayed in memory until the process ended
        h.HandleUserInterrupt = False
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


def sample_prices(problem: ScheduleProblem, ok: np.ndarray, *, size: int, chunk: int, time_limit_s: float = 60.0
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Capacity prices (Eigen, Fremd per quarter; onboarding per target and quarter) from the
    strong LP of a sample of about ``size`` groups with the team capacity scaled to the
    sample's share of the effort.

    The sample is whole chunks (:func:`instance_chunks`, about ``chunk`` groups each), evenly
    spread over the groups: it keeps the organisations' dependencies and their target
    instances intact, which prices the shared team capacity much more steadily than a random
    sample of groups (measured). An instance only partly in the sample gets its onboarding
    capacity scaled to the sample's share of its tenants (:func:`instance_shares`), as the
    team capacity is. Onboarding prices are exact only for the sampled instances;
    :func:`onboarding_prices` prices the rest. Zero prices if the sample LP is not solved.

    Examples
    --------
    >>> from consolidation.schedule.problem import earliest_starts, example_problem, open_quarters
    >>> p = example_problem()
    >>> [x.shape for x in sample_prices(p, open_quarters(p, earliest_starts(p), p.blocked()), size=2, chunk=2)]
    [(4,), (4,), (0, 4)]
    """
    H, T = problem.horizon, len(problem.targets)
    chunks = instance_chunks(problem, size=chunk)
    mean = max(1.0, problem.size / len(chunks))
    k = min(len(chunks), max(1, round(size / mean)))
    idx = np.unique(np.concatenate([chunks[i] for i in np.linspace(0, len(chunks) - 1, k).round().astype(int).tolist()]))
    work = problem.eigen + problem.fremd
    share = float(work[idx].sum()) / max(float(work.sum()), 1.0)
    lp = strong_lp(problem, ok, idx=idx, cap_eigen=problem.cap_eigen * share, cap_fremd=problem.cap_fremd * share,
                   ob_cap=_ob_cap_within(problem, instance_shares(problem, idx)), time_limit_s=time_limit_s)
    if lp.status != "OPTIMAL":
        return np.zeros(H), np.zeros(H), np.zeros((T, H))
    return lp.price_eigen, lp.price_fremd, lp.price_ob


def instance_chunks(problem: ScheduleProblem, *, size: int, reach: int = 4) -> list[np.ndarray]:
    """Chunks of about ``size`` groups (sorted index arrays) that keep every target instance whole.

    Groups are ordered by organisation and an instance serves a run of organisations, so a
    chunk is a range of consecutive groups, cut where no instance has tenants on both sides:
    the first such place at least ``size`` groups on (a span longer than ``size`` stays whole).
    Where the instances of different domains serve differently cut runs of organisations
    (e.g. when some organisations already run a domain's standard product and are no tenants of
    it), such places can be missing for long stretches; then a range ends within ``reach ·
    size`` groups at the place that cuts the fewest instances (then the fewest dependencies),
    and each instance cut there joins the range holding most of its tenants: that chunk also
    takes the instance's tenants from beside it. Chunks then overlap a little; every instance
    is whole in exactly one of them (:func:`instance_shares` is 1 there).

    Examples
    --------
    >>> from consolidation.schedule.problem import earliest_starts, example_problem, open_quarters
    >>> [c.tolist() for c in instance_chunks(example_problem(), size=2)]
    [[0, 1], [2]]
    """
    n, size = problem.size, max(1, size)
    crossing = _spans_crossing(n, *_instance_spans(problem))  # instances cut by a cut before group i
    cuts = [0]
    edges = None
    while cuts[-1] + size < n:
        lo, hi = cuts[-1] + size, min(n, cuts[-1] + reach * size)
        free = np.flatnonzero(crossing[lo:hi + 1] == 0)
        if len(free):
            at = lo + int(free[0])
        else:  # no clean cut within reach: the fewest instances cut, then the fewest dependencies
            if edges is None:
                e = problem.edges
                edges = _spans_crossing(n, e.min(axis=1), e.max(axis=1)) if len(e) else np.zeros(n + 1, np.int64)
            at = lo + int(np.lexsort((edges[lo:hi + 1], crossing[lo:hi + 1]))[0])
        if at >= n:
            break
        cuts.append(at)
    cuts.append(n)
    chunks = [np.arange(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    if len(chunks) < 2 or not (crossing[cuts[1:-1]] > 0).any():
        return chunks
    # instances cut by a range boundary: each joins the range with most of its tenants
    og, ot = problem.ob_group, problem.ob_target
    where = np.searchsorted(np.asarray(cuts), og, side="right") - 1
    count = np.bincount(ot.astype(np.int64) * len(chunks) + where)  # tenants per (instance, range)
    key = np.flatnonzero(count)
    inst, part, tenants = key // len(chunks), key % len(chunks), count[key]
    order = np.lexsort((part, -tenants, inst))  # per instance: most tenants first, then the earlier range
    first = np.r_[True, inst[order][1:] != inst[order][:-1]]
    owner = np.full(len(problem.targets), -1, dtype=np.int64)
    owner[inst[order][first]] = part[order][first]
    away = owner[ot] != where  # tenants outside the range that owns their instance
    extra_chunk, extra_group = owner[ot[away]], og[away]
    by = np.argsort(extra_chunk, kind="stable")
    extra_chunk, extra_group = extra_chunk[by], extra_group[by]
    bounds = np.searchsorted(extra_chunk, np.arange(len(chunks) + 1))
    return [c if bounds[i] == bounds[i + 1] else np.union1d(c, extra_group[bounds[i]:bounds[i + 1]])
            for i, c in enumerate(chunks)]


def _instance_spans(problem: ScheduleProblem) -> tuple[np.ndarray, np.ndarray]:
    """Per target instance with tenants: its first and its last tenant group."""
    T, n = len(problem.targets), problem.size
    if not T or not len(problem.ob_group):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo = np.full(T, n)
    hi = np.full(T, -1)
    np.minimum.at(lo, problem.ob_target, problem.ob_group)
    np.maximum.at(hi, problem.ob_target, problem.ob_group)
    used = hi >= 0
    return lo[used], hi[used]


def _spans_crossing(n: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(n + 1,) how many spans ``[lo, hi]`` a cut before group ``i`` separates (``lo < i <= hi``)."""
    crossing = np.zeros(n + 1, dtype=np.int64)
    np.add.at(crossing, lo + 1, 1)
    np.add.at(crossing, hi + 1, -1)
    return np.cumsum(crossing)


def instance_shares(problem: ScheduleProblem, idx: np.ndarray) -> np.ndarray:
    """Per target instance, the share of its tenants (onboarding entries) among the groups ``idx``:
    1 for an instance whole in them, 0 for one without tenants there.

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> instance_shares(example_problem(), np.array([0, 1])).shape
    (0,)
    """
    T = len(problem.targets)
    inside = np.zeros(problem.size, dtype=bool)
    inside[idx] = True
    total = np.bincount(problem.ob_target, minlength=T)
    there = np.bincount(problem.ob_target[inside[problem.ob_group]], minlength=T)
    return np.divide(there, total, out=np.zeros(T), where=total > 0)


def _ob_cap_within(problem: ScheduleProblem, share: np.ndarray) -> np.ndarray:
    """The onboarding capacity for a part of the groups: an instance partly in it gets its
    share of the capacity, every other instance its own (it is whole there or has no rows)."""
    cap = problem.ob_cap.astype(float)
    part = (share > 0) & (share < 1)
    cap[part] *= share[part]
    return cap


def onboarding_prices(problem: ScheduleProblem, ok: np.ndarray, team_prices: tuple[np.ndarray, np.ndarray], *, chunk: int,
                      max_chunks: int | None = None, threads: int = 2, time_limit_s: float = 60.0) -> np.ndarray:
    """Onboarding prices (target instance × quarter) for problems too large for one LP.

    Onboarding is local to a target instance. With the team capacity priced
    (``team_prices``, e.g. from :func:`sample_prices`), the strong LP falls apart into
    nearly independent parts, solved per chunk of groups that keeps every instance whole
    (:func:`instance_chunks`) on ``threads`` threads; each instance gets the onboarding duals
    of the chunk it is whole in (an instance partly in a chunk has its share of the capacity
    there, see :func:`instance_shares`). With more than ``max_chunks`` chunks only that many,
    evenly spread, are solved, and every other instance takes the mean price of the solved
    instances of its kind (``problem.target_kind``). Any non-negative prices give a valid
    Lagrangian bound; these come close to the whole LP's duals.

    Examples
    --------
    >>> from consolidation.schedule.problem import earliest_starts, example_problem, open_quarters
    >>> p = example_problem()
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

    def solve(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        share = instance_shares(problem, idx)
        whole = share == 1.0
        r = strong_lp(problem, ok, idx=idx, team_prices=team_prices, ob_cap=_ob_cap_within(problem, share),
                      time_limit_s=time_limit_s)
        return whole, (r.price_ob if r.status == "OPTIMAL" else np.zeros((T, H)))

    solved = np.zeros(T, dtype=bool)
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for whole, part in pool.map(solve, chunks):  # in chunk order: deterministic
            pob[whole] = np.maximum(pob[whole], part[whole])
            solved |= whole
    if not solved.all():
        kind = np.asarray(problem.target_kind if len(problem.target_kind) == T else problem.targets)
        for k in np.unique(kind[~solved]).tolist():
            src = (kind == k) & solved
            if src.any():
                pob[(kind == k) & ~solved] = pob[src].mean(axis=0)
    return pob
