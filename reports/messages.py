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
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

from common import german
from reports._change_catalogue import CHANGE_MESSAGES
from reports._progress_catalogue import PROGRESS_MESSAGES
from reports._reason_catalogue import REASON_MESSAGES
from reports._sweep_catalogue import SWEEP_MESSAGES

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
    "fig.tco_status_quo": ("TCO 10 Jahre Status quo (zahlungswirksam)", "10-year TCO status quo (cash)"),
    "fig.tco_plan": ("TCO 10 Jahre Plan (zahlungswirksam)", "10-year TCO plan (cash)"),
    "fig.tco_savings": ("TCO-Einsparung (zahlungswirksam)", "TCO savings (cash)"),
    "fig.risk_status_quo": ("Kalkulatorische Risikokosten Status quo (nicht zahlungswirksam)",
                            "Modelled risk cost status quo (not cash)"),
    "fig.risk_plan": ("Kalkulatorische Risikokosten Plan (nicht zahlungswirksam)", "Modelled risk cost plan (not cash)"),
    "fig.npv_status_quo": ("Kapitalwert Status quo", "NPV status quo"),
    "fig.npv_plan": ("Kapitalwert Plan", "NPV plan"),
    "fig.npv_savings": ("Kapitalwert der Einsparung", "NPV of savings"),
    "fig.one_off": ("Einmalkosten", "One-off costs"),
    "fig.eigen_total": ("Eigenleistung", "In-house work"),
    "fig.fremd_total": ("Fremdleistung", "Contracted work"),
    "fig.exceptions": ("Ausnahmen", "Exceptions"),
    "fig.waves": ("Quartale mit Migrationen", "Quarters with migrations"),
    "fig.funding_total": ("Geplante Fördermittel (je nachgewiesenem Meilenstein)",
                          "Planned funding (per proven milestone)"),
    "fig.targets": ("Standard-Zielinstanzen", "Standard target instances"),
    # summary tables
    "summary.figures_caption": ("Kennzahlen des Plans", "Key figures of the plan"),
    "summary.figure": ("Kennzahl", "Figure"),
    "summary.value": ("Wert", "Value"),
    "summary.domains_caption": ("Heterogenität je Domäne: verschiedene Produkte vorher und nachher",
                                "Heterogeneity per domain: distinct products before and after"),
    "summary.funding_caption": ("Geplante Fördermittel je Jahr und Meilenstein (abrufbar erst nach Nachweis)",
                                "Planned funding per year and milestone (claimable only once proven)"),
    "summary.funding_none": ("Der Plan sieht keine Fördermittel vor.",
                             "The plan foresees no funding."),
    "summary.cost_chart": ("Zahlungswirksame Kosten je Jahr: Status quo gegenüber Plan",
                           "Cash cost per year: status quo against plan"),
    "summary.cost_chart_desc": (("Balken je Jahr; links Status quo, rechts Plan. Nur zahlungswirksame Kosten; "
                                 "kalkulatorische Risikokosten sind nicht enthalten."),
                                ("One pair of bars per year; status quo left, plan right. Cash only; modelled risk "
                                 "costs are not included.")),
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
    "col.releases": ("Meilensteine", "Milestones"),
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
    "decision.rehost": ("Rehosting", "Rehost"),
    "decision.exception": ("Ausnahme", "Exception"),
    "decision.stay": ("bleibt am Ort", "stays in place"),
    "decision.out_of_scope": ("außerhalb", "out of scope"),
    "cost.run_legacy": ("Betrieb Altverfahren", "Run legacy"),
    "cost.run_target": ("Betrieb Standard", "Run standard"),
    "cost.migration": ("Migration", "Migration"),
    "cost.double_running": ("Parallelbetrieb", "Double running"),
    "cost.eol_penalty": ("Kalkulatorischer Risikozuschlag nach Supportende", "Modelled post-EOL risk surcharge"),
    "cost.eol_penalty.basis": (("steht für das Sicherheits- und Ausfallrisiko eines Systems ohne Herstellersupport: "
                                "ein Zuschlag je System und Quartal nach Supportende (Szenario-Annahme), den kein "
                                "Haushalt zahlt"),
                               ("stands for the security and outage risk of a system without vendor support: a "
                                "surcharge per system and quarter after end of support (scenario assumption) that no "
                                "budget pays")),
    "cost.cash_total": ("Summe zahlungswirksam", "Total cash"),
    "cost.risk_total": ("Summe kalkulatorische Risikokosten", "Total modelled risk cost"),
    "cost.grand_total": ("Gesamt (zahlungswirksam + kalkulatorisch)", "Total (cash + modelled risk)"),
    "kind.cash": ("zahlungswirksam", "cash"),
    "kind.risk": ("kalkulatorisch", "modelled risk"),
    "payer.land": ("Land", "Land (state)"),
    "payer.zweckverband": ("Zweckverband", "Zweckverband (association)"),
    "payer.kommune": ("Kommunen", "Municipalities"),
    "confidence.verified": ("geprüft", "verified"),
    "confidence.estimated": ("geschätzt", "estimated"),
    "confidence.unknown": ("unbekannt", "unknown"),
    "provenance.real": ("real", "real"),
    "provenance.synthetic": ("synthetisch", "synthetic"),
    # landkarte inventory stats
    "stats.synthetic": ("  (enthält synthetische Daten)", "  (contains synthetic data)"),
    "stats.counts": (("{organisations} Organisationen · {sites} Standorte · {hosts} Hosts · {systems} Systeme · "
                      "{dependencies} Schnittstellen · {online_services} Online-Dienste · {products_in_use} von "
                      "{products_in_catalogue} Katalogprodukten im Einsatz"),
                     ("{organisations} organisations · {sites} sites · {hosts} hosts · {systems} systems · "
                      "{dependencies} interfaces · {online_services} online services · {products_in_use} of "
                      "{products_in_catalogue} catalogue products in use")),
    "stats.organisations": ("Organisationen: {kinds}", "Organisations: {kinds}"),
    "stats.title": ("Heterogenität je Fachdomäne", "Heterogeneity per domain"),
    "stats.col.domain": ("Domäne", "Domain"),
    "stats.col.systems": ("Systeme", "Systems"),
    "stats.col.products": ("Produkte", "Products"),
    "stats.col.organisations": ("Organisationen", "Organisations"),
    "stats.col.insel": ("Insellösungen", "Isolated solutions"),
    "stats.eol": ("Stand {day}: {systems} Systeme und {hosts} Hosts nach Supportende",
                  "As of {day}: {systems} systems and {hosts} hosts past end of life"),
    "stats.insel": ("Insellösungen (nur eine Organisation): {n}", "Isolated solutions (one organisation only): {n}"),
    "stats.confidence": ("Datenqualität: {values}", "Data quality: {values}"),
    "stats.provenance": ("Herkunft: {values}", "Origin: {values}"),
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
    "app.funding_caption": ("Geplante Fördermittel für {org}", "Planned funding for {org}"),
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
    "sheet.funding": ("Geplante Fördermittel", "Planned funding"),
    "sheet.risks": ("Risiken", "Risks"),
    "sheet.solver": ("Löser", "Solver"),
    "sheet.services": ("Onlinedienste", "Online services"),
    "sheet.compare": ("Vergleich", "Comparison"),
    "sheet.compare_moved": ("Vergleich Systeme", "Comparison systems"),
    "sheet.previous": ("Änderungen", "Changes"),
    "sheet.previous_moved": ("Änderungen Systeme", "Changes systems"),
    "sheet.provenance": ("Herkunft", "Provenance"),
    "sheet.kreise": ("Kreise", "Districts"),
    # Beschlussvorlage
    "sec.vorlage": ("Beschlussvorlage", "Draft resolution"),
    "vl.title": ("Beschlussvorlage", "Draft resolution"),
    "vl.gremium": ("Gremium", "Board"),
    "vl.sitzung": ("Sitzung", "Meeting"),
    "vl.top": ("TOP", "Agenda item"),
    "vl.nr": ("Vorlagen-Nr.", "Paper no."),
    "vl.datum": ("Datum", "Date"),
    "vl.stand": ("Stand der Daten", "Data as of"),
    "vl.stand_value": ("Inventar „{inventory}“ (Prüfsumme {hash}), Planungsbeginn {start}",
                       "Inventory “{inventory}” (checksum {hash}), plan start {start}"),
    "vl.stand_made": ("; Plan gerechnet mit Stand {made}", "; plan computed as of {made}"),
    "vl.not_given": ("nicht angegeben", "not given"),
    "vl.and": ("und", "and"),
    "vl.gegenstand_h": ("Gegenstand", "Subject"),
    "vl.sachverhalt_h": ("Sachverhalt", "Facts"),
    "vl.optionen_h": ("Optionen", "Options"),
    "vl.empfehlung_h": ("Empfehlung", "Recommendation"),
    "vl.finanzen_h": ("Finanzielle Auswirkungen", "Financial effects"),
    "vl.risiken_h": ("Risiken", "Risks"),
    "vl.beschluss_h": ("Beschlussvorschlag", "Proposed resolution"),
    "vl.anlagen_h": ("Anlagen", "Annexes"),
    "vl.gegenstand": (("Konsolidierung der kommunalen IT im Saarland nach dem Szenario „{scenario}“: {orgs} "
                       "Organisationen stellen ihre Fachverfahren und Basis-IT in den Haushaltsjahren {y0} bis {y1} "
                       "auf {targets} landesweit einheitliche Standardinstanzen um."),
                      ("Consolidating municipal IT in Saarland under the scenario “{scenario}”: {orgs} organisations "
                       "move their specialist applications and basic IT onto {targets} state-wide standard instances "
                       "in the budget years {y0} to {y1}.")),
    "vl.s.today": (("Heute betreiben die {orgs} beteiligten Organisationen {systems} Systeme in {domains} "
                    "Aufgabenbereichen mit zusammen {before} verschiedenen Produkten; nach dem Plan sind es {after}."),
                   ("Today the {orgs} participating organisations run {systems} systems in {domains} domains with "
                    "{before} distinct products in all; after the plan there are {after}.")),
    "vl.s.moves": (("{migrate} Systeme ziehen zwischen {first} und {last} auf {targets} Standardinstanzen in {dcs} "
                    "Rechenzentren um ({dc_names}){rehost}; {keep} Systeme laufen bereits auf dem Standard, {kept} "
                    "bleiben in Aufgabenbereichen, die das Szenario lokal belässt, {exceptions} bleiben als "
                    "begründete Einzelmaßnahmen außerhalb des Standards."),
                   ("{migrate} systems move between {first} and {last} onto {targets} standard instances in {dcs} "
                    "data centres ({dc_names}){rehost}; {keep} systems already run the standard, {kept} stay in "
                    "domains the scenario keeps local, {exceptions} stay outside the standard as justified "
                    "individual measures.")),
    "vl.s.rehost": ("; {n} weitere werden unverändert in ein Rechenzentrum verlagert (Rehosting)",
                    "; {n} more are moved unchanged into a data centre (rehosting)"),
    "vl.s.biggest": ("Am stärksten vereinheitlicht werden {items}.", "The largest consolidations are {items}."),
    "vl.s.biggest_item": ("{domain} ({before} Produkte vorher, {after} nachher; Standard {target})",
                          "{domain} ({before} products before, {after} after; standard {target})"),
    "vl.s.who": ("Es nehmen {n} von {total} Organisationen teil.", "{n} of {total} organisations take part."),
    "vl.s.outside": ("Nicht beteiligt sind: {names}.", "Not taking part: {names}."),
    "vl.s.exits": (("{n} Gemeinden verlassen den Zweckverband eGo-Saar (frühester Austritt {date})."),
                   ("{n} municipalities leave the Zweckverband eGo-Saar (earliest exit {date}).")),
    "vl.s.exits_stay": ("In diesem Szenario bleiben Kunden der Standardverfahren: {names}.",
                        "In this scenario they stay customers of the standard services: {names}."),
    "vl.s.exits_gone": ("In diesem Szenario nicht mehr enthalten oder mit Austrittsfrist: {names}.",
                        "In this scenario no longer included or bound by their exit date: {names}."),
    "vl.s.money": (("Die zahlungswirksamen Kosten über {years} Jahre sinken von {sq} im Status quo auf {plan} im "
                    "Plan (Einsparung {saving}, Kapitalwert der Einsparung {npv}); dafür fallen einmalig {one_off} "
                    "für die Migration an."),
                   ("Cash cost over {years} years falls from {sq} in the status quo to {plan} in the plan (saving "
                    "{saving}, net present value of the saving {npv}); the migration costs {one_off} once.")),
    "vl.s.risk": (("Daneben weist der Plan kalkulatorische Risikokosten von {plan} aus (Status quo {sq}): ein "
                   "angenommener Zuschlag für Systeme ohne Herstellersupport, den kein Haushalt zahlt. Er ist in "
                   "keiner der genannten Summen enthalten."),
                  ("Beside this the plan shows modelled risk costs of {plan} (status quo {sq}): an assumed surcharge "
                   "for systems without vendor support that no budget pays. It is in none of the sums above.")),
    "vl.overdue": (("Achtung: {n} Migrationen sind für Quartale geplant, die vor dem Stand dieser Vorlage ({date}) "
                    "enden, und sind nicht als erledigt erfasst. Der Plan ist ab dem nächsten Quartal neu zu "
                    "rechnen."),
                   ("Attention: {n} migrations are planned in quarters that end before the date of this paper "
                    "({date}) and are not recorded as done. The plan must be computed again from the next "
                    "quarter.")),
    "vl.scope_single": ("Eine Option; sie umfasst {n} Organisationen.", "One option; it covers {n} organisations."),
    "vl.scope_same": ("Alle Optionen umfassen dieselben {n} Organisationen; die Zahlen sind unmittelbar vergleichbar.",
                      "All options cover the same {n} organisations; their figures compare directly."),
    "vl.scope_differs": (("Achtung: Die Optionen umfassen verschiedene Organisationen ({diffs}). Damit ändert sich "
                          "auch der Status quo; die Einsparungen sind nicht unmittelbar vergleichbar."),
                         ("Attention: the options cover different organisations ({diffs}). The status quo changes "
                          "with them; the savings do not compare directly.")),
    "vl.scope_without": ("ohne {names}", "without {names}"),
    "vl.scope_with": ("zusätzlich {names}", "also {names}"),
    "vl.col.option": ("Option", "Option"),
    "vl.col.orgs": ("Organisationen", "Organisations"),
    "vl.col.migrate": ("Systeme zur Migration", "Systems to migrate"),
    "vl.col.period": ("Zeitraum", "Period"),
    "vl.col.tco_plan": ("Kosten Plan (zahlungswirksam)", "Plan cost (cash)"),
    "vl.col.tco_savings": ("Einsparung (zahlungswirksam)", "Saving (cash)"),
    "vl.col.npv_savings": ("Kapitalwert der Einsparung", "NPV of the saving"),
    "vl.col.one_off": ("Einmalkosten", "One-off cost"),
    "vl.col.risk_plan": ("Kalkulatorische Risikokosten (daneben)", "Modelled risk cost (beside)"),
    "vl.col.missed": ("Verpasste harte Fristen", "Hard deadlines missed"),
    "vl.col.recommended": ("Empfehlung", "Recommended"),
    "vl.recommended_mark": ("empfohlen", "recommended"),
    "vl.rule_h": ("Regel", "Rule"),
    "vl.rule.npv_savings": (("Empfohlen wird die Option mit dem höchsten Kapitalwert der zahlungswirksamen Einsparung "
                             "unter den Optionen, die keine harte Frist verpassen (Austritt aus dem Zweckverband, "
                             "Supportende bei harter Regel, zulässiger Plan)."),
                            ("The option recommended is the one with the highest net present value of the cash "
                             "saving among the options that miss no hard deadline (exit from the Zweckverband, end of "
                             "support under the hard rule, a feasible plan).")),
    "vl.rule.tco_savings": (("Empfohlen wird die Option mit der höchsten zahlungswirksamen Einsparung über den Horizont "
                             "unter den Optionen, die keine harte Frist verpassen."),
                            ("The option recommended is the one with the highest cash saving over the horizon among "
                             "the options that miss no hard deadline.")),
    "vl.rule.one_off": (("Empfohlen wird die Option mit den geringsten Einmalkosten unter den Optionen, die keine "
                         "harte Frist verpassen."),
                        ("The option recommended is the one with the lowest one-off cost among the options that miss "
                         "no hard deadline.")),
    "vl.reason_best.npv_savings": ("Empfohlen wird „{name}“: Kapitalwert der zahlungswirksamen Einsparung {value}.",
                                   "Recommended: “{name}”: net present value of the cash saving {value}."),
    "vl.reason_best.tco_savings": ("Empfohlen wird „{name}“: zahlungswirksame Einsparung {value}.",
                                   "Recommended: “{name}”: cash saving {value}."),
    "vl.reason_best.one_off": ("Empfohlen wird „{name}“: Einmalkosten {value}.",
                               "Recommended: “{name}”: one-off cost {value}."),
    "vl.reason_other.npv_savings": ("„{name}“ erreicht {value}, also {diff} weniger.",
                                    "“{name}” reaches {value}, {diff} less."),
    "vl.reason_other.tco_savings": ("„{name}“ erreicht {value}, also {diff} weniger.",
                                    "“{name}” reaches {value}, {diff} less."),
    "vl.reason_other.one_off": ("„{name}“ kostet einmalig {value}, also {diff} mehr.",
                                "“{name}” costs {value} once, {diff} more."),
    "vl.reason_excluded": ("„{name}“ scheidet aus: {missed}.", "“{name}” is excluded: {missed}."),
    "vl.reason_risk": (("Kalkulatorische Risikokosten der empfohlenen Option: {risk} (nicht zahlungswirksam, nicht "
                        "Teil der Regel)."),
                       ("Modelled risk cost of the recommended option: {risk} (not cash, not part of the rule).")),
    "vl.reason_scope": ("Die Optionen umfassen verschiedene Organisationen; siehe den Hinweis bei den Optionen.",
                        "The options cover different organisations; see the note with the options."),
    "vl.no_recommendation": (("Keine Option erfüllt die Regel: jede verpasst mindestens eine harte Frist. Es wird keine "
                              "Option empfohlen."),
                             ("No option meets the rule: each misses at least one hard deadline. No option is "
                              "recommended.")),
    "vl.missed.infeasible": ("kein zulässiger Plan ({n} Konflikte)", "no feasible plan ({n} conflicts)"),
    "vl.missed.exit": ("{n} Migration(en) nach dem Austrittsdatum", "{n} migrations after the exit date"),
    "vl.missed.eol": ("{n} Migration(en) nach Supportende trotz harter Regel",
                      "{n} migrations after end of support despite the hard rule"),
    "vl.missed.none": ("keine", "none"),
    "vl.f.caption": ("Zahlungswirksame Kosten des Plans je Haushaltsjahr und Kostenträger",
                     "Cash cost of the plan per budget year and payer"),
    "vl.f.year": ("Haushaltsjahr", "Budget year"),
    "vl.f.unit": ("Beträge in T€", "amounts in € thousand"),
    "vl.f.one_off": ("davon einmalig", "of which one-off"),
    "vl.f.recurring": ("davon laufend", "of which recurring"),
    "vl.f.total_col": ("Summe Plan", "Plan total"),
    "vl.f.status_quo": ("Status quo", "Status quo"),
    "vl.f.funding_col": ("Fördermittel (geplant)", "Funding (planned)"),
    "vl.f.risk_col": ("kalkulatorisch (daneben)", "modelled risk (beside)"),
    "vl.f.total": (("Der Plan kostet {y0} bis {y1} zahlungswirksam {total}: Land {land}, Zweckverband {zv}, "
                    "Kommunen {kommune}; davon einmalig {one_off} und laufend {recurring}."),
                   ("The plan costs {total} in cash from {y0} to {y1}: Land {land}, Zweckverband {zv}, "
                    "municipalities {kommune}; of which one-off {one_off} and recurring {recurring}.")),
    "vl.f.funding": (("Geplante Fördermittel des Landes je erreichtem Meilenstein: {funding}. Sie sind Zuweisungen "
                      "an die Empfänger, abrufbar erst nach Nachweis des Meilensteins und in den Kosten nicht "
                      "verrechnet."),
                     ("Planned funding by the Land per milestone reached: {funding}. It is a transfer to the "
                      "recipients, claimable only once the milestone is proven, and not netted against the costs.")),
    "vl.f.no_funding": ("Der Plan sieht keine Fördermittel vor.", "The plan foresees no funding."),
    "vl.f.risk": (("Kalkulatorische Risikokosten des Plans ({risk}) stehen daneben; sie sind nicht zahlungswirksam "
                   "und in keiner Summe enthalten."),
                  ("The plan's modelled risk costs ({risk}) stand beside; they are not cash and in no sum.")),
    "vl.pc.caption": ("Je Gemeinde und je Einwohner (Kommunen, zahlungswirksam)",
                      "Per municipality and per inhabitant (municipalities, cash)"),
    "vl.pc.gemeinden": ("Beteiligte Gemeinden", "Municipalities taking part"),
    "vl.pc.einwohner": ("Einwohner (Zensus 2022)", "Inhabitants (census 2022)"),
    "vl.pc.kommune_total": ("Anteil der Kommunen über den Horizont", "Municipalities' share over the horizon"),
    "vl.pc.per_gemeinde_year": ("je Gemeinde und Jahr (Kommunen)", "per municipality and year (municipalities)"),
    "vl.pc.per_einwohner_year": ("je Einwohner und Jahr (Kommunen)", "per inhabitant and year (municipalities)"),
    "vl.pc.all_per_einwohner_year": ("je Einwohner und Jahr (alle Kostenträger)",
                                     "per inhabitant and year (all payers)"),
    "vl.pc.saving_per_einwohner_year": ("Einsparung je Einwohner und Jahr (alle Kostenträger)",
                                        "saving per inhabitant and year (all payers)"),
    "vl.r.caption": ("Die größten Risiken (aus dem Risikoregister)", "The largest risks (from the risk register)"),
    "vl.b.intro": ("Das {gremium} beschließt:", "The {gremium} resolves:"),
    "vl.b.plan": (("Der Konsolidierungsplan „{name}“ (Vorlage {nr}) wird als Grundlage der Umsetzung beschlossen; "
                   "die Geschäftsstelle wird mit der Umsetzung beauftragt."),
                  ("The consolidation plan “{name}” (paper {nr}) is adopted as the basis of the implementation; the "
                   "office is instructed to implement it.")),
    "vl.b.money": (("Die zahlungswirksamen Kosten der Haushaltsjahre {y0} bis {y1} von {total} (Land {land}, "
                    "Zweckverband {zv}, Kommunen {kommune}) werden zur Kenntnis genommen und in die jeweilige "
                    "Haushaltsplanung eingebracht."),
                   ("The cash cost of the budget years {y0} to {y1} of {total} (Land {land}, Zweckverband {zv}, "
                    "municipalities {kommune}) is noted and brought into the respective budget planning.")),
    "vl.b.money_other": (("Die Geschäftsstelle legt die Finanzplanung für „{name}“ je Haushaltsjahr und "
                          "Kostenträger in der nächsten Sitzung vor."),
                         ("The office presents the financial plan for “{name}” per budget year and payer at the next "
                          "meeting.")),
    "vl.b.funding": (("Fördermittel von bis zu {funding} werden je erreichtem Meilenstein geplant; abgerufen werden "
                      "können sie erst nach Nachweis des Meilensteins (Leistungsnachweis)."),
                     ("Funding of up to {funding} is planned per milestone reached; it can be called off only once "
                      "the milestone is proven.")),
    "vl.b.none": (("Keine Option wird beschlossen; die Geschäftsstelle legt eine Option vor, die alle harten Fristen "
                   "einhält."),
                  ("No option is adopted; the office presents an option that meets every hard deadline.")),
    "vl.b.risks": (("Die Geschäftsstelle berichtet in jeder Sitzung über die {n} größten Risiken des Risikoregisters "
                    "und die ergriffenen Maßnahmen."),
                   ("The office reports at every meeting on the {n} largest risks of the risk register and the "
                    "measures taken.")),
    "vl.b.overdue": (("Der Plan wird vor Beginn der Umsetzung ab dem nächsten Quartal neu gerechnet, weil Migrationen "
                      "in vergangenen Quartalen geplant sind."),
                     ("The plan is computed again from the next quarter before implementation starts, because "
                      "migrations are planned in past quarters.")),
    "vl.b.scope": (("Die Abweichung im Kreis der beteiligten Organisationen zwischen den Optionen wird zur Kenntnis "
                    "genommen."),
                   ("The difference in the organisations covered by the options is noted.")),
    "vl.warning": ("Hinweis", "Note"),
    # Anlagen, Annahmen, Risikoregister, Methodik
    "sec.assumptions": ("Anlage: Annahmen und Quellen", "Annex: assumptions and sources"),
    "sec.register": ("Anlage: Risikoregister", "Annex: risk register"),
    "sec.methodik": ("Anlage: Methodik", "Annex: method"),
    "sec.finance_detail": ("Anlage: Kosten im Einzelnen", "Annex: costs in detail"),
    "as.caption": ("Annahmenregister: jede Szenario-Zahl, die Geld oder Zeit bewegt",
                   "Assumptions register: every scenario figure that moves money or time"),
    "as.key": ("Kennzahl im Szenario", "Scenario figure"),
    "as.path": ("Schlüssel in der Szenariodatei", "Key in the scenario file"),
    "as.l.start": ("Planungsbeginn", "Plan start"),
    "as.l.horizon_years": ("Planungshorizont", "Planning horizon"),
    "as.l.costs.discount_rate": ("Diskontsatz", "Discount rate"),
    "as.l.costs.day_rate_eigen": ("Tagessatz Eigenleistung", "Day rate in-house"),
    "as.l.costs.day_rate_fremd": ("Tagessatz Fremdleistung", "Day rate contracted"),
    "as.l.costs.eigen_share": ("Anteil Eigenleistung am Migrationsaufwand", "In-house share of migration effort"),
    "as.l.costs.migration_pd": ("Migrationsaufwand je System, Komplexität {x}",
                                "Migration effort per system, complexity {x}"),
    "as.l.costs.size_factors": ("Größenfaktor ab {x} Nutzern", "Size factor from {x} users"),
    "as.l.costs.same_product_factor": ("Aufwandsfaktor bei gleichem Produkt", "Effort factor for the same product"),
    "as.l.costs.legacy_hosting_share": ("Anteil des lokalen Betriebs an den Altkosten",
                                        "Local hosting share of legacy cost"),
    "as.l.costs.legacy_annual_cost_default": ("Altkosten je System ohne erfassten Vertrag",
                                              "Legacy cost per system without a recorded contract"),
    "as.l.costs.eol_penalty_per_quarter": ("Risikozuschlag je System und Quartal nach Supportende",
                                           "Risk surcharge per system and quarter after end of support"),
    "as.l.teams.eigen_pd_per_quarter": ("Teamkapazität Eigenleistung", "Team capacity in-house"),
    "as.l.teams.fremd_pd_per_quarter": ("Teamkapazität Fremdleistung", "Team capacity contracted"),
    "as.l.teams.by_year.eigen_pd_per_quarter": ("Teamkapazität Eigenleistung {x}", "Team capacity in-house {x}"),
    "as.l.teams.by_year.fremd_pd_per_quarter": ("Teamkapazität Fremdleistung {x}", "Team capacity contracted {x}"),
    "as.l.targets.annual_run_cost": ("{x}: Betriebskosten je Instanz", "{x}: run cost per instance"),
    "as.l.targets.run_cost_per_tenant": ("{x}: Betriebskosten je Mandant", "{x}: run cost per tenant"),
    "as.l.targets.onboarding_per_quarter": ("{x}: Aufnahme je Quartal", "{x}: onboarding per quarter"),
    "as.l.targets.available_from": ("{x}: verfügbar ab", "{x}: available from"),
    "as.l.data_centres.cost_per_vcpu_year": ("{x}: Kosten je vCPU", "{x}: cost per vCPU"),
    "as.l.data_centres.cost_per_gb_ram_year": ("{x}: Kosten je GB RAM", "{x}: cost per GB RAM"),
    "as.l.data_centres.cost_per_tb_year": ("{x}: Kosten je TB Speicher", "{x}: cost per TB storage"),
    "as.l.data_centres.capacity.vcpu": ("{x}: Kapazität vCPU", "{x}: capacity vCPU"),
    "as.l.data_centres.capacity.ram_gb": ("{x}: Kapazität RAM", "{x}: capacity RAM"),
    "as.l.data_centres.capacity.storage_tb": ("{x}: Kapazität Speicher", "{x}: capacity storage"),
    "as.l.funding": ("Fördermittel: {x}", "Funding: {x}"),
    "as.l.weights.double_running": ("Gewicht Parallelbetrieb", "Weight double running"),
    "as.l.weights.eol_lateness": ("Gewicht Betrieb nach Supportende", "Weight running past end of support"),
    "as.l.weights.delay": ("Gewicht Wartezeit", "Weight waiting"),
    "as.l.payers": ("Kostenträger-Regel {x}", "Payer rule {x}"),
    "funding.target_live": ("je Zielsystem in Betrieb", "per target live"),
    "funding.org_complete": ("je vollständig migrierter Organisation", "per organisation complete"),
    "funding.domain_complete": ("je vollständig migrierter Domäne", "per domain complete"),
    "funding.system_migrated": ("je migriertem System", "per system migrated"),
    "as.value": ("Wert", "Value"),
    "as.unit": ("Einheit", "Unit"),
    "as.source": ("Quelle", "Source"),
    "as.kind": ("bewegt", "moves"),
    "as.annahme": ("Annahme – ohne Quelle", "Assumption – no source"),
    "as.flagged": (("{n} von {total} Zahlen haben keine Quelle und sind als Annahme gekennzeichnet; das Szenario kann "
                    "je Zahl eine Quelle angeben (sources)."),
                   ("{n} of {total} figures have no source and are marked as assumptions; the scenario may give a "
                    "source per figure (sources).")),
    "as.none": ("Der Plan enthält kein Annahmenregister.", "The plan contains no assumptions register."),
    "askind.cash": ("Geld", "money"),
    "askind.risk": ("kalkulatorisches Risiko", "modelled risk"),
    "askind.time": ("Zeit und Kapazität", "time and capacity"),
    "askind.weight": ("Gewichtung des Planers", "planner weight"),
    "reg.caption": ("Risikoregister", "Risk register"),
    "reg.rule": (("Bewertung: Eintrittswahrscheinlichkeit und Auswirkung je 1 (gering) bis 4 (sehr hoch). "
                  "Wahrscheinlichkeit 4: im Plan selbst so vorgesehen (Systeme nach Supportende, Rechenzentrum ab "
                  "99 % belegt, überfällige Migrationen, beschlossener Austritt, kein zulässiger Plan); 3: eine "
                  "geplante Ressource zu mindestens 90 % ausgelastet oder eine nicht abgestimmte Ausnahme; 2: "
                  "Daten unbekannter Qualität, austretende Mitglieder, die Kunden bleiben; 1: abgestimmte "
                  "Ausnahmen. Auswirkung nach dem Anteil der betroffenen Systeme im Plan: ab 10 % 4, ab 3 % 3, ab "
                  "1 % 2, sonst 1; ein zu mindestens 90 % belegtes Rechenzentrum mindestens 3; kein zulässiger Plan "
                  "4. Rang = Wahrscheinlichkeit × Auswirkung."),
                 ("Scoring: likelihood and impact each 1 (low) to 4 (very high). Likelihood 4: the plan itself "
                  "schedules it (systems past end of support, data centre at least 99 % full, overdue migrations, a "
                  "decided exit, no feasible plan); 3: a planned resource used to at least 90 % or an exception not "
                  "coordinated; 2: data of unknown quality, leaving members that stay customers; 1: coordinated "
                  "exceptions. Impact by the share of the plan's systems affected: from 10 % 4, from 3 % 3, from 1 % "
                  "2, else 1; a data centre at least 90 % full at least 3; no feasible plan 4. Rank = likelihood × "
                  "impact.")),
    "reg.col.nr": ("Nr.", "No."),
    "reg.col.desc": ("Beschreibung", "Description"),
    "reg.col.cause": ("Ursache", "Cause"),
    "reg.col.w": ("Eintrittswahrscheinlichkeit", "Likelihood"),
    "reg.col.a": ("Auswirkung", "Impact"),
    "reg.col.rang": ("Rang", "Rank"),
    "reg.col.measure": ("Maßnahme", "Measure"),
    "reg.col.owner": ("Verantwortlich", "Owner"),
    "reg.col.affected": ("Betroffen", "Affected"),
    "reg.col.systems": ("Systeme", "Systems"),
    "reg.level.1": ("gering", "low"),
    "reg.level.2": ("mittel", "medium"),
    "reg.level.3": ("hoch", "high"),
    "reg.level.4": ("sehr hoch", "very high"),
    "reg.none": ("Der Plan zeigt keine Risiken nach den Regeln des Registers.",
                 "The plan shows no risks under the register's rules."),
    "reg.and_more": ("und {n} weitere", "and {n} more"),
    "reg.held": ("{n} durch {kind}", "{n} by {kind}"),
    "reg.eol.desc": ("{n} Systeme laufen nach dem Ende des Herstellersupports weiter, bevor sie migriert werden.",
                     "{n} systems keep running after vendor support ends, before they migrate."),
    "reg.eol.cause": ("Ihr Umzugsquartal wird gehalten: {held}.", "Their migration quarter is held: {held}."),
    "reg.eol.measure": (("Erweiterten Herstellersupport für die {n} Systeme bis zur Migration beschaffen (Angebote "
                         "einholen; der kalkulatorische Risikozuschlag des Plans beträgt {risk})."),
                        ("Buy extended vendor support for the {n} systems until they migrate (get quotes; the plan's "
                         "modelled risk surcharge is {risk}).")),
    "reg.eol.capacity": (("Alternativ würden zusätzlich {eigen} PT Eigen- und {fremd} PT Fremdleistung die {movable} "
                          "nur durch die Teamkapazität gehaltenen Systeme vor ihr Supportende ziehen ({quarters}; "
                          "ohne Neuplanung gerechnet)."),
                         ("Alternatively {eigen} more in-house and {fremd} more contracted person-days would move the "
                          "{movable} systems held only by team capacity before their end of support ({quarters}; "
                          "computed without re-planning).")),
    "reg.capacity.desc": ("{n} Quartale sind zu mindestens {pct} der Teamkapazität ausgelastet.",
                          "{n} quarters use at least {pct} of the team capacity."),
    "reg.capacity.cause": ("Engpassquartale: {quarters}.", "Bottleneck quarters: {quarters}."),
    "reg.capacity.measure": (("Rahmenverträge für zusätzliche Fremdleistung in diesen Quartalen vorbereiten; "
                              "Urlaubs- und Wahlzeiten der eigenen Teams abstimmen."),
                             ("Prepare framework contracts for additional contracted work in these quarters; align "
                              "leave and election periods of in-house teams.")),
    "reg.dc.desc": ("{dc} ist nach dem Plan fast voll: {what}.",
                    "Data centre {dc} is nearly full under the plan: {what}."),
    "reg.dc.cause": ("Die geplanten Zielinstanzen und Rehosting-Systeme belegen die Kapazität.",
                     "The planned target instances and rehosted systems fill its capacity."),
    "reg.dc.measure": ("Erweiterung beschaffen oder Zielinstanzen auf ein anderes Rechenzentrum verteilen.",
                       "Procure an extension or spread target instances to another data centre."),
    "reg.confidence.desc": ("{n} Systeme haben Inventardaten unbekannter Qualität.",
                            "{n} systems have inventory data of unknown quality."),
    "reg.confidence.cause": ("Die Erhebung hat Angaben nicht bestätigt.", "The survey did not confirm the data."),
    "reg.confidence.measure": ("Daten in der nächsten Erhebungsrunde prüfen lassen.",
                               "Have the data checked in the next survey round."),
    "reg.exit.desc": ("{n} Mitglieder verlassen den Zweckverband (ab {date}) ohne Anschluss an den Standard.",
                      "{n} members leave the Zweckverband (from {date}) without joining the standard."),
    "reg.exit.cause": ("Austrittsbeschlüsse der Gemeinden.", "The municipalities' exit decisions."),
    "reg.exit.measure": (("Übergaben und Schnittstellen bis zum Austritt regeln; Kosten der gemeinsamen Ziele auf "
                          "weniger Mitglieder verteilen."),
                         ("Settle handovers and interfaces before the exit; spread the shared targets' cost over fewer "
                          "members.")),
    "reg.exit_customer.desc": ("{n} Mitglieder verlassen den Zweckverband (ab {date}) und bleiben Kunden.",
                               "{n} members leave the Zweckverband (from {date}) and stay customers."),
    "reg.exit_customer.cause": ("Austrittsbeschlüsse; Kundenbeziehung ist vertraglich noch zu regeln.",
                                "Exit decisions; the customer relation still needs a contract."),
    "reg.exit_customer.measure": ("Leistungsverträge mit den austretenden Gemeinden vor dem Austritt schließen.",
                                  "Sign service contracts with the leaving municipalities before they exit."),
    "reg.exception.desc": ("{n} nicht abgestimmte Einzelmaßnahmen ({systems} Systeme) bleiben außerhalb des Standards.",
                           "{n} uncoordinated individual measures ({systems} systems) stay outside the standard."),
    "reg.exception_coordinated.desc": (("{n} abgestimmte Einzelmaßnahmen ({systems} Systeme) bleiben außerhalb des "
                                        "Standards."),
                                       ("{n} coordinated individual measures ({systems} systems) stay outside the "
                                        "standard.")),
    "reg.exception.cause": ("Begründete Sonderfälle (siehe Ausnahmen).", "Justified special cases (see exceptions)."),
    "reg.exception.measure": ("Abstimmung mit dem Zweckverband nachholen; Schnittstellen zum Standard festlegen.",
                              "Coordinate with the Zweckverband; define interfaces to the standard."),
    "reg.exception_coordinated.measure": ("Schnittstellen zum Standard festlegen und jährlich überprüfen.",
                                          "Define interfaces to the standard and review them yearly."),
    "reg.conflict.desc": ("Der Planer findet keinen zulässigen Plan ({n} Konflikte).",
                          "The planner finds no feasible plan ({n} conflicts)."),
    "reg.conflict.measure": ("Die genannten Bedingungen lockern (Kapazität, Fristen, Sperrzeiten) und neu planen.",
                             "Relax the named constraints (capacity, deadlines, blackouts) and plan again."),
    "reg.overdue.desc": ("{n} Migrationen liegen in Quartalen vor dem Stand {date} und sind nicht erledigt.",
                         "{n} migrations lie in quarters before {date} and are not done."),
    "reg.overdue.cause": ("Der Plan beginnt vor dem Stand der Vorlage.", "The plan starts before the paper's date."),
    "reg.overdue.measure": ("Plan ab dem nächsten Quartal neu rechnen.",
                            "Compute the plan again from the next quarter."),
    "role.fachverfahren": ("Fachverfahrensverantwortliche der Kommunen mit der Programmleitung",
                           "Application owners of the municipalities with the programme lead"),
    "role.programm": ("Programmleitung Konsolidierung (eGo-Saar)", "Consolidation programme lead (eGo-Saar)"),
    "role.rz": ("Leitung Rechenzentrumsbetrieb", "Head of data-centre operations"),
    "role.inventar": ("Inventarverantwortliche der Organisationen", "Inventory owners of the organisations"),
    "role.zv": ("Geschäftsführung Zweckverband eGo-Saar", "Management of the Zweckverband eGo-Saar"),
    "role.gremium": ("IT-Planungsgremium", "IT planning board"),
    "binding.dependency": ("Abhängigkeiten", "dependencies"),
    "binding.contract": ("Vertragslaufzeiten", "contract terms"),
    "binding.blackout": ("Sperrzeiten", "blackout windows"),
    "binding.capacity": ("Teamkapazität", "team capacity"),
    "binding.onboarding": ("Aufnahmekapazität der Zielsysteme", "target onboarding capacity"),
    "binding.eol": ("Supportende", "end of support"),
    "binding.exit": ("Austrittsfrist", "exit deadline"),
    "binding.earliest": ("Verfügbarkeit des Zielsystems", "target availability"),
    "binding.exception": ("Ausnahme", "exception"),
    "binding.out_of_scope": ("außerhalb des Plans", "out of scope"),
    "m.intro": (("So ist der Plan entstanden: Zuerst wird jedem System sein Standardziel zugeordnet. Dann werden "
                 "die Zielinstanzen und umzuziehenden Systeme so auf die Rechenzentren verteilt, dass Kapazität und "
                 "Schutzbedarf eingehalten werden. Zuletzt wird jedes System einem Quartal zugeordnet: Abhängigkeiten, "
                 "Vertragslaufzeiten, Sperrzeiten, Teamkapazität und Aufnahmekapazität der Zielsysteme werden "
                 "eingehalten, und unter allen zulässigen Plänen wird einer mit möglichst geringen Kosten für "
                 "Parallelbetrieb, Warten und Betrieb nach Supportende gesucht."),
                ("How the plan was made: first every system is assigned its standard target. Then the target "
                  "instances and moving systems are placed into the data centres within capacity and protection "
                  "needs. Last every system gets a quarter: dependencies, contract terms, blackout windows, team "
                  "capacity and target onboarding capacity are kept, and among all feasible plans one with as little "
                  "cost for double running, waiting and running past end of support as possible is sought.")),
    "m.gap": (("Güte: Der Planer weist für jeden Schritt eine untere Schranke nach. Der gefundene Plan ist höchstens "
               "{gap} teurer (nach der Zielfunktion) als der bestmögliche."),
              ("Quality: the planner proves a lower bound for each step. The plan found is at most {gap} more "
               "expensive (by the objective) than the best possible one.")),
    "m.baseline": (("Zum Vergleich: Eine einfache Reihenfolge (jedes System so früh wie möglich) kostet nach derselben "
                    "Zielfunktion {baseline}, der Plan {objective}."),
                   ("For comparison: a simple order (every system as early as possible) costs {baseline} by the same "
                    "objective, the plan {objective}.")),
    "m.caption": ("Schritte des Planers", "Planner steps"),
    "m.col.step": ("Schritt", "Step"),
    "m.col.method": ("Verfahren", "Method"),
    "m.col.result": ("Ergebnis", "Result"),
    "m.col.gap": ("höchstens teurer als optimal", "at most above optimal"),
    "m.step.placement": ("Verteilung auf Rechenzentren", "Placement in data centres"),
    "m.step.schedule": ("Zuordnung zu Quartalen", "Assignment to quarters"),
    "m.method.placement": ("ganzzahlige Optimierung (Constraint-Programmierung)",
                           "integer optimisation (constraint programming)"),
    "m.method.schedule": (("ganzzahlige Optimierung in Zeitfenstern mit linearer Relaxation als untere Schranke"),
                          ("integer optimisation in time windows with a linear relaxation as lower bound")),
    "m.status.optimal": ("nachweislich optimal", "proven optimal"),
    "m.status.feasible": ("zulässig, Güte siehe Spalte rechts", "feasible, quality in the next column"),
    "m.status.other": ("kein zulässiges Ergebnis", "no feasible result"),
    "m.solver_note": (("Die eingesetzten Programmbibliotheken und ihre Kennzahlen stehen in der XLSX-Datei "
                       "(Blatt „Löser“)."),
                      ("The solver libraries used and their figures are in the XLSX file (sheet “Solver”).")),
    "time.asof": ("Stand", "As of"),
    "time.overdue_caption": ("Überfällige Migrationen: geplant vor dem Stand, nicht erledigt",
                             "Overdue migrations: planned before the date, not done"),
    "milestone.live": ("Zielsystem in Betrieb", "Target live"),
    "milestone.abschluss": ("Organisation vollständig migriert", "Organisation complete"),
    "milestone.domaene": ("Domäne vollständig migriert", "Domain complete"),
    "milestone.migriert": ("Systeme migriert", "Systems migrated"),
    "sheet.vorlage": ("Beschlussvorlage", "Resolution"),
    "col.section": ("Abschnitt", "Section"),
    "col.held_by": ("gehalten durch", "held by"),
    "fin.caption": ("Kosten über {years} Jahre je Kostenart: zahlungswirksam, kalkulatorisch und zusammen",
                    "Cost over {years} years per category: cash, modelled risk and both"),
    "col.content": ("Inhalt", "Content"),
    "col.payer": ("Kostenträger", "Payer"),
    "sheet.assumptions": ("Annahmen", "Assumptions"),
    "sheet.register": ("Risikoregister", "Risk register"),
    "sheet.finance": ("Finanzen je Jahr", "Finance per year"),
    **REASON_MESSAGES,
    **SWEEP_MESSAGES,
    **PROGRESS_MESSAGES,
    **CHANGE_MESSAGES,
}


