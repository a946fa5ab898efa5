"""Step "assemble": the plan's models from the steps' results (the assignments are in
:mod:`consolidation.assignments`).

Each function turns one step's result into plan models, sorted by id so that the same input
gives a byte-identical plan; :func:`assemble` puts them into the :class:`~plan.models.Plan`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from common.version import tool_version
from inventory.models import Landscape
from plan.calendar import quarter_start
from plan.models import (
    Assignment,
    Blackout,
    Conflict,
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

from . import costs as C
from ._construct import builder
from .assumptions import assumption_register
from .condense import Condensation
from .network import Network
from .placement import PlacementResult, Size, Unit
from .scenario import Scenario, scenario_hash
from .scheduling import BlackoutWindow
from .systems import GroupCosts
from .targets import TargetMapping

__all__ = ["Parts", "assemble", "data_centre_models", "group_predecessors", "move_group_models",
           "organisation_models", "outside_dependencies", "placement_step", "target_models", "wave_models"]


def data_centre_models(scenario: Scenario, units: Sequence[Unit], where: Mapping[str, str]
                       ) -> tuple[DataCentre, ...]:
    """The data centres (id order) with what the placed units use of them."""
    used: dict[str, list[float]] = {}
    for u in units:
        acc = used.setdefault(where[u.id], [0, 0, 0.0])
        acc[0] += u.vcpu
        acc[1] += u.ram_gb
        acc[2] += u.storage_gb / 1000
    out = []
    for d in sorted(scenario.data_centres, key=lambda d: d.id):
        acc = used.get(d.id, [0, 0, 0.0])
        out.append(DataCentre(
            id=d.id, name=d.name, certifications=d.certifications, redundancy=d.redundancy,
            allows_sehr_hoch=d.allows_sehr_hoch, capacity_vcpu=d.capacity.vcpu, capacity_ram_gb=d.capacity.ram_gb,
            capacity_storage_tb=d.capacity.storage_tb, used_vcpu=int(acc[0]), used_ram_gb=int(acc[1]),
            used_storage_tb=round(acc[2], 3), supernet=d.supernet))
    return tuple(out)


def organisation_models(landscape: Landscape, org_ids: list[str], participating: frozenset[str],
                        continuing: tuple[str, ...] = ()) -> tuple[PlanOrganisation, ...]:
    """Every organisation of the inventory (id order), whether it takes part, its Zweckverband status."""
    out = []
    for oid in org_ids:
        o = landscape.orgs[oid]
        out.append(PlanOrganisation(
            id=oid, name=o.name, kind=o.kind.value, ags=o.ags, district=o.district, district_name=o.district_name,
            participates=oid in participating, zweckverband_member=o.zweckverband.member,
            exit_date=o.zweckverband.exit_date, continues_after_exit=oid in continuing,
            population=o.population.count if o.population else None))
    return tuple(out)


def group_predecessors(graph: Condensation) -> list[tuple[str, ...]]:
    """Per move group the ids of the groups it depends on (sorted)."""
    group_ids = [g.id for g in graph.groups]
    preds: list[list[int]] = [[] for _ in graph.groups]
    for pr, su in graph.edges.tolist():  # sorted by predecessor: each list comes out sorted
        preds[su].append(pr)
    return [tuple(group_ids[p] for p in ps) for ps in preds]


def outside_dependencies(landscape: Landscape, mapping: TargetMapping, graph: Condensation
                         ) -> list[tuple[str, ...]]:
    """Per move group the systems that do not move which its systems depend on or which depend on
    them (sorted): the dependencies the group DAG leaves out, since their other end stays where it
    is (kept, exceptions, already standard, out of scope) and so orders nothing.

    >>> from consolidation._examples import tiny_landscape, tiny_scenario
    >>> from consolidation.condense import condense, dependency_arrays
    >>> from consolidation.targets import map_targets
    >>> L, S = tiny_landscape(), tiny_scenario(scheduling={"keep_domains": ["iam"]})
    >>> m = map_targets(L, S)
    >>> g = condense(dependency_arrays(L, systems=[s for s, d in m.decisions.items() if d.decision == "migrate"]))
    >>> [(gr.id, out) for gr, out in zip(g.groups, outside_dependencies(L, m, g))]
    [('g.a.mail', ('a.iam',)), ('g.b.mail', ())]
    """
    group_of = {sid: gi for gi, g in enumerate(graph.groups) for sid in g.systems}
    dec = mapping.decisions
    out: list[set[str]] = [set() for _ in graph.groups]
    get = group_of.get
    for inv in landscape.organisations:
        for d in inv.dependencies:
            a, b = get(d.source), get(d.target)
            if (a is None) == (b is None):
                continue  # both move (the DAG has it) or neither does
            if a is not None and d.target in dec:
                out[a].add(d.target)
            elif b is not None and d.source in dec:
                out[b].add(d.source)
    return [tuple(sorted(o)) for o in out]


def move_group_models(graph: Condensation, depends_on: list[tuple[str, ...]], group_quarter: np.ndarray | None,
                      outside: list[tuple[str, ...]] | None = None) -> tuple[MoveGroup, ...]:
    """The move groups with their predecessors, the systems outside they depend on or serve, and their
    quarter (``None``: no schedule exists)."""
    move_group = builder(MoveGroup)
    gq_l = group_quarter.tolist() if group_quarter is not None else [None] * len(graph.groups)
    none: tuple[str, ...] = ()
    return tuple(move_group(id=g.id, systems=g.systems, depends_on=depends_on[gi], quarter=gq_l[gi],
                            reason=g.reason, outside=outside[gi] if outside is not None else none)
                 for gi, g in enumerate(graph.groups))


def wave_models(scenario: Scenario, costs: GroupCosts, group_quarter: np.ndarray, quarter: np.ndarray,
                label: Callable[[int], str]) -> tuple[Wave, ...]:
    """One wave per quarter that moves something: groups, systems, effort against capacity."""
    H = scenario.horizon_quarters
    has_groups = len(group_quarter) > 0
    used_e = np.bincount(group_quarter, weights=costs.eigen, minlength=H) / 10 if has_groups else np.zeros(H)
    used_f = np.bincount(group_quarter, weights=costs.fremd, minlength=H) / 10 if has_groups else np.zeros(H)
    n_g = np.bincount(group_quarter, minlength=H) if has_groups else np.zeros(H, np.int64)
    n_s = np.bincount(quarter, minlength=H) if len(quarter) else np.zeros(H, np.int64)
    waves = []
    for q in range(H):
        if n_g[q] == 0:
            continue
        e_cap, f_cap = scenario.capacity(q)
        waves.append(Wave(quarter=q, label=label(q), start=quarter_start(scenario.start, q),
                          end=quarter_start(scenario.start, q + 1) - timedelta(days=1), groups=int(n_g[q]),
                          systems=int(n_s[q]), effort_eigen_pd=round(float(used_e[q]), 1),
                          effort_fremd_pd=round(float(used_f[q]), 1), capacity_eigen_pd=float(e_cap),
                          capacity_fremd_pd=float(f_cap)))
    return tuple(waves)


def target_models(mapping: TargetMapping, target_size: Mapping[str, Size], where: Mapping[str, str],
                  hosting: Mapping[str, float]) -> tuple[TargetInstance, ...]:
    """The target instances: size, data centre, tenants, annual run cost (with hosting and tenants)."""
    out = []
    for inst in mapping.instances:
        v, r, st = target_size[inst.id]
        out.append(TargetInstance(
            id=inst.id, domain=inst.spec.domain, product=inst.spec.product, product_name=inst.spec.name,
            category=inst.spec.category, data_centre=where[inst.id], vcpu=v, ram_gb=r, storage_gb=st,
            schutzbedarf=inst.schutzbedarf, tenants=inst.tenants, onboarding_per_quarter=inst.spec.onboarding_per_quarter,
            annual_run_cost=C.money(float(inst.spec.annual_run_cost) + hosting[inst.id]
                                    + float(inst.spec.run_cost_per_tenant) * len(inst.tenants)),
        ))
    return tuple(out)


def placement_step(placement: PlacementResult, *, record_timing: bool) -> SolverStep:
    """The placement's solver record."""
    return SolverStep(step="placement", solver="OR-Tools CP-SAT", status=placement.status,
                      objective=round(placement.objective, 2), best_bound=round(placement.best_bound, 2),
                      gap=0.0 if placement.objective <= 0 else round(
                          (placement.objective - placement.best_bound) / placement.objective, 6),
                      time_s=round(placement.time_s, 3) if record_timing else 0.0)


