"""The board pack as PDF: A4, table of contents, page numbers "Seite n / m", charts.

Two engines render the same :class:`~reports.context.ReportContext`:

``typst`` (default)
    ``templates/report.typ`` lays out a JSON document built here; every string from the
    plan is JSON data, never typst markup, so a hostile name cannot run or restyle anything.
    About ten times faster than WeasyPrint on the Saarland pack (one page per organisation).
``weasyprint``
    The print variant of the HTML (``templates/pdf.css``), for those who prefer CSS paged media.

The appendix has one page per organisation (``appendix="org"``) or one per Kreis (``"kreis"``,
the default above :data:`reports.context.DETAIL_LIMIT` organisations).
"""

from __future__ import annotations

import json
import logging
from importlib import resources

from common.interrupt import run_stoppable
from plan.diff import PlanDiff
from plan.figures import BESIDE_HEADLINE, HEADLINE

from .changes import cause_short, cause_text, replans_text, top_lines, via_text
from .charts import all_charts
from .context import HOTSPOT_THRESHOLD, RISK_LIST_LIMIT, ReportContext
from .html import render_html, svg_markup
from .messages import Translator
from .tables import Table, build_tables, cell_kind, provenance_rows

__all__ = ["ENGINES", "pdf_document", "render_pdf"]

ENGINES = ("typst", "weasyprint")
PDF_LIST_LIMIT = RISK_LIST_LIMIT // 4
"""Longest risk or change list printed; the XLSX has all rows."""

_COST_CATEGORIES = ("run_legacy", "run_target", "migration", "double_running", "eol_penalty")


def render_pdf(ctx: ReportContext, t: Translator, *, engine: str = "typst") -> bytes:
    """The PDF as bytes (written atomically by the caller)."""
    if engine == "weasyprint":
        return _weasyprint(ctx, t)
    if engine != "typst":
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {', '.join(ENGINES)}")
    import typst

    source = resources.files("reports").joinpath("templates/report.typ").read_bytes()
    doc = json.dumps(pdf_document(ctx, t), ensure_ascii=False)
    # the compile is native code that holds the thread for seconds: off the main thread, Ctrl-C is heard meanwhile
    return run_stoppable(lambda: typst.compile(source, sys_inputs={"data": doc}), _cannot_stop)


def _weasyprint(ctx: ReportContext, t: Translator) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango/harfbuzz

    # WeasyPrint logs every unsupported CSS property at WARNING; they are expected here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=render_html(ctx, t, medium="pdf"), base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the report references no external resource (asked for {url[:80]!r})")


# --------------------------------------------------------------------------- the JSON document


def _col(label: str, align: str = "left", width: float | None = None) -> dict:
    return {"label": label, "align": align, "width": width}


def _table(caption: str | None, columns: list[dict], rows: list[list[str]], *, total: bool = False) -> dict:
    return {"kind": "table", "caption": caption, "columns": columns, "rows": rows, "total": total}


def _text(text: str, style: str = "") -> dict:
    return {"kind": "text", "text": text, "style": style}


def _from_table(tbl: Table, t: Translator, caption: str | None = None, limit: int | None = None) -> list[dict]:
    """A :class:`~reports.tables.Table` with every cell formatted as the HTML shows it."""
    cols = [_col(c.label, "left" if c.kind in ("text", "date") else "right") for c in tbl.columns]
    rows = []
    for row in tbl.rows[:limit] if limit else tbl.rows:
        rows.append([t.value(*cell_kind(c, v)) for c, v in zip(tbl.columns, row, strict=True)])
    out = [_table(caption or tbl.title, cols, rows)]
    if limit and len(tbl.rows) > limit:
        out.append(_text(t("risk.more", n=len(tbl.rows) - limit), "muted"))
    return out


def _svg(chart) -> dict:
    return {"kind": "svg", "svg": svg_markup(chart), "caption": chart.title, "alt": f"{chart.title}. {chart.desc}",
            "ratio": chart.height / chart.width if chart.width else 1.0}


def _qlabel(ctx: ReportContext, q: int | None) -> str:
    return ctx.quarter_labels[q] if q is not None and 0 <= q < len(ctx.quarter_labels) else "–"


