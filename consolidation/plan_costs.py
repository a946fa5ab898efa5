"""Step "costs": the status quo (beside the schedule) and the plan's 10-year TCO and NPV (after it).

The status quo and the in-scope systems that do not migrate do not depend on the schedule:
:func:`status_quo` computes their cost lines while the schedule is solved. With the schedule,
:func:`plan_costs` adds the migrating systems (double running, EOL risk, one-off effort,
rehosting), the target instances from their go-live and their tenants, and sums both scenarios
into the plan's :class:`~plan.models.CostSummary`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import numpy as np

from common.types import Betriebsart
from inventory.models import Landscape
from plan.models import RISK_CATEGORIES, CostLine, CostSummary

from . import costs as C
from ._construct import builder
from .placement import Size
from .scenario import Scenario
from .systems import SystemTable
from .targets import TargetMapping

__all__ = ["PlanCosts", "StatusQuo", "go_live", "plan_costs", "status_quo"]


@dataclass(frozen=True, eq=False)
class StatusQuo:
    """The cost lines that do not depend on the schedule."""

    standing: C.Lines
    """Status quo of every in-scope system, and in the plan the systems that do not migrate."""
    lines: list[CostLine]
    """The status quo's lines as models, in (year, org, category, betriebsart) order."""
    total: np.ndarray
    """The status quo per year."""


@dataclass(frozen=True, eq=False)
class PlanCosts:
    summary: CostSummary
    breakdown: C.CostBreakdown
    """Per migrating system: its legacy contract's end, quarters after its end of life, one-off cost."""
    hosting: dict[str, float]
    """Per target instance: its data centre's annual cost for its size (EUR)."""


def years_of(scenario: Scenario) -> tuple[int, ...]:
    return tuple(range(scenario.start.year, scenario.start.year + scenario.horizon_years))


def status_quo(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, table: SystemTable, *,
               org_ids: list[str]) -> StatusQuo:
    """The status quo's cost lines, and the plan's lines of the in-scope systems that stay."""
    systems, dec = landscape.systems, mapping.decisions
    org_ix = {o: i for i, o in enumerate(org_ids)}
    default_annual = float(scenario.costs.legacy_annual_cost_default)
    staying = sorted(s for s, d in dec.items() if d.decision in ("exception", "stay"))
    st_annual = np.array([float(systems[s].contract.annual_cost) if systems[s].contract else default_annual
                          for s in staying])
    st_eigen = np.array([systems[s].betriebsart.value == "Eigenleistung" for s in staying], bool)
    st_org = np.array([org_ix[dec[s].org] for s in staying], np.int64)
    st_eol = np.array([scenario.quarter_of(systems[s].end_of_life + timedelta(days=1)) - 1
                       if systems[s].end_of_life else C.NO_EOL for s in staying], np.int64)
    standing = C.standing_lines(table, scenario, n_orgs=len(org_ids), staying_annual=st_annual,
                                staying_eigen=st_eigen, staying_org=st_org, staying_eol=st_eol)
    lines, total, _, _ = _scenario_lines(standing, "status_quo", years_of(scenario), org_ids, builder(CostLine),
                                         payer_of(landscape, scenario, org_ids))
    return StatusQuo(standing, lines, total)


def payer_of(landscape: Landscape, scenario: Scenario, org_ids: list[str]) -> Callable[[str, int], str | None]:
    """Who pays a cash line (category, org index) by the scenario's payer rules; None for a risk line."""
    return C.payer_rule(scenario, [landscape.orgs[o].kind.value for o in org_ids])


def go_live(table: SystemTable, quarter: np.ndarray, mapping: TargetMapping, horizon: int) -> dict[str, int]:
    """Per target instance the first quarter a system moves onto it (instances nobody uses are left out)."""
    with_target = table.target >= 0
    t_first = np.full(len(mapping.instances), horizon, np.int64)
    np.minimum.at(t_first, table.target[with_target], quarter[with_target])
    return {mapping.instances[t].id: int(q) for t, q in enumerate(t_first.tolist()) if q < horizon}


