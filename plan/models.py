"""The plan models: the serialized contract between the planner and everything downstream.

Reports, the NetBox sync, the Pulumi stacks and the Ansible playbooks read a plan JSON
written by :func:`plan.io.write_plan` and parsed by :func:`plan.io.read_plan`; they never
recompute it. ``landkarte plan schema`` exports :func:`plan.io.plan_json_schema`.

Money is in EUR (Decimal, two places; a number in JSON), quarters are indexed from 0 = the
scenario's start quarter, dates are ISO dates. Every collection is sorted by its id so the same
input gives a byte-identical file.

The day rules (the field descriptions name each where it applies; ``docs/planner.md`` has them
together):

* A system migrating in quarter ``q`` is cut over on the **last day** of ``q``; its legacy
  system runs (and costs) until then.
* A target instance counts as **live** from the first day of the quarter its first system
  migrates in (its run cost starts then; a tenant's cost from the first day of the quarter its
  first system moves onto it). A rehosted workload's hosting cost starts after its cut-over.
* A target with ``available_from`` may take systems from the quarter containing that day.
* **Exit deadline**: an organisation leaving the Zweckverband on day D migrates in a quarter
  whose last day is on or before D. One whose exit lies before the plan start is out of scope.
* **Hard end of life** (``meta.eol_rule`` ``hard``): a system migrates in a quarter whose last day
  is on or before its end of life. The EOL risk (``eol_penalty``) counts every quarter that
  ends after the end of life, up to and including the cut-over quarter.
* **Blackout windows** close every quarter they touch (one day suffices) for their domains.
* **Contracts** end on the last day of a month (a fixed end in the middle of a month counts to
  that month's last day); notice is due by the last day of the month
  ``notice_months`` earlier and can be given at the earliest on the plan's start day. A
  fixed-term contract without renewal ends by itself (no notice). Double running lasts from the
  cut-over to the contract's end.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from common.model import StrictModel
from common.types import CIDR, Betriebsart, Id, Money, Rate, Schutzbedarf, SignedMoney

__all__ = [
    "CASH_CATEGORIES",
    "MOVING",
    "PLAN_SCHEMA_VERSION",
    "RISK_CATEGORIES",
    "Assignment",
    "Assumption",
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
    "Payer",
    "Plan",
    "PlanMeta",
    "PlanModel",
    "PlanOrganisation",
    "PlannedVM",
    "Reason",
    "SolverStep",
    "TargetInstance",
    "TenantNetwork",
    "Wave",
]

PLAN_SCHEMA_VERSION = "5"
"""Version 5: rehosting is its own decision (``rehost``), kept domains have their own binding
(``kept``), rehosts carry their contract dates, ``npv_savings`` and ``discount_rate`` are numbers,
``funding_total``, ``move_groups[].outside``, ``data_centres[].used_*`` count the planned VMs, the
day rules are in the descriptions; a plan made with actuals (``plan --actuals``) records them:
``meta.actuals`` and per assignment ``progress`` and ``actual_date`` (left out of the file when there
are none); with ``meta.as_of`` quarter 0 stays the scenario's start and no quarter before the as-of
quarter is planned. Version 4: reasons are message codes with values (:class:`Reason`) instead of German
sentences. Version 3: every cost line says whether it is cash or risk (and who pays the cash);
the headline sums are cash only; the scenario's assumptions register travels with the plan."""


def _absent(value: object) -> bool:
    """A field a plan without actuals does not have: left out of the file, so such plans read as before."""
    return value is None


MOVING = ("migrate", "rehost")
"""The decisions that move a system into a shared data centre (and give it a quarter)."""


class PlanModel(StrictModel):
    """Base of the plan models: frozen, strict about keys; every field is described in the JSON Schema."""


