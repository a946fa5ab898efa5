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

# The names are loaded on first use: ``sweep.result`` (what the report reads) must not pull in the
# planner through this package's __init__.
_WHERE = {
    "Assumption": "assumptions", "assumptions_of": "assumptions", "vary": "assumptions",
    "SweepRun": "engine", "run_sweep": "engine",
    "DaskExecutor": "executors", "Executor": "executors", "LocalPool": "executors", "SerialExecutor": "executors",
    "make_executor": "executors",
    "SweepFigures": "figures", "figures_of": "figures",
    "SweepResult": "result", "read_sweep": "result", "sweep_to_json": "result", "write_sweep": "result",
}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"sweep.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sweep' has no attribute {name!r}")
