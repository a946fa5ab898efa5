"""The scenario: what the planner is asked to plan (a strict pydantic model read from YAML).

A scenario names the start and horizon, who takes part, the standard target per domain,
the target data centres, the migration teams' capacity, blackout windows, cost and funding
assumptions, the exceptions (Einzelmaßnahmen) and the solver settings. Every key is
checked; an unknown or wrong key is reported with file, line, column and key path through
the inventory's YAML reader (:mod:`common.yamlfile`), the one place that reads YAML.

>>> s = Scenario.model_validate({
...     "id": "mini", "name": "Mini", "start": "2027-01-01",
...     "targets": [{"domain": "e-mail", "product": "ox", "name": "Mail"}],
...     "data_centres": [{"id": "rz1", "name": "RZ 1", "supernet": "10.0.0.0/16",
...                       "capacity": {"vcpu": 100, "ram_gb": 400, "storage_tb": 10}}],
...     "teams": {"eigen_pd_per_quarter": 50, "fremd_pd_per_quarter": 50},
... })
>>> s.horizon_quarters, s.quarter_of(date(2027, 8, 1))
(40, 2)
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from common.errors import Issue, IssuesError
from common.types import CIDR, Betriebsart, Id, Money, NonEmptyStr
from common.yamlfile import load_model
from plan.calendar import quarter_of, quarter_start

from ._scenario_model import ByConfidence, ScenarioModel, SweepSettings

__all__ = [
    "DEFAULT_PAYERS",
    "BlackoutWindow",
    "ByConfidence",
    "CostAssumptions",
    "DataCentreSpec",
    "ExceptionSpec",
    "FundingRule",
    "Participation",
    "PayerRule",
    "Scenario",
    "ScenarioError",
    "ScenarioModel",
    "Scheduling",
    "SolverSettings",
    "SweepSettings",
    "TargetSpec",
    "TeamCapacity",
    "VmRole",
    "Weights",
    "load_scenario",
    "scenario_hash",
]


class Participation(ScenarioModel):
    """Which organisations take part."""

    include: Literal["all"] | tuple[Id, ...] = "all"
    """``all`` or an explicit list of organisation ids."""
    exclude: tuple[Id, ...] = ()
    """Organisations outside the scenario (their systems are ``out_of_scope``)."""
    continue_after_exit: tuple[Id, ...] = ()
    """Members with an exit date that stay customers of the shared targets (no exit deadline)."""


class VmRole(ScenarioModel):
    role: Id
    """E.g. ``app``, ``db``, ``proxy``."""
    count: int = Field(default=1, ge=1, le=16)
    share: float = Field(default=1.0, gt=0, le=1)
    """Share of the instance's size each VM of this role gets."""


class TargetSpec(ScenarioModel):
    """The standard target of one domain: one product, run as one or a few shared instances."""

    domain: Id
    product: Id
    """Product id from the inventory's catalogue (need not be in it: a new product is allowed)."""
    name: NonEmptyStr
    category: Literal["Fachverfahren", "Basis-IT", "Plattform"] = "Fachverfahren"
    instances: int = Field(default=1, ge=1, le=500)
    """Number of shared installations; tenants are split among them in id order."""
    available_from: date | None = None
    """First day the target can take tenants (default: the scenario start)."""
    onboarding_per_quarter: int = Field(default=20, ge=1)
    """Systems one instance can take over per quarter."""
    annual_run_cost: Money = Decimal(50000)
    """Base run cost of one instance per year (EUR)."""
    run_cost_per_tenant: Money = Decimal(2000)
    """Additional run cost per tenant organisation and year (EUR)."""
    betriebsart: Betriebsart = Betriebsart.FREMDLEISTUNG
    vcpu: int = Field(default=8, ge=1)
    ram_gb: int = Field(default=32, ge=1)
    storage_gb: int = Field(default=500, ge=1)
    vcpu_per_1000_users: float = Field(default=2.0, ge=0)
    ram_gb_per_1000_users: float = Field(default=8.0, ge=0)
    port: int = Field(default=443, ge=1, le=65535)
    """Port tenants and client systems use."""
    vms: tuple[VmRole, ...] = (VmRole(role="app", share=0.6), VmRole(role="db", share=0.4))


class DcCapacity(ScenarioModel):
    vcpu: int = Field(ge=0)
    ram_gb: int = Field(ge=0)
    storage_tb: float = Field(ge=0)