def plan_costs(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, table: SystemTable,
               quarter: np.ndarray, before: StatusQuo, *, live: Mapping[str, int], where: Mapping[str, str],
               home_dc: Mapping[str, str], target_size: Mapping[str, Size], rehost_size: Mapping[str, Size],
               org_ids: list[str]) -> PlanCosts:
    """The plan's cost lines and both scenarios' totals for the schedule ``quarter`` (per system)."""
    dc_spec = {d.id: d for d in scenario.data_centres}
    runs, hosting = _target_runs(scenario, mapping, table, quarter, live, where, target_size, n_orgs=len(org_ids))
    rehost_cost = _rehost_hosting(table, rehost_size, {o: dc_spec[dc] for o, dc in home_dc.items()}, org_ids)
    lines_raw, breakdown = C.tco(table, quarter, scenario, n_orgs=len(org_ids), standing=before.standing,
                                 target_runs=runs, rehost_hosting=rehost_cost)
    years = years_of(scenario)
    plan_lines, plan_total, eig_total, fre_total = _scenario_lines(
        lines_raw, "plan", years, org_ids, builder(CostLine), payer_of(landscape, scenario, org_ids))
    del lines_raw
    rate = float(scenario.costs.discount_rate)
    npv_sq, npv_plan = C.npv(before.total, rate), C.npv(plan_total, rate)
    cost_lines = plan_lines + before.lines  # in (scenario, year, org, category, betriebsart) order
    # The sums a reader can check are the sums of the lines as written (to the cent), not of the floats.
    sums: dict[tuple[str, str], Decimal] = {}
    for ln in cost_lines:
        k = (ln.scenario, "migration" if ln.category == "migration" else ln.kind)
        sums[k] = sums.get(k, Decimal(0)) + ln.amount
    zero = Decimal("0.00")
    summary = CostSummary(
        years=years,
        tco_status_quo=sums.get(("status_quo", "cash"), zero) + sums.get(("status_quo", "migration"), zero),
        tco_plan=sums.get(("plan", "cash"), zero) + sums.get(("plan", "migration"), zero),
        one_off=sums.get(("plan", "migration"), zero), npv_status_quo=C.money(npv_sq), npv_plan=C.money(npv_plan),
        npv_savings=Decimal(str(round(npv_sq - npv_plan, 2))), eigen_total=C.money(eig_total),
        fremd_total=C.money(fre_total), risk_status_quo=sums.get(("status_quo", "risk"), zero),
        risk_plan=sums.get(("plan", "risk"), zero), lines=tuple(cost_lines),
    )
    return PlanCosts(summary, breakdown, hosting)


