"""What runs on a worker: one task = one plan (a range end to re-plan, or one uncertainty sample).

The :class:`Job` (landscape, scenarios, the base plan's waves) is shipped to each worker once;
a :class:`Task` is a few numbers. A task returns its figures and, for a sample, whether each
of the base plan's waves was done by its planned quarter; never the plan itself, so a
worker holds one landscape and one plan at a time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from common.memory import peak_rss_mb
from consolidation.network import AddressSpaceExhaustedError
from consolidation.placement import PlacementInfeasibleError
from consolidation.planner import plan as make_plan
from consolidation.scenario import Scenario
from inventory.models import Landscape

from .assumptions import vary
from .draws import draw_assumptions, draw_landscape, sample_rng
from .figures import SweepFigures, figures_of

__all__ = ["Job", "Outcome", "Task", "run_task"]


@dataclass(frozen=True, slots=True)
class Job:
    """Shared by every task of a sweep (shipped once per worker)."""

    landscape: Landscape
    options: tuple[Scenario, ...]
    """The scenarios compared; the first is the one sampled."""
    waves: tuple[tuple[int, frozenset[str]], ...]
    """The first option's base plan: (quarter, migrating systems) per wave."""
    seed: int


@dataclass(frozen=True, slots=True)
class Task:
    index: int
    """Place of the result in the sweep's list of tasks."""
    kind: Literal["vary", "sample"]
    option: int = 0
    assumption: str | None = None
    factor: float = 1.0
    sample: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    index: int
    figures: SweepFigures
    waves_done: tuple[float, ...] = ()
    """Per base wave: the share of its systems migrated by the wave's quarter."""
    worker: int = 0
    """The worker's process id (for the run statistics, never in the results)."""
    peak_rss_mb: float = 0.0
    """The worker process's peak resident memory so far (run statistics only)."""


_NO_PLAN = SweepFigures(cash_npv_saving=0.0, end_quarter=None, peak_load_pd=0.0, feasible=False, eligible=False)


def _plan(landscape: Landscape, scenario: Scenario):
    """The plan, or None when the data centres cannot hold it (that draw or range end has no plan)."""
    try:
        return make_plan(landscape, scenario)
    except (PlacementInfeasibleError, AddressSpaceExhaustedError):
        return None


def run_task(job: Job, task: Task) -> Outcome:
    """Plan one task of ``job`` and return its figures."""
    if task.kind == "vary":
        scenario = job.options[task.option]
        if task.assumption is not None:
            scenario = vary(scenario, task.assumption, task.factor)
        p = _plan(job.landscape, scenario)
        return Outcome(task.index, figures_of(p) if p is not None else _NO_PLAN, worker=os.getpid(),
                       peak_rss_mb=peak_rss_mb())
    rng = sample_rng(job.seed, task.sample)
    scenario = job.options[0]
    landscape = draw_landscape(job.landscape, scenario.sweep, rng)
    if scenario.sweep.sample_assumptions:
        scenario = draw_assumptions(scenario, rng)
    p = _plan(landscape, scenario)
    done: tuple[float, ...] = (0.0,) * len(job.waves)
    if p is None:
        return Outcome(task.index, _NO_PLAN, done, worker=os.getpid(), peak_rss_mb=peak_rss_mb())
    if p.feasible:
        quarter = {a.system: a.quarter for a in p.assignments if a.moves and a.quarter is not None}
        done = tuple(sum(1 for s in systems if quarter.get(s, q + 1) <= q) / len(systems) for q, systems in job.waves)
    return Outcome(task.index, figures_of(p), done, worker=os.getpid(), peak_rss_mb=peak_rss_mb())


# --- the local process pool: each worker reads the job once, at its first task

_JOB: Job | None = None
_JOB_PATH: str | None = None


def init_worker() -> None:
    """Process-pool initializer: naming it makes a new worker import this module, and so the planner,
    before its first task (while the parent still prepares the job). Ctrl-C is the parent's to
    handle, see executors."""


def run_pooled(path: str, task: Task) -> Outcome:
    """Run ``task`` of the job in the file ``path`` (read once per worker and job)."""
    import pickle

    global _JOB, _JOB_PATH
    if _JOB_PATH != path:
        with open(path, "rb") as f:
            _JOB = pickle.load(f)
        _JOB_PATH = path
    return run_task(_JOB, task)
