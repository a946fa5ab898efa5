"""This process's peak resident memory, for run statistics (the sweep's workers, the benchmarks)."""

from __future__ import annotations

import resource
from pathlib import Path

__all__ = ["peak_rss_mb"]


def peak_rss_mb() -> float:
    """This process's own peak RSS in MB (VmHWM; ``ru_maxrss`` would report the parent's after fork+exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
