"""The messages of the board pack's chapter "Bandbreiten" (:mod:`reports.sweep`) in German and English.

Keys are ``sweep.<name>``; placeholders use str.format names. Data only: they are part of the
one catalogue :data:`reports.messages.MESSAGES`.
"""

from __future__ import annotations

__all__ = ["SWEEP_MESSAGES"]

SWEEP_MESSAGES: dict[str, tuple[str, str]] = {
    "sweep.title": ("Bandbreiten: Wie sicher ist der Plan?", "Ranges: how sure is the plan?"),
    "sweep.intro": (("Jede Zahl des Plans beruht auf Annahmen und auf Inventardaten unterschiedlicher Güte. Dieses Kapitel "
                    "zeigt, wie stark sich der Kapitalwert der Zahlungsersparnis, das Ende der Migration und die "
                    "Spitzenlast der Teams verschieben, wenn Annahmen innerhalb ihrer Bandbreite liegen."),
                    ("Every figure of the plan rests on assumptions and on inventory data of uneven quality. This chapter "
                    "shows how far the cash NPV saving, the end of the migration and the teams' peak load move when "
                    "assumptions lie anywhere in their range.")),
    "sweep.cash_note": (("Zahlungsersparnis: Kapitalwert der zahlungswirksamen Kosten (Status quo minus Plan) über den "
                        "Horizont, ohne den kalkulatorischen Risikozuschlag nach Supportende."),
                        ("Cash saving: net present value of the cash costs (status quo minus plan) over the horizon, "
                        "without the modelled risk surcharge after end of support.")),
    "sweep.rule": (("Empfehlungsregel (die Standardregel der Beschlussvorlage): die Option mit zulässigem Plan, also ohne "
                    "verfehlte feste Termine, und dem höchsten Kapitalwert der Zahlungsersparnis."),
                   ("Recommendation rule (the board paper's default rule): the option with a feasible plan, i.e. no "
                    "missed hard deadline, and the highest cash NPV saving.")),
    "sweep.recommended": ("Empfohlen ist die Option „{option}“.", "The recommended option is “{option}”."),
    "sweep.no_option": ("Keine Option hat einen zulässigen Plan; es gibt keine Empfehlung.",
                        "No option has a feasible plan; there is no recommendation."),
    "sweep.single": ("Verglichen wurde nur eine Option; keine Annahme kann daher die Empfehlung ändern.",
                     "Only one option was compared, so no assumption can change the recommendation."),
    "sweep.no_flip": ("Keine Annahme ändert innerhalb ihrer Bandbreite die Empfehlung.",
                      "No assumption changes the recommendation within its range."),
    "sweep.flips": ("Innerhalb ihrer Bandbreite würden diese Annahmen die Empfehlung ändern: {items}.",
                    "Within their ranges these assumptions would change the recommendation: {items}."),
    "sweep.flip_item": ("{label} (bei {change}: „{option}“)", "{label} (at {change}: “{option}”)"),
    "sweep.no_sensitivity": ("Die Annahmen wurden nicht einzeln variiert (Option --sensitivity).",
                             "The assumptions were not varied one at a time (option --sensitivity)."),
    "sweep.tornado_title": ("Sensitivität: Kapitalwert der Zahlungsersparnis je Annahme",
                            "Sensitivity: cash NPV saving per assumption"),
    "sweep.tornado_desc": (("Je Annahme ein Balken vom Wert am unteren zum Wert am oberen Ende ihrer Bandbreite; die "
                           "senkrechte Linie ist der Plan. * neu geplant, sonst neu berechnet (nur Preise)."),
                           ("One bar per assumption from the value at the low to the value at the high end of its range; "
                           "the vertical line is the plan. * re-planned, otherwise re-costed (prices only).")),
    "sweep.legend_low": ("unteres Ende", "low end"),
    "sweep.legend_high": ("oberes Ende", "high end"),
    "sweep.legend_replan": ("* neu geplant", "* re-planned"),
    "sweep.ranges_caption": ("Bandbreiten der Annahmen und ihre Wirkung (jeweils am unteren … oberen Ende)",
                             "Assumption ranges and their effect (each at the low … high end)"),
    "sweep.col_assumption": ("Annahme", "Assumption"),
    "sweep.col_value": ("Wert", "Value"),
    "sweep.col_range": ("Bandbreite", "Range"),
    "sweep.col_method": ("Verfahren", "Method"),
    "sweep.col_saving": ("Zahlungsersparnis", "Cash saving"),
    "sweep.col_end": ("Ende", "End"),
    "sweep.col_load": ("Spitzenlast (PT)", "Peak load (PD)"),
    "sweep.method_recost": ("neu berechnet", "re-costed"),
    "sweep.method_replan": ("neu geplant", "re-planned"),
    "sweep.risk_marker": (" (kalkulatorisch)", " (modelled)"),
    "sweep.methods": (("Neu geplant (Zeitplan kann sich ändern): {replanned}. Nur neu berechnet (reine Preise, Zeitplan "
                      "unverändert): {recosted}."),
                      ("Re-planned (the schedule may change): {replanned}. Only re-costed (pure prices, schedule "
                      "unchanged): {recosted}.")),
    "sweep.unc_title": ("Unsicherheit aus der Datenqualität", "Uncertainty from data quality"),
    "sweep.unc_intro": (("{samples} Stichproben: Vertragskosten, Nutzerzahlen, Vertragsenden und Komplexität jedes Systems "
                        "wurden entsprechend seiner Datengüte (geprüft, geschätzt, unbekannt) zufällig gezogen "
                        "(Verteilung: {distribution}, Startwert {seed}) und jeweils neu geplant. {feasible} der "
                        "Stichproben ergaben einen zulässigen Plan."),
                        ("{samples} samples: contract costs, user counts, contract ends and complexity of every system "
                        "were drawn according to its data confidence (verified, estimated, unknown) (distribution: "
                        "{distribution}, seed {seed}) and planned again each time. {feasible} of the samples gave a "
                        "feasible plan.")),
    "sweep.dist_triangular": ("Dreieck, erfasster Wert am wahrscheinlichsten", "triangular, recorded value most likely"),
    "sweep.dist_uniform": ("gleichverteilt", "uniform"),
    "sweep.unc_caption": ("Kennzahlen als P10 / P50 / P90", "Key figures as P10 / P50 / P90"),
    "sweep.unc_note": ("P10: in 10 % der Stichproben ist der Wert höchstens so groß; P50 ist der Median.",
                       "P10: in 10% of the samples the value is at most this; P50 is the median."),
    "sweep.col_figure": ("Kennzahl", "Figure"),
    "sweep.col_plan": ("Plan", "Plan"),
    "sweep.fig_saving": ("Kapitalwert der Zahlungsersparnis", "Cash NPV saving"),
    "sweep.fig_end": ("Ende der Migration", "End of migration"),
    "sweep.fig_load": ("Spitzenlast der Teams (PT je Quartal)", "Teams' peak load (PD per quarter)"),
    "sweep.waves_caption": ("Wellen: Wahrscheinlichkeit, bis zum geplanten Quartal fertig zu sein",
                            "Waves: probability of being done by the planned quarter"),
    "sweep.col_wave": ("Welle", "Wave"),
    "sweep.col_systems": ("Systeme", "Systems"),
    "sweep.col_p_done": ("vollständig fertig", "completely done"),
    "sweep.col_on_time": ("Anteil pünktlicher Systeme", "Share of systems on time"),
    "sweep.synthetic": ("Die Bandbreiten und Verteilungen sind Annahmen (synthetisch).",
                        "The ranges and distributions are assumptions (synthetic)."),
    # landkarte plan sweep: the summary on the console
    "sweep.cli.progress": ("Pläne", "Plans"),
    "sweep.cli.base": (("{target}: {option} – Zahlungsersparnis (Kapitalwert) {saving}, Ende {end}, Spitzenlast "
                        "{load} PT"),
                       "{target}: {option} – cash saving (NPV) {saving}, end {end}, peak load {load} PD"),
    "sweep.cli.swings": ("größte Ausschläge: {top}", "largest swings: {top}"),
    "sweep.cli.methods": ("neu geplant: {replanned}; neu berechnet (nur Preise): {recosted}",
                          "re-planned: {replanned}; re-costed (prices only): {recosted}"),
    "sweep.cli.samples": ("{n} Stichproben: Zahlungsersparnis P10/P50/P90 {values}; Ende {ends}",
                          "{n} samples: cash saving P10/P50/P90 {values}; end {ends}"),
    "sweep.cli.where_serial": ("in diesem Prozess", "in this process"),
    "sweep.cli.where_local": ("im lokalen Prozesspool, {workers} Worker", "on the local process pool, {workers} worker(s)"),
    "sweep.cli.where_dask": ("auf dem Dask-Cluster, {workers} Worker", "on the Dask cluster, {workers} worker(s)"),
    "sweep.cli.plans": ("({n} Pläne {where})", "({n} plans {where})"),
}