class PlanMeta(PlanModel):
    """Where the plan comes from: the scenario and inventory it was made from, and its calendar."""

    schema_version: Literal["5"] = PLAN_SCHEMA_VERSION
    """Version of this contract; a reader refuses a plan of another version."""
    tool_version: str
    """Version of Landkarte that made the plan."""
    scenario_id: Id
    """Id of the scenario (its ``id`` key), e.g. ``landesweit``."""
    scenario_name: str
    """Name of the scenario as the board reads it."""
    scenario_hash: str
    """sha256 of the scenario file's canonical JSON."""
    inventory_name: str
    """Name of the inventory (its ``landscape.yaml``); reports look for the inventory by it."""
    inventory_hash: str
    """sha256 over the inventory's canonical JSON."""
    synthetic: bool
    """The inventory contains synthetic (generated) values; reports must say so."""
    start: date
    """First day of quarter 0: nothing is planned before it (no migration, no notice deadline)."""
    horizon_quarters: int = Field(ge=1, le=80)
    """Quarters the plan covers (the scenario's ``horizon_years`` × 4); quarters are 0 … horizon − 1."""
    discount_rate: Rate
    """Yearly rate at which ``costs.npv_*`` discount future years (0.03 = 3 %; year 0 undiscounted)."""
    eol_rule: Literal["soft", "hard"] = "soft"
    """The scenario's end-of-life rule: ``soft`` charges the EOL risk per quarter past the end of
    support; ``hard`` also makes it a deadline (the system migrates in a quarter whose last day is on or
    before its end of life; for a system moving onto a target, not for a rehost, which keeps its OS)."""
    as_of: date | None = None
    """The day the plan was made (``plan --as-of``): nothing is planned before the as-of quarter, the first
    quarter beginning on or after it (:func:`plan.calendar.first_open_quarter`); quarter 0 stays ``start``,
    so the quarters before hold what was done (with ``actuals``) or nothing."""
    actuals: str | None = Field(default=None, exclude_if=_absent)
    """SHA-256 of the progress folder the plan was made with (``plan --actuals``); left out without actuals."""


class PlanOrganisation(PlanModel):
    """An organisation of the inventory (Gemeinde, Landkreis, Zweckverband, Land …) as the plan sees it."""

    id: Id
    """Id of the organisation in the inventory."""
    name: str
    """Name as the board reads it, e.g. "Saarbrücken"."""
    kind: str
    """Kind of organisation: Gemeinde, Stadt, Kreisstadt, Landeshauptstadt, Landkreis, Regionalverband,
    Zweckverband or Land."""
    ags: str | None = None
    """Amtlicher Gemeindeschlüssel (8 digits) of a municipality; None for others."""
    district: str | None = None
    """Kreisschlüssel (5 digits) of the Landkreis or Regionalverband it belongs to."""
    district_name: str = ""
    """Name of that Landkreis or Regionalverband (reports group by it)."""
    participates: bool
    """Takes part in the scenario (False: outside, e.g. left the Zweckverband)."""
    zweckverband_member: bool
    """Member of the Zweckverband (eGo-Saar) according to the inventory."""
    exit_date: date | None = None
    """Date its Zweckverband membership ends, if it leaves: its systems migrate in a quarter whose last day
    is on or before it (unless ``continues_after_exit``); an exit before ``meta.start`` puts it out of scope."""
    continues_after_exit: bool = False
    """Stays a customer of the shared targets after leaving the Zweckverband (no exit deadline)."""
    population: int | None = None
    """Inhabitants (Zensus 2022 in the Saarland sample), if known."""


class DataCentre(PlanModel):
    """A shared data centre of the scenario and what the plan places in it."""

    id: Id
    """Id of the data centre in the scenario."""
    name: str
    """Name as the board reads it."""
    certifications: tuple[str, ...] = ()
    """Certifications it holds, e.g. "ISO 27001 auf Basis von IT-Grundschutz"."""
    redundancy: str = "none"
    """Redundancy of the site: none, n+1, 2n or georedundant."""
    allows_sehr_hoch: bool
    """Certified and redundant: may host workloads with Schutzbedarf "sehr hoch"."""
    capacity_vcpu: int
    """vCPUs it offers the plan."""
    capacity_ram_gb: int
    """RAM it offers the plan, in GB."""
    capacity_storage_tb: float
    """Storage it offers the plan, in TB."""
    used_vcpu: int = 0
    """vCPUs of the planned VMs placed in it (``vms``, each rounded up) plus its rehosted workloads; never
    above ``capacity_vcpu``."""
    used_ram_gb: int = 0
    """RAM in GB of the planned VMs placed in it plus its rehosted workloads; never above ``capacity_ram_gb``."""
    used_storage_tb: float = 0.0
    """Storage in TB: the planned VMs' disks plus its rehosted workloads; never above ``capacity_storage_tb``."""
    supernet: CIDR
    """Address space from which tenant prefixes are allocated."""


