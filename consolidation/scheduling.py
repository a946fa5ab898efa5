"""Step "schedule", its input: the wave-scheduling problem of the move groups.

From the system table and the scenario: each group's release (the latest availability of a
target it moves onto), its deadline (an organisation's exit from the Zweckverband, then — with
a hard end of life — the earliest end of life of its systems), the blackout windows of its
domains, the onboarding it needs per target, the team and onboarding capacity per quarter.
The solver in :mod:`consolidation.schedule` sees only the arrays of the
:class:`~consolidation.schedule.ScheduleProblem`.

>>> from datetime import date
>>> from consolidation._examples import tiny_scenario
>>> s = tiny_scenario(blackouts=[{"id": "wahl", "domains": ["ewo"], "start": "2027-01-01", "end": "2027-06-30",
...                               "reason": "Wahl"}])
>>> [(w.id, w.quarters) for w in blackout_windows(s)]
[('wahl', (0, 1))]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np

from inventory.models import Landscape
from plan.calendar import quarter_of

from . import costs as C
from .condense import Condensation
from .scenario import Scenario
from .schedule import ScheduleProblem
from .systems import GroupCosts, SystemTable
from .targets import TargetMapping

__all__ = ["BlackoutWindow", "blackout_windows", "schedule_problem", "target_releases"]


class BlackoutWindow(NamedTuple):
    """A blackout window of the scenario and the plan's quarters it closes."""

    id: str
    domains: tuple[str, ...]
    start: date
    end: date
    reason: str
    quarters: tuple[int, ...]


def blackout_windows(scenario: Scenario) -> list[BlackoutWindow]:
    """The scenario's blackout windows (id order), each with the quarters of the horizon it touches
    (a window ``every_year`` in each year of the horizon and the year before)."""
    H = scenario.horizon_quarters
    out = []
    for b in sorted(scenario.blackouts, key=lambda b: b.id):
        spans = [(b.start, b.end)]
        if b.every_year:
            spans = []
            for k in range(-1, scenario.horizon_years + 1):
                try:
                    s = b.start.replace(year=scenario.start.year + k)
                    e = b.end.replace(year=s.year + (b.end.year - b.start.year))
                except ValueError:  # 29 February
                    continue
                spans.append((s, e))
        qs = sorted({q for s, e in spans for q in range(scenario.quarter_of(s), scenario.quarter_of(e) + 1)
                     if 0 <= q < H})
        out.append(BlackoutWindow(b.id, tuple(sorted(b.domains)), b.start, b.end, b.reason, tuple(qs)))
    return out


