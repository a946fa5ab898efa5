"""One executor interface for the sweep's tasks: in this process, a local process pool, or Dask.

Every executor ships the :class:`~sweep._task.Job` (the landscape and the scenarios) to each
worker **once** and then sends only tasks (a few numbers each); results come back in any order
and carry their index, so the sweep's results do not depend on the executor. At most
``2 × workers`` tasks are in flight, which bounds what waits in memory anywhere.

On Ctrl-C (or any error) an executor stops every worker it started — the local pool's
processes are terminated — or, on a Dask cluster it does not own, cancels every task of this
sweep, and re-raises.

>>> with SerialExecutor() as ex:
...     ex.workers
1
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Protocol, Self

from ._task import Job, Outcome, Task, init_worker, run_pooled, run_task

__all__ = ["DaskExecutor", "Executor", "LocalPool", "SerialExecutor", "make_executor"]

OnDone = Callable[[Outcome], None]


class Executor(Protocol):
    """Runs a job's tasks; calls ``on_done`` with each outcome as it arrives (in any order)."""

    name: str
    workers: int

    def run(self, job: Job, tasks: Sequence[Task], on_done: OnDone) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


class SerialExecutor:
    """Every task in this process, one after another (the baseline of the benchmark)."""

    name = "serial"
    workers = 1

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, job: Job, tasks: Sequence[Task], on_done: OnDone) -> None:
        for t in tasks:
            on_done(run_task(job, t))


def _windowed(tasks: Sequence[Task], window: int, submit: Callable[[Task], Future],
              wait_some: Callable[[set], tuple[set, set]]) -> Iterator[Future]:
    """Submit at most ``window`` tasks ahead; yield each finished future."""
    it = iter(tasks)
    pending: set = set()
    for t in it:
        pending.add(submit(t))
        if len(pending) >= window:
            break
    while pending:
        done, pending = wait_some(pending)
        for f in done:
            yield f
            nxt = next(it, None)
            if nxt is not None:
                pending.add(submit(nxt))


class LocalPool:
    """A pool of worker processes on this machine (default: every core).

    Workers are started with ``spawn`` (no inherited threads or locks) when the pool is entered,
    so they import the planner while the sweep makes its base plans. Each reads the job once, at
    its first task, from a file only this user can read (in a private temporary folder, removed
    when the run ends): one copy per worker, however many tasks it runs. (Handed over in the
    initializer's arguments, the job would go through each worker's start-up pipe, which blocks
    this process until that worker has imported the planner: the workers started one after the
    other, the second 0.8 s after the first.)
    """

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or len(os.sched_getaffinity(0)))
        self._pool: ProcessPoolExecutor | None = None
        self._before: set = set()

    def __enter__(self) -> Self:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop(cancel=exc[0] is not None)

    def _start(self) -> None:
        if self._pool is not None:
            return
        self._before = set(multiprocessing.active_children())
        # Ctrl-C on a terminal reaches the whole process group: the workers start with SIGINT ignored
        # (an ignored signal stays ignored across exec, and Python then installs no handler), so only
        # this process sees it and stops them. Each of the first submissions starts one worker.
        main = threading.current_thread() is threading.main_thread()  # only there can a handler be set
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=init_worker)
            for _ in range(self.workers):
                self._pool.submit(int)
        finally:
            if main:
                signal.signal(signal.SIGINT, handler)

    def _stop(self, *, cancel: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:
            pool.shutdown(wait=False, cancel_futures=True)
            for child in set(multiprocessing.active_children()) - self._before:
                child.terminate()
            for child in set(multiprocessing.active_children()) - self._before:
                child.join(5)
        else:
            pool.shutdown(wait=True)

    def run(self, job: Job, tasks: Sequence[Task], on_done: OnDone) -> None:
        entered = self._pool is not None
        self._start()
        pool = self._pool
        folder = tempfile.mkdtemp(prefix="landkarte-sweep-")  # mode 0700
        try:
            path = os.path.join(folder, "job.pickle")
            with open(path, "wb") as f:
                pickle.dump(job, f, protocol=pickle.HIGHEST_PROTOCOL)
            for fut in _windowed(tasks, 2 * self.workers, lambda t: pool.submit(run_pooled, path, t),
                                 lambda p: wait(p, return_when=FIRST_COMPLETED)):
                on_done(fut.result())
        except BaseException:
            self._stop(cancel=True)
            raise
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if not entered:
            self._stop(cancel=False)


class DaskExecutor:
    """Tasks on a Dask distributed cluster (``tcp://host:8786``) or a given ``distributed.Client``.

    The job is scattered to every worker once (``broadcast=True``); each task names it by its
    future, so a worker deserialises it once and keeps it while the sweep runs. Workers need
    Landkarte installed (the same version) and one thread each (the planner is CPU-bound).
    """

    name = "dask"

    def __init__(self, address: str | None = None, *, client=None):
        if client is None:
            from distributed import Client

            client = Client(address, set_as_default=False)
            self._own = True
        else:
            self._own = False
        self.client = client
        self.workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._own:
            self.client.close()

    def run(self, job: Job, tasks: Sequence[Task], on_done: OnDone) -> None:
        from distributed import wait as dwait

        client = self.client
        token = os.urandom(6).hex()  # keys of this sweep only (a shared cluster may run others)
        job_f = client.scatter(job, broadcast=True, hash=False)
        live: set = set()  # submitted, not yet handed on: what Ctrl-C must cancel (a set: O(1) removal)

        def submit(t: Task):
            f = client.submit(run_task, job_f, t, pure=False, key=f"landkarte-sweep-{token}-{t.index}")
            live.add(f)
            return f

        def wait_some(p: set) -> tuple[set, set]:
            r = dwait(list(p), return_when="FIRST_COMPLETED")
            return set(r.done), set(r.not_done)

        try:
            for f in _windowed(tasks, 2 * self.workers, submit, wait_some):
                on_done(f.result())
                live.discard(f)
                f.release()
        except BaseException:
            client.cancel([f for f in live if not f.done()] + [job_f], force=True)
            raise
        finally:
            job_f.release()


def make_executor(scheduler: str | None = None, *, workers: int | None = None) -> Executor:
    """The local pool, or Dask when given a scheduler address."""
    if scheduler:
        return DaskExecutor(scheduler)
    return LocalPool(workers)