class TargetInstance(PlanModel):
    """A standard target (one shared installation of a standard product)."""

    id: Id
    """Id of the instance: ``t.<domain>``, or ``t.<domain>.<n>`` when a domain has several."""
    domain: Id
    """Domain it serves."""
    product: Id
    """Standard product it runs (a product id of the catalogue)."""
    product_name: str
    """Name of the standard target as the scenario calls it."""
    category: str
    """Fachverfahren or Basis-IT."""
    data_centre: Id
    """Data centre it is placed in."""
    vcpu: int
    """vCPUs of its planned VMs together (the placement's size): the scenario's base size plus its share per
    1,000 users of the systems it takes over, split over its VM roles, each VM rounded up."""
    ram_gb: int
    """RAM in GB of its planned VMs together, sized like ``vcpu``."""
    storage_gb: int
    """Disk in GB of its planned VMs together: the base size plus the data of the systems it takes over,
    split like ``vcpu`` (each VM at least 10 GB)."""
    schutzbedarf: Schutzbedarf
    """Maximum Schutzbedarf of the systems it takes over."""
    tenants: tuple[Id, ...]
    """Organisations served."""
    onboarding_per_quarter: int
    """Systems it can take over per quarter (the schedule respects it)."""
    annual_run_cost: Money
    """Yearly run cost in EUR: the product's run cost, its data-centre resources and the cost per tenant.
    It runs (is live, and costs) from the first day of the quarter its first system migrates in."""


ReasonKind = Literal[
    # bindings: why a system is in its wave (or does not move)
    "dependency", "earliest", "target_available", "blackout", "exit", "eol", "contract_ends", "contract_cheaper",
    "capacity_eigen", "capacity_fremd", "load_balancing", "onboarding", "infeasible", "exception",
    "not_participating", "no_standard_target", "already_standard", "already_standard_until", "contract_expires",
    "domain_kept", "exited_before_start",
    # actuals (plan --actuals): done, in progress, postponed, nothing before the as-of quarter
    "done", "in_progress", "postponed", "as_of", "horizon",
    # funding milestones
    "target_live", "org_complete", "domain_complete", "systems_migrated",
    # conflicts and their constraint families
    "contradiction", "timeout", "demand_eigen", "demand_fremd", "onboarding_demand", "scarce",
    "release", "deadline", "window", "team_eigen", "team_fremd", "onboarding_capacity", "precedence",
    # a hard deadline that reality has overtaken (plan --actuals --as-of)
    "behind",
    "group_cannot_fit",
    # why no data-centre placement exists (``landkarte plan`` exits with them; no plan is written)
    "dc_capacity", "dc_tenant_slots", "dc_certified_capacity", "dc_certified_tenant_slots", "dc_no_certified",
    "dc_unit_too_large", "dc_packing", "dc_timeout",
]


class Reason(PlanModel):
    """A reason as a message code and its values, never a sentence: ``reports.messages`` renders it
    in German or English (e.g. ``dependency`` with ``{"group": "g.x", "quarter": "2027-Q1"}`` is
    "wartet auf g.x (2027-Q1)" / "waits for g.x (2027-Q1)")."""

    kind: ReasonKind
    """The message code."""
    params: dict[str, str | int | float] = Field(default_factory=dict)
    """The values the message names: ids, quarter labels ("2027-Q3"), ISO dates, counts."""


