"""Benchmark of "why the plan changed": ``python -m benchmarks why``.

Target: the attribution of a typical change (a handful of edits) at Saarland scale < 10 s.

Prints, side by side in one run on the Saarland sample (plans made ``--as-of 05.12.2026`` like the demo):

* ``compare``: plain ``plan compare`` of the two plan files (read both, :func:`plan.diff.diff_plans`),
  the baseline;
* ``why, 2 edits``: the demo's two small inventory edits (two contracts extended to 31.12.2028, which
  moved 62 systems) attributed by re-planning (:func:`consolidation.attribution.attribute`);
* ``why, 5 edits``: those two, a dependency, a user count and a scenario key (a target's onboarding limit).

For each: wall-clock seconds and the CPU seconds of this process (a busy machine disturbs those less),
re-plans, moved systems, and whether every moved system got a cause. The attribution times include
loading both inventories, as ``landkarte plan compare --since`` does.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAARLAND = ROOT / "inventory" / "samples" / "saarland"
SCENARIO = ROOT / "consolidation" / "scenarios" / "landesweit.yaml"
AS_OF = date(2026, 12, 5)
DEMO_EDITS = ("kirkel.finanzwesen-doppik", "schiffweiler.personalwesen-entgeltabrechnung")
"""The demo's two small edits: each system's contract now ends on 31.12.2028."""


def _with_system(landscape, sid: str, **update):
    from inventory.models import Landscape

    orgs = tuple(inv.model_copy(update={"systems": tuple(s.model_copy(update=update) if s.id == sid else s
                                                         for s in inv.systems)})
                 if any(s.id == sid for s in inv.systems) else inv for inv in landscape.organisations)
    return Landscape(meta=landscape.meta, catalogue=landscape.catalogue, organisations=orgs)


def demo_edits(landscape):
    """The inventory after the demo's two edits (the YAML edits of ``organisations/kirkel.yaml`` and
    ``organisations/schiffweiler.yaml``: ``contract.end: 2028-12-31``)."""
    for sid in DEMO_EDITS:
        s = landscape.systems[sid]
        landscape = _with_system(landscape, sid, contract=s.contract.model_copy(update={"end": date(2028, 12, 31)}))
    return landscape


def five_edits(landscape, scenario):
    """The demo's edits, a new dependency, a user count; and a target's onboarding limit in the scenario."""
    from inventory.models import Dependency

    landscape = demo_edits(landscape)
    landscape = _with_system(landscape, "bous.gewerbewesen", users=60)
    orgs = tuple(inv.model_copy(update={"dependencies": (*inv.dependencies, Dependency(
        source="merzig.gewerbewesen", target="merzig.finanzwesen-doppik", kind="api"))})
        if inv.organisation.id == "merzig" else inv for inv in landscape.organisations)
    landscape = type(landscape)(meta=landscape.meta, catalogue=landscape.catalogue, organisations=orgs)
    targets = tuple(t.model_copy(update={"onboarding_per_quarter": 6}) if t.domain == "gewerbewesen" else t
                    for t in scenario.targets)
    return landscape, scenario.model_copy(update={"targets": targets})


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main(argv: list[str]) -> int:
    from consolidation.attribution import PlanInputs, attribute
    from consolidation.planner import plan
    from consolidation.scenario import load_scenario
    from inventory.load import load_landscape
    from inventory.write.folder import write_folder
    from plan.diff import diff_plans
    from plan.io import read_plan, write_plan

    L = load_landscape(SAARLAND)
    S = load_scenario(SCENARIO)
    cases = {"2 edits": (demo_edits(L), S), "5 edits": five_edits(L, S)}
    old = plan(L, S, as_of=AS_OF)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-why-") as tmp:
        base = Path(tmp)
        write_plan(old, base / "old.json")
        write_folder(L, base / "old")
        for name, (L2, S2) in cases.items():
            new = plan(L2, S2, as_of=AS_OF)
            write_plan(new, base / f"{name}.json")
            write_folder(L2, base / name)
            d, w, c = _timed(lambda n=name: diff_plans(read_plan(base / "old.json"), read_plan(base / f"{n}.json")))
            rows.append((f"compare, {name}", w, c, "–", d.moved, "–"))

            def why(n=name, s2=S2):
                a_old, a_new = load_landscape(base / "old"), load_landscape(base / n)
                p_old, p_new = read_plan(base / "old.json"), read_plan(base / f"{n}.json")
                return attribute(p_old, p_new, PlanInputs(a_old, S, as_of=AS_OF), PlanInputs(a_new, s2, as_of=AS_OF))

            a, w, c = _timed(why)
            complete = {s.system for s in a.systems} == {x.system for x in d.changes}
            rows.append((f"why, {name}", w, c, a.replans, len(a.systems), "ja" if complete else "NEIN"))
    print(f"{'case':<18} {'wall s':>8} {'cpu s':>8} {'re-plans':>9} {'moved':>6} {'all explained':>14}")
    for name, w, c, n, moved, ok in rows:
        print(f"{name:<18} {w:8.2f} {c:8.2f} {n!s:>9} {moved:>6} {ok:>14}")
    import os

    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    worst = max(w for name, w, *_ in rows if name.startswith("why"))
    print(f"target: attribution < 10 s at Saarland scale — {'met' if worst < 10 else 'MISSED'} ({worst:.1f} s)")
    return 0
