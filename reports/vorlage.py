"""The Beschlussvorlage: the first pages of the board pack, a paper the IT-Planungsgremium decides on.

:func:`build_vorlage` turns the plan (and the options compared with it) into a header, sentences
(Gegenstand, Sachverhalt), an options table, a recommendation by an explicit rule
(:data:`plan.recommend.RULES`), the financial effects per Haushaltsjahr and payer, the top of the risk
register, a Beschlussvorschlag and the list of Anlagen. Every amount is cash unless it says
"kalkulatorisch"; risk costs are shown beside cash and never summed into it. Amounts are
rounded here (Mio. € / T€); the annex and the XLSX carry them to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from plan.models import Plan
from plan.recommend import DEFAULT_RULE, RULES, missed_deadlines
from plan.recommend import recommend as _recommend

from .messages import Translator
from .register import RiskEntry

__all__ = [
    "MUNICIPAL_KINDS",
    "FinanceRow",
    "Meeting",
    "OptionView",
    "Vorlage",
    "assumption_label",
    "build_vorlage",
    "option_view",
    "recommend",
]

MUNICIPAL_KINDS = ("Gemeinde", "Stadt", "Kreisstadt", "Landeshauptstadt")
"""Organisation kinds whose Einwohner are counted (Kreise are the sum of their Gemeinden)."""

TOP_RISKS = 5


@dataclass(frozen=True, slots=True)
class Meeting:
    """The header of the Vorlage (from the CLI: ``--gremium``, ``--sitzung``, ``--top``, ``--rule``)."""

    gremium: str = "IT-Planungsgremium Saar"
    sitzung: str = ""
    top: str = ""
    rule: str = DEFAULT_RULE


@dataclass(frozen=True, slots=True)
class OptionView:
    key: str
    name: str
    orgs: frozenset[str]
    """Participating organisations."""
    migrate: int
    first: str
    last: str
    tco_status_quo: Decimal
    tco_plan: Decimal
    tco_savings: Decimal
    npv_savings: Decimal
    one_off: Decimal
    risk_status_quo: Decimal
    risk_plan: Decimal
    missed: tuple[tuple[str, int], ...]
    """(kind, count) of hard deadlines missed: infeasible, exit, eol."""

    @property
    def eligible(self) -> bool:
        return not self.missed


@dataclass(frozen=True, slots=True)
class FinanceRow:
    year: int | None
    """None: the total row."""
    by_payer: dict[str, Decimal]
    one_off: Decimal
    recurring: Decimal
    total: Decimal
    status_quo: Decimal
    funding: Decimal
    """Fördermittel planned in the year (a transfer, not netted against the costs)."""
    risk: Decimal
    """Kalkulatorische Risikokosten of the plan in the year (beside, never in ``total``)."""


@dataclass
class Vorlage:
    header: list[tuple[str, str]]
    gegenstand: str
    sachverhalt: list[str]
    options: list[OptionView]
    scope_text: str
    scope_same: bool
    rule: str
    rule_text: str
    recommended: OptionView | None
    reasons: list[str]
    payers: tuple[str, ...]
    finance: list[FinanceRow]
    finance_total: FinanceRow
    finance_text: list[str]
    per_capita: list[tuple[str, str, Decimal | None]]
    """(label, kind "money"/"money_round"/"int", value) rows."""
    risks: list[RiskEntry]
    beschluss: list[str]
    anlagen: list[str]
    overdue_text: str | None = None
    warnings: list[str] = field(default_factory=list)


def option_view(plan: Plan, labels: list[str] | None = None) -> OptionView:
    c = plan.costs
    qs = sorted({a.quarter_label for a in plan.assignments if a.moves and a.quarter_label})
    return OptionView(
        key=plan.meta.scenario_id, name=plan.meta.scenario_name,
        orgs=frozenset(o.id for o in plan.organisations if o.participates),
        migrate=sum(a.moves for a in plan.assignments), first=qs[0] if qs else "–",
        last=qs[-1] if qs else "–", tco_status_quo=c.tco_status_quo, tco_plan=c.tco_plan,
        tco_savings=c.tco_status_quo - c.tco_plan, npv_savings=c.npv_savings, one_off=c.one_off,
        risk_status_quo=c.risk_status_quo, risk_plan=c.risk_plan, missed=missed_deadlines(plan))


def recommend(options: list[OptionView], rule: str = DEFAULT_RULE) -> OptionView | None:
    """The option the rule (:data:`plan.recommend.RULES`) picks: best figure among the eligible
    options (ties: the first listed).

    >>> from decimal import Decimal as D
    >>> a = OptionView("a", "A", frozenset(), 1, "", "", D(9), D(5), D(4), D(3), D(1), D(0), D(0), ())
    >>> b = OptionView("b", "B", frozenset(), 1, "", "", D(9), D(4), D(5), D(4), D(2), D(0), D(0), (("exit", 2),))
    >>> recommend([a, b]).key, recommend([a, b], "one_off").key
    ('a', 'a')
    """
    attr = RULES[rule].figure
    return _recommend(options, rule, figure=lambda o: getattr(o, attr), eligible=lambda o: o.eligible)


def assumption_label(key: str, t: Translator, names: dict[str, str]) -> str:
    """A readable name for a scenario figure's key path (the key itself stays in the XLSX).

    >>> assumption_label("targets.wahlen.annual_run_cost", Translator("de"), {"wahlen": "Wahlen"})
    'Wahlen: Betriebskosten je Instanz'
    >>> assumption_label("teams.by_year.2026.eigen_pd_per_quarter", Translator("de"), {})
    'Teamkapazität Eigenleistung 2026'
    """
    parts = key.split(".")
    head = parts[0]
    if head in ("targets", "data_centres") and len(parts) >= 3:
        msg = f"as.l.{head}.{'.'.join(parts[2:])}"
        return t(msg, x=names.get(parts[1], parts[1])) if t.has(msg) else key
    if head == "teams" and len(parts) == 4:
        return t(f"as.l.teams.by_year.{parts[3]}", x=parts[2])
    if head == "costs" and len(parts) == 3:
        return t(f"as.l.costs.{parts[1]}", x=parts[2])
    if head == "funding" and len(parts) == 2:
        return t("as.l.funding", x=t(f"funding.{parts[1]}") if t.has(f"funding.{parts[1]}") else parts[1])
    if head == "payers" and len(parts) == 2:
        return t("as.l.payers", x=int(parts[1]) + 1)
    return t(f"as.l.{key}") if t.has(f"as.l.{key}") else key


def assumption_value(value: str, t: Translator) -> str:
    """A register value as the reader's language writes it (the plan keeps plain notation).

    >>> t = Translator("de")
    >>> assumption_value("0.03", t), assumption_value("1100", t), assumption_value("2027-01-01", t)
    ('0,03', '1.100', '01.01.2027')
    """
    try:
        d = Decimal(value)
    except ArithmeticError:
        try:
            return t.date(date.fromisoformat(value))
        except ValueError:
            return value
    places = max(0, -d.as_tuple().exponent) if d.is_finite() else 0
    return t.number(d, int(places))


def _join(t: Translator, items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t('vl.and')} " + items[-1]


def build_vorlage(plan: Plan, options: tuple[Plan, ...], t: Translator, *, meeting: Meeting, as_of: date,
                  names: dict[str, str], register: list[RiskEntry], overdue: int, anlagen: list[str]) -> Vorlage:
    """The Vorlage for ``plan`` (the first of ``options``) in the language of ``t``."""
    meta = plan.meta
    mr = t.money_round
    views = [option_view(p) for p in options]
    this = views[0]
    orgs = plan.organisations
    participating = [o for o in orgs if o.participates]
    migrate = [a for a in plan.assignments if a.moves]
    years = list(plan.costs.years) or sorted({line.year for line in plan.costs.lines})
    y0, y1 = (years[0], years[-1]) if years else (meta.start.year, meta.start.year)

    header = [
        (t("vl.gremium"), meeting.gremium),
        (t("vl.sitzung"), meeting.sitzung or t("vl.not_given")),
        (t("vl.top"), meeting.top or t("vl.not_given")),
        (t("vl.nr"), " / ".join(v.key for v in views)),
        (t("vl.datum"), t.date(as_of)),
        (t("vl.stand"), t("vl.stand_value", inventory=meta.inventory_name, hash=meta.inventory_hash[:12],
                          start=t.date(meta.start))
         + (t("vl.stand_made", made=t.date(meta.as_of)) if meta.as_of else "")),
    ]

    gegenstand = t("vl.gegenstand", scenario=meta.scenario_name, orgs=t.number(len(participating)),
                   targets=t.number(len(plan.targets)), y0=y0, y1=y1)

    # Sachverhalt: what changes
    before = sum(m.products_before for m in plan.metrics)
    after = sum(m.products_after for m in plan.metrics)
    in_scope = [a for a in plan.assignments if a.decision != "out_of_scope"]
    dcs = sorted({t_.data_centre for t_ in plan.targets})
    rehosts = sum(a.decision == "rehost" for a in migrate)
    sach = [
        t("vl.s.today", orgs=t.number(len(participating)), systems=t.number(len(in_scope)),
          domains=t.number(len(plan.metrics)), before=t.number(before), after=t.number(after)),
        t("vl.s.moves", migrate=t.number(sum(a.decision == "migrate" for a in migrate)), first=this.first,
          last=this.last, targets=t.number(len(plan.targets)), dcs=t.number(len(dcs)),
          dc_names=_join(t, [names.get(d, d) for d in dcs]),
          rehost=t("vl.s.rehost", n=t.number(rehosts)) if rehosts else "",
          exceptions=t.number(sum(a.decision == "exception" for a in plan.assignments)),
          keep=t.number(sum(a.decision == "stay" and a.binding.kind == "standard" for a in plan.assignments)),
          kept=t.number(sum(a.decision == "stay" and a.binding.kind != "standard" for a in plan.assignments))),
    ]
    target_of = {tg.domain: tg.product_name for tg in plan.targets}
    biggest = sorted((m for m in plan.metrics if m.products_before > m.products_after and m.domain in target_of),
                     key=lambda m: (m.products_after - m.products_before, m.domain))[:3]
    if biggest:
        sach.append(t("vl.s.biggest", items=_join(t, [
            t("vl.s.biggest_item", domain=m.domain_name, before=t.number(m.products_before),
              after=t.number(m.products_after), target=target_of[m.domain]) for m in biggest])))
    outside = [o for o in orgs if not o.participates]
    sach.append(t("vl.s.who", n=t.number(len(participating)), total=t.number(len(orgs)))
                + (" " + t("vl.s.outside", names=_join(t, sorted(o.name for o in outside))) if outside else ""))
    leaving = [o for o in orgs if o.exit_date is not None]
    if leaving:
        stay = [o.name for o in leaving if o.continues_after_exit and o.participates]
        gone = [o.name for o in leaving if not (o.continues_after_exit and o.participates)]
        text = t("vl.s.exits", n=t.number(len(leaving)), date=t.date(min(o.exit_date for o in leaving)))
        if stay:
            text += " " + t("vl.s.exits_stay", names=_join(t, sorted(stay)))
        if gone:
            text += " " + t("vl.s.exits_gone", names=_join(t, sorted(gone)))
        sach.append(text)
    c = plan.costs
    sach.append(t("vl.s.money", sq=mr(c.tco_status_quo), plan=mr(c.tco_plan), saving=mr(c.tco_status_quo - c.tco_plan),
                  npv=mr(c.npv_savings), one_off=mr(c.one_off), years=len(years)))
    sach.append(t("vl.s.risk", plan=mr(c.risk_plan), sq=mr(c.risk_status_quo)))
    overdue_text = t("vl.overdue", n=t.number(overdue), date=t.date(as_of)) if overdue else None

    # Optionen
    warnings: list[str] = []
    scopes = {v.orgs for v in views}
    same = len(scopes) == 1
    if len(views) == 1:
        scope_text = t("vl.scope_single", n=t.number(len(this.orgs)))
    elif same:
        scope_text = t("vl.scope_same", n=t.number(len(this.orgs)))
    else:
        diffs = []
        for v in views[1:]:
            missing = sorted(names.get(o, o) for o in this.orgs - v.orgs)
            extra = sorted(names.get(o, o) for o in v.orgs - this.orgs)
            parts = []
            if missing:
                parts.append(t("vl.scope_without", names=_join(t, missing)))
            if extra:
                parts.append(t("vl.scope_with", names=_join(t, extra)))
            diffs.append(f"{v.name}: {'; '.join(parts)}")
        scope_text = t("vl.scope_differs", diffs="; ".join(diffs))
        warnings.append(scope_text)

    # Empfehlung
    rule = meeting.rule
    rule_text = t(f"vl.rule.{rule}")
    rec = recommend(views, rule)
    reasons: list[str] = []
    attr = RULES[rule].figure
    for v in views:
        if not v.eligible:
            reasons.append(t("vl.reason_excluded", name=v.name, missed=_join(t, [
                t(f"vl.missed.{kind}", n=t.number(n)) for kind, n in v.missed])))
    if rec is not None:
        others = [v for v in views if v is not rec and v.eligible]
        reasons.insert(0, t(f"vl.reason_best.{rule}", name=rec.name, value=mr(getattr(rec, attr))))
        for v in others:
            reasons.append(t(f"vl.reason_other.{rule}", name=v.name, value=mr(getattr(v, attr)),
                             diff=mr(abs(getattr(rec, attr) - getattr(v, attr)))))
        reasons.append(t("vl.reason_risk", name=rec.name, risk=mr(rec.risk_plan)))
        if not same:
            reasons.append(t("vl.reason_scope"))
    else:
        reasons.insert(0, t("vl.no_recommendation"))

    # Finanzielle Auswirkungen (this plan)
    payers = ("land", "zweckverband", "kommune")
    per: dict[int, dict] = defaultdict(lambda: {"payer": defaultdict(Decimal), "one_off": Decimal(0),
                                                "recurring": Decimal(0), "sq": Decimal(0), "risk": Decimal(0)})
    for line in c.lines:
        row = per[line.year]
        if line.kind == "risk":
            if line.scenario == "plan":
                row["risk"] += line.amount
            continue
        if line.scenario == "status_quo":
            row["sq"] += line.amount
            continue
        row["payer"][line.payer] += line.amount
        row["one_off" if line.category == "migration" else "recurring"] += line.amount
    funding: dict[int, Decimal] = defaultdict(Decimal)
    for f in plan.funding:
        funding[f.year] += f.amount
    finance = []
    for y in sorted(set(years) | set(per)):
        r = per[y]
        finance.append(FinanceRow(y, {p: r["payer"].get(p, Decimal(0)) for p in payers}, r["one_off"],
                                  r["recurring"], r["one_off"] + r["recurring"], r["sq"], funding.get(y, Decimal(0)),
                                  r["risk"]))
    total = FinanceRow(None, {p: sum((f.by_payer[p] for f in finance), Decimal(0)) for p in payers},
                       sum((f.one_off for f in finance), Decimal(0)), sum((f.recurring for f in finance), Decimal(0)),
                       sum((f.total for f in finance), Decimal(0)), sum((f.status_quo for f in finance), Decimal(0)),
                       sum((f.funding for f in finance), Decimal(0)), sum((f.risk for f in finance), Decimal(0)))
    gemeinden = [o for o in participating if o.kind in MUNICIPAL_KINDS]
    einwohner = sum(o.population or 0 for o in gemeinden)
    kommune = total.by_payer["kommune"]
    n_years = max(len(finance), 1)
    per_capita: list[tuple[str, str, Decimal | None]] = [
        (t("vl.pc.gemeinden"), "int", Decimal(len(gemeinden))),
        (t("vl.pc.einwohner"), "int", Decimal(einwohner) if einwohner else None),
        (t("vl.pc.kommune_total"), "money_round", kommune),
        (t("vl.pc.per_gemeinde_year"), "money_round",
         (kommune / len(gemeinden) / n_years).quantize(Decimal("0.01")) if gemeinden else None),
        (t("vl.pc.per_einwohner_year"), "money",
         (kommune / einwohner / n_years).quantize(Decimal("0.01")) if einwohner else None),
        (t("vl.pc.all_per_einwohner_year"), "money",
         (total.total / einwohner / n_years).quantize(Decimal("0.01")) if einwohner else None),
        (t("vl.pc.saving_per_einwohner_year"), "money",
         ((total.status_quo - total.total) / einwohner / n_years).quantize(Decimal("0.01")) if einwohner else None),
    ]
    finance_text = [
        t("vl.f.total", total=mr(total.total), y0=y0, y1=y1, land=mr(total.by_payer["land"]),
          zv=mr(total.by_payer["zweckverband"]), kommune=mr(kommune), one_off=mr(total.one_off),
          recurring=mr(total.recurring)),
        t("vl.f.funding", funding=mr(plan.funding_total)) if plan.funding_total else t("vl.f.no_funding"),
        t("vl.f.risk", risk=mr(total.risk)),
    ]

    # Beschlussvorschlag
    chosen = rec or this
    beschluss = [t("vl.b.intro", gremium=meeting.gremium)]
    if rec is not None:
        beschluss.append(t("vl.b.plan", name=rec.name, nr=rec.key))
        beschluss.append(t("vl.b.money", y0=y0, y1=y1, total=mr(total.total), land=mr(total.by_payer["land"]),
                           zv=mr(total.by_payer["zweckverband"]), kommune=mr(kommune))
                         if chosen is this else t("vl.b.money_other", name=rec.name))
        if plan.funding_total and chosen is this:
            beschluss.append(t("vl.b.funding", funding=mr(plan.funding_total)))
    else:
        beschluss.append(t("vl.b.none"))
    beschluss.append(t("vl.b.risks", n=t.number(min(TOP_RISKS, len(register)))))
    if overdue:
        beschluss.append(t("vl.b.overdue"))
    if not same:
        beschluss.append(t("vl.b.scope"))

    return Vorlage(
        header=header, gegenstand=gegenstand, sachverhalt=sach, options=views, scope_text=scope_text,
        scope_same=same, rule=rule, rule_text=rule_text, recommended=rec, reasons=reasons, payers=payers,
        finance=finance, finance_total=total, finance_text=finance_text, per_capita=per_capita,
        risks=register[:TOP_RISKS], beschluss=beschluss, anlagen=anlagen, overdue_text=overdue_text,
        warnings=warnings,
    )