class BindingConstraint(PlanModel):
    """Why a system is in its wave."""

    kind: Literal[
        "dependency", "contract", "blackout", "capacity", "onboarding", "eol", "exit", "earliest", "exception",
        "stay", "kept", "out_of_scope", "standard", "actual", "postponed",
    ]
    """The family of the binding constraint (reports group by it). For systems that do not move: ``exception``
    (an Einzelmaßnahme), ``kept`` (the scenario keeps its domain local, ``scheduling.keep_domains``), ``stay``
    (its domain has no standard target and rehosting is off), ``standard`` (already the standard product in a
    supported version), ``out_of_scope`` (its organisation does not take part, or left before the start).
    In a re-plan (``plan --actuals``): ``actual`` (done or in progress as reported), ``postponed`` (reported
    postponed until a day)."""
    reason: Reason
    """The reason in detail, rendered per language by ``reports.messages``."""
    related: str | None = None
    """The id of the system, group, window or resource that binds."""


class Assignment(PlanModel):
    """The decision for one system of the inventory."""

    system: Id
    """Id of the system in the inventory."""
    org: Id
    """Organisation that runs it."""
    domain: Id
    """Its domain, e.g. ``einwohnermeldewesen``."""
    product_before: Id
    """Product it runs today."""
    decision: Literal["migrate", "rehost", "exception", "stay", "out_of_scope"]
    """migrate: onto its domain's standard target (``target``); rehost: moved unchanged (same product, same
    OS) into its organisation's home in a data centre, because its domain has no standard target
    (``scheduling.rehost_unmapped``); exception: an Einzelmaßnahme of the scenario; stay: stays where it is
    (binding ``kept``: the scenario keeps its domain local; ``stay``: no standard target and no rehosting;
    ``standard``: it already runs its domain's standard product in a supported version); out_of_scope: its
    organisation does not take part in the scenario or left the Zweckverband before the plan start."""
    target: Id | None = None
    """Target instance it moves onto (``migrate`` only); None otherwise."""
    data_centre: Id | None = None
    """Data centre it runs in after the move: its target's (``migrate``) or its organisation's home (``rehost``)."""
    move_group: Id | None = None
    """Move group it migrates with (systems that must move in the same quarter)."""
    quarter: int | None = Field(default=None, ge=0)
    """Quarter of the migration or rehost (0 = the quarter starting ``meta.start``); it is cut over on the
    quarter's last day and its legacy system runs until then; None when it does not move or no schedule exists."""
    quarter_label: str | None = None
    """E.g. "2027-Q3"."""
    effort_eigen_pd: float = 0.0
    """Migration effort in person-days of the organisation's own staff (Eigenleistung)."""
    effort_fremd_pd: float = 0.0
    """Migration effort in person-days of contractors (Fremdleistung)."""
    one_off_cost: Money = Decimal(0)
    """One-off migration cost in EUR: both efforts at the scenario's day rates."""
    end_of_life: date | None = None
    """Date support ends for what the plan counts, if known: the vendor's support of its product; for a rehost
    the support of its host's operating system (the workload keeps its software and OS)."""
    migrated_after_eol: bool = False
    """It is cut over only after a quarter that ends past that end of life (a risk the report lists); then the
    plan's ``eol_penalty`` lines charge it for each such quarter up to the cut-over quarter."""
    contract_end: date | None = None
    """Last day of its legacy contract (a last day of a month), if it has one and moves: the first end on or
    after the cut-over that notice given on or after ``meta.start`` reaches (a fixed-term contract without
    renewal: its end, or the cut-over when that is later). For a rehost the hosting share of the contract ends
    there (``costs.legacy_hosting_share``; the licences stay). Double running lasts from the cut-over to it."""
    notice_deadline: date | None = None
    """Last day to give notice for ``contract_end``: the last day of the month ``notice_months`` before it,
    never before ``meta.start``. None without a contract, and for a fixed-term contract without renewal (it
    ends by itself)."""
    schutzbedarf: Schutzbedarf
    """Highest Schutzbedarf of the system (maximum of confidentiality, integrity and availability)."""
    binding: BindingConstraint
    """Why it is in its quarter (or why it does not move)."""
    progress: Literal["planned", "in_progress", "done"] | None = Field(default=None, exclude_if=_absent)
    """With actuals (``meta.actuals``): done: migrated (``quarter`` is the real one, before the as-of quarter);
    in_progress: work has started, it finishes in the as-of quarter or the next; planned: not started (or
    postponed, see ``binding``). None (left out) in a plan made without actuals."""
    actual_date: date | None = Field(default=None, exclude_if=_absent)
    """done: the cut-over day; in_progress: the day work started (from the actuals)."""

    @property
    def moves(self) -> bool:
        """It moves into a shared data centre: onto its target (``migrate``) or unchanged (``rehost``)."""
        return self.decision in MOVING


