"""Cost arithmetic: the schedule's cost table, 10-year TCO and NPV.

All per-system arithmetic is vectorised with numpy over the
:class:`~consolidation.systems.SystemTable` (one row per migrating system), so 500,000
systems cost a few array operations, not Python objects.

Contracts (the day rules, also in ``docs/planner.md``): a contract ends on the last day of a
month; notice is due by the last day of the month ``notice_months`` before that end. Notice
can be given at the earliest on the plan's start day, so the earliest end is the last day of
the month ``notice_months`` after the start month (start 2026-01-01, three months: notice by
2026-01-31, end 2026-04-30). A system cut over at the end of quarter ``q`` ends its legacy
contract at the first contract end (fixed end plus whole renewal periods, or any month for an
open-ended contract) that lies on or after the cut-over *and* on or after that earliest end.
A fixed end in the middle of a month counts to that month's last day. A fixed-term contract
without renewal (``renewal_months: 0``) ends by itself at its end: it needs no notice. The months between cut-over and the end are **double running** (for a rehost
only the hosting share of the contract, ``costs.legacy_hosting_share``: its licences stay);
choosing a later end than needed is never planned, so every notice deadline lies on or after
the start.

>>> import numpy as np
>>> months = contract_end_month(np.array([24300]), end_next=np.array([24312]), notice=np.array([3]),
...                             renewal=np.array([12]), cutover=np.array([24306]))
>>> months.tolist()
[24312]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from plan.models import RISK_CATEGORIES

from .scenario import Scenario

if TYPE_CHECKING:
    from .systems import SystemTable

__all__ = [
    "CostBreakdown",
    "contract_end_month",
    "cost_table",
    "double_running_share",
    "money",
    "month_date",
    "month_index",
    "needs_notice",
    "npv",
    "payer_rule",
    "standing_lines",
    "tco",
]

Lines = dict[tuple[str, str, int, str], np.ndarray]
"""Cost lines: (scenario, category, org index (-1 shared), betriebsart) → EUR per year."""

NO_EOL = 10**6
_BLOCK = 16384
"""Rows per block in :func:`cost_table`."""


def month_index(d: date) -> int:
    """Months since year 0 (``2027-03-15`` → 2027*12 + 2)."""
    return d.year * 12 + d.month - 1


def month_date(m: int) -> date:
    return date(m // 12, m % 12 + 1, 1)


def money(x: float) -> Decimal:
    """EUR with cents, never negative (rounding noise below zero becomes 0).

    Formatting with two places rounds the float exactly as ``round(x, 2)`` does (half-even on
    its binary value) and is four times faster; a plan has hundreds of thousands of amounts.

    >>> money(2.675), money(12.5), money(-1e-9)
    (Decimal('2.67'), Decimal('12.50'), Decimal('0.00'))
    """
    return Decimal(f"{max(x, 0.0):.2f}")


def contract_end_month(start_m: np.ndarray | int, *, end_next: np.ndarray, notice: np.ndarray, renewal: np.ndarray,
                       cutover: np.ndarray) -> np.ndarray:
    """Month index at which the legacy contract ends when cut over in month ``cutover``.

    ``end_next`` is -1 for open-ended contracts (terminable to any month after the notice).
    Notice is given at the earliest in the start month, so a contract that needs notice ends at
    the earliest at month ``start_m + notice + 1`` (its notice deadline, the last day of month
    ``end - notice - 1``, then lies on or after the start).

    >>> contract_end_month(24300, end_next=np.array([-1]), notice=np.array([3]), renewal=np.array([0]),
    ...                    cutover=np.array([24303])).tolist()  # start Jan 2025, cut over end of March
    [24304]
    """
    earliest = np.maximum(cutover, start_m + notice + 1)
    fixed = end_next >= 0
    r = np.maximum(renewal, 1)
    k = np.maximum(0, -((end_next - earliest) // r))  # ceil((earliest - end)/r)
    with_renewal = end_next + k * renewal
    no_renewal = np.maximum(end_next, cutover)
    t = np.where(fixed, np.where(renewal > 0, with_renewal, no_renewal), earliest)
    return np.maximum(t, cutover)


def cost_table(sa: SystemTable, scenario: Scenario) -> np.ndarray:
    """Weighted schedule cost (EUR, int64) of cutting over each system in each quarter (systems × quarters).

    Terms: ``weights.double_running`` × legacy contract months paid after the cut-over,
    ``weights.eol_lateness`` × ``costs.eol_penalty_per_quarter`` × quarters of the horizon past end of
    life, ``weights.delay`` × the avoidable legacy run cost of each quarter waited.
    """
    H = scenario.horizon_quarters
    w = scenario.weights
    c = scenario.costs
    start_m = month_index(scenario.start)
    q = np.arange(H)[None, :]
    cutover = start_m + 3 * (q + 1)
    out = np.empty((len(sa.annual), H), np.int64)
    share = double_running_share(sa, scenario)
    # in row blocks: the temporaries are a dozen systems × quarters arrays
    for a in range(0, len(sa.annual), _BLOCK):
        b = slice(a, a + _BLOCK)
        end = contract_end_month(start_m, end_next=sa.end_next[b, None], notice=sa.notice[b, None],
                                 renewal=sa.renewal[b, None], cutover=cutover)
        monthly = sa.annual[b, None] / 12.0
        dr = np.where(sa.has_contract[b, None], (end - cutover) * monthly * share[b, None], 0.0)
        late = np.maximum(0, q - np.maximum(sa.eol_q[b, None], -1))  # quarters of the horizon only
        eol = late * float(c.eol_penalty_per_quarter)
        avoidable = np.where(sa.rehost[b], sa.annual[b] * c.legacy_hosting_share, sa.annual[b]) / 4.0
        delay = avoidable[:, None] * q
        total = w.double_running * dr + w.eol_lateness * eol + w.delay * delay
        out[b] = np.rint(total)
    return out


@dataclass(frozen=True, eq=False)
class CostBreakdown:
    """Per-system plan figures for the chosen quarters."""

    contract_end: np.ndarray
    """Month index the legacy contract ends (cut-over month for systems without contract)."""
    late_quarters: np.ndarray
    one_off: np.ndarray
    """One-off migration cost (EUR)."""


def _overlap(a: np.ndarray, b: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Months of [a, b) (month indexes) falling in each year: systems × years."""
    ys = years[None, :] * 12
    return np.clip(np.minimum(b[:, None], ys + 12) - np.maximum(a[:, None], ys), 0, None)


