"""Report generation: the Saarland sample in all formats, and a Germany-scale plan as HTML in Chromium.

    python -m benchmarks report            # Saarland (real planner if available) + Germany scale (10,800 orgs)
    python -m benchmarks report --quick    # Saarland + 1,000 orgs
    python -m benchmarks report --saarland # Saarland only (beside the report of the baseline revision)

Targets (issue 5): Saarland report in all three formats < 5 s; Germany-scale HTML < 20 MB and
loaded by Chromium in < 3 s (aggregated view, not 10,800 appendix pages).
Baselines measured in the same run: the same pack through WeasyPrint instead of typst, the raw
plan JSON (size, read time), a bare HTML table of the organisations (size, Chromium load time) and
the report of another git revision (``LANDKARTE_BENCH_BASELINE_REF``, default ``main``: the report
before the Beschlussvorlage) on the same Saarland sample, exported with ``git archive`` into a
temporary folder and run there with this interpreter.
Wall and CPU time are both shown: on a busy machine the wall time says more about the neighbours.

The Germany-scale plan is synthetic (seeded) and cached in ``.cache/bench/``.
"""

from __future__ import annotations

import html as html_mod
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def synthetic_plan(orgs: int, *, systems_per_org: int = 46, kreise: int = 400, domains: int = 25, seed: int = 1):
    """A plan of Germany's shape: ``orgs`` municipalities in ``kreise`` Kreise (synthetic, seeded)."""
    from plan.models import (
        Assignment,
        BindingConstraint,
        CostLine,
        CostSummary,
        DataCentre,
        DomainMetrics,
        ExceptionEntry,
        FundingRelease,
        Plan,
        PlanMeta,
        PlanOrganisation,
        SolverStep,
        TargetInstance,
        Wave,
    )

    rng = random.Random(seed)
    horizon, start = 40, date(2026, 1, 1)
    dcs = tuple(DataCentre(id=f"rz-{i:02d}", name=f"Landesrechenzentrum {i:02d}", allows_sehr_hoch=True,
                           capacity_vcpu=20000, capacity_ram_gb=160000, capacity_storage_tb=4000.0,
                           used_vcpu=rng.randint(8000, 19000), used_ram_gb=rng.randint(50000, 150000),
                           used_storage_tb=rng.uniform(1000, 3900), supernet=f"10.{i}.0.0/16")
                for i in range(1, 17))
    dom_ids = [f"dom-{d:02d}" for d in range(domains)]
    targets = tuple(TargetInstance(id=f"t-{d}-{dc.id}", domain=d, product=f"{d}-std", product_name=f"Standard {d}",
                                   category="Fachverfahren", data_centre=dc.id, vcpu=64, ram_gb=256, storage_gb=4000,
                                   schutzbedarf="hoch", tenants=(), onboarding_per_quarter=40,
                                   annual_run_cost=Decimal("250000.00"))
                    for d in dom_ids for dc in dcs)
    organisations, assignments, lines, funding, exceptions = [], [], [], [], []
    effort: dict[int, list[float]] = {}
    for o in range(orgs):
        k = o % kreise
        land = 1 + k % 16
        oid = f"g{o:05d}"
        participates = rng.random() > 0.02
        organisations.append(PlanOrganisation(
            id=oid, name=f"Gemeinde {o:05d}", kind="Gemeinde", ags=f"{land:02d}{k:03d}{o % 1000:03d}",
            district=f"{land:02d}{k:03d}", district_name=f"Kreis {k:03d}", participates=participates,
            zweckverband_member=True, population=rng.randint(300, 60000)))
        dc = dcs[land - 1].id
        for s in range(systems_per_org):
            d = dom_ids[s % domains]
            roll = rng.random()
            decision = ("out_of_scope" if not participates else "migrate" if roll < 0.85 else
                        "stay" if roll < 0.97 else "exception")
            q = rng.randrange(horizon) if decision == "migrate" else None
            e_eigen, e_fremd = (rng.uniform(1, 8), rng.uniform(2, 15)) if q is not None else (0.0, 0.0)
            if q is not None:
                acc = effort.setdefault(q, [0, 0.0, 0.0])
                acc[0] += 1
                acc[1] += e_eigen
                acc[2] += e_fremd
            eol = date(2025 + rng.randrange(8), 12, 31) if rng.random() < 0.3 else None
            assignments.append(Assignment(
                system=f"{oid}-s{s:02d}", org=oid, domain=d, product_before=f"{d}-p{rng.randrange(5)}",
                decision=decision, target=f"t-{d}-{dc}" if decision == "migrate" else None,
                data_centre=dc if decision == "migrate" else None, quarter=q,
                quarter_label=None if q is None else f"{2026 + q // 4}-Q{q % 4 + 1}",
                effort_eigen_pd=round(e_eigen, 1), effort_fremd_pd=round(e_fremd, 1),
                one_off_cost=Decimal(rng.randrange(500, 40000)), end_of_life=eol,
                migrated_after_eol=bool(eol and q is not None and eol.year < 2026 + q // 4),
                schutzbedarf=rng.choice(("normal", "hoch", "sehr hoch")),
                binding=BindingConstraint(kind="capacity", detail="Kapazität des Migrationsteams")))
            if decision == "exception":
                exceptions.append(ExceptionEntry(id=f"e-{oid}-{s:02d}", systems=(f"{oid}-s{s:02d}",), org=oid,
                                                 justification="Sonderlösung (synthetisch)", coordinated=rng.random() < 0.5))
        for y in range(2026, 2036):
            lines.append(CostLine(year=y, org=oid, scenario="status_quo", category="run_legacy", kind="cash",
                                  payer="kommune", betriebsart="Eigenleistung",
                                  amount=Decimal(rng.randrange(50000, 400000))))
            lines.append(CostLine(year=y, org=oid, scenario="plan", category="run_target", kind="cash",
                                  payer="kommune", betriebsart="Fremdleistung",
                                  amount=Decimal(rng.randrange(30000, 300000))))
        funding.append(FundingRelease(year=2027 + o % 8, quarter=4 + (o % 8) * 4, milestone=f"migriert.{oid}",
                                      description=f"Gemeinde {o:05d} migriert", org=oid, amount=Decimal(25000)))
    waves = tuple(Wave(quarter=q, label=f"{2026 + q // 4}-Q{q % 4 + 1}",
                       start=date(2026 + q // 4, 3 * (q % 4) + 1, 1), end=date(2026 + q // 4, 3 * (q % 4) + 1, 28),
                       groups=n, systems=n, effort_eigen_pd=round(ee, 1), effort_fremd_pd=round(ef, 1),
                       capacity_eigen_pd=round(ee * 1.15, 1), capacity_fremd_pd=round(ef * 1.1, 1))
                  for q, (n, ee, ef) in sorted(effort.items()))
    per_dom = max(1, len(assignments) // domains)
    metrics = tuple(DomainMetrics(domain=d, domain_name=f"Domäne {d}", systems=per_dom, products_before=5,
                                  products_after=1, instances_before=per_dom, instances_after=16,
                                  consolidation_ratio=round(per_dom / 16, 2)) for d in dom_ids)
    sq = sum((x.amount for x in lines if x.scenario == "status_quo"), Decimal(0))
    pl = sum((x.amount for x in lines if x.scenario == "plan"), Decimal(0))
    one_off = sum((a.one_off_cost for a in assignments), Decimal(0))
    return Plan(
        meta=PlanMeta(tool_version="bench", scenario_id="deutschland", scenario_name="Deutschland (synthetisch)",
                      scenario_hash="0" * 64, inventory_name="germany-synthetic", inventory_hash="1" * 64,
                      synthetic=True, start=start, horizon_quarters=horizon, discount_rate=Decimal("0.03")),
        organisations=tuple(organisations), data_centres=dcs, targets=targets, assignments=tuple(assignments),
        move_groups=(), waves=waves, exceptions=tuple(exceptions), metrics=metrics,
        costs=CostSummary(years=tuple(range(2026, 2036)), tco_status_quo=sq, tco_plan=pl + one_off, one_off=one_off,
                          npv_status_quo=sq * Decimal("0.86"), npv_plan=(pl + one_off) * Decimal("0.88"),
                          npv_savings=(sq - pl - one_off) * Decimal("0.86"), eigen_total=one_off * Decimal("0.3"),
                          fremd_total=one_off * Decimal("0.7"), lines=tuple(lines)),
        funding=tuple(funding),
        solver=(SolverStep(step="schedule", solver="CP-SAT", status="FEASIBLE", gap=0.04, time_s=600.0),),
    )


def _saarland_plan(tmp: Path) -> tuple[Path, str, str | None]:
    """A real Saarland plan from the planner when it runs here, else a synthetic plan of Saarland's size."""
    sample = ROOT / "inventory" / "samples" / "saarland"
    scenario = ROOT / "consolidation" / "scenarios" / "landesweit.yaml"
    path = tmp / "saarland-plan.json"
    try:
        from consolidation.planner import plan as run_planner
        from consolidation.scenario import load_scenario
        from inventory.load import load_landscape
        from plan.io import write_plan

        write_plan(run_planner(load_landscape(sample), load_scenario(scenario)), path)
        return path, "Saarland sample, real planner", str(sample)
    except Exception as exc:  # noqa: BLE001 — the planner is optional for this benchmark
        from plan.io import write_plan

        write_plan(synthetic_plan(60, systems_per_org=15, kreise=6), path)
        return path, f"synthetic 60 orgs (planner unavailable: {type(exc).__name__})", None


_BASELINE_SCRIPT = """
import sys, time
from pathlib import Path
sys.path.insert(0, ".")
try:
    from consolidation.planner import plan as run
    from consolidation.scenario import load_scenario
    from inventory.load import load_landscape
    try:
        from plan.io import write_plan
    except ImportError:
        from consolidation.plan import write_plan
    from reports import load_inputs, render_report
except ImportError as exc:
    print("ERR", exc); raise SystemExit(0)
out = Path(sys.argv[1])
write_plan(run(load_landscape("inventory/samples/saarland"),
               load_scenario("consolidation/scenarios/landesweit.yaml")), out)
c0, t0 = time.process_time(), time.perf_counter()
try:  # the report reads the inventory facts the CLI hands it (since the architecture change) ...
    from landkarte.commands.report import report_inventory
    inputs = load_inputs(out)
    inputs.inventory = report_inventory(inputs.plan, out, Path("inventory/samples/saarland"))[0]
except ImportError:  # ... or the inventory folder itself (before it)
    inputs = load_inputs(out, inventory="inventory/samples/saarland")
for fmt in ("html", "pdf", "xlsx"):
    render_report(inputs, formats=[fmt])
print("OK", time.perf_counter() - t0, time.process_time() - c0)
"""


def _baseline_ref(tmp: Path) -> tuple[str, str, str, str, str]:
    """The same three formats rendered by the report of another git revision (same sample, same run)."""
    import subprocess

    ref = os.environ.get("LANDKARTE_BENCH_BASELINE_REF", "main")
    src = tmp / "baseline-src"
    src.mkdir()
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        res = subprocess.run([sys.executable, "-c", _BASELINE_SCRIPT, str(tmp / "baseline-plan.json")], cwd=src,
                             capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return (f"Saarland: html + pdf + xlsx, report of {ref} (baseline)", "skipped", "", "", type(exc).__name__)
    words = (res.stdout.strip().splitlines() or ["ERR no output"])[-1].split()
    if words[0] != "OK":
        return (f"Saarland: html + pdf + xlsx, report of {ref} (baseline)", "skipped", "", "",
                " ".join(words[1:])[:60] or res.stderr.strip()[-60:])
    return (f"Saarland: html + pdf + xlsx (incl. reading), report of {ref}", f"{float(words[1]):.2f} s",
            f"{float(words[2]):.2f} s", "", "baseline: the report before this revision")


def _chromium_load(browser, path: Path) -> float:
    """Seconds from navigation start to the load event (Navigation Timing), in a fresh page."""
    page = browser.new_page()
    page.goto(path.as_uri(), wait_until="load", timeout=120_000)
    ms = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd; }")
    page.close()
    return ms / 1000


def _bare_table(plan, path: Path) -> None:
    """Baseline: the same per-organisation rows as a bare HTML table, no CSS, charts or script."""
    rows = "".join(f"<tr><td>{html_mod.escape(o.name)}</td><td>{html_mod.escape(o.district_name)}</td></tr>"
                   for o in plan.organisations)
    path.write_text(f"<!DOCTYPE html><html lang=de><meta charset=utf-8><table>{rows}</table></html>")


def main(argv: list[str]) -> int:
    from landkarte.commands.report import report_inventory
    from reports import load_inputs, render_report

    quick = "--quick" in argv
    orgs = 1_000 if quick else 10_800
    rows: list[tuple[str, str, str, str, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        t0 = time.perf_counter()
        plan_path, label, inventory = _saarland_plan(tmp)
        print(f"Saarland plan: {label} ({time.perf_counter() - t0:.1f} s to produce, not counted)")
        c0, t0 = time.process_time(), time.perf_counter()
        inputs = load_inputs(plan_path)
        inputs.inventory, _warnings = report_inventory(inputs.plan, Path(plan_path), Path(inventory))
        t_load, c_load = time.perf_counter() - t0, time.process_time() - c0
        times = {}
        for fmt, engine, appendix in (("html", "typst", None), ("pdf", "typst", None), ("xlsx", "typst", None),
                                      ("pdf", "typst", "kreis"), ("pdf", "weasyprint", None)):
            c0, t0 = time.process_time(), time.perf_counter()
            _ctx, out = render_report(inputs, formats=[fmt], pdf_engine=engine, appendix=appendix)
            times[(fmt, engine, appendix)] = (time.perf_counter() - t0, time.process_time() - c0, len(out[fmt]))
        main_steps = [("html", "typst", None), ("pdf", "typst", None), ("xlsx", "typst", None)]
        total = t_load + sum(times[k][0] for k in main_steps)
        cpu = c_load + sum(times[k][1] for k in main_steps)
        rows.append(("Saarland: read plan + inventory", f"{t_load:.2f} s", f"{c_load:.2f} s", "", ""))
        for (fmt, engine, appendix), (t, c, size) in times.items():
            label = fmt + (f" ({engine}" + (f", appendix per {appendix}" if appendix else "") + ")"
                           if fmt == "pdf" else "")
            note = "baseline: the HTML pack through WeasyPrint" if engine == "weasyprint" else ""
            rows.append((f"Saarland: {label}", f"{t:.2f} s", f"{c:.2f} s", f"{size / 1e6:.2f} MB", note))
        rows.append(("Saarland: html + pdf + xlsx (incl. reading)", f"{total:.2f} s", f"{cpu:.2f} s", "",
                     "target < 5 s: " + ("met" if total < 5 else "met in CPU time (machine busy)" if cpu < 5
                                         else "MISSED")))
        rows.append(_baseline_ref(tmp))
        if "--saarland" in argv:
            return _print(rows)

        CACHE.mkdir(parents=True, exist_ok=True)
        big = CACHE / f"report-plan-{orgs}.json"
        if not big.is_file():
            from plan.io import write_plan

            t0 = time.perf_counter()
            write_plan(synthetic_plan(orgs), big)
            print(f"generated {big.relative_to(ROOT)} in {time.perf_counter() - t0:.1f} s (cached)")
        c0, t0 = time.process_time(), time.perf_counter()
        big_inputs = load_inputs(big)
        t_read, c_read = time.perf_counter() - t0, time.process_time() - c0
        c0, t0 = time.process_time(), time.perf_counter()
        _ctx, out = render_report(big_inputs, formats=["html"])
        t_html, c_html = time.perf_counter() - t0, time.process_time() - c0
        html_path = tmp / "germany.html"
        html_path.write_bytes(out["html"])
        bare = tmp / "bare.html"
        _bare_table(big_inputs.plan, bare)
        n_sys = len(big_inputs.plan.assignments)
        rows.append((f"Germany scale ({orgs:,} orgs, {n_sys:,} systems): read plan", f"{t_read:.1f} s",
                     f"{c_read:.1f} s", f"{big.stat().st_size / 1e6:.1f} MB", "baseline: raw plan JSON"))
        rows.append(("Germany scale: render HTML (aggregated)", f"{t_html:.1f} s", f"{c_html:.1f} s",
                     f"{len(out['html']) / 1e6:.1f} MB",
                     "target < 20 MB: " + ("met" if len(out["html"]) < 20e6 else "MISSED")))
        if Path(CHROMIUM).exists():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                _chromium_load(browser, bare)  # warm-up
                t_bare = min(_chromium_load(browser, bare) for _ in range(2))
                t_report = min(_chromium_load(browser, html_path) for _ in range(2))
                browser.close()
            rows.append(("Germany scale: Chromium load, report", f"{t_report:.2f} s", "", "",
                         "target < 3 s: " + ("met" if t_report < 3 else "MISSED")))
            rows.append(("Germany scale: Chromium load, bare org table", f"{t_bare:.2f} s", "",
                         f"{bare.stat().st_size / 1e6:.1f} MB", "baseline"))
        else:
            rows.append(("Germany scale: Chromium load", "skipped", "", "", f"{CHROMIUM} not installed"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _print(rows)


def _print(rows: list[tuple[str, str, str, str, str]]) -> int:
    w = max(len(r[0]) for r in rows)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU times less)")
    print(f"{'step':<{w}}  {'wall':>9}  {'cpu':>9}  {'size':>9}  note")
    for step, t, c, size, note in rows:
        print(f"{step:<{w}}  {t:>9}  {c:>9}  {size:>9}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
