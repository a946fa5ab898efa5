"""The report as tables: one :class:`Table` per XLSX sheet / CSV file.

Cells keep their type (int, float, Decimal, date, str) so the spreadsheet gets numbers
with number formats, not text. The spreadsheet writers guard text cells against formula
injection with :func:`common.spreadsheet.neutralise` (OWASP "CSV injection"), the one guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from plan.diff import PlanDiff

from .changes import cause_text, via_text
from .context import ReportContext
from .messages import Translator
from .vorlage import assumption_label

__all__ = ["Cell", "Column", "Table", "build_tables"]


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    kind: str = "text"
    """text, int, float, ratio, money, percent, date."""
    width: int = 14


@dataclass(frozen=True, slots=True)
class Cell:
    """A value whose kind differs from its column's (e.g. the mixed "value" column of the key figures)."""

    value: object
    kind: str


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple]


def _c(t: Translator, key: str, kind: str = "text", width: int = 14) -> Column:
    return Column(t(key), kind, width)


def _diff_tables(ctx: ReportContext, t: Translator, d: PlanDiff, sheet: str, tid: str) -> list[Table]:
    figures = Table(tid, t(f"sheet.{sheet}"), (
        _c(t, "col.key", width=20), _c(t, "col.figure", width=44), _c(t, "col.old", "float", 18),
        _c(t, "col.new", "float", 18), _c(t, "col.delta", "float", 18)),
        [(f.key, t(f"fig.{f.key}"), Cell(f.old, f.kind), Cell(f.new, f.kind), Cell(f.delta, f.kind))
         for f in d.figures])
    moved = Table(f"{tid}_systems", t(f"sheet.{sheet}_moved"), (
        _c(t, "col.system_id", width=24), _c(t, "col.org", width=28), _c(t, "col.domain", width=24),
        _c(t, "col.field"), _c(t, "col.old", width=24), _c(t, "col.new", width=24)),
        [(c.system, ctx.names.get(c.org, c.org), ctx.names.get(c.domain, c.domain),
          t(f"field.{c.field}") if c.field in ("decision", "target", "data_centre", "quarter")
          else t(f"cmp.{c.field}"), ctx.names.get(c.old, c.old), ctx.names.get(c.new, c.new))
         for c in d.changes])
    return [figures, moved]


def _why_tables(ctx: ReportContext, t: Translator) -> list[Table]:
    """Why the plan changed: the changed systems with cause and way, and the figures split by cause."""
    a = ctx.why
    if a is None:
        return []
    systems = Table("why", t("sheet.why"), (
        _c(t, "col.system_id", width=30), _c(t, "col.org", width=22), _c(t, "col.field"), _c(t, "col.old", width=14),
        _c(t, "col.new", width=14), _c(t, "why.col.family", width=12), _c(t, "why.col.cause", width=70),
        _c(t, "why.col.via", width=60)),
        [(s.system, ctx.names.get(s.org, s.org), t(f"field.{ch.field}") if t.has(f"field.{ch.field}") else
          t(f"cmp.{ch.field}"), ch.old, ch.new, t(f"why.family.{a.cause(s.cause).family}"),
          cause_text(t, a.cause(s.cause)), via_text(t, s)) for s in a.systems for ch in s.changes])
    figures = Table("why_figures", t("sheet.why_figures"), (
        _c(t, "col.key", width=20), _c(t, "col.figure", width=44), _c(t, "col.delta", "float", 18),
        _c(t, "why.col.cause", width=80)),
        [(f.key, t(f"fig.{f.key}"), Cell(d, f.kind), cause_text(t, a.cause(cid))) for f in a.figures
         for cid, d in f.parts])
    return [systems, figures]


