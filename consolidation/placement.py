"""Step 3 — place target instances and remaining workloads in the data centres (CP-SAT).

Placement units are the target instances and, per organisation, its *home*: the tenant
network plus every workload it rehosts unchanged. A target instance is placed with the size
of the VMs planned for it (:func:`vm_sizes`: its size split over its VM roles, each VM rounded
up), so the VMs the plan lists never exceed a data centre's capacity. Each unit goes to exactly one data centre
whose vCPU, RAM, storage and tenant slots (VLANs and prefixes) suffice; a unit with
Schutzbedarf "sehr hoch" only to a centre that is certified and redundant (2N or
georedundant). The objective is the annual hosting cost.

Scale: units with the same size and Schutzbedarf are interchangeable, so the model has one
integer *count* per (size class, data centre) instead of one boolean per unit; the counts
are turned back into units in id order. This is exact and keeps the model small for
10,000+ organisations.

>>> from consolidation.scenario import DataCentreSpec
>>> dc = DataCentreSpec.model_validate({"id": "rz", "name": "RZ", "supernet": "10.0.0.0/16",
...     "capacity": {"vcpu": 64, "ram_gb": 256, "storage_tb": 10}})
>>> r = place([Unit("t.mail", 8, 32, 500, "normal")], [dc], seed=1)
>>> r.where, r.status
({'t.mail': 'rz'}, 'OPTIMAL')
"""

from __future__ import annotations

import functools
import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ortools.sat.python import cp_model

from common.errors import PlanningError
from common.interrupt import run_stoppable

from .scenario import DataCentreSpec

if TYPE_CHECKING:  # the worker process imports this module for place() alone
    from inventory.models import Landscape

    from .targets import TargetMapping

__all__ = ["PlacementInfeasibleError", "PlacementResult", "PlacementUnits", "Unit", "VmSize", "place",
           "placement_units", "planned_size", "tenant_slots", "vm_sizes"]

Size = tuple[int, int, int]
"""(vCPU, RAM GB, storage GB)."""

_COST_SCALE = 100  # cents


Params = tuple[tuple[str, str | int | float], ...]
"""A reason's values as (name, value) pairs (see :class:`plan.models.Reason`)."""


class PlacementInfeasibleError(PlanningError):
    """No placement satisfies capacity and Schutzbedarf; ``reasons`` say which resource is short, as
    message codes with their values (``dc_*`` kinds of :class:`plan.models.Reason`, rendered by
    ``reports.messages``; ``landkarte plan`` shows them in its language).

    >>> print(PlacementInfeasibleError([("dc_capacity", (("resource", "storage"), ("need", 12), ("available", 10)))]))
    no data-centre placement: dc_capacity (resource=storage, need=12, available=10)
    """

    def __init__(self, reasons: list[tuple[str, Params]]):
        self.reasons = reasons
        super().__init__("; ".join(f"{kind} ({', '.join(f'{k}={v}' for k, v in params)})" for kind, params in reasons))

    def __reduce__(self):  # keeps the reasons across a process boundary
        return type(self), (self.reasons,)

    def __str__(self) -> str:
        return f"no data-centre placement: {super().__str__()}"


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    vcpu: int
    ram_gb: int
    storage_gb: int
    schutzbedarf: str
    tenant: bool = False
    """Needs a tenant slot (VLAN + prefix) in its data centre."""


class VmSize(NamedTuple):
    """The VMs of one role of a target instance: how many, and the size of each."""

    role: str
    """The scenario's role (``targets[].vms[].role``), e.g. ``app``, ``db``."""
    count: int
    vcpu: int
    ram_gb: int
    disk_gb: int


def _up(x: float) -> int:
    """Round up, ignoring binary noise (``10 * 0.3`` is 3, not 4)."""
    return math.ceil(round(x, 9))