class _Reason(Protocol):
    """What :meth:`Translator.reason` reads of a ``plan.models.Reason``."""

    kind: str
    params: dict[str, str | int | float]


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

    def reason(self, reason: _Reason, parts: tuple[_Reason, ...] = ()) -> str:
        """A plan's reason (``kind`` and ``params``) as a sentence in this language; ISO dates and
        numbers among the values are formatted for the language, ids and quarter labels stay.

        ``parts`` are the constraint families of a conflict, joined into its ``{parts}``.

        >>> class R:
        ...     kind, params = "contract_ends", {"system": "a.mail", "end": "2027-12-31", "notice": "2027-09-30"}
        >>> Translator("de").reason(R())
        'Vertrag von a.mail endet 31.12.2027, Kündigung bis 30.09.2027'
        >>> Translator("en").reason(R())
        'contract of a.mail ends 2027-12-31, notice by 2027-09-30'
        """
        values = {k: self(f"resource.{v}") if k == "resource" and self.has(f"resource.{v}") else self._reason_value(v)
                  for k, v in reason.params.items()}
        if parts:
            values["parts"] = "; ".join(self.reason(p) for p in parts)
        return self(f"reason.{reason.kind}", **values)

    def _reason_value(self, value: str | float) -> str:
        if isinstance(value, str):
            if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
                try:
                    return self.date(date.fromisoformat(value))
                except ValueError:
                    return value
            return value
        return self.number(value, 0 if isinstance(value, int) or float(value).is_integer() else 1)

    # ------------------------------------------------------------------ numbers
    def number(self, value: float | Decimal | None, digits: int = 0) -> str:
        """``1234.5`` → ``1.234,5`` (de) / ``1,234.5`` (en) with ``digits`` places, never ``−0``
        (:func:`common.german.number`)."""
        return "–" if value is None else german.number(value, digits, self.lang)

    def money(self, value: float | Decimal | None) -> str:
        """To the cent: ``12.500,00 €`` / ``€12,500.00`` (:func:`common.german.money`)."""
        return "–" if value is None else german.money(value, self.lang)

    def money_round(self, value: float | Decimal | None) -> str:
        """Rounded for the Vorlage and summaries: Mio. € with one decimal from one million, else T€.

        >>> t = Translator("de")
        >>> t.money_round(344946600), t.money_round(39442.66), t.money_round(-1250000)
        ('344,9 Mio. €', '39 T€', '−1,3 Mio. €')
        >>> Translator("en").money_round(344946600), Translator("en").money_round(39442.66)
        ('€344.9m', '€39k')

        The board pack's one rounding (the sweep's chapter and the CLI use it too): kaufmännisch
        (half away from zero), from 999.950 € in Mio. € so that nothing shows as ``1.000 T€``, and
        an amount that rounds to zero has no sign:

        >>> t.money_round(-400), t.money_round(-500), t.money_round(999950), t.money_round(-1_250_000)
        ('0 T€', '−1 T€', '1,0 Mio. €', '−1,3 Mio. €')
        """
        if value is None:
            return "–"
        v = Decimal(str(value))
        if abs(v) >= Decimal(999950):  # kaufmännisch gerundet (half up), as a Haushalt rounds
            text = self.number((v / Decimal(10**6)).quantize(Decimal("0.1"), ROUND_HALF_UP), 1)
            return f"{text} Mio. €" if self.lang == "de" else (
                f"−€{text[1:]}m" if text.startswith("−") else f"€{text}m")
        text = self.number((v / Decimal(1000)).quantize(Decimal(1), ROUND_HALF_UP), 0)
        return f"{text} T€" if self.lang == "de" else (f"−€{text[1:]}k" if text.startswith("−") else f"€{text}k")

    def thousands(self, value: float | Decimal | None) -> str:
        """A whole number of thousand euros without the unit (tables headed "in T€").

        >>> Translator("de").thousands(10748932.5), Translator("en").thousands(-806000)
        ('10.749', '−806')
        """
        if value is None:
            return "–"
        return self.number((Decimal(str(value)) / Decimal(1000)).quantize(Decimal(1), ROUND_HALF_UP), 0)

    def percent(self, ratio: float | None, digits: int = 1) -> str:
        """A ratio (0.125) as a percentage: ``12,5 %`` / ``12.5%``."""
        if ratio is None:
            return "–"
        text = self.number(ratio * 100, digits)
        return f"{text} %" if self.lang == "de" else f"{text}%"

    def date(self, value: date | datetime | None) -> str:
        """``31.12.2030`` / ``2030-12-31`` (:func:`common.german.date_text`)."""
        return "–" if value is None else german.date_text(value, self.lang)

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
        if kind == "money_round":
            return self.money_round(value)  # type: ignore[arg-type]
        if kind == "percent":
            return self.percent(value)  # type: ignore[arg-type]
        if kind == "date":
            return self.date(value)  # type: ignore[arg-type]
        if kind == "bool":
            return self.boolean(bool(value))
        return str(value)
