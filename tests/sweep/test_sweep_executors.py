"""The same sweep on every executor — in process, the local process pool and a real Dask LocalCluster
with worker processes — gives byte-identical results; Ctrl-C stops every worker and writes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from sweep_cases import small_landscape, small_scenario

from inventory.write.folder import write_folder
from sweep import DaskExecutor, LocalPool, SerialExecutor, run_sweep, sweep_to_json


def _sweep(executor, landscape, scenario) -> tuple[str, int]:
    run = run_sweep(landscape, [scenario], samples=6, sensitivity=True, seed=3, executor=executor)
    return sweep_to_json(run.result), len(run.peak_rss_mb)


def test_local_pool_and_dask_cluster_give_byte_identical_results(landscape):
    from distributed import Client, LocalCluster

    s = small_scenario()
    serial, _ = _sweep(SerialExecutor(), landscape, s)
    pooled, pool_workers = _sweep(LocalPool(2), landscape, s)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dasked, dask_workers = _sweep(DaskExecutor(client=client), landscape, s)
    assert pooled == serial
    assert dasked == serial
    assert pool_workers == 2 and dask_workers == 2  # both workers of each executor took tasks


def test_dask_executor_ships_the_job_once_per_worker(landscape):
    from distributed import Client, LocalCluster

    from sweep._task import Job, Task

    job = Job(landscape=landscape, options=(small_scenario(),), waves=(), seed=1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        seen: list = []
        ex = DaskExecutor(client=client)

        def spy(out):
            seen.append(out.index)
            if len(seen) == 2:  # mid-run: every worker holds the job once, nothing per task
                counts = client.run(lambda dask_worker: sum(
                    1 for v in dask_worker.data.values() if isinstance(v, Job)))
                assert set(counts.values()) == {1}
        ex.run(job, [Task(index=i, kind="sample", sample=i) for i in range(6)], spy)
    assert sorted(seen) == list(range(6))


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for f in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                kids = [int(k) for k in f.read_text().split()]
            except OSError:
                continue
            out.update(kids)
            todo.extend(kids)
    return out


def test_ctrl_c_stops_every_worker_and_writes_nothing(tmp_path: Path):
    inv = write_folder(small_landscape(12), tmp_path / "inv")
    scen = tmp_path / "s.yaml"
    data = small_scenario().model_dump(mode="json")
    data["costs"]["discount_rate"] = float(data["costs"]["discount_rate"])  # JSON mode writes the Decimal as text
    scen.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("landkarte")
    proc = subprocess.Popen([str(exe), "plan", "sweep", str(inv), "--scenario", str(scen), "--samples", "20000",
                             "--workers", "2", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.5)
        workers = {c for c in _children(proc.pid)
                   if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()} if proc.poll() is None else set()
    assert len(workers) >= 2, "the pool did not start"
    time.sleep(1)  # the workers are planning (20,000 samples take minutes: it is still running)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: the whole foreground group
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - a failure: clean up
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("landkarte did not stop on Ctrl-C")
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert not out.exists() or not any(out.iterdir())
    time.sleep(0.5)
    assert {w for w in workers if Path(f"/proc/{w}").exists()
            and b"zombie" not in Path(f"/proc/{w}/status").read_bytes()} == set()
