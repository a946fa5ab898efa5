"""Peak memory of a benchmark case: this process, and this process with its worker processes."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

from common.memory import peak_rss_mb

__all__ = ["TreePeak", "peak_rss_mb"]


def _rss_kb(pid: int | str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cmdline(pid: int | str) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def _descendants(pid: int) -> list[str]:
    out: list[str] = []
    todo = [str(pid)]
    while todo:
        p = todo.pop()
        for f in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                kids = f.read_text().split()
            except OSError:
                continue
            out += kids
            todo += kids
    return out


class TreePeak:
    """``with TreePeak() as m: ...`` then ``m.mb``: the peak resident memory of this process and
    its descendants together (sampled every ``interval`` s; at least this process's own peak).

    A planner that solves a step in a worker process uses the memory of both at once; the
    sum is what has to fit into the machine. A child that has not yet started its own program
    (between fork and exec, the same command line as this process) is not counted: it shares
    this process's pages, and its RSS would count them a second time (a spurious 2× peak).
    """

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self._peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        mine = _cmdline(me)
        started: set[str] = set()  # children that run their own program (read once: it stays so)
        while not self._stop.is_set():
            kids = _descendants(me)
            started.update(p for p in kids if p not in started and _cmdline(p) != mine)
            self._peak_kb = max(self._peak_kb, _rss_kb(me) + sum(_rss_kb(p) for p in kids if p in started))
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return max(self._peak_kb / 1024, peak_rss_mb())
