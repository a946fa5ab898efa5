"""Step "costs per quarter", part one: the migrating systems as one table of arrays.

Every later step reads the migrating systems by row: the schedule's cost table and effort per
group, the deadlines, the TCO, the assignments. :class:`SystemTable` holds one row per migrating
system in move-group order (each group's systems sorted, so a group's rows are contiguous) as
numpy arrays — at Germany scale 500,000 rows cost a few array operations, not Python objects.
:class:`GroupCosts` is what the schedule needs per group: the cost of each quarter and the effort.

>>> from consolidation._examples import tiny_landscape, tiny_scenario
>>> from consolidation.condense import condense, dependency_arrays
>>> from consolidation.targets import map_targets
>>> L, S = tiny_landscape(), tiny_scenario()
>>> m = map_targets(L, S)
>>> migrating = [s for s, d in m.decisions.items() if d.decision == "migrate"]
>>> groups = condense(dependency_arrays(L, systems=migrating), tight=S.scheduling.tight_coupling).groups
>>> table = system_table(L, S, m, groups, org_ids=sorted(L.orgs))
>>> table.ids, table.group.tolist(), table.target.tolist()
(('a.iam', 'a.mail', 'b.iam', 'b.mail'), [0, 1, 2, 3], [-1, 0, -1, 0])
>>> group_costs(table, S).cost.shape
(4, 8)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from common.types import Betriebsart
from inventory.models import Landscape, System

from . import costs as C
from .graph import Group
from .scenario import Scenario
from .targets import TargetMapping, migration_effort

__all__ = ["GroupCosts", "SystemTable", "group_costs", "rehost_eol", "system_table"]


@dataclass(frozen=True, eq=False)
class SystemTable:
    """One row per migrating system (order of ``ids``: move-group order)."""

    ids: tuple[str, ...]
    org: np.ndarray
    """Index into the organisation ids (sorted)."""
    group: np.ndarray
    """Index of the move group."""
    annual: np.ndarray
    """Legacy annual cost (EUR)."""
    has_contract: np.ndarray
    end_next: np.ndarray
    """Month index of the first month after a fixed contract end, -1 if open-ended."""
    notice: np.ndarray
    renewal: np.ndarray
    eol_q: np.ndarray
    """Last quarter whose end is on or before the end of life (``costs.NO_EOL`` if none)."""
    rehost: np.ndarray
    """Moved unchanged into a data centre (no standard target)."""
    eigen_pd: np.ndarray
    fremd_pd: np.ndarray
    eigen_run: np.ndarray
    """The legacy system is run by the organisation itself (Eigenleistung)."""
    target: np.ndarray
    """Index into the mapping's target instances, -1 for a rehost."""
    domain: tuple[str, ...]
    group_start: np.ndarray
    """Per move group, its first row."""
    group_size: np.ndarray
    """Per move group, its number of rows."""

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class GroupCosts:
    """Per move group: the weighted cost of moving in each quarter (whole EUR, groups × quarters)
    and its effort (tenths of person-days) — the schedule's objective and capacity use."""

    cost: np.ndarray
    eigen: np.ndarray
    fremd: np.ndarray


