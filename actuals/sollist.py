"""Soll/Ist: what a plan said would be migrated by a day (Soll) against what the actuals report (Ist).

:func:`soll_ist` counts, it never re-plans. Soll is the plan of reference (usually the plan the
board adopted, or the one of its last meeting); Ist are the actuals up to the day. With the
current (re-planned) plan, late systems get their new quarter and the burn-up its forecast.

* per quarter and per domain: migrations planned and delivered; a system counts as delivered in the
  quarter of its cut-over day (status ``migrated``, day ≤ as-of);
* slippage in quarters per system: delivered quarter − planned quarter (negative: early); for a late
  system not yet delivered: its new quarter in the current plan − planned quarter, or without one the
  first open quarter − planned quarter (a lower bound);
* late items with their cause: postponed (the recorded reason), in progress since a day, the target
  instance live late, or no report at all;
* burn-ups: systems migrated (Soll cumulative over the horizon, Ist up to the day, forecast of the
  current plan after it) and funding (planned cumulative, nachgewiesen and abgerufen from the claims).

>>> from datetime import date
>>> from actuals.models import Actuals, SystemProgress
>>> from plan.models import Assignment, BindingConstraint, Reason
>>> b = BindingConstraint(kind="dependency", reason=Reason(kind="dependency", params={}))
>>> moves = [Assignment(system=f"a.{i}", org="a", domain="ewo", product_before="x", decision="migrate",
...                     quarter=q, schutzbedarf="normal", binding=b) for i, q in enumerate((0, 0, 1))]
>>> act = Actuals(systems={"a.0": SystemProgress(system="a.0", status="migrated", date=date(2026, 2, 1))})
>>> s = soll_ist(moves, act, as_of=date(2026, 3, 31), start=date(2026, 1, 1))
>>> [(r.label, r.planned, r.delivered) for r in s.quarters]
[('2026-Q1', 2, 1)]
>>> [(x.system, x.cause) for x in s.late]
[('a.1', 'no_report')]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from plan.calendar import quarter_label, quarter_of, quarter_start
from plan.models import Assignment, FundingRelease

from .claims import Claims
from .models import Actuals

__all__ = ["BurnPoint", "DomainRow", "LateItem", "QuarterRow", "SlipItem", "SollIst", "soll_ist"]

Cause = Literal["postponed", "in_progress", "target_late", "no_report", "delivered_late"]
"""Why a system is late: postponed (with the recorded reason), in_progress (since a day), target_late (its
target instance went live after the planned quarter), no_report (the actuals say nothing of it),
delivered_late (delivered, but in a later quarter than planned)."""


@dataclass(frozen=True, slots=True)
class QuarterRow:
    """One quarter up to the day: migrations planned in it and delivered in it."""

    quarter: int
    label: str
    planned: int
    delivered: int
    delivered_on_time: int
    """Of the planned ones, delivered in that quarter or earlier."""
    planned_cum: int
    delivered_cum: int


@dataclass(frozen=True, slots=True)
class DomainRow:
    """One domain: migrations due by the day (planned in a quarter that has ended) and what became of them."""

    domain: str
    name: str
    planned_due: int
    delivered_due: int
    """Of the due ones, delivered by the day."""
    late: int
    """Due, not delivered by the day."""
    delivered_early: int
    """Delivered by the day though planned for a quarter after it."""
    mean_slip: float | None
    """Mean slippage in quarters over the due systems (delivered or not; None without any)."""


@dataclass(frozen=True, slots=True)
class SlipItem:
    """One system whose delivery differs from the plan (late or early)."""

    system: str
    org: str
    domain: str
    planned_quarter: int
    planned_label: str
    actual_date: date | None
    """The cut-over day, when delivered by the day."""
    new_quarter: int | None
    """The quarter the current plan gives it (None without a current plan or when delivered)."""
    new_label: str | None
    slip: int
    """Quarters late (negative: early)."""
    slip_is_lower_bound: bool
    """True when not delivered and no current plan says when: at least this late."""


@dataclass(frozen=True, slots=True)
class LateItem:
    """A late system with its cause."""

    item: SlipItem
    cause: Cause
    reason: str = ""
    """postponed: the recorded reason (free text from the progress file)."""
    since: date | None = None
    """in_progress: the day work started; target_late: the day the target went live (or None: not yet)."""
    not_before: date | None = None
    """postponed: the earliest day to continue."""
    target: str | None = None

    @property
    def system(self) -> str:
        return self.item.system


@dataclass(frozen=True, slots=True)
class BurnPoint:
    """A quarter of a burn-up: cumulative values at its end (None where there is nothing to show)."""

    quarter: int
    label: str
    soll: float
    ist: float | None
    forecast: float | None = None
    extra: float | None = None
    """Funding: abgerufen (the Ist line is nachgewiesen + abgerufen)."""


@dataclass(slots=True)
class SollIst:
    """Everything the report's Soll/Ist section shows; figures equal the actuals by construction."""

    as_of: date
    as_of_quarter: int
    as_of_label: str
    quarters: list[QuarterRow]
    domains: list[DomainRow]
    slips: list[SlipItem]
    late: list[LateItem]
    early: list[SlipItem]
    burn_systems: list[BurnPoint]
    burn_funding: list[BurnPoint] = field(default_factory=list)
    planned_due: int = 0
    delivered_due: int = 0
    delivered_total: int = 0
    """Systems of the plan reported migrated by the day (on time, late or early)."""
    causes: dict[str, int] = field(default_factory=dict)
    """Late items per cause."""
    funding_planned_due: Decimal = Decimal(0)
    """Planned funding of milestones whose quarter has ended by the day."""
    funding_nachgewiesen: Decimal = Decimal(0)
    """Claimable and called off (nachgewiesen + abgerufen), from the claims."""
    funding_abgerufen: Decimal = Decimal(0)
    reported: date | None = None
    actuals_hash: str = ""
    matrix: list[tuple[int, str, int, int]] = field(default_factory=list)
    """(quarter, domain, planned in it, delivered in it) for every quarter up to the day with either."""