class DataCentreSpec(ScenarioModel):
    id: Id
    name: NonEmptyStr
    certifications: tuple[NonEmptyStr, ...] = ()
    redundancy: Literal["none", "n+1", "2n", "georedundant"] = "none"
    capacity: DcCapacity
    supernet: CIDR
    """IPv4 address space: the first /24 holds the service VMs, tenant prefixes follow."""
    tenant_prefix_length: int = Field(default=24, ge=16, le=29)
    vlan_base: int = Field(default=100, ge=2, le=4094)
    cost_per_vcpu_year: Money = Decimal(120)
    cost_per_gb_ram_year: Money = Decimal(15)
    cost_per_tb_year: Money = Decimal(300)

    @field_validator("supernet")
    @classmethod
    def _routable(cls, value: str) -> str:
        net = ipaddress.ip_network(value)
        if net.version != 4:
            raise ValueError("must be an IPv4 prefix")
        for flaw, why in (("is_loopback", "loopback"), ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                          ("is_unspecified", "the unspecified address"), ("is_reserved", "reserved")):
            if getattr(net, flaw) or getattr(net.network_address, flaw):
                raise ValueError(f"{value} is {why} address space, which cannot carry a data centre's network "
                                 "(use private space such as 10.0.0.0/8 or 172.16.0.0/12)")
        return value

    @property
    def allows_sehr_hoch(self) -> bool:
        """Certified and redundant (2N or georedundant): may host "sehr hoch" workloads."""
        return bool(self.certifications) and self.redundancy in ("2n", "georedundant")


class YearCapacity(ScenarioModel):
    year: int = Field(ge=1900, le=2100)
    eigen_pd_per_quarter: float = Field(ge=0)
    fremd_pd_per_quarter: float = Field(ge=0)


class TeamCapacity(ScenarioModel):
    """Migration team capacity in person-days per quarter, Eigen- and Fremdleistung separately."""

    eigen_pd_per_quarter: float = Field(ge=0)
    fremd_pd_per_quarter: float = Field(ge=0)
    by_year: tuple[YearCapacity, ...] = ()
    """Overrides for single years (e.g. a ramp-up)."""


class BlackoutWindow(ScenarioModel):
    """No migration of the listed domains while the window is open (quarters touching it are blocked)."""

    id: Id
    domains: tuple[Id, ...] = Field(min_length=1)
    start: date
    end: date
    reason: NonEmptyStr
    every_year: bool = False
    """Repeat the window (same month/day) in every year of the horizon, e.g. the Jahresabschluss."""

    @model_validator(mode="after")
    def _order(self) -> BlackoutWindow:
        if self.end < self.start:
            raise ValueError("end lies before start")
        return self


class CostAssumptions(ScenarioModel):
    discount_rate: Decimal = Field(default=Decimal("0.03"), ge=0, le=1)
    migration_pd: dict[Literal["niedrig", "mittel", "hoch"], float] = Field(
        default_factory=lambda: {"niedrig": 4.0, "mittel": 10.0, "hoch": 25.0}
    )
    """Person-days to migrate one system by complexity (before the size factor)."""
    size_factors: tuple[tuple[int, float], ...] = ((0, 1.0), (50, 1.5), (250, 2.0), (1000, 3.0))
    """(minimum users, factor) pairs: the largest threshold not above the system's users applies."""
    same_product_factor: float = Field(default=0.5, gt=0, le=1)
    """Effort factor when the system already runs the target product."""
    eigen_share: float = Field(default=0.4, ge=0, le=1)
    """Share of the migration effort done by the organisation's own staff (Eigenleistung)."""
    day_rate_eigen: Money = Decimal(600)
    day_rate_fremd: Money = Decimal(1100)
    legacy_hosting_share: float = Field(default=0.3, ge=0, le=1)
    """Share of a legacy system's annual cost that is local hosting/operation (saved by rehosting)."""
    legacy_annual_cost_default: Money = Decimal(4000)
    """Run cost per year of a legacy system without a recorded contract."""
    eol_penalty_per_quarter: Money = Decimal(5000)
    """Risk cost per system and quarter it runs past the product's end of life."""


class Weights(ScenarioModel):
    """The explicit trade-off of the schedule objective (all in EUR-equivalents)."""

    double_running: float = Field(default=1.0, ge=0)
    """Weight on legacy contract cost paid after the cut-over."""
    eol_lateness: float = Field(default=1.0, ge=0)
    """Weight on the EOL risk cost per quarter late."""
    delay: float = Field(default=0.25, ge=0)
    """Weight on the legacy run cost per quarter the migration waits (earlier is better)."""


class FundingRule(ScenarioModel):
    """Money planned per delivered milestone (performance-based structural funding)."""

    milestone: Literal["target_live", "org_complete", "domain_complete", "system_migrated"]
    amount: Money
    description: str = ""


