"""The strong LP bound and the LP-guided neighbourhood on small random schedules (seeded, synthetic)."""

from __future__ import annotations

import numpy as np
import pytest

from consolidation.waves import (
    ScheduleProblem,
    _lp_guided,
    earliest_starts,
    list_schedule,
    lp_bound,
    schedule,
    schedule_cost,
    strong_lp_bound,
)


def _random_problem(seed: int, n: int = 14, H: int = 8) -> ScheduleProblem:
    rng = np.random.default_rng(seed)
    edges = np.array([(p, s) for s in range(1, n) for p in range(s) if rng.random() < 0.12], np.int64).reshape(-1, 2)
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


@pytest.mark.parametrize("seed", range(6))
def test_strong_lp_bound_between_weak_lp_and_optimum(seed):
    p = _random_problem(seed)
    blocked = p.blocked()
    es = earliest_starts(p, blocked)
    strong, frac = strong_lp_bound(p, es, blocked)
    optimum = schedule(p, full_model_groups=100, deterministic_time=5.0)
    assert optimum.status == "OPTIMAL"
    assert lp_bound(p, es, blocked) - 1e-3 <= strong <= optimum.objective + 1e-6
    assert np.allclose(frac.sum(axis=1), 1.0)


@pytest.mark.parametrize("seed", range(6))
def test_lp_guided_result_feasible_and_not_worse(seed):
    p = _random_problem(seed)
    blocked = p.blocked()
    es = earliest_starts(p, blocked)
    start = list_schedule(p, blocked=blocked)
    _, frac = strong_lp_bound(p, es, blocked)
    q = _lp_guided(p, start, frac, es, blocked, det_time=1.0, wall=10.0, seed=0, workers=1)
    assert schedule_cost(p, q) <= schedule_cost(p, start)
    assert all(q[s] >= q[pr] + p.lag for pr, s in p.edges.tolist())
    for cap, dem in ((p.cap_eigen, p.eigen), (p.cap_fremd, p.fremd)):
        assert (np.bincount(q, weights=dem, minlength=p.horizon) <= cap).all()
    assert (np.bincount(q[p.ob_group], weights=p.ob_count, minlength=p.horizon) <= p.ob_cap[0]).all()
