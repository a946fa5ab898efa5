"""The report's view of a plan: every figure, table and chart input, derived once.

:func:`build_context` reads a :class:`~plan.models.Plan` (plus, optionally, its
inventory and a second plan for comparison or the previous snapshot) and returns a
:class:`ReportContext`. It never re-plans: it selects, counts and sums what the plan says.
Every format (HTML, PDF, XLSX, CSV) renders the same context, so a figure is the same
number everywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from actuals.sollist import SollIst
from plan.attribution import Attribution
from plan.calendar import quarter_label, quarter_start
from plan.diff import PlanDiff, diff_plans
from plan.figures import Figure, key_figures
from plan.models import Assignment, Plan, PlanOrganisation
from sweep.result import SweepResult

from .messages import Translator
from .register import RiskEntry, risk_register
from .vorlage import Meeting, Vorlage, build_vorlage

__all__ = [
    "DETAIL_LIMIT",
    "HOTSPOT_THRESHOLD",
    "AppendixMode",
    "DcView",
    "HeatCell",
    "HeatRow",
    "InventoryFacts",
    "KreisView",
    "OrgView",
    "ReportContext",
    "Risks",
    "ServiceFact",
    "ServiceRow",
    "SystemRow",
    "WaveView",
    "build_context",
]

DETAIL_LIMIT = 400
"""Above this many organisations the HTML shows an aggregated view (per Kreis) instead of one page each."""

HOTSPOT_THRESHOLD = 0.9
"""Capacity use from which a quarter or a data centre counts as a hot spot."""

RISK_LIST_LIMIT = 200
"""Longest risk list shown in HTML/PDF; the XLSX always has all rows."""

AppendixMode = Literal["org", "kreis", "none"]


@dataclass(frozen=True, slots=True)
class ServiceFact:
    """An online service (OZG Leistung) an organisation offers, as the report shows it."""

    org: str
    name: str
    kind: str
    """"efa" (Einer für Alle) or "eigen"."""
    leika_id: str = ""
    themenfeld: str = ""
    efa_provider: str = ""
    feeds: str | None = None
    """The system it delivers into."""


@dataclass(frozen=True, slots=True)
class InventoryFacts:
    """What the report takes from the inventory: names, data confidence and online services.

    The caller reads the inventory (``landkarte report`` does) and hands these facts over;
    the report itself never loads an inventory.
    """

    source: str
    system_names: dict[str, str]
    product_names: dict[str, str]
    confidence: dict[str, str]
    """System id → "verified", "estimated" or "unknown"."""
    services: tuple[ServiceFact, ...]


@dataclass(frozen=True, slots=True)
class SystemRow:
    """One assignment with the names a reader needs."""

    a: Assignment
    name: str
    org_name: str
    kreis: str
    domain_name: str
    product_before: str
    target_product: str
    data_centre: str
    eol_risk: bool
    """Support ends at plan start or before the system migrates."""


@dataclass(slots=True)
class OrgView:
    org: PlanOrganisation
    kreis: str
    """Kreis key (or ``-`` for organisations without one)."""
    kreis_name: str
    systems: list[SystemRow] = field(default_factory=list)
    migrate: int = 0
    exceptions: int = 0
    first_quarter: int | None = None
    last_quarter: int | None = None
    one_off: Decimal = Decimal(0)
    tco_status_quo: Decimal = Decimal(0)
    """Cash only (as every TCO)."""
    tco_plan: Decimal = Decimal(0)
    risk_status_quo: Decimal = Decimal(0)
    """Kalkulatorische Risikokosten, beside the TCO, never in it."""
    risk_plan: Decimal = Decimal(0)
    services: int = 0
    efa: int = 0
    funding: list = field(default_factory=list)
    cost_by_category: dict = field(default_factory=dict)
    """(scenario, category) → amount over all years."""


@dataclass(slots=True)
class KreisView:
    key: str
    name: str
    orgs: list[OrgView] = field(default_factory=list)
    systems: int = 0
    migrate: int = 0
    exceptions: int = 0
    one_off: Decimal = Decimal(0)
    tco_status_quo: Decimal = Decimal(0)
    tco_plan: Decimal = Decimal(0)
    risk_status_quo: Decimal = Decimal(0)
    risk_plan: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class HeatCell:
    domain: str
    status: str
    """migrate / stay / exception / out_of_scope / mixed / empty, or a share bucket for Kreis rows."""
    count: int
    share: float
    """Share of the cell's systems that migrate (Kreis rows)."""
    eol: bool
    title: str
    eol_level: int = 0
    """Worst support status: 0 no end of life within the horizon (or unknown), 1 ends within the horizon after
    the migration, 2 ends before the migration, 3 ended before the plan starts. Kreis rows: share bucket 0–4."""
    eol_share: float = 0.0
    """Share of the cell's systems with an end-of-life risk (Kreis rows)."""


