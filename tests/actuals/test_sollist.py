"""Soll/Ist counting on small literal cases: per quarter, per domain, slippage, causes, burn-ups."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from actuals.claims import claims_of
from actuals.models import Actuals, Evidence, MilestoneDelivered, SystemProgress, TargetLive
from actuals.sollist import soll_ist
from plan.models import Assignment, BindingConstraint, FundingRelease, Reason

START = date(2026, 1, 1)
B = BindingConstraint(kind="dependency", reason=Reason(kind="dependency", params={}))


def _a(system: str, quarter: int, domain: str = "ewo", target: str | None = "t.ewo", progress=None) -> Assignment:
    return Assignment(system=system, org=system.split(".")[0], domain=domain, product_before="alt", decision="migrate",
                      target=target, quarter=quarter, schutzbedarf="normal", binding=B, progress=progress)


def _done(system: str, day: date) -> SystemProgress:
    return SystemProgress(system=system, status="migrated", date=day)


SOLL = (_a("a.x", 0), _a("a.y", 0, "mail", "t.mail"), _a("b.x", 1), _a("b.y", 1, "mail", "t.mail"), _a("c.x", 3))
ACT = Actuals(
    systems={"a.x": _done("a.x", date(2026, 2, 1)),
             "a.y": _done("a.y", date(2026, 5, 2)),  # planned Q1, done Q2: late, the mail target went live late
             "b.x": SystemProgress(system="b.x", status="postponed", reason="Wahl", not_before=date(2026, 10, 1)),
             "b.y": SystemProgress(system="b.y", status="in_progress", date=date(2026, 6, 1)),
             "c.x": _done("c.x", date(2026, 6, 3))},  # planned Q4, done Q2: early
    targets={"t.mail": TargetLive(target="t.mail", live=date(2026, 4, 20))},
    reported=date(2026, 6, 30))


def test_soll_ist_counts_per_quarter_and_domain():
    s = soll_ist(SOLL, ACT, as_of=date(2026, 6, 30), start=START, domain_names={"ewo": "Einwohnerwesen"})
    assert [(r.label, r.planned, r.delivered, r.delivered_on_time, r.planned_cum, r.delivered_cum)
            for r in s.quarters] == [("2026-Q1", 2, 1, 1, 2, 1), ("2026-Q2", 2, 2, 0, 4, 3)]
    assert (s.planned_due, s.delivered_due, s.delivered_total) == (4, 2, 3)
    assert [(d.domain, d.name, d.planned_due, d.delivered_due, d.late, d.delivered_early) for d in s.domains] == [
        ("ewo", "Einwohnerwesen", 2, 1, 1, 1), ("mail", "mail", 2, 1, 1, 0)]
    # (quarter, domain, planned in it, delivered in it): c.x (planned 2026-Q4) counts as delivered in 2026-Q2
    assert s.matrix == [(0, "ewo", 1, 1), (0, "mail", 1, 0), (1, "ewo", 1, 1), (1, "mail", 1, 1)]


def test_soll_ist_late_items_carry_their_cause_and_slip():
    s = soll_ist(SOLL, ACT, as_of=date(2026, 6, 30), start=START)
    late = {x.system: (x.cause, x.item.slip, x.item.slip_is_lower_bound, x.reason, x.since) for x in s.late}
    assert late == {
        "b.x": ("postponed", 1, True, "Wahl", None),  # at least until the first open quarter (2026-Q3)
        "b.y": ("in_progress", 1, True, "", date(2026, 6, 1)),
        "a.y": ("target_late", 1, False, "", date(2026, 4, 20)),
    }
    assert [(e.system, e.slip) for e in s.early] == [("c.x", -2)]
    assert s.causes == {"postponed": 1, "in_progress": 1, "target_late": 1}


def test_soll_ist_takes_new_quarters_and_the_forecast_from_the_current_plan():
    current = (_a("a.x", 0, progress="done"), _a("a.y", 1, "mail", "t.mail", "done"), _a("b.x", 4),
               _a("b.y", 2, "mail", "t.mail", "in_progress"), _a("c.x", 1, progress="done"))
    s = soll_ist(SOLL, ACT, as_of=date(2026, 6, 30), start=START, current=current)
    late = {x.system: (x.item.new_label, x.item.slip, x.item.slip_is_lower_bound) for x in s.late
            if x.item.actual_date is None}
    assert late == {"b.x": ("2027-Q1", 3, False), "b.y": ("2026-Q3", 1, False)}
    burn = {p.label: (p.soll, p.ist, p.forecast) for p in s.burn_systems}
    assert burn == {"2026-Q1": (2, 1, None), "2026-Q2": (4, 3, 3), "2026-Q3": (4, None, 4),
                    "2026-Q4": (5, None, 4), "2027-Q1": (5, None, 5)}


def test_soll_ist_funding_burnup_follows_the_claims():
    rel = (FundingRelease(year=2026, quarter=0, milestone="live.ewo", amount=Decimal(100),
                          reason=Reason(kind="target_live", params={})),
           FundingRelease(year=2026, quarter=1, milestone="live.mail", amount=Decimal(50),
                          reason=Reason(kind="target_live", params={})))
    act = ACT.model_copy(update={"milestones": {"live.ewo": MilestoneDelivered(
        milestone="live.ewo", delivered=date(2026, 3, 1), claimed=date(2026, 5, 1),
        evidence=(Evidence(kind="document", ref="Protokoll"),))}})
    claims = claims_of(rel, SOLL, act, as_of=date(2026, 6, 30), start=START)
    s = soll_ist(SOLL, act, as_of=date(2026, 6, 30), start=START, funding=rel, claims=claims)
    assert [(p.label, p.soll, p.ist, p.extra) for p in s.burn_funding][:2] == [
        ("2026-Q1", 100.0, 100.0, 0.0), ("2026-Q2", 150.0, 100.0, 100.0)]
    assert (s.funding_planned_due, s.funding_nachgewiesen, s.funding_abgerufen) == (150, 100, 100)
