"""The risk register (Risikoregister): every risk derived from the plan, scored by a stated rule.

Each :class:`RiskEntry` has a Beschreibung, an Ursache, an Eintrittswahrscheinlichkeit and an
Auswirkung on an ordinal scale 1–4 (gering, mittel, hoch, sehr hoch), a Maßnahme, a
Verantwortlich (a role) and the affected organisations/systems. The rule (:data:`RULE`):

Eintrittswahrscheinlichkeit
    4 — the plan itself schedules it (systems past support, data centres ≥ 99 % full, overdue
    migrations, an exit that is decided, no feasible plan); 3 — a planned resource at ≥ 90 %
    of its capacity or an exception not coordinated with the Zweckverband; 2 — data of
    unknown quality, members leaving who stay customers; 1 — coordinated exceptions.
Auswirkung
    by the share of the systems in scope affected: ≥ 10 % → 4, ≥ 3 % → 3, ≥ 1 % → 2, else 1;
    a data centre ≥ 90 % full affects every system placed there; no feasible plan → 4.
Rang
    Eintrittswahrscheinlichkeit × Auswirkung, ties by the number of systems affected.

>>> from reports.messages import Translator
>>> impact(120, 1000), impact(5, 1000)
(4, 1)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from plan.calendar import quarter_label, quarter_of
from plan.models import Plan

from .messages import Translator

__all__ = ["LEVELS", "EolCapacity", "RiskEntry", "eol_capacity", "impact", "risk_register"]

LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class RiskEntry:
    key: str
    """Stable kind of risk (eol, capacity, dc, confidence, exit, exception, conflict, overdue)."""
    beschreibung: str
    ursache: str
    wahrscheinlichkeit: int
    auswirkung: int
    massnahme: str
    verantwortlich: str
    betroffen: str
    """Affected organisations/systems (names; long lists shortened, the XLSX has all systems)."""
    systems: int
    """Number of systems affected."""

    @property
    def rang(self) -> int:
        return self.wahrscheinlichkeit * self.auswirkung


@dataclass(frozen=True, slots=True)
class EolCapacity:
    """What more team capacity would move the capacity-bound late systems before their support ends."""

    movable: int
    """Systems that migrate after their end of support only because the team capacity is used up."""
    held: dict[str, int]
    """Binding constraint kind → late systems it holds (all late systems)."""
    past_at_start: int
    """Late systems whose support ended before the plan starts (no capacity helps)."""
    extra: tuple[tuple[str, float, float], ...]
    """(quarter label, extra Eigenleistung PT, extra Fremdleistung PT): in the last quarter before each
    system's end of support, in quarter order."""

    @property
    def extra_eigen(self) -> float:
        return sum(e for _, e, _ in self.extra)

    @property
    def extra_fremd(self) -> float:
        return sum(f for _, _, f in self.extra)


def impact(affected: int, in_scope: int) -> int:
    """Auswirkung 1–4 by the share of the systems in scope affected (see :data:`RULE`)."""
    share = affected / in_scope if in_scope else 0.0
    return 4 if share >= 0.10 else 3 if share >= 0.03 else 2 if share >= 0.01 else 1


def eol_capacity(plan: Plan) -> EolCapacity:
    """Computed from the plan: for each system migrated after its end of support and held by team
    capacity (``binding.kind == "capacity"``), its effort is needed additionally in the last
    quarter that ends on or before its end of support. Systems held by other constraints
    (dependencies, target availability, blackouts, onboarding) are not moved by more capacity.
    """
    late = [a for a in plan.assignments if a.migrated_after_eol and a.end_of_life is not None]
    held = Counter(a.binding.kind for a in late)
    extra: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    movable = past = 0
    for a in late:
        q = quarter_of(plan.meta.start, a.end_of_life + timedelta(days=1)) - 1  # type: ignore[operator]
        if q < 0:
            past += 1
            continue
        if a.binding.kind != "capacity":
            continue
        movable += 1
        extra[q][0] += a.effort_eigen_pd
        extra[q][1] += a.effort_fremd_pd
    return EolCapacity(movable=movable, held=dict(sorted(held.items())), past_at_start=past,
                       extra=tuple((quarter_label(plan.meta.start, q), round(e, 1), round(f, 1))
                                   for q, (e, f) in sorted(extra.items())))


def _names(items: list[str], t: Translator, limit: int = 6) -> str:
    items = sorted(dict.fromkeys(items))
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + " " + t("reg.and_more", n=t.number(len(items) - limit))