@dataclass(frozen=True, slots=True)
class HeatRow:
    key: str
    label: str
    kreis: str
    kreis_name: str
    org: str
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True, slots=True)
class DcView:
    id: str
    name: str
    use_vcpu: float
    use_ram: float
    use_storage: float
    targets: int
    systems: int
    schutzbedarf: dict[str, int]


@dataclass(frozen=True, slots=True)
class WaveView:
    quarter: int
    label: str
    start: date
    end: date
    groups: int
    systems: int
    effort_eigen: float
    effort_fremd: float
    capacity_eigen: float
    capacity_fremd: float

    @property
    def use_eigen(self) -> float | None:
        return self.effort_eigen / self.capacity_eigen if self.capacity_eigen else None

    @property
    def use_fremd(self) -> float | None:
        return self.effort_fremd / self.capacity_fremd if self.capacity_fremd else None


@dataclass(frozen=True, slots=True)
class Risks:
    eol: tuple[SystemRow, ...]
    past_eol: int
    wave_hotspots: tuple[tuple[str, str, float], ...]
    """(quarter label, resource "eigen"/"fremd", use)."""
    dc_hotspots: tuple[tuple[str, str, float], ...]
    """(data centre name, resource, use)."""
    low_confidence: tuple[SystemRow, ...] | None
    """None when the inventory was not loaded."""
    estimated: int | None
    max_gap: float | None


@dataclass(frozen=True, slots=True)
class ServiceRow:
    name: str
    leika_id: str
    themenfeld: str
    kind: str
    efa_provider: str
    orgs: int
    feeds: str


@dataclass
class ReportContext:
    plan: Plan
    lang: str
    generated_at: datetime
    tool_version: str
    plan_path: str
    figures: tuple[Figure, ...]
    orgs: list[OrgView]
    kreise: list[KreisView]
    systems: list[SystemRow]
    domains: list[tuple[str, str]]
    """(domain id, domain name) in plan order."""
    heat_rows: list[HeatRow]
    heat_by_kreis: bool
    waves: list[WaveView]
    gantt: dict[tuple[str, int], int]
    """(domain, quarter) → systems migrating."""
    quarter_labels: list[str]
    data_centres: list[DcView]
    risks: Risks
    funding_years: list[int]
    funding_rows: list[tuple[str, int, dict[int, Decimal]]]
    """(milestone kind — the id up to its first dot, number of releases, year → amount)."""
    cost_years: list[int]
    cost_by_year: dict[int, tuple[Decimal, Decimal]]
    """year → (status quo, plan), cash only."""
    risk_by_year: dict[int, tuple[Decimal, Decimal]]
    """year → (status quo, plan), kalkulatorische Risikokosten."""
    cost_rows: list[tuple[str, str, dict[int, Decimal]]]
    """(scenario, category, year → amount)."""
    inventory: InventoryFacts | None
    services: list[ServiceRow]
    compare: PlanDiff | None
    previous: PlanDiff | None
    appendix: AppendixMode
    aggregated: bool
    """True when the plan is too large for per-organisation detail in HTML."""
    names: dict[str, str] = field(default_factory=dict)
    """Any id (org, target, data centre, domain, system) → display name."""
    as_of: date | None = None
    """The report's "Stand": migrations planned in quarters ending before it and not done are overdue."""
    overdue: tuple[SystemRow, ...] = ()
    """Migrations planned in quarters that ended before ``as_of``."""
    options: tuple[Plan, ...] = ()
    """The plans compared in the Beschlussvorlage: this plan first, then every ``--compare`` plan."""
    register: list[RiskEntry] = field(default_factory=list)
    """The risk register, highest rank first."""
    vorlage: Vorlage | None = None
    """The Beschlussvorlage (first pages of every format)."""
    sweep: SweepResult | None = None
    """Ranges from ``landkarte plan sweep`` (chapter "Bandbreiten"), when given."""
    soll_ist: SollIst | None = None
    """Planned vs delivered (chapter "Soll/Ist"), when the actuals are given."""
    soll_ist_baseline: str = ""
    """The plan of reference of ``soll_ist`` in words (scenario name and its as-of day)."""
    why: Attribution | None = None
    """Why the plan changed since the previous one (``report --previous``), when its inputs were found."""
    why_missing: str = ""
    """Why the causes were not computed (an input of a plan not found), shown in the chapter."""

    @property
    def synthetic(self) -> bool:
        return self.plan.meta.synthetic


