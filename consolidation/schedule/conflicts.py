"""Why no schedule exists: a minimal set of conflicting constraint families.

Every family (a release, a deadline, a blackout window, a team capacity, an onboarding
capacity, a dependency) is switched by an assumption literal in the one CP-SAT model of the
schedule (:func:`consolidation.schedule.cpsat.build_model`); CP-SAT returns a sufficient set of
assumptions, which a deletion filter reduces to a minimal one. Problems too large for that get
the resources whose total demand exceeds their supply.
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
    ob_cap = np.tile(problem.ob_cap.astype(np.int64)[:, None], (1, H))

    def solve(active: set[str] | None) -> tuple[int, set[str] | None, dict[str, tuple[str, Params]]]:
        """Solve with the families in ``active`` on (``None``: all as assumptions, and the core)."""
        b = build_model(problem, idx, every, cap_e=problem.cap_eigen, cap_f=problem.cap_fremd, ob_cap=ob_cap,
                        switched=True)
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
    return [ScheduleConflict(names, "contradiction", parts=tuple(families[n] for n in names))]