class PayerRule(ScenarioModel):
    """Who pays a cash cost line: the first rule of ``payers`` whose conditions all match.

    >>> PayerRule(payer="land", org_kind=("Land",)).matches("run_legacy", "Land")
    True
    """

    payer: Literal["land", "zweckverband", "kommune"]
    category: tuple[Literal["run_legacy", "run_target", "migration", "double_running"], ...] = ()
    """Cost categories the rule applies to (empty: all)."""
    org_kind: tuple[NonEmptyStr, ...] = ()
    """Kinds of the organisation the line belongs to (e.g. ``Land``, ``Gemeinde``; empty: all)."""
    shared: bool | None = None
    """True: only lines of the shared targets (no organisation); False: only an organisation's lines."""
    source: str | None = None
    """Where the rule comes from (e.g. the Satzung of the Zweckverband); none: an Annahme."""

    def matches(self, category: str, org_kind: str | None) -> bool:
        """``org_kind`` None: a shared line."""
        return ((not self.category or category in self.category)
                and (self.shared is None or self.shared == (org_kind is None))
                and (not self.org_kind or (org_kind is not None and org_kind in self.org_kind)))


DEFAULT_PAYERS = (
    PayerRule(payer="zweckverband", shared=True),
    PayerRule(payer="land", org_kind=("Land",)),
    PayerRule(payer="zweckverband", org_kind=("Zweckverband",)),
    PayerRule(payer="kommune"),
)
"""Shared targets are paid by the Zweckverband, the Land pays its own systems, every other
organisation (Gemeinden, Kreise) pays its own (an Annahme unless the scenario says otherwise)."""


class ExceptionSpec(ScenarioModel):
    """An Einzelmaßnahme: systems that stay outside the standard, with justification."""

    id: Id
    systems: tuple[Id, ...] = ()
    org: Id | None = None
    domain: Id | None = None
    """With ``org``: every system of that organisation in that domain."""
    justification: NonEmptyStr
    coordinated: bool
    """Coordinated with the Zweckverband."""

    @model_validator(mode="after")
    def _selects(self) -> ExceptionSpec:
        if not self.systems and self.org is None and self.domain is None:
            raise ValueError("an exception needs systems, an org or a domain")
        return self


class Scheduling(ScenarioModel):
    precedence_lag_quarters: int = Field(default=1, ge=0, le=4)
    """Quarters between a group and the groups it depends on (1: strictly before)."""
    eol: Literal["soft", "hard"] = "soft"
    """hard: no migration after the product's end of life; soft: a penalty per quarter late."""
    tight_coupling: tuple[Literal["niedrig", "mittel", "hoch"], ...] = ("hoch",)
    """Dependency criticalities whose ends must move together."""
    rehost_unmapped: bool = True
    """Systems of domains without a standard target move unchanged into a data centre (Rehosting)."""
    keep_domains: tuple[Id, ...] = ()
    """Domains whose systems stay where they are (local infrastructure such as firewalls)."""


class SolverSettings(ScenarioModel):
    time_limit_s: float = Field(default=20.0, gt=0)
    """Wall-clock safety limit per CP-SAT call; the deterministic limit is what normally stops it."""
    deterministic_time: float = Field(default=0.05, gt=0)
    """CP-SAT deterministic-time limit per model (a small block or one time window)."""
    seed: int = 20260101
    workers: int = Field(default=1, ge=1, le=16)
    """CP-SAT workers; more than one runs interleaved, which keeps the result deterministic."""
    block_size: int = Field(default=1500, ge=10)
    """Maximum move groups per schedule subproblem (see docs/planner.md)."""
    window_span: int = Field(default=3, ge=1, le=20)
    """Quarters per rolling time window that CP-SAT re-optimises exactly."""
    passes: int = Field(default=2, ge=0, le=10)
    """Passes of rolling time windows over the horizon."""
    full_model_groups: int = Field(default=80, ge=0)
    """Subproblems up to this many groups are solved as one CP-SAT model."""
    max_windows: int = Field(default=80, ge=0)
    """Budget of CP-SAT time windows over the whole schedule (keeps large landscapes linear)."""
    lp_max_pairs: int = Field(default=60_000, ge=0)
    """Up to this many (move group, quarter) pairs the strong LP of the whole schedule is solved
    (HiGHS); beyond, capacity is priced by decomposition (see docs/planner.md)."""
    polish_max_groups: int = Field(default=300, ge=0)
    """Schedules of up to this many move groups end with the full CP-SAT model, warm-started from the
    best schedule found (small and medium landscapes; see docs/planner.md)."""
    polish_det_time: float = Field(default=0.5, gt=0)
    """CP-SAT deterministic-time limit of that full model (deterministic, unlike wall-clock time)."""
    moves_max_groups: int = Field(default=20_000, ge=0)
    """Up to this many move groups, a repaired schedule with a gap left is also compared with further
    priority lists and improved by local moves (larger landscapes keep the repair alone)."""
    windows_max_groups: int = Field(default=2_000, ge=0)
    """Up to this many move groups, a schedule of the large path still above its bound is re-optimised
    exactly in rolling CP-SAT time windows (larger landscapes: their time budget; see docs/planner.md)."""
    price_sample_groups: int = Field(default=5000, ge=1)
    """About this many move groups (whole organisations) in the sample whose LP prices the team
    capacity (large landscapes)."""
    price_chunks: int = Field(default=16, ge=1)
    """Chunk LPs (each keeps its target instances whole) that price onboarding (large landscapes)."""
    process_min_groups: int = Field(default=20_000, ge=1)
    """From this many move groups on, the placement and the schedule are solved in a worker
    process while the planner's steps that do not depend on them (cost table, inventory hash,
    network flows) run beside them: the Python parts of both then use a core each. Smaller
    problems are solved in a thread."""