def build_context(
    plan: Plan,
    *,
    lang: str = "de",
    inventory: InventoryFacts | None = None,
    compare: Plan | Sequence[Plan] | None = None,
    previous: Plan | None = None,
    appendix: AppendixMode | None = None,
    generated_at: datetime | None = None,
    tool_version: str = "",
    plan_path: str | Path = "",
    detail_limit: int = DETAIL_LIMIT,
    as_of: date | None = None,
    meeting: Meeting | None = None,
) -> ReportContext:
    """Derive everything the report formats show from ``plan`` (and the optional inputs).

    Parameters
    ----------
    plan
        The plan to render; it is only read.
    appendix
        ``"org"`` (one page per organisation), ``"kreis"`` (one per Kreis) or ``"none"``;
        default: ``"org"`` up to ``detail_limit`` organisations, else ``"kreis"``.
    generated_at
        Time stamp shown as generation time; default now (UTC).
    compare
        One or more other plans (options for the Beschlussvorlage); the first also gets the detailed
        comparison chapter.
    as_of
        The report's "Stand" (default: the day of ``generated_at``).
    meeting
        Header and recommendation rule of the Beschlussvorlage (default :class:`~reports.vorlage.Meeting`).
    """
    meta = plan.meta
    targets = {t.id: t for t in plan.targets}
    dcs = {d.id: d for d in plan.data_centres}
    domains = [(m.domain, m.domain_name) for m in plan.metrics]
    domain_names = dict(domains)
    for a in plan.assignments:
        if a.domain not in domain_names:
            domain_names[a.domain] = a.domain
            domains.append((a.domain, a.domain))
    inv = inventory
    product_names = inv.product_names if inv else {}
    system_names = inv.system_names if inv else {}

    names: dict[str, str] = {}
    names.update(domain_names)
    names.update({d.id: d.name for d in plan.data_centres})
    names.update({t.id: t.product_name for t in plan.targets})
    names.update({o.id: o.name for o in plan.organisations})

    org_views: dict[str, OrgView] = {}
    for o in plan.organisations:
        kreis = o.district or "-"
        org_views[o.id] = OrgView(org=o, kreis=kreis, kreis_name=o.district_name or o.district or "")

    rows: list[SystemRow] = []
    for a in plan.assignments:
        ov = org_views.get(a.org)
        eol_risk = a.migrated_after_eol or (a.end_of_life is not None and a.end_of_life <= meta.start)
        target = targets.get(a.target) if a.target else None
        row = SystemRow(
            a=a,
            name=system_names.get(a.system, a.system),
            org_name=ov.org.name if ov else a.org,
            kreis=ov.kreis if ov else "-",
            domain_name=domain_names.get(a.domain, a.domain),
            product_before=product_names.get(a.product_before, a.product_before),
            target_product=target.product_name if target else (a.target or ""),
            data_centre=dcs[a.data_centre].name if a.data_centre in dcs else (a.data_centre or ""),
            eol_risk=eol_risk,
        )
        rows.append(row)
        if ov is None:
            continue
        ov.systems.append(row)
        if a.moves:
            ov.migrate += 1
            if a.quarter is not None:
                ov.first_quarter = a.quarter if ov.first_quarter is None else min(ov.first_quarter, a.quarter)
                ov.last_quarter = a.quarter if ov.last_quarter is None else max(ov.last_quarter, a.quarter)
        elif a.decision == "exception":
            ov.exceptions += 1
        ov.one_off += a.one_off_cost

    for line in plan.costs.lines:
        ov = org_views.get(line.org) if line.org else None
        if ov is None:
            continue
        if line.kind == "risk":
            if line.scenario == "status_quo":
                ov.risk_status_quo += line.amount
            else:
                ov.risk_plan += line.amount
        elif line.scenario == "status_quo":
            ov.tco_status_quo += line.amount
        else:
            ov.tco_plan += line.amount
        k = (line.scenario, line.category)
        ov.cost_by_category[k] = ov.cost_by_category.get(k, Decimal(0)) + line.amount
    for f in plan.funding:
        if f.org in org_views:
            org_views[f.org].funding.append(f)
    if inv:
        for svc in inv.services:
            if svc.org in org_views:
                org_views[svc.org].services += 1
                org_views[svc.org].efa += svc.kind == "efa"

    org_list = sorted(org_views.values(), key=lambda v: (v.kreis, v.org.kind != "Landkreis", v.org.name, v.org.id))
    kreise_map: dict[str, KreisView] = {}
    for ov in org_list:
        kv = kreise_map.setdefault(ov.kreis, KreisView(key=ov.kreis, name=ov.kreis_name))
        if not kv.name and ov.kreis_name:
            kv.name = ov.kreis_name
        kv.orgs.append(ov)
        kv.systems += len(ov.systems)
        kv.migrate += ov.migrate
        kv.exceptions += ov.exceptions
        kv.one_off += ov.one_off
        kv.tco_status_quo += ov.tco_status_quo
        kv.tco_plan += ov.tco_plan
        kv.risk_status_quo += ov.risk_status_quo
        kv.risk_plan += ov.risk_plan
    kreise = sorted(kreise_map.values(), key=lambda k: (k.key == "-", k.key))
    names.update({k.key: k.name for k in kreise if k.name})

    aggregated = len(plan.organisations) > detail_limit
    heat_by_kreis = aggregated
    horizon_end = quarter_start(plan.meta.start, meta.horizon_quarters)
    heat_rows = (_heat_rows_kreis(kreise, domains) if heat_by_kreis
                 else _heat_rows_org(org_list, domains, meta.start, horizon_end))

    # Migration plan
    horizon = meta.horizon_quarters
    quarter_labels = [quarter_label(plan.meta.start, q) for q in range(horizon)]
    gantt: Counter[tuple[str, int]] = Counter()
    for a in plan.assignments:
        if a.moves and a.quarter is not None:
            gantt[(a.domain, a.quarter)] += 1
    waves = [
        WaveView(w.quarter, w.label, w.start, w.end, w.groups, w.systems, w.effort_eigen_pd, w.effort_fremd_pd,
                 w.capacity_eigen_pd, w.capacity_fremd_pd)
        for w in sorted(plan.waves, key=lambda w: w.quarter)
    ]

    # Data centres
    placed: dict[str, Counter[str]] = defaultdict(Counter)
    for a in plan.assignments:
        if a.data_centre:
            placed[a.data_centre][a.schutzbedarf.value] += 1
    dc_views = [
        DcView(
            id=d.id, name=d.name,
            use_vcpu=d.used_vcpu / d.capacity_vcpu if d.capacity_vcpu else 0.0,
            use_ram=d.used_ram_gb / d.capacity_ram_gb if d.capacity_ram_gb else 0.0,
            use_storage=d.used_storage_tb / d.capacity_storage_tb if d.capacity_storage_tb else 0.0,
            targets=sum(1 for t in plan.targets if t.data_centre == d.id),
            systems=sum(placed[d.id].values()),
            schutzbedarf={k: placed[d.id].get(k, 0) for k in ("normal", "hoch", "sehr hoch")},
        )
        for d in plan.data_centres
    ]

    risks = _risks(plan, rows, waves, dc_views, inv)

    # Funding and cost per year
    funding_years = sorted({f.year for f in plan.funding})
    # Milestone ids look like "live.<domain>" or "migriert.<org>.q<n>": one row per kind, all releases in the XLSX.
    fund: dict[str, tuple[list[int], dict[int, Decimal]]] = {}
    for f in plan.funding:
        count, d = fund.setdefault(f.milestone.split(".", 1)[0], ([0], {}))
        count[0] += 1
        d[f.year] = d.get(f.year, Decimal(0)) + f.amount
    funding_rows = [(kind, count[0], by_year) for kind, (count, by_year) in sorted(fund.items())]
    cost_years = sorted(set(plan.costs.years) | {line.year for line in plan.costs.lines})
    by_year: dict[int, list[Decimal]] = {y: [Decimal(0), Decimal(0)] for y in cost_years}
    risk_year: dict[int, list[Decimal]] = {y: [Decimal(0), Decimal(0)] for y in cost_years}
    cat: dict[tuple[str, str], dict[int, Decimal]] = {}
    for line in plan.costs.lines:
        (risk_year if line.kind == "risk" else by_year)[line.year][0 if line.scenario == "status_quo" else 1] += (
            line.amount)
        d = cat.setdefault((line.scenario, line.category), {})
        d[line.year] = d.get(line.year, Decimal(0)) + line.amount
    cost_rows = [(s, c, v) for (s, c), v in sorted(cat.items(), key=lambda kv: (kv[0][0] != "status_quo", kv[0][1]))]

    services = _service_rows(inv, {r.a.system: r.domain_name for r in rows}) if inv else []

    if appendix is None:
        appendix = "kreis" if aggregated else "org"
    generated_at = generated_at or datetime.now(UTC).replace(microsecond=0)
    as_of = as_of or generated_at.date()
    overdue = tuple(r for r in rows if r.a.moves and r.a.quarter is not None
                    and r.a.progress != "done"  # a re-plan's history (plan --actuals) is not overdue
                    and quarter_start(plan.meta.start, r.a.quarter + 1) <= as_of)
    others = (() if compare is None else (compare,) if isinstance(compare, Plan) else tuple(compare))

    t = Translator(lang)  # type: ignore[arg-type]
    register = risk_register(plan, t, names={**names, **{r.a.system: r.name for r in rows}},
                             low_confidence=[r.a.system for r in risks.low_confidence] if risks.low_confidence
                             else None, overdue=[r.a.system for r in overdue], as_of=as_of,
                             hotspot=HOTSPOT_THRESHOLD)
    anlagen = [t(k) for k in ("sec.summary", "sec.landscape", "sec.migration", "sec.datacentres", "sec.risks",
                              "sec.register", "sec.exceptions", "sec.ozg")]
    if others:
        anlagen.append(t("sec.compare"))
    if previous is not None:
        anlagen.append(t("sec.previous"))
    if appendix != "none":
        anlagen.append(t("sec.appendix") if appendix == "org" else t("sec.appendix_kreis"))
    anlagen += [t("sec.finance_detail"), t("sec.assumptions"), t("sec.methodik"), t("sec.provenance")]
    vorlage = build_vorlage(plan, (plan, *others), t, meeting=meeting or Meeting(), as_of=as_of, names=names,
                            register=register, overdue=len(overdue), anlagen=anlagen)
    return ReportContext(
        plan=plan,
        lang=lang,
        generated_at=generated_at,
        tool_version=tool_version,
        plan_path=str(plan_path),
        figures=key_figures(plan),
        orgs=org_list,
        kreise=kreise,
        systems=sorted(rows, key=lambda r: (r.kreis, r.org_name, r.domain_name, r.name)),
        domains=domains,
        heat_rows=heat_rows,
        heat_by_kreis=heat_by_kreis,
        waves=waves,
        gantt=dict(gantt),
        quarter_labels=quarter_labels,
        data_centres=dc_views,
        risks=risks,
        funding_years=funding_years,
        funding_rows=funding_rows,
        cost_years=cost_years,
        cost_by_year={y: (v[0], v[1]) for y, v in by_year.items()},
        risk_by_year={y: (v[0], v[1]) for y, v in risk_year.items()},
        cost_rows=cost_rows,
        inventory=inv,
        services=services,
        compare=diff_plans(plan, others[0]) if others else None,
        previous=diff_plans(previous, plan) if previous is not None else None,
        appendix=appendix,
        aggregated=aggregated,
        names=names,
        as_of=as_of,
        overdue=overdue,
        options=(plan, *others),
        register=register,
        vorlage=vorlage,
    )


