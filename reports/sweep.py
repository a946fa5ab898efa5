"""The chapter "Bandbreiten" of the board pack: tornado chart, ranges and what would change the recommendation.

It renders a ``sweep.json`` (``landkarte plan sweep``) given to ``landkarte report --sweep``;
it never recomputes anything. The HTML partial is ``templates/_sweep.html.j2``; the PDF gets
the same blocks through :func:`pdf_chapter`.

>>> from reports.messages import Translator
>>> mio(Translator("de"), 34_609_722.93), mio(Translator("en"), -1_250_000), mio(Translator("de"), -343_598.77)
('34,6 Mio. €', '−€1.2m', '−344 T€')
"""

from __future__ import annotations

from dataclasses import dataclass

from sweep.result import AssumptionSwing, SweepResult

from .charts import COLOURS, Line, Rect, Svg, Text
from .messages import Translator

__all__ = ["SWEEP_MESSAGES", "SweepView", "flip_sentence", "mio", "pdf_chapter", "sweep_view", "tornado"]

# key: (German, English); kept beside the chapter until the report's catalogue is reworked
SWEEP_MESSAGES: dict[str, tuple[str, str]] = {
    "title": ("Bandbreiten: Wie sicher ist der Plan?", "Ranges: how sure is the plan?"),
    "intro": (("Jede Zahl des Plans beruht auf Annahmen und auf Inventardaten unterschiedlicher Güte. Dieses Kapitel "
              "zeigt, wie stark sich der Kapitalwert der Zahlungsersparnis, das Ende der Migration und die "
              "Spitzenlast der Teams verschieben, wenn Annahmen innerhalb ihrer Bandbreite liegen."),
              ("Every figure of the plan rests on assumptions and on inventory data of uneven quality. This chapter "
              "shows how far the cash NPV saving, the end of the migration and the teams' peak load move when "
              "assumptions lie anywhere in their range.")),
    "cash_note": (("Zahlungsersparnis: Kapitalwert der zahlungswirksamen Kosten (Status quo minus Plan) über den "
                  "Horizont, ohne den kalkulatorischen Risikozuschlag nach Supportende."),
                  ("Cash saving: net present value of the cash costs (status quo minus plan) over the horizon, "
                  "without the modelled risk surcharge after end of support.")),
    "rule": (("Empfehlungsregel (die Standardregel der Beschlussvorlage): die Option mit zulässigem Plan, also ohne "
              "verfehlte feste Termine, und dem höchsten Kapitalwert der Zahlungsersparnis."),
             ("Recommendation rule (the board paper's default rule): the option with a feasible plan, i.e. no "
              "missed hard deadline, and the highest cash NPV saving.")),
    "recommended": ("Empfohlen ist die Option „{option}“.", "The recommended option is “{option}”."),
    "no_option": ("Keine Option hat einen zulässigen Plan; es gibt keine Empfehlung.",
                  "No option has a feasible plan; there is no recommendation."),
    "single": ("Verglichen wurde nur eine Option; keine Annahme kann daher die Empfehlung ändern.",
               "Only one option was compared, so no assumption can change the recommendation."),
    "no_flip": ("Keine Annahme ändert innerhalb ihrer Bandbreite die Empfehlung.",
                "No assumption changes the recommendation within its range."),
    "flips": ("Innerhalb ihrer Bandbreite würden diese Annahmen die Empfehlung ändern: {items}.",
              "Within their ranges these assumptions would change the recommendation: {items}."),
    "flip_item": ("{label} (bei {change}: „{option}“)", "{label} (at {change}: “{option}”)"),
    "no_sensitivity": ("Die Annahmen wurden nicht einzeln variiert (Option --sensitivity).",
                       "The assumptions were not varied one at a time (option --sensitivity)."),
    "tornado_title": ("Sensitivität: Kapitalwert der Zahlungsersparnis je Annahme",
                      "Sensitivity: cash NPV saving per assumption"),
    "tornado_desc": (("Je Annahme ein Balken vom Wert am unteren zum Wert am oberen Ende ihrer Bandbreite; die "
                     "senkrechte Linie ist der Plan. * neu geplant, sonst neu berechnet (nur Preise)."),
                     ("One bar per assumption from the value at the low to the value at the high end of its range; "
                     "the vertical line is the plan. * re-planned, otherwise re-costed (prices only).")),
    "legend_low": ("unteres Ende", "low end"),
    "legend_high": ("oberes Ende", "high end"),
    "legend_replan": ("* neu geplant", "* re-planned"),
    "ranges_caption": ("Bandbreiten der Annahmen und ihre Wirkung (jeweils am unteren … oberen Ende)",
                       "Assumption ranges and their effect (each at the low … high end)"),
    "col_assumption": ("Annahme", "Assumption"),
    "col_value": ("Wert", "Value"),
    "col_range": ("Bandbreite", "Range"),
    "col_method": ("Verfahren", "Method"),
    "col_saving": ("Zahlungsersparnis", "Cash saving"),
    "col_end": ("Ende", "End"),
    "col_load": ("Spitzenlast (PT)", "Peak load (PD)"),
    "method_recost": ("neu berechnet", "re-costed"),
    "method_replan": ("neu geplant", "re-planned"),
    "risk_marker": (" (kalkulatorisch)", " (modelled)"),
    "methods": (("Neu geplant (Zeitplan kann sich ändern): {replanned}. Nur neu berechnet (reine Preise, Zeitplan "
                "unverändert): {recosted}."),
                ("Re-planned (the schedule may change): {replanned}. Only re-costed (pure prices, schedule "
                "unchanged): {recosted}.")),
    "unc_title": ("Unsicherheit aus der Datenqualität", "Uncertainty from data quality"),
    "unc_intro": (("{samples} Stichproben: Vertragskosten, Nutzerzahlen, Vertragsenden und Komplexität jedes Systems "
                  "wurden entsprechend seiner Datengüte (geprüft, geschätzt, unbekannt) zufällig gezogen "
                  "(Verteilung: {distribution}, Startwert {seed}) und jeweils neu geplant. {feasible} der "
                  "Stichproben ergaben einen zulässigen Plan."),
                  ("{samples} samples: contract costs, user counts, contract ends and complexity of every system "
                  "were drawn according to its data confidence (verified, estimated, unknown) (distribution: "
                  "{distribution}, seed {seed}) and planned again each time. {feasible} of the samples gave a "
                  "feasible plan.")),
    "dist_triangular": ("Dreieck, erfasster Wert am wahrscheinlichsten", "triangular, recorded value most likely"),
    "dist_uniform": ("gleichverteilt", "uniform"),
    "unc_caption": ("Kennzahlen als P10 / P50 / P90", "Key figures as P10 / P50 / P90"),
    "unc_note": ("P10: in 10 % der Stichproben ist der Wert höchstens so groß; P50 ist der Median.",
                 "P10: in 10% of the samples the value is at most this; P50 is the median."),
    "col_figure": ("Kennzahl", "Figure"),
    "col_plan": ("Plan", "Plan"),
    "fig_saving": ("Kapitalwert der Zahlungsersparnis", "Cash NPV saving"),
    "fig_end": ("Ende der Migration", "End of migration"),
    "fig_load": ("Spitzenlast der Teams (PT je Quartal)", "Teams' peak load (PD per quarter)"),
    "waves_caption": ("Wellen: Wahrscheinlichkeit, bis zum geplanten Quartal fertig zu sein",
                      "Waves: probability of being done by the planned quarter"),
    "col_wave": ("Welle", "Wave"),
    "col_systems": ("Systeme", "Systems"),
    "col_p_done": ("vollständig fertig", "completely done"),
    "col_on_time": ("Anteil pünktlicher Systeme", "Share of systems on time"),
    "synthetic": ("Die Bandbreiten und Verteilungen sind Annahmen (synthetisch).",
                  "The ranges and distributions are assumptions (synthetic)."),
}


