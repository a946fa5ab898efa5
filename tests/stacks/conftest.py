"""Fixtures of the stack tests: Pulumi mocks (autouse) and small plans built by hand.

``set_mocks`` is process-global, so every test gets a fresh recording mock. :func:`make_plan`
returns a small literal plan; tests derive deliberately bad plans from it with ``model_copy``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pki_files import PKI_CONFIG

from plan.io import write_plan
from plan.models import (
    DataCentre,
    Flow,
    Plan,
    PlanMeta,
    PlannedVM,
    PlanOrganisation,
    TargetInstance,
    TenantNetwork,
)
from stacks._recording import Recording, install_mocks, run_program
from stacks._synthetic import NO_COSTS
from stacks.program import main


def _org(oid: str, kind: str, district: str | None, participates: bool = True) -> PlanOrganisation:
    return PlanOrganisation(id=oid, name=oid.replace("-", " ").title(), kind=kind, district=district,
                            participates=participates, zweckverband_member=participates)


def _vm(vid: str, target: str, dc: str, sb: str, address: str, *, backup: bool, monitoring: bool = True) -> PlannedVM:
    return PlannedVM(id=vid, name=vid, target=target, role=target.split("-")[0], data_centre=dc, vcpu=2, ram_gb=8,
                     disk_gb=50, schutzbedarf=sb, backup=backup, monitoring=monitoring, address=address)


def _target(tid: str, dc: str, sb: str, tenants: tuple[str, ...]) -> TargetInstance:
    return TargetInstance(id=tid, domain=tid.split("-")[0], product=tid.split("-")[0], product_name=tid,
                          category="Basis-IT", data_centre=dc, vcpu=4, ram_gb=16, storage_gb=100, schutzbedarf=sb,
                          tenants=tenants, onboarding_per_quarter=5, annual_run_cost=Decimal("1000.00"))


def _flow(fid: str, src: str, target: str, port: int, target_org: str | None = None) -> Flow:
    return Flow(id=fid, source_org=src, target_org=target_org, source=src, target=target, port=port, reason=fid)


def make_plan() -> Plan:
    """Two data centres (only rz-nord certified for sehr hoch), four participating tenants and one
    organisation outside, three shared services with four VMs, seven flows (one tenant to tenant)."""
    orgs = (
        _org("gemeinde-a", "Gemeinde", "10041"),
        _org("gemeinde-b", "Gemeinde", "10041"),
        _org("gemeinde-out", "Gemeinde", "10042", participates=False),
        _org("kreis-x", "Landkreis", "10041"),
        _org("land", "Land", None),
    )
    dcs = (
        DataCentre(id="rz-nord", name="RZ Nord", certifications=("ISO 27001 auf Basis von IT-Grundschutz",),
                   redundancy="2n", allows_sehr_hoch=True, capacity_vcpu=1000, capacity_ram_gb=4000,
                   capacity_storage_tb=100.0, supernet="10.20.0.0/16"),
        DataCentre(id="rz-sued", name="RZ Süd", redundancy="n+1", allows_sehr_hoch=False, capacity_vcpu=500,
                   capacity_ram_gb=2000, capacity_storage_tb=50.0, supernet="10.30.0.0/16"),
    )
    tenants = ("gemeinde-a", "gemeinde-b", "kreis-x", "land")
    return Plan(
        meta=PlanMeta(tool_version="test", scenario_id="test", scenario_name="Test", scenario_hash="0" * 64,
                      inventory_name="test", inventory_hash="0" * 64, synthetic=True, start=date(2026, 1, 1),
                      horizon_quarters=8, discount_rate=Decimal("0.02")),
        organisations=orgs,
        data_centres=dcs,
        targets=(_target("dms-sued", "rz-sued", "normal", tenants), _target("ewm-nord", "rz-nord", "sehr hoch", tenants),
                 _target("iam-nord", "rz-nord", "hoch", tenants)),
        assignments=(), move_groups=(), waves=(), metrics=(),
        costs=NO_COSTS,
        solver=(),
        tenant_networks=(
            TenantNetwork(org="gemeinde-a", data_centre="rz-nord", prefix="10.20.1.0/24", vlan=101),
            TenantNetwork(org="gemeinde-b", data_centre="rz-nord", prefix="10.20.2.0/24", vlan=102),
            TenantNetwork(org="kreis-x", data_centre="rz-sued", prefix="10.30.1.0/24", vlan=201),
            TenantNetwork(org="land", data_centre="rz-sued", prefix="10.30.2.0/24", vlan=202),
        ),
        flows=(
            _flow("a-dms", "gemeinde-a", "dms-sued", 443),
            _flow("a-iam", "gemeinde-a", "iam-nord", 636),
            _flow("a-kreis", "gemeinde-a", "kreis-x.auslaenderwesen", 8443, target_org="kreis-x"),
            _flow("b-ewm", "gemeinde-b", "ewm-nord", 8443),
            _flow("b-iam", "gemeinde-b", "iam-nord", 636),
            _flow("kreis-iam", "kreis-x", "iam-nord", 636),
            _flow("land-iam", "land", "iam-nord", 636),
        ),
        vms=(
            _vm("dms-1", "dms-sued", "rz-sued", "normal", "10.30.0.10", backup=False, monitoring=False),
            _vm("ewm-1", "ewm-nord", "rz-nord", "sehr hoch", "10.20.0.12", backup=True),
            _vm("iam-1", "iam-nord", "rz-nord", "hoch", "10.20.0.10", backup=True),
            _vm("iam-2", "iam-nord", "rz-nord", "hoch", "10.20.0.11", backup=True),
        ),
    )


@pytest.fixture(autouse=True)
def pulumi_mocks():
    """A fresh recording mock engine for every test (``set_mocks`` is process-global)."""
    return install_mocks(stack="test")


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def plan_file(plan: Plan, tmp_path: Path) -> Path:
    """The small plan written as plan JSON (what ``landkarte deploy --plan`` reads)."""
    path = tmp_path / "plan.json"
    write_plan(plan, path)
    return path


@pytest.fixture
def run_stack(tmp_path: Path) -> Callable[..., Recording]:
    """Run the real stack program (``stacks.program.main``) on a plan under mocks; config keys optional."""

    def run(plan: Plan, **config: Any) -> Recording:
        path = tmp_path / f"plan-{len(list(tmp_path.glob('plan-*.json')))}.json"
        write_plan(plan, path)
        return run_program(main, config={"planPath": str(path), **PKI_CONFIG, **config}, stack="test")

    return run