def vm_sizes(size: Size, roles: Sequence) -> tuple[VmSize, ...]:
    """The VMs planned for a target instance of ``size`` (vCPU, RAM GB, storage GB): per VM role
    (``share`` of the size, split over ``count`` VMs) each VM rounded up — at least 1 vCPU, 1 GB
    RAM and 10 GB disk. The one sizing of placement and VM planning.

    >>> from consolidation.scenario import VmRole
    >>> vm_sizes((10, 40, 500), (VmRole(role="app", share=0.6), VmRole(role="db", share=0.4)))
    (VmSize(role='app', count=1, vcpu=6, ram_gb=24, disk_gb=300), VmSize(role='db', count=1, vcpu=4, ram_gb=16, disk_gb=200))
    >>> planned_size((11, 40, 500), vm_sizes((11, 40, 500), (VmRole(role="app", share=0.6), VmRole(role="db", share=0.4))))
    (12, 40, 500)
    """
    v, r, st = size
    return tuple(VmSize(role.role, role.count, max(1, _up(v * role.share / role.count)),
                        max(1, _up(r * role.share / role.count)), max(10, _up(st * role.share / role.count)))
                 for role in roles)


def planned_size(size: Size, vms: Sequence[VmSize]) -> Size:
    """What a target instance occupies in its data centre: the sum of its VMs (``size`` itself
    when the scenario plans no VMs for it)."""
    if not vms:
        return size
    return (sum(m.count * m.vcpu for m in vms), sum(m.count * m.ram_gb for m in vms),
            sum(m.count * m.disk_gb for m in vms))


@dataclass(frozen=True, slots=True)
class PlacementResult:
    where: dict[str, str]
    status: str
    objective: float
    best_bound: float
    time_s: float
    classes: int


def tenant_slots(dc: DataCentreSpec) -> int:
    """Tenant networks a data centre can hold: VLANs from ``vlan_base`` and prefixes after the service /24.

    >>> from consolidation.scenario import DataCentreSpec
    >>> tenant_slots(DataCentreSpec.model_validate({"id": "x", "name": "X", "supernet": "10.0.0.0/22",
    ...     "capacity": {"vcpu": 1, "ram_gb": 1, "storage_tb": 1}}))
    3
    """
    net = ipaddress.ip_network(dc.supernet)
    if dc.tenant_prefix_length <= net.prefixlen:
        return 0
    prefixes = 2 ** (dc.tenant_prefix_length - net.prefixlen)
    reserved = max(1, 2 ** max(0, dc.tenant_prefix_length - 24))  # the service /24
    return max(0, min(prefixes - reserved, 4094 - dc.vlan_base + 1))


def _unit_cost(u: Unit, dc: DataCentreSpec) -> int:
    c = (u.vcpu * float(dc.cost_per_vcpu_year) + u.ram_gb * float(dc.cost_per_gb_ram_year)
         + u.storage_gb / 1000 * float(dc.cost_per_tb_year))
    return round(c * _COST_SCALE)


def place(units: Sequence[Unit], dcs: Sequence[DataCentreSpec], *, seed: int = 0, workers: int = 1,
          time_limit_s: float = 10.0) -> PlacementResult:
    """Assign every unit to one data centre at minimum annual cost.

    Parameters
    ----------
    units : sequence of Unit
    dcs : sequence of DataCentreSpec
    seed, workers, time_limit_s
        CP-SAT settings (fixed seed and worker count keep the result deterministic).

    Returns
    -------
    PlacementResult

    Raises
    ------
    PlacementInfeasibleError
        Naming the resource (vCPU, RAM, storage, tenant slots, certified capacity) that is short.
    """
    t0 = time.perf_counter()
    dcs = sorted(dcs, key=lambda d: d.id)
    reasons = _obvious_conflicts(units, dcs)
    if reasons:
        raise PlacementInfeasibleError(reasons)
    classes: dict[tuple, list[str]] = {}
    for u in sorted(units, key=lambda u: u.id):
        classes.setdefault((u.vcpu, u.ram_gb, u.storage_gb, u.schutzbedarf == "sehr hoch", u.tenant), []).append(u.id)
    keys = sorted(classes)
    m, x = _model(keys, classes, dcs)
    solver = _solver(seed=seed, workers=workers, time_limit_s=time_limit_s)
    status = run_stoppable(lambda: solver.Solve(m), solver.StopSearch)  # Ctrl-C stops the search
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # no total is short (checked above): which resource's limits make the packing impossible
        raise PlacementInfeasibleError(_short_resources(keys, classes, dcs, seed=seed, time_limit_s=time_limit_s)
                                       if status == cp_model.INFEASIBLE else [("dc_timeout", ())])
    value = list(solver.ResponseProto().solution)
    where: dict[str, str] = {}
    for k, key in enumerate(keys):
        ids = iter(classes[key])
        for j, d in enumerate(dcs):
            if (k, j) in x:
                for _ in range(value[x[k, j]]):
                    where[next(ids)] = d.id
    return PlacementResult(
        where=dict(sorted(where.items())), status=solver.StatusName(status),
        objective=solver.ObjectiveValue() / _COST_SCALE, best_bound=solver.BestObjectiveBound() / _COST_SCALE,
        time_s=time.perf_counter() - t0, classes=len(keys),
    )


