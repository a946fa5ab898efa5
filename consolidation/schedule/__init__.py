"""Step 5 — the schedule: one quarter per move group (OR-Tools CP-SAT, HiGHS, max flow).

* :mod:`.problem` — the problem as arrays (:class:`ScheduleProblem`), its result, its conflicts,
  earliest starts and the simple lower bound;
* :mod:`.greedy` — list and priority schedules (baseline, warm start, repair);
* :mod:`.cpsat` — the one CP-SAT model, for solving blocks and time windows and for explaining;
* :mod:`.lagrange` — the strong time-indexed model as arrays and its Lagrangian (minimum cut);
* :mod:`.lp` — the strong LP (HiGHS) and capacity prices for large problems;
* :mod:`.conflicts` — a minimal set of conflicting constraint families when no schedule exists;
* :mod:`.driver` — :func:`schedule`, which puts them together.

>>> r = schedule(example_problem())
>>> r.quarter.tolist(), r.status
([0, 1, 2], 'OPTIMAL')
"""

from __future__ import annotations

from .conflicts import explain_infeasibility
from .driver import schedule
from .problem import (
    ScheduleConflict,
    ScheduleInfeasibleError,
    ScheduleProblem,
    ScheduleResult,
    earliest_starts,
    example_problem,
    relaxation_bound,
    schedule_cost,
)

__all__ = [
    "ScheduleConflict",
    "ScheduleInfeasibleError",
    "ScheduleProblem",
    "ScheduleResult",
    "earliest_starts",
    "example_problem",
    "explain_infeasibility",
    "relaxation_bound",
    "schedule",
    "schedule_cost",
]
