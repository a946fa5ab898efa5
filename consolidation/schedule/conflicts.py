"""Why no schedule exists: a minimal set of conflicting constraint families.

Every family (a release, a deadline, a blackout window, a team capacity, an onboarding
capacity, a dependency) is switched by an assumption literal in the one CP-SAT model of the
schedule (:func:`consolidation.schedule.cpsat.build_model`); CP-SAT returns a sufficient set of
assumptions, which a deletion filter reduces to a minimal one; when a capacity family is among
them, a second deletion filter over the move groups names the groups that cannot all fit
(``group_cannot_fit``). Problems too large for that get the resources whose total demand exceeds
their supply.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from common.interrupt import run_stoppable

from .cpsat import build_model
from .problem import Params, ScheduleConflict, ScheduleProblem

__all__ = ["aggregate_conflicts", "explain_infeasibility"]


def aggregate_conflicts(problem: ScheduleProblem, idx: np.ndarray) -> list[ScheduleConflict]:
    """For problems too large for an exact explanation: resources whose total demand exceeds supply."""
    H = problem.horizon
    out = []
    for name, kind, dem, cap in (("kapazitaet:eigen", "demand_eigen", problem.eigen, problem.cap_eigen),
                                 ("kapazitaet:fremd", "demand_fremd", problem.fremd, problem.cap_fremd)):
        need, have = float(dem[idx].sum()) / 10, float(cap.sum()) / 10
        if need > have * 0.9:
            out.append(ScheduleConflict((name,), kind, (("need", round(need)), ("available", round(have)))))
    mask = np.isin(problem.ob_group, idx)
    dem = np.bincount(problem.ob_target[mask], weights=problem.ob_count[mask], minlength=len(problem.targets))
    for t, d in enumerate(dem.tolist()):
        if d > problem.ob_cap[t] * H * 0.8:
            out.append(ScheduleConflict((f"onboarding:{problem.targets[t]}",), "onboarding_demand",
                                        (("target", problem.targets[t]), ("systems", round(d)),
                                         ("per_quarter", int(problem.ob_cap[t])))))
    return out or [ScheduleConflict((), "scarce", (("groups", len(idx)),))]


def explain_infeasibility(problem: ScheduleProblem, idx: np.ndarray | None = None, *,
                          max_checks: int = 60, max_groups: int = 300) -> list[ScheduleConflict]:
    """A minimal set of constraint families that cannot hold together (for the groups ``idx``).

    Every family (a release, a deadline, a blackout window, a team capacity, an onboarding
    capacity, a dependency) is switched by an assumption literal; CP-SAT returns a sufficient
    set of assumptions, which a deletion filter reduces to a minimal one.

    Returns
    -------
    list of ScheduleConflict

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> p = example_problem(deadline=1)
    >>> explain_infeasibility(p)[0].constraints
    ('abhaengigkeit:g.a>g.b', 'abhaengigkeit:g.b>g.c', 'frist:exit:x')
    """
    H = problem.horizon
    idx = np.arange(problem.size) if idx is None else np.asarray(sorted({int(i) for i in idx}), dtype=np.int64)
    if len(idx) > max_groups:
        return aggregate_conflicts(problem, idx)
    # widen to the dependency closure of idx (predecessors matter for precedence conflicts)
    _, preds = problem.topological()
    want = set(idx.tolist())
    stack = list(want)
    while stack:
        i = stack.pop()
        for p in preds[i]:
            if p not in want:
                want.add(p)
                stack.append(p)
    idx = np.array(sorted(want), dtype=np.int64)
    every = [list(range(H))] * len(idx)
    ob_cap = problem.capacities()[2]

    def solve(active: set[str] | None, members: np.ndarray = idx
              ) -> tuple[int, set[str] | None, dict[str, tuple[str, Params]]]:
        """Solve with the families in ``active`` on (``None``: all as assumptions, and the core), for the
        groups ``members``."""
        b = build_model(problem, members, every[:len(members)], cap_e=problem.cap_eigen, cap_f=problem.cap_fremd,
                        ob_cap=ob_cap, switched=True)
        names = sorted(b.switches)
        if active is not None:
            for nm in names:
                b.model.Add(b.switches[nm] == int(nm in active))
        else:
            b.model.AddAssumptions([b.switches[nm] for nm in names])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_time_in_seconds = 10.0
        solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's: it calls StopSearch
        status = run_stoppable(lambda: solver.Solve(b.model), solver.StopSearch)
        core = None
        if status == cp_model.INFEASIBLE and active is None:
            by_index = {b.switches[nm].Index(): nm for nm in names}
            core = {by_index[i] for i in solver.SufficientAssumptionsForInfeasibility()}
        return status, core, b.families

    status, core, families = solve(None)
    if status != cp_model.INFEASIBLE:
        return [ScheduleConflict((), "timeout")]
    core = set(core or families)
    for nm in sorted(core)[:max_checks]:
        trial = core - {nm}
        st, _, _ = solve(trial)
        if st == cp_model.INFEASIBLE:
            core = trial
    names = tuple(sorted(core))
    parts = tuple(families[n] for n in names)
    if any(families[n][0] in _CAPACITY for n in names):
        left = max_checks - min(len(core), max_checks)
        parts += tuple(("group_cannot_fit", (("group", problem.groups[g]), ("need_eigen", round(problem.eigen[g] / 10)),
                                             ("need_fremd", round(problem.fremd[g] / 10))))
                       for g in _groups_that_cannot_fit(problem, idx, core, families, solve, max_checks=left))
    return [ScheduleConflict(names, "contradiction", parts=parts)]


_CAPACITY = ("team_eigen", "team_fremd", "onboarding_capacity")
"""The families of a capacity conflict (whose groups a conflict names)."""


def _groups_that_cannot_fit(problem: ScheduleProblem, idx: np.ndarray, core: set[str],
                            families: dict[str, tuple[str, Params]], solve, *, max_checks: int) -> list[int]:
    """The move groups of a capacity conflict: a minimal set of groups that cannot all be placed under
    the conflicting families (a deletion filter over groups; at most ``max_checks`` solves). Starts
    from the groups the core's other families bind (deadline, release, window, dependency); with
    none, from the groups that use the short resource. At most ten, largest demand first."""
    bound: set[int] = set()
    kinds = {families[n][0] for n in core}
    for g in idx.tolist():
        if (f"frist:{problem.deadline_reason[g]}" in core or f"freigabe:{problem.release_reason[g]}" in core
                or any(f"sperrfenster:{problem.windows[w][0]}" in core
                       for w in (problem.group_windows[g] if problem.group_windows else ()))):
            bound.add(g)
    for n in core:
        if families[n][0] == "precedence":
            params = dict(families[n][1])
            bound |= {g for g in idx.tolist() if problem.groups[g] in (params["successor"], params["predecessor"])}
    if not bound:
        bound = {g for g in idx.tolist() if ("team_eigen" in kinds and problem.eigen[g] > 0)
                 or ("team_fremd" in kinds and problem.fremd[g] > 0)
                 or ("onboarding_capacity" in kinds and g in set(problem.ob_group.tolist()))}
    demand = lambda g: (int(problem.eigen[g]) + int(problem.fremd[g]), -g)
    members = sorted(bound, key=demand)  # the smallest are tried first: the larger ones stay
    if solve(core, np.array(sorted(members), dtype=np.int64))[0] != cp_model.INFEASIBLE:
        members = sorted(idx.tolist(), key=demand)  # the other groups take part too
    for checks, g in enumerate(list(members)):
        if checks >= max_checks or len(members) <= 1:
            break
        trial = [h for h in members if h != g]
        if solve(core, np.array(sorted(trial), dtype=np.int64))[0] == cp_model.INFEASIBLE:
            members = trial
    return sorted(members, key=demand, reverse=True)[:10]
