"""The chapter "Bandbreiten" of the board pack: tornado chart, ranges and what would change the recommendation.

It renders a ``sweep.json`` (``landkarte plan sweep``) given to ``landkarte report --sweep``;
it never recomputes anything. The HTML partial is ``templates/_sweep.html.j2``; the PDF gets
the same blocks through :func:`pdf_chapter`.
Amounts are rounded by the board pack's one rounding, :meth:`Translator.money_round`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sweep.result import AssumptionSwing, SweepResult

from .charts import COLOURS, Line, Rect, Svg, Text
from .messages import Translator

__all__ = ["SweepView", "assumption_label", "assumption_labels", "flip_sentence", "pdf_chapter", "sweep_view", "tornado"]

def _change(t: Translator, rel: float) -> str:
    text = t.percent(abs(rel), 0)
    return ("+" if rel >= 0 else "−") + text


def assumption_label(t: Translator, a: AssumptionSwing) -> str:
    """The assumption's name in the translator's language, marked when it is a modelled (not cash) value."""
    return (a.label_de if t.lang == "de" else a.label_en) + ("" if a.cash else t("sweep.risk_marker"))


def assumption_labels(t: Translator, result: SweepResult, ids: Sequence[str]) -> str:
    """The names of the assumptions ``ids`` (e.g. ``result.replanned``), comma-separated ("" for none)."""
    by_id = {a.id: a for a in result.sensitivity}
    return ", ".join(assumption_label(t, by_id[i]) if i in by_id else i for i in ids)


def flip_sentence(result: SweepResult, t: Translator) -> str:
    """The sentence naming every assumption whose range would change the recommended option."""
    rec = result.recommendation
    names = dict(zip(result.meta.options, result.meta.scenario_names, strict=True))
    parts = [t("sweep.rule")]
    parts.append(t("sweep.recommended", option=names.get(rec.option, rec.option)) if rec.option else t("sweep.no_option"))
    if len(result.meta.options) < 2:
        parts.append(t("sweep.single"))
    elif not result.sensitivity:
        parts.append(t("sweep.no_sensitivity"))
    elif not rec.flips:
        parts.append(t("sweep.no_flip"))
    else:
        by_id = {a.id: a for a in result.sensitivity}
        items = [t("sweep.flip_item", label=assumption_label(t, by_id[f.assumption]),
                    change=_change(t, by_id[f.assumption].low if f.end == "low" else by_id[f.assumption].high),
                    option=names.get(f.recommended, f.recommended)) for f in rec.flips]
        parts.append(t("sweep.flips", items="; ".join(items)))
    return " ".join(parts)


def tornado(result: SweepResult, t: Translator) -> Svg:
    """Horizontal bars: cash NPV saving at each end of each assumption's range, largest swing on top."""
    base = result.base[0][1].cash_npv_saving
    rows = result.sensitivity
    label_w, bar_w, row_h, top = 330, 360, 22, 34
    values = [base] + [v for a in rows for v in (a.options[0].low.cash_npv_saving, a.options[0].high.cash_npv_saving)]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or abs(base) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * bar_w

    items: list = []
    for k in range(5):  # axis ticks
        v = lo + (hi - lo) * k / 4
        items.append(Line(x(v), top - 6, x(v), top + len(rows) * row_h, COLOURS["grid"]))
        items.append(Text(x(v), top - 10, t.money_round(v), anchor="middle", size=8))
    for i, a in enumerate(rows):
        y = top + i * row_h
        f = a.options[0]
        label = assumption_label(t, a) + ("*" if a.method == "replan" else "")
        rng = f"{_change(t, a.low)} … {_change(t, a.high)}"
        items.append(Text(label_w - 8, y + 10, label[:52], anchor="end", size=9))
        items.append(Text(label_w - 8, y + 19, rng, anchor="end", size=7, fill="#555555"))
        for end, v, colour in (("low", f.low.cash_npv_saving, COLOURS["fremd"]),
                               ("high", f.high.cash_npv_saving, COLOURS["eigen"])):
            x0, x1 = sorted((x(base), x(v)))
            title = f"{label}: {t('sweep.legend_' + end)} ({_change(t, a.low if end == 'low' else a.high)}) → {t.money_round(v)}"
            items.append(Rect(x0, y + 3, max(x1 - x0, 1.0), row_h - 8, colour, title))
    items.append(Line(x(base), top - 6, x(base), top + len(rows) * row_h + 4, COLOURS["text"], 1.5))
    y = top + len(rows) * row_h + 22
    items.append(Text(x(base), y - 6, f"{t('sweep.col_plan')}: {t.money_round(base)}", anchor="middle", size=9))
    items += [Rect(label_w, y + 4, 10, 10, COLOURS["fremd"]), Text(label_w + 14, y + 13, t("sweep.legend_low"), size=9),
              Rect(label_w + 130, y + 4, 10, 10, COLOURS["eigen"]),
              Text(label_w + 144, y + 13, t("sweep.legend_high"), size=9),
              Text(label_w + 260, y + 13, t("sweep.legend_replan"), size=9)]
    return Svg("tornado", label_w + bar_w + 60, y + 24, t("sweep.tornado_title"), t("sweep.tornado_desc"), tuple(items))


