"""Solve a wave schedule in a separate Python process: ``python -m consolidation._worker FD``.

At Germany scale the schedule's own Python work (list schedules, repairs, model building) and the
planner's steps that do not depend on it (inventory hash, network flows) each need a core; in one
process they would take turns holding the GIL. :func:`start` pickles the problem to a fresh
interpreter's stdin; the worker writes ``("ok", ScheduleResult)`` or ``("error", exception)``
pickled to file descriptor ``FD`` and exits.

A plain subprocess rather than :mod:`multiprocessing`: its *spawn* start method imports the
caller's ``__main__`` module again in the child, which re-runs an unguarded script up to the call.

>>> from consolidation.waves import _example
>>> start(_example(), {}).result().quarter.tolist()
[0, 1, 2]
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from .waves import ScheduleProblem, ScheduleResult, schedule

__all__ = ["WorkerError", "start"]

_ROOT = str(Path(__file__).resolve().parent.parent)


class WorkerError(RuntimeError):
    """The worker process ended without a result (killed, out of memory, or could not start)."""


def start(problem: ScheduleProblem, settings: dict[str, Any]) -> Future[ScheduleResult]:
    """``schedule(problem, **settings)`` in a new process; its result (or exception) as a future.

    Raises
    ------
    OSError
        The process cannot be started.
    """
    payload = pickle.dumps((problem, settings), protocol=pickle.HIGHEST_PROTOCOL)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
    r, w = os.pipe()
    try:
        # stdout stays quiet: the parent may be writing a plan there (``landkarte plan --json``)
        proc = subprocess.Popen([sys.executable, "-m", "consolidation._worker", str(w)], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, pass_fds=(w,), env=env)
    except BaseException:
        os.close(r)
        raise
    finally:
        os.close(w)
    future: Future[ScheduleResult] = Future()

    def talk() -> None:  # in a thread: the writes and reads release the GIL
        try:
            assert proc.stdin is not None
            with proc.stdin:
                proc.stdin.write(payload)
        except BrokenPipeError:
            pass  # the worker died; its exit code tells
        with os.fdopen(r, "rb") as f:
            data = f.read()
        code = proc.wait()
        try:
            kind, value = pickle.loads(data) if data else ("lost", None)
        except Exception as exc:  # noqa: BLE001 - a torn result is reported like a lost one
            kind, value = "lost", exc
        if kind == "ok":
            future.set_result(value)
        elif kind == "error":
            future.set_exception(value)
        else:
            future.set_exception(WorkerError(f"the schedule worker process ended with exit code {code} "
                                             "without a result (out of memory?)"))

    threading.Thread(target=talk, name="landkarte-schedule-worker", daemon=True).start()
    return future


def main(argv: list[str]) -> int:
    fd = int(argv[0])
    problem, settings = pickle.load(sys.stdin.buffer)
    gc.disable()  # millions of acyclic objects, and the process ends right after
    try:
        out: tuple[str, object] = ("ok", schedule(problem, **settings))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        out = ("error", exc)
    try:
        data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
        data = pickle.dumps(("error", RuntimeError(f"{type(out[1]).__name__}: {out[1]}")))
        del exc
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
