"""The wave-scheduling problem as arrays, its result, its conflicts, and the simple bounds.

One quarter per move group. Index ``i`` is the i-th group of ``ScheduleProblem.groups``;
efforts are in tenths of person-days, costs in whole EUR. Constraints:

* precedence ``x[s] >= x[p] + lag`` for every edge of the group DAG;
* Eigen- and Fremdleistung team capacity per quarter;
* per-target onboarding capacity per quarter;
* release (start, target availability), deadlines (exit from the Zweckverband, hard EOL,
  the horizon) and blackout windows as the variables' domains.

The objective is the scenario's weighted cost table ``cost[g, q]`` (double running of
legacy contracts, EOL risk, delay), computed in :mod:`consolidation.costs`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from common.errors import PlanningError

__all__ = [
    "Params",
    "ScheduleConflict",
    "ScheduleInfeasibleError",
    "ScheduleProblem",
    "ScheduleResult",
    "earliest_starts",
    "example_problem",
    "expand",
    "longest_path_levels",
    "next_open",
    "open_quarters",
    "relaxation_bound",
    "schedule_cost",
]


@dataclass(frozen=True, eq=False)
class ScheduleProblem:
    """Arrays describing the scheduling problem; index ``i`` is the i-th group in ``groups``.

    Efforts are in tenths of person-days, costs in whole EUR.
    """

    horizon: int
    """Quarters in the plan (0 = the scenario's start quarter)."""
    groups: tuple[str, ...]
    """Move group ids."""
    eigen: np.ndarray
    """Per group, its Eigenleistung effort (tenths of person-days)."""
    fremd: np.ndarray
    """Per group, its Fremdleistung effort (tenths of person-days)."""
    release: np.ndarray
    """Per group, its earliest quarter."""
    release_reason: tuple[str, ...]
    """Per group, what sets it: ``start`` or the id of the target that becomes available."""
    deadline: np.ndarray
    """Per group, its latest quarter."""
    deadline_reason: tuple[str, ...]
    """Per group, what sets it: ``horizon``, ``exit:<org>`` or ``eol:<group>``."""
    cost: np.ndarray
    """(groups × quarters) the weighted cost of moving in each quarter (whole EUR)."""
    cap_eigen: np.ndarray
    """Per quarter, the Eigenleistung team capacity (tenths of person-days)."""
    cap_fremd: np.ndarray
    """Per quarter, the Fremdleistung team capacity (tenths of person-days)."""
    edges: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    """(predecessor, successor) index pairs."""
    lag: int = 1
    windows: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """Blackout windows: (id, blocked quarters)."""
    group_windows: tuple[tuple[int, ...], ...] = ()
    """Per group: indexes into ``windows`` that apply to it (its domains)."""
    targets: tuple[str, ...] = ()
    """Target instance ids."""
    ob_cap: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Per target instance, the systems it can onboard per quarter."""
    ob_group: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Onboarding demand, one entry per (group, target): the group ..."""
    ob_target: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """... the target instance ..."""
    ob_count: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """... and the number of the group's systems that move onto it."""
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

    def topological(self) -> tuple[np.ndarray, list[list[int]]]:
        """Topological order (by level, then index) and predecessor lists (computed once per problem)."""
        return _topo(self)

    def levels(self) -> list[np.ndarray]:
        """The groups by longest-path level (level 0 first), each in index order (computed once per problem)."""
        return _level_sets(self)

    def successors(self, weight: float) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
        """Successor lists, predecessor counts and the discounted waiting cost of all descendants
        (``weight`` per level; computed once per problem and weight)."""
        return _successors(self, weight)

    def capacities(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fresh int64 copies of the capacity per quarter: Eigenleistung (H,), Fremdleistung (H,) and
        onboarding per target instance (T, H) — for a solver or a residual to use up."""
        return (self.cap_eigen.astype(np.int64), self.cap_fremd.astype(np.int64),
                np.tile(self.ob_cap.astype(np.int64)[:, None], (1, self.horizon)))

    def onboarding(self) -> dict[int, list[tuple[int, int]]]:
        """Per group, its onboarding demand as (target, count) pairs (computed once per problem)."""
        return _onboarding_lists(self)


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
        order, _ = problem.topological()
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
    return longest_path_levels(problem.size, p_, s_)


@functools.lru_cache(maxsize=4)
def _topo(problem: ScheduleProblem) -> tuple[np.ndarray, list[list[int]]]:
    """Topological order (by level, then index) and predecessor lists."""
    n = problem.size
    p_, s_ = (problem.edges[:, 0], problem.edges[:, 1]) if len(problem.edges) else (np.zeros(0, np.int64),) * 2
    order = np.concatenate(problem.levels()) if n else np.zeros(0, dtype=np.int64)
    preds: list[list[int]] = [[] for _ in range(n)]
    for p, s in zip(p_[np.lexsort((p_, s_))].tolist(), np.sort(s_).tolist()):  # each list comes out sorted
        preds[s].append(p)
    return order, preds


@functools.lru_cache(maxsize=4)
def _onboarding_lists(problem: ScheduleProblem) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for g, t, c in zip(problem.ob_group.tolist(), problem.ob_target.tolist(), problem.ob_count.tolist()):
        out.setdefault(g, []).append((t, c))
    return out


Params = tuple[tuple[str, str | int | float], ...]
"""A reason's values as (name, value) pairs (see :class:`plan.models.Reason`)."""


@dataclass(frozen=True)
class ScheduleConflict:
    """Constraint families that cannot hold together, as message codes (:class:`plan.models.Reason`)."""

    constraints: tuple[str, ...]
    """The families' names, e.g. ``frist:exit:x``."""
    kind: str
    """``contradiction``, ``timeout``, ``demand_eigen``, ``demand_fremd``, ``onboarding_demand`` or ``scarce``."""
    params: Params = ()
    parts: tuple[tuple[str, Params], ...] = ()
    """Per family of a contradiction: (kind, params)."""


class ScheduleInfeasibleError(PlanningError):
    """No schedule satisfies every constraint; ``conflicts`` lists what conflicts."""

    def __init__(self, conflicts: list[ScheduleConflict]):
        self.conflicts = conflicts
        super().__init__("; ".join(", ".join(c.constraints) or c.kind for c in conflicts) or "no feasible schedule")

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


def earliest_starts(problem: ScheduleProblem, blocked: np.ndarray | None = None) -> np.ndarray:
    """Earliest open quarter of each group from release, blackouts and precedence (capacity ignored).

    Computed level by level over arrays (the predecessors of a level are all in earlier ones).

    Examples
    --------
    >>> p = example_problem()
    >>> earliest_starts(p).tolist()
    [0, 1, 2]
    """
    blocked = problem.blocked() if blocked is None else blocked
    n, H = problem.size, problem.horizon
    nxt_ge = next_open(blocked, at_or_after=True)
    es = problem.release.astype(np.int64).copy()
    p_, s_ = (problem.edges[:, 0], problem.edges[:, 1]) if len(problem.edges) else (np.zeros(0, np.int64),) * 2
    lvl = np.zeros(n, dtype=np.int64)
    levels = problem.levels()
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


def next_open(blocked: np.ndarray, *, at_or_after: bool) -> np.ndarray:
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
    >>> relaxation_bound(example_problem())[0]
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


def open_quarters(problem: ScheduleProblem, es: np.ndarray, blocked: np.ndarray, lo: np.ndarray | None = None,
                  hi: np.ndarray | None = None) -> np.ndarray:
    """Boolean matrix (groups × quarters): quarter open to the group (earliest start or
    ``lo``, deadline or ``hi``, blackouts)."""
    q = np.arange(problem.horizon)
    first = es if lo is None else np.maximum(es, lo)
    last = problem.deadline if hi is None else np.minimum(problem.deadline, hi)
    return (q[None, :] >= first[:, None]) & (q[None, :] <= last[:, None]) & ~blocked


def longest_path_levels(n: int, p_: np.ndarray, s_: np.ndarray) -> list[np.ndarray]:
    """Groups by longest-path level of the group graph (Kahn's algorithm over arrays), level 0
    first, each sorted by index. Raises ``ValueError`` on a cycle.

    Examples
    --------
    >>> [x.tolist() for x in longest_path_levels(4, np.array([0, 1, 0]), np.array([1, 2, 3]))]
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
        e_ix, within = expand(counts)
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


def expand(reps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For entries repeated ``reps`` times: (entry index, position within the entry)."""
    reps = reps.astype(np.int64)
    e_ix = np.repeat(np.arange(len(reps)), reps)
    within = np.arange(len(e_ix)) - np.repeat(np.cumsum(reps) - reps, reps)
    return e_ix, within


def example_problem(deadline: int | None = None) -> ScheduleProblem:
    """Three groups in a chain a → b → c over four quarters (used by the docstrings and tests).

    With ``deadline``, the last group must move by that quarter (its organisation's exit).
    """
    H = 4
    dl = np.array([H - 1, H - 1, H - 1 if deadline is None else deadline])
    return ScheduleProblem(
        horizon=H, groups=("g.a", "g.b", "g.c"), eigen=np.array([10, 10, 10]), fremd=np.array([0, 0, 0]),
        release=np.array([0, 0, 0]), release_reason=("start",) * 3, deadline=dl,
        deadline_reason=("horizon", "horizon", "horizon" if deadline is None else "exit:x"),
        cost=np.tile(np.arange(H) * 10, (3, 1)), cap_eigen=np.full(H, 100), cap_fremd=np.full(H, 100),
        edges=np.array([[0, 1], [1, 2]]),
    )
