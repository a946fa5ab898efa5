"""A second Python process for the planner's solver steps: ``python -m consolidation._worker FD``.

At Germany scale the placement and the schedule (their model building, list schedules and
repairs are Python) and the planner's steps that do not depend on them (inventory hash, cost
table, network flows) each need a core; in one process they would take turns holding the GIL.
:class:`Worker` starts a fresh interpreter and runs the functions handed to it one after the
other: each call goes to the worker's stdin as a length-prefixed pickle, each outcome
(``("ok", value)`` or ``("error", exception)``) comes back the same way on file descriptor
``FD``. The parent's writes and reads run in two threads, so :meth:`Worker.submit` returns at
once with a future.

A value the worker needs for several calls is sent once with :meth:`Worker.keep`: the call
arguments that are the returned :class:`Kept` handle stand for it in the worker.
:meth:`Worker.shutdown` without waiting lets the worker end on its own after the last call
while the parent goes on.

A plain subprocess rather than :mod:`multiprocessing`: its *spawn* start method imports the
caller's ``__main__`` module again in the child, which re-runs an unguarded script up to the call.

>>> from consolidation.schedule import example_problem, schedule
>>> with Worker() as w:
...     problem = w.keep(example_problem())
...     w.submit(schedule, problem).result().quarter.tolist()
[0, 1, 2]
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Self

from common.errors import PlanningError

__all__ = ["Kept", "Worker", "WorkerError", "preload"]

_ROOT = str(Path(__file__).resolve().parent.parent)
_LEN = 8  # bytes of the length prefix


class WorkerError(PlanningError):
    """The worker process ended without a result (killed, out of memory, or could not start)."""

    def __str__(self) -> str:
        return f"solver: {super().__str__()}"


def _send(stream: BinaryIO, data: bytes) -> None:
    stream.write(len(data).to_bytes(_LEN, "little"))
    stream.write(data)
    stream.flush()


def _receive(stream: BinaryIO) -> bytes | None:
    head = stream.read(_LEN)
    if len(head) < _LEN:
        return None
    n = int.from_bytes(head, "little")
    data = stream.read(n)
    return data if len(data) == n else None


class Kept:
    """A value held in the worker process: as a call argument it stands for that value."""

    __slots__ = ("key",)

    def __init__(self, key: int) -> None:
        self.key = key

    def __reduce__(self) -> tuple[type[Kept], tuple[int]]:
        return Kept, (self.key,)


_kept: dict[int, object] = {}
"""In the worker process: the values sent with :meth:`Worker.keep`."""


def _keep(key: int, value: object) -> None:
    _kept[key] = value


def preload(*modules: str) -> None:
    """Import ``modules`` (a call for a worker to make before it is needed: imports take time)."""
    for name in modules:
        importlib.import_module(name)


def _resolve(value: object) -> object:
    return _kept[value.key] if isinstance(value, Kept) else value


class Worker:
    """A worker process; ``submit(fn, *args, **kwargs)`` runs ``fn`` there (calls in order).

    ``fn`` and its arguments must pickle (module-level functions, plain data, models).
    Close it (or use it as a context manager) to end the process.

    Raises
    ------
    OSError
        The process cannot be started.
    """

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
        r, w = os.pipe()
        try:
            # stdout stays quiet: the parent may be writing a plan there (``landkarte plan --json``)
            self._proc = subprocess.Popen([sys.executable, "-m", "consolidation._worker", str(w)],
                                          stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, pass_fds=(w,), env=env,
                                          process_group=0)  # a terminal's Ctrl-C is the parent's, which ends it
        except BaseException:
            os.close(r)
            raise
        finally:
            os.close(w)
        self._results = os.fdopen(r, "rb")
        self._pending: deque[Future[Any]] = deque()
        self._open = True
        self._kept = 0
        self._lock = threading.Lock()
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write, name="landkarte-worker-writer", daemon=True)
        self._reader = threading.Thread(target=self._read, name="landkarte-worker-reader", daemon=True)
        self._writer.start()
        self._reader.start()

    def submit[T](self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        payload = pickle.dumps((fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        future: Future[T] = Future()
        with self._lock:
            if not self._open:
                raise RuntimeError("submit() after shutdown()")
            if not self._reader.is_alive():
                raise WorkerError(self._lost())
            self._pending.append(future)
        self._outbox.put(payload)
        return future

    def keep(self, value: object) -> Kept:
        """Send ``value`` to the worker once; pass the returned handle to :meth:`submit` in its place."""
        self._kept += 1
        self.submit(_keep, self._kept, value)
        return Kept(self._kept)

    def shutdown(self, wait: bool = True) -> None:
        """No more calls: the worker ends after the pending ones. ``wait`` for that (as ``close()``)."""
        with self._lock:
            if self._open:
                self._open = False
                self._outbox.put(None)
        if wait:
            self._writer.join()
            self._reader.join()
            self._proc.wait()

    def close(self) -> None:
        self.shutdown(wait=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if et is not None:
            self.kill()  # an error or Ctrl-C: the pending calls are not wanted any more
        self.close()

    def kill(self) -> None:
        """End the worker process now (pending calls fail with :class:`WorkerError`)."""
        with self._lock:
            self._open = False
        self._proc.kill()
        self._outbox.put(None)

    def _lost(self) -> str:
        code = self._proc.poll()
        return f"the worker process ended with exit code {code} without a result (out of memory?)"

    def _write(self) -> None:  # a thread: writes release the GIL
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            while (payload := self._outbox.get()) is not None:
                _send(stdin, payload)
        except (BrokenPipeError, OSError):
            pass  # the worker died: the reader fails what is pending
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def _read(self) -> None:  # a thread: reads release the GIL
        with self._results:
            while (data := _receive(self._results)) is not None:
                with self._lock:
                    future = self._pending.popleft()
                try:
                    kind, value = pickle.loads(data)
                except Exception as exc:  # noqa: BLE001 - a result that does not unpickle
                    kind, value = "error", WorkerError(f"unreadable result from the worker process: {exc}")
                if kind == "ok":
                    future.set_result(value)
                else:
                    future.set_exception(value)
        self._proc.wait()
        with self._lock:
            while self._pending:
                self._pending.popleft().set_exception(WorkerError(self._lost()))


def _ignore_ctrl_c() -> None:
    """The worker leaves Ctrl-C to its parent (which ends it) and dies with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> None:
    _ignore_ctrl_c()
    gc.disable()  # millions of acyclic objects per call, and the process ends soon
    out = os.fdopen(int(argv[0]), "wb")
    stdin = sys.stdin.buffer
    while (data := _receive(stdin)) is not None:
        fn, args, kwargs = pickle.loads(data)
        try:
            args = tuple(_resolve(a) for a in args)
            kwargs = {k: _resolve(v) for k, v in kwargs.items()}
            outcome: tuple[str, object] = ("ok", fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
            outcome = ("error", exc)
        del fn, args, kwargs, data
        try:
            result = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            result = pickle.dumps(("error", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
        del outcome
        _send(out, result)
    out.close()
    sys.stderr.flush()
    os._exit(0)  # skip the interpreter's teardown of what the calls left: seconds at Germany scale


if __name__ == "__main__":
    # run as the imported module, so that the functions the parent names (``_keep``) share its globals
    from consolidation._worker import main as imported_main

    imported_main(sys.argv[1:])