def build_tables(ctx: ReportContext, t: Translator) -> list[Table]:
    """Every table of the report, in sheet order."""
    plan = ctx.plan
    yes_no = t.boolean
    tables = [
        *_vorlage_tables(ctx, t),
        Table("figures", t("sheet.figures"), (
            _c(t, "col.key", width=22), _c(t, "col.figure", width=50), _c(t, "col.value", "float", 20),
            _c(t, "col.description", width=40)),
            [(f.key, t(f"fig.{f.key}"), Cell(f.value, f.kind), f.source) for f in ctx.figures]),
        Table("domains", t("sheet.domains"), (
            _c(t, "col.domain_id"), _c(t, "col.domain", width=28), _c(t, "col.systems", "int"),
            _c(t, "col.products_before", "int"), _c(t, "col.products_after", "int"),
            _c(t, "col.instances_before", "int"), _c(t, "col.instances_after", "int"),
            _c(t, "col.ratio", "ratio"), _c(t, "col.insel", "int")),
            [(m.domain, m.domain_name, m.systems, m.products_before, m.products_after, m.instances_before,
              m.instances_after, m.consolidation_ratio, m.inselloesungen_before) for m in plan.metrics]),
        Table("orgs", t("sheet.orgs"), (
            _c(t, "col.org_id", width=20), _c(t, "col.org", width=28), _c(t, "col.kind"), _c(t, "col.ags", width=10),
            _c(t, "col.kreis", width=24), _c(t, "col.population", "int"), _c(t, "col.participates"),
            _c(t, "col.zweckverband"), _c(t, "col.exit_date", "date"), _c(t, "col.systems", "int"),
            _c(t, "col.migrate", "int"), _c(t, "col.exceptions", "int"), _c(t, "col.first_wave"),
            _c(t, "col.last_wave"), _c(t, "col.one_off", "money", 16), _c(t, "col.tco_status_quo", "money", 16),
            _c(t, "col.tco_plan", "money", 16), _c(t, "col.services", "int"), _c(t, "col.efa", "int")),
            [(o.org.id, o.org.name, o.org.kind, o.org.ags or "", o.kreis_name, o.org.population,
              yes_no(o.org.participates), yes_no(o.org.zweckverband_member), o.org.exit_date, len(o.systems),
              o.migrate, o.exceptions,
              ctx.quarter_labels[o.first_quarter] if o.first_quarter is not None
              and o.first_quarter < len(ctx.quarter_labels) else "",
              ctx.quarter_labels[o.last_quarter] if o.last_quarter is not None
              and o.last_quarter < len(ctx.quarter_labels) else "",
              o.one_off, o.tco_status_quo, o.tco_plan, o.services, o.efa) for o in ctx.orgs]),
        Table("kreise", t("sheet.kreise"), (
            _c(t, "col.key"), _c(t, "col.kreis", width=28), _c(t, "col.orgs", "int"), _c(t, "col.systems", "int"),
            _c(t, "col.migrate", "int"), _c(t, "col.exceptions", "int"), _c(t, "col.one_off", "money", 16),
            _c(t, "col.tco_status_quo", "money", 16), _c(t, "col.tco_plan", "money", 16)),
            [(k.key, k.name, len(k.orgs), k.systems, k.migrate, k.exceptions, k.one_off, k.tco_status_quo,
              k.tco_plan) for k in ctx.kreise]),
        Table("systems", t("sheet.systems"), (
            _c(t, "col.system_id", width=24), _c(t, "col.system", width=28), _c(t, "col.org", width=26),
            _c(t, "col.kreis", width=22), _c(t, "col.domain", width=24), _c(t, "col.product_before", width=24),
            _c(t, "col.decision"), _c(t, "col.target", width=24), _c(t, "col.data_centre", width=20),
            _c(t, "col.wave"), _c(t, "col.effort_eigen", "float"), _c(t, "col.effort_fremd", "float"),
            _c(t, "col.one_off", "money", 16), _c(t, "col.eol", "date"), _c(t, "col.after_eol"),
            _c(t, "col.contract_end", "date"), _c(t, "col.notice", "date"), _c(t, "col.schutzbedarf"),
            _c(t, "col.binding", width=50)),
            [(r.a.system, r.name, r.org_name, ctx.names.get(r.kreis, ""), r.domain_name, r.product_before,
              t(f"decision.{r.a.decision}"), r.target_product, r.data_centre, r.a.quarter_label or "",
              r.a.effort_eigen_pd, r.a.effort_fremd_pd, r.a.one_off_cost, r.a.end_of_life,
              yes_no(r.a.migrated_after_eol), r.a.contract_end, r.a.notice_deadline, r.a.schutzbedarf.value,
              t.reason(r.a.binding.reason)) for r in ctx.systems]),
        Table("waves", t("sheet.waves"), (
            _c(t, "col.wave"), _c(t, "col.start", "date"), _c(t, "col.end", "date"), _c(t, "col.groups", "int"),
            _c(t, "col.systems", "int"), _c(t, "col.effort_eigen", "float"), _c(t, "col.capacity_eigen", "float"),
            _c(t, "col.use_eigen", "percent"), _c(t, "col.effort_fremd", "float"),
            _c(t, "col.capacity_fremd", "float"), _c(t, "col.use_fremd", "percent")),
            [(w.label, w.start, w.end, w.groups, w.systems, w.effort_eigen, w.capacity_eigen, w.use_eigen,
              w.effort_fremd, w.capacity_fremd, w.use_fremd) for w in ctx.waves]),
        Table("blackouts", t("sheet.blackouts"), (
            _c(t, "col.id"), _c(t, "col.domains", width=30), _c(t, "col.start", "date"), _c(t, "col.end", "date"),
            _c(t, "col.reason", width=40)),
            [(b.id, ", ".join(ctx.names.get(d, d) for d in b.domains) or t("blackouts.all"), b.start, b.end,
              b.reason) for b in plan.blackouts]),
        Table("targets", t("sheet.targets"), (
            _c(t, "col.target_id", width=24), _c(t, "col.domain", width=24), _c(t, "col.product", width=24),
            _c(t, "col.category"), _c(t, "col.data_centre", width=20), _c(t, "col.vcpu", "int"),
            _c(t, "col.ram", "int"), _c(t, "col.storage_gb", "int"), _c(t, "col.schutzbedarf"),
            _c(t, "col.tenants", "int"), _c(t, "col.onboarding", "int"), _c(t, "col.run_cost", "money", 16)),
            [(x.id, ctx.names.get(x.domain, x.domain), x.product_name, x.category,
              ctx.names.get(x.data_centre, x.data_centre), x.vcpu, x.ram_gb, x.storage_gb, x.schutzbedarf.value,
              len(x.tenants), x.onboarding_per_quarter, x.annual_run_cost) for x in plan.targets]),
        Table("datacentres", t("sheet.datacentres"), (
            _c(t, "col.id"), _c(t, "col.data_centre", width=28), _c(t, "col.certifications", width=30),
            _c(t, "col.redundancy"), _c(t, "col.sehr_hoch"), _c(t, "col.vcpu", "int"), _c(t, "col.use_vcpu", "percent"),
            _c(t, "col.ram", "int"), _c(t, "col.use_ram", "percent"), _c(t, "col.storage_tb", "float"),
            _c(t, "col.use_storage", "percent"), _c(t, "col.targets", "int"), _c(t, "col.systems", "int"),
            _c(t, "col.normal", "int"), _c(t, "col.hoch", "int"), _c(t, "col.sehr hoch", "int")),
            [(d.id, d.name, ", ".join(d.certifications), d.redundancy, yes_no(d.allows_sehr_hoch), d.capacity_vcpu,
              v.use_vcpu, d.capacity_ram_gb, v.use_ram, d.capacity_storage_tb, v.use_storage, v.targets, v.systems,
              v.schutzbedarf["normal"], v.schutzbedarf["hoch"], v.schutzbedarf["sehr hoch"])
             for d, v in zip(plan.data_centres, ctx.data_centres, strict=True)]),
        Table("exceptions", t("sheet.exceptions"), (
            _c(t, "col.id"), _c(t, "col.org", width=26), _c(t, "col.systems", width=40),
            _c(t, "col.justification", width=60), _c(t, "col.coordinated")),
            [(e.id, ctx.names.get(e.org, e.org or ""), ", ".join(e.systems), e.justification, yes_no(e.coordinated))
             for e in plan.exceptions]),
        Table("costs", t("sheet.costs"), (
            _c(t, "col.year", "int", 8), _c(t, "col.org", width=26), _c(t, "col.scenario"),
            _c(t, "col.cost_category", width=30), _c(t, "col.kind"), _c(t, "col.payer"), _c(t, "col.betriebsart"),
            _c(t, "col.amount", "money", 16)),
            [(c.year, ctx.names.get(c.org, c.org) if c.org else "", t(f"col.{c.scenario}"),
              t(f"cost.{c.category}"), t(f"kind.{c.kind}"), t(f"payer.{c.payer}") if c.payer else "",
              c.betriebsart.value, c.amount) for c in plan.costs.lines]),
        Table("funding", t("sheet.funding"), (
            _c(t, "col.year", "int", 8), _c(t, "col.quarter", "int", 8), _c(t, "col.milestone", width=20),
            _c(t, "col.description", width=40), _c(t, "col.org", width=26), _c(t, "col.amount", "money", 16)),
            [(f.year, f.quarter, f.milestone, f.description or t.reason(f.reason),
              ctx.names.get(f.org, f.org) if f.org else "", f.amount)
             for f in plan.funding]),
        Table("risks", t("sheet.risks"), (
            _c(t, "risk.kind", width=36), _c(t, "col.org", width=26), _c(t, "col.system", width=30),
            _c(t, "col.description", width=40), _c(t, "risk.use", "percent")),
            _risk_rows(ctx, t)),
        Table("solver", t("sheet.solver"), (
            _c(t, "col.step"), _c(t, "col.solver"), _c(t, "col.status"), _c(t, "col.objective", "float"),
            _c(t, "col.bound", "float"), _c(t, "col.gap", "percent"), _c(t, "col.time", "float"),
            _c(t, "col.baseline", "float")),
            [(s.step, s.solver, s.status, s.objective, s.best_bound, s.gap, s.time_s, s.baseline_objective)
             for s in plan.solver]),
    ]
    if ctx.inventory is not None:
        tables.append(Table("services", t("sheet.services"), (
            _c(t, "col.service", width=40), _c(t, "col.leika", width=16), _c(t, "col.themenfeld", width=20),
            _c(t, "col.service_kind"), _c(t, "col.efa_provider"), _c(t, "col.orgs", "int"),
            _c(t, "col.feeds", width=30)),
            [(s.name, s.leika_id, s.themenfeld, t(f"kind.{s.kind}"), s.efa_provider, s.orgs, s.feeds)
             for s in ctx.services]))
    if ctx.soll_ist is not None:
        from .sollist import sollist_tables  # it builds Tables: imported here, not at the top (a cycle)

        tables += sollist_tables(ctx.soll_ist, t, ctx.names)
    if ctx.compare is not None:
        tables += _diff_tables(ctx, t, ctx.compare, "compare", "compare")
    if ctx.previous is not None:
        tables += _diff_tables(ctx, t, ctx.previous, "previous", "previous")
    if ctx.why is not None:
        tables += _why_tables(ctx, t)
    tables.append(Table("provenance", t("sheet.provenance"), (_c(t, "col.key", width=30), _c(t, "col.value", width=70)),
                        provenance_rows(ctx, t)))
    return tables