class MoveGroup(PlanModel):
    """Systems that migrate in the same quarter: a dependency cycle or tightly coupled systems, or one system."""

    id: Id
    """Id of the group (``g.`` and the id of a member)."""
    systems: tuple[Id, ...]
    """Its systems."""
    depends_on: tuple[Id, ...] = ()
    """Groups that must be migrated before (at least ``scheduling.precedence_lag_quarters`` earlier)."""
    outside: tuple[Id, ...] = ()
    """Systems that do not move (kept, exceptions, already standard, out of scope; their assignment says why)
    which its systems depend on or which depend on them. Such a dependency orders nothing — its other end
    stays where it is — but it needs its network flow (``flows``) after the move."""
    quarter: int | None = None
    """Quarter the group migrates in (its systems are cut over on the quarter's last day; no earlier than the
    quarter containing its targets' ``available_from`` day, not in a quarter a blackout window of its domains
    touches); None when no feasible schedule was found."""
    reason: Literal["single", "cycle", "tight-coupling", "cycle+tight-coupling"] = "single"
    """Why the systems form one group: one system, a dependency cycle, a dependency of criticality
    "hoch" (both ends move together), or both."""


class Wave(PlanModel):
    """A quarter in which systems migrate, with its load against the teams' capacity."""

    quarter: int
    """Index of the quarter (0 = the quarter starting ``meta.start``)."""
    label: str
    """E.g. "2027-Q3"."""
    start: date
    """First day of the quarter."""
    end: date
    """Last day of the quarter."""
    groups: int
    """Move groups migrating in it."""
    systems: int
    """Systems migrating in it."""
    effort_eigen_pd: float
    """Person-days of own staff (Eigenleistung) its migrations need."""
    effort_fremd_pd: float
    """Person-days of contractors (Fremdleistung) its migrations need."""
    capacity_eigen_pd: float
    """Person-days of own staff available in the quarter (the scenario's teams)."""
    capacity_fremd_pd: float
    """Person-days of contractors available in the quarter."""


class Blackout(PlanModel):
    """A window of the scenario in which the listed domains do not migrate (e.g. an election)."""

    id: Id
    """Id of the window in the scenario."""
    domains: tuple[Id, ...]
    """Domains that do not migrate while it is open."""
    start: date
    """First day of the window."""
    end: date
    """Last day of the window."""
    reason: str
    """Why, in the scenario's words (e.g. "Bundestagswahl")."""
    quarters: tuple[int, ...] = ()
    """Quarters it touches; none of these domains migrates in them."""


class ExceptionEntry(PlanModel):
    """An Einzelmaßnahme: stays outside the standard, with justification."""

    id: Id
    """Id of the exception in the scenario."""
    systems: tuple[Id, ...]
    """Systems it keeps outside the standard."""
    org: Id | None = None
    """Organisation it is for, if it names one."""
    justification: str
    """Why, in the scenario's words."""
    coordinated: bool
    """Coordinated with the Zweckverband."""


class DomainMetrics(PlanModel):
    """Heterogeneity of one domain before and after the plan, over the systems in scope."""

    domain: Id
    """Id of the domain."""
    domain_name: str
    """Name of the domain as users say it."""
    systems: int
    """Systems of the domain in scope (organisations taking part)."""
    products_before: int
    """Distinct products these systems run today."""
    products_after: int
    """Distinct products after the plan: the standard (if the domain has a target) and what stays."""
    instances_before: int
    """Installations today (one per system)."""
    instances_after: int
    """Installations after the plan: the target instances plus the systems that do not move onto one."""
    consolidation_ratio: float
    """instances_before / instances_after (how many local installations one target replaces)."""
    inselloesungen_before: int = 0
    """Insellösungen today: products of the domain that exactly one organisation uses."""


