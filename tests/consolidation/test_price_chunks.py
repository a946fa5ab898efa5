"""The chunks that price large schedules (``instance_chunks``) on landscapes whose target instances
serve differently cut runs of organisations (seeded, synthetic).

Each domain's tenants are the organisations that do not already run its standard product
(issue 16), split in id order into even runs, one per instance: the runs of different domains then
end at different organisations, and for long stretches no cut leaves every instance whole. The
chunks must stay near their size anyway (at Germany scale the whole problem became one chunk, and
its LP took most of the plan's time and memory), and every instance must still be whole in one.
"""

from __future__ import annotations

import numpy as np
import pytest

from consolidation.schedule import ScheduleProblem, schedule
from consolidation.schedule.lp import instance_chunks, instance_shares, onboarding_prices, sample_prices
from consolidation.schedule.problem import earliest_starts, open_quarters


def _landscape_problem(seed: int, *, orgs: int = 60, domains: int = 3, instances: int = 3, H: int = 8,
                       standard: float = 0.3) -> ScheduleProblem:
    """One group per (organisation, domain), ordered by organisation; domain 0 is each organisation's
    first move (its other groups depend on it). A share ``standard`` of the organisations are no
    tenants of a domain (already on its standard): 0 gives aligned instance runs."""
    rng = np.random.default_rng(seed)
    n = orgs * domains
    group = np.arange(n).reshape(orgs, domains)
    edges = np.array([(group[o, 0], group[o, d]) for o in range(orgs) for d in range(1, domains)], np.int64)
    ob_group, ob_target = [], []
    for d in range(domains):
        tenants = [o for o in range(orgs) if d == 0 or rng.random() >= standard]
        for k, run in enumerate(np.array_split(np.array(tenants), instances)):
            ob_group += group[run, d].tolist()
            ob_target += [d * instances + k] * len(run)
    order = np.lexsort((ob_target, ob_group))
    ob_group, ob_target = np.array(ob_group)[order], np.array(ob_target)[order]
    slope = rng.integers(1, 50, n)
    dip = rng.integers(0, H, n)
    cost = slope[:, None] * np.arange(H)[None, :] + np.where(np.arange(H)[None, :] == dip[:, None], -20, 0) + 100
    eigen = rng.integers(5, 40, n)
    T = domains * instances
    return ScheduleProblem(
        horizon=H, groups=tuple(f"g.{i:04d}" for i in range(n)), eigen=eigen, fremd=rng.integers(0, 20, n),
        release=np.zeros(n, np.int64), release_reason=("start",) * n, deadline=np.full(n, H - 1),
        deadline_reason=("horizon",) * n, cost=cost.astype(np.int64), cap_eigen=np.full(H, int(eigen.sum()) // 5),
        cap_fremd=np.full(H, 400), edges=edges, targets=tuple(f"t.{d}.{k}" for d in range(domains) for k in range(instances)),
        ob_cap=np.full(T, 4), ob_group=ob_group, ob_target=ob_target, ob_count=np.ones(len(ob_group), np.int64),
        target_kind=tuple(f"d{d}" for d in range(domains) for _ in range(instances)),
    )


def _whole_in(p: ScheduleProblem, chunks: list[np.ndarray]) -> np.ndarray:
    """Per instance, the number of chunks it is whole in."""
    return sum((instance_shares(p, c) == 1.0).astype(int) for c in chunks)


def test_instance_chunks_cut_only_between_instances_when_their_runs_align():
    p = _landscape_problem(1, standard=0.0)
    chunks = instance_chunks(p, size=30)
    assert [(int(c[0]), int(c[-1])) for c in chunks] == [(0, 59), (60, 119), (120, 179)]
    assert all(np.array_equal(c, np.arange(c[0], c[-1] + 1)) for c in chunks)  # ranges, no overlap
    assert _whole_in(p, chunks).tolist() == [1] * len(p.targets)


@pytest.mark.parametrize("seed", range(4))
def test_instance_chunks_stay_near_their_size_when_instance_runs_are_staggered(seed):
    p = _landscape_problem(seed, orgs=200, domains=4, instances=8)
    size, reach = 60, 4
    spans = [(p.ob_group[p.ob_target == t].min(), p.ob_group[p.ob_target == t].max()) for t in range(len(p.targets))]
    clean = [i for i in range(1, p.size) if all(not lo < i <= hi for lo, hi in spans)]
    assert np.diff([0, *clean, p.size]).max() > reach * size, "a long stretch without a clean cut: the case tested"
    chunks = instance_chunks(p, size=size, reach=reach)
    assert len(chunks) >= p.size // (reach * size)
    longest_run = max(hi - lo + 1 for lo, hi in spans)
    assert max(len(c) for c in chunks) <= reach * size + longest_run  # a range plus the instances it took in
    assert np.array_equal(np.unique(np.concatenate(chunks)), np.arange(p.size))
    assert _whole_in(p, chunks).tolist() == [1] * len(p.targets)  # every instance whole in exactly one chunk
    assert all(np.array_equal(c, np.unique(c)) for c in chunks)  # sorted, no repeats


def test_instance_shares_count_an_instances_tenants_inside():
    p = _landscape_problem(2, standard=0.0)
    share = instance_shares(p, np.arange(0, 30))  # the first half of each domain's first instance
    assert share.tolist() == [0.5, 0.0, 0.0] * 3


def test_sample_and_onboarding_prices_of_staggered_instances_are_prices():
    p = _landscape_problem(3, orgs=200, domains=4, instances=8)
    blocked = p.blocked()
    ok = open_quarters(p, earliest_starts(p, blocked), blocked)
    pe, pf, pob = sample_prices(p, ok, size=200, chunk=60)
    assert pe.shape == pf.shape == (p.horizon,) and pob.shape == (len(p.targets), p.horizon)
    ob = onboarding_prices(p, ok, (pe, pf), chunk=60, max_chunks=3)
    assert ob.shape == (len(p.targets), p.horizon) and (ob >= 0).all() and np.isfinite(ob).all()


@pytest.mark.parametrize("seed", range(3))
def test_decomposed_schedule_of_staggered_instances_is_feasible_with_a_valid_bound(seed):
    p = _landscape_problem(seed, orgs=40, domains=3, instances=4)
    kw = {"full_model_groups": 0, "lp_max_pairs": 0, "price_sample_groups": 40, "price_chunk_groups": 20}
    r = schedule(p, **kw)
    assert "decomposed" in r.method
    reference = schedule(p, full_model_groups=1000, deterministic_time=10.0)  # the full model: not always optimal
    # both bounds are valid: neither exceeds the best schedule either run found
    assert max(r.best_bound, reference.best_bound) <= min(r.objective, reference.objective) + 1e-6
    q = r.quarter
    assert all(q[s] >= q[pr] + p.lag for pr, s in p.edges.tolist())
    for cap, dem in ((p.cap_eigen, p.eigen), (p.cap_fremd, p.fremd)):
        assert (np.bincount(q, weights=dem, minlength=p.horizon) <= cap).all()
    used = np.zeros((len(p.targets), p.horizon), np.int64)
    np.add.at(used, (p.ob_target, q[p.ob_group]), p.ob_count)
    assert (used <= p.ob_cap[:, None]).all()
    assert schedule(p, **kw).quarter.tolist() == q.tolist()  # deterministic
