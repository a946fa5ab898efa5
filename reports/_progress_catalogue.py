"""Messages of the funding claims (``landkarte funding claims``) and of the report's Soll/Ist section.

German first, English second; merged into :data:`reports.messages.MESSAGES`. The money words are
honest: "geplant" (in the plan), "nachgewiesen" (delivered and proven, claimable), "abgerufen"
(called off) — never "freigegeben" for money nobody released.
"""

from __future__ import annotations

__all__ = ["PROGRESS_MESSAGES"]

PROGRESS_MESSAGES: dict[str, tuple[str, str]] = {
    # claims: statuses
    "claims.status.geplant": ("geplant", "planned"),
    "claims.status.nachgewiesen": ("nachgewiesen", "proven"),
    "claims.status.abgerufen": ("abgerufen", "called off"),
    "claims.status_help.geplant": (("im Plan vorgesehen, aber (noch) nicht mit gültigem Nachweis geliefert; "
                                    "nicht abrufbar"),
                                   "foreseen in the plan but not (yet) delivered with valid evidence; not claimable"),
    "claims.status_help.nachgewiesen": (("geliefert und durch mindestens einen gültigen Nachweis belegt; abrufbar, "
                                         "noch nicht abgerufen"),
                                        ("delivered and proven by at least one valid piece of evidence; claimable, "
                                        "not yet called off")),
    "claims.status_help.abgerufen": ("nachgewiesen und beim Land abgerufen",
                                     "proven and called off from the Land"),
    # claims: why not claimable
    "claims.blocker.not_delivered": ("noch nicht geliefert (geplant für {quarter})",
                                     "not delivered yet (planned for {quarter})"),
    "claims.blocker.overdue": ("überfällig: geplant für {quarter}, nicht geliefert",
                               "overdue: planned for {quarter}, not delivered"),
    "claims.blocker.delivered_after": ("erst am {day} geliefert, nach dem Stichtag {as_of}",
                                       "delivered only on {day}, after the reference day {as_of}"),
    "claims.blocker.no_evidence": ("am {day} geliefert, aber ohne Nachweis",
                                   "delivered on {day}, but without evidence"),
    "claims.blocker.evidence_invalid": ("keiner der {n} Nachweise ist gültig (siehe Blatt Nachweise)",
                                        "none of the {n} pieces of evidence is valid (see sheet Evidence)"),
    "claims.blocker.no_systems": ("keines der {n} Systeme dieses Meilensteins ist als migriert gemeldet",
                                  "none of the {n} systems of this milestone is reported migrated"),
    "claims.blocker.claimed_without_evidence": (("als am {day} abgerufen erfasst, obwohl nicht nachgewiesen – "
                                                 "bitte prüfen"),
                                                "recorded as called off on {day} although not proven – please check"),
    "claims.blocker_short.overdue": ("überfällig, nicht geliefert", "overdue, not delivered"),
    "claims.blocker_short.delivered_after": ("erst nach dem Stichtag geliefert", "delivered after the reference day"),
    "claims.blocker_short.no_evidence": ("geliefert, aber ohne Nachweis", "delivered, but without evidence"),
    "claims.blocker_short.evidence_invalid": ("geliefert, aber kein Nachweis gültig",
                                              "delivered, but no evidence valid"),
    "claims.blocker_short.no_systems": ("keines der Systeme als migriert gemeldet", ("none of the systems reported "
                                        "migrated")),
    "claims.blocker_short.claimed_without_evidence": ("als abgerufen erfasst, obwohl nicht nachgewiesen",
                                                      "recorded as called off although not proven"),
    # claims: evidence
    "claims.ev.kind.netbox": ("NetBox-Objekt", "NetBox object"),
    "claims.ev.kind.evidence_file": ("Nachweisdatei", "Evidence file"),
    "claims.ev.kind.stack_output": ("Stack-Ausgabe", "Stack output"),
    "claims.ev.kind.document": ("Dokument", "Document"),
    "claims.ev.checked.sha256": ("SHA-256 der Datei geprüft", "file SHA-256 checked"),
    "claims.ev.checked.netbox": ("in NetBox nachgeschlagen", "looked up in NetBox"),
    "claims.ev.checked.stack_output": ("Stack-Ausgabe nachgeschlagen", "stack output looked up"),
    "claims.ev.checked.person": ("benanntes Dokument, durch eine Person zu prüfen",
                                 "named document, to be checked by a person"),
    "claims.ev.checked.none": ("nicht geprüft", "not checked"),
    "claims.ev.problem.not_checked": (("nicht geprüft: NetBox bzw. Stack-Ausgaben wurden nicht angegeben "
                                       "(--netbox, --stack-outputs)"),
                                      "not checked: NetBox or stack outputs were not given (--netbox, --stack-outputs)"),
    "claims.ev.problem.not_found": ("nicht gefunden: {ref}", "not found: {ref}"),
    "claims.ev.problem.empty": ("leer: {ref}", "empty: {ref}"),
    # claims: rules
    "claims.rule.fixed": ("fester Betrag je Meilenstein (Förderregel des Szenarios)",
                          "fixed amount per milestone (funding rule of the scenario)"),
    "claims.rule.per_system": ("{rate} je migriertem System × {done} von {planned} Systemen gemeldet migriert",
                               "{rate} per system migrated × {done} of {planned} systems reported migrated"),
    # claims: workbook
    "claims.title": ("Leistungsnachweis Fördermittel – Stand {day}", "Funding claims – as of {day}"),
    "claims.sheet.summary": ("Übersicht", "Summary"),
    "claims.sheet.milestones": ("Meilensteine", "Milestones"),
    "claims.sheet.evidence": ("Nachweise", "Evidence"),
    "claims.sheet.sources": ("Annahmen und Quelle", "Assumptions and source"),
    "claims.meta.scenario": ("Szenario", "Scenario"),
    "claims.meta.as_of": ("Stichtag", "Reference day"),
    "claims.meta.quarter": ("Quartal des Stichtags", "Quarter of the reference day"),
    "claims.meta.plan_start": ("Planbeginn", "Plan start"),
    "claims.meta.inventory_hash": ("Inventar-Hash des Plans", "Plan's inventory hash"),
    "claims.meta.scenario_hash": ("Szenario-Hash des Plans", "Plan's scenario hash"),
    "claims.meta.files": ("Fortschrittsdateien", "Progress files"),
    "claims.meta.actuals_hash": ("Hash der Fortschrittsdateien", "Hash of the progress files"),
    "claims.meta.reported": ("Berichtet bis", "Reported up to"),
    "claims.sum.caption": ("Fördermittel nach Status (EUR, zahlungswirksam)", "Funding by status (EUR, cash)"),
    "claims.sum.what": ("Position", "Item"),
    "claims.sum.count": ("Meilensteine", "Milestones"),
    "claims.sum.amount": ("Betrag", "Amount"),
    "claims.sum.planned": ("Geplante Fördermittel insgesamt (Plan)", "Planned funding in total (plan)"),
    "claims.sum.abgerufen": ("davon abgerufen", "of which called off"),
    "claims.sum.nachgewiesen": ("davon nachgewiesen, noch nicht abgerufen (abrufbar)",
                                "of which proven, not yet called off (claimable)"),
    "claims.sum.faellig": ("davon geplant und fällig, aber nicht nachgewiesen",
                           "of which planned and due, but not proven"),
    "claims.sum.offen": ("davon geplant, noch nicht fällig", "of which planned, not yet due"),
    "claims.sum.note": (("Jeder Meilenstein zählt in genau einer der vier Zeilen „davon“; sie ergeben zusammen die "
                         "geplanten Fördermittel. Bei Meilensteinen je migriertem System zählt der nicht gemeldete "
                         "Teil als fällig."),
                        ("Each milestone counts in exactly one of the four “of which” lines; together they make the "
                         "planned funding. For per-system milestones the part not reported counts as due.")),
    "claims.sum.status_caption": ("Bedeutung der Status", "Meaning of the statuses"),
    "claims.sum.blockers_caption": ("Warum nicht abrufbar (fällige Meilensteine)",
                                    "Why not claimable (due milestones)"),
    "claims.sources.title": ("Annahmen/Quelle", "Assumptions/source"),
    "claims.sources.rules": (("Beträge nach den Förderregeln des Szenarios „{name}“ ({id}), wie der Plan sie "
                              "anwendet (Szenario-Hash {hash}). Die Förderregeln sind Annahmen des Szenarios, keine "
                              "Bewilligung des Landes."),
                             ("Amounts under the funding rules of the scenario “{name}” ({id}) as the plan applies "
                              "them (scenario hash {hash}). The funding rules are assumptions of the scenario, not a "
                              "grant by the Land.")),
    "claims.sources.per_system": (("Meilensteine „Systeme migriert“: Betrag je System × Systeme der Organisation "
                                   "im geplanten Quartal, die die Fortschrittsdateien bis zum Stichtag als migriert "
                                   "melden."),
                                  ("Milestones “systems migrated”: amount per system × systems of the organisation "
                                   "in the planned quarter that the progress files report migrated by the "
                                   "reference day.")),
    "claims.sources.actuals": (("Lieferungen, Nachweise und Abrufe aus den Fortschrittsdateien ({files}); "
                                "Nachweisdateien mit SHA-256 geprüft."),
                               ("Deliveries, evidence and call-offs from the progress files ({files}); evidence files "
                                "checked by SHA-256.")),
    "claims.col.milestone": ("Meilenstein", "Milestone"),
    "claims.col.kind": ("Art", "Kind"),
    "claims.col.what": ("Gegenstand", "Subject"),
    "claims.col.org": ("Empfänger", "Recipient"),
    "claims.col.planned_quarter": ("Geplantes Quartal", "Planned quarter"),
    "claims.col.planned_amount": ("Geplanter Betrag", "Planned amount"),
    "claims.col.status": ("Status", "Status"),
    "claims.col.claimable": ("Abrufbar", "Claimable"),
    "claims.col.amount": ("Betrag nach Förderregel", "Amount under the rule"),
    "claims.col.delivered": ("Geliefert am", "Delivered on"),
    "claims.col.claimed": ("Abgerufen am", "Called off on"),
    "claims.col.slip": ("Verzug (Quartale)", "Slippage (quarters)"),
    "claims.col.evidence": ("Nachweise", "Evidence"),
    "claims.col.why": ("Warum nicht abrufbar", "Why not claimable"),
    "claims.col.source": ("Annahmen/Quelle des Betrags", "Assumption/source of the amount"),
    "claims.col.ev_kind": ("Art des Nachweises", "Kind of evidence"),
    "claims.col.ref": ("Referenz", "Reference"),
    "claims.col.valid": ("Gültig", "Valid"),
    "claims.col.check": ("Prüfung", "Check"),
    "claims.col.found": ("Befund", "Finding"),
    "claims.platform": ("gemeinsame Plattform", "shared platform"),
    "claims.count_line": (("{n} Meilensteine: {abgerufen} abgerufen, {nachgewiesen} nachgewiesen, "
                           "{geplant} geplant"),
                          "{n} milestones: {abgerufen} called off, {nachgewiesen} proven, {geplant} planned"),
}
