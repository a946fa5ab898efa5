"""The messages of "why the plan changed" (:mod:`reports.changes`) in German and English.

Keys are ``why.<name>``; placeholders use str.format names. Data only: they are part of the
one catalogue :data:`reports.messages.MESSAGES`.
"""

from __future__ import annotations

__all__ = ["CHANGE_MESSAGES"]

CHANGE_MESSAGES: dict[str, tuple[str, str]] = {
    "why.title": ("Warum sich der Plan geändert hat", "Why the plan changed"),
    "why.replans": ("{n} Neuberechnungen", "{n} re-plans"),
    "why.replans_one": ("1 Neuberechnung", "1 re-plan"),
    "why.intro": (("Jede Änderung ist berechnet, nicht geschätzt: Die Eingaben des letzten Plans wurden Schritt für "
                   "Schritt in die heutigen überführt (erst das Inventar je Datensatz, dann das Szenario je Schlüssel, "
                   "dann der Ist-Stand) und nach jedem Schritt neu geplant ({replans}). Was sich in einem "
                   "Schritt ändert, geht auf diese Änderung zurück: direkt oder als Folgewirkung über einen Vorgänger, "
                   "die Teamkapazität oder eine Onboarding-Grenze."),
                  ("Every change is computed, not estimated: the inputs of the last plan were turned into today's one "
                   "step at a time (first the inventory record by record, then the scenario key by key, then the "
                   "actual progress) and planned again after each step ({replans}). What changes in a step "
                   "goes back to that change: directly or as a knock-on effect through a predecessor, the team capacity "
                   "or an onboarding limit.")),
    "why.top_caption": ("Ursachen, die meisten Systeme zuerst", "Causes, most systems first"),
    "why.top_moved": ("{n} Systeme verschoben wegen: {cause}", "{n} systems moved because of: {cause}"),
    "why.top_moved_one": ("1 System verschoben wegen: {cause}", "1 system moved because of: {cause}"),
    "why.top_changed": ("{n} Systeme geändert wegen: {cause}", "{n} systems changed because of: {cause}"),
    "why.top_changed_one": ("1 System geändert wegen: {cause}", "1 system changed because of: {cause}"),
    "why.figures_only": ("Nur Kennzahlen geändert durch: {cause}", "Only key figures changed by: {cause}"),
    "why.no_effect": ("Ohne Auswirkung auf den Plan (nach den Änderungen davor): {cause}",
                      "No effect on the plan (after the changes before it): {cause}"),
    "why.as_planned": ("{n} Ist-Meldungen ohne Auswirkung auf den Plan (wie geplant)",
                       "{n} actuals without effect on the plan (as planned)"),
    "why.figures_caption": ("Geänderte Kennzahlen nach Ursache", "Changed key figures by cause"),
    "why.systems_caption": ("Geänderte Systeme mit Ursache", "Changed systems with their cause"),
    "why.none": ("Keine Änderungen – es gibt nichts zu erklären.", "No changes – nothing to explain."),
    "why.missing": ("Die Ursachen wurden nicht berechnet: {reason}", "The causes were not computed: {reason}"),
    "why.missing.inventory_mismatch": (
        ("{path} ist nicht das Inventar, aus dem {plan} erstellt wurde (anderer Hash); bitte das Inventar angeben, "
        "wie es damals war (--inventory VERZEICHNIS)."),
        ("{path} is not the inventory {plan} was made from (another hash); pass the inventory as it was then "
        "(--inventory DIR).")),
    "why.missing.scenario_mismatch": ("{path} ist nicht das Szenario, aus dem {plan} erstellt wurde (anderer Hash).",
                                      "{path} is not the scenario {plan} was made from (another hash)."),
    "why.missing.scenario_not_found": (("Das Szenario {id} von {plan} wurde nicht gefunden: bitte {option} DATEI "
                                       "angeben."), "The scenario {id} of {plan} was not found: pass {option} FILE."),
    "why.missing.actuals_missing": ("{plan} wurde mit Ist-Daten erstellt: bitte deren Ordner angeben (--actuals).",
                                    "{plan} was made with actuals: pass their folder (--actuals)."),
    "why.missing.actuals_mismatch": ("{path} sind nicht die Ist-Daten, mit denen {plan} erstellt wurde (anderer Hash).",
                                     "{path} are not the actuals {plan} was made with (another hash)."),
    "why.missing.inventory_not_found": (("Das Inventar „{name}“ wurde nicht gefunden: bitte --inventory VERZEICHNIS "
                                        "angeben."), "The inventory “{name}” was not found: pass --inventory DIR."),
    "why.missing.old_inventory": (
        ("Das Inventar von {plan} weicht vom heutigen ab: bitte --since REVISION (die Git-Revision der letzten "
        "Sitzung) oder --old-inventory VERZEICHNIS angeben."),
        ("The inventory of {plan} differs from today's: pass --since REV (the git revision of the last meeting) or "
        "--old-inventory DIR.")),
    "why.missing.old_scenario": (
        ("Das Szenario von {plan} weicht vom heutigen ab: bitte --old-scenario DATEI angeben (oder --since REVISION "
        "mit --scenario DATEI)."),
        "The scenario of {plan} differs from today's: pass --old-scenario FILE (or --since REV with --scenario FILE)."),
    "why.also": ("vorher auch: {causes}", "before also: {causes}"),
    "why.note.grouped": (("Einige Änderungen waren einzeln nicht gültig oder zu zahlreich und wurden gemeinsam neu "
                          "geplant; ihre Folgewirkungen sind der Gruppe zugeordnet."),
                         ("Some changes were not valid on their own or too many and were planned together; their "
                          "knock-on effects are attributed to the group.")),
    "why.col.cause": ("Ursache", "Cause"),
    "why.col.via": ("Wirkungsweg", "How"),
    "why.col.systems": ("Systeme", "Systems"),
    "why.col.family": ("Art", "Kind"),
    "why.col.change": ("Änderung", "Change"),
    "why.col.part": ("Anteil", "Share"),
    "why.seconds": ("Berechnet in {seconds} s.", "Computed in {seconds} s."),
    # families
    "why.family.inventory": ("Inventar", "Inventory"),
    "why.family.scenario": ("Szenario", "Scenario"),
    "why.family.actuals": ("Ist-Stand", "Actuals"),
    "why.family.planner": ("Planer", "Planner"),
    "why.family.unexplained": ("nicht reproduzierbar", "not reproducible"),
    # record kinds of the inventory
    "why.kind.system": ("System", "system"),
    "why.kind.dependency": ("Abhängigkeit", "dependency"),
    "why.kind.host": ("Host", "host"),
    "why.kind.site": ("Standort", "site"),
    "why.kind.organisation": ("Organisation", "organisation"),
    "why.kind.organisation_file": ("Organisation", "organisation"),
    "why.kind.online_service": ("Onlinedienst", "online service"),
    "why.kind.domain": ("Domäne", "domain"),
    "why.kind.product": ("Produkt", "product"),
    "why.kind.bsi_module": ("BSI-Baustein", "BSI module"),
    "why.kind.meta": ("Stammdaten", "metadata"),
    # causes
    "why.cause.inventory_changed": ("Inventar {place}: {kind} {record}, {field} {old} → {new}",
                                    "inventory {place}: {kind} {record}, {field} {old} → {new}"),
    "why.cause.inventory_fields": ("Inventar {place}: {kind} {record}, geändert: {fields}",
                                   "inventory {place}: {kind} {record}, changed: {fields}"),
    "why.cause.inventory_added": ("Inventar {place}: {kind} {record} neu", "inventory {place}: {kind} {record} added"),
    "why.cause.inventory_removed": ("Inventar {place}: {kind} {record} entfernt",
                                    "inventory {place}: {kind} {record} removed"),
    "why.cause.inventory_file_added": ("Inventar {place}: Organisation {record} neu (ganze Datei)",
                                       "inventory {place}: organisation {record} added (whole file)"),
    "why.cause.inventory_file_removed": ("Inventar {place}: Organisation {record} entfernt (ganze Datei)",
                                         "inventory {place}: organisation {record} removed (whole file)"),
    "why.cause.scenario_changed": ("Szenario `{path}`: {old} → {new}", "scenario `{path}`: {old} → {new}"),
    "why.cause.scenario_whole": ("Szenario `{path}` geändert", "scenario `{path}` changed"),
    "why.cause.scenario_added": ("Szenario `{path}` neu", "scenario `{path}` added"),
    "why.cause.scenario_removed": ("Szenario `{path}` entfernt", "scenario `{path}` removed"),
    "why.cause.group": ("{family}: {n} Änderungen gemeinsam neu geplant ({places})",
                        "{family}: {n} changes planned together ({places})"),
    "why.cause.as_of": ("Ist-Stand zum {day}", "actuals as of {day}"),
    "why.cause.as_of_moved": ("Ist-Stand zum {new} (Planungsstichtag vorher {old}): Kapazität und Reihenfolge neu verteilt",
                              "actuals as of {new} (day of the plan before: {old}): capacity and order redistributed"),
    "why.cause.migrated": ("Ist: {record} migriert am {new} (geplant {old})",
                           "actual: {record} migrated on {new} (planned {old})"),
    "why.cause.migrated_late": ("Ist: {record} verspätet migriert am {new} (geplant {old})",
                                "actual: {record} migrated late on {new} (planned {old})"),
    "why.cause.migrated_early": ("Ist: {record} früher als geplant migriert am {new} (geplant {old})",
                                 "actual: {record} migrated early on {new} (planned {old})"),
    "why.cause.in_progress": ("Ist: {record} in Arbeit seit {new} (geplant {old})",
                              "actual: {record} in progress since {new} (planned {old})"),
    "why.cause.postponed": ("Ist: {record} zurückgestellt – {new} (geplant {old})",
                            "actual: {record} postponed – {new} (planned {old})"),
    "why.cause.target_live": ("Ist: Zielinstanz {record} in Betrieb seit {new} (erster Umzug darauf geplant {old})",
                              "actual: target instance {record} live since {new} (first move onto it planned {old})"),
    "why.cause.not_reported": ("Verzug: {record} war für {old} geplant und ist bis {new} nicht als migriert gemeldet",
                               "delay: {record} was planned for {old} and is not reported migrated by {new}"),
    "why.cause.planner": (("Planer-Version {old} → {new}: der letzte Plan ist aus seinen Eingaben mit dieser Version "
                           "nicht genau reproduzierbar"),
                          ("planner version {old} → {new}: the last plan cannot be reproduced exactly from its inputs "
                           "with this version")),
    "why.cause.unexplained": ("der neue Plan weicht von einer Neuberechnung seiner eigenen Eingaben ab",
                              "the new plan differs from a fresh plan of its own inputs"),
    # ways a cause reaches a system
    "why.via.direct": ("direkt", "directly"),
    "why.via.dependency": ("Folgewirkung: Vorgänger {related} verschoben ({detail})",
                           "knock-on: predecessor {related} moved ({detail})"),
    "why.via.capacity_eigen": ("Folgewirkung: Teamkapazität Eigenleistung in {quarter}",
                               "knock-on: team capacity (own staff) in {quarter}"),
    "why.via.capacity_fremd": ("Folgewirkung: Teamkapazität Fremdleistung in {quarter}",
                               "knock-on: team capacity (contractors) in {quarter}"),
    "why.via.onboarding": ("Folgewirkung: Onboarding-Grenze von {related} in {quarter}",
                           "knock-on: onboarding limit of {related} in {quarter}"),
    "why.via.reoptimised": ("Folgewirkung: Zeitplan insgesamt neu optimiert", "knock-on: schedule re-optimised as a whole"),
    "why.count.direct": ("{n} direkt", "{n} directly"),
    "why.count.dependency": ("{n} über Abhängigkeiten", "{n} through dependencies"),
    "why.count.capacity": ("{n} über Teamkapazität", "{n} through team capacity"),
    "why.count.onboarding": ("{n} über Onboarding-Grenzen", "{n} through onboarding limits"),
    "why.count.reoptimised": ("{n} durch Neuoptimierung", "{n} by re-optimisation"),
    "cmp.more": ("… {n} weitere (--limit 0 zeigt alle)", "… {n} more (--limit 0 shows all)"),
    "why.status.migrated": ("migriert", "migrated"),
    "why.status.in_progress": ("in Arbeit", "in progress"),
    "why.status.postponed": ("zurückgestellt", "postponed"),
    "why.status.not_reported": ("Verzug, nicht gemeldet", "delay, not reported"),
    "why.status.target_live": ("in Betrieb", "live"),
    "why.change.added": ("neu", "added"),
    "why.change.removed": ("entfernt", "removed"),
    "sheet.why": ("Ursachen", "Causes"),
    "sheet.why_figures": ("Ursachen Kennzahlen", "Causes figures"),
}