def _ended(start: date, quarter: int, as_of: date) -> bool:
    """The quarter has ended on or before ``as_of`` (its last day is ≤ as_of)."""
    return quarter_start(start, quarter + 1) - timedelta(days=1) <= as_of


def soll_ist(soll: Iterable[Assignment], actuals: Actuals, *, as_of: date, start: date,
             current: Iterable[Assignment] | None = None, domain_names: Mapping[str, str] | None = None,
             funding: Iterable[FundingRelease] = (), claims: Claims | None = None) -> SollIst:
    """Soll (the plan's migrations) against Ist (the actuals) as of ``as_of``.

    Parameters
    ----------
    soll : the assignments of the plan of reference (only ``migrate`` ones with a quarter count).
    actuals : what happened; systems reported migrated after ``as_of`` do not count.
    as_of : the day.
    start : the plan's start (quarter 0).
    current : the assignments of the current (re-planned) plan: new quarters of late systems and the forecast.
    domain_names : domain id → name.
    funding, claims : the plan's funding releases and their claims as of the day: the funding burn-up.

    Returns
    -------
    SollIst
    """
    names = dict(domain_names or {})
    moves = [a for a in soll if a.moves and a.quarter is not None]
    now = {a.system: a for a in current or ()}
    as_q = quarter_of(start, as_of)
    done: dict[str, date] = {s: p.date for s, p in actuals.systems.items()
                             if p.status == "migrated" and p.date is not None and p.date <= as_of}
    # the first quarter no longer open for a move not yet made: the as-of quarter unless it has ended
    first_open = as_q + 1 if _ended(start, as_q, as_of) else as_q
    last_q = max([a.quarter for a in moves if a.quarter is not None] + [as_q, 0])
    first_q = min([a.quarter for a in moves if a.quarter is not None] + [quarter_of(start, d) for d in done.values()]
                  + [as_q])
    first_q = max(first_q, 0)

    planned_q: Counter[int] = Counter(a.quarter for a in moves)
    delivered_q: Counter[int] = Counter(quarter_of(start, done[a.system]) for a in moves if a.system in done)
    on_time_q: Counter[int] = Counter(a.quarter for a in moves
                                      if a.system in done and quarter_of(start, done[a.system]) <= a.quarter)
    quarters, pc, dc = [], 0, 0
    for q in range(as_q + 1):
        pc += planned_q[q]
        dc += delivered_q[q]
        if q >= first_q:
            quarters.append(QuarterRow(q, quarter_label(start, q), planned_q[q], delivered_q[q], on_time_q[q], pc, dc))

    slips: list[SlipItem] = []
    late: list[LateItem] = []
    for a in sorted(moves, key=lambda a: (a.quarter, a.system)):
        due = _ended(start, a.quarter, as_of)
        day = done.get(a.system)
        if day is not None:
            slip = quarter_of(start, day) - a.quarter
            if slip:
                slips.append(SlipItem(a.system, a.org, a.domain, a.quarter, quarter_label(start, a.quarter), day,
                                      None, None, slip, False))
            continue
        if not due:
            continue
        new = now.get(a.system)
        new_q = new.quarter if new is not None and new.quarter is not None and new.progress != "done" else None
        slip = (new_q if new_q is not None else first_open) - a.quarter
        item = SlipItem(a.system, a.org, a.domain, a.quarter, quarter_label(start, a.quarter), None, new_q,
                        quarter_label(start, new_q) if new_q is not None else None, slip, new_q is None)
        slips.append(item)
        late.append(_cause(item, a, actuals, start))
    for s in slips:
        if s.actual_date is not None and s.slip > 0:
            a = next(m for m in moves if m.system == s.system)
            late.append(_cause(s, a, actuals, start, delivered=True))
    early = [s for s in slips if s.slip < 0]

    by_dom: dict[str, list[Assignment]] = defaultdict(list)
    for a in moves:
        by_dom[a.domain].append(a)
    slip_of = {s.system: s.slip for s in slips}
    domains = []
    for d, rows in sorted(by_dom.items(), key=lambda kv: names.get(kv[0], kv[0])):
        due = [a for a in rows if _ended(start, a.quarter, as_of)]
        if not due and not any(a.system in done for a in rows):
            continue
        d_done = sum(1 for a in due if a.system in done)
        slips_d = [slip_of.get(a.system, 0) for a in due]
        domains.append(DomainRow(d, names.get(d, d), len(due), d_done, len(due) - d_done,
                                 sum(1 for a in rows if a.system in done and not _ended(start, a.quarter, as_of)
                                     and quarter_of(start, done[a.system]) < a.quarter),
                                 sum(slips_d) / len(slips_d) if slips_d else None))

    # burn-up of systems: Soll over the horizon, Ist to the day, forecast of the current plan after it
    horizon = max([last_q] + [a.quarter for a in now.values() if a.quarter is not None and a.moves])
    # forecast: delivered by the day + the plan's systems not yet delivered, in the current plan's quarters
    soll_ids = {m.system for m in moves}
    fc_q: Counter[int] = Counter(a.quarter for a in now.values() if a.moves and a.quarter is not None
                                 and a.system in soll_ids and a.system not in done)
    delivered_now = sum(1 for a in moves if a.system in done)
    burn = []
    for q in range(first_q, horizon + 1):
        pc = sum(v for k, v in planned_q.items() if k <= q)
        dc = sum(v for k, v in delivered_q.items() if k <= q)
        ist = float(dc) if q <= as_q else None
        fc = float(delivered_now + sum(v for k, v in fc_q.items() if k <= q)) if now and q >= as_q else None
        burn.append(BurnPoint(q, quarter_label(start, q), float(pc), ist, fc))

    out = SollIst(
        as_of=as_of, as_of_quarter=as_q, as_of_label=quarter_label(start, as_q), quarters=quarters, domains=domains,
        slips=slips, late=late, early=early, burn_systems=burn,
        planned_due=sum(1 for a in moves if _ended(start, a.quarter, as_of)),
        delivered_due=sum(1 for a in moves if _ended(start, a.quarter, as_of) and a.system in done),
        delivered_total=sum(1 for a in moves if a.system in done),
        causes=dict(Counter(x.cause for x in late)), reported=actuals.reported, actuals_hash=actuals.content_hash,
    )
    cells: defaultdict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for a in moves:
        if a.quarter <= as_q:
            cells[a.quarter, a.domain][0] += 1
        if a.system in done:
            cells[quarter_of(start, done[a.system]), a.domain][1] += 1
    out.matrix = [(q, d, p, i) for (q, d), (p, i) in sorted(cells.items())]
    funding = tuple(funding)
    if funding:
        _funding_burn(out, funding, claims, start, first_q, horizon)
    return out