@dataclass(frozen=True, eq=False)
class Parts:
    """Everything the plan is made of, as the steps made it."""

    inventory_hash: str
    organisations: tuple[PlanOrganisation, ...]
    data_centres: tuple[DataCentre, ...]
    targets: tuple[TargetInstance, ...]
    assignments: list[Assignment]
    move_groups: tuple[MoveGroup, ...]
    waves: tuple[Wave, ...]
    blackouts: list[BlackoutWindow]
    metrics: tuple[DomainMetrics, ...]
    costs: CostSummary
    funding: list[FundingRelease]
    solver: tuple[SolverStep, SolverStep]
    feasible: bool
    conflicts: tuple[Conflict, ...]
    network: Network
    as_of: date | None = None
    """The day the plan was made (``plan(..., as_of=...)``), if given."""
    actuals: str | None = None
    """The content hash of the actuals the plan was made with, if any."""


def assemble(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, parts: Parts) -> Plan:
    """The :class:`~plan.models.Plan` of the parts."""
    exceptions = tuple(ExceptionEntry(id=e.id, systems=mapping.exception_systems.get(e.id, ()), org=e.org,
                                      justification=e.justification, coordinated=e.coordinated)
                       for e in sorted(scenario.exceptions, key=lambda e: e.id))
    meta = PlanMeta(
        tool_version=tool_version(), scenario_id=scenario.id, scenario_name=scenario.name,
        scenario_hash=scenario_hash(scenario), inventory_name=landscape.meta.name,
        inventory_hash=parts.inventory_hash, synthetic=landscape.meta.synthetic or scenario.synthetic,
        start=scenario.start, horizon_quarters=scenario.horizon_quarters, discount_rate=scenario.costs.discount_rate,
        eol_rule=scenario.scheduling.eol, as_of=parts.as_of, actuals=parts.actuals,
    )
    return Plan(
        meta=meta, organisations=parts.organisations, data_centres=parts.data_centres, targets=parts.targets,
        assignments=tuple(parts.assignments), move_groups=parts.move_groups, waves=parts.waves,
        blackouts=tuple(Blackout(id=b.id, domains=b.domains, start=b.start, end=b.end, reason=b.reason,
                                 quarters=b.quarters) for b in parts.blackouts),
        exceptions=exceptions, metrics=tuple(parts.metrics), costs=parts.costs, funding=tuple(parts.funding),
        funding_total=sum((f.amount for f in parts.funding), Decimal(0)), solver=parts.solver,
        feasible=parts.feasible, conflicts=parts.conflicts, tenant_networks=tuple(parts.network.tenants),
        flows=tuple(parts.network.flows), vms=tuple(parts.network.vms), assumptions=assumption_register(scenario),
    )
