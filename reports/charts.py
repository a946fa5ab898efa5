"""Chart geometry for the reports: plain SVG primitives, rendered by ``templates/_svg.html.j2``.

Charts are computed here (coordinates, colours, labels) and written out as inline SVG by
the template, with autoescaping, so the HTML needs no chart library and makes no request.
Colours are attributes (not CSS classes) because WeasyPrint's SVG renderer ignores the
page's stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import ReportContext
from .messages import Translator

__all__ = ["COLOURS", "Group", "Line", "Rect", "Svg", "Text", "capacity", "cost_years", "dc_use", "gantt", "heatmap"]

COLOURS = {
    "migrate": "#3b6fb6",
    "rehost": "#6fa8dc",
    "stay": "#5a9e5a",
    "exception": "#e0913a",
    "out_of_scope": "#b9b9b9",
    "mixed": "#8c6bb1",
    "empty": "#f3f3f3",
    "share0": "#e8eef7",
    "share1": "#bfd0ea",
    "share2": "#8fb0dc",
    "share3": "#5f8cc9",
    "share4": "#2f5f9e",
    "eol": "#c62828",
    "eigen": "#2f5f9e",
    "fremd": "#9cbbe3",
    "capacity": "#c62828",
    "blackout": "#9e9e9e",
    "hatch": "#555555",
    "status_quo": "#9e9e9e",
    "plan": "#3b6fb6",
    "grid": "#d0d0d0",
    "eol0": "#dcebdc",
    "eol1": "#f6e08a",
    "eol2": "#ef8a3c",
    "eol3": "#c62828",
    "eolshare0": "#f7ecec",
    "eolshare1": "#efc4c4",
    "eolshare2": "#e39494",
    "eolshare3": "#d05a5a",
    "eolshare4": "#a51f1f",
    "text": "#222222",
}


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str = ""
    opacity: float = 1.0


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    size: float = 10
    rotate: bool = False
    fill: str = COLOURS["text"]


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = COLOURS["grid"]
    width: float = 1


@dataclass(frozen=True, slots=True)
class Group:
    items: tuple
    attrs: dict[str, str] = field(default_factory=dict)
    """``data-*`` attributes for the client-side filter."""


@dataclass(frozen=True, slots=True)
class Svg:
    id: str
    width: float
    height: float
    title: str
    desc: str
    items: tuple


def _short(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters with an ellipsis where it was cut.

    >>> _short("Finanzwesen (Land, nicht Kommunen)", 20)
    'Finanzwesen (Land, …'
    """
    return text if len(text) <= n else text[: n - 1] + "…"


def hatch(x: float, y: float, w: float, h: float, step: float = 4.0) -> list:
    """Diagonal hatching lines inside the box (x, y, w, h), as the Gantt legend promises for blackouts.

    >>> [(round(ln.x1), round(ln.y1), round(ln.x2), round(ln.y2)) for ln in hatch(0, 0, 4, 4, step=4)]
    [(0, 4, 4, 0)]
    """
    out = []
    s = step
    while s < w + h:
        u1, u2 = max(0.0, s - h), min(w, s)
        out.append(Line(x + u1, y + s - u1, x + u2, y + s - u2, COLOURS["hatch"], 0.8))
        s += step
    return out


def _legend(t: Translator, entries: list[tuple[str, str]], x: float, y: float) -> list:
    items: list = []
    for label, colour in entries:
        items.append(Rect(x, y - 9, 10, 10, colour))
        items.append(Text(x + 14, y, label, size=9))
        x += 18 + 6.2 * len(label)
    return items


