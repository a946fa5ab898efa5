"""The plan models: the serialized contract between the planner and everything downstream.

Reports, the NetBox sync, the Pulumi stacks and the Ansible playbooks read a plan JSON
written by :func:`plan.io.write_plan` and parsed by :func:`plan.io.read_plan`; they never
recompute it. ``landkarte plan schema`` exports :func:`plan.io.plan_json_schema`.

Money is in EUR (Decimal, two places), quarters are indexed from 0 = the scenario's start
quarter, dates are ISO dates. Every collection is sorted by its id so the same input gives
a byte-identical file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from common.types import CIDR, Betriebsart, Id, Money, Schutzbedarf

__all__ = [
    "PLAN_SCHEMA_VERSION",
    "Assignment",
    "BindingConstraint",
    "Blackout",
    "Conflict",
    "CostLine",
    "CostSummary",
    "DataCentre",
    "DomainMetrics",
    "ExceptionEntry",
    "Flow",
    "FundingRelease",
    "MoveGroup",
    "Plan",
    "PlanMeta",
    "PlanModel",
    "PlanOrganisation",
    "PlannedVM",
    "SolverStep",
    "TargetInstance",
    "TenantNetwork",
    "Wave",
]

PLAN_SCHEMA_VERSION = "1"


class PlanModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class PlanMeta(PlanModel):
    schema_version: Literal["1"] = PLAN_SCHEMA_VERSION
    tool_version: str
    scenario_id: Id
    scenario_name: str
    scenario_hash: str
    """sha256 of the scenario file's canonical JSON."""
    inventory_name: str
    inventory_hash: str
    """sha256 over the inventory's canonical JSON."""
    synthetic: bool
    """The inventory contains synthetic (generated) values; reports must say so."""
    start: date
    """First day of quarter 0."""
    horizon_quarters: int = Field(ge=1, le=80)
    discount_rate: Decimal


class PlanOrganisation(PlanModel):
    id: Id
    name: str
    kind: str
    ags: str | None = None
    district: str | None = None
    district_name: str = ""
    participates: bool
    """Takes part in the scenario (False: outside, e.g. left the Zweckverband)."""
    zweckverband_member: bool
    exit_date: date | None = None
    population: int | None = None


class DataCentre(PlanModel):
    id: Id
    name: str
    certifications: tuple[str, ...] = ()
    redundancy: str = "none"
    allows_sehr_hoch: bool
    """Certified and redundant: may host workloads with Schutzbedarf "sehr hoch"."""
    capacity_vcpu: int
    capacity_ram_gb: int
    capacity_storage_tb: float
    used_vcpu: int = 0
    used_ram_gb: int = 0
    used_storage_tb: float = 0.0
    supernet: CIDR
    """Address space from which tenant prefixes are allocated."""


class TargetInstance(PlanModel):
    """A standard target (one shared installation of a standard product)."""

    id: Id
    domain: Id
    product: Id
    product_name: str
    category: str
    """Fachverfahren or Basis-IT."""
    data_centre: Id
    vcpu: int
    ram_gb: int
    storage_gb: int
    schutzbedarf: Schutzbedarf
    """Maximum Schutzbedarf of the systems it takes over."""
    tenants: tuple[Id, ...]
    """Organisations served."""
    onboarding_per_quarter: int
    annual_run_cost: Money


class BindingConstraint(PlanModel):
    """Why a system is in its wave."""

    kind: Literal[
        "dependency", "contract", "blackout", "capacity", "onboarding", "eol", "exit", "earliest", "exception",
        "out_of_scope",
    ]
    detail: str
    """A plain sentence, German by default (e.g. "wartet auf Verzeichnisdienst (Welle 2027-Q1)")."""
    related: str | None = None
    """The id of the system, group, window or resource that binds."""


class Assignment(PlanModel):
    """The decision for one system of the inventory."""

    system: Id
    org: Id
    domain: Id
    product_before: Id
    decision: Literal["migrate", "exception", "keep", "out_of_scope"]
    """migrate onto a target; exception (Einzelmaßnahme); keep (already on target); out_of_scope (org outside)."""
    target: Id | None = None
    data_centre: Id | None = None
    move_group: Id | None = None
    quarter: int | None = Field(default=None, ge=0)
    quarter_label: str | None = None
    """E.g. "2027-Q3"."""
    effort_eigen_pd: float = 0.0
    effort_fremd_pd: float = 0.0
    one_off_cost: Money = Decimal(0)
    end_of_life: date | None = None
    migrated_after_eol: bool = False
    contract_end: date | None = None
    notice_deadline: date | None = None
    schutzbedarf: Schutzbedarf
    binding: BindingConstraint


