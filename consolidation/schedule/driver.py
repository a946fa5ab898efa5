"""The schedule: one quarter per move group, the cost table minimised under every constraint.

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
also searches the neighbourhood the LP solution spans (:func:`~consolidation.schedule.cpsat.lp_guided`).

When no schedule exists, :func:`~consolidation.schedule.conflicts.explain_infeasibility` names
a minimal set of conflicting constraint families.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .conflicts import explain_infeasibility
from .cpsat import improve_by_windows, lp_guided, polish, solve_block
from .greedy import component_blocks, improve_moves, list_schedule, price_repair, priority_schedule
from .lagrange import lagrangian, late_horizon, time_indexed
from .lp import onboarding_prices, sample_prices, strong_lp
from .problem import (
    ScheduleInfeasibleError,
    ScheduleProblem,
    ScheduleResult,
    earliest_starts,
    open_quarters,
    relaxation_bound,
    schedule_cost,
)

__all__ = ["schedule", "schedule_blocks"]

#: Quarters per CP-SAT time window on the large path: wide enough to move a big group and its
#: predecessor past the smaller groups that fill the quarters between (4 left tight cases 1–4 %
#: above the optimum, 8 reached it; measured on the exact-optimum cases).
LARGE_PATH_SPAN = 8


def schedule(problem: ScheduleProblem, *, deterministic_time: float = 0.2, time_limit_s: float = 20.0,
             seed: int = 0, workers: int = 1, block_size: int = 1500, window_span: int = 3, passes: int = 2,
             full_model_groups: int = 80, lp_max_pairs: int = 60_000, lp_margin: int = 8, fold_margin: int = 4,
             price_sample_groups: int = 5000, price_chunk_groups: int = 1000, price_chunks: int = 16,
             max_windows: int = 80, lp_guided_det_time: float = 0.05, polish_max_groups: int = 300,
             polish_det_time: float = 0.5, moves_max_groups: int = 20_000, windows_max_groups: int = 2_000,
             windows_det_time: float = 0.2, native: threading.Event | None = None) -> ScheduleResult:
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
        Problems up to this size take the small path (strong LP, then the full model, see
        ``polish_max_groups``) whatever their pairs; in the fallback, blocks up to this size are
        solved as one CP-SAT model.
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
        the later ones into one (:func:`consolidation.schedule.lagrange.late_horizon`; measured at
        Germany scale: the same bound to 0.0001 % as with 8, the max-flow 40 % faster).
    price_sample_groups, price_chunk_groups, price_chunks : int
        Beyond ``lp_max_pairs``: team capacity is priced by the LP of a sample of about
        ``price_sample_groups`` groups in whole chunks (:func:`consolidation.schedule.lp.sample_prices`), onboarding
        by the LPs of at most ``price_chunks`` evenly spread chunks of about
        ``price_chunk_groups`` groups that keep every target instance whole; instances outside
        them take the mean price of the solved instances of their kind
        (:func:`consolidation.schedule.lp.onboarding_prices`).
    lp_guided_det_time : float
        CP-SAT deterministic time of the LP-guided neighbourhood search.
    polish_max_groups, polish_det_time : int, float
        Problems up to ``polish_max_groups`` groups end with the full CP-SAT model (every open
        quarter of every group) warm-started from the best schedule found so far, stopped after
        ``polish_det_time`` of deterministic time (:func:`~consolidation.schedule.cpsat.polish`):
        small and medium problems where capacity binds get a real chance at the optimum, and
        CP-SAT's proven bound counts when it is the better one.
    moves_max_groups : int
        Without the strong LP of the whole problem (the large path), up to this many groups, a
        repaired schedule more than 0.1 % above the bound is compared with
        two more priority lists and improved by moves (:func:`~consolidation.schedule.greedy.improve_moves`);
        larger problems keep the repair alone (their time budget).
    windows_max_groups, windows_det_time : int, float
        On the large path, up to ``windows_max_groups`` groups, a schedule still more than 0.1 % above
        the bound after the moves is re-optimised exactly in rolling CP-SAT time windows of
        ``LARGE_PATH_SPAN`` quarters (:func:`~consolidation.schedule.cpsat.improve_by_windows`, at most
        ``max_windows`` windows of ``windows_det_time`` deterministic time each): the moves shift one
        or two groups, a window re-packs the big groups and their predecessors together where
        capacity binds.
    native : threading.Event, optional
        Set when the schedule has done its first steps in Python and numpy and goes into native
        code for a while: just before the strong LP's solve (the small path), before the price
        LPs where there is no strong LP, or as the large path starts. A caller that runs Python
        work in another thread of this process beside the schedule starts that work then: before,
        it contends for the interpreter lock with the schedule's many short numpy steps, each of
        which waits for the lock again (measured on the Saarland sample: the schedule's first
        40 ms took 20 ms longer).

    Returns
    -------
    ScheduleResult

    Raises
    ------
    ScheduleInfeasibleError
        With a minimal set of conflicting constraint families.

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> r = schedule(example_problem())
    >>> r.quarter.tolist(), r.status, r.gap
    ([0, 1, 2], 'OPTIMAL', 0.0)
    """
    # longer than 80 lines: the steps share the problem's arrays, the prices and the bound; each step
    # is a named helper, what stays here is the order and when a step runs
    t0, n = time.perf_counter(), problem.size
    native = threading.Event() if native is None else native  # set as the steps below say; nobody waits for this one
    if n == 0:
        return ScheduleResult(np.zeros(0, dtype=np.int64), "OPTIMAL", 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    blocked = problem.blocked()
    es = earliest_starts(problem, blocked)
    lb, per = relaxation_bound(problem, es, blocked)
    if not np.isfinite(lb):
        raise ScheduleInfeasibleError(explain_infeasibility(problem, np.flatnonzero(~np.isfinite(per))[:50]))
    baseline = schedule_cost(problem, base) if (base := list_schedule(problem, blocked=blocked)) is not None else None
    blocks_kw = {"deterministic_time": deterministic_time, "time_limit_s": time_limit_s, "seed": seed,
                 "workers": workers, "block_size": block_size, "window_span": window_span, "passes": passes,
                 "full_model_groups": full_model_groups, "max_windows": max_windows}
    ok = open_quarters(problem, es, blocked)
    small = int(ok.sum()) <= lp_max_pairs * 4 or n <= full_model_groups
    cheapest = np.where(ok, problem.cost, np.iinfo(np.int64).max).argmin(axis=1)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the second core, for the sample LP
        team = None
        if small:
            # a first schedule: the precedence-only optimum (capacity priced at zero), repaired
            ti = time_indexed(problem, ok)
            quarter = price_repair(problem, lagrangian(problem, ti, None, ok=ok)[1], es=es, blocked=blocked)
        else:
            quarter = base  # the list schedule
            native.set()
        # the LPs offer each group the quarters up to lp_margin after the later of its cheapest one
        # and its quarter in the first schedule (which keeps them feasible)
        lp_ok = ok if quarter is None else open_quarters(problem, es, blocked,
                                                           hi=np.maximum(cheapest, quarter) + lp_margin)
        if not small:
            # team capacity prices from a sample LP on the second core, while the Lagrangian's
            # model is built (its late quarters folded into one)
            team = pool.submit(sample_prices, problem, lp_ok, size=price_sample_groups, chunk=price_chunk_groups,
                               time_limit_s=time_limit_s)
            ti = time_indexed(problem, late_horizon(problem, ok, np.maximum(cheapest, base) + fold_margin,
                                                        levels=problem.levels())[0] if base is not None else ok)
        frac = None
        if small and int(lp_ok.sum()) <= lp_max_pairs:
            lp = strong_lp(problem, lp_ok, time_limit_s=time_limit_s, native=native)
            if lp.status != "OPTIMAL" and lp_ok is not ok:
                lp = strong_lp(problem, ok, time_limit_s=time_limit_s)
            if lp.status == "INFEASIBLE":
                raise ScheduleInfeasibleError(explain_infeasibility(problem))
            if lp.status == "OPTIMAL":
                frac = lp.frac
                prices = (lp.price_eigen, lp.price_fremd, lp.price_ob)
        if frac is None:
            native.set()  # no strong LP of the whole problem: the price LPs are the native part
            pe, pf, _ = (team.result() if team is not None else sample_prices(
                problem, lp_ok, size=price_sample_groups, chunk=price_chunk_groups, time_limit_s=time_limit_s))
            prices = (pe, pf, onboarding_prices(problem, lp_ok, (pe, pf), chunk=price_chunk_groups,
                                                  max_chunks=price_chunks, threads=2, time_limit_s=time_limit_s))
    value, first = lagrangian(problem, ti, prices, ok=ok)
    bound = max(lb, value)  # moves on the large path (without the LP's neighbourhood)
    quarter = _repaired(problem, quarter, first, bound, es, blocked, moves_max_groups=moves_max_groups * (frac is None))
    calls = 0
    windowed = (frac is None and quarter is not None and n <= windows_max_groups
                and schedule_cost(problem, quarter) > bound * (1 + 1e-3))
    if windowed:
        quarter, calls = _windowed(problem, quarter, es, blocked, passes=passes, det_time=windows_det_time,
                                   wall=time_limit_s, seed=seed, workers=workers, limit=max_windows)
    if quarter is None:  # the repaired schedules miss a deadline: blocks and time windows instead
        fallback = schedule_blocks(problem, es, blocked, lb, per, baseline, t0, **blocks_kw)
        quarter, calls = fallback.quarter, fallback.solved_by_cpsat
    if frac is not None and schedule_cost(problem, quarter) > bound:
        quarter = lp_guided(problem, quarter, frac, es, blocked, det_time=lp_guided_det_time, wall=time_limit_s,
                             seed=seed, workers=workers)
        calls += 1
    polished = n <= polish_max_groups and schedule_cost(problem, quarter) > bound
    if polished:  # the full model from the best schedule so far; its bound is a proof too
        quarter, proven = polish(problem, quarter, es, blocked, det_time=polish_det_time, wall=time_limit_s,
                                 seed=seed, workers=workers)
        bound, calls = (bound if proven is None else max(bound, proven)), calls + 1
    objective = schedule_cost(problem, quarter)
    bound = min(bound, objective)
    gap = 0.0 if objective <= 0 else round((objective - bound) / objective, 6)
    status = "OPTIMAL" if gap == 0.0 else "FEASIBLE"
    method = ("HiGHS strong LP + OR-Tools max-flow Lagrangian + CP-SAT LP neighbourhood" if frac is not None
              else "HiGHS decomposed LP prices + OR-Tools max-flow Lagrangian + priority repair") + (
        " + CP-SAT time windows" if windowed else "") + (" + CP-SAT full model" if polished else "")
    return ScheduleResult(quarter, status, objective, round(bound, 2), gap, time.perf_counter() - t0, 1,
                          baseline, calls, method)


def _windowed(problem: ScheduleProblem, quarter: np.ndarray, es: np.ndarray, blocked: np.ndarray, **kw
              ) -> tuple[np.ndarray, int]:
    """The large path's schedule re-optimised in rolling CP-SAT time windows of ``LARGE_PATH_SPAN``
    quarters over all groups at the full capacities; and the number of CP-SAT calls."""
    cap_e, cap_f, ob = problem.capacities()
    return improve_by_windows(problem, quarter, np.arange(problem.size), es=es, blocked=blocked, cap_eigen=cap_e,
                              cap_fremd=cap_f, ob_cap=ob, span=LARGE_PATH_SPAN, **kw)


def _repaired(problem: ScheduleProblem, quarter: np.ndarray | None, first: np.ndarray, bound: float, es: np.ndarray,
              blocked: np.ndarray, *, moves_max_groups: int) -> np.ndarray | None:
    """The best of the first schedule and the repaired Lagrangian minimiser; with a gap left (capacity
    binds) on up to ``moves_max_groups`` groups also the priority list from the earliest starts with
    two weights of what successors lose by waiting (each is best on some tight landscapes), the best
    improved by moves. ``None`` if every one misses a deadline. Ties: the first (deterministic)."""
    tried = [q for q in (quarter, price_repair(problem, first, es=es, blocked=blocked)) if q is not None]
    best = min(tried, key=lambda q: schedule_cost(problem, q)) if tried else None
    if problem.size > moves_max_groups or best is not None and schedule_cost(problem, best) <= bound * (1 + 1e-3):
        return best
    tried += [q for w in (0.25, 0.5) if (q := priority_schedule(problem, es=es, blocked=blocked,
                                                                 successor_weight=w)) is not None]
    if not tried:
        return None
    return improve_moves(problem, min(tried, key=lambda q: schedule_cost(problem, q)), es=es, blocked=blocked)


def schedule_blocks(problem: ScheduleProblem, es: np.ndarray, blocked: np.ndarray, lb: float, per: np.ndarray,
                     baseline: float | None, t0: float, *, deterministic_time: float, time_limit_s: float, seed: int,
                     workers: int, block_size: int, window_span: int, passes: int, full_model_groups: int,
                     max_windows: int) -> ScheduleResult:
    """Blocks of connected groups solved one after another against the residual capacity: one
    CP-SAT model per small block, priority list plus rolling time windows for large ones."""
    H = problem.horizon
    n = problem.size
    blocks = component_blocks(problem, block_size)
    single = len(blocks) == 1
    res_e, res_f, res_ob = problem.capacities()
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
                sol, status, _obj, bound, _ = solve_block(
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