def risk_register(plan: Plan, t: Translator, *, names: dict[str, str], low_confidence: list[str] | None = None,
                  overdue: list[str] | None = None, as_of: date | None = None,
                  hotspot: float = 0.9) -> list[RiskEntry]:
    """Every risk of ``plan``, highest rank first.

    Parameters
    ----------
    names
        Id → display name (organisations, systems, data centres).
    low_confidence
        Systems whose inventory data are of unknown quality (None: inventory not loaded).
    overdue
        Systems planned to migrate in quarters that ended before ``as_of``.
    """
    in_scope = sum(a.decision != "out_of_scope" for a in plan.assignments) or 1
    by_id = {a.system: a for a in plan.assignments}

    def orgs_of(systems: list[str]) -> str:
        return _names([names.get(by_id[s].org, by_id[s].org) for s in systems if s in by_id], t)

    out: list[RiskEntry] = []
    # systems running past vendor support before their migration
    late = [a for a in plan.assignments if a.migrated_after_eol]
    if late:
        cap = eol_capacity(plan)
        held = "; ".join(t("reg.held", n=t.number(n), kind=t(f"binding.{k}") if t.has(f"binding.{k}") else k)
                         for k, n in sorted(cap.held.items(), key=lambda kv: -kv[1]))
        risk = sum((line.amount for line in plan.costs.lines if line.scenario == "plan" and line.kind == "risk"),
                   start=0)
        extra = ", ".join(f"{q}: +{t.number(e, 0)}/+{t.number(f, 0)} PT" for q, e, f in cap.extra[:4])
        if len(cap.extra) > 4:
            extra += " " + t("reg.and_more", n=t.number(len(cap.extra) - 4))
        massnahme = t("reg.eol.measure", n=t.number(len(late)), risk=t.money_round(risk))
        if cap.movable:
            massnahme += " " + t("reg.eol.capacity", movable=t.number(cap.movable), eigen=t.number(cap.extra_eigen),
                                 fremd=t.number(cap.extra_fremd), quarters=extra)
        out.append(RiskEntry(
            "eol", t("reg.eol.desc", n=t.number(len(late))), t("reg.eol.cause", held=held), 4,
            impact(len(late), in_scope), massnahme, t("role.fachverfahren"), orgs_of([a.system for a in late]),
            len(late)))
    # capacity bottleneck quarters
    hot = []
    for w in plan.waves:
        for res, eff, capa in (("eigen", w.effort_eigen_pd, w.capacity_eigen_pd),
                               ("fremd", w.effort_fremd_pd, w.capacity_fremd_pd)):
            if capa and eff / capa >= hotspot:
                hot.append((w, res, eff / capa))
    if hot:
        quarters = sorted({w.label for w, _, _ in hot})
        systems = sum(w.systems for w in {w.quarter: w for w, _, _ in hot}.values())
        out.append(RiskEntry(
            "capacity", t("reg.capacity.desc", n=t.number(len(quarters)), pct=t.percent(hotspot, 0)),
            t("reg.capacity.cause", quarters=_names(quarters, t)), 3, impact(systems, in_scope),
            t("reg.capacity.measure"), t("role.programm"), _names(quarters, t), systems))
    # data centres planned ≥ 90 % full
    placed = Counter(a.data_centre for a in plan.assignments if a.data_centre)
    for d in plan.data_centres:
        uses = [(res, used / capa) for res, used, capa in (("vcpu", d.used_vcpu, d.capacity_vcpu),
                                                           ("ram", d.used_ram_gb, d.capacity_ram_gb),
                                                           ("storage", d.used_storage_tb, d.capacity_storage_tb))
                if capa and used / capa >= hotspot]
        if not uses:
            continue
        worst = max(u for _, u in uses)
        what = ", ".join(f"{t('col.use_' + res)} {t.percent(u)}" for res, u in uses)
        out.append(RiskEntry(
            f"dc.{d.id}", t("reg.dc.desc", dc=d.name, what=what), t("reg.dc.cause"), 4 if worst >= 0.99 else 3,
            max(3, impact(placed[d.id], in_scope)), t("reg.dc.measure"), t("role.rz"), d.name, placed[d.id]))
    # data of unknown quality
    if low_confidence:
        out.append(RiskEntry(
            "confidence", t("reg.confidence.desc", n=t.number(len(low_confidence))), t("reg.confidence.cause"), 2,
            impact(len(low_confidence), in_scope), t("reg.confidence.measure"), t("role.inventar"),
            orgs_of(low_confidence), len(low_confidence)))
    # exits from the Zweckverband
    leaving = [o for o in plan.organisations if o.exit_date is not None]
    for group, w in (([o for o in leaving if not o.continues_after_exit], 4),
                     ([o for o in leaving if o.continues_after_exit], 2)):
        if not group:
            continue
        ids = {o.id for o in group}
        n = sum(1 for a in plan.assignments if a.org in ids)
        key = "exit" if w == 4 else "exit_customer"
        out.append(RiskEntry(
            key, t(f"reg.{key}.desc", n=t.number(len(group)), date=t.date(min(o.exit_date for o in group))),
            t(f"reg.{key}.cause"), w, impact(n, in_scope), t(f"reg.{key}.measure"), t("role.zv"),
            _names([o.name for o in group], t), n))
    # exceptions
    for coordinated, w in ((False, 3), (True, 1)):
        exc = [e for e in plan.exceptions if e.coordinated == coordinated]
        if not exc:
            continue
        systems = [s for e in exc for s in e.systems]
        key = "exception_coordinated" if coordinated else "exception"
        out.append(RiskEntry(
            key, t(f"reg.{key}.desc", n=t.number(len(exc)), systems=t.number(len(systems))),
            t("reg.exception.cause"), w, impact(len(systems), in_scope), t(f"reg.{key}.measure"), t("role.gremium"),
            _names([names.get(e.org, e.org) for e in exc if e.org], t), len(systems)))
    # infeasibilities
    if not plan.feasible or plan.conflicts:
        out.append(RiskEntry(
            "conflict", t("reg.conflict.desc", n=t.number(len(plan.conflicts))),
            "; ".join(c.explanation for c in plan.conflicts[:3]) or t("doc.infeasible"), 4, 4,
            t("reg.conflict.measure"), t("role.programm"), "", in_scope))
    # migrations planned before the report's date and not done
    if overdue:
        out.append(RiskEntry(
            "overdue", t("reg.overdue.desc", n=t.number(len(overdue)), date=t.date(as_of)), t("reg.overdue.cause"), 4,
            impact(len(overdue), in_scope), t("reg.overdue.measure"), t("role.programm"), orgs_of(overdue),
            len(overdue)))
    out.sort(key=lambda r: (-r.rang, -r.systems, r.key))
    return out
