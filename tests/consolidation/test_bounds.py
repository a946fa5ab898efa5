"""Bounds (strong LP, Lagrangian with exact closure, decomposed prices) and the LP-guided
neighbourhood on small random schedules (seeded, synthetic)."""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np
import pytest

from consolidation.schedule import ScheduleProblem, earliest_starts, relaxation_bound, schedule, schedule_cost
from consolidation.schedule import lagrange as R
from consolidation.schedule import lp as L
from consolidation.schedule.cpsat import lp_guided, solve_block
from consolidation.schedule.greedy import list_schedule
from consolidation.schedule.lagrange import lagrangian
from consolidation.schedule.lp import LPResult, strong_lp
from consolidation.schedule.problem import open_quarters


def _random_problem(seed: int, n: int = 14, H: int = 8, p_edge: float = 0.12) -> ScheduleProblem:
    rng = np.random.default_rng(seed)
    edges = np.array([(p, s) for s in range(1, n) for p in range(s) if rng.random() < p_edge], np.int64).reshape(-1, 2)
    slope = rng.integers(1, 50, n)
    dip = rng.integers(0, H, n)
    cost = slope[:, None] * np.arange(H)[None, :] + np.where(np.arange(H)[None, :] == dip[:, None], -20, 0) + 100
    eigen = rng.integers(5, 40, n)
    return ScheduleProblem(
        horizon=H, groups=tuple(f"g.{i}" for i in range(n)), eigen=eigen, fremd=rng.integers(0, 20, n),
        release=rng.integers(0, 2, n), release_reason=("start",) * n, deadline=np.full(n, H - 1),
        deadline_reason=("horizon",) * n, cost=cost.astype(np.int64), cap_eigen=np.full(H, int(eigen.sum()) // 4),
        cap_fremd=np.full(H, 60), edges=edges, targets=("t.a",), ob_cap=np.array([3]),
        ob_group=np.arange(0, n, 2), ob_target=np.zeros(len(range(0, n, 2)), np.int64),
        ob_count=np.ones(len(range(0, n, 2)), np.int64),
    )


def _optimum(p: ScheduleProblem) -> float:
    r = schedule(p, full_model_groups=100, deterministic_time=5.0)
    assert r.status == "OPTIMAL"
    return r.objective


def _prices_of(lp: LPResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return lp.price_eigen, lp.price_fremd, lp.price_ob


@pytest.mark.parametrize("seed", range(6))
def test_strong_lp_bound_between_relaxation_and_optimum(seed):
    p = _random_problem(seed)
    blocked = p.blocked()
    es = earliest_starts(p, blocked)
    lp = strong_lp(p, open_quarters(p, es, blocked))
    assert lp.status == "OPTIMAL"
    assert relaxation_bound(p, es, blocked)[0] - 1e-3 <= lp.value <= _optimum(p) + 1e-6
    assert np.allclose(lp.frac.sum(axis=1), 1.0)


@pytest.mark.parametrize("seed", range(6))
def test_lagrangian_at_lp_duals_equals_lp_and_any_prices_give_a_valid_bound(seed):
    p = _random_problem(seed)
    blocked = p.blocked()
    es = earliest_starts(p, blocked)
    ok = open_quarters(p, es, blocked)
    ti = R.time_indexed(p, ok)
    lp = strong_lp(p, ok)
    at_duals, first = lagrangian(p, ti, _prices_of(lp), ok=ok)
    assert at_duals == pytest.approx(lp.value, rel=1e-5, abs=1e-3)
    assert all(first[s] >= first[pr] + p.lag for pr, s in p.edges.tolist())
    rng = np.random.default_rng(seed)
    T, H = len(p.targets), p.horizon
    optimum = _optimum(p)
    for _ in range(5):
        prices = (rng.uniform(0, 5, H), rng.uniform(0, 5, H), rng.uniform(0, 50, (T, H)))
        full = lagrangian(p, ti, prices, ok=ok)[0]
        assert full <= optimum + 1e-6
        # folding the late quarters into one keeps the bound valid (and below the full one)
        keep, _ = R.late_horizon(p, ok, rng.integers(0, H, p.size))
        folded, _ = lagrangian(p, R.time_indexed(p, keep), prices, ok=ok)
        assert folded <= full + 1e-2  # up to the closure's rounding


@pytest.mark.parametrize("seed", range(6))
def test_closure_equals_precedence_only_lp(seed):
    p = _random_problem(seed)
    blocked = p.blocked()
    ok = open_quarters(p, earliest_starts(p, blocked), blocked)
    ti = R.time_indexed(p, ok)
    value, first = R.closure_min(ti, R.pair_costs(p, ti))
    big = np.full(p.horizon, 10**9)
    lp = strong_lp(p, ok, cap_eigen=big, cap_fremd=big, ob_cap=np.full(len(p.targets), 10**9))
    assert value == pytest.approx(lp.value, rel=1e-5, abs=1e-3)
    assert schedule_cost(p, first) == pytest.approx(value)


@pytest.mark.parametrize("seed", range(4))
def test_decomposed_prices_give_a_valid_bound_and_a_feasible_schedule(seed):
    p = _random_problem(seed, n=40, H=10, p_edge=0.03)
    r = schedule(p, full_model_groups=0, lp_max_pairs=0, price_sample_groups=10, price_chunk_groups=8)
    assert r.best_bound <= _optimum(p) + 1e-6 <= r.objective + 1e-6
    q = r.quarter
    assert all(q[s] >= q[pr] + p.lag for pr, s in p.edges.tolist())
    for cap, dem in ((p.cap_eigen, p.eigen), (p.cap_fremd, p.fremd)):
        assert (np.bincount(q, weights=dem, minlength=p.horizon) <= cap).all()


@pytest.mark.parametrize("seed", range(6))
def test_lp_guided_result_feasible_and_not_worse(seed):
    p = _random_problem(seed)
    blocked = p.blocked()
    es = earliest_starts(p, blocked)
    start = list_schedule(p, blocked=blocked)
    frac = strong_lp(p, open_quarters(p, es, blocked)).frac
    q = lp_guided(p, start, frac, es, blocked, det_time=1.0, wall=10.0, seed=0, workers=1)
    assert schedule_cost(p, q) <= schedule_cost(p, start)
    assert all(q[s] >= q[pr] + p.lag for pr, s in p.edges.tolist())
    for cap, dem in ((p.cap_eigen, p.eigen), (p.cap_fremd, p.fremd)):
        assert (np.bincount(q, weights=dem, minlength=p.horizon) <= cap).all()
    assert (np.bincount(q[p.ob_group], weights=p.ob_count, minlength=p.horizon) <= p.ob_cap[0]).all()


@pytest.mark.parametrize("seed", range(4))
def test_solve_block_without_cuts_proves_the_same_optimum(seed):
    # the LP-guided neighbourhood's second model goes without CP-SAT's cut rounds: slower or
    # faster, the optimum it proves is the same
    p = _random_problem(seed)
    blocked = p.blocked()
    es = earliest_starts(p, blocked)
    kw = {"window": None, "det_time": 5.0, "wall": 10.0, "seed": 0, "workers": 1}
    top = np.full(p.size, p.horizon - 1)
    with_cuts, without = (solve_block(p, np.arange(p.size), es, top, blocked, *p.capacities(), None, cuts=c, **kw)
                          for c in (True, False))
    assert with_cuts[1] == without[1] == "OPTIMAL"
    assert with_cuts[2] == without[2]


@pytest.mark.parametrize("kw", [{}, {"lp_max_pairs": 0, "price_sample_groups": 10, "price_chunk_groups": 8},
                                {"full_model_groups": 0, "lp_max_pairs": 0, "price_sample_groups": 10,
                                 "price_chunk_groups": 8}], ids=["small path", "no strong LP", "large path"])
def test_schedule_signals_native_code_on_either_path(kw):
    # the planner starts its Python work beside a schedule in a thread once this is set
    native = threading.Event()
    schedule(_random_problem(3), native=native, **kw)
    assert native.is_set()


def test_decomposed_schedule_is_deterministic():
    p = _random_problem(7, n=40, H=10, p_edge=0.03)
    kw = {"full_model_groups": 0, "lp_max_pairs": 0, "price_sample_groups": 10, "price_chunk_groups": 8}
    a, b = schedule(p, **kw), schedule(p, **kw)
    assert a.quarter.tolist() == b.quarter.tolist()
    assert (a.objective, a.best_bound, a.method) == (b.objective, b.best_bound, b.method)
    assert "decomposed" in a.method


@pytest.mark.parametrize("interruptible", [False, True], ids=["small LP", "LP with the interrupt callback"])
def test_strong_lp_frees_its_solver_with_the_collector_paused(monkeypatch, interruptible):
    # the planner pauses the cyclic collector (its worker process switches it off): a solver
    # kept alive by a reference cycle (e.g. its interrupt callback's subscription) would hold its
    # model and factorisation until the process ends
    if interruptible:
        monkeypatch.setattr(L, "INTERRUPTIBLE_VARS", 0)
    made = []

    def tracked():
        h = real()
        made.append(weakref.ref(h))
        return h

    real = L._highs
    monkeypatch.setattr(L, "_highs", tracked)
    p = _random_problem(0)
    blocked = p.blocked()
    was = gc.isenabled()
    gc.disable()
    try:
        assert strong_lp(p, open_quarters(p, earliest_starts(p, blocked), blocked)).status == "OPTIMAL"
        assert made and all(r() is None for r in made)
    finally:
        if was:
            gc.enable()