CASH_CATEGORIES = ("run_legacy", "run_target", "migration", "double_running")
"""Budget-relevant cost categories (money a Haushalt pays)."""
RISK_CATEGORIES = ("eol_penalty",)
"""Kalkulatorische Risikokosten: modelled values no budget pays (never in a headline)."""

Payer = Literal["land", "zweckverband", "kommune"]


class CostLine(PlanModel):
    """What one organisation (or the shared platform) spends in one year on one kind of cost, in EUR:
    cash (with its payer) or kalkulatorische Risikokosten."""

    year: int
    """Calendar year."""
    org: Id | None
    """None for shared costs (targets, data centres)."""
    scenario: Literal["status_quo", "plan"]
    """status_quo: everything stays as it is; plan: this plan is carried out."""
    category: Literal["run_legacy", "run_target", "migration", "double_running", "eol_penalty"]
    """run_legacy: running today's systems; run_target: running the targets, tenants and rehosted
    workloads; migration: one-off effort at day rates; double_running: legacy contracts paid after the
    cut-over until they can end; eol_penalty: a modelled risk surcharge per quarter a system runs past
    its end of life (the scenario's ``costs.eol_penalty_per_quarter``, an assumption, not cash)."""
    kind: Literal["cash", "risk"]
    """cash: budget-relevant; risk: a modelled surcharge (e.g. per quarter after end of support)."""
    payer: Payer | None = None
    """Who pays a cash line (the scenario's payer rules); None for risk lines."""
    betriebsart: Betriebsart
    """Who does the work: the organisation itself (Eigenleistung) or a contractor (Fremdleistung)."""
    amount: Money
    """EUR in that year."""

    @model_validator(mode="after")
    def _kind_matches(self) -> CostLine:
        want = "risk" if self.category in RISK_CATEGORIES else "cash"
        if self.kind != want:
            raise ValueError(f"category {self.category} is {want}, not {self.kind}")
        if (self.kind == "cash") != (self.payer is not None):
            raise ValueError("a cash line needs a payer; a risk line has none")
        return self


class CostSummary(PlanModel):
    """Totals over the horizon's calendar years: ``tco_*``, ``npv_*`` and ``one_off`` are cash only (the
    sums of the cash lines as written); the modelled risk (``eol_penalty``) is beside them in ``risk_*``.
    """

    years: tuple[int, ...]
    """Calendar years the horizon touches."""
    tco_status_quo: Money
    """Cash over ``years`` if everything stays as it is (sum of its cash lines)."""
    tco_plan: Money
    """Cash over ``years`` with this plan (sum of its cash lines)."""
    one_off: Money
    """One-off migration costs of the plan (the ``migration`` lines)."""
    npv_status_quo: Money
    """Net present value of the status quo's yearly cash totals at ``meta.discount_rate``."""
    npv_plan: Money
    """Net present value of the plan's yearly cash totals at ``meta.discount_rate``."""
    npv_savings: SignedMoney
    """Cash: npv_status_quo − npv_plan (negative: the plan costs more over the horizon)."""
    eigen_total: Money
    """The plan's cash costs over ``years`` done by the organisations' own staff (Eigenleistung)."""
    fremd_total: Money
    """The plan's cash costs over ``years`` done by contractors (Fremdleistung)."""
    risk_status_quo: Money = Decimal(0)
    """Kalkulatorische Risikokosten over the horizon, status quo (never part of a TCO)."""
    risk_plan: Money = Decimal(0)
    """Kalkulatorische Risikokosten over the horizon, plan (never part of a TCO)."""
    lines: tuple[CostLine, ...]
    """Every cost line above 0.5 cents, both scenarios, in (scenario, year, org, category, betriebsart) order.
    Run costs start as the day rules say: the legacy system's until its cut-over (last day of its quarter),
    a target's from the first day of the quarter its first system migrates in, a tenant's from the first day
    of the quarter its first system moves onto the target, a rehosted workload's hosting after its cut-over."""


