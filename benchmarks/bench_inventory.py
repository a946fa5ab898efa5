"""Load + validate a Germany-scale inventory next to merely parsing the same YAML files.

    python -m benchmarks inventory            # 10,800 municipalities, ~500,000 systems
    python -m benchmarks inventory --quick    # 500 municipalities

The landscape is generated once (seeded) into ``.cache/bench/`` and reused. Each measured
step runs in its own process so its peak memory (max RSS) is its own.
Targets (issue 3): validation ≤ 2× the bare parse; the whole landscape well under 8 GB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"

_PARSE = """
import sys, yaml, pathlib
docs = [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)
        for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml'))]
print(len(docs))
"""
_VALIDATE = """
import sys
from inventory.load import load_landscape
l = load_landscape(sys.argv[1])
print(len(l.systems), sum(len(o.dependencies) for o in l.organisations))
"""


def _run(code: str, folder: Path) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, stdout) of ``code`` in a fresh interpreter.

    CPU time is reported too because on a shared machine wall time swings with the load."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step failed: {code.strip().splitlines()[-2]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.strip()


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    orgs, per_org, seed = (500, 46, 1) if quick else (10_800, 46, 1)
    folder = CACHE / f"germany-{orgs}-{per_org}-{seed}"
    if not (folder / "landscape.yaml").is_file():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "landkarte.cli", "inventory", "generate", "--orgs", str(orgs),
                        "--seed", str(seed), "--systems-per-org", str(per_org), "--out", str(folder)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"generated {folder.relative_to(ROOT)} in {time.perf_counter() - t0:.1f} s (cached for next runs)")
    size_mb = sum(p.stat().st_size for p in folder.rglob("*.yaml")) / 1e6
    w_parse, t_parse, m_parse, n_files = _run(_PARSE, folder)
    w_val, t_val, m_val, counts = _run(_VALIDATE, folder)
    systems, deps = counts.split()
    print(f"\nlandscape: {orgs} municipalities (+ Kreise, Zweckverband, Land) = {n_files} files, {size_mb:.0f} MB YAML,"
          f" {int(systems):,} systems, {int(deps):,} dependencies\n")
    print(f"{'step':<38}{'wall s':>10}{'CPU s':>10}{'peak MB':>10}{'× parse (CPU)':>15}")
    print(f"{'bare parse (yaml.CSafeLoader)':<38}{w_parse:>10.1f}{t_parse:>10.1f}{m_parse:>10.0f}{1.0:>15.2f}")
    print(f"{'load + validate (landkarte)':<38}{w_val:>10.1f}{t_val:>10.1f}{m_val:>10.0f}{t_val / t_parse:>15.2f}")
    ok_ratio = t_val / t_parse <= 2.0
    ok_mem = m_val < 8 * 1024
    print(f"\ntarget validation ≤ 2.0× parse: {'met' if ok_ratio else 'MISSED'} ({t_val / t_parse:.2f}×); "
          f"target peak < 8 GB: {'met' if ok_mem else 'MISSED'} ({m_val / 1024:.2f} GB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
