"""The report's Soll/Ist section: planned vs delivered per quarter and domain, slippage, late items with their
cause, burn-ups of systems migrated and of funding (geplant, nachgewiesen, abgerufen).

The figures come from :func:`actuals.sollist.soll_ist` (counting, never re-planning); this module formats them
once for HTML and PDF (:class:`SollIstView`, strings) and as typed tables for the XLSX (:func:`sollist_tables`).
"""

from __future__ import annotations

from dataclasses import dataclass

from actuals.sollist import BurnPoint, LateItem, SollIst

from .charts import COLOURS, Line, Svg, Text, _legend
from .messages import Translator
from .tables import Column, Table

__all__ = ["SollIstView", "burnup", "cause_text", "pdf_chapter", "sollist_tables", "sollist_view"]

_LINES = {"soll": "#9e9e9e", "ist": "#3b6fb6", "forecast": "#e0913a", "called": "#5a9e5a"}


def cause_text(item: LateItem, t: Translator, names: dict[str, str]) -> str:
    """The cause of a late item in words."""
    if item.cause == "postponed":
        if item.not_before is not None:
            return t("si.cause.postponed_until", day=t.date(item.not_before), reason=item.reason)
        return t("si.cause.postponed", reason=item.reason)
    if item.cause == "in_progress":
        return t("si.cause.in_progress", day=t.date(item.since))
    if item.cause == "target_late":
        return t("si.cause.target_late", target=names.get(item.target or "", item.target or ""),
                 day=t.date(item.since))
    return t(f"si.cause.{item.cause}")


def burnup(points: list[BurnPoint], t: Translator, *, chart_id: str, title: str, desc: str, money: bool,
           labels: dict[str, str], as_of_quarter: int) -> Svg:
    """Cumulative lines per quarter end (Soll always, Ist to the day, forecast / abgerufen where given)."""
    n = max(len(points), 1)
    qw, label_w, top, h = max(18.0, min(60.0, 380 / n)), 70, 14, 160
    peak = max([p.soll for p in points] + [p.ist or 0 for p in points] + [p.forecast or 0 for p in points] + [1.0])
    scale = h / peak
    fmt = t.money_round if money else t.number
    items: list = [Line(label_w, top + h, label_w + n * qw, top + h, COLOURS["text"])]
    # four grid lines; counts on whole numbers (no "1, 1, 2, 2" on a small plan)
    ticks = [peak * f for f in (0.25, 0.5, 0.75, 1.0)] if money else sorted(
        {round(peak * f) for f in (0.25, 0.5, 0.75, 1.0)} - {0})
    for v in ticks:
        yy = top + h - v * scale
        items.append(Line(label_w, yy, label_w + n * qw, yy))
        items.append(Text(label_w - 4, yy + 3, fmt(v), anchor="end", size=8))
    for i, p in enumerate(points):
        if n <= 8:  # few quarters: each labelled
            items.append(Text(label_w + (i + 1) * qw, top + h + 12, p.label, anchor="end", size=8))
        elif p.label.endswith("Q1") or i == 0:
            items.append(Text(label_w + i * qw + 1, top + h + 12, p.label[:4], size=8))
        if p.quarter == as_of_quarter:
            x = label_w + (i + 1) * qw
            items.append(Line(x, top, x, top + h, COLOURS["capacity"], 1))
            items.append(Text(x + 2, top - 3, t("si.asof_mark"), size=8, fill=COLOURS["capacity"]))

    def series(values: list[float | None], colour: str, width: float) -> None:
        prev = None
        for i, v in enumerate(values):
            if v is None:
                prev = None
                continue
            x, y = label_w + (i + 1) * qw, top + h - v * scale
            if prev is not None:
                items.append(Line(prev[0], prev[1], x, y, colour, width))
            prev = (x, y)

    if any(p.forecast is not None for p in points):  # under the Soll line: where they agree both stay visible
        series([p.forecast for p in points], _LINES["forecast"], 4)
    series([p.soll for p in points], _LINES["soll"], 1.5)
    if any(p.extra is not None for p in points):
        series([p.extra for p in points], _LINES["called"], 2.5)
    series([p.ist for p in points], _LINES["ist"], 2.5)
    legend = [(labels["soll"], _LINES["soll"]), (labels["ist"], _LINES["ist"])]
    if "forecast" in labels and any(p.forecast is not None for p in points):
        legend.append((labels["forecast"], _LINES["forecast"]))
    if "called" in labels:
        legend.append((labels["called"], _LINES["called"]))
    items += _legend(t, legend, 4, top + h + 30)
    # the last values as text (readers of the PDF cannot hover)
    last_ist = next((p for p in reversed(points) if p.ist is not None), None)
    if last_ist is not None:
        i = points.index(last_ist)
        items.append(Text(label_w + (i + 1) * qw + 3, top + h - last_ist.ist * scale + 12, fmt(last_ist.ist),
                          size=8, fill=_LINES["ist"]))
        items.append(Text(label_w + (i + 1) * qw + 3, top + h - last_ist.soll * scale - 4, fmt(last_ist.soll),
                          size=8, fill="#616161"))
    width = max(label_w + n * qw + 60, 440)
    return Svg(chart_id, width, top + h + 40, title, desc, tuple(items))


