"""Run benchmarks: ``python -m benchmarks`` (all) or ``python -m benchmarks inventory plan …``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import benchmarks


def main(argv: list[str]) -> int:
    names = sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    wanted = [a for a in argv if not a.startswith("-")] or names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    rc = 0
    for name in wanted:
        print(f"\n=== benchmark: {name} ===", flush=True)
        t0 = time.perf_counter()
        mod = importlib.import_module(f"benchmarks.bench_{name}")
        rc |= int(mod.main([a for a in argv if a.startswith("-")]) or 0)
        print(f"(total {time.perf_counter() - t0:.1f} s)")
    return rc


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