class Assumption(PlanModel):
    """One scenario figure that moves money or time, with its source (or none: an Annahme)."""

    key: str
    """Key path in the scenario file, e.g. ``costs.day_rate_eigen`` or ``targets.wahlen.annual_run_cost``."""
    value: str
    """The value as written (numbers in plain notation)."""
    unit: str
    """E.g. ``EUR/PT``, ``PT/Quartal``, ``EUR/Jahr``, ``Anteil``."""
    source: str | None = None
    """Where the figure comes from; None: an assumption without a source (flagged in the report)."""
    kind: Literal["cash", "risk", "time", "weight"] = "cash"
    """What the figure moves: cash amounts, risk costs, time (capacity, dates) or solver weights."""


class FundingRelease(PlanModel):
    """Funding PLANNED for a milestone (performance-based structural funding of the scenario): "geplant".

    It is called off only once the milestone is delivered and proven (``landkarte funding claims``, which
    reads the actuals: status nachgewiesen, then abgerufen); the name stays for the plan contract.
    """

    year: int
    """Calendar year of the planned quarter."""
    quarter: int
    """Quarter in which the plan delivers the milestone."""
    milestone: Id
    """Id of the milestone, e.g. ``live.<domain>``, ``abschluss.<org>``, ``domaene.<domain>``."""
    reason: Reason
    """What was delivered (rendered per language by ``reports.messages``)."""
    description: str | None = None
    """The funding rule's own description from the scenario, if it has one (shown instead of ``reason``)."""
    org: Id | None = None
    """Organisation that receives it; None for milestones of the shared platform."""
    amount: Money
    """EUR planned for the milestone under the scenario's funding rule."""


class SolverStep(PlanModel):
    """How an optimisation step of the planner ended: solver, status, objective and proof of quality."""

    step: Literal["placement", "schedule"]
    """placement: target instances onto data centres; schedule: move groups onto quarters."""
    solver: str
    """Solver or method used, e.g. "OR-Tools CP-SAT"."""
    status: str
    """OPTIMAL (proven), FEASIBLE (with ``gap``) or INFEASIBLE."""
    objective: float | None = None
    """Value of the solution: yearly hosting cost in EUR (placement) or weighted cost of the schedule."""
    best_bound: float | None = None
    """Lower bound proven for the objective; no solution can be cheaper."""
    gap: float | None = None
    """Relative optimality gap (0.0 = proven optimal)."""
    time_s: float
    """Wall-clock seconds (0.0 unless the plan was made with ``--timing``, so plans stay byte-identical)."""
    subproblems: int = 1
    """Parts the problem was solved in."""
    baseline_objective: float | None = None
    """Objective of a simple earliest-start list schedule, for comparison."""


class Conflict(PlanModel):
    """A reason why no feasible plan exists (part of a minimal infeasible subset)."""

    constraints: tuple[str, ...]
    """The names of the constraint families in conflict (e.g. "frist:exit:x", "kapazitaet:eigen")."""
    reason: Reason
    """What conflicts: ``contradiction`` (a minimal set, listed in ``parts``), ``timeout``, or for
    problems too large for an exact explanation a resource whose demand exceeds its supply."""
    parts: tuple[Reason, ...] = ()
    """Per constraint family of a ``contradiction``: what it requires."""


class TenantNetwork(PlanModel):
    """The network segment of one organisation (tenant) in its home data centre."""

    org: Id
    """Organisation the segment belongs to."""
    data_centre: Id
    """Data centre it is in."""
    prefix: CIDR
    """Its prefix, allocated from the data centre's ``supernet``."""
    vlan: int = Field(ge=2, le=4094)
    """Its VLAN id."""


class Flow(PlanModel):
    """A network flow the plan needs (from a dependency); everything else is denied."""

    id: Id
    """Id of the flow (source, target, protocol and port)."""
    source_org: Id
    """Organisation on the client side."""
    target_org: Id | None
    """None when the target is a shared service."""
    source: Id
    """System or target id on the client side."""
    target: Id
    """Target instance or system id on the server side."""
    protocol: Literal["tcp", "udp"] = "tcp"
    """Transport protocol."""
    port: int = Field(ge=1, le=65535)
    """Destination port."""
    reason: str
    """The dependency (or the staff's access) that needs the flow."""