class Scenario(ScenarioModel):
    id: Id
    name: NonEmptyStr
    description: str = ""
    start: date
    """First day of quarter 0 (must be the first day of a quarter)."""
    horizon_years: int = Field(default=10, ge=1, le=20)
    organisations: Participation = Participation()
    targets: tuple[TargetSpec, ...] = Field(min_length=1)
    data_centres: tuple[DataCentreSpec, ...] = Field(min_length=1)
    teams: TeamCapacity
    blackouts: tuple[BlackoutWindow, ...] = ()
    costs: CostAssumptions = CostAssumptions()
    weights: Weights = Weights()
    funding: tuple[FundingRule, ...] = ()
    payers: tuple[PayerRule, ...] = DEFAULT_PAYERS
    """Who pays which cash cost (first match wins; a rule without conditions should come last)."""
    exceptions: tuple[ExceptionSpec, ...] = ()
    scheduling: Scheduling = Scheduling()
    solver: SolverSettings = SolverSettings()
    sweep: SweepSettings = SweepSettings()
    """Ranges and distributions for ``landkarte plan sweep`` (does not change the plan itself)."""
    synthetic: bool = True
    """The scenario's figures are assumptions, not facts."""
    sources: dict[str, NonEmptyStr] = Field(default_factory=dict)
    """Source of a figure by its key path (e.g. ``costs.day_rate_eigen: "TVöD E 11, KGSt 2025"``);
    a figure without one is an Annahme and flagged in the report's assumptions register."""

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.start.day != 1 or self.start.month not in (1, 4, 7, 10):
            raise ValueError("start must be the first day of a quarter (01-01, 04-01, 07-01 or 10-01)")
        seen: set[str] = set()
        for t in self.targets:
            if t.domain in seen:
                raise ValueError(f"two targets for domain {t.domain!r}: one standard target per domain")
            seen.add(t.domain)
        for kind, ids in (("data centre", [d.id for d in self.data_centres]),
                          ("blackout", [b.id for b in self.blackouts]),
                          ("exception", [e.id for e in self.exceptions])):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"duplicate {kind} id(s): {', '.join(dup)}")
        if self.sources:
            from .assumptions import figure_keys  # the register knows which figures there are

            unknown = sorted(set(self.sources) - set(figure_keys(self)))
            if unknown:
                raise ValueError(f"sources: no such figure {', '.join(unknown)} (see the assumptions register: "
                                 "costs.*, teams.*, targets.<domain>.*, data_centres.<id>.*, funding.<milestone>, "
                                 "weights.*)")
        last = self.payers[-1] if self.payers else None
        if last is None or last.category or last.org_kind or last.shared is not None:
            raise ValueError("payers: the last rule must apply to every cost line (a rule with only a payer)")
        return self

    @property
    def horizon_quarters(self) -> int:
        return self.horizon_years * 4

    def quarter_of(self, day: date) -> int:
        """Quarter index of ``day`` (may be negative or beyond the horizon)."""
        return quarter_of(self.start, day)

    def capacity(self, quarter: int) -> tuple[float, float]:
        """(Eigen, Fremd) person-days available in ``quarter``."""
        year = quarter_start(self.start, quarter).year
        for y in self.teams.by_year:
            if y.year == year:
                return y.eigen_pd_per_quarter, y.fremd_pd_per_quarter
        return self.teams.eigen_pd_per_quarter, self.teams.fremd_pd_per_quarter


class ScenarioError(IssuesError):
    """A scenario that cannot be used; ``issues`` name file, line, column and key path."""

    subject = "the scenario"


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file.

    Raises
    ------
    ScenarioError
        With every problem found, each with its file, line, column and key path.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError([Issue(str(path), None, None, (), "no such scenario file")])
    try:
        return load_model(Scenario, path)
    except IssuesError as exc:
        raise ScenarioError(exc.issues) from None


def scenario_hash(scenario: Scenario) -> str:
    """sha256 of the scenario's canonical JSON (what the plan records).

    The ``sweep`` settings are left out: they do not change the plan.
    """
    text = json.dumps(scenario.model_dump(mode="json", exclude={"sweep"}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