_STATUS_ORDER = ("exception", "migrate", "rehost", "stay", "out_of_scope")


def eol_level(a: Assignment, start: date, horizon_end: date) -> int:
    """Support status of one system: 3 ended before ``start``, 2 ends before its migration, 1 ends within the
    horizon, 0 otherwise."""
    if a.end_of_life is None:
        return 0
    if a.end_of_life <= start:
        return 3
    if a.migrated_after_eol:
        return 2
    return 1 if a.end_of_life < horizon_end else 0


def _heat_rows_org(orgs: list[OrgView], domains: list[tuple[str, str]], start: date,
                   horizon_end: date) -> list[HeatRow]:
    out = []
    for ov in orgs:
        per: dict[str, list[SystemRow]] = defaultdict(list)
        for r in ov.systems:
            per[r.a.domain].append(r)
        cells = []
        for dom, _name in domains:
            rs = per.get(dom, [])
            if not rs:
                cells.append(HeatCell(dom, "empty", 0, 0.0, False, ""))
                continue
            statuses = {r.a.decision for r in rs}
            status = statuses.pop() if len(statuses) == 1 else "mixed"
            migrate = sum(r.a.moves for r in rs)
            title = "; ".join(
                f"{r.name}: {r.product_before}" + (f" → {r.target_product}" if r.target_product else "")
                + (f" ({r.a.quarter_label})" if r.a.quarter_label else "")
                for r in rs
            )
            level = max(eol_level(r.a, start, horizon_end) for r in rs)
            cells.append(HeatCell(dom, status, len(rs), migrate / len(rs), any(r.eol_risk for r in rs), title,
                                  eol_level=level))
        out.append(HeatRow(ov.org.id, ov.org.name, ov.kreis, ov.kreis_name, ov.org.id, tuple(cells)))
    return out


