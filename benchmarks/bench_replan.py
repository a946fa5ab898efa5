"""Benchmark of rolling re-planning: ``python -m benchmarks replan [--quick] [--repeat=K]``.

Per case (the Saarland sample, generated landscapes of N and 2N municipalities; ``--quick``: N=300)
in its own subprocess, side by side in the same run:

* **fresh**: ``plan(landscape, scenario, as_of=T1)`` — a new plan as of T1, knowing nothing;
* **replan**: ``plan(landscape, scenario, as_of=T1, actuals=A)`` — the same with actuals.

The actuals A are synthetic (seeded): from a plan as of T0 (one quarter before the scenario's first
quarter after its start), of the systems planned for the two quarters before T1, 80 % are reported
migrated on a day of their planned quarter, 10 % in progress, 2 % postponed, the rest not at all; and
1 % of the systems planned a year later are reported migrated early. Target: replan ≤ 1.2 × fresh.
Each of the two runs ``--repeat`` times (default 3), alternating which goes first; medians compared.
The plan as of T0 is not timed. ``--cases=saarland,n,2n`` picks cases (default all three).
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks._table import print_rows

ROOT = Path(__file__).resolve().parent.parent


def synthetic_actuals(p0, scenario, *, t1: date, seed: int = 2027):
    """Seeded synthetic actuals from the plan ``p0`` up to the day before ``t1`` (see the module docstring)."""
    from actuals.models import Actuals, SystemProgress
    from plan.calendar import first_open_quarter, quarter_start

    rng = random.Random(seed)
    first = first_open_quarter(scenario.start, t1)
    reported = t1 - timedelta(days=1)
    systems: dict[str, SystemProgress] = {}
    for a in sorted(p0.assignments, key=lambda a: a.system):
        if a.quarter is None:
            continue
        r = rng.random()
        if first - 2 <= a.quarter < first:
            day = quarter_start(scenario.start, a.quarter) + timedelta(days=rng.randrange(0, 85))
            day = min(day, reported)
            if r < 0.80:
                systems[a.system] = SystemProgress(system=a.system, status="migrated", date=day)
            elif r < 0.90:
                systems[a.system] = SystemProgress(system=a.system, status="in_progress", date=day)
            elif r < 0.92:
                systems[a.system] = SystemProgress(system=a.system, status="postponed", reason="synthetisch",
                                                   not_before=quarter_start(scenario.start, first + 2))
        elif first + 3 <= a.quarter < first + 4 and r < 0.01:
            systems[a.system] = SystemProgress(
                system=a.system, status="migrated",
                date=quarter_start(scenario.start, first - 1) + timedelta(days=rng.randrange(0, 85)))
    return Actuals(systems=systems, reported=reported, content_hash=f"synthetic-{seed}")


def _case(kind: str, orgs: int, seed: int, repeat: int) -> dict:
    from consolidation.planner import plan
    from plan.calendar import quarter_start

    if kind == "saarland":
        from benchmarks.bench_plan import SAARLAND, SCENARIO
        from consolidation.scenario import load_scenario
        from inventory.load import load_landscape

        landscape, scenario = load_landscape(SAARLAND), load_scenario(SCENARIO)
    else:
        from benchmarks.bench_plan import scaled_scenario
        from inventory.generate import generate_landscape

        landscape = generate_landscape(orgs, seed, systems_per_org=46)
        scenario = scaled_scenario(len(landscape.organisations), len(landscape.systems))
    t0 = quarter_start(scenario.start, 1)
    t1 = quarter_start(scenario.start, 3)
    p0 = plan(landscape, scenario, as_of=t0)
    actuals = synthetic_actuals(p0, scenario, t1=t1)
    times: dict[str, list[float]] = {"fresh": [], "replan": []}
    results = {}
    for k in range(repeat):
        order = ("fresh", "replan") if k % 2 == 0 else ("replan", "fresh")
        for which in order:
            start = time.perf_counter()
            results[which] = plan(landscape, scenario, as_of=t1, actuals=actuals if which == "replan" else None)
            times[which].append(time.perf_counter() - start)
    fresh, replan = (statistics.median(times[w]) for w in ("fresh", "replan"))
    status = {s: sum(1 for x in actuals.systems.values() if x.status == s)
              for s in ("migrated", "in_progress", "postponed")}
    sched = {w: next(s for s in results[w].solver if s.step == "schedule") for w in results}
    return {"case": kind if kind == "saarland" else f"N={orgs}", "systems": len(landscape.systems),
            **status, "fresh_s": round(fresh, 2), "replan_s": round(replan, 2), "ratio": round(replan / fresh, 2),
            "gap_fresh": sched["fresh"].gap, "gap_replan": sched["replan"].gap,
            "feasible": results["replan"].feasible}


def _run(kind: str, orgs: int, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_replan", "--case", kind, str(orgs), "7", str(repeat)],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode:
        return {"case": kind if kind == "saarland" else f"N={orgs}", "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--case"]:
        print(json.dumps(_case(argv[1], int(argv[2]), int(argv[3]), int(argv[4]))))
        return 0
    n = 300 if "--quick" in argv else 5400
    options = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    repeat = int(options.get("repeat", 3))
    spec = {"saarland": ("saarland", 0), "n": ("germany", n), "2n": ("germany", 2 * n)}
    cases = options.get("cases", "saarland,n,2n").split(",")
    rows = [_run(*spec[c], repeat) for c in cases]
    cols = ["case", "systems", "migrated", "in_progress", "postponed", "fresh_s", "replan_s", "ratio", "gap_fresh",
            "gap_replan", "feasible"]
    ok = print_rows(rows, cols, 11)
    print("re-planning with actuals vs a fresh plan as of the same day (target ratio ≤ 1.2): "
          + ", ".join(f"{r['case']} {r['ratio']:.2f}" for r in ok))
    return 0 if len(ok) == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