@dataclass(slots=True)
class SollIstView:
    """The section formatted: paragraphs, tiles, charts and tables as (header, rows) of strings."""

    title: str
    paragraphs: list[str]
    tiles: list[tuple[str, str]]
    charts: list[Svg]
    quarters: tuple[tuple[str, ...], list[tuple[str, ...]]]
    domains: tuple[tuple[str, ...], list[tuple[str, ...]]]
    late: tuple[tuple[str, ...], list[tuple[str, ...]]]
    early: tuple[tuple[str, ...], list[tuple[str, ...]]]
    quarters_caption: str = ""
    domains_caption: str = ""
    late_caption: str = ""
    early_caption: str = ""
    none_late: str = ""


def _slip(n: int, lower: bool, t: Translator) -> str:
    text = t.number(n)
    return t("si.at_least", n=text) if lower else text


def sollist_view(si: SollIst, t: Translator, names: dict[str, str], baseline: str) -> SollIstView:
    """Everything the HTML and the PDF show of ``si``."""
    paragraphs = [
        t("si.intro", day=t.date(si.as_of), quarter=si.as_of_label, baseline=baseline, reported=t.date(si.reported)),
        t("si.summary", day=t.date(si.as_of), planned=t.number(si.planned_due), delivered=t.number(si.delivered_due),
          late=t.number(si.planned_due - si.delivered_due), total=t.number(si.delivered_total),
          early=t.number(len(si.early))),
    ]
    if si.burn_funding:
        paragraphs.append(t("si.funding", day=t.date(si.as_of), planned=t.money_round(si.funding_planned_due),
                            proven=t.money_round(si.funding_nachgewiesen), called=t.money_round(si.funding_abgerufen)))
    tiles = [(t("si.tile.due"), t.number(si.planned_due)), (t("si.tile.done"), t.number(si.delivered_due)),
             (t("si.tile.late"), t.number(si.planned_due - si.delivered_due)),
             (t("si.tile.early"), t.number(len(si.early)))]
    if si.burn_funding:
        tiles.append((t("si.tile.funding_proven"), t.money_round(si.funding_nachgewiesen)))
    charts = [burnup(si.burn_systems, t, chart_id="burnup-systems", title=t("si.burn_systems"),
                     desc=t("si.burn_systems_desc"), money=False, as_of_quarter=si.as_of_quarter,
                     labels={"soll": t("si.line.soll"), "ist": t("si.line.ist"), "forecast": t("si.line.forecast")})]
    if si.burn_funding:
        charts.append(burnup(si.burn_funding, t, chart_id="burnup-funding", title=t("si.burn_funding"),
                             desc=t("si.burn_funding_desc"), money=True, as_of_quarter=si.as_of_quarter,
                             labels={"soll": t("si.line.planned"), "ist": t("si.line.proven"),
                                     "called": t("si.line.called")}))
    q_head = tuple(t(f"si.col.{k}") for k in ("quarter", "planned", "delivered", "on_time", "planned_cum",
                                                "delivered_cum"))
    q_rows = [(r.label, t.number(r.planned), t.number(r.delivered), t.number(r.delivered_on_time),
               t.number(r.planned_cum), t.number(r.delivered_cum)) for r in si.quarters]
    d_head = tuple(t(f"si.col.{k}") for k in ("domain", "planned", "delivered", "late", "early", "mean_slip"))
    d_rows = [(d.name, t.number(d.planned_due), t.number(d.delivered_due), t.number(d.late),
               t.number(d.delivered_early), t.number(d.mean_slip, 1)) for d in si.domains]
    l_head = tuple(t(f"si.col.{k}") for k in ("system", "org", "domain", "planned_quarter", "new_quarter",
                                                "slip", "cause"))
    l_rows = [(names.get(x.system, x.system), names.get(x.item.org, x.item.org), names.get(x.item.domain, x.item.domain),
               x.item.planned_label, x.item.new_label or (t.date(x.item.actual_date) if x.item.actual_date else "–"),
               _slip(x.item.slip, x.item.slip_is_lower_bound, t), cause_text(x, t, names))
              for x in sorted(si.late, key=lambda x: (-x.item.slip, x.system))]
    e_head = tuple(t(f"si.col.{k}") for k in ("system", "org", "planned_quarter", "done_on", "slip"))
    e_rows = [(names.get(x.system, x.system), names.get(x.org, x.org), x.planned_label, t.date(x.actual_date),
               t.number(x.slip)) for x in si.early]
    return SollIstView(t("sec.sollist"), paragraphs, tiles, charts, (q_head, q_rows), (d_head, d_rows),
                       (l_head, l_rows), (e_head, e_rows), t("si.quarters_caption"), t("si.domains_caption"),
                       t("si.late_caption"), t("si.early_caption"), t("si.none_late"))