def _heat_rows_kreis(kreise: list[KreisView], domains: list[tuple[str, str]]) -> list[HeatRow]:
    out = []
    for kv in kreise:
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for ov in kv.orgs:
            for r in ov.systems:
                c = per[r.a.domain]
                c[0] += 1
                c[1] += r.a.moves
                c[2] += r.eol_risk
        cells = []
        for dom, _name in domains:
            n, mig, eol = per.get(dom, (0, 0, 0))
            share = mig / n if n else 0.0
            status = "empty" if n == 0 else f"share{min(4, int(share * 5))}"
            eol_share = eol / n if n else 0.0
            cells.append(HeatCell(dom, status, n, share, eol > 0, f"{mig}/{n}", eol_level=min(4, int(eol_share * 5)),
                                  eol_share=eol_share))
        out.append(HeatRow(kv.key, kv.name or kv.key, kv.key, kv.name, "", tuple(cells)))
    return out


def _risks(plan: Plan, rows: list[SystemRow], waves: list[WaveView], dcs: list[DcView],
           inv: InventoryFacts | None) -> Risks:
    eol = tuple(r for r in rows if r.a.migrated_after_eol)
    past = sum(1 for r in rows if r.a.end_of_life is not None and r.a.end_of_life <= plan.meta.start
               and r.a.decision != "out_of_scope")
    wave_hot = []
    for w in waves:
        for res, use in (("eigen", w.use_eigen), ("fremd", w.use_fremd)):
            if use is not None and use >= HOTSPOT_THRESHOLD:
                wave_hot.append((w.label, res, use))
    dc_hot = []
    for d in dcs:
        for res, use in (("vcpu", d.use_vcpu), ("ram", d.use_ram), ("storage", d.use_storage)):
            if use >= HOTSPOT_THRESHOLD:
                dc_hot.append((d.name, res, use))
    low = est = None
    if inv is not None:
        low = tuple(r for r in rows if inv.confidence.get(r.a.system) == "unknown")
        est = sum(1 for r in rows if inv.confidence.get(r.a.system) == "estimated")
    gaps = [s.gap for s in plan.solver if s.gap is not None]
    return Risks(eol, past, tuple(wave_hot), tuple(dc_hot), low, est, max(gaps) if gaps else None)


def _service_rows(inv: InventoryFacts, system_domain: dict[str, str]) -> list[ServiceRow]:
    """Online services grouped by Leistung; ``feeds`` names the domains of the systems they deliver into."""
    groups: dict[tuple, list[ServiceFact]] = defaultdict(list)
    for svc in inv.services:
        groups[(svc.name, svc.leika_id, svc.themenfeld, svc.kind, svc.efa_provider)].append(svc)
    out = []
    for (name, leika, themenfeld, kind, provider), svcs in sorted(groups.items()):
        feeds = sorted({system_domain.get(s.feeds, s.feeds) for s in svcs if s.feeds})
        out.append(ServiceRow(name, leika, themenfeld, kind, provider, len(svcs), ", ".join(feeds)))
    return out

