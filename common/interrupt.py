"""Ctrl-C in one place: stop the native solvers, finish no half step, leave nothing behind.

The CLI installs :func:`install` once. On SIGINT (or SIGTERM) its handler

1. asks every running native solve to stop through the solver's own mechanism
   (CP-SAT ``StopSearch``, HiGHS ``cancelSolve``: see :func:`run_stoppable`),
2. raises :class:`KeyboardInterrupt` in the main thread, so that ``finally`` blocks and
   the atomic writers remove their temporary files on the way out,
3. starts a watchdog that ends the process with exit code 130 (143 for SIGTERM) after
   :data:`GRACE_S` seconds even if a thread still blocks, after removing the temporary
   files still registered with :func:`partial`.

Inside :func:`critical` (the renames that commit an output) the handler only takes note;
the interruption is raised when the block ends, so an output is never half committed.

Native code never sees the signal: a solve started from the main thread runs in a helper
thread (the main thread waits in Python, where the handler can run), and the planner's
worker process ignores SIGINT (its parent ends it).

>>> run_stoppable(lambda: 6 * 7, lambda: None)
42
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

__all__ = [
    "GRACE_S", "critical", "exit_code", "install", "install_at_start", "on_stop", "partial", "remove_partials", "request_stop",
    "run_stoppable", "stop_requested",
]

GRACE_S = 1.5
"""Seconds between the signal and the forced exit, if the main thread has not ended by then."""

_lock = threading.RLock()
_stop = threading.Event()
_stoppers: dict[int, Callable[[], None]] = {}
_partials: dict[int, Path] = {}
_critical = 0
_pending: int | None = None  # a signal that arrived inside critical()
_signum: int | None = None
_watchdog = False


def stop_requested() -> bool:
    """True once the process has been asked to stop (Ctrl-C or SIGTERM)."""
    return _stop.is_set()


def exit_code() -> int:
    """The exit code for the interruption: 130 for Ctrl-C, 128 + n for another signal."""
    return 128 + (_signum or signal.SIGINT)


def request_stop() -> None:
    """Ask every running native solve to stop (callable from any thread, idempotent)."""
    _stop.set()
    with _lock:
        stoppers = list(_stoppers.values())
    for stop in stoppers:
        try:
            stop()
        except Exception:  # noqa: BLE001, S110 - a solver that has just finished cannot be stopped: fine
            pass


def run_stoppable[T](solve: Callable[[], T], stop: Callable[[], None]) -> T:
    """Run the native ``solve()`` so that :func:`request_stop` ends it early by calling ``stop()``.

    Called from the main thread, the solve runs in a helper thread while the main thread
    waits where a signal handler can run (native code holding the main thread would delay
    the handler until it returns). A solve that was stopped never returns its partial
    result: :class:`KeyboardInterrupt` is raised instead.

    Examples
    --------
    >>> from ortools.sat.python import cp_model
    >>> m = cp_model.CpModel(); x = m.NewIntVar(0, 3, "x"); m.Maximize(x)
    >>> s = cp_model.CpSolver()
    >>> run_stoppable(lambda: s.Solve(m), s.StopSearch) == cp_model.OPTIMAL
    True
    """
    if _stop.is_set():
        raise KeyboardInterrupt
    key = id(stop)
    with _lock:
        _stoppers[key] = stop
    try:
        if threading.current_thread() is not threading.main_thread():
            value = solve()
        else:
            box: dict[str, object] = {}

            def target() -> None:
                try:
                    box["value"] = solve()
                except BaseException as exc:  # noqa: BLE001 - handed to the waiting main thread
                    box["error"] = exc

            helper = threading.Thread(target=target, name="landkarte-solve", daemon=True)
            helper.start()
            while helper.is_alive():
                helper.join(0.05)  # short waits: the signal handler runs in between
            if "error" in box:
                raise box["error"]  # type: ignore[misc]
            value = box["value"]  # type: ignore[assignment]
    finally:
        with _lock:
            _stoppers.pop(key, None)
    if _stop.is_set():
        raise KeyboardInterrupt
    return value  # type: ignore[return-value]


@contextmanager
def on_stop(stop: Callable[[], None]) -> Iterator[None]:
    """Call ``stop()`` at once if the process is asked to stop while the block runs (e.g. end a child process)."""
    key = id(stop)
    with _lock:
        _stoppers[key] = stop
    try:
        yield
    finally:
        with _lock:
            _stoppers.pop(key, None)


@contextmanager
def partial(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Register a temporary file or folder that the forced exit removes if it comes first."""
    p = Path(path)
    with _lock:
        _partials[id(p)] = p
    try:
        yield p
    finally:
        with _lock:
            _partials.pop(id(p), None)