def sollist_tables(si: SollIst, t: Translator, names: dict[str, str]) -> list[Table]:
    """The Soll/Ist sheets of the XLSX, typed (numbers as numbers, days as dates)."""
    def c(key: str, kind: str = "text", width: int = 14) -> Column:
        return Column(t(key), kind, width)

    quarters = Table("si_quarters", t("sheet.si_quarters"), (
        c("si.col.quarter", width=10), c("si.col.planned", "int"), c("si.col.delivered", "int"),
        c("si.col.on_time", "int"), c("si.col.planned_cum", "int"), c("si.col.delivered_cum", "int")),
        [(r.label, r.planned, r.delivered, r.delivered_on_time, r.planned_cum, r.delivered_cum) for r in si.quarters])
    domains = Table("si_domains", t("sheet.si_domains"), (
        c("si.col.domain", width=34), c("si.col.planned", "int"), c("si.col.delivered", "int"),
        c("si.col.late", "int"), c("si.col.early", "int"), c("si.col.mean_slip", "float", 18)),
        [(d.name, d.planned_due, d.delivered_due, d.late, d.delivered_early, d.mean_slip) for d in si.domains])
    matrix = Table("si_matrix", t("sheet.si_matrix"), (
        c("si.col.quarter", width=10), c("si.col.domain", width=34), c("si.col.planned", "int"),
        c("si.col.delivered", "int")),
        [(_label(si, q), names.get(d, d), p, i) for q, d, p, i in si.matrix])
    late = Table("si_late", t("sheet.si_late"), (
        c("col.system_id", width=30), c("si.col.system", width=30), c("si.col.org", width=24),
        c("si.col.domain", width=24), c("si.col.planned_quarter", width=10), c("si.col.replanned", width=10),
        c("si.col.done_on", "date", 12), c("si.col.slip", "int", 10), c("si.col.cause", width=20),
        c("col.explanation", width=60)),
        [(x.system, names.get(x.system, x.system), names.get(x.item.org, x.item.org),
          names.get(x.item.domain, x.item.domain), x.item.planned_label, x.item.new_label or "", x.item.actual_date,
          x.item.slip, t(f"si.cause_short.{x.cause}"), cause_text(x, t, names))
         for x in sorted(si.late, key=lambda x: (-x.item.slip, x.system))]
        + [(x.system, names.get(x.system, x.system), names.get(x.org, x.org), names.get(x.domain, x.domain),
            x.planned_label, "", x.actual_date, x.slip, t("si.col.early"), "") for x in si.early])
    burn = Table("si_burnup", t("sheet.si_burnup"), (
        c("si.col.quarter", width=10), *(Column(t("si.burn.sys", line=t(f"si.line.{k}")), "int", w)
                                         for k, w in (("soll", 14), ("ist", 14), ("forecast", 30))),
        *(Column(t("si.burn.fund", line=t(f"si.line.{k}")), "money", 24) for k in ("planned", "proven", "called"))),
        _burn_rows(si))
    return [quarters, domains, matrix, late, burn]