def _diff_blocks(ctx: ReportContext, t: Translator, d: PlanDiff, caption: str, compare: bool, *,
                 moved: bool = True) -> list[dict]:
    old_label = d.old_meta.scenario_name if compare else t("col.old")
    new_label = d.new_meta.scenario_name if compare else t("col.new")
    blocks = [
        _text(f"{d.old_meta.scenario_name} ({d.old_meta.scenario_id}) → {d.new_meta.scenario_name} "
              f"({d.new_meta.scenario_id}). "
              + t("cmp.counts", moved=t.number(d.moved), added=t.number(d.added), removed=t.number(d.removed))),
        _table(caption, [_col(t("col.figure"), width=3), _col(old_label, "right", 1.4),
                         _col(new_label, "right", 1.4), _col(t("col.delta"), "right", 1.4)],
               [[t(f"fig.{f.key}"), t.value(f.old, f.kind), t.value(f.new, f.kind), t.value(f.delta, f.kind)]
                for f in d.figures]),
    ]
    if d.domains:
        blocks.append(_table(t("cmp.domains_caption"), [_col(t("col.domain"), width=3),
                                                       _col(t("col.old"), "right", 1), _col(t("col.new"), "right", 1)],
                             [[name, t.number(old), t.number(new)] for _d, name, old, new in d.domains]))
    if d.exceptions_added or d.exceptions_removed:
        blocks.append(_text(f"{t('prev.exceptions_added')}: {', '.join(d.exceptions_added) or t('doc.none')} · "
                            f"{t('prev.exceptions_removed')}: {', '.join(d.exceptions_removed) or t('doc.none')}"))
    if d.changes and moved:
        def show(field: str, value: str) -> str:
            if not value:
                return "–"
            if field in ("decision", "added", "removed") and t.has(f"decision.{value}"):
                return t(f"decision.{value}")
            return ctx.names.get(value, value)

        rows = [[c.system, ctx.names.get(c.org, c.org), ctx.names.get(c.domain, c.domain),
                 t(f"field.{c.field}") if t.has(f"field.{c.field}") else t(f"cmp.{c.field}"),
                 show(c.field, c.old), show(c.field, c.new)] for c in d.changes[:PDF_LIST_LIMIT]]
        blocks.append(_table(t("cmp.moved_caption"), [_col(t("col.system"), width=2), _col(t("col.org"), width=2),
                                                      _col(t("col.domain"), width=2), _col(t("col.field"), width=1.2),
                                                      _col(t("col.old"), width=1.6), _col(t("col.new"), width=1.6)],
                             rows))
        if len(d.changes) > PDF_LIST_LIMIT:
            blocks.append(_text(t("risk.more", n=len(d.changes) - PDF_LIST_LIMIT), "muted"))
    elif d.empty:
        blocks.append(_text(t("cmp.no_change")))
    return blocks


def _why_blocks(ctx: ReportContext, t: Translator) -> list[dict]:
    """Why the plan changed (inside "Änderungen seit der letzten Sitzung"): top causes first."""
    a = ctx.why
    if a is None:
        return [_text(t("why.missing", reason=ctx.why_missing), "muted")] if ctx.why_missing else []
    blocks = [_h(t("why.title")), _text(t("why.intro", replans=replans_text(t, a.replans)))]
    lines = top_lines(t, a)
    blocks += [_text(f"{k}. {line.headline}" + (f" ({line.split})" if line.split else ""))
               for k, line in enumerate(lines, 1)] or [_text(t("why.none"))]
    blocks += [_text(t(note), "muted") for note in a.notes]
    if a.figures:
        blocks.append(_table(t("why.figures_caption"), [_col(t("col.figure"), width=2), _col(t("col.delta"), "right", 1.2),
                                                       _col(t("why.col.cause"), width=4)],
                             [[t(f"fig.{f.key}") if k == 0 else "", t.value(d, f.kind), cause_text(t, a.cause(cid))]
                              for f in a.figures for k, (cid, d) in enumerate(f.parts)]))
    if a.systems:
        rows = [[s.system, s.changes[0].old or "–", s.changes[0].new or "–", cause_short(t, a.cause(s.cause)),
                 via_text(t, s)] for s in a.systems[:PDF_LIST_LIMIT]]
        blocks.append(_table(t("why.systems_caption"), [_col(t("col.system"), width=2.2), _col(t("col.old"), width=1),
                                                       _col(t("col.new"), width=1), _col(t("why.col.cause"), width=2.6),
                                                       _col(t("why.col.via"), width=2.6)], rows))
        if len(a.systems) > PDF_LIST_LIMIT:
            blocks.append(_text(t("risk.more", n=len(a.systems) - PDF_LIST_LIMIT), "muted"))
    return blocks


