"""The benchmarks' memory sampler counts a worker program, but not a fork that has not started one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings

from benchmarks._memory import TreePeak, _rss_kb

MB = 2**20


def test_tree_peak_counts_a_child_program():
    with TreePeak(interval=0.01) as m:
        subprocess.run([sys.executable, "-c", f"import time; b = bytes(range(256)) * {300 * MB // 256}; time.sleep(1.0)"], check=True)
    assert m.mb > _rss_kb(os.getpid()) / 1024 + 250


def test_tree_peak_does_not_count_a_fork_that_shares_this_process_pages():
    held = bytes(range(256)) * (400 * MB // 256)  # written: resident in this process and, shared, in the fork
    # compared with the same sampler without the fork: other tests may have left children running
    # (a NetBox server, test hosts), and this process's own peak may be higher from earlier tests
    with TreePeak(interval=0.01) as without:
        time.sleep(0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # forking with threads: the child only sleeps and leaves
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        time.sleep(1.0)
        os._exit(0)
    try:
        with TreePeak(interval=0.01) as with_fork:
            time.sleep(0.5)
    finally:
        os.waitpid(pid, 0)
    assert with_fork.mb < without.mb + 200  # counted, the fork would add this process's RSS (over 400 MB)
    del held
