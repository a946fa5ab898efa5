"""Bandbreiten: how sure is the plan? Sensitivity and uncertainty sweeps over the planner.

``sweep`` sits downstream of ``consolidation`` (it calls the planner's public ``plan`` and
reads the Plan) and of ``inventory``. Modules:

- :mod:`sweep.assumptions` — the scenario's assumptions that move money or time, and their ranges;
- :mod:`sweep.figures` — cash NPV saving, end quarter and peak team load of a plan;
- :mod:`sweep.recost` — re-costing a plan for a changed price (no re-planning);
- :mod:`sweep.draws` — seeded draws of uncertain records by confidence;
- :mod:`sweep.executors` — in this process, a local process pool, or Dask distributed;
- :mod:`sweep.engine` — :func:`run_sweep`; :mod:`sweep.result` — ``sweep.json``.
"""

from .assumptions import Assumption, assumptions_of, vary
from .engine import SweepRun, run_sweep
from .executors import DaskExecutor, Executor, LocalPool, SerialExecutor, make_executor
from .figures import SweepFigures, figures_of
from .result import SweepResult, read_sweep, sweep_to_json, write_sweep

__all__ = [
    "Assumption",
    "DaskExecutor",
    "Executor",
    "LocalPool",
    "SerialExecutor",
    "SweepFigures",
    "SweepResult",
    "SweepRun",
    "assumptions_of",
    "figures_of",
    "make_executor",
    "read_sweep",
    "run_sweep",
    "sweep_to_json",
    "vary",
    "write_sweep",
]