def remove_partials() -> None:
    """Remove every registered temporary file or folder (the forced exit's last step)."""
    with _lock:
        paths = list(_partials.values())
        _partials.clear()
    for p in paths:
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        except OSError:
            pass


@contextmanager
def critical() -> Iterator[None]:
    """A block that a signal must not cut in half (the renames committing an output).

    A signal inside it is delivered when the block ends; the watchdog waits for it too.
    """
    global _critical, _pending
    with _lock:
        _critical += 1
    try:
        yield
    finally:
        with _lock:
            _critical -= 1
            pending, outermost = _pending, _critical == 0
            if outermost:
                _pending = None
        if outermost and pending is not None and threading.current_thread() is threading.main_thread():
            _interrupt(pending)


def _force_exit() -> None:
    """The watchdog: if the main thread has not finished by then, clean up and end the process."""
    deadline = GRACE_S
    while True:
        threading.Event().wait(deadline)
        with _lock:
            busy = _critical > 0
        if not busy:
            break
        deadline = 0.1
    remove_partials()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(exit_code())


def _interrupt(signum: int) -> None:
    global _signum, _watchdog
    _signum = _signum or signum
    request_stop()
    with _lock:
        first, _watchdog = not _watchdog, True
    if first:
        threading.Thread(target=_force_exit, name="landkarte-exit", daemon=True).start()
    raise KeyboardInterrupt


def _handler(signum: int, frame: FrameType | None) -> None:
    global _pending
    with _lock:
        if _critical > 0:
            _pending = _pending or signum
            request_stop()
            return
        if _watchdog:  # a second Ctrl-C: the cleanup under way must not be cut short; the watchdog ends it
            return
    _interrupt(signum)


def _exit_at_start(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"\ninterrupted\n")
    os._exit(128 + signum)


def install_at_start() -> None:
    """Before the CLI is imported: a signal ends the process at once (nothing is written yet)."""
    signal.signal(signal.SIGINT, _exit_at_start)
    signal.signal(signal.SIGTERM, _exit_at_start)


def install() -> None:
    """Install the one handler for SIGINT and SIGTERM (main thread only; the CLI calls it).

    Where Python cannot raise the interruption (a destructor, a callback from native code) it
    swallows it and would print "Exception ignored …" with a traceback; after Ctrl-C that is no
    news, so those reports stay quiet (the watchdog ends the process all the same).
    """
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    default_unraisable, default_thread_hook = sys.unraisablehook, threading.excepthook

    def unraisable(info: object) -> None:
        if not (_stop.is_set() and isinstance(getattr(info, "exc_value", None), KeyboardInterrupt)):
            default_unraisable(info)  # type: ignore[arg-type]

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if not _stop.is_set():  # a thread failing because its solve was stopped: no news either
            default_thread_hook(args)

    sys.unraisablehook = unraisable
    threading.excepthook = thread_hook


def reset() -> None:
    """Forget an earlier interruption (for tests that run several commands in one process)."""
    global _pending, _signum, _watchdog
    _stop.clear()
    _pending = None
    _signum = None
    _watchdog = False