def _model(keys: list[tuple], classes: dict[tuple, list[str]], dcs: Sequence[DataCentreSpec], *,
           skip: str | None = None) -> tuple[cp_model.CpModel, dict[tuple[int, int], int]]:
    """The placement model: one count per (size class, data centre); ``skip`` leaves out one
    resource's capacity rows (``vcpu``, ``ram``, ``storage`` or ``tenant_slots``: to find the short one)."""
    m = cp_model.CpModel()
    # the model proto written directly (cp_model's expression objects took 2 s for 90,000
    # counts at Germany scale); the same proto cp_model.CpModel.Add would make: zero
    # coefficients left out (tests/consolidation/test_placement.py compares them). With
    # ortools 9.12 (pinned) Proto() is the model's own message.
    proto = m.Proto()
    x: dict[tuple[int, int], int] = {}  # (class, data centre) → variable index
    by_dc: list[list[int]] = [[] for _ in dcs]  # classes that may go to each data centre
    for k, key in enumerate(keys):
        n = len(classes[key])
        ix = []
        for j, d in enumerate(dcs):
            if d.allows_sehr_hoch or not key[3]:
                x[k, j] = len(proto.variables)
                ix.append(x[k, j])
                proto.variables.add(name=f"n_{k}_{j}", domain=(0, n))
                by_dc[j].append(k)
        _linear(proto, ix, [1] * len(ix), n, n)
    for j, d in enumerate(dcs):
        ks = by_dc[j]
        v = [x[k, j] for k in ks]
        if skip != "vcpu":
            _linear(proto, v, [keys[k][0] for k in ks], cp_model.INT_MIN, d.capacity.vcpu)
        if skip != "ram":
            _linear(proto, v, [keys[k][1] for k in ks], cp_model.INT_MIN, d.capacity.ram_gb)
        if skip != "storage":
            _linear(proto, v, [keys[k][2] for k in ks], cp_model.INT_MIN, int(d.capacity.storage_tb * 1000))
        if skip != "tenant_slots":
            tenants = [x[k, j] for k in ks if keys[k][4]]
            _linear(proto, tenants, [1] * len(tenants), cp_model.INT_MIN, tenant_slots(d))
    _terms(proto.objective, list(x.values()), [_unit_cost(Unit("", *keys[k][:3], "normal"), dcs[j]) for k, j in x])
    proto.objective.scaling_factor = 1
    return m, x