def _h(text: str) -> dict:
    return {"kind": "heading", "text": text, "pagebreak": False, "outlined": False}


def _vorlage_blocks(ctx: ReportContext, t: Translator) -> list[dict]:
    """The Beschlussvorlage: the same content as the HTML's first chapter, amounts rounded."""
    v = ctx.vorlage
    assert v is not None
    mr = t.money_round
    blocks: list[dict] = [{"kind": "facts", "items": [[label, value] for label, value in v.header]}]
    if v.overdue_text:
        blocks.append({"kind": "banner", "text": v.overdue_text})
    blocks += [_h(t("vl.gegenstand_h")), _text(v.gegenstand), _h(t("vl.sachverhalt_h"))]
    blocks += [_text(s) for s in v.sachverhalt]
    blocks += [_h(t("vl.optionen_h")), _text(v.scope_text, "" if v.scope_same else "warn")]

    def missed(o) -> str:
        return "; ".join(t(f"vl.missed.{k}", n=t.number(n)) for k, n in o.missed) or t("vl.missed.none")

    rec = v.recommended.key if v.recommended else None
    blocks.append(_table(t("vl.optionen_h"), [
        _col(t("vl.col.option"), width=2.2), _col(t("vl.col.orgs"), "right", 1.1),
        _col(t("vl.col.period"), width=1.3), _col(t("vl.col.tco_plan"), "right", 1.3),
        _col(t("vl.col.tco_savings"), "right", 1.3), _col(t("vl.col.npv_savings"), "right", 1.3),
        _col(t("vl.col.one_off"), "right", 1.1), _col(t("vl.col.risk_plan"), "right", 1.3),
        _col(t("vl.col.missed"), width=1.5)],
        [[o.name + (f" ({t('vl.recommended_mark')})" if o.key == rec else ""), t.number(len(o.orgs)),
          f"{o.first} – {o.last}", mr(o.tco_plan), mr(o.tco_savings), mr(o.npv_savings), mr(o.one_off),
          mr(o.risk_plan), missed(o)] for o in v.options]))
    blocks += [_h(t("vl.empfehlung_h")), _text(f"{t('vl.rule_h')}: {v.rule_text}")]
    blocks += [_text(f"• {r}") for r in v.reasons]
    blocks += [_h(t("vl.finanzen_h"))] + [_text(s) for s in v.finance_text]
    rows = []
    k = t.thousands
    for f in [*v.finance, v.finance_total]:
        rows.append([str(f.year) if f.year is not None else t("doc.total")]
                    + [k(f.by_payer[p]) for p in v.payers]
                    + [k(f.one_off), k(f.recurring), k(f.total), k(f.status_quo), k(f.funding), k(f.risk)])
    blocks.append(_table(t("vl.f.caption") + f" ({t('vl.f.unit')})", [_col(t("vl.f.year"), width=1.1)]
                         + [_col(t(f"payer.{p}"), "right", 1.1) for p in v.payers]
                         + [_col(t("vl.f.one_off"), "right", 1.1), _col(t("vl.f.recurring"), "right", 1.1),
                            _col(t("vl.f.total_col"), "right", 1.1), _col(t("vl.f.status_quo"), "right", 1.1),
                            _col(t("vl.f.funding_col"), "right", 1.2), _col(t("vl.f.risk_col"), "right", 1.2)],
                         rows, total=True))
    blocks.append(_table(t("vl.pc.caption"), [_col(t("summary.figure"), width=3), _col(t("summary.value"), "right", 1)],
                         [[label, t.value(value, kind) if value is not None else "–"]
                          for label, kind, value in v.per_capita]))
    blocks.append(_h(t("vl.risiken_h")))
    if v.risks:
        blocks.append(_table(t("vl.r.caption"), [_col(t("reg.col.desc"), width=2.6), _col(t("reg.col.w"), width=1),
                                                 _col(t("reg.col.a"), width=1), _col(t("reg.col.measure"), width=3),
                                                 _col(t("reg.col.owner"), width=1.5)],
                             [[r.beschreibung, t(f"reg.level.{r.wahrscheinlichkeit}"), t(f"reg.level.{r.auswirkung}"),
                               r.massnahme, r.verantwortlich] for r in v.risks]))
    else:
        blocks.append(_text(t("reg.none"), "muted"))
    blocks += [_h(t("vl.beschluss_h")), _text(v.beschluss[0], "strong")]
    blocks += [_text(f"{i}. {b}") for i, b in enumerate(v.beschluss[1:], 1)]
    blocks += [_h(t("vl.anlagen_h")), _text(" · ".join(f"{i}. {a}" for i, a in enumerate(v.anlagen, 1)))]
    return blocks