def _target_runs(scenario: Scenario, mapping: TargetMapping, table: SystemTable, quarter: np.ndarray,
                 live: Mapping[str, int], where: Mapping[str, str], target_size: Mapping[str, Size], *, n_orgs: int
                 ) -> tuple[list[tuple[int | None, int, float, bool]], dict[str, float]]:
    """Running the target instances from their go-live and their tenants from their first system:
    (org index or None, first month, EUR per year, Eigenleistung); and each instance's hosting cost."""
    H, start_m = scenario.horizon_quarters, C.month_index(scenario.start)
    dc_spec = {d.id: d for d in scenario.data_centres}
    runs: list[tuple[int | None, int, float, bool]] = []
    hosting = {}
    for inst in mapping.instances:
        dcs = dc_spec[where[inst.id]]
        v, r, st = target_size[inst.id]
        hosting[inst.id] = (v * float(dcs.cost_per_vcpu_year) + r * float(dcs.cost_per_gb_ram_year)
                            + st / 1000 * float(dcs.cost_per_tb_year))
        if inst.id in live:
            runs.append((None, start_m + 3 * live[inst.id], float(inst.spec.annual_run_cost) + hosting[inst.id],
                         inst.spec.betriebsart.value == "Eigenleistung"))
    with_target = table.target >= 0
    n_o = max(n_orgs, 1)
    tenant_key, tenant_inv = np.unique(table.target[with_target] * n_o + table.org[with_target], return_inverse=True)
    tenant_first = np.full(len(tenant_key), H, np.int64)
    np.minimum.at(tenant_first, tenant_inv.reshape(-1), quarter[with_target])
    for key, q in zip(tenant_key.tolist(), tenant_first.tolist()):  # (target, org) order
        sp = mapping.instances[key // n_o].spec
        runs.append((key % n_o, start_m + 3 * q, float(sp.run_cost_per_tenant), sp.betriebsart.value == "Eigenleistung"))
    return runs, hosting


def _rehost_hosting(table: SystemTable, rehost_size: Mapping[str, Size], home_spec: Mapping, org_ids: list[str]
                    ) -> np.ndarray:
    """Per migrating system the annual hosting cost of a rehosted workload in its organisation's home."""
    rehost_cost = np.zeros(table.size)
    rk = np.flatnonzero(table.rehost)
    if len(rk):
        size = np.array([rehost_size[table.ids[k]] for k in rk.tolist()], float).reshape(-1, 3)
        org_ix = {o: i for i, o in enumerate(org_ids)}
        per_org = np.zeros((len(org_ids), 3))
        for o, dcs in home_spec.items():
            per_org[org_ix[o]] = (float(dcs.cost_per_vcpu_year), float(dcs.cost_per_gb_ram_year),
                                  float(dcs.cost_per_tb_year))
        rate = per_org[table.org[rk]]
        rehost_cost[rk] = size[:, 0] * rate[:, 0] + size[:, 1] * rate[:, 1] + size[:, 2] / 1000 * rate[:, 2]
    return rehost_cost


def _scenario_lines(lines: C.Lines, scen: str, years: tuple[int, ...], org_ids: list[str],
                    cost_line: Callable[..., CostLine], payer: Callable[[str, int], str | None]
                    ) -> tuple[list[CostLine], np.ndarray, float, float]:
    """One scenario's cost lines as models, and its cash totals: per year (for the NPV), Eigenleistung,
    Fremdleistung. ``payer(category, org index)`` says who pays a cash line (None: a risk line).

    The models come in (year, org, category, betriebsart) order: the lines sorted by (org
    index — shared lines, -1, first —, category, betriebsart), then year by year. The amounts
    are nearly all distinct: a cache of ``money`` would only cost memory.
    """
    money = C.money
    keys = sorted(k for k in lines if k[0] == scen)  # (scenario, category, org, betriebsart): the totals' order
    total = np.zeros(len(years))
    eig = fre = 0.0
    for key in keys:
        per_year = lines[key]
        if key[1] in RISK_CATEGORIES:
            continue
        total += per_year
        if key[3] == "Eigenleistung":
            eig += float(per_year.sum())
        else:
            fre += float(per_year.sum())
    tags = {t.value: t for t in Betriebsart}
    ks = sorted(keys, key=lambda k: (k[2], k[1], k[3]))
    per_year = np.array([lines[k] for k in ks]).reshape(len(ks), len(years))
    line_of = [(cat, None if o < 0 else org_ids[o], tags[tag], payer(cat, o)) for _, cat, o, tag in ks]
    out = []
    yy, kk = np.nonzero((per_year > 0.005).T)
    for y, k, amount in zip(yy.tolist(), kk.tolist(), per_year[kk, yy].tolist()):
        cat, org, tag, who = line_of[k]
        out.append(cost_line(year=years[y], org=org, scenario=scen, category=cat,
                             kind="cash" if who is not None else "risk", payer=who, betriebsart=tag,
                             amount=money(amount)))
    return out, total, eig, fre