@dataclass(frozen=True)
class SweepView:
    """Everything the chapter shows, formatted."""

    title: str
    paragraphs: tuple[str, ...]
    chart: Svg | None
    ranges: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
    """(header, rows) of the ranges table; empty without sensitivity."""
    uncertainty_title: str
    uncertainty_intro: str | None
    uncertainty: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
    waves: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
    captions: dict[str, str]


def sweep_view(result: SweepResult, t: Translator) -> SweepView:
    """The chapter's texts, chart and tables for ``result`` in the language of ``t``."""
    paras = [t("sweep.intro"), t("sweep.cash_note"), flip_sentence(result, t)]
    if result.sensitivity:
        paras.append(t("sweep.methods", replanned=assumption_labels(t, result, result.replanned) or t("doc.none"),
                       recosted=assumption_labels(t, result, result.recosted) or t("doc.none")))
    if result.meta.synthetic:
        paras.append(t("sweep.synthetic"))
    header = tuple(t(f"sweep.{k}") for k in ("col_assumption", "col_value", "col_range", "col_method", "col_saving",
                                      "col_end", "col_load"))
    rows = []
    for a in result.sensitivity:
        f = a.options[0]
        value = t.number(a.value, 2 if a.unit == "%" or abs(a.value) < 100 else 0) + f" {a.unit}"
        saving = f"{t.money_round(f.low.cash_npv_saving)} … {t.money_round(f.high.cash_npv_saving)}"
        rows.append((assumption_label(t, a), value, f"{_change(t, a.low)} … {_change(t, a.high)}",
                     t(f"sweep.method_{a.method}"), saving,
                     f"{f.low.end_label or '–'} … {f.high.end_label or '–'}",
                     f"{t.number(f.low.peak_load_pd, 0)} … {t.number(f.high.peak_load_pd, 0)}"))
    u = result.uncertainty
    base = result.base[0][1]
    unc_rows: tuple = ()
    wave_rows: tuple = ()
    intro = None
    if u is not None:
        dist = t(f"sweep.dist_{result.meta.distribution}")
        intro = t("sweep.unc_intro", samples=t.number(u.samples), distribution=dist, seed=result.meta.seed,
                   feasible=t.percent(u.feasible_share, 0))
        m = t.money_round
        unc_rows = (
            (t("sweep.fig_saving"), m(u.cash_npv_saving.p10), m(u.cash_npv_saving.p50), m(u.cash_npv_saving.p90),
             m(base.cash_npv_saving)),
            (t("sweep.fig_end"), *(lab or "–" for lab in u.end_labels), base.end_label or "–"),
            (t("sweep.fig_load"), *(t.number(v, 0) if v is not None else "–" for v in
                                  (u.peak_load_pd.p10, u.peak_load_pd.p50, u.peak_load_pd.p90)),
             t.number(base.peak_load_pd, 0)),
        )
        wave_rows = tuple((w.label, t.number(w.systems), t.percent(w.p_done, 0), t.percent(w.on_time_share, 0))
                          for w in u.waves)
    return SweepView(
        title=t("sweep.title"), paragraphs=tuple(paras), chart=tornado(result, t) if result.sensitivity else None,
        ranges=(header, tuple(rows)), uncertainty_title=t("sweep.unc_title"), uncertainty_intro=intro,
        uncertainty=((t("sweep.col_figure"), "P10", "P50", "P90", t("sweep.col_plan")), unc_rows),
        waves=((t("sweep.col_wave"), t("sweep.col_systems"), t("sweep.col_p_done"), t("sweep.col_on_time")), wave_rows),
        captions={k: t(f"sweep.{k}") for k in ("ranges_caption", "unc_caption", "unc_note", "waves_caption")},
    )


def pdf_chapter(result: SweepResult, t: Translator, svg_block) -> dict:
    """The chapter as blocks of ``templates/report.typ`` (text, table, svg); ``svg_block`` is the
    PDF's own chart block (``reports.pdf._svg``)."""
    v = sweep_view(result, t)

    def table(caption: str, header: tuple[str, ...], rows, widths: list[float]) -> dict:
        cols = [{"label": h, "align": "left" if i == 0 else "right", "width": w}
                for i, (h, w) in enumerate(zip(header, widths, strict=True))]
        return {"kind": "table", "caption": caption, "columns": cols, "rows": [list(r) for r in rows], "total": False}

    blocks: list[dict] = [{"kind": "text", "text": p, "style": ""} for p in v.paragraphs]
    if v.chart is not None:
        blocks.append(svg_block(v.chart))
        blocks.append(table(v.captions["ranges_caption"], *v.ranges, [3, 1.3, 1.3, 1.2, 2, 1.6, 1.3]))
    if v.uncertainty_intro is not None:
        blocks.append({"kind": "text", "text": f"{v.uncertainty_title}. {v.uncertainty_intro}", "style": ""})
        blocks.append(table(v.captions["unc_caption"], *v.uncertainty, [3, 1.3, 1.3, 1.3, 1.3]))
        blocks.append({"kind": "text", "text": v.captions["unc_note"], "style": "muted"})
        blocks.append(table(v.captions["waves_caption"], *v.waves, [1.5, 1, 1.5, 1.5]))
    return {"id": "sec.sweep", "title": v.title, "blocks": blocks}
