"""A small hand-built plan for the configure tests (a module of its own: several tests folders have a
``conftest``, so ``from conftest import`` would depend on which one was imported first)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plan.models import (
    CostSummary,
    DataCentre,
    Flow,
    Plan,
    PlanMeta,
    PlannedVM,
    PlanOrganisation,
    TargetInstance,
    TenantNetwork,
)

__all__ = ["ADDRESSES", "LOG_VM", "MAIL_VM", "MANAGEMENT", "make_plan"]

MAIL_VM, LOG_VM = "vm-mail-1", "vm-log-1"
ADDRESSES = {MAIL_VM: "10.99.0.11", LOG_VM: "10.99.0.12"}
APP_VM, APP_ADDRESS = "vm-app-1", "10.99.0.13"
"""A third planned VM whose address no test host answers: always ``unreachable``."""
MANAGEMENT = "10.99.0.1/32"
"""The test host's side of the bridge: the only source allowed to reach SSH."""


def make_plan(addresses: dict[str, str] = ADDRESSES, *, app_vm: bool = False) -> Plan:
    """A small plan by hand: one data centre, a mail relay and a log host, two tenants.

    Flows: Gemeinde A's network may send mail (tcp/25) to the relay; the log host's target may
    submit (tcp/587). Nothing else is allowed into the relay.
    """
    money = Decimal(0)
    return Plan(
        meta=PlanMeta(
            tool_version="test", scenario_id="test", scenario_name="Test", scenario_hash="0" * 64,
            inventory_name="test", inventory_hash="0" * 64, synthetic=True, start=date(2026, 1, 1),
            horizon_quarters=4, discount_rate=Decimal("0.02"),
        ),
        organisations=(
            PlanOrganisation(id="gem-a", name="Gemeinde A", kind="gemeinde", participates=True, zweckverband_member=True),
            PlanOrganisation(id="gem-b", name="Gemeinde B", kind="gemeinde", participates=True, zweckverband_member=True),
        ),
        data_centres=(
            DataCentre(id="rz-test", name="RZ Test", allows_sehr_hoch=False, capacity_vcpu=64, capacity_ram_gb=256,
                       capacity_storage_tb=10.0, supernet="10.99.0.0/16"),
        ),
        targets=(
            TargetInstance(id="t-mail", domain="mail", product="postfix", product_name="Postfix", category="Basis-IT",
                           data_centre="rz-test", vcpu=2, ram_gb=4, storage_gb=40, schutzbedarf="hoch",
                           tenants=("gem-a", "gem-b"), onboarding_per_quarter=10, annual_run_cost=money),
            TargetInstance(id="t-log", domain="logging", product="rsyslog", product_name="rsyslog",
                           category="Basis-IT", data_centre="rz-test", vcpu=2, ram_gb=4, storage_gb=200,
                           schutzbedarf="hoch", tenants=("gem-a",), onboarding_per_quarter=10, annual_run_cost=money),
        ),
        assignments=(), move_groups=(), waves=(), metrics=(),
        costs=CostSummary(years=(2026,), tco_status_quo=money, tco_plan=money, one_off=money, npv_status_quo=money,
                          npv_plan=money, npv_savings=money, eigen_total=money, fremd_total=money, lines=()),
        solver=(),
        tenant_networks=(
            TenantNetwork(org="gem-a", data_centre="rz-test", prefix="10.99.0.0/24", vlan=100),
            TenantNetwork(org="gem-b", data_centre="rz-test", prefix="10.98.0.0/24", vlan=101),
        ),
        flows=(
            Flow(id="f-gem-a-mail", source_org="gem-a", target_org=None, source="sys-gem-a-fachverfahren",
                 target="t-mail", protocol="tcp", port=25, reason="Fachverfahren sends mail"),
            Flow(id="f-log-submit", source_org="gem-a", target_org=None, source="t-log", target="t-mail",
                 protocol="tcp", port=587, reason="log host sends alerts"),
        ),
        vms=(
            PlannedVM(id=MAIL_VM, name=MAIL_VM, target="t-mail", role="mail", data_centre="rz-test", vcpu=2,
                      ram_gb=4, disk_gb=40, schutzbedarf="hoch", backup=True, monitoring=True,
                      address=addresses[MAIL_VM]),
            PlannedVM(id=LOG_VM, name=LOG_VM, target="t-log", role="logging", data_centre="rz-test", vcpu=2,
                      ram_gb=4, disk_gb=200, schutzbedarf="hoch", backup=True, monitoring=True,
                      address=addresses[LOG_VM]),
            *([PlannedVM(id=APP_VM, name=APP_VM, target="t-log", role="app", data_centre="rz-test", vcpu=2,
                         ram_gb=4, disk_gb=20, schutzbedarf="hoch", backup=True, monitoring=True,
                         address=APP_ADDRESS)] if app_vm else []),
        ),
    )