def _vorlage_tables(ctx: ReportContext, t: Translator) -> list[Table]:
    """The Beschlussvorlage as the first sheet (full precision), then finance per year, register, assumptions."""
    v = ctx.vorlage
    if v is None:
        return []
    rows: list[tuple] = [(label, value, None) for label, value in v.header]
    if v.overdue_text:
        rows.append((t("vl.warning"), v.overdue_text, None))
    rows.append((t("vl.gegenstand_h"), v.gegenstand, None))
    rows += [(t("vl.sachverhalt_h"), s, None) for s in v.sachverhalt]
    rows.append((t("vl.optionen_h"), v.scope_text, None))
    for o in v.options:
        for key in ("tco_status_quo", "tco_plan", "tco_savings", "npv_savings", "one_off", "risk_status_quo",
                    "risk_plan"):
            rows.append((t("vl.optionen_h"), f"{o.name}: {t('fig.' + key)}", Cell(getattr(o, key), "money")))
        rows.append((t("vl.optionen_h"), f"{o.name}: {t('vl.col.missed')}",
                     Cell(sum(n for _, n in o.missed), "int")))
    rows.append((t("vl.empfehlung_h"), v.rule_text, None))
    rows += [(t("vl.empfehlung_h"), r, None) for r in v.reasons]
    rows += [(t("vl.finanzen_h"), s, None) for s in v.finance_text]
    rows += [(t("vl.finanzen_h"), label, Cell(value, "int" if kind == "int" else "money"))
             for label, kind, value in v.per_capita]
    rows += [(t("vl.risiken_h"), f"{r.beschreibung} {t('reg.col.measure')}: {r.massnahme}", None) for r in v.risks]
    rows += [(t("vl.beschluss_h"), b, None) for b in v.beschluss]
    rows += [(t("vl.anlagen_h"), a, None) for a in v.anlagen]
    vorlage = Table("vorlage", t("sheet.vorlage"), (
        _c(t, "col.section", width=22), _c(t, "col.content", width=100), _c(t, "col.value", "float", 20)), rows)
    payer_cols = tuple(Column(t(f"payer.{p}"), "money", 16) for p in v.payers)
    finance = Table("finance", t("sheet.finance"), (
        _c(t, "vl.f.year", "text", 12), *payer_cols, _c(t, "vl.f.one_off", "money", 16),
        _c(t, "vl.f.recurring", "money", 16), _c(t, "vl.f.total_col", "money", 16),
        _c(t, "vl.f.status_quo", "money", 16), _c(t, "vl.f.funding_col", "money", 16),
        _c(t, "vl.f.risk_col", "money", 16)),
        [(str(f.year) if f.year is not None else t("doc.total"), *(f.by_payer[p] for p in v.payers), f.one_off,
          f.recurring, f.total, f.status_quo, f.funding, f.risk) for f in [*v.finance, v.finance_total]])
    register = Table("register", t("sheet.register"), (
        _c(t, "reg.col.nr", "int", 6), _c(t, "reg.col.desc", width=50), _c(t, "reg.col.cause", width=50),
        _c(t, "reg.col.w"), _c(t, "reg.col.a"), _c(t, "reg.col.rang", "int", 8), _c(t, "reg.col.measure", width=60),
        _c(t, "reg.col.owner", width=30), _c(t, "reg.col.affected", width=50), _c(t, "reg.col.systems", "int", 10)),
        [(i, r.beschreibung, r.ursache, t(f"reg.level.{r.wahrscheinlichkeit}"), t(f"reg.level.{r.auswirkung}"),
          r.rang, r.massnahme, r.verantwortlich, r.betroffen, r.systems) for i, r in enumerate(ctx.register, 1)])
    assumptions = Table("assumptions", t("sheet.assumptions"), (
        _c(t, "as.path", width=44), _c(t, "as.key", width=44), _c(t, "as.value", width=16), _c(t, "as.unit", width=20),
        _c(t, "as.kind", width=20), _c(t, "as.source", width=40)),
        [(a.key, assumption_label(a.key, t, ctx.names), a.value, a.unit, t(f"askind.{a.kind}"),
          a.source or t("as.annahme")) for a in ctx.plan.assumptions])
    return [vorlage, finance, register, assumptions]