def _funding_burn(out: SollIst, funding: tuple[FundingRelease, ...], claims: Claims | None, start: date,
                  first_q: int, horizon: int) -> None:
    planned: defaultdict[int, Decimal] = defaultdict(Decimal)
    for f in funding:
        planned[f.quarter] += f.amount
    proven: defaultdict[int, Decimal] = defaultdict(Decimal)
    called: defaultdict[int, Decimal] = defaultdict(Decimal)
    for c in claims.claims if claims else ():
        if c.claimable and c.delivered is not None:
            proven[quarter_of(start, c.delivered)] += c.amount
        if c.claimed is not None:
            called[quarter_of(start, c.claimed)] += c.amount
    horizon = max([horizon, *planned])
    as_q = out.as_of_quarter
    for q in range(min([first_q, *planned]), horizon + 1):
        out.burn_funding.append(BurnPoint(
            q, quarter_label(start, q), float(sum(v for k, v in planned.items() if k <= q)),
            float(sum(v for k, v in proven.items() if k <= q)) if claims and q <= as_q else None,
            extra=float(sum(v for k, v in called.items() if k <= q)) if claims and q <= as_q else None))
    out.funding_planned_due = sum((f.amount for f in funding if _ended(start, f.quarter, out.as_of)), Decimal(0))
    if claims:
        out.funding_nachgewiesen = claims.totals.nachgewiesen + claims.totals.abgerufen
        out.funding_abgerufen = claims.totals.abgerufen


def _cause(item: SlipItem, a: Assignment, actuals: Actuals, start: date, *, delivered: bool = False) -> LateItem:
    p = actuals.systems.get(a.system)
    if p is not None and p.status == "postponed" and not delivered:
        return LateItem(item, "postponed", reason=p.reason or "", not_before=p.not_before)
    if p is not None and p.status == "in_progress" and not delivered:
        return LateItem(item, "in_progress", since=p.date)
    if a.target is not None:
        live = actuals.targets.get(a.target)
        planned_end = quarter_start(start, a.quarter + 1)
        if live is not None and live.live >= planned_end:
            return LateItem(item, "target_late", since=live.live, target=a.target)
    if delivered:
        return LateItem(item, "delivered_late", reason=(p.reason or "") if p else "")
    return LateItem(item, "no_report")