def npv(amounts_by_year: np.ndarray, rate: float) -> float:
    """Net present value with year 0 undiscounted.

    >>> round(npv(np.array([100.0, 100.0]), 0.1), 2)
    190.91
    """
    f = (1.0 + rate) ** -np.arange(len(amounts_by_year))
    return float((amounts_by_year * f).sum())


def _add(lines: Lines, scen: str, cat: str, org: np.ndarray, eigen: np.ndarray, per_year: np.ndarray,
         n_orgs: int) -> None:
    """Add systems' EUR per year (rows) to their organisation's lines, split by betriebsart."""
    n_years = per_year.shape[1]
    for flag, tag in ((True, "Eigenleistung"), (False, "Fremdleistung")):
        sel = eigen == flag
        if not sel.any():
            continue
        o_sel, y_sel = org[sel], per_year[sel]
        # per year a bincount: the same sums in the same order as np.add.at, many times faster
        acc = np.stack([np.bincount(o_sel, weights=y_sel[:, y], minlength=n_orgs) for y in range(n_years)], axis=1)
        for o in np.flatnonzero(acc.any(axis=1)).tolist():
            key = (scen, cat, o, tag)
            lines[key] = lines.get(key, np.zeros(n_years)) + acc[o]


def _years(scenario: Scenario) -> np.ndarray:
    return np.arange(scenario.start.year, scenario.start.year + scenario.horizon_years)


