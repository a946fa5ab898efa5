"""Messages of the funding claims (``landkarte funding claims``), of the report's Soll/Ist section and of
``landkarte actuals`` (the progress folder, NetBox, the configure evidence).

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
    "claims.ev.problem.not_verified": (("die Prüfergebnisse von landkarte configure bestätigen nicht alle geplanten "
                                        "VMs der Zielinstanz als gehärtet und geprüft: {detail}"),
                                       ("the assessment results of landkarte configure do not confirm every planned "
                                        "VM of the target as hardened and verified: {detail}")),
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

PROGRESS_MESSAGES |= {
    # the report's Soll/Ist section
    "sec.sollist": ("Soll/Ist: Planung und Umsetzung", "Plan vs actual: planned and delivered"),
    "si.intro": (("Stand {day} ({quarter}); Soll ist der Plan „{baseline}“, Ist die Fortschrittsdateien bis "
                  "{reported}. Gezählt werden Migrationen (Systeme) und Fördermittel-Meilensteine."),
                 ("As of {day} ({quarter}); plan is “{baseline}”, actual the progress files up to {reported}. "
                  "Counted are migrations (systems) and funding milestones.")),
    "si.summary": (("Bis {day} waren {planned} Migrationen fällig; {delivered} davon sind erledigt, {late} verspätet. "
                    "Insgesamt sind {total} Systeme des Plans migriert (davon {early} früher als geplant)."),
                   ("By {day}, {planned} migrations were due; {delivered} of them are done, {late} late. In total "
                    "{total} systems of the plan are migrated ({early} of them earlier than planned).")),
    "si.funding": (("Fördermittel: bis {day} geplant {planned}; nachgewiesen (einschließlich abgerufen) {proven}, "
                    "davon abgerufen {called}. Nachgewiesen heißt: geliefert und belegt; erst dann kann abgerufen "
                    "werden."),
                   ("Funding: planned by {day} {planned}; proven (including called off) {proven}, of which called "
                    "off {called}. Proven means delivered and evidenced; only then can it be called off.")),
    "si.tile.due": ("Fällige Migrationen", "Migrations due"),
    "si.tile.done": ("davon erledigt", "of which done"),
    "si.tile.late": ("verspätet", "late"),
    "si.tile.early": ("früher als geplant erledigt", "done earlier than planned"),
    "si.tile.funding_proven": ("Fördermittel nachgewiesen", "Funding proven"),
    "si.quarters_caption": ("Migrationen je Quartal: Soll und Ist", "Migrations per quarter: plan and actual"),
    "si.domains_caption": ("Fällige Migrationen je Domäne: Soll und Ist", "Migrations due per domain: plan and actual"),
    "si.late_caption": ("Verspätete Migrationen und ihre Ursache", "Late migrations and their cause"),
    "si.early_caption": ("Früher als geplant erledigt", "Done earlier than planned"),
    "si.none_late": ("Keine Migration ist verspätet.", "No migration is late."),
    "si.col.quarter": ("Quartal", "Quarter"),
    "si.col.domain": ("Domäne", "Domain"),
    "si.col.planned": ("Soll", "Plan"),
    "si.col.delivered": ("Ist", "Actual"),
    "si.col.on_time": ("davon termingerecht", "of which on time"),
    "si.col.planned_cum": ("Soll kumuliert", "Plan cumulative"),
    "si.col.delivered_cum": ("Ist kumuliert", "Actual cumulative"),
    "si.col.late": ("verspätet", "late"),
    "si.col.early": ("früher erledigt", "done early"),
    "si.col.mean_slip": ("Verzug Ø (Quartale)", "Mean slippage (quarters)"),
    "si.col.system": ("System", "System"),
    "si.col.org": ("Organisation", "Organisation"),
    "si.col.planned_quarter": ("geplant", "planned"),
    "si.col.new_quarter": ("neu geplant bzw. erledigt am", "re-planned or done on"),
    "si.col.done_on": ("erledigt am", "done on"),
    "si.col.slip": ("Verzug (Quartale)", "Slippage (quarters)"),
    "si.col.cause": ("Ursache", "Cause"),
    "si.cause.postponed": ("zurückgestellt: {reason}", "postponed: {reason}"),
    "si.cause.postponed_until": ("zurückgestellt bis frühestens {day}: {reason}",
                                 "postponed until {day} at the earliest: {reason}"),
    "si.cause.in_progress": ("in Arbeit seit {day}", "in progress since {day}"),
    "si.cause.target_late": ("Zielinstanz {target} erst am {day} in Betrieb", "target {target} live only on {day}"),
    "si.cause.no_report": ("keine Rückmeldung in den Fortschrittsdateien", "not reported in the progress files"),
    "si.cause.delivered_late": ("später als geplant erledigt", "done later than planned"),
    "si.cause_short.postponed": ("zurückgestellt", "postponed"),
    "si.cause_short.in_progress": ("in Arbeit", "in progress"),
    "si.cause_short.target_late": ("Zielinstanz verspätet", "target late"),
    "si.cause_short.no_report": ("keine Rückmeldung", "not reported"),
    "si.cause_short.delivered_late": ("verspätet erledigt", "done late"),
    "si.stand": ("Stand", "as of"),
    "si.vl.sachverhalt": (("Umsetzung bis {day}: {delivered} von {planned} fälligen Migrationen erledigt, {late} "
                           "verspätet (Kapitel Soll/Ist)."),
                          ("Delivery by {day}: {delivered} of {planned} migrations due are done, {late} late (chapter "
                           "plan vs actual).")),
    "si.vl.funding": (("Stand der Fördermittel am {day}: nachgewiesen und noch nicht abgerufen {proven}, abgerufen "
                       "{called}; geplant und fällig, aber nicht nachgewiesen {due}."),
                      ("Funding as of {day}: proven and not yet called off {proven}, called off {called}; planned and "
                       "due but not proven {due}.")),
    "si.col.replanned": ("neu geplant", "re-planned"),
    "si.burn.sys": ("Systeme {line}", "Systems {line}"),
    "si.burn.fund": ("Fördermittel {line}", "Funding {line}"),
    "si.at_least": ("mind. {n}", "at least {n}"),
    "si.burn_systems": ("Burn-up: migrierte Systeme (kumuliert)", "Burn-up: systems migrated (cumulative)"),
    "si.burn_systems_desc": (("Linien je Quartalsende: Soll (Plan), Ist (Fortschrittsdateien) bis zum Stichtag und "
                              "Prognose des aktuellen Plans danach."),
                             ("Lines per quarter end: plan, actual (progress files) up to the day and the current "
                              "plan's forecast after it.")),
    "si.burn_funding": ("Burn-up: Fördermittel geplant, nachgewiesen und abgerufen (kumuliert)",
                        "Burn-up: funding planned, proven and called off (cumulative)"),
    "si.burn_funding_desc": (("Linien je Quartalsende: geplante Fördermittel, nachgewiesene (einschließlich "
                              "abgerufener) und abgerufene bis zum Stichtag."),
                             ("Lines per quarter end: planned funding, proven (including called off) and called off "
                              "up to the day.")),
    "si.line.soll": ("Soll", "Plan"),
    "si.line.ist": ("Ist", "Actual"),
    "si.line.forecast": ("Prognose (aktueller Plan)", "Forecast (current plan)"),
    "si.line.planned": ("geplant", "planned"),
    "si.line.proven": ("nachgewiesen", "proven"),
    "si.line.called": ("abgerufen", "called off"),
    "si.asof_mark": ("Stichtag", "Reference day"),
    "sheet.si_quarters": ("Soll-Ist je Quartal", "Plan-actual per quarter"),
    "sheet.si_domains": ("Soll-Ist je Domäne", "Plan-actual per domain"),
    "sheet.si_matrix": ("Soll-Ist Quartal×Domäne", "Plan-actual quarter×domain"),
    "sheet.si_late": ("Verspätungen", "Late items"),
    "sheet.si_burnup": ("Burn-up", "Burn-up"),
    # landkarte actuals …
    "actuals.validated": (("{folder}: {files} Datei(en), Stand {day}: {migrated} migriert, {in_progress} in Arbeit, "
                           "{postponed} zurückgestellt; {targets} Zielinstanzen in Betrieb, {milestones} Meilensteine "
                           "erbracht"),
                          ("{folder}: {files} file(s), as of {day}: {migrated} migrated, {in_progress} in progress, "
                           "{postponed} postponed; {targets} target instances live, {milestones} milestones "
                           "delivered")),
    "actuals.pulled": ("{out}: {systems} Systeme und {targets} Zielinstanzen in Betrieb aus NetBox",
                       "{out}: {systems} systems and {targets} live target instances from NetBox"),
    "actuals.partly_skipped": ("nur teilweise in Betrieb, nicht übernommen: {target}",
                               "only partly live, not taken over: {target}"),
    "actuals.partly": ("{target} ({live} von {vms} VMs mit Inbetriebnahmedatum; ohne: {without})",
                       "{target} ({live} of {vms} VMs with a go-live date; without: {without})"),
    "actuals.live_since": ("in Betrieb seit {day}", "live since {day}"),
    "actuals.live_partly": ("teilweise ({live} von {vms} VMs)", "partly ({live} of {vms} VMs)"),
    "actuals.differ_title": ("Ist-Stand: erfasst (Fortschrittsdateien) und NetBox weichen ab",
                             "Actuals: recorded (progress files) and NetBox differ"),
    "actuals.targets_differ_title": ("Zielinstanzen in Betrieb: erfasst und NetBox weichen ab",
                                     "Live target instances: recorded and NetBox differ"),
    "actuals.partly_title": ("In NetBox nur teilweise in Betrieb (gilt nicht als in Betrieb)",
                             "Only partly live in NetBox (does not count as live)"),
    "actuals.col.system": ("System", "System"),
    "actuals.col.target": ("Zielinstanz", "Target instance"),
    "actuals.col.recorded": ("erfasst", "recorded"),
    "actuals.col.netbox": ("NetBox", "NetBox"),
    "actuals.col.live_vms": ("VMs mit Inbetriebnahmedatum", "VMs with a go-live date"),
    "actuals.col.other_vms": ("VMs ohne", "VMs without"),
    "actuals.not_compared": ("Nicht verglichen, NetBox hat keine geplanten VMs von: {targets}",
                             "Not compared, NetBox has no planned VMs of: {targets}"),
    "actuals.agree": (("{folder}: erfasster Ist-Stand und NetBox stimmen überein ({systems} Systeme, {targets} "
                       "Zielinstanzen)"),
                      "{folder}: recorded actuals and NetBox agree ({systems} systems, {targets} target instances)"),
    "actuals.differ_systems": ("{n} System(e)", "{n} system(s)"),
    "actuals.differ_targets": ("{n} Zielinstanz(en)", "{n} target instance(s)"),
    "actuals.and": (" und ", " and "),
    "actuals.differ": (("{what}: erfasster Ist-Stand in {folder} und NetBox weichen ab; den richtigen Stand in einer "
                        "Fortschrittsdatei (oder in NetBox) festhalten und erneut prüfen"),
                       ("{what} differ between {folder} and NetBox; record the right state in a progress file (or in "
                        "NetBox) and check again")),
    "actuals.run": ("{assessment}: Lauf beendet {day}, {verified} von {hosts} Hosts gehärtet und geprüft",
                    "{assessment}: run ended {day}, {verified} of {hosts} hosts hardened and verified"),
    "actuals.target_complete": ("vollständig gehärtet und geprüft", "completely hardened and verified"),
    "actuals.target_incomplete": ("nicht vollständig", "not complete"),
    "actuals.target_state": ("{target}: {state} ({verified} geprüft, {failed} nicht bestanden, {missing} nicht im Lauf)",
                             "{target}: {state} ({verified} verified, {failed} failed, {missing} not in the run)"),
    "actuals.evidence_entry": ("Nachweis für die Fortschrittsdatei (milestones[].evidence):",
                               "Evidence entry for the progress file (milestones[].evidence):"),
}
