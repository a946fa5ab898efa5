"""Benchmark of the consolidation planner: ``python -m benchmarks plan [--quick]``.

Prints, side by side in one run: the Saarland sample (target < 1 s, gap ≤ 1 %) and two
generated Germany-scale landscapes of N and 2N municipalities (target < 60 s and < 8 GB on
2 cores, time(2N)/time(N) ≤ 2.2, gap ≤ 5 %), each with the reported optimality gap and the
objective of the earliest-start list schedule (the baseline) next to the solver's.

Each case runs in its own subprocess so peak memory is per case: the peak of the case's process
and the planner's schedule worker process together (sampled; at least the process's own
``VmHWM``). Times are the planner only (``plan(landscape, scenario)``), not loading or
generating the inventory.

``--baseline=DIR`` compares with another checkout (e.g. ``git worktree add ../base <commit>``)
side by side in the same run: each case runs ``--repeat=K`` times (default 3) in both trees,
alternating which goes first, and the medians are compared (time within 5 %, peak memory not
higher, the same objective; beside the planner's wall-clock time, the CPU seconds of each whole
case, which a busy machine disturbs less). ``--cases=saarland,n,2n`` picks cases (default all three).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._memory import TreePeak

ROOT = Path(__file__).resolve().parent.parent
SAARLAND = ROOT / "inventory" / "samples" / "saarland"
SCENARIO = ROOT / "consolidation" / "scenarios" / "landesweit.yaml"


SAARLAND_SYSTEMS = 874


def scaled_scenario(orgs: int, systems: int):
    """The landesweit scenario scaled to a landscape of ``orgs`` organisations and ``systems`` systems
    (team and onboarding capacity, instances and data centres grow with the number of systems)."""
    from consolidation.scenario import load_scenario

    base = load_scenario(SCENARIO)
    k = max(1.0, 1.3 * systems / SAARLAND_SYSTEMS)
    data = base.model_dump()  # python mode: Decimals stay numbers (the scenario takes no text for a number)
    data["id"] = f"landesweit-x{orgs}"
    data["organisations"] = {"include": "all"}
    data["exceptions"] = []
    data["teams"] = {"eigen_pd_per_quarter": round(320 * k), "fremd_pd_per_quarter": round(520 * k),
                     "by_year": [{"year": 2026, "eigen_pd_per_quarter": round(200 * k),
                                  "fremd_pd_per_quarter": round(360 * k)}]}
    for t in data["targets"]:
        t["instances"] = max(1, math.ceil(k / 4))
        t["onboarding_per_quarter"] = max(1, round(t["onboarding_per_quarter"] * k / t["instances"]))
    n_dc = max(3, math.ceil(orgs / 900) + 1)  # a /14 supernet holds about 1,000 tenant networks
    dcs = []
    for i in range(n_dc):
        dcs.append({"id": f"rz-{i + 1:02d}", "name": f"Rechenzentrum {i + 1} (synthetisch)",
                    "certifications": ["ISO 27001 auf Basis von IT-Grundschutz"] if i % 2 == 0 else [],
                    "redundancy": "2n" if i % 2 == 0 else "n+1",
                    "capacity": {"vcpu": int(4000 * k), "ram_gb": int(20000 * k), "storage_tb": 20000 * k},
                    "supernet": f"10.{64 + 4 * i}.0.0/14", "vlan_base": 100})
    data["data_centres"] = dcs
    data["solver"] = {**data["solver"], "block_size": 1500}
    return type(base).model_validate(data)


#: Team person-days per quarter and system on the tight landscapes (Annahme, synthetic): about 40 % of
#: what the generated systems need per quarter when spread over ten quarters, so team capacity binds.
TIGHT_EIGEN_PD, TIGHT_FREMD_PD = 0.4, 0.6


def tight_scenario(landscape, **solver):
    """The landesweit scenario scaled to ``landscape`` (:func:`scaled_scenario`), its team capacity
    cut to ``TIGHT_EIGEN_PD``/``TIGHT_FREMD_PD`` person-days per quarter and system, the same every
    year, so that team capacity binds the schedule (a synthetic stress case, not an estimate).
    ``solver`` overrides solver settings (e.g. to force the large-problem path)."""
    base = scaled_scenario(len(landscape.organisations), len(landscape.systems))
    data = base.model_dump()
    n = len(landscape.systems)
    data["id"] = f"landesweit-eng-x{len(landscape.organisations)}"
    data["teams"] = {"eigen_pd_per_quarter": round(TIGHT_EIGEN_PD * n),
                     "fremd_pd_per_quarter": round(TIGHT_FREMD_PD * n), "by_year": []}
    data["solver"] = {**data["solver"], **solver}
    return type(base).model_validate(data)


def _case(kind: str, orgs: int, seed: int) -> dict:
    """Run one case in this process and return its figures."""
    from consolidation.planner import plan
    from consolidation.scenario import load_scenario

    if kind == "saarland":
        from inventory.load import load_landscape

        landscape, scenario = load_landscape(SAARLAND), load_scenario(SCENARIO)
    elif kind in ("tight", "tight-large"):
        from inventory.generate import generate_landscape

        landscape = generate_landscape(orgs, seed)
        # tight-large: the large-problem path forced (no CP-SAT model, no strong LP of the whole problem)
        forced = {"full_model_groups": 0, "lp_max_pairs": 0} if kind == "tight-large" else {}
        scenario = tight_scenario(landscape, **forced)
    else:
        from inventory.generate import generate_landscape

        landscape = generate_landscape(orgs, seed, systems_per_org=46)
        scenario = scaled_scenario(len(landscape.organisations), len(landscape.systems))
    with TreePeak() as memory:
        t0 = time.perf_counter()
        p = plan(landscape, scenario, record_timing=True)
        elapsed = time.perf_counter() - t0
    sched = next(s for s in p.solver if s.step == "schedule")
    return {
        "case": kind if kind == "saarland" else f"N={orgs}", "orgs": len(landscape.organisations),
        "systems": len(landscape.systems), "groups": len(p.move_groups), "time_s": round(elapsed, 2),
        "schedule_s": sched.time_s, "subproblems": sched.subproblems, "objective": sched.objective,
        "bound": sched.best_bound, "gap": sched.gap, "baseline": sched.baseline_objective,
        "feasible": p.feasible,
        "peak_mb": round(memory.mb),
    }


def _run(kind: str, orgs: int, seed: int, root: Path = ROOT) -> dict:
    """One case in a fresh interpreter in the checkout ``root`` (its own packages come first on the path).

    A tight case runs this file's case definition (``tight_scenario``, which an older checkout may
    not have) against the planner of ``root``."""
    before = _children_cpu()
    args = ["--case", kind, str(orgs), str(seed)]
    cmd = [sys.executable, "-m", "benchmarks.bench_plan", *args] if not kind.startswith("tight") else [
        sys.executable, "-c", (f"import runpy, sys; sys.path.insert(0, {str(root)!r}); sys.argv = ['bench_plan', "
                               f"*{args!r}]; runpy.run_path({str(Path(__file__).resolve())!r}, run_name='__main__')")]
    out = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=3600, check=False)
    if out.returncode != 0:
        return {"case": kind if kind == "saarland" else f"N={orgs}", "error": out.stderr.strip().splitlines()[-1:]}
    # CPU seconds of the whole case (loading or generating the inventory too, and the worker
    # process): a comparison that a busy machine disturbs far less than wall-clock time
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "case_cpu_s": round(_children_cpu() - before, 2)}


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv: list[str]) -> int:
    if argv[:1] == ["--case"]:
        print(json.dumps(_case(argv[1], int(argv[2]), int(argv[3]))))
        return 0
    quick = "--quick" in argv
    n = 300 if quick else 5400
    options = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    if "--tight" in argv:
        return _tight(Path(options["baseline"]).resolve() if "baseline" in options else None)
    if "baseline" in options:
        cases = options.get("cases", "saarland,n,2n").split(",")
        return _compare(Path(options["baseline"]).resolve(), n, cases, repeat=int(options.get("repeat", 3)))
    rows = [_run("saarland", 0, 0), _run("germany", n, 7), _run("germany", 2 * n, 7)]
    cols = ["case", "orgs", "systems", "groups", "time_s", "schedule_s", "peak_mb", "subproblems", "objective", "bound", "gap",
            "baseline", "feasible"]
    from benchmarks._table import print_rows  # here: a tight case runs this file against an older checkout

    ok = print_rows(rows, cols, 12)
    if len(ok) == 3:
        ratio = ok[2]["time_s"] / max(ok[1]["time_s"], 1e-9)
        gain = [(1 - r["objective"] / r["baseline"]) if r["baseline"] else None for r in ok]
        print(f"time(2N)/time(N) = {ratio:.2f} (target ≤ 2.2); Saarland {ok[0]['time_s']} s (target < 1 s), "
              f"gap {ok[0]['gap']:.2%} (target ≤ 1 %); 2N {ok[2]['time_s']} s (target < 60 s), "
              f"{ok[2]['peak_mb']} MB (target < 8192), gap {ok[2]['gap']:.2%} (target ≤ 5 %)")
        print("objective below the list-schedule baseline: "
              + ", ".join(f"{r['case']} {g:.1%}" for r, g in zip(ok, gain) if g is not None))
    return 0 if len(ok) == 3 else 1


def _compare(baseline: Path, n: int, cases: list[str], *, repeat: int) -> int:
    """Each case ``repeat`` times in both checkouts, alternating, and the medians side by side."""
    import statistics

    spec = {"saarland": ("saarland", 0, 0), "n": ("germany", n, 7), "2n": ("germany", 2 * n, 7)}
    print(f"baseline {baseline}, this checkout {ROOT}; {repeat} runs each, alternating")
    print(" | ".join(f"{c:>14}" for c in ("case", "time base", "time new", "new/base", "case CPU base",
                                             "case CPU new", "peak base MB", "peak new MB", "same objective")))
    ok = True
    verdict = {"time within 5 %": True, "peak memory not higher": True, "same objective": True}
    for case in cases:
        kind, orgs, seed = spec[case]
        runs: dict[str, list[dict]] = {"base": [], "new": []}
        for r in range(repeat):
            for side in (("base", "new") if r % 2 == 0 else ("new", "base")):
                runs[side].append(_run(kind, orgs, seed, baseline if side == "base" else ROOT))
        if any("error" in x for side in runs.values() for x in side):
            print(f"{case:>14} | error: {[x['error'] for side in runs.values() for x in side if 'error' in x][:1]}")
            ok = False
            continue
        t = {side: statistics.median(x["time_s"] for x in xs) for side, xs in runs.items()}
        m = {side: statistics.median(x["peak_mb"] for x in xs) for side, xs in runs.items()}
        c = {side: statistics.median(x["case_cpu_s"] for x in xs) for side, xs in runs.items()}
        same = {x["objective"] for x in runs["base"]} == {x["objective"] for x in runs["new"]}
        ratio = t["new"] / max(t["base"], 1e-9)
        for key, holds in (("time within 5 %", ratio <= 1.05), ("peak memory not higher", m["new"] <= m["base"]),
                           ("same objective", same)):
            verdict[key] &= holds
        ok &= same and ratio <= 1.05 and m["new"] <= m["base"]
        print(" | ".join(f"{v:>14}" for v in (case, f"{t['base']:.2f}", f"{t['new']:.2f}", f"{ratio:.3f}",
                                               f"{c['base']:.1f}", f"{c['new']:.1f}", f"{m['base']:.0f}",
                                               f"{m['new']:.0f}", "yes" if same else "NO")))
        print(f"{'':>14}   times base {[x['time_s'] for x in runs['base']]}, new {[x['time_s'] for x in runs['new']]}")
    print("; ".join(f"{k}: {'yes' if v else 'no'}" for k, v in verdict.items())
          + ("" if verdict["same objective"] else " (expected only where the cost model changed between the checkouts)"))
    return 0 if ok else 1


#: Tight landscapes (organisations) of the schedule-quality benchmark, seed 3.
TIGHT_ORGS = (50, 100, 300)


def _tight(baseline: Path | None) -> int:
    """Schedule quality where team capacity binds: objective, bound and gap on tight landscapes of
    50, 100 and 300 organisations (``tight_scenario``), beside the baseline checkout if given."""
    sides = {"new": ROOT} if baseline is None else {"base": baseline, "new": ROOT}
    print(f"tight landscapes (team capacity {TIGHT_EIGEN_PD}/{TIGHT_FREMD_PD} PD per quarter and system, "
          f"synthetic, seed 3); checkouts: " + ", ".join(f"{k} {v}" for k, v in sides.items()))
    cols = ("case", "groups", "side", "objective", "bound", "gap", "time_s", "baseline")
    print(" | ".join(f"{c:>12}" for c in cols))
    ok = True
    for orgs, kind in [(o, k) for k in ("tight", "tight-large") for o in TIGHT_ORGS]:
        rows = {side: _run(kind, orgs, 3, root) for side, root in sides.items()}
        for side, r in rows.items():
            if "error" in r:
                print(f"{orgs:>12} | {side}: error: {r['error']}")
                ok = False
                continue
            print(" | ".join(f"{_fmt(v):>12}" for v in (f"{kind} {orgs}", r["groups"], side, r["objective"], r["bound"],
                                                        r["gap"], r["time_s"], r["baseline"])))
        if len(rows) == 2 and not any("error" in r for r in rows.values()) and rows["base"]["baseline"] != rows["new"]["baseline"]:
            print(f"{'':>12}   the cost tables differ (another list-schedule objective): compare the gaps, not the objectives")
        elif len(rows) == 2 and not any("error" in r for r in rows.values()):
            b, n = rows["base"], rows["new"]
            print(f"{'':>12}   objective new/base {n['objective'] / b['objective']:.4f}, "
                  f"best proven bound {max(b['bound'], n['bound']):,.0f}: new within "
                  f"{n['objective'] / max(b['bound'], n['bound']) - 1:.2%}, base within "
                  f"{b['objective'] / max(b['bound'], n['bound']) - 1:.2%}")
    return 0 if ok else 1


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4f}" if v < 1 else f"{v:,.0f}" if v >= 1000 else f"{v:.2f}"
    return str(v)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