def _eol_penalty(scenario: Scenario, eol_q: np.ndarray, last_q: np.ndarray) -> np.ndarray:
    """EOL risk cost per year for quarters (eol_q, last_q] inside the horizon."""
    H = scenario.horizon_quarters
    qs = np.arange(H)
    late = (qs[None, :] > eol_q[:, None]) & (qs[None, :] <= last_q[:, None])
    per_q = late * float(scenario.costs.eol_penalty_per_quarter)
    return per_q.reshape(len(eol_q), H // 4, 4).sum(axis=2)


def _whole_horizon(scenario: Scenario, n: int) -> tuple[np.ndarray, np.ndarray]:
    start_m = month_index(scenario.start)
    return np.full(n, start_m), np.full(n, start_m + 3 * scenario.horizon_quarters)


def standing_lines(sa: SystemTable, scenario: Scenario, *, n_orgs: int, staying_annual: np.ndarray,
                   staying_eigen: np.ndarray, staying_org: np.ndarray, staying_eol: np.ndarray) -> Lines:
    """The cost lines that do not depend on the schedule: the whole status quo, and in the plan
    the in-scope systems that do not migrate (exceptions, kept). :func:`tco` adds the rest.

    Parameters
    ----------
    sa
        Migrating systems.
    staying_* : arrays over the in-scope systems that do not migrate.
    """
    H = scenario.horizon_quarters
    years = _years(scenario)
    lines: Lines = {}
    # status quo: every in-scope system runs its legacy contract for the whole horizon
    a0, b0 = _whole_horizon(scenario, len(sa.ids))
    _add(lines, "status_quo", "run_legacy", sa.org, sa.eigen_run, _overlap(a0, b0, years) * (sa.annual / 12)[:, None],
         n_orgs)
    _add(lines, "status_quo", "eol_penalty", sa.org, np.zeros(len(sa.ids), bool),
         _eol_penalty(scenario, sa.eol_q, np.full(len(sa.ids), H)), n_orgs)
    a1, b1 = _whole_horizon(scenario, len(staying_annual))
    stay_year = _overlap(a1, b1, years) * (staying_annual / 12)[:, None]
    stay_eol = _eol_penalty(scenario, staying_eol, np.full(len(staying_eol), H))
    for scen in ("status_quo", "plan"):
        _add(lines, scen, "run_legacy", staying_org, staying_eigen, stay_year, n_orgs)
        _add(lines, scen, "eol_penalty", staying_org, np.zeros(len(staying_org), bool), stay_eol, n_orgs)
    return lines


def tco(sa: SystemTable, quarter: np.ndarray, scenario: Scenario, *, n_orgs: int, standing: Lines,
        target_runs: list[tuple[int | None, int, float, bool]], rehost_hosting: np.ndarray
        ) -> tuple[Lines, CostBreakdown]:
    """All cost lines: ``standing`` (:func:`standing_lines`, not changed) and the plan's lines
    of the migrating systems, the target instances and their tenants.

    Parameters
    ----------
    sa, quarter
        Migrating systems and their chosen quarters.
    target_runs : list of (org index or None, go-live month, annual EUR, eigen?)
        Run costs of target instances (org None) and tenants.
    rehost_hosting : per migrating system, annual data-centre cost after the cut-over (rehost only).
    """
    H = scenario.horizon_quarters
    start_m = month_index(scenario.start)
    end_m = start_m + 3 * H
    years = _years(scenario)
    n_years = len(years)
    lines = dict(standing)
    EIG, FRE = "Eigenleistung", "Fremdleistung"
    a0, b0 = _whole_horizon(scenario, len(sa.ids))

    def add(scen: str, cat: str, org: np.ndarray, eigen: np.ndarray, per_year: np.ndarray) -> None:
        _add(lines, scen, cat, org, eigen, per_year, n_orgs)

    cut = start_m + 3 * (quarter + 1)
    cend = contract_end_month(start_m, end_next=sa.end_next, notice=sa.notice, renewal=sa.renewal, cutover=cut)
    cend = np.where(sa.has_contract, cend, cut)
    monthly = sa.annual / 12
    hosting_share = double_running_share(sa, scenario)
    legacy = _overlap(a0, cut, years) * monthly[:, None] * hosting_share[:, None]
    legacy += _overlap(a0, b0, years) * (monthly * (1 - hosting_share))[:, None]  # licences kept when rehosting
    add("plan", "run_legacy", sa.org, sa.eigen_run, legacy)
    add("plan", "double_running", sa.org, sa.eigen_run, _overlap(cut, cend, years) * (monthly * hosting_share)[:, None])
    add("plan", "run_target", sa.org, np.zeros(len(sa.ids), bool),
        _overlap(cut, b0, years) * (rehost_hosting / 12)[:, None])
    # the objective's EOL term, unweighted: every quarter up to the cut-over past the end of life
    # (a rehost's: its host's operating system), inside the horizon
    late = np.maximum(0, quarter - np.maximum(sa.eol_q, -1))
    add("plan", "eol_penalty", sa.org, np.zeros(len(sa.ids), bool), _eol_penalty(scenario, sa.eol_q, quarter))
    qyear = np.minimum((start_m + 3 * quarter) // 12 - years[0], n_years - 1)
    one_e, one_f = one_off_costs(sa, scenario)
    onehot = np.zeros((len(sa.ids), n_years))
    onehot[np.arange(len(sa.ids)), qyear] = 1.0
    add("plan", "migration", sa.org, np.ones(len(sa.ids), bool), onehot * one_e[:, None])
    add("plan", "migration", sa.org, np.zeros(len(sa.ids), bool), onehot * one_f[:, None])
    # target instances and tenants, added to their line in the order given
    if target_runs:
        live_m = np.array([r[1] for r in target_runs], np.int64)
        annual = np.array([r[2] for r in target_runs], float)
        per_year = _overlap(live_m, np.full(len(live_m), end_m), years) * annual[:, None] / 12
        keys: dict[tuple[str, str, int, str], int] = {}
        row = np.array([keys.setdefault(("plan", "run_target", -1 if org is None else org, EIG if eigen else FRE),
                                        len(keys)) for org, _, _, eigen in target_runs], np.int64)
        acc = np.zeros((len(keys), n_years))
        for key, j in keys.items():
            if key in lines:
                acc[j] = lines[key]
        np.add.at(acc, row, per_year)  # unbuffered, in row order: the same sums as one run at a time
        for key, j in keys.items():
            lines[key] = acc[j]
    return lines, CostBreakdown(contract_end=cend, late_quarters=late, one_off=one_e + one_f)


def double_running_share(sa: SystemTable, scenario: Scenario) -> np.ndarray:
    """Per system the share of its legacy contract the cut-over ends: all of it, or for a rehost
    the hosting share (``costs.legacy_hosting_share``; the licences stay)."""
    return np.where(sa.rehost, scenario.costs.legacy_hosting_share, 1.0)


def needs_notice(sa: SystemTable) -> np.ndarray:
    """Per system: its contract needs notice (open-ended, or renewed unless terminated); a fixed-term
    contract without renewal ends by itself."""
    return sa.has_contract & ~((sa.end_next >= 0) & (sa.renewal == 0))


def one_off_costs(sa: SystemTable, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """One-off migration cost per system (EUR): (Eigenleistung, Fremdleistung) person-days at their day rates."""
    c = scenario.costs
    return sa.eigen_pd * float(c.day_rate_eigen), sa.fremd_pd * float(c.day_rate_fremd)


def last_day_before(m: int) -> date:
    """The last day of the month before month index ``m``."""
    return month_date(m) - timedelta(days=1)


def payer_rule(scenario: Scenario, org_kinds: list[str]):
    """``payer(category, org index) -> "land" | "zweckverband" | "kommune" | None`` by the scenario's
    payer rules (first match); org index -1 is a shared line; risk categories have no payer (None).

    >>> from consolidation._examples import tiny_scenario
    >>> payer = payer_rule(tiny_scenario(), ["Gemeinde", "Land"])
    >>> payer("run_legacy", 0), payer("run_legacy", 1), payer("run_target", -1), payer("eol_penalty", 0)
    ('kommune', 'land', 'zweckverband', None)
    """
    from functools import cache

    rules = scenario.payers

    @cache
    def payer(category: str, org: int) -> str | None:
        if category in RISK_CATEGORIES:
            return None
        kind = None if org < 0 else org_kinds[org]
        return next(r.payer for r in rules if r.matches(category, kind))

    return payer