def provenance_rows(ctx: ReportContext, t: Translator) -> list[tuple[str, str]]:
    """Label/value pairs stating where the report's numbers come from."""
    meta = ctx.plan.meta
    rows = [
        (t("prov.inventory"), meta.inventory_name),
        (t("prov.inventory_hash"), meta.inventory_hash),
        (t("prov.scenario"), f"{meta.scenario_name} ({meta.scenario_id})"),
        (t("prov.scenario_hash"), meta.scenario_hash),
        (t("prov.planner_version"), meta.tool_version),
        (t("prov.tool_version"), ctx.tool_version),
        (t("prov.generated"), t.date(ctx.generated_at)),
        (t("prov.start"), t.date(meta.start)),
        (t("prov.horizon"), t("prov.horizon_value", quarters=meta.horizon_quarters)),
        (t("prov.discount"), t.percent(float(meta.discount_rate))),
        (t("prov.synthetic"), t.boolean(meta.synthetic)),
    ]
    if ctx.plan_path:
        rows.append((t("prov.plan_file"), ctx.plan_path))
    if ctx.inventory is not None:
        rows.append((t("prov.inventory_loaded"), ctx.inventory.source))
    return rows


def _risk_rows(ctx: ReportContext, t: Translator) -> list[tuple]:
    r = ctx.risks
    rows: list[tuple] = []
    for s in r.eol:
        held = t(f"binding.{s.a.binding.kind}") if t.has(f"binding.{s.a.binding.kind}") else s.a.binding.kind
        rows.append((t("risk.eol"), s.org_name, s.name, (f"{t('col.eol')} {t.date(s.a.end_of_life)}, "
                     f"{t('col.wave')} {s.a.quarter_label or '–'}, {t('col.held_by')}: {held}"), None))
    for label, res, use in r.wave_hotspots:
        rows.append((t("risk.hotspot_caption"), "", label, t(f"fig.{res}_total"), use))
    for name, res, use in r.dc_hotspots:
        rows.append((t("risk.hotspot_caption"), "", name, t(f"col.use_{res}"), use))
    for s in r.low_confidence or ():
        rows.append((t("risk.low_confidence"), s.org_name, s.name, t("confidence.unknown"), None))
    for c in ctx.plan.conflicts:
        rows.append((t("risk.conflicts"), "", ", ".join(c.constraints), t.reason(c.reason, c.parts), None))
    return rows


def cell_kind(column: Column, value: object) -> tuple[object, str]:
    """The value and kind of one cell, unwrapping :class:`Cell`."""
    if isinstance(value, Cell):
        return value.value, value.kind
    return value, column.kind


def plain(value: object) -> object:
    """A JSON/CSV-friendly scalar: Decimal → float, date → ISO string."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