def _annex_blocks(ctx: ReportContext, t: Translator) -> list[tuple[str, list[dict]]]:
    """Risikoregister, Kosten im Einzelnen (to the cent), Annahmen, Methodik."""
    from .html import method_status
    from .vorlage import assumption_label, assumption_value

    out: list[tuple[str, list[dict]]] = []
    reg = [_text(t("reg.rule"), "muted")]
    if ctx.register:
        reg.append(_table(t("reg.caption"), [
            _col(t("reg.col.nr"), "right", 0.4), _col(t("reg.col.desc"), width=2), _col(t("reg.col.cause"), width=2),
            _col(t("reg.col.w"), width=0.9), _col(t("reg.col.a"), width=0.9), _col(t("reg.col.rang"), "right", 0.5),
            _col(t("reg.col.measure"), width=2.4), _col(t("reg.col.owner"), width=1.3),
            _col(t("reg.col.affected"), width=1.6)],
            [[str(i), r.beschreibung, r.ursache, t(f"reg.level.{r.wahrscheinlichkeit}"), t(f"reg.level.{r.auswirkung}"),
              str(r.rang), r.massnahme, r.verantwortlich, r.betroffen] for i, r in enumerate(ctx.register, 1)]))
    else:
        reg.append(_text(t("reg.none"), "muted"))
    if ctx.overdue:
        reg.append(_table(f"{t('time.overdue_caption')} ({t('time.asof')} {t.date(ctx.as_of)})",
                          [_col(t("col.system"), width=2.5), _col(t("col.org"), width=2), _col(t("col.domain"), width=2),
                           _col(t("col.wave"), width=1)],
                          [[s.name, s.org_name, s.domain_name, s.a.quarter_label or "–"]
                           for s in ctx.overdue[:PDF_LIST_LIMIT]]))
        if len(ctx.overdue) > PDF_LIST_LIMIT:
            reg.append(_text(t("risk.more", n=len(ctx.overdue) - PDF_LIST_LIMIT), "muted"))
    out.append(("sec.register", reg))
    c = ctx.plan.costs
    rows = []
    for scen, cash, risk in (("status_quo", c.tco_status_quo, c.risk_status_quo), ("plan", c.tco_plan, c.risk_plan)):
        for s, cat, by_year in ctx.cost_rows:
            if s == scen and cat != "eol_penalty":
                rows.append([t(f"cost.{cat}"), t(f"col.{scen}"), t("kind.cash"), t.money(sum(by_year.values()))])
        rows += [[t("cost.cash_total"), t(f"col.{scen}"), t("kind.cash"), t.money(cash)],
                 [t("cost.eol_penalty"), t(f"col.{scen}"), t("kind.risk"), t.money(risk)],
                 [t("cost.grand_total"), t(f"col.{scen}"), "", t.money(cash + risk)]]
    out.append(("sec.finance_detail", [
        _table(t("fin.caption", years=len(ctx.cost_years)), [_col(t("col.cost_category"), width=3), _col(t("col.scenario"), width=1.2),
                                           _col(t("col.kind"), width=1.2), _col(t("doc.total"), "right", 1.5)], rows),
        _text(f"{t('cost.eol_penalty')}: {t('cost.eol_penalty.basis')}.", "muted")]))
    reg_a = ctx.plan.assumptions
    if reg_a:
        flagged = sum(a.source is None for a in reg_a)
        out.append(("sec.assumptions", [
            _text(t("as.flagged", n=t.number(flagged), total=t.number(len(reg_a)))),
            _table(t("as.caption"), [_col(t("as.key"), width=3), _col(t("as.value"), "right", 1.2),
                                     _col(t("as.unit"), width=1.5), _col(t("as.kind"), width=1.3),
                                     _col(t("as.source"), width=2)],
                   [[assumption_label(a.key, t, ctx.names), assumption_value(a.value, t), a.unit, t(f"askind.{a.kind}"),
                     a.source or f"⚠ {t('as.annahme')}"]
                    for a in reg_a])]))
    else:
        out.append(("sec.assumptions", [_text(t("as.none"), "muted")]))
    meth = [_text(t("m.intro")), _text(t("m.gap", gap=t.percent(ctx.risks.max_gap or 0, 2)))]
    for s in ctx.plan.solver:
        if s.step == "schedule" and s.baseline_objective is not None and s.objective is not None:
            meth.append(_text(t("m.baseline", baseline=t.number(s.baseline_objective), objective=t.number(s.objective))))
    meth.append(_table(t("m.caption"), [_col(t("m.col.step"), width=1.6), _col(t("m.col.method"), width=3),
                                        _col(t("m.col.result"), width=1.8), _col(t("m.col.gap"), "right", 1.2)],
                       [[t(f"m.step.{s.step}"), t(f"m.method.{s.step}"), t(method_status(s.status)),
                         t.percent(s.gap, 2)] for s in ctx.plan.solver]))
    meth.append(_text(t("m.solver_note"), "muted"))
    out.append(("sec.methodik", meth))
    return out


