"""Benchmark of ``landkarte plan sweep``: ``python -m benchmarks sweep [--quick]``.

Side by side in one run, the same uncertainty sweep of the Saarland sample (200 samples;
``--quick``: 20) in this process (the baseline), on the local process pool (2 workers) and on a
2-worker Dask ``LocalCluster`` (worker processes, one thread each): wall time, samples per
second, speed-up and parallel efficiency against the serial run (goal: speed-up ≥ 1.8 on 2
cores), the peak resident memory of each worker process, and whether the three results are
byte-identical. Beside them the machine's own ceiling: the same work as two independent serial
halves in two interpreters at once (no executor): the speed-up two cores give here at best (both
cores share caches and memory bandwidth; the executors' start-up comes on top). Then 20 samples
(``--quick``: 4) of a generated landscape of 300 municipalities on the local pool.

``--samples=N,M`` sets the two sizes. Times include the single plan the sweep starts with and, for the pool, starting its worker
processes; the Dask cluster is started before the clock (a cluster outlives one sweep). The
machine's load average is printed with the results: other work on the cores slows every case.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from benchmarks._memory import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
SAARLAND = ROOT / "inventory" / "samples" / "saarland"
SCENARIO = ROOT / "consolidation" / "scenarios" / "landesweit.yaml"


def _timed(landscape, scenario, samples: int, executor) -> dict:
    from sweep import run_sweep, sweep_to_json

    t0 = time.perf_counter()
    run = run_sweep(landscape, [scenario], samples=samples, sensitivity=False, seed=2026, executor=executor)
    elapsed = time.perf_counter() - t0
    workers = run.peak_rss_mb or {os.getpid(): peak_rss_mb()}
    return {"time_s": elapsed, "samples_per_s": samples / elapsed, "workers": len(workers),
            "worker_peak_mb": max(workers.values()), "json": sweep_to_json(run.result),
            "p50": run.result.uncertainty.cash_npv_saving.p50}


_HALF = """
import sys, time
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from sweep import SerialExecutor, run_sweep
landscape, scenario = load_landscape(sys.argv[1]), load_scenario(sys.argv[2])
t0 = time.perf_counter()
run_sweep(landscape, [scenario], samples=int(sys.argv[3]), sensitivity=False, seed=2026, executor=SerialExecutor())
print(time.perf_counter() - t0)
"""


def _two_halves(n: int) -> float:
    """What two cores deliver for this work without any executor: two independent serial sweeps of
    ``n / 2`` samples each, started together in two interpreters (timed after their imports and
    loading); the wall time of the slower one."""
    import subprocess
    import sys

    procs = [subprocess.Popen([sys.executable, "-c", _HALF, str(SAARLAND), str(SCENARIO), str(n // 2)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    return max(float(p.communicate()[0].strip().splitlines()[-1]) for p in procs)


def main(argv: list[str]) -> int:
    from distributed import Client, LocalCluster

    from benchmarks.bench_plan import scaled_scenario
    from consolidation.scenario import load_scenario
    from inventory.generate import generate_landscape
    from inventory.load import load_landscape
    from sweep import DaskExecutor, LocalPool, SerialExecutor

    quick = "--quick" in argv
    n, n_big = (20, 4) if quick else (200, 20)
    for a in argv:  # --samples=N[,M]: other sizes (e.g. on a loaded machine)
        if a.startswith("--samples="):
            sizes = [int(x) for x in a.split("=", 1)[1].split(",")]
            n, n_big = sizes[0], sizes[-1]
    load0 = os.getloadavg()
    landscape, scenario = load_landscape(SAARLAND), load_scenario(SCENARIO)
    rows = {"serial": _timed(landscape, scenario, n, SerialExecutor()),
            "local pool (2)": _timed(landscape, scenario, n, LocalPool(2))}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        rows["dask (2 workers)"] = _timed(landscape, scenario, n, DaskExecutor(client=client))
    base = rows["serial"]["time_s"]
    print(f"Saarland sample, {n} uncertainty samples (load average before: {load0[0]:.1f} / {load0[1]:.1f} / "
          f"{load0[2]:.1f}; {len(os.sched_getaffinity(0))} cores)")
    cols = ["executor", "workers", "time_s", "samples/s", "speed-up", "efficiency", "peak MB/worker", "same bytes"]
    print(" | ".join(f"{c:>16}" for c in cols))
    for name, r in rows.items():
        speed = base / r["time_s"]
        print(" | ".join(f"{v:>16}" for v in (
            name, r["workers"], f"{r['time_s']:.1f}", f"{r['samples_per_s']:.2f}", f"{speed:.2f}×",
            f"{speed / r['workers']:.0%}", f"{r['worker_peak_mb']:.0f}", str(r["json"] == rows["serial"]["json"]))))
    ceiling = _two_halves(n)
    print(f"the machine's ceiling: two independent serial halves ({n // 2} samples each) at once take {ceiling:.1f} s, "
          f"a speed-up of {base / ceiling:.2f}× — what two cores deliver for this work with no executor at all; "
          "against it the executors reach " + ", ".join(
              f"{name} {ceiling / r['time_s']:.0%}" for name, r in rows.items() if name != "serial"))
    big = generate_landscape(300, 7, systems_per_org=20)
    big_scenario = scaled_scenario(len(big.organisations), len(big.systems))
    r = _timed(big, big_scenario, n_big, LocalPool(2))
    print(f"300 municipalities ({len(big.organisations)} organisations, {len(big.systems)} systems), {n_big} samples "
          f"on the local pool (2): {r['time_s']:.1f} s, {r['samples_per_s']:.2f} samples/s, "
          f"peak {r['worker_peak_mb']:.0f} MB per worker")
    load1 = os.getloadavg()
    print(f"load average after: {load1[0]:.1f} / {load1[1]:.1f} / {load1[2]:.1f}")
    same = all(x["json"] == rows["serial"]["json"] for x in rows.values())
    return 0 if same else 1
