"""The planner's reasons in German and English: one message per :class:`plan.models.Reason` kind.

Keys are ``reason.<kind>``; placeholders are the reason's ``params`` (ids, quarter labels, ISO
dates and counts, formatted per language by :meth:`reports.messages.Translator.reason`).
Move-group reasons are ``group.<reason>``, binding families ``binding.<kind>``; the
``explain.*`` lines are those of ``landkarte plan explain``. Data only: the renderer is in :mod:`reports.messages`.
"""

from __future__ import annotations

__all__ = ["REASON_MESSAGES"]

REASON_MESSAGES: dict[str, tuple[str, str]] = {
    # why a system is in its wave
    "reason.dependency": ("wartet auf {group} ({quarter})", "waits for {group} ({quarter})"),
    "reason.earliest": ("frühestmöglich ({quarter})", "as early as possible ({quarter})"),
    "reason.target_available": ("Ziel verfügbar ab {quarter}", "target available from {quarter}"),
    "reason.blackout": ("Sperrfenster bis {quarter}", "blackout window until {quarter}"),
    "reason.exit": ("spätestens {quarter}: Austritt aus dem Zweckverband",
                    "by {quarter} at the latest: exit from the Zweckverband"),
    "reason.eol": ("spätestens {quarter}: Ende der Herstellerunterstützung",
                   "by {quarter} at the latest: end of vendor support"),
    "reason.contract_ends": ("Vertrag von {system} endet {end}, Kündigung bis {notice}",
                             "contract of {system} ends {end}, notice by {notice}"),
    "reason.contract_cheaper": ("günstiger als früher (Doppelbetrieb vermieden), {quarter}",
                                "cheaper than earlier (no double running), {quarter}"),
    "reason.capacity_eigen": ("Teamkapazität Eigenleistung in {quarter} ausgeschöpft",
                              "in-house team capacity exhausted in {quarter}"),
    "reason.capacity_fremd": ("Teamkapazität Fremdleistung in {quarter} ausgeschöpft",
                              "contractor capacity exhausted in {quarter}"),
    "reason.load_balancing": ("Lastausgleich über die Wellen ({quarter})", "load balanced across the waves ({quarter})"),
    "reason.onboarding": ("Onboarding von {target} in {quarter} ausgelastet",
                          "onboarding of {target} fully booked in {quarter}"),
    "reason.infeasible": ("kein zulässiger Plan: siehe Konflikte", "no feasible plan: see the conflicts"),
    "reason.exception": ("Einzelmaßnahme: {justification}", "exception (Einzelmaßnahme): {justification}"),
    "reason.not_participating": ("{org} nimmt an diesem Szenario nicht teil", "{org} does not take part in this scenario"),
    "reason.no_standard_target": ("kein Standardziel für {domain}; bleibt am Ort",
                                  "no standard target for {domain}; stays where it is"),
    "reason.already_standard": ("bereits Standard: {product} {version}, wird nicht migriert",
                                "already standard: {product} {version}; no migration"),
    "reason.already_standard_until": ("bereits Standard: {product} {version} (unterstützt bis {until}), wird nicht migriert",
                                      "already standard: {product} {version} (supported until {until}); no migration"),
    # actuals (plan --actuals --as-of)
    "reason.done": ("migriert am {date}", "migrated on {date}"),
    "reason.in_progress": ("in Arbeit seit {date}, Abschluss in {quarter}", "in progress since {date}, to finish in {quarter}"),
    "reason.postponed": ("zurückgestellt bis {quarter}: {reason}", "postponed until {quarter}: {reason}"),
    "reason.as_of": ("nicht vor dem Planungsstand ({quarter})", "not before the as-of quarter ({quarter})"),
    "reason.horizon": ("spätestens {quarter}: Ende des Planungshorizonts",
                       "by {quarter} at the latest: end of the planning horizon"),
    "reason.behind": (("{group} ist nicht mehr fristgerecht umzusetzen ({parts}): Nach dem Stand {as_of} ist "
                       "frühestens {earliest} möglich – die Umsetzung liegt hinter dem Plan."),
                      ("{group} can no longer meet its deadline ({parts}): as of {as_of} the earliest possible "
                       "quarter is {earliest} – implementation has fallen behind the plan.")),
    "reason.contract_expires": ("befristeter Vertrag von {system} endet {end} (ohne Kündigung)",
                                "fixed-term contract of {system} ends {end} (no notice needed)"),
    "reason.domain_kept": ("{domain} bleibt laut Szenario lokal", "the scenario keeps {domain} local"),
    "reason.exited_before_start": ("{org} ist am {exit} aus dem Zweckverband ausgetreten, vor Planungsbeginn ({start})",
                                   "{org} left the Zweckverband on {exit}, before the plan start ({start})"),
    # funding milestones
    "reason.target_live": ("{target} in Betrieb ({quarter})", "{target} in operation ({quarter})"),
    "reason.org_complete": ("{org}: alle Systeme migriert ({quarter})", "{org}: all systems migrated ({quarter})"),
    "reason.domain_complete": ("{domain}: vollständig migriert ({quarter})", "{domain}: fully migrated ({quarter})"),
    "reason.systems_migrated": ("{org}: {count} System(e) migriert ({quarter})",
                                "{org}: {count} system(s) migrated ({quarter})"),
    # conflicts
    "reason.contradiction": ("Widerspruch: {parts}", "Contradiction: {parts}"),
    "reason.timeout": ("kein zulässiger Plan gefunden (Zeitlimit), aber kein Widerspruch nachweisbar",
                       "no feasible plan found (time limit), but no contradiction could be proven"),
    "reason.demand_eigen": ("Teamkapazität Eigenleistung: Bedarf {need} PT, im Horizont verfügbar {available} PT",
                            "in-house team capacity: {need} person-days needed, {available} available in the horizon"),
    "reason.demand_fremd": ("Teamkapazität Fremdleistung: Bedarf {need} PT, im Horizont verfügbar {available} PT",
                            "contractor capacity: {need} person-days needed, {available} available in the horizon"),
    "reason.onboarding_demand": ("Onboarding {target}: {systems} Systeme, höchstens {per_quarter} je Quartal",
                                 "onboarding {target}: {systems} systems, at most {per_quarter} per quarter"),
    "reason.scarce": (("kein zulässiger Plan für {groups} Umzugsgruppen gefunden; Ressourcen sind knapp (Kapazität, "
                       "Onboarding, Sperrfenster) – Szenario mit mehr Kapazität prüfen"),
                      ("no feasible plan found for {groups} move groups; resources are scarce (capacity, onboarding, "
                       "blackout windows) – try a scenario with more capacity")),
    # resources a reason names (``{resource}``)
    "resource.vcpu": ("vCPU", "vCPUs"),
    "resource.ram": ("Arbeitsspeicher (GB)", "RAM (GB)"),
    "resource.storage": ("Speicherplatz (TB)", "storage (TB)"),
    "resource.tenant_slots": ("Mandantennetze", "tenant networks"),
    "resource.all": ("keine einzelne Ressource, erst alle zusammen", "no single resource, only all together"),
    # the constraint families of a contradiction
    "reason.release": ("frühester Start {reason} (Quartal {quarter})", "earliest start {reason} (quarter {quarter})"),
    "reason.deadline": ("Frist {reason} (spätestens Quartal {quarter})",
                        "deadline {reason} (quarter {quarter} at the latest)"),
    "reason.window": ("Sperrfenster {window}", "blackout window {window}"),
    "reason.team_eigen": ("Teamkapazität Eigenleistung je Quartal", "in-house team capacity per quarter"),
    "reason.team_fremd": ("Teamkapazität Fremdleistung je Quartal", "contractor capacity per quarter"),
    "reason.onboarding_capacity": ("Onboarding-Kapazität von {target} je Quartal",
                                   "onboarding capacity of {target} per quarter"),
    "reason.group_cannot_fit": (("Umzugsgruppe {group} findet keinen Platz (Bedarf {need_eigen} PT Eigenleistung, "
                                 "{need_fremd} PT Fremdleistung)"),
                                ("move group {group} finds no room ({need_eigen} in-house and {need_fremd} contractor "
                                 "person-days needed)")),
    # why no data-centre placement exists
    "reason.dc_capacity": ("Rechenzentren: {resource} reicht nicht, Bedarf {need}, vorhanden {available}",
                           "data centres: not enough {resource}, {need} needed, {available} available"),
    "reason.dc_tenant_slots": ("Rechenzentren: {need} Mandantennetze nötig, Supernetze und VLANs erlauben {available}",
                               "data centres: {need} tenant networks needed, the supernets and VLANs allow {available}"),
    "reason.dc_certified_capacity": (("zertifizierte redundante Rechenzentren ({data_centres}): {resource} reicht für "
                                      "Schutzbedarf „sehr hoch“ nicht, Bedarf {need}, vorhanden {available}"),
                                     ("certified redundant data centres ({data_centres}): not enough {resource} for "
                                      "Schutzbedarf 'sehr hoch', {need} needed, {available} available")),
    "reason.dc_certified_tenant_slots": (("zertifizierte redundante Rechenzentren ({data_centres}): {need} Mandantennetze "
                                          "mit Schutzbedarf „sehr hoch“ nötig, vorhanden {available}"),
                                         ("certified redundant data centres ({data_centres}): {need} tenant networks "
                                          "with Schutzbedarf 'sehr hoch' needed, {available} available")),
    "reason.dc_no_certified": (("Schutzbedarf „sehr hoch“ ({units}), aber kein Rechenzentrum ist zertifiziert und "
                                "redundant (2n/georedundant)"),
                               ("Schutzbedarf 'sehr hoch' ({units}) but no data centre is certified and redundant "
                                "(2n/georedundant)")),
    "reason.dc_unit_too_large": ("{unit} passt in kein einzelnes Rechenzentrum: {resource} {need}, höchstens {available}",
                                 "{unit} fits into no single data centre: {resource} {need}, at most {available}"),
    "reason.dc_packing": (("die Systeme lassen sich nicht auf die Rechenzentren ({data_centres}) verteilen: "
                           "{resource} je Rechenzentrum reicht nicht (nachgewiesen; ohne diese Grenze gäbe es eine "
                           "Platzierung)"),
                          ("the workloads cannot be spread over the data centres ({data_centres}): {resource} per "
                           "data centre is short (proven; without that limit a placement exists)")),
    "reason.dc_timeout": ("keine Platzierung im Zeitlimit gefunden, aber keine Unmöglichkeit nachweisbar",
                          "no placement found within the time limit, but none proven impossible"),
    "reason.precedence": ("Abhängigkeit: {successor} erst nach {predecessor}",
                          "dependency: {successor} only after {predecessor}"),
    # the family of a binding constraint
    "binding.dependency": ("Abhängigkeit", "dependency"),
    "binding.contract": ("Altvertrag", "legacy contract"),
    "binding.blackout": ("Sperrfenster", "blackout window"),
    "binding.capacity": ("Kapazität", "capacity"),
    "binding.onboarding": ("Onboarding", "onboarding"),
    "binding.eol": ("Ende der Herstellerunterstützung", "end of vendor support"),
    "binding.exit": ("Austritt aus dem Zweckverband", "exit from the Zweckverband"),
    "binding.earliest": ("frühestmöglich", "earliest possible"),
    "binding.exception": ("Einzelmaßnahme", "exception"),
    "binding.stay": ("bleibt am Ort", "stays in place"),
    "binding.kept": ("Domäne bleibt lokal", "domain kept local"),
    "binding.standard": ("bereits Standard", "already standard"),
    "binding.out_of_scope": ("außerhalb", "out of scope"),
    "binding.actual": ("Ist-Stand", "actual progress"),
    "binding.postponed": ("zurückgestellt", "postponed"),
    # landkarte plan explain
    "explain.system": ("{system} ({org}, {domain}): {decision}", "{system} ({org}, {domain}): {decision}"),
    "explain.moves": (" → {target} in {data_centre}, Welle {wave}", " → {target} in {data_centre}, wave {wave}"),
    "explain.rehosting": ("Rehosting", "rehosting"),
    "explain.binding": ("  bindend: {kind} – {text}", "  binding: {kind} – {text}"),
    "explain.group": ("  Umzugsgruppe {group} ({reason}): {systems}", "  move group {group} ({reason}): {systems}"),
    "explain.after": ("  nach {group} (Welle {wave}): {systems}", "  after {group} (wave {wave}): {systems}"),
    "explain.contract": ("  Altvertrag endet {end}, Kündigung bis {notice}", "  legacy contract ends {end}, notice by {notice}"),
    "explain.contract_expires": ("  Altvertrag endet {end} (befristet, ohne Kündigung)",
                                 "  legacy contract ends {end} (fixed term, no notice needed)"),
    "explain.eol": ("  Herstellerunterstützung bis {date}", "  vendor support until {date}"),
    "explain.after_eol": (" (Migration danach)", " (migrated after it)"),
    "plan.no_placement": (("{scenario}: die Rechenzentren des Szenarios können die Ziele und Arbeitslasten nicht "
                           "aufnehmen; kein Plan geschrieben:"),
                          ("{scenario}: the scenario's data centres cannot hold the targets and workloads; no plan "
                           "written:")),
    "plan.out_of_scope": ("Hinweis: {text}; ihre Systeme sind außerhalb des Plans.",
                          "Note: {text}; its systems are outside the plan."),
    "explain.conflict": ("  Konflikt: {text}", "  conflict: {text}"),
    "plan.infeasible": ("kein zulässiger Zeitplan (Plan mit den Konflikten geschrieben: {out}):\n{lines}",
                        "no feasible schedule (plan written to {out} with the conflicts):\n{lines}"),
    # landkarte plan: the summary on the console
    "plan.cli.waves": ("{out}: {systems} Systeme in {waves} Wellen ({first} … {last}), Zielinstanzen {targets}",
                       "{out}: {systems} systems in {waves} waves ({first} … {last}), target instances {targets}"),
    "plan.cli.solver": (("  Zielfunktion {objective}, Schranke {bound}, Lücke {gap}, Basislinie {baseline} "
                         "(Modellwerte, keine Haushaltsmittel)"),
                        ("  objective {objective}, bound {bound}, gap {gap}, baseline {baseline} "
                         "(model values, not budget money)")),
    "plan.cli.tco": ("  TCO (zahlungswirksam) Status quo {status_quo}, Plan {plan}, Kapitalwert-Ersparnis {npv}",
                     "  TCO (cash) status quo {status_quo}, plan {plan}, NPV saving {npv}"),
    "plan.cli.risk": (("  daneben kalkulatorische Risikokosten: Status quo {status_quo}, Plan {plan} "
                       "(nicht in den Summen)"),
                      "  besides, modelled risk cost: status quo {status_quo}, plan {plan} (not in the totals)"),
    # landkarte report: notes on the console
    "report.warning": ("Hinweis: {text}", "warning: {text}"),
    "report.soll_is_the_plan": (("Soll/Ist misst den neu geplanten PLAN an seinen eigenen Ist-Daten (erledigte Umzüge "
                                 "stehen in ihren tatsächlichen Quartalen); den beschlossenen Plan mit --baseline oder "
                                 "--previous angeben"),
                                ("Soll/Ist measures the re-planned PLAN against its own actuals (done moves sit in "
                                 "their real quarters); give the adopted plan with --baseline or --previous")),
    "report.inventory_missing": (("das im Plan genannte Inventar „{name}“ wurde nicht gefunden; die Abschnitte, die es "
                                  "brauchen (OZG/EfA, Datengüte), sagen das — mit --inventory VERZEICHNIS angeben"),
                                 ("inventory '{name}' named in the plan not found; sections that need it (OZG/EfA, "
                                  "data confidence) say so — pass --inventory DIR")),
    "report.inventory_broken": ("Inventar {found}: {error} — weiter ohne das Inventar",
                                "inventory {found}: {error} — going on without the inventory"),
    "report.rendering": ("erzeuge {formats}", "rendering {formats}"),
    # why systems share a move group
    "group.single": ("einzeln", "single"),
    "group.cycle": ("Abhängigkeitszyklus", "dependency cycle"),
    "group.tight-coupling": ("enge Kopplung", "tight coupling"),
    "group.cycle+tight-coupling": ("Abhängigkeitszyklus und enge Kopplung", "dependency cycle and tight coupling"),
}