def _solver(*, seed: int, workers: int, time_limit_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's: it calls StopSearch
    # the LP relaxation proves the optimum: symmetry detection, probing and the search for
    # overlapping linear constraints took over half the solve time at Germany scale and
    # found nothing to use (measured on 87,000 variables: 4.9 s → 2.4 s, the same optimum)
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.find_big_linear_overlap = False
    return solver


def _short_resources(keys: list[tuple], classes: dict[tuple, list[str]], dcs: Sequence[DataCentreSpec], *,
                     seed: int, time_limit_s: float) -> list[tuple[str, Params]]:
    """When the solver proved that no placement exists but no total is short: the resources without
    whose limits a placement exists (the units do not pack into the data centres by them; for
    Schutzbedarf "sehr hoch" only the certified redundant ones count)."""
    out: list[tuple[str, Params]] = []
    for name in ("vcpu", "ram", "storage", "tenant_slots"):
        m, _ = _model(keys, classes, dcs, skip=name)
        m.Proto().ClearField("objective")  # feasibility is the question
        solver = _solver(seed=seed, workers=1, time_limit_s=time_limit_s)
        if run_stoppable(functools.partial(solver.Solve, m), solver.StopSearch) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out.append(("dc_packing", (("resource", name), ("data_centres", ", ".join(d.id for d in dcs)))))
    return out or [("dc_packing", (("resource", "all"), ("data_centres", ", ".join(d.id for d in dcs))))]


def _terms(message, variables: list[int], coeffs: list[int]) -> None:
    """Set a linear expression's terms (a constraint's or the objective's), zero terms left out."""
    if all(coeffs):
        message.vars.extend(variables)
        message.coeffs.extend(coeffs)
    else:
        message.vars.extend(v for v, a in zip(variables, coeffs) if a)
        message.coeffs.extend(a for a in coeffs if a)


def _linear(proto, variables: list[int], coeffs: list[int], lo: int, hi: int) -> None:
    """Add ``lo <= sum(coeffs * variables) <= hi`` to a CP-SAT model proto."""
    c = proto.constraints.add().linear
    _terms(c, variables, coeffs)
    c.domain.extend((lo, hi))


_RESOURCES = (("vcpu", "vcpu", 1), ("ram", "ram_gb", 1), ("storage", "storage_tb", 1000))
"""(reason name, capacity field, GB per unit of the field): storage is offered in TB, units need GB."""


def _need(units: Sequence[Unit], k: int, per: int) -> float:
    amount = sum((u.vcpu, u.ram_gb, u.storage_gb)[k] for u in units)
    return amount / per if per != 1 else amount


def _obvious_conflicts(units: Sequence[Unit], dcs: Sequence[DataCentreSpec]) -> list[tuple[str, Params]]:
    out: list[tuple[str, Params]] = []
    if any(u.schutzbedarf == "sehr hoch" for u in units) and not any(d.allows_sehr_hoch for d in dcs):
        ids = sorted(u.id for u in units if u.schutzbedarf == "sehr hoch")
        out.append(("dc_no_certified", (("units", f"{', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}"),)))
    return out + _capacity_reasons(units, dcs)


def _capacity_reasons(units: Sequence[Unit], dcs: Sequence[DataCentreSpec]) -> list[tuple[str, Params]]:
    """The resources that are short: in all data centres together, in the certified redundant ones for the
    units with Schutzbedarf "sehr hoch" (vCPU, RAM, storage and tenant slots), and per unit in every
    single data centre. Each names the resource, its need and what is available."""
    out: list[tuple[str, Params]] = []
    for k, (name, field, per) in enumerate(_RESOURCES):
        need, have = _need(units, k, per), sum(getattr(d.capacity, field) for d in dcs)
        if need > have:
            out.append(("dc_capacity", (("resource", name), ("need", _num(need)), ("available", _num(have)))))
    tenants = sum(1 for u in units if u.tenant)
    slots = sum(tenant_slots(d) for d in dcs)
    if tenants > slots:
        out.append(("dc_tenant_slots", (("need", tenants), ("available", slots))))
    certified = [d for d in dcs if d.allows_sehr_hoch]
    sh = [u for u in units if u.schutzbedarf == "sehr hoch"]
    if sh and certified:
        names = ", ".join(d.id for d in certified)
        for k, (name, field, per) in enumerate(_RESOURCES):
            need, have = _need(sh, k, per), sum(getattr(d.capacity, field) for d in certified)
            if need > have:
                out.append(("dc_certified_capacity", (("data_centres", names), ("resource", name),
                                                      ("need", _num(need)), ("available", _num(have)))))
        sh_tenants = sum(1 for u in sh if u.tenant)
        sh_slots = sum(tenant_slots(d) for d in certified)
        if sh_tenants > sh_slots:
            out.append(("dc_certified_tenant_slots", (("data_centres", names), ("need", sh_tenants),
                                                      ("available", sh_slots))))
    for u in units:
        allowed = [d for d in dcs if d.allows_sehr_hoch or u.schutzbedarf != "sehr hoch"]
        if not allowed:
            continue  # said above (no certified data centre)
        for k, (name, field, per) in enumerate(_RESOURCES):
            need = (u.vcpu, u.ram_gb, u.storage_gb)[k] / per
            most = max(getattr(d.capacity, field) for d in allowed)
            if need > most:
                out.append(("dc_unit_too_large", (("unit", u.id), ("resource", name), ("need", _num(need)),
                                                  ("available", _num(most)))))
    return out


def _num(x: float) -> int | float:
    """A whole number as int, else rounded to three places (TB)."""
    return int(x) if float(x).is_integer() else round(x, 3)


@dataclass(frozen=True, eq=False)
class PlacementUnits:
    """What the data centres must hold (the input of :func:`place`) and the sizes behind it."""

    units: list[Unit]
    """The target instances (mapping order), then one home per organisation (id order)."""
    target_size: dict[str, Size]
    """Per target instance, what it occupies: the sum of its planned VMs (:func:`planned_size`)."""
    vms: dict[str, tuple[VmSize, ...]]
    """Per target instance its planned VMs (:func:`vm_sizes` of its size by users and data)."""
    rehost_size: dict[str, Size]
    """Per system rehosted unchanged: its host's size, else a small default VM."""


def placement_units(landscape: Landscape, mapping: TargetMapping, migrating: list[str]) -> PlacementUnits:
    """Each target instance, sized by its users and data, and per organisation its home (tenant
    network plus the workloads it rehosts unchanged, at the highest Schutzbedarf among them).

    >>> from consolidation._examples import tiny_landscape, tiny_scenario
    >>> from consolidation.targets import map_targets
    >>> L = tiny_landscape()
    >>> m = map_targets(L, tiny_scenario())
    >>> [(u.id, u.tenant) for u in placement_units(L, m, sorted(m.decisions)).units]
    [('t.e-mail', False), ('home.a', True), ('home.b', True)]
    """
    from .targets import schutzbedarf_maximum

    dec, systems, hosts = mapping.decisions, landscape.systems, landscape.hosts
    units = []
    inst_size: dict[str, Size] = {}
    vms: dict[str, tuple[VmSize, ...]] = {}
    for inst in mapping.instances:
        sp = inst.spec
        k = inst.users / 1000
        nominal = (sp.vcpu + math.ceil(k * sp.vcpu_per_1000_users), sp.ram_gb + math.ceil(k * sp.ram_gb_per_1000_users),
                   sp.storage_gb + inst.data_gb)
        vms[inst.id] = vm_sizes(nominal, sp.vms)
        size = inst_size[inst.id] = planned_size(nominal, vms[inst.id])
        units.append(Unit(inst.id, *size, inst.schutzbedarf.value))
    home_load: dict[str, list[int]] = {}
    home_sb: dict[str, int] = {}
    rehost_size: dict[str, Size] = {}
    sb_max = schutzbedarf_maximum()
    for sid in migrating:
        d = dec[sid]
        load = home_load.get(d.org)
        if load is None:
            load = home_load[d.org] = [0, 0, 0, 0]
        if d.target is None:
            s = systems[sid]
            h = hosts.get(s.hosting.host) if s.hosting.host else None
            size = (h.size.vcpu, h.size.ram_gb, h.size.storage_gb) if h is not None and h.kind == "virtual" else (
                2, 8, max(50, s.data_gb * 2))
            rehost_size[sid] = size
            for k in range(3):
                load[k] += size[k]
            home_sb[d.org] = max(home_sb.get(d.org, 0), sb_max(s.schutzbedarf).rank)
    sb_name = {0: "normal", 1: "hoch", 2: "sehr hoch"}
    for org in sorted(home_load):
        v, r, st, _ = home_load[org]
        units.append(Unit(f"home.{org}", v, r, st, sb_name[home_sb.get(org, 0)], tenant=True))
    return PlacementUnits(units, inst_size, vms, rehost_size)