def pdf_document(ctx: ReportContext, t: Translator) -> dict:
    """The JSON document ``templates/report.typ`` lays out: strings only, all formatted."""
    meta = ctx.plan.meta
    tbl = {x.id: x for x in build_tables(ctx, t)}
    svg = all_charts(ctx, t)
    chapters: list[dict] = []

    def chapter(key: str, blocks: list[dict]) -> None:
        chapters.append({"id": key, "title": t(key), "blocks": blocks})

    chapter("sec.vorlage", _vorlage_blocks(ctx, t))

    # Zusammenfassung
    figs = {f.key: f for f in ctx.figures}

    def rounded(f) -> str:
        return t.value(f.value, "money_round" if f.kind == "money" else f.kind)

    summary = [
        {"kind": "tiles", "items": [[t(f"fig.{k}"), rounded(figs[k])] for k in HEADLINE]},
        {"kind": "tiles", "style": "beside", "items": [[t(f"fig.{k}"), rounded(figs[k])] for k in BESIDE_HEADLINE]},
        _table(t("summary.figures_caption"), [_col(t("summary.figure"), width=3), _col(t("summary.value"), "right", 1)],
               [[t(f"fig.{f.key}"), rounded(f)] for f in ctx.figures]),
        _svg(svg["costs"]),
        *_from_table(tbl["domains"], t, t("summary.domains_caption")),
    ]
    if ctx.funding_rows:
        years = ctx.funding_years
        summary.append(_table(
            t("summary.funding_caption"),
            [_col(t("col.milestone_kind"), width=2), _col(t("col.releases"), "right", 1)]
            + [_col(str(y), "right", 1.3) for y in years] + [_col(t("doc.total"), "right", 1.5)],
            [[t(f"milestone.{kind}") if t.has(f"milestone.{kind}") else kind, t.number(count)]
             + [t.money_round(by_year[y]) if y in by_year else "" for y in years]
             + [t.money_round(sum(by_year.values()))] for kind, count, by_year in ctx.funding_rows]))
    else:
        summary.append(_text(t("summary.funding_none"), "muted"))
    chapter("sec.summary", summary)

    if ctx.soll_ist is not None:  # Soll/Ist, right after the summary as in the HTML
        from .sollist import pdf_chapter as sollist_chapter
        from .sollist import sollist_view

        chapters.append(sollist_chapter(sollist_view(ctx.soll_ist, t, ctx.names, ctx.soll_ist_baseline), _svg))

    # Landkarte
    land = []
    if ctx.heat_by_kreis:
        land.append(_text(t("map.aggregated", orgs=t.number(len(ctx.orgs))), "muted"))
    land += [_svg(svg["heatmap"]), _svg(svg["heatmap_eol"]), *_from_table(tbl["kreise"], t, t("map.kreis_caption"))]
    chapter("sec.landscape", land)

    # Migrationsplan
    mig = [_svg(svg["gantt"]), _svg(svg["capacity"]), *_from_table(tbl["waves"], t, t("waves.caption"))]
    if tbl["blackouts"].rows:
        mig += _from_table(tbl["blackouts"], t, t("blackouts.caption"))
    mig += _from_table(tbl["targets"], t, t("targets.caption"))
    chapter("sec.migration", mig)

    # Rechenzentren
    if ctx.data_centres:
        chapter("sec.datacentres", [_svg(svg["dc"]), *_from_table(tbl["datacentres"], t, t("dc.caption"))])
    else:
        chapter("sec.datacentres", [_text(t("dc.none"), "muted")])

    # Risiken
    r = ctx.risks
    pct = t.percent(HOTSPOT_THRESHOLD, 0)
    risks = [_table(t("risk.summary_caption"), [_col(t("risk.kind"), width=4), _col(t("risk.count"), "right", 1)], [
        [t("risk.eol"), t.number(len(r.eol))],
        [t("risk.past_eol"), t.number(r.past_eol)],
        [t("risk.capacity_waves", pct=pct), t.number(len(r.wave_hotspots))],
        [t("risk.capacity_dcs", pct=pct), t.number(len(r.dc_hotspots))],
        [t("risk.low_confidence"), t.number(len(r.low_confidence)) if r.low_confidence is not None else "–"],
        [t("risk.estimated"), t.number(r.estimated) if r.estimated is not None else "–"],
        [t("risk.conflicts"), t.number(len(ctx.plan.conflicts))],
    ])]
    if r.eol:
        risks.append(_table(t("risk.eol_caption"), [_col(t("col.system"), width=3), _col(t("col.org"), width=2),
                                                    _col(t("col.domain"), width=2), _col(t("col.eol"), width=1.1),
                                                    _col(t("col.wave"), width=1), _col(t("col.held_by"), width=1.6)],
                            [[s.name, s.org_name, s.domain_name, t.date(s.a.end_of_life), s.a.quarter_label or "–",
                              t(f"binding.{s.a.binding.kind}") if t.has(f"binding.{s.a.binding.kind}")
                              else s.a.binding.kind] for s in r.eol[:PDF_LIST_LIMIT]]))
        if len(r.eol) > PDF_LIST_LIMIT:
            risks.append(_text(t("risk.more", n=len(r.eol) - PDF_LIST_LIMIT), "muted"))
    if r.wave_hotspots or r.dc_hotspots:
        risks.append(_table(t("risk.hotspot_caption"), [_col(t("risk.resource"), width=3),
                                                        _col(t("col.description"), width=3),
                                                        _col(t("risk.use"), "right", 1)],
                            [[label, t(f"fig.{res}_total"), t.percent(use)] for label, res, use in r.wave_hotspots]
                            + [[name, t(f"col.use_{res}"), t.percent(use)] for name, res, use in r.dc_hotspots]))
    if r.low_confidence is None:
        risks.append(_text(f"{t('risk.low_confidence')}: {t('doc.no_inventory')}", "muted"))
    elif r.low_confidence:
        risks.append(_table(t("risk.confidence_caption"), [_col(t("col.system"), width=3),
                                                           _col(t("col.org"), width=2), _col(t("col.domain"), width=2),
                                                           _col(t("col.decision"), width=1.5)],
                            [[s.name, s.org_name, s.domain_name, t(f"decision.{s.a.decision}")]
                             for s in r.low_confidence[:PDF_LIST_LIMIT]]))
        if len(r.low_confidence) > PDF_LIST_LIMIT:
            risks.append(_text(t("risk.more", n=len(r.low_confidence) - PDF_LIST_LIMIT), "muted"))
    if ctx.plan.conflicts:
        risks.append(_table(t("risk.conflict_caption"), [_col(t("col.constraints"), width=2),
                                                         _col(t("col.explanation"), width=4)],
                            [[", ".join(c.constraints), t.reason(c.reason, c.parts)] for c in ctx.plan.conflicts]))
    risks.append(_text(f"{t('reg.rule')} → {t('sec.register')}", "muted"))
    chapter("sec.risks", risks)
    register_blocks = _annex_blocks(ctx, t)

    # Ausnahmen
    chapter("sec.exceptions", _from_table(tbl["exceptions"], t, t("exc.caption")) if tbl["exceptions"].rows
            else [_text(t("exc.none"), "muted")])

    # OZG/EfA
    if ctx.inventory is None:
        chapter("sec.ozg", [_text(t("doc.no_inventory"), "muted")])
    elif not ctx.services:
        chapter("sec.ozg", [_text(t("ozg.none"), "muted")])
    else:
        total = len(ctx.inventory.services)
        efa = sum(1 for s in ctx.inventory.services if s.kind == "efa")
        chapter("sec.ozg", [
            {"kind": "tiles", "items": [[t("ozg.total"), t.number(total)],
                                        [t("ozg.efa"), f"{t.number(efa)} ({t.percent(efa / total if total else 0)})"],
                                        [t("ozg.distinct"), t.number(len(ctx.services))]]},
            *_from_table(tbl["services"], t, t("ozg.caption")),
        ])

    if ctx.sweep is not None:  # Bandbreiten (landkarte plan sweep), where the HTML has it
        from .sweep import pdf_chapter

        chapters.append(pdf_chapter(ctx.sweep, t, _svg))
    if ctx.compare is not None:
        chapter("sec.compare", _diff_blocks(ctx, t, ctx.compare, t("cmp.caption"), True))
    if ctx.previous is not None:
        blocks = _diff_blocks(ctx, t, ctx.previous, t("prev.caption"), False, moved=ctx.why is None)
        chapter("sec.previous", blocks[:1] + _why_blocks(ctx, t) + blocks[1:])

    # Anhang
    if ctx.appendix == "org":
        chapter("sec.appendix", _appendix_org(ctx, t))
    elif ctx.appendix == "kreis":
        chapter("sec.appendix_kreis", _appendix_kreis(ctx, t))

    for key, blocks in register_blocks:
        chapter(key, blocks)
    chapter("sec.provenance", [_table(t("prov.title"), [_col(t("col.key"), width=1), _col(t("col.value"), width=3)],
                                      [list(row) for row in provenance_rows(ctx, t)])])

    banners = []
    if ctx.synthetic:
        banners.append({"kind": "banner", "text": t("doc.synthetic")})
    if not ctx.plan.feasible:
        banners.append({"kind": "banner", "text": t("doc.infeasible")})
    prov = (f"{meta.scenario_name} · {t('prov.inventory')} {meta.inventory_hash[:12]} · landkarte {ctx.tool_version}"
            f" · {t.date(ctx.generated_at)}" + (f" · {t('doc.synthetic_short')}" if ctx.synthetic else ""))
    return {
        "lang": t.lang,
        "title": t("doc.title"),
        "subtitle": f"{t('doc.subtitle', scenario=meta.scenario_name)} · {t('prov.generated')} "
                    f"{t.date(ctx.generated_at)}",
        "tool_version": ctx.tool_version,
        "provenance_line": prov,
        "labels": {"toc": t("doc.toc"), "page": t("doc.page")},
        "banners": banners,
        "chapters": chapters,
    }