def _m(t: Translator, key: str, **values: object) -> str:
    text = SWEEP_MESSAGES[key][0 if t.lang == "de" else 1]
    return text.format(**values) if values else text


def mio(t: Translator, amount: float) -> str:
    """An amount rounded for a summary: millions with one decimal, below a million in thousands
    (``34,6 Mio. €``, ``343 T€`` / ``€34.6m``, ``€343k``)."""
    big = abs(amount) >= 1e6
    text = t.number(amount / 1e6, 1) if big else t.number(amount / 1e3, 0)
    neg = text[:1] in ("-", "−")
    text = text.lstrip("-−")
    if text.strip("0,.") == "":
        neg = False
    sign = "−" if neg else ""
    if t.lang == "de":
        return f"{sign}{text} {'Mio. €' if big else 'T€'}"
    return f"{sign}€{text}{'m' if big else 'k'}"


def _change(t: Translator, rel: float) -> str:
    text = t.percent(abs(rel), 0)
    return ("+" if rel >= 0 else "−") + text


def _label(t: Translator, a: AssumptionSwing) -> str:
    return (a.label_de if t.lang == "de" else a.label_en) + ("" if a.cash else _m(t, "risk_marker"))


def flip_sentence(result: SweepResult, t: Translator) -> str:
    """The sentence naming every assumption whose range would change the recommended option."""
    rec = result.recommendation
    names = dict(zip(result.meta.options, result.meta.scenario_names, strict=True))
    parts = [_m(t, "rule")]
    parts.append(_m(t, "recommended", option=names.get(rec.option, rec.option)) if rec.option else _m(t, "no_option"))
    if len(result.meta.options) < 2:
        parts.append(_m(t, "single"))
    elif not result.sensitivity:
        parts.append(_m(t, "no_sensitivity"))
    elif not rec.flips:
        parts.append(_m(t, "no_flip"))
    else:
        by_id = {a.id: a for a in result.sensitivity}
        items = [_m(t, "flip_item", label=_label(t, by_id[f.assumption]),
                    change=_change(t, by_id[f.assumption].low if f.end == "low" else by_id[f.assumption].high),
                    option=names.get(f.recommended, f.recommended)) for f in rec.flips]
        parts.append(_m(t, "flips", items="; ".join(items)))
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
        items.append(Text(x(v), top - 10, mio(t, v), anchor="middle", size=8))
    for i, a in enumerate(rows):
        y = top + i * row_h
        f = a.options[0]
        label = _label(t, a) + ("*" if a.method == "replan" else "")
        rng = f"{_change(t, a.low)} … {_change(t, a.high)}"
        items.append(Text(label_w - 8, y + 10, label[:52], anchor="end", size=9))
        items.append(Text(label_w - 8, y + 19, rng, anchor="end", size=7, fill="#555555"))
        for end, v, colour in (("low", f.low.cash_npv_saving, COLOURS["fremd"]),
                               ("high", f.high.cash_npv_saving, COLOURS["eigen"])):
            x0, x1 = sorted((x(base), x(v)))
            title = f"{label}: {_m(t, 'legend_' + end)} ({_change(t, a.low if end == 'low' else a.high)}) → {mio(t, v)}"
            items.append(Rect(x0, y + 3, max(x1 - x0, 1.0), row_h - 8, colour, title))
    items.append(Line(x(base), top - 6, x(base), top + len(rows) * row_h + 4, COLOURS["text"], 1.5))
    y = top + len(rows) * row_h + 22
    items.append(Text(x(base), y - 6, f"{_m(t, 'col_plan')}: {mio(t, base)}", anchor="middle", size=9))
    items += [Rect(label_w, y + 4, 10, 10, COLOURS["fremd"]), Text(label_w + 14, y + 13, _m(t, "legend_low"), size=9),
              Rect(label_w + 130, y + 4, 10, 10, COLOURS["eigen"]),
              Text(label_w + 144, y + 13, _m(t, "legend_high"), size=9),
              Text(label_w + 260, y + 13, _m(t, "legend_replan"), size=9)]
    return Svg("tornado", label_w + bar_w + 60, y + 24, _m(t, "tornado_title"), _m(t, "tornado_desc"), tuple(items))


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
    paras = [_m(t, "intro"), _m(t, "cash_note"), flip_sentence(result, t)]
    by_id = {a.id: a for a in result.sensitivity}
    if result.sensitivity:
        label = lambda ids: ", ".join(_label(t, by_id[i]) for i in ids) or t("doc.none")
        paras.append(_m(t, "methods", replanned=label(result.replanned), recosted=label(result.recosted)))
    if result.meta.synthetic:
        paras.append(_m(t, "synthetic"))
    header = tuple(_m(t, k) for k in ("col_assumption", "col_value", "col_range", "col_method", "col_saving",
                                      "col_end", "col_load"))
    rows = []
    for a in result.sensitivity:
        f = a.options[0]
        value = t.number(a.value, 2 if a.unit == "%" or abs(a.value) < 100 else 0) + f" {a.unit}"
        rows.append((_label(t, a), value, f"{_change(t, a.low)} … {_change(t, a.high)}",
                     _m(t, f"method_{a.method}"), f"{mio(t, f.low.cash_npv_saving)} … {mio(t, f.high.cash_npv_saving)}",
                     f"{f.low.end_label or '–'} … {f.high.end_label or '–'}",
                     f"{t.number(f.low.peak_load_pd, 0)} … {t.number(f.high.peak_load_pd, 0)}"))
    u = result.uncertainty
    base = result.base[0][1]
    unc_rows: tuple = ()
    wave_rows: tuple = ()
    intro = None
    if u is not None:
        dist = _m(t, f"dist_{result.meta.distribution}")
        intro = _m(t, "unc_intro", samples=t.number(u.samples), distribution=dist, seed=result.meta.seed,
                   feasible=t.percent(u.feasible_share, 0))
        m = lambda v: mio(t, v) if v is not None else "–"
        unc_rows = (
            (_m(t, "fig_saving"), m(u.cash_npv_saving.p10), m(u.cash_npv_saving.p50), m(u.cash_npv_saving.p90),
             mio(t, base.cash_npv_saving)),
            (_m(t, "fig_end"), *(lab or "–" for lab in u.end_labels), base.end_label or "–"),
            (_m(t, "fig_load"), *(t.number(v, 0) if v is not None else "–" for v in
                                  (u.peak_load_pd.p10, u.peak_load_pd.p50, u.peak_load_pd.p90)),
             t.number(base.peak_load_pd, 0)),
        )
        wave_rows = tuple((w.label, t.number(w.systems), t.percent(w.p_done, 0), t.percent(w.on_time_share, 0))
                          for w in u.waves)
    return SweepView(
        title=_m(t, "title"), paragraphs=tuple(paras), chart=tornado(result, t) if result.sensitivity else None,
        ranges=(header, tuple(rows)), uncertainty_title=_m(t, "unc_title"), uncertainty_intro=intro,
        uncertainty=((_m(t, "col_figure"), "P10", "P50", "P90", _m(t, "col_plan")), unc_rows),
        waves=((_m(t, "col_wave"), _m(t, "col_systems"), _m(t, "col_p_done"), _m(t, "col_on_time")), wave_rows),
        captions={k: _m(t, k) for k in ("ranges_caption", "unc_caption", "unc_note", "waves_caption")},
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