class PlannedVM(PlanModel):
    """A VM the shared data centres need for a target instance."""

    id: Id
    """Id of the VM (``vm.`` plus target instance and role)."""
    name: str
    """Host name (at most 63 characters)."""
    target: Id
    """Target instance it belongs to."""
    role: Id
    """Service role (e.g. mail, iam, dms, einwohnermeldewesen)."""
    data_centre: Id
    """Data centre it runs in (its target's)."""
    vcpu: int
    """vCPUs: its role's share of the instance's size."""
    ram_gb: int
    """RAM in GB: its role's share of the instance's size."""
    disk_gb: int
    """Disk in GB: its role's share of the instance's storage (at least 10)."""
    schutzbedarf: Schutzbedarf
    """Schutzbedarf of its target instance."""
    backup: bool
    """Backed up (Schutzbedarf hoch or sehr hoch)."""
    monitoring: bool
    """Monitored (Schutzbedarf hoch or sehr hoch)."""
    address: str
    """IPv4 address in the data centre's service network."""


class Plan(PlanModel):
    """A consolidation plan: the contract between the planner and everything downstream.

    Made by ``landkarte plan`` from an inventory and a scenario; the reports, the NetBox sync,
    the Pulumi stacks and the Ansible playbooks read it and never recompute it.
    """

    meta: PlanMeta
    """Where the plan comes from and its calendar."""
    organisations: tuple[PlanOrganisation, ...]
    """Every organisation of the inventory, by id."""
    data_centres: tuple[DataCentre, ...]
    """The scenario's shared data centres, by id."""
    targets: tuple[TargetInstance, ...]
    """The standard target instances, by id."""
    assignments: tuple[Assignment, ...]
    """The decision for every system of the inventory, by system id."""
    move_groups: tuple[MoveGroup, ...]
    """The groups the migrating systems move in, by id."""
    waves: tuple[Wave, ...]
    """The quarters in which systems migrate, in order."""
    blackouts: tuple[Blackout, ...] = ()
    """The scenario's blackout windows, by id."""
    exceptions: tuple[ExceptionEntry, ...] = ()
    """The scenario's Einzelmaßnahmen, by id."""
    metrics: tuple[DomainMetrics, ...]
    """Heterogeneity per domain before and after, by domain."""
    costs: CostSummary
    """Costs of the status quo and of the plan."""
    funding: tuple[FundingRelease, ...] = ()
    """Funding released per delivered milestone, by quarter and milestone."""
    funding_total: Money = Decimal(0)
    """Sum of ``funding[].amount`` in EUR (planned releases over the horizon; income, never part of a TCO)."""
    solver: tuple[SolverStep, ...]
    """How the placement and the schedule were solved."""
    feasible: bool = True
    """A schedule satisfies every constraint; False: ``conflicts`` say why not (quarters are then empty)."""
    conflicts: tuple[Conflict, ...] = ()
    """Why no feasible schedule exists (only when ``feasible`` is False)."""
    tenant_networks: tuple[TenantNetwork, ...] = ()
    """The organisations' network segments in their home data centres, by organisation."""
    flows: tuple[Flow, ...] = ()
    """The network flows the plan needs, by id; everything else is denied."""
    vms: tuple[PlannedVM, ...] = ()
    """The VMs of the target instances, by id."""
    assumptions: tuple[Assumption, ...] = ()
    """The scenario's assumptions register: every figure that moves money or time, with its source."""

    @model_validator(mode="before")
    @classmethod
    def _funding_total_default(cls, data: object) -> object:
        """A plan made in code may leave ``funding_total`` out: it is the sum of the releases."""
        if isinstance(data, dict) and "funding_total" not in data:
            amounts = [f.amount if isinstance(f, FundingRelease) else f.get("amount", 0) if isinstance(f, dict) else 0
                       for f in data.get("funding", ()) or ()]
            try:
                data = {**data, "funding_total": sum((Decimal(str(a)) for a in amounts), Decimal(0))}
            except (ArithmeticError, ValueError, TypeError):
                pass  # a bad amount: its own field error says so
        return data

    @model_validator(mode="after")
    def _funding_total(self) -> Plan:
        total = sum((f.amount for f in self.funding), Decimal(0))
        if self.funding_total != total:
            raise ValueError(f"funding_total {self.funding_total} is not the sum of funding[].amount ({total})")
        return self