class MoveGroup(PlanModel):
    id: Id
    systems: tuple[Id, ...]
    depends_on: tuple[Id, ...] = ()
    """Groups that must be migrated before (or in the same quarter as predecessors allow)."""
    quarter: int | None = None
    reason: Literal["single", "cycle", "tight-coupling", "cycle+tight-coupling"] = "single"


class Wave(PlanModel):
    quarter: int
    label: str
    start: date
    end: date
    groups: int
    systems: int
    effort_eigen_pd: float
    effort_fremd_pd: float
    capacity_eigen_pd: float
    capacity_fremd_pd: float


class Blackout(PlanModel):
    id: Id
    domains: tuple[Id, ...]
    start: date
    end: date
    reason: str
    quarters: tuple[int, ...] = ()


class ExceptionEntry(PlanModel):
    """An Einzelmaßnahme: stays outside the standard, with justification."""

    id: Id
    systems: tuple[Id, ...]
    org: Id | None = None
    justification: str
    coordinated: bool
    """Coordinated with the Zweckverband."""


class DomainMetrics(PlanModel):
    domain: Id
    domain_name: str
    systems: int
    products_before: int
    products_after: int
    instances_before: int
    instances_after: int
    consolidation_ratio: float
    """instances_before / instances_after (how many local installations one target replaces)."""
    insellösungen_before: int = 0


class CostLine(PlanModel):
    year: int
    org: Id | None
    """None for shared costs (targets, data centres)."""
    scenario: Literal["status_quo", "plan"]
    category: Literal["run_legacy", "run_target", "migration", "double_running", "eol_penalty"]
    betriebsart: Betriebsart
    amount: Money


class CostSummary(PlanModel):
    years: tuple[int, ...]
    tco_status_quo: Money
    tco_plan: Money
    one_off: Money
    npv_status_quo: Money
    npv_plan: Money
    npv_savings: Decimal
    eigen_total: Money
    fremd_total: Money
    lines: tuple[CostLine, ...]


class FundingRelease(PlanModel):
    year: int
    quarter: int
    milestone: Id
    description: str
    org: Id | None = None
    amount: Money


class SolverStep(PlanModel):
    step: Literal["placement", "schedule"]
    solver: str
    status: str
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    """Relative optimality gap (0.0 = proven optimal)."""
    time_s: float
    subproblems: int = 1
    baseline_objective: float | None = None
    """Objective of a simple earliest-start list schedule, for comparison."""


class Conflict(PlanModel):
    """A reason why no feasible plan exists (part of a minimal infeasible subset)."""

    constraints: tuple[str, ...]
    explanation: str


class TenantNetwork(PlanModel):
    org: Id
    data_centre: Id
    prefix: CIDR
    vlan: int = Field(ge=2, le=4094)


class Flow(PlanModel):
    """A network flow the plan needs (from a dependency); everything else is denied."""

    id: Id
    source_org: Id
    target_org: Id | None
    """None when the target is a shared service."""
    source: Id
    """System or target id on the client side."""
    target: Id
    """Target instance or system id on the server side."""
    protocol: Literal["tcp", "udp"] = "tcp"
    port: int = Field(ge=1, le=65535)
    reason: str


class PlannedVM(PlanModel):
    """A VM the shared data centres need for a target instance."""

    id: Id
    name: str
    target: Id
    role: Id
    """Service role (e.g. mail, iam, dms, einwohnermeldewesen)."""
    data_centre: Id
    vcpu: int
    ram_gb: int
    disk_gb: int
    schutzbedarf: Schutzbedarf
    backup: bool
    monitoring: bool
    address: str
    """IPv4 address in the data centre's service network."""


class Plan(PlanModel):
    meta: PlanMeta
    organisations: tuple[PlanOrganisation, ...]
    data_centres: tuple[DataCentre, ...]
    targets: tuple[TargetInstance, ...]
    assignments: tuple[Assignment, ...]
    move_groups: tuple[MoveGroup, ...]
    waves: tuple[Wave, ...]
    blackouts: tuple[Blackout, ...] = ()
    exceptions: tuple[ExceptionEntry, ...] = ()
    metrics: tuple[DomainMetrics, ...]
    costs: CostSummary
    funding: tuple[FundingRelease, ...] = ()
    solver: tuple[SolverStep, ...]
    feasible: bool = True
    conflicts: tuple[Conflict, ...] = ()
    tenant_networks: tuple[TenantNetwork, ...] = ()
    flows: tuple[Flow, ...] = ()
    vms: tuple[PlannedVM, ...] = ()