def schedule_problem(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, table: SystemTable,
                     costs: GroupCosts, graph: Condensation, windows: list[BlackoutWindow], *,
                     org_ids: list[str]) -> ScheduleProblem:
    """The scheduling problem of the move groups of ``graph`` (rows of ``table`` in group order)."""
    H = scenario.horizon_quarters
    groups = graph.groups
    target_ids = tuple(i.id for i in mapping.instances)
    release, release_reason = target_releases(scenario.start, mapping, table, len(groups))
    deadline, deadline_reason = _deadlines(landscape, scenario, table, graph, org_ids)
    caps = [scenario.capacity(q) for q in range(H)]
    n_t = max(len(target_ids), 1)
    with_target = table.target >= 0
    ob_key, ob_count = np.unique(table.group[with_target] * n_t + table.target[with_target], return_counts=True)
    return ScheduleProblem(
        horizon=H, groups=tuple(g.id for g in groups), eigen=costs.eigen, fremd=costs.fremd, release=release,
        release_reason=tuple(release_reason), deadline=deadline, deadline_reason=tuple(deadline_reason),
        cost=costs.cost, cap_eigen=np.array([round(e * 10) for e, _ in caps], np.int64),
        cap_fremd=np.array([round(f * 10) for _, f in caps], np.int64), edges=graph.edges,
        lag=scenario.scheduling.precedence_lag_quarters,
        windows=tuple((w.id, w.quarters) for w in windows), group_windows=_group_windows(table, windows),
        targets=target_ids, ob_cap=np.array([i.spec.onboarding_per_quarter for i in mapping.instances], np.int64),
        ob_group=(ob_key // n_t).astype(np.int64), ob_target=(ob_key % n_t).astype(np.int64),
        ob_count=ob_count.astype(np.int64), target_kind=tuple(i.spec.domain for i in mapping.instances),
    )


def target_releases(start: date, mapping: TargetMapping, table: SystemTable, n_groups: int, *,
                    live: Mapping[str, int] | None = None) -> tuple[np.ndarray, list[str]]:
    """Per group the latest availability of a target it moves onto (the first such target names it).

    A target is available from the scenario's ``available_from`` (default: the start, quarter 0); ``live``
    (target id → quarter, from the actuals) replaces that for a target that went live: from then on, earlier
    or later than the scenario assumed.
    """
    release = np.zeros(n_groups, np.int64)
    reason = ["start"] * n_groups
    live = live or {}
    t_release = [live[i.id] if i.id in live else
                 quarter_of(start, i.spec.available_from) if i.spec.available_from is not None else 0
                 for i in mapping.instances]
    target, group = table.target.tolist(), table.group.tolist()  # plain lists: read once per row
    for k in np.flatnonzero(table.target >= 0).tolist():
        t = target[k]
        gi = group[k]
        if t_release[t] > release[gi]:
            release[gi] = t_release[t]
            reason[gi] = mapping.instances[t].id
    return release, reason


def _deadlines(landscape: Landscape, scenario: Scenario, table: SystemTable, graph: Condensation,
               org_ids: list[str]) -> tuple[np.ndarray, list[str]]:
    """Per group the last quarter it may move in: an organisation's exit from the Zweckverband
    (unless it stays a customer), then — with a hard end of life — the earliest end of life."""
    H = scenario.horizon_quarters
    n_groups = len(graph.groups)
    deadline = np.full(n_groups, H - 1, np.int64)
    reason = ["horizon"] * n_groups
    exits = {o: org.zweckverband.exit_date for o, org in landscape.orgs.items()
             if org.zweckverband.exit_date is not None and o not in scenario.organisations.continue_after_exit}
    if exits:
        org_ix = {o: i for i, o in enumerate(org_ids)}
        exit_by_ix = {org_ix[o]: (scenario.quarter_of(day + timedelta(days=1)) - 1, f"exit:{o}")
                      for o, day in exits.items()}
        group = table.group.tolist()
        for k, o in enumerate(table.org.tolist()):
            if o in exit_by_ix:
                q, why = exit_by_ix[o]
                gi = group[k]
                if q < deadline[gi]:
                    deadline[gi], reason[gi] = q, why
    if scenario.scheduling.eol == "hard" and table.size:
        g_eol = np.minimum.reduceat(np.where(table.rehost, C.NO_EOL, table.eol_q), table.group_start)
        for gi in np.flatnonzero(g_eol < deadline).tolist():
            deadline[gi], reason[gi] = g_eol[gi], f"eol:{graph.groups[gi].id}"
    return deadline, reason


def _group_windows(table: SystemTable, windows: list[BlackoutWindow]) -> tuple[tuple[int, ...], ...]:
    """Per group the blackout windows (indexes) of its systems' domains."""
    n_groups = len(table.group_size)
    by_domain: dict[str, set[int]] = {}
    for w, b in enumerate(windows):
        for dom in b.domains:
            by_domain.setdefault(dom, set()).add(w)
    if not by_domain:
        return ((),) * n_groups
    dom_windows = {dom: tuple(sorted(ws)) for dom, ws in by_domain.items()}
    sys_windows = [dom_windows.get(dom, ()) for dom in table.domain]
    starts = table.group_start.tolist()
    return tuple(sys_windows[a] if b - a == 1 else tuple(sorted(set().union(*sys_windows[a:b])))
                 for a, b in zip(starts, (table.group_start + table.group_size).tolist()))
