"""The message catalogue of the reports and the number/date formatting per language.

Every visible string of every report format lives here, German first, English second.
German is the default: ``1.234,56 €``, ``31.12.2026``, ``12,5 %``; English gives
``€1,234.56``, ``2026-12-31``, ``12.5%``.

Examples
--------
>>> t = Translator("de")
>>> t.money(1234.5)
'1.234,50 €'
>>> Translator("en").money(1234.5)
'€1,234.50'
>>> t("decision.migrate")
'Migration'
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

__all__ = ["LANGUAGES", "MESSAGES", "Lang", "Translator", "UnknownMessage"]

Lang = Literal["de", "en"]
LANGUAGES: tuple[Lang, ...] = ("de", "en")

# key: (German, English). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    # document
    "doc.title": ("Konsolidierungsplan – Bericht für das IT-Planungsgremium",
                  "Consolidation plan – report for the IT planning board"),
    "doc.subtitle": ("Szenario {scenario}", "Scenario {scenario}"),
    "doc.synthetic": (("Synthetische Daten: Dieser Bericht beruht ganz oder teilweise auf erzeugten Beispieldaten, "
                      "nicht auf erhobenen Fakten."),
                      ("Synthetic data: this report rests wholly or partly on generated sample data, "
                      "not on surveyed facts.")),
    "doc.synthetic_short": ("Synthetische Daten", "Synthetic data"),
    "doc.infeasible": ("Der Planer hat keinen zulässigen Plan gefunden – siehe Risiken.",
                       "The planner found no feasible plan – see Risks."),
    "doc.toc": ("Inhalt", "Contents"),
    "doc.page": ("Seite", "Page"),
    "doc.skip": ("Zum Inhalt springen", "Skip to content"),
    "doc.none": ("keine", "none"),
    "doc.yes": ("ja", "yes"),
    "doc.no": ("nein", "no"),
    "doc.no_inventory": ("Das Inventar wurde nicht geladen; dieser Abschnitt braucht es (Option --inventory).",
                         "The inventory was not loaded; this section needs it (option --inventory)."),
    "doc.total": ("Summe", "Total"),
    "doc.unassigned_kreis": ("ohne Kreis", "no district"),
    # provenance
    "prov.title": ("Herkunft", "Provenance"),
    "prov.inventory": ("Inventar", "Inventory"),
    "prov.inventory_hash": ("Inventar-Hash (SHA-256)", "Inventory hash (SHA-256)"),
    "prov.scenario": ("Szenario", "Scenario"),
    "prov.scenario_hash": ("Szenario-Hash (SHA-256)", "Scenario hash (SHA-256)"),
    "prov.planner_version": ("Planer-Version", "Planner version"),
    "prov.tool_version": ("Berichts-Version", "Report version"),
    "prov.generated": ("Erstellt", "Generated"),
    "prov.start": ("Planungsbeginn", "Plan start"),
    "prov.horizon": ("Horizont", "Horizon"),
    "prov.horizon_value": ("{quarters} Quartale", "{quarters} quarters"),
    "prov.discount": ("Diskontsatz", "Discount rate"),
    "prov.synthetic": ("Synthetische Daten", "Synthetic data"),
    "prov.inventory_loaded": ("Inventar geladen aus", "Inventory loaded from"),
    "prov.plan_file": ("Plandatei", "Plan file"),
    # filter
    "filter.title": ("Filter", "Filter"),
    "filter.kreis": ("Kreis", "District"),
    "filter.org": ("Organisation", "Organisation"),
    "filter.domain": ("Domäne", "Domain"),
    "filter.all": ("alle", "all"),
    "filter.reset": ("Zurücksetzen", "Reset"),
    "filter.status": ("{shown} von {total} Zeilen sichtbar", "{shown} of {total} rows shown"),
    # sections
    "sec.summary": ("Zusammenfassung", "Summary"),
    "sec.landscape": ("Landkarte", "Landscape map"),
    "sec.migration": ("Migrationsplan", "Migration plan"),
    "sec.datacentres": ("Rechenzentren", "Data centres"),
    "sec.risks": ("Risiken", "Risks"),
    "sec.exceptions": ("Ausnahmen (Einzelmaßnahmen)", "Exceptions (individual measures)"),
    "sec.ozg": ("OZG/EfA", "OZG/EfA online services"),
    "sec.compare": ("Szenarienvergleich", "Scenario comparison"),
    "sec.previous": ("Änderungen seit der letzten Sitzung", "Changes since the last meeting"),
    "sec.appendix": ("Anhang je Organisation", "Appendix per organisation"),
    "sec.appendix_kreis": ("Anhang je Kreis", "Appendix per district"),
    "sec.provenance": ("Herkunft der Zahlen", "Provenance of the figures"),
    # key figures
    "fig.orgs_in_scope": ("Organisationen im Plan", "Organisations in scope"),
    "fig.orgs_total": ("Organisationen insgesamt", "Organisations in total"),
    "fig.systems_in_scope": ("Systeme im Plan", "Systems in scope"),
    "fig.systems_migrate": ("Systeme zur Migration", "Systems to migrate"),
    "fig.products_before": ("Produkte vorher (Summe der Domänen)", "Products before (sum over domains)"),
    "fig.products_after": ("Produkte nachher (Summe der Domänen)", "Products after (sum over domains)"),
    "fig.consolidation_ratio": ("Konsolidierungsquote (Installationen je Ziel)",
                                "Consolidation ratio (installations per target)"),
    "fig.systems_past_eol": ("Systeme bei Planungsbeginn ohne Herstellersupport",
                             "Systems past end of life at plan start"),
    "fig.eol_before_migration": ("Systeme, deren Support vor der Migration endet",
                                 "Systems whose support ends before migration"),
    "fig.tco_status_quo": ("TCO 10 Jahre Status quo", "10-year TCO status quo"),
    "fig.tco_plan": ("TCO 10 Jahre Plan", "10-year TCO plan"),
    "fig.tco_savings": ("TCO-Einsparung", "TCO savings"),
    "fig.npv_status_quo": ("Kapitalwert Status quo", "NPV status quo"),
    "fig.npv_plan": ("Kapitalwert Plan", "NPV plan"),
    "fig.npv_savings": ("Kapitalwert der Einsparung", "NPV of savings"),
    "fig.one_off": ("Einmalkosten", "One-off costs"),
    "fig.eigen_total": ("Eigenleistung", "In-house work"),
    "fig.fremd_total": ("Fremdleistung", "Contracted work"),
    "fig.exceptions": ("Ausnahmen", "Exceptions"),
    "fig.waves": ("Quartale mit Migrationen", "Quarters with migrations"),
    "fig.funding_total": ("Freigegebene Fördermittel", "Funding released"),
    "fig.targets": ("Standard-Zielinstanzen", "Standard target instances"),
    # summary tables
    "summary.figures_caption": ("Kennzahlen des Plans", "Key figures of the plan"),
    "summary.figure": ("Kennzahl", "Figure"),
    "summary.value": ("Wert", "Value"),
    "summary.domains_caption": ("Heterogenität je Domäne: verschiedene Produkte vorher und nachher",
                                "Heterogeneity per domain: distinct products before and after"),
    "summary.funding_caption": ("Mittelfreigaben je Jahr und Meilenstein", "Funding released per year and milestone"),
    "summary.funding_none": ("Der Plan enthält keine Mittelfreigaben.", "The plan contains no funding releases."),
    "summary.cost_chart": ("Kosten je Jahr: Status quo gegenüber Plan", "Cost per year: status quo against plan"),
    "summary.cost_chart_desc": ("Balken je Jahr; links Status quo, rechts Plan.",
                                "One pair of bars per year; status quo left, plan right."),
    "summary.cost_caption": ("Kosten je Jahr und Kategorie", "Cost per year and category"),
    # columns
    "col.domain": ("Domäne", "Domain"),
    "col.domain_id": ("Domänen-ID", "Domain id"),
    "col.category": ("Kategorie", "Category"),
    "col.systems": ("Systeme", "Systems"),
    "col.products_before": ("Produkte vorher", "Products before"),
    "col.products_after": ("Produkte nachher", "Products after"),
    "col.instances_before": ("Installationen vorher", "Installations before"),
    "col.instances_after": ("Installationen nachher", "Installations after"),
    "col.ratio": ("Quote", "Ratio"),
    "col.insel": ("Insellösungen vorher", "Isolated solutions before"),
    "col.year": ("Jahr", "Year"),
    "col.quarter": ("Quartal", "Quarter"),
    "col.milestone": ("Meilenstein", "Milestone"),
    "col.description": ("Beschreibung", "Description"),
    "col.milestone_kind": ("Art des Meilensteins", "Milestone kind"),
    "col.releases": ("Freigaben", "Releases"),
    "col.amount": ("Betrag", "Amount"),
    "col.org": ("Organisation", "Organisation"),
    "col.org_id": ("Organisations-ID", "Organisation id"),
    "col.kind": ("Art", "Kind"),
    "col.kreis": ("Kreis", "District"),
    "col.ags": ("AGS", "AGS"),
    "col.population": ("Einwohner", "Population"),
    "col.participates": ("nimmt teil", "participates"),
    "col.zweckverband": ("Mitglied Zweckverband", "Member of the Zweckverband"),
    "col.exit_date": ("Austritt", "Exit"),
    "col.system": ("System", "System"),
    "col.system_id": ("System-ID", "System id"),
    "col.product_before": ("Produkt vorher", "Product before"),
    "col.decision": ("Entscheidung", "Decision"),
    "col.target": ("Ziel", "Target"),
    "col.target_id": ("Ziel-ID", "Target id"),
    "col.product": ("Produkt", "Product"),
    "col.data_centre": ("Rechenzentrum", "Data centre"),
    "col.wave": ("Welle", "Wave"),
    "col.effort_eigen": ("Aufwand eigen (PT)", "In-house effort (person-days)"),
    "col.effort_fremd": ("Aufwand fremd (PT)", "Contracted effort (person-days)"),
    "col.capacity_eigen": ("Kapazität eigen (PT)", "In-house capacity (person-days)"),
    "col.capacity_fremd": ("Kapazität fremd (PT)", "Contracted capacity (person-days)"),
    "col.use_eigen": ("Auslastung eigen", "In-house use"),
    "col.use_fremd": ("Auslastung fremd", "Contracted use"),
    "col.one_off": ("Einmalkosten", "One-off cost"),
    "col.eol": ("Supportende", "End of life"),
    "col.after_eol": ("Migration nach Supportende", "Migrated after end of life"),
    "col.contract_end": ("Vertragsende", "Contract end"),
    "col.notice": ("Kündigungsfrist bis", "Notice deadline"),
    "col.schutzbedarf": ("Schutzbedarf", "Protection requirement"),
    "col.binding": ("Begründung der Welle", "Why this wave"),
    "col.start": ("Beginn", "Start"),
    "col.end": ("Ende", "End"),
    "col.groups": ("Gruppen", "Groups"),
    "col.reason": ("Grund", "Reason"),
    "col.domains": ("Domänen", "Domains"),
    "col.id": ("ID", "Id"),
    "col.justification": ("Begründung", "Justification"),
    "col.coordinated": ("mit Zweckverband abgestimmt", "coordinated with the Zweckverband"),
    "col.vcpu": ("vCPU", "vCPU"),
    "col.ram": ("RAM (GB)", "RAM (GB)"),
    "col.storage_tb": ("Speicher (TB)", "Storage (TB)"),
    "col.storage_gb": ("Speicher (GB)", "Storage (GB)"),
    "col.use_vcpu": ("Auslastung vCPU", "vCPU use"),
    "col.use_ram": ("Auslastung RAM", "RAM use"),
    "col.use_storage": ("Auslastung Speicher", "Storage use"),
    "col.certifications": ("Zertifizierungen", "Certifications"),
    "col.redundancy": ("Redundanz", "Redundancy"),
    "col.sehr_hoch": ("zulässig für „sehr hoch“", "allowed for “very high”"),
    "col.targets": ("Zielinstanzen", "Target instances"),
    "col.tenants": ("Mandanten", "Tenants"),
    "col.onboarding": ("Onboarding je Quartal", "Onboarding per quarter"),
    "col.run_cost": ("Betriebskosten je Jahr", "Annual run cost"),
    "col.normal": ("normal", "normal"),
    "col.hoch": ("hoch", "high"),
    "col.sehr hoch": ("sehr hoch", "very high"),
    "col.scenario": ("Szenario", "Scenario"),
    "col.cost_category": ("Kostenart", "Cost category"),
    "col.betriebsart": ("Betriebsart", "Mode of operation"),
    "col.status_quo": ("Status quo", "Status quo"),
    "col.plan": ("Plan", "Plan"),
    "col.step": ("Schritt", "Step"),
    "col.solver": ("Löser", "Solver"),
    "col.status": ("Status", "Status"),
    "col.objective": ("Zielfunktion", "Objective"),
    "col.bound": ("Schranke", "Bound"),
    "col.gap": ("Lücke", "Gap"),
    "col.time": ("Zeit (s)", "Time (s)"),
    "col.baseline": ("Vergleich: einfache Liste", "Baseline: simple list schedule"),
    "col.constraints": ("Bedingungen", "Constraints"),
    "col.explanation": ("Erklärung", "Explanation"),
    "col.confidence": ("Datenqualität", "Data confidence"),
    "col.service": ("Onlinedienst", "Online service"),
    "col.leika": ("LeiKa-Schlüssel", "LeiKa key"),
    "col.themenfeld": ("Themenfeld", "Topic"),
    "col.service_kind": ("Art", "Kind"),
    "col.efa_provider": ("EfA-Land", "EfA provider"),
    "col.orgs": ("Organisationen", "Organisations"),
    "col.feeds": ("liefert an", "delivers to"),
    "col.services": ("Onlinedienste", "Online services"),
    "col.efa": ("davon EfA", "of which EfA"),
    "col.figure": ("Kennzahl", "Figure"),
    "col.old": ("vorher", "before"),
    "col.new": ("jetzt", "now"),
    "col.delta": ("Differenz", "Difference"),
    "col.change": ("Änderung", "Change"),
    "col.field": ("Feld", "Field"),
    "col.migrate": ("Migration", "Migrate"),
    "col.exceptions": ("Ausnahmen", "Exceptions"),
    "col.first_wave": ("erste Welle", "first wave"),
    "col.last_wave": ("letzte Welle", "last wave"),
    "col.tco_status_quo": ("TCO Status quo", "TCO status quo"),
    "col.tco_plan": ("TCO Plan", "TCO plan"),
    "col.key": ("Schlüssel", "Key"),
    "col.value": ("Wert", "Value"),
    "col.vms": ("VMs", "VMs"),
    "col.kreise": ("Kreise", "Districts"),
    # decisions and categories
    "decision.migrate": ("Migration", "Migrate"),
    "decision.exception": ("Ausnahme", "Exception"),
    "decision.stay": ("bleibt am Ort", "stays in place"),
    "decision.out_of_scope": ("außerhalb", "out of scope"),
    "cost.run_legacy": ("Betrieb Altverfahren", "Run legacy"),
    "cost.run_target": ("Betrieb Standard", "Run standard"),
    "cost.migration": ("Migration", "Migration"),
    "cost.double_running": ("Parallelbetrieb", "Double running"),
    "cost.eol_penalty": ("Zuschlag nach Supportende", "Post-EOL surcharge"),
    "confidence.verified": ("geprüft", "verified"),
    "confidence.estimated": ("geschätzt", "estimated"),
    "confidence.unknown": ("unbekannt", "unknown"),
    "kind.efa": ("EfA", "EfA"),
    "kind.eigen": ("eigene Umsetzung", "own implementation"),
    # landscape
    "map.caption": ("Heatmap Organisation × Domäne: Entscheidung je Fachverfahren, rote Ecke = Supportrisiko",
                    "Heat map organisation × domain: decision per system, red corner = end-of-life risk"),
    "map.caption_kreis": ("Heatmap Kreis × Domäne: Anteil migrierter Systeme, rote Ecke = Supportrisiko",
                          "Heat map district × domain: share of systems migrated, red corner = end-of-life risk"),
    "map.desc": (("Zeilen sind Organisationen, nach Kreis gruppiert; Spalten sind Domänen. Die Farbe zeigt die "
                 "Entscheidung, eine rote Ecke ein System, dessen Herstellersupport vor oder bei Planungsbeginn "
                 "endet oder vor seiner Migration ausläuft. Die Tabelle darunter enthält dieselben Angaben."),
                 ("Rows are organisations grouped by district; columns are domains. The colour shows the decision, "
                 "a red corner a system whose vendor support ends before the plan starts or before its "
                 "migration. The table below holds the same information.")),
    "map.desc_kreis": ("Zeilen sind Kreise, Spalten Domänen; je dunkler, desto größer der Anteil migrierter Systeme.",
                       "Rows are districts, columns domains; the darker, the larger the share of systems migrated."),
    "map.eol_caption": ("Heatmap Organisation × Domäne: Alter und Supportende",
                        "Heat map organisation × domain: age and end of life"),
    "map.eol_caption_kreis": ("Heatmap Kreis × Domäne: Anteil der Systeme mit Supportrisiko",
                              "Heat map district × domain: share of systems with end-of-life risk"),
    "map.eol_desc": (("Zeilen sind Organisationen, nach Kreis gruppiert; Spalten sind Domänen. Die Farbe zeigt den "
                     "schlechtesten Supportstatus der Systeme der Zelle."),
                     ("Rows are organisations grouped by district; columns are domains. The colour shows the worst "
                     "support status of the cell's systems.")),
    "map.eol_desc_kreis": (("Zeilen sind Kreise, Spalten Domänen; je dunkler, desto größer der Anteil der Systeme, "
                           "deren Support vor oder bei Planungsbeginn oder vor ihrer Migration endet."),
                           ("Rows are districts, columns domains; the darker, the larger the share of systems whose "
                           "support ends before the plan starts or before their migration.")),
    "eol.0": ("kein Supportende im Horizont bekannt", "no end of life known within the horizon"),
    "eol.1": ("Supportende im Horizont, nach der Migration", "end of life within the horizon, after migration"),
    "eol.2": ("Supportende vor der Migration", "end of life before migration"),
    "eol.3": ("Supportende vor Planungsbeginn", "end of life before the plan starts"),
    "map.legend": ("Legende", "Legend"),
    "map.eol_risk": ("Supportrisiko", "End-of-life risk"),
    "map.empty": ("kein System", "no system"),
    "map.mixed": ("gemischt", "mixed"),
    "map.kreis_caption": ("Übersicht je Kreis", "Overview per district"),
    "map.org_caption": ("Übersicht je Organisation", "Overview per organisation"),
    "map.aggregated": (("Aggregierte Ansicht: {orgs} Organisationen sind zu viele für Einzelzeilen; die Heatmap zeigt "
                       "Kreise. Einzelheiten enthält die XLSX-Datei."),
                       ("Aggregated view: {orgs} organisations are too many for single rows; the heat map shows "
                       "districts. The XLSX file holds the details.")),
    "map.systems_caption": ("Alle Systeme und ihre Entscheidung", "All systems and their decision"),
    # migration
    "gantt.caption": ("Wellen je Quartal und Domäne; grau schraffiert = Sperrzeit",
                      "Waves per quarter and domain; grey = blackout window"),
    "gantt.desc": (("Ein Kästchen je Quartal und Domäne, in dem Systeme migriert werden; die Zahl ist die Anzahl "
                   "Systeme. Graue Flächen sind Sperrzeiten, in denen die Domäne nicht migriert werden darf."),
                   ("One box per quarter and domain in which systems migrate; the number counts the systems. "
                   "Grey areas are blackout windows in which the domain must not migrate.")),
    "capacity.caption": ("Teamkapazität je Quartal: Aufwand gegenüber Kapazität (Eigen/Fremd)",
                         "Team capacity per quarter: effort against capacity (in-house/contracted)"),
    "capacity.desc": (("Gestapelte Balken: Aufwand eigen (dunkel) und fremd (hell) in Personentagen; "
                      "die Linie ist die gesamte Kapazität."),
                      ("Stacked bars: in-house (dark) and contracted (light) effort in person-days; "
                      "the line is the total capacity.")),
    "capacity.line": ("Kapazität gesamt", "Total capacity"),
    "waves.caption": ("Wellen und Auslastung je Quartal", "Waves and capacity use per quarter"),
    "blackouts.caption": ("Sperrzeiten", "Blackout windows"),
    "blackouts.all": ("alle Domänen", "all domains"),
    "targets.caption": ("Standard-Zielinstanzen", "Standard target instances"),
    # data centres
    "dc.caption": ("Rechenzentren: Platzierung und Auslastung", "Data centres: placement and capacity use"),
    "dc.chart": ("Auslastung der Rechenzentren", "Data-centre capacity use"),
    "dc.chart_desc": ("Je Rechenzentrum drei Balken: vCPU, RAM und Speicher in Prozent der Kapazität.",
                      "Three bars per data centre: vCPU, RAM and storage as a percentage of capacity."),
    "dc.sb_caption": ("Schutzbedarf der platzierten Systeme je Rechenzentrum",
                      "Protection requirement of the placed systems per data centre"),
    "dc.none": ("Der Plan platziert keine Systeme in Rechenzentren.", "The plan places no systems in data centres."),
    # risks
    "risk.summary_caption": ("Risiken im Überblick", "Risks at a glance"),
    "risk.kind": ("Risiko", "Risk"),
    "risk.count": ("Anzahl", "Count"),
    "risk.eol": ("Supportende vor der Migration", "End of life before migration"),
    "risk.past_eol": ("Supportende vor Planungsbeginn", "End of life before plan start"),
    "risk.capacity_waves": ("Quartale mit Auslastung ≥ {pct}", "Quarters with use ≥ {pct}"),
    "risk.capacity_dcs": ("Rechenzentren mit Auslastung ≥ {pct}", "Data centres with use ≥ {pct}"),
    "risk.low_confidence": ("Systeme mit unbekannter Datenqualität", "Systems with unknown data confidence"),
    "risk.estimated": ("Systeme mit geschätzten Daten", "Systems with estimated data"),
    "risk.conflicts": ("Unzulässigkeiten (Konflikte des Planers)", "Infeasibilities (planner conflicts)"),
    "risk.gap": ("größte Optimalitätslücke des Lösers", "largest solver optimality gap"),
    "risk.eol_caption": ("Systeme, deren Support vor der Migration endet",
                         "Systems whose support ends before migration"),
    "risk.hotspot_caption": ("Kapazitäts-Engpässe", "Capacity hot spots"),
    "risk.confidence_caption": ("Systeme mit unbekannter Datenqualität", "Systems with unknown data confidence"),
    "risk.conflict_caption": ("Unzulässigkeiten, die der Planer meldet", "Infeasibilities the planner reported"),
    "risk.solver_caption": ("Löser: Status und Optimalitätslücke", "Solver: status and optimality gap"),
    "risk.resource": ("Ressource", "Resource"),
    "risk.use": ("Auslastung", "Use"),
    "risk.none": ("keine", "none"),
    "risk.more": ("… und {n} weitere (vollständig in der XLSX-Datei)", "… and {n} more (all in the XLSX file)"),
    # exceptions
    "exc.caption": ("Ausnahmen mit Begründung und Abstimmungsstand", "Exceptions with justification and status"),
    "exc.none": ("Der Plan enthält keine Ausnahmen.", "The plan contains no exceptions."),
    # ozg
    "ozg.caption": ("Onlinedienste nach Leistung", "Online services by service"),
    "ozg.org_caption": ("Onlinedienste je Organisation", "Online services per organisation"),
    "ozg.total": ("Onlinedienste", "Online services"),
    "ozg.efa": ("davon EfA-Nachnutzung", "of which reuse EfA"),
    "ozg.distinct": ("verschiedene Leistungen", "distinct services"),
    "ozg.none": ("Das Inventar enthält keine Onlinedienste.", "The inventory lists no online services."),
    # compare / previous
    "cmp.caption": ("Kennzahlen im Vergleich", "Key figures side by side"),
    "cmp.moved_caption": ("Was sich bewegt: Systeme mit anderer Entscheidung, anderem Ziel oder anderer Welle",
                          "What moved: systems with another decision, target or wave"),
    "cmp.domains_caption": ("Produkte nachher je Domäne im Vergleich", "Products after per domain side by side"),
    "cmp.added": ("neu im Plan", "new in the plan"),
    "cmp.removed": ("nicht mehr im Plan", "no longer in the plan"),
    "cmp.no_change": ("Keine Unterschiede.", "No differences."),
    "cmp.this": ("dieser Plan", "this plan"),
    "cmp.other": ("Vergleichsplan", "other plan"),
    "cmp.counts": ("{moved} Systeme geändert, {added} neu, {removed} entfallen",
                   "{moved} systems changed, {added} added, {removed} removed"),
    "prev.caption": ("Kennzahlen: letzte Sitzung und heute", "Key figures: last meeting and today"),
    "prev.exceptions_added": ("Neue Ausnahmen", "New exceptions"),
    "prev.exceptions_removed": ("Entfallene Ausnahmen", "Removed exceptions"),
    "prev.meta_caption": ("Grundlagen", "Basis"),
    "field.decision": ("Entscheidung", "Decision"),
    "field.target": ("Ziel", "Target"),
    "field.data_centre": ("Rechenzentrum", "Data centre"),
    "field.quarter": ("Welle", "Wave"),
    "field.scenario": ("Szenario", "Scenario"),
    "field.inventory_hash": ("Inventar-Hash", "Inventory hash"),
    # appendix
    "app.systems_caption": ("Systeme von {org}", "Systems of {org}"),
    "app.costs_caption": ("Kosten von {org} über {years} Jahre", "Costs of {org} over {years} years"),
    "app.funding_caption": ("Mittelfreigaben für {org}", "Funding released for {org}"),
    "app.facts": ("Stammdaten", "Facts"),
    "app.no_systems": ("Keine Systeme im Inventar.", "No systems in the inventory."),
    "app.outside": ("Diese Organisation nimmt am Szenario nicht teil.",
                    "This organisation does not take part in the scenario."),
    "app.kreis_caption": ("Organisationen in {kreis}", "Organisations in {kreis}"),
    "app.aggregated": (("Aggregierte Ansicht: {orgs} Organisationen. Eine Seite je Organisation enthält die PDF-Datei "
                       "(Option --appendix org) und die XLSX-Datei (Blatt Systeme)."),
                       ("Aggregated view: {orgs} organisations. One page per organisation is in the PDF "
                       "(option --appendix org) and the XLSX file (sheet Systems).")),
    # sheets
    "sheet.figures": ("Kennzahlen", "Key figures"),
    "sheet.domains": ("Domänen", "Domains"),
    "sheet.orgs": ("Organisationen", "Organisations"),
    "sheet.systems": ("Systeme", "Systems"),
    "sheet.waves": ("Wellen", "Waves"),
    "sheet.blackouts": ("Sperrzeiten", "Blackouts"),
    "sheet.targets": ("Zielinstanzen", "Targets"),
    "sheet.datacentres": ("Rechenzentren", "Data centres"),
    "sheet.exceptions": ("Ausnahmen", "Exceptions"),
    "sheet.costs": ("Kosten", "Costs"),
    "sheet.funding": ("Mittelfreigaben", "Funding"),
    "sheet.risks": ("Risiken", "Risks"),
    "sheet.solver": ("Löser", "Solver"),
    "sheet.services": ("Onlinedienste", "Online services"),
    "sheet.compare": ("Vergleich", "Comparison"),
    "sheet.compare_moved": ("Vergleich Systeme", "Comparison systems"),
    "sheet.previous": ("Änderungen", "Changes"),
    "sheet.previous_moved": ("Änderungen Systeme", "Changes systems"),
    "sheet.provenance": ("Herkunft", "Provenance"),
    "sheet.kreise": ("Kreise", "Districts"),
}


class UnknownMessage(KeyError):
    """A message key that is not in the catalogue (a bug in a template)."""


class Translator:
    """Messages and number formats for one language; call it with a key to get the text."""

    def __init__(self, lang: Lang = "de"):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        self.lang: Lang = lang
        self._index = LANGUAGES.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        try:
            text = MESSAGES[key][self._index]
        except KeyError:
            raise UnknownMessage(key) from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in MESSAGES

    # ------------------------------------------------------------------ numbers
    def number(self, value: float | Decimal | None, digits: int = 0) -> str:
        """``1234.5`` → ``1.234,5`` (de) / ``1,234.5`` (en) with ``digits`` places."""
        if value is None:
            return "–"
        text = f"{value:,.{digits}f}"
        if self.lang == "de":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text.replace("-", "−") if text.startswith("-") else text

    def money(self, value: float | Decimal | None) -> str:
        if value is None:
            return "–"
        text = self.number(Decimal(str(value)).quantize(Decimal("0.01")), 2)
        if self.lang == "de":
            return f"{text} €"
        return f"−€{text[1:]}" if text.startswith("−") else f"€{text}"

    def percent(self, ratio: float | None, digits: int = 1) -> str:
        """A ratio (0.125) as a percentage: ``12,5 %`` / ``12.5%``."""
        if ratio is None:
            return "–"
        text = self.number(ratio * 100, digits)
        return f"{text} %" if self.lang == "de" else f"{text}%"

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            stamp = value.strftime("%d.%m.%Y %H:%M" if self.lang == "de" else "%Y-%m-%d %H:%M")
            return f"{stamp} {value.tzname() or ''}".strip()
        return value.strftime("%d.%m.%Y") if self.lang == "de" else value.isoformat()

    def boolean(self, value: bool | None) -> str:
        return "–" if value is None else self("doc.yes" if value else "doc.no")

    def value(self, value: object, kind: str) -> str:
        """Format by column kind: int, float, money, percent, ratio, date, bool, text."""
        if value is None or value == "":
            return "" if kind == "text" else "–"
        if kind == "int":
            return self.number(value, 0)  # type: ignore[arg-type]
        if kind == "float":
            return self.number(value, 1)  # type: ignore[arg-type]
        if kind == "ratio":
            return self.number(value, 2)  # type: ignore[arg-type]
        if kind == "money":
            return self.money(value)  # type: ignore[arg-type]
        if kind == "percent":
            return self.percent(value)  # type: ignore[arg-type]
        if kind == "date":
            return self.date(value)  # type: ignore[arg-type]
        if kind == "bool":
            return self.boolean(bool(value))
        return str(value)
