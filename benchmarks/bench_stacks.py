"""Benchmark: the stack program under mocks, Saarland size vs Germany scale (one stack vs split stacks).

Each case runs in a fresh interpreter, so its peak memory (max RSS) is its own. Plans are
synthetic (``stacks._synthetic``: seeded, labelled synthetic). Germany scale = 11 400
organisations (about 11 000 Gemeinden and 400 Kreise) in 16 data centres.

    python -m benchmarks stacks         # Saarland size, 1/8 Germany, the Germany plan split (shared, one RZ,
                                        # one Kreis), and one Germany stack extrapolated from the first two
    python -m benchmarks stacks --full  # measures the whole Germany plan as one stack (15–25 min, 7–8 GB)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._memory import peak_rss_mb

__all__ = ["main"]

SMALL = {"orgs": 60, "dcs": 3}
EIGHTH = {"orgs": 1_425, "dcs": 16}
GERMANY = {"orgs": 11_400, "dcs": 16}


def _child(plan_path: str, config_json: str) -> None:
    """Run one case in this (fresh) process and print its numbers as JSON."""
    from stacks._recording import run_program
    from stacks.program import main as program

    config = {"planPath": plan_path, **json.loads(config_json)}
    t0 = time.perf_counter()
    recording = run_program(program, config=config, stack="bench")
    seconds = time.perf_counter() - t0
    custom = sum(1 for r in recording.resources if r.custom)
    print(json.dumps({"resources": len(recording.resources), "custom": custom, "seconds": seconds,
                      "peak_mb": peak_rss_mb()}))


def _case(plan_path: Path, config: dict[str, str]) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_stacks", "--child", str(plan_path),
                           json.dumps(config)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark case {config} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    from plan.io import write_plan
    from stacks._synthetic import synthetic_plan

    full = "--full" in argv
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-stacks-") as tmp:
        small, eighth, germany = Path(tmp) / "small.json", Path(tmp) / "eighth.json", Path(tmp) / "germany.json"
        write_plan(synthetic_plan(**SMALL), small)
        write_plan(synthetic_plan(**EIGHTH), eighth)
        gplan = synthetic_plan(**GERMANY)
        write_plan(gplan, germany)
        kreis = gplan.organisations[0].district
        shared = {"sharedStack": "org/landkarte/shared"}
        cases = [
            ("Saarland size (60 orgs, 3 RZ), one stack", small, {}),
            ("1/8 Germany (1 425 orgs, 16 RZ), one stack", eighth, {}),
            ("Germany (11 400 orgs, 16 RZ): shared stack", germany, {"scope": "shared"}),
            ("Germany: one RZ stack (dc:rz-01)", germany, {"scope": "dc:rz-01", **shared}),
            (f"Germany: one Kreis stack (kreis:{kreis})", germany, {"scope": f"kreis:{kreis}", **shared}),
        ]
        if full:
            cases.append(("Germany: everything in one stack", germany, {}))
        for label, path, config in cases:
            print(f"  running: {label} …", flush=True)
            rows.append((label, _case(path, config)))
    base = rows[0][1]
    if not full:  # linear in the number of resources: fit on the two measured single stacks
        (_, a), (_, b) = rows[0], rows[1]
        per_res_s = (b["seconds"] - a["seconds"]) / (b["resources"] - a["resources"])
        per_res_mb = (b["peak_mb"] - a["peak_mb"]) / (b["resources"] - a["resources"])
        n = round(a["resources"] + (b["resources"] - a["resources"]) * (GERMANY["orgs"] - SMALL["orgs"])
                  / (EIGHTH["orgs"] - SMALL["orgs"]))
        rows.append(("Germany, one stack (EXTRAPOLATED, --full measures)", {
            "resources": n, "seconds": a["seconds"] + per_res_s * (n - a["resources"]),
            "peak_mb": a["peak_mb"] + per_res_mb * (n - a["resources"])}))
    print(f"\n{'case':<50} {'resources':>10} {'seconds':>9} {'res/s':>8} {'peak MB':>8} {'× base time':>11}")
    for label, r in rows:
        print(f"{label:<50} {r['resources']:>10} {r['seconds']:>9.1f} {r['resources'] / r['seconds']:>8.0f} "
              f"{r['peak_mb']:>8.0f} {r['seconds'] / base['seconds']:>11.1f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(main(sys.argv[1:]))