def _label(si: SollIst, q: int) -> str:
    return next((r.label for r in si.quarters if r.quarter == q), str(q))


def _burn_rows(si: SollIst) -> list[tuple]:
    fund = {p.quarter: p for p in si.burn_funding}
    sysp = {p.quarter: p for p in si.burn_systems}
    rows = []
    for q in sorted(set(fund) | set(sysp)):
        s, f = sysp.get(q), fund.get(q)
        label = (s or f).label  # type: ignore[union-attr]
        rows.append((label, _int(s.soll if s else None), _int(s.ist if s else None), _int(s.forecast if s else None),
                     f.soll if f else None, f.ist if f else None, f.extra if f else None))
    return rows


def _int(v: float | None) -> int | None:
    return None if v is None else int(v)


def pdf_chapter(view: SollIstView, svg_block) -> dict:
    """The chapter as blocks of ``templates/report.typ``; ``svg_block`` is the PDF's chart block."""
    def table(caption: str, grid: tuple[tuple[str, ...], list[tuple[str, ...]]], widths: list[float],
              nums: tuple[int, ...] = (1, 2, 3, 4, 5)) -> dict:
        head, rows = grid
        cols = [{"label": h, "align": "right" if i in nums else "left", "width": w}
                for i, (h, w) in enumerate(zip(head, widths, strict=True))]
        return {"kind": "table", "caption": caption, "columns": cols, "rows": [list(r) for r in rows], "total": False}

    blocks: list[dict] = [{"kind": "text", "text": p, "style": ""} for p in view.paragraphs]
    blocks.append({"kind": "tiles", "items": [list(x) for x in view.tiles]})
    blocks += [svg_block(c) for c in view.charts]
    blocks.append(table(view.quarters_caption, view.quarters, [1.2, 1, 1, 1.2, 1.2, 1.2]))
    blocks.append(table(view.domains_caption, view.domains, [3, 1, 1, 1, 1, 1.3]))
    if view.late[1]:
        blocks.append(table(view.late_caption, view.late, [2.2, 1.6, 1.6, 1, 1.1, 0.9, 3.4], nums=(5,)))
    else:
        blocks.append({"kind": "text", "text": view.none_late, "style": "muted"})
    if view.early[1]:
        blocks.append(table(view.early_caption, view.early, [2.5, 2, 1.2, 1.2, 1], nums=(4,)))
    return {"id": "sec.sollist", "title": view.title, "blocks": blocks}

