"""Step 3 — place target instances and remaining workloads in the data centres (CP-SAT).

Placement units are the target instances and, per organisation, its *home*: the tenant
network plus every workload it rehosts unchanged. Each unit goes to exactly one data centre
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

import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from common.errors import PlanningError
from common.interrupt import run_stoppable

from .scenario import DataCentreSpec

if TYPE_CHECKING:  # the worker process imports this module for place() alone
    from inventory.models import Landscape

    from .targets import TargetMapping

__all__ = ["PlacementInfeasibleError", "PlacementResult", "PlacementUnits", "Unit", "place", "placement_units",
           "tenant_slots"]

Size = tuple[int, int, int]
"""(vCPU, RAM GB, storage GB)."""

_COST_SCALE = 100  # cents


class PlacementInfeasibleError(PlanningError):
    """No placement satisfies capacity and Schutzbedarf; ``reasons`` say which resource is short."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))

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
        _linear(proto, v, [keys[k][0] for k in ks], cp_model.INT_MIN, d.capacity.vcpu)
        _linear(proto, v, [keys[k][1] for k in ks], cp_model.INT_MIN, d.capacity.ram_gb)
        _linear(proto, v, [keys[k][2] for k in ks], cp_model.INT_MIN, int(d.capacity.storage_tb * 1000))
        tenants = [x[k, j] for k in ks if keys[k][4]]
        _linear(proto, tenants, [1] * len(tenants), cp_model.INT_MIN, tenant_slots(d))
    _terms(proto.objective, list(x.values()), [_unit_cost(Unit("", *keys[k][:3], "normal"), dcs[j]) for k, j in x])
    proto.objective.scaling_factor = 1
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
    status = run_stoppable(lambda: solver.Solve(m), solver.StopSearch)  # Ctrl-C stops the search
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise PlacementInfeasibleError(_capacity_reasons(units, dcs) or ["no placement found within the time limit"])
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


def _obvious_conflicts(units: Sequence[Unit], dcs: Sequence[DataCentreSpec]) -> list[str]:
    out = []
    if any(u.schutzbedarf == "sehr hoch" for u in units) and not any(d.allows_sehr_hoch for d in dcs):
        ids = sorted(u.id for u in units if u.schutzbedarf == "sehr hoch")
        out.append(f"Schutzbedarf 'sehr hoch' ({', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}) "
                   "but no data centre is certified and redundant (2n/georedundant)")
    return out + _capacity_reasons(units, dcs)


def _capacity_reasons(units: Sequence[Unit], dcs: Sequence[DataCentreSpec]) -> list[str]:
    out = []
    need = {"vcpu": sum(u.vcpu for u in units), "ram_gb": sum(u.ram_gb for u in units),
            "storage_tb": sum(u.storage_gb for u in units) / 1000}
    for key, amount in need.items():
        have = sum(getattr(d.capacity, key) for d in dcs)
        if amount > have:
            out.append(f"data-centre capacity {key}: need {amount:g}, have {have:g}")
    tenants = sum(1 for u in units if u.tenant)
    slots = sum(tenant_slots(d) for d in dcs)
    if tenants > slots:
        out.append(f"tenant networks: need {tenants}, the supernets/VLANs allow {slots}")
    for u in units:
        fits = [d for d in dcs if (d.allows_sehr_hoch or u.schutzbedarf != "sehr hoch") and u.vcpu <= d.capacity.vcpu
                and u.ram_gb <= d.capacity.ram_gb and u.storage_gb <= d.capacity.storage_tb * 1000]
        if not fits:
            out.append(f"{u.id} ({u.vcpu} vCPU, {u.ram_gb} GB RAM, {u.storage_gb / 1000:g} TB, "
                       f"Schutzbedarf {u.schutzbedarf}) fits into no single data centre")
    sh = [u for u in units if u.schutzbedarf == "sehr hoch"]
    sh_vcpu = sum(u.vcpu for u in sh)
    cap = sum(d.capacity.vcpu for d in dcs if d.allows_sehr_hoch)
    if sh and sh_vcpu > cap:
        out.append(f"certified redundant capacity for 'sehr hoch': need {sh_vcpu} vCPU, have {cap}")
    return out


@dataclass(frozen=True, eq=False)
class PlacementUnits:
    """What the data centres must hold (the input of :func:`place`) and the sizes behind it."""

    units: list[Unit]
    """The target instances (mapping order), then one home per organisation (id order)."""
    target_size: dict[str, Size]
    """Per target instance, sized by its users and data."""
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
    for inst in mapping.instances:
        sp = inst.spec
        k = inst.users / 1000
        size = (sp.vcpu + math.ceil(k * sp.vcpu_per_1000_users), sp.ram_gb + math.ceil(k * sp.ram_gb_per_1000_users),
                sp.storage_gb + inst.data_gb)
        inst_size[inst.id] = size
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
    return PlacementUnits(units, inst_size, rehost_size)