def system_table(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, groups: Sequence[Group], *,
                 org_ids: list[str]) -> SystemTable:
    """The migrating systems of ``groups`` as a :class:`SystemTable` (contracts, end of life,
    migration effort, organisation, target)."""
    order = [s for g in groups for s in g.systems]
    n, n_groups = len(order), len(groups)
    sizes = np.fromiter((len(g.systems) for g in groups), np.int64, n_groups)
    org_ix = {o: i for i, o in enumerate(org_ids)}
    t_ix = {inst.id: i for i, inst in enumerate(mapping.instances)}
    default_annual = float(scenario.costs.legacy_annual_cost_default)
    cols = _Columns(n)
    # a fixed end counts to the last day of its month (a contract ending on 1 March is paid for March)
    month_after = functools.cache(lambda day: C.month_index(day) + 1)
    quarter_of_end = functools.cache(lambda day: scenario.quarter_of(day + timedelta(days=1)) - 1)
    efforts: dict[tuple[int, str, bool], tuple[float, float]] = {}  # depends on users, complexity, same product
    systems, dec = landscape.systems, mapping.decisions
    eigen = Betriebsart.EIGENLEISTUNG
    for k, sid in enumerate(order):
        s = systems[sid]
        d = dec[sid]
        cols.org[k] = org_ix[d.org]
        cols.domain[k] = d.domain
        cols.eigen_run[k] = s.betriebsart == eigen
        ct = s.contract
        if ct is not None:
            cols.annual[k] = float(ct.annual_cost)
            cols.has_contract[k] = True
            cols.notice[k] = ct.notice_months
            cols.renewal[k] = ct.renewal_months
            if ct.end is not None:
                cols.end_next[k] = month_after(ct.end)
        else:
            cols.annual[k] = default_annual
        eol = s.end_of_life
        if d.target is None:
            cols.rehost[k] = True
            eol = rehost_eol(landscape, s)
        else:
            cols.target[k] = t_ix[d.target]
        if eol is not None:
            cols.eol_q[k] = quarter_of_end(eol)
        key = (s.users, s.complexity, d.same_product)
        e = efforts.get(key)
        if e is None:
            e = efforts[key] = migration_effort(s, scenario, same_product=d.same_product)
        cols.eigen_pd[k], cols.fremd_pd[k] = e
    return SystemTable(
        ids=tuple(order), org=np.array(cols.org, np.int64), group=np.repeat(np.arange(n_groups, dtype=np.int64), sizes),
        annual=np.array(cols.annual, float), has_contract=np.array(cols.has_contract, bool),
        end_next=np.array(cols.end_next, np.int64), notice=np.array(cols.notice, np.int64),
        renewal=np.array(cols.renewal, np.int64), eol_q=np.array(cols.eol_q, np.int64),
        rehost=np.array(cols.rehost, bool), eigen_pd=np.array(cols.eigen_pd, float),
        fremd_pd=np.array(cols.fremd_pd, float), eigen_run=np.array(cols.eigen_run, bool),
        target=np.array(cols.target, np.int64), domain=tuple(cols.domain), group_start=np.cumsum(sizes) - sizes,
        group_size=sizes,
    )


def rehost_eol(landscape: Landscape, system: System) -> date | None:
    """The end of life that counts for a system rehosted unchanged: its host's operating system's
    (the workload keeps its software; what runs out of support is the OS under it); None without a host."""
    h = landscape.hosts.get(system.hosting.host) if system.hosting.host else None
    return h.os.end_of_life if h is not None else None


class _Columns:
    """The table's columns as plain lists while they are filled (list items are set several
    times faster than numpy elements)."""

    __slots__ = ("annual", "domain", "eigen_pd", "eigen_run", "end_next", "eol_q", "fremd_pd", "has_contract",
                 "notice", "org", "rehost", "renewal", "target")

    def __init__(self, n: int) -> None:
        self.annual = [0.0] * n
        self.has_contract = [False] * n
        self.end_next = [-1] * n
        self.notice = [0] * n
        self.renewal = [0] * n
        self.eol_q = [C.NO_EOL] * n
        self.rehost = [False] * n
        self.eigen_pd = [0.0] * n
        self.fremd_pd = [0.0] * n
        self.eigen_run = [False] * n
        self.org = [0] * n
        self.target = [-1] * n
        self.domain: list[str] = [""] * n


def group_costs(table: SystemTable, scenario: Scenario) -> GroupCosts:
    """Sum the systems' cost table (:func:`consolidation.costs.cost_table`) and effort per move group."""
    starts = table.group_start
    if not table.size:
        return GroupCosts(np.zeros((0, scenario.horizon_quarters), np.int64), np.zeros(0, np.int64),
                          np.zeros(0, np.int64))
    per_system = C.cost_table(table, scenario)  # systems × quarters: freed when the sums are made
    cost = np.add.reduceat(per_system, starts, axis=0)
    del per_system
    return GroupCosts(cost, np.rint(np.add.reduceat(table.eigen_pd * 10, starts)).astype(np.int64),
                      np.rint(np.add.reduceat(table.fremd_pd * 10, starts)).astype(np.int64))