def _appendix_org(ctx: ReportContext, t: Translator) -> list[dict]:
    blocks: list[dict] = []
    for o in ctx.orgs:
        facts = [[t("col.kind"), o.org.kind], [t("col.kreis"), o.kreis_name or "–"]]
        if o.org.ags:
            facts.append([t("col.ags"), o.org.ags])
        if o.org.population:
            facts.append([t("col.population"), t.number(o.org.population)])
        zv = t.boolean(o.org.zweckverband_member)
        if o.org.exit_date:
            zv += f" ({t('col.exit_date')} {t.date(o.org.exit_date)})"
        facts += [
            [t("col.zweckverband"), zv],
            [t("col.systems"), (f"{t.number(len(o.systems))} ({t('col.migrate')} {t.number(o.migrate)}, "
                               f"{t('col.exceptions')} {t.number(o.exceptions)})")],
            [t("col.wave"), f"{_qlabel(ctx, o.first_quarter)} – {_qlabel(ctx, o.last_quarter)}"],
            [t("col.one_off"), t.money(o.one_off)],
            [f"{t('col.tco_status_quo')} / {t('col.tco_plan')}", f"{t.money(o.tco_status_quo)} / {t.money(o.tco_plan)}"],
        ]
        if ctx.inventory is not None:
            facts.append([t("col.services"), f"{t.number(o.services)} ({t('col.efa')} {t.number(o.efa)})"])
        blocks += [{"kind": "heading", "text": o.org.name, "pagebreak": True, "outlined": True},
                   {"kind": "facts", "items": facts}]
        if not o.org.participates:
            blocks.append(_text(t("app.outside"), "warn"))
        if o.systems:
            blocks.append(_table(
                t("app.systems_caption", org=o.org.name),
                [_col(t("col.system"), width=2.2), _col(t("col.domain"), width=1.8),
                 _col(t("col.product_before"), width=1.8), _col(t("col.decision"), width=1.2),
                 _col(t("col.target"), width=1.8), _col(t("col.wave"), width=0.9),
                 _col(t("col.one_off"), "right", 1.3)],
                [[s.name + (" ⚠" if s.eol_risk else ""), s.domain_name, s.product_before,
                  t(f"decision.{s.a.decision}"), s.target_product, s.a.quarter_label or "–",
                  t.money(s.a.one_off_cost)] for s in o.systems]))
        else:
            blocks.append(_text(t("app.no_systems"), "muted"))
        if o.cost_by_category:
            rows = []
            for cat in _COST_CATEGORIES[:-1]:  # cash; the risk line follows the cash total
                sq, pl = o.cost_by_category.get(("status_quo", cat)), o.cost_by_category.get(("plan", cat))
                if sq is not None or pl is not None:
                    rows.append([t(f"cost.{cat}"), t.money(sq) if sq is not None else "–",
                                 t.money(pl) if pl is not None else "–"])
            rows.append([t("cost.cash_total"), t.money(o.tco_status_quo), t.money(o.tco_plan)])
            rows.append([t("cost.risk_total"), t.money(o.risk_status_quo), t.money(o.risk_plan)])
            rows.append([t("cost.grand_total"), t.money(o.tco_status_quo + o.risk_status_quo),
                         t.money(o.tco_plan + o.risk_plan)])
            blocks.append(_table(t("app.costs_caption", org=o.org.name, years=len(ctx.cost_years)),
                                 [_col(t("col.cost_category"), width=2), _col(t("col.status_quo"), "right", 1),
                                  _col(t("col.plan"), "right", 1)], rows, total=True))
    return blocks