def heatmap(ctx: ReportContext, t: Translator, *, mode: str = "decision") -> Svg:
    """Organisation (or Kreis) × domain; rows grouped by Kreis with a band per Kreis.

    ``mode="decision"`` colours by the plan's decision (red corner: end-of-life risk);
    ``mode="eol"`` colours by the support status (age / end-of-life risk).
    """
    eol_mode = mode == "eol"
    cell, gap, label_w, top = 14, 1, 210, 130
    doms = ctx.domains
    rows: list = []
    y = top
    current_kreis = None
    for hr in ctx.heat_rows:
        if not ctx.heat_by_kreis and hr.kreis != current_kreis:
            current_kreis = hr.kreis
            rows.append(Group((Text(4, y + 11, hr.kreis_name or t("doc.unassigned_kreis"), size=10),
                               Line(0, y + 14, label_w + len(doms) * cell, y + 14)),
                              {"data-kreis": hr.kreis, "data-kind": "band"}))
            y += cell + 4
        items: list = [Text(label_w - 6, y + 11, hr.label[:34], anchor="end", size=9)]
        for i, c in enumerate(hr.cells):
            x = label_w + i * cell
            title = f"{hr.label} · {ctx.names.get(c.domain, c.domain)}: "
            if c.status == "empty":
                title += t("map.empty")
            elif eol_mode:
                title += (f"{t.percent(c.eol_share)} {t('map.eol_risk')}" if ctx.heat_by_kreis
                          else f"{t(f'eol.{c.eol_level}')} – {c.title}")
            elif ctx.heat_by_kreis:
                title += f"{t.percent(c.share)} ({c.title})"
            else:
                title += c.title
            if c.status == "empty":
                colour = COLOURS["empty"]
            elif eol_mode:
                colour = COLOURS[f"eolshare{c.eol_level}" if ctx.heat_by_kreis else f"eol{c.eol_level}"]
            else:
                colour = COLOURS[c.status]
            items.append(Rect(x, y, cell - gap, cell - gap, colour, title))
            if c.eol and not eol_mode:
                items.append(Rect(x + cell - gap - 5, y, 5, 5, COLOURS["eol"], t("map.eol_risk")))
        attrs = {"data-kreis": hr.kreis}
        if hr.org:
            attrs["data-org"] = hr.org
        rows.append(Group(tuple(items), attrs))
        y += cell
    heads = [Text(label_w + i * cell + 10, top - 6, _short(name, 22), size=9, rotate=True) for i, (_d, name) in enumerate(doms)]
    shares = [f"{t.percent(i / 5, 0)}–{t.percent((i + 1) / 5, 0)}" for i in range(5)]
    if eol_mode and ctx.heat_by_kreis:
        legend = [(label, COLOURS[f"eolshare{i}"]) for i, label in enumerate(shares)]
    elif eol_mode:
        legend = [(t(f"eol.{i}"), COLOURS[f"eol{i}"]) for i in range(4)]
    elif ctx.heat_by_kreis:
        legend = [(label, COLOURS[f"share{i}"]) for i, label in enumerate(shares)]
    else:
        legend = [(t(f"decision.{k}"), COLOURS[k]) for k in ("migrate", "rehost", "stay", "exception", "out_of_scope")]
        legend.append((t("map.mixed"), COLOURS["mixed"]))
    if not eol_mode:
        legend.append((t("map.eol_risk"), COLOURS["eol"]))
    legend_items: list = []
    for i in range(0, len(legend), 3):  # three entries a line: the long EOL labels fit
        legend_items += _legend(t, legend[i:i + 3], 4, y + 26 + 14 * (i // 3))
    width = max(label_w + len(doms) * cell + 10, 760)
    key = ("map.eol_" if eol_mode else "map.") + ("caption_kreis" if ctx.heat_by_kreis else "caption")
    desc = ("map.eol_" if eol_mode else "map.") + ("desc_kreis" if ctx.heat_by_kreis else "desc")
    return Svg(
        "heatmap-eol" if eol_mode else "heatmap", width, y + 36 + 14 * ((len(legend) - 1) // 3),
        t(key), t(desc), tuple(heads) + tuple(rows) + tuple(legend_items),
    )


def gantt(ctx: ReportContext, t: Translator) -> Svg:
    """Quarters × domains, migrations as boxes with counts, blackout windows shaded."""
    qw, rh, label_w, top = 17, 16, 190, 34
    n_q = len(ctx.quarter_labels)
    doms = ctx.domains
    items: list = []
    # year axis
    for q, label in enumerate(ctx.quarter_labels):
        x = label_w + q * qw
        if q == 0 or label.endswith("Q1"):
            items.append(Line(x, top - 14, x, top + len(doms) * rh, COLOURS["grid"]))
            items.append(Text(x + 2, top - 18, label[:4], size=9))
        items.append(Text(x + qw / 2, top - 4, label[-1], anchor="middle", size=7))
    dom_index = {d: i for i, (d, _n) in enumerate(doms)}
    for b in ctx.plan.blackouts:
        rows = [dom_index[d] for d in b.domains if d in dom_index] if b.domains else list(range(len(doms)))
        for q in b.quarters:
            if 0 <= q < n_q:
                for r in rows:
                    items.append(Rect(label_w + q * qw, top + r * rh, qw, rh, COLOURS["blackout"],
                                      f"{b.reason} ({ctx.quarter_labels[q]})", 0.45))
                    items += hatch(label_w + q * qw, top + r * rh, qw, rh)
    for i, (d, name) in enumerate(doms):
        y = top + i * rh
        row: list = [Text(label_w - 6, y + 11, _short(name, 30), anchor="end", size=9),
                     Line(label_w, y + rh, label_w + n_q * qw, y + rh)]
        for q in range(n_q):
            n = ctx.gantt.get((d, q), 0)
            if n:
                row.append(Rect(label_w + q * qw + 1, y + 2, qw - 2, rh - 4, COLOURS["migrate"],
                                f"{name} · {ctx.quarter_labels[q]}: {n} {t('col.systems')}"))
                row.append(Text(label_w + q * qw + qw / 2, y + 11, str(n), anchor="middle", size=7, fill="#ffffff"))
        items.append(Group(tuple(row), {"data-domain": d}))
    y_end = top + len(doms) * rh
    legend = _legend(t, [(t("decision.migrate"), COLOURS["migrate"]), (t("blackouts.caption"), COLOURS["blackout"])],
                     4, y_end + 22)
    swatch = next(it for it in legend if isinstance(it, Rect) and it.fill == COLOURS["blackout"])
    items += legend + hatch(swatch.x, swatch.y, swatch.w, swatch.h)  # the legend's swatch is hatched like the chart
    return Svg("gantt", label_w + n_q * qw + 10, y_end + 32, t("gantt.caption"), t("gantt.desc"), tuple(items))


def capacity(ctx: ReportContext, t: Translator) -> Svg:
    """Stacked effort (Eigen/Fremd) per quarter against total capacity."""
    qw, label_w, top, h = 17, 60, 14, 150
    n_q = len(ctx.quarter_labels)
    by_q = {w.quarter: w for w in ctx.waves}
    peak = max([w.effort_eigen + w.effort_fremd for w in ctx.waves]
               + [w.capacity_eigen + w.capacity_fremd for w in ctx.waves] + [1.0])
    scale = h / peak
    items: list = [Line(label_w, top + h, label_w + n_q * qw, top + h, COLOURS["text"])]
    for frac in (0.5, 1.0):
        yy = top + h - peak * frac * scale
        items.append(Line(label_w, yy, label_w + n_q * qw, yy))
        items.append(Text(label_w - 4, yy + 3, t.number(peak * frac), anchor="end", size=8))
    for q in range(n_q):
        x = label_w + q * qw
        if ctx.quarter_labels[q].endswith("Q1") or q == 0:
            items.append(Text(x + 1, top + h + 12, ctx.quarter_labels[q][:4], size=8))
        w = by_q.get(q)
        if w is None:
            continue
        he, hf = w.effort_eigen * scale, w.effort_fremd * scale
        label = (f"{w.label}: {t('col.effort_eigen')} {t.number(w.effort_eigen, 1)} / "
                 f"{t.number(w.capacity_eigen, 1)}; {t('col.effort_fremd')} {t.number(w.effort_fremd, 1)} / "
                 f"{t.number(w.capacity_fremd, 1)}")
        items.append(Rect(x + 2, top + h - he, qw - 4, he, COLOURS["eigen"], label))
        items.append(Rect(x + 2, top + h - he - hf, qw - 4, hf, COLOURS["fremd"], label))
        cap_y = top + h - (w.capacity_eigen + w.capacity_fremd) * scale
        items.append(Line(x + 1, cap_y, x + qw - 1, cap_y, COLOURS["capacity"], 2))
    items += _legend(t, [(t("fig.eigen_total"), COLOURS["eigen"]), (t("fig.fremd_total"), COLOURS["fremd"]),
                         (t("capacity.line"), COLOURS["capacity"])], 4, top + h + 30)
    return Svg("capacity", label_w + n_q * qw + 10, top + h + 40, t("capacity.caption"), t("capacity.desc"),
               tuple(items))


def dc_use(ctx: ReportContext, t: Translator) -> Svg:
    """Three horizontal bars per data centre: vCPU, RAM, storage use."""
    label_w, bar_w, bh, top = 220, 400, 10, 10
    items: list = []
    y = top
    for d in ctx.data_centres:
        items.append(Text(label_w - 6, y + 18, d.name[:36], anchor="end", size=9))
        for key, use, colour in (("col.use_vcpu", d.use_vcpu, "#2f5f9e"), ("col.use_ram", d.use_ram, "#5f8cc9"),
                                 ("col.use_storage", d.use_storage, "#9cbbe3")):
            items.append(Rect(label_w, y, bar_w, bh - 1, COLOURS["empty"]))
            items.append(Rect(label_w, y, bar_w * min(use, 1.0), bh - 1,
                              COLOURS["eol"] if use >= 0.9 else colour, f"{d.name}: {t(key)} {t.percent(use)}"))
            items.append(Text(label_w + bar_w + 6, y + 8, f"{t(key)} {t.percent(use)}", size=8))
            y += bh
        y += 12
    return Svg("dc-use", label_w + bar_w + 150, y + 4, t("dc.chart"), t("dc.chart_desc"), tuple(items))


def cost_years(ctx: ReportContext, t: Translator) -> Svg:
    """Pairs of bars per year: status quo and plan, cash only (risk costs are never in this chart)."""
    label_w, top, h, yw = 80, 10, 150, 44
    years = ctx.cost_years
    peak = max([float(v) for pair in ctx.cost_by_year.values() for v in pair] + [1.0])
    scale = h / peak
    items: list = [Line(label_w, top + h, label_w + len(years) * yw, top + h, COLOURS["text"])]
    for frac in (0.5, 1.0):
        yy = top + h - peak * frac * scale
        items.append(Line(label_w, yy, label_w + len(years) * yw, yy))
        items.append(Text(label_w - 4, yy + 3, t.money_round(peak * frac), anchor="end", size=8))
    for i, year in enumerate(years):
        sq, pl = ctx.cost_by_year.get(year, (0, 0))
        x = label_w + i * yw
        items.append(Rect(x + 4, top + h - float(sq) * scale, 16, float(sq) * scale, COLOURS["status_quo"],
                          f"{year} {t('col.status_quo')}: {t.money(sq)}"))
        items.append(Rect(x + 21, top + h - float(pl) * scale, 16, float(pl) * scale, COLOURS["plan"],
                          f"{year} {t('col.plan')}: {t.money(pl)}"))
        items.append(Text(x + 21, top + h + 12, str(year), anchor="middle", size=8))
    items += _legend(t, [(t("col.status_quo"), COLOURS["status_quo"]), (t("col.plan"), COLOURS["plan"])],
                     4, top + h + 30)
    return Svg("costs", max(label_w + len(years) * yw + 10, 400), top + h + 40, t("summary.cost_chart"),
               t("summary.cost_chart_desc"), tuple(items))


def all_charts(ctx: ReportContext, t: Translator) -> dict[str, Svg]:
    """Every chart of the report by name (heatmap, gantt, capacity, dc, costs)."""
    return {
        "heatmap": heatmap(ctx, t),
        "heatmap_eol": heatmap(ctx, t, mode="eol"),
        "gantt": gantt(ctx, t),
        "capacity": capacity(ctx, t),
        "dc": dc_use(ctx, t),
        "costs": cost_years(ctx, t),
    }