def _appendix_kreis(ctx: ReportContext, t: Translator) -> list[dict]:
    blocks: list[dict] = []
    if ctx.aggregated:
        blocks.append(_text(t("app.aggregated", orgs=t.number(len(ctx.orgs))), "muted"))
    for k in ctx.kreise:
        name = k.name or t("doc.unassigned_kreis")
        rows = [[o.org.name, t.number(len(o.systems)), t.number(o.migrate), t.number(o.exceptions),
                 f"{_qlabel(ctx, o.first_quarter)}–{_qlabel(ctx, o.last_quarter)}", t.money(o.one_off),
                 t.money(o.tco_plan)] for o in k.orgs]
        rows.append([t("doc.total"), t.number(k.systems), t.number(k.migrate), t.number(k.exceptions), "",
                     t.money(k.one_off), t.money(k.tco_plan)])
        blocks += [{"kind": "heading", "text": name, "pagebreak": True, "outlined": True},
                   _table(t("app.kreis_caption", kreis=name),
                          [_col(t("col.org"), width=2.5), _col(t("col.systems"), "right", 1),
                           _col(t("col.migrate"), "right", 1), _col(t("col.exceptions"), "right", 1),
                           _col(t("col.wave"), width=1.8), _col(t("col.one_off"), "right", 1.5),
                           _col(t("col.tco_plan"), "right", 1.5)], rows, total=True)]
    return blocks


def _cannot_stop() -> None:
    """typst has no way to stop a compile: Ctrl-C leaves it to finish unheeded while the process ends."""
