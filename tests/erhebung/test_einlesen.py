"""Merging returned questionnaires: round trip, changes with provenance, own-organisation rule, atomic write."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from erhebung_cases import KAMPAGNE, edit, fragebogen, saarland
from inventory_cases import SAMPLE
from openpyxl import load_workbook

from erhebung.aenderungen import aenderungen, namen, pruefhinweise
from erhebung.einlesen import lese_fragebogen
from erhebung.fragebogen import write_fragebogen
from erhebung.merge import schreibe, zusammenfuehren
from inventory.load import load_landscape
from inventory.types import Provenance
from landkarte.cli import main

HEUTE = date(2026, 4, 1)


def _merge(*paths: Path, landscape=None):
    rls = []
    for p in paths:
        rl, funde = lese_fragebogen(p)
        assert funde == []
        rls.append(rl)
    result, funde = zusammenfuehren(landscape or saarland(), rls, heute=HEUTE)
    assert [f.text() for f in funde] == []
    return result


def test_round_trip_all_60_saarland_organisations_gives_zero_changes(tmp_path: Path) -> None:
    landscape = saarland()
    assert len(landscape.organisations) == 60
    assert main(["erhebung", "fragebogen", str(SAMPLE), "--all", "--out", str(tmp_path)]) == 0
    paths = sorted(tmp_path.glob("Fragebogen-*.xlsx"))
    assert len(paths) == 60
    result = _merge(*paths)
    assert result.geaendert == ()
    assert result.landscape.organisations == landscape.organisations
    old = {o.organisation.id: o for o in landscape.organisations}
    assert [a for o in result.landscape.organisations for a in aenderungen(old[o.organisation.id], o)] == []


def test_questionnaire_has_validation_lists_comments_protection_and_mapping(tmp_path: Path) -> None:
    wb = load_workbook(fragebogen(tmp_path))
    assert wb.sheetnames == ["Ausfüllhinweise", "Systeme", "Server", "Standorte", "Schnittstellen", "Listen",
                             "_Zuordnung"]
    assert wb["Listen"].sheet_state == "hidden" and wb["_Zuordnung"].sheet_state == "hidden"
    ws = wb["Systeme"]
    assert ws["J1"].value == "Vertraulichkeit *" and "BSI-Standard 200-2" in ws["J1"].comment.text
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists["J2:J37"] == "Liste_schutzbedarf"
    assert lists["D2:D37"] == "INDIRECT(VLOOKUP($C2,Domaenen,2,FALSE))"  # products of the row's domain
    assert lists["M2:M37"] == "Liste_betriebsart"
    assert ws.protection.sheet and ws["A2"].protection.locked and not ws["B2"].protection.locked
    assert ws["N2"].number_format == "DD.MM.YYYY" and ws["R2"].number_format.endswith('"€"')
    assert ws.column_dimensions["A"].width == ws.column_dimensions["B"].width == 44  # longest id, name + 2
    meta = {r[0]: r[1] for r in wb["_Zuordnung"].iter_rows(max_row=6, values_only=True)}
    assert meta["Kampagne"] == "erhebung-2026" and meta["Organisation"] == "heusweiler"
    assert len(meta["Prüfsumme"]) == 64
    hinweise = [c.value for c in wb["Ausfüllhinweise"]["A"] if c.value]
    assert "Rücksendung bis: 31.03.2026" in hinweise


def test_clerk_inputs_normalised_and_merged_with_provenance(tmp_path: Path) -> None:
    path = edit(fragebogen(tmp_path), [
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Produkt", "vois|meso"),  # as in the dropdown, other case
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Version", "2025.1 "),
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Vertragsende", "31.12.2030"),
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Jährliche Kosten (€)", "12.500,00 €"),
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Verlässlichkeit", "geprüft"),
        ("Systeme", "Wahlen Heusweiler", "Verfügbarkeit", "SEHR HOCH"),
        ("Systeme", "Wahlen Heusweiler", "Supportende", 47848),  # an Excel date serial
        ("Systeme", "Virtualisierung Heusweiler", "Außer Betrieb", "Ja"),
    ])
    result = _merge(path)
    assert result.geaendert == ("heusweiler",)
    new = next(o for o in result.landscape.organisations if o.organisation.id == "heusweiler")
    old = next(o for o in saarland().organisations if o.organisation.id == "heusweiler")
    emw = next(s for s in new.systems if s.id == "heusweiler.einwohnermeldewesen")
    assert (emw.product, emw.version, emw.contract.end, emw.contract.annual_cost) == (
        "vois-meso", "2025.1", date(2030, 12, 31), Decimal("12500.00"))
    assert emw.provenance == Provenance.SURVEY
    assert (emw.erhebung.campaign, emw.erhebung.file, emw.erhebung.date, emw.erhebung.confidence.value) == (
        "erhebung-2026", "Fragebogen-heusweiler.xlsx", HEUTE, "verified")
    unchanged = next(s for s in new.systems if s.id == "heusweiler.personenstandswesen")
    assert unchanged is next(s for s in old.systems if s.id == "heusweiler.personenstandswesen")
    assert "heusweiler.virtualisierung" not in {s.id for s in new.systems}
    changes = {(a.art, a.name, a.feld, a.alt, a.neu) for a in aenderungen(old, new, namen(saarland()))}
    assert ("geändert", "Einwohnermeldewesen Heusweiler", "Produkt", "emeld21", "VOIS|MESO") in changes
    assert ("geändert", "Einwohnermeldewesen Heusweiler", "Jährliche Kosten (€)", "9.710,00 €", "12.500,00 €") in changes
    assert ("geändert", "Wahlen Heusweiler", "Verfügbarkeit", "hoch", "sehr hoch") in changes
    assert ("entfernt", "Virtualisierung Heusweiler", "", "", "") in changes
    hints = [h.de for h in pruefhinweise(old, new)]
    assert "Vertragsende verschoben: – → 31.12.2030 — Kündigungsfrist und Umzugswelle prüfen" in hints
    assert "Schutzbedarf Verfügbarkeit erhöht: hoch → sehr hoch — Zielrechenzentrum und Absicherung prüfen" in hints
    assert "als außer Betrieb gemeldet — Abhängigkeiten und Vertrag prüfen" in hints


def test_new_system_gets_an_id_and_survey_provenance(tmp_path: Path) -> None:
    row = [("Systeme", "+", h, v) for h, v in [
        ("Bezeichnung", "Friedhofsverwaltung Heusweiler"), ("Fachdomäne", "Friedhofsverwaltung"),
        ("Produkt", "ARCHIKART"), ("Version", "5"), ("Server", "hv01"), ("Nutzerzahl", "3"),
        ("Vertraulichkeit", "normal"), ("Integrität", "normal"), ("Verfügbarkeit", "normal"),
        ("Betriebsart", "Eigen")]]
    result = _merge(edit(fragebogen(tmp_path), row))
    new = result.landscape.systems["heusweiler.friedhofsverwaltung-heusweiler"]
    assert (new.domain, new.hosting.host, new.users, new.provenance.value) == (
        "friedhofsverwaltung", "heusweiler.hv01", 3, "survey")


def test_second_workbook_for_the_same_organisation_is_refused(tmp_path: Path) -> None:
    a = fragebogen(tmp_path / "a")
    b = fragebogen(tmp_path / "b")
    rls = [lese_fragebogen(p)[0] for p in (a, b)]
    _, funde = zusammenfuehren(saarland(), rls, heute=HEUTE)
    assert [f.de for f in funde] == [
        "zweiter Fragebogen für heusweiler (auch Fragebogen-heusweiler.xlsx) — bitte nur einen einlesen"]


def test_stale_questionnaire_is_refused_unless_allowed(tmp_path: Path) -> None:
    landscape = saarland()
    path = fragebogen(tmp_path)
    inv = next(o for o in landscape.organisations if o.organisation.id == "heusweiler")
    s0 = inv.systems[0]
    changed_inv = inv.model_copy(update={"systems": (s0.model_copy(update={"users": s0.users + 1}),) + inv.systems[1:]})
    changed = landscape.model_copy(update={"organisations": tuple(
        changed_inv if o is inv else o for o in landscape.organisations)})
    rl, _ = lese_fragebogen(path)
    _, funde = zusammenfuehren(changed, [rl], heute=HEUTE)
    assert len(funde) == 1 and "wurde geändert, seit der Fragebogen erstellt wurde" in funde[0].de
    result, funde = zusammenfuehren(changed, [rl], heute=HEUTE, allow_stale=True)
    assert funde == [] and result.geaendert == ("heusweiler",)


def test_write_replaces_only_changed_files_atomically(tmp_path: Path) -> None:
    inv_dir = tmp_path / "inv"
    shutil.copytree(SAMPLE, inv_dir)
    landscape = load_landscape(inv_dir)
    path = edit(write_fragebogen(landscape, "oberthal", tmp_path / "fb", kampagne=KAMPAGNE),
                [("Systeme", "Wahlen Oberthal", "Nutzerzahl", "9")])
    before = {p.name: p.read_bytes() for p in (inv_dir / "organisations").iterdir()}
    written = schreibe(inv_dir, _merge(path, landscape=landscape))
    assert [p.name for p in written] == ["oberthal.yaml"]
    after = {p.name: p.read_bytes() for p in (inv_dir / "organisations").iterdir()}
    assert {k for k in after if after[k] != before[k]} == {"oberthal.yaml"}
    assert load_landscape(inv_dir).systems["oberthal.wahlen"].users == 9


def test_cli_einlesen_with_any_error_writes_nothing_and_lists_all(tmp_path: Path, capsys) -> None:
    inv_dir = tmp_path / "inv"
    shutil.copytree(SAMPLE, inv_dir)
    out = tmp_path / "fb"
    assert main(["erhebung", "fragebogen", str(inv_dir), "--org", "heusweiler", "--org", "oberthal",
                 "--out", str(out), "--campaign", "erhebung-2026"]) == 0
    edit(out / "Fragebogen-oberthal.xlsx", [("Systeme", "Wahlen Oberthal", "Nutzerzahl", "12")])  # fine
    edit(out / "Fragebogen-heusweiler.xlsx", [("Systeme", "Wahlen Heusweiler", "Vertraulichkeit", "mittel"),
                                              ("Systeme", "Wahlen Heusweiler", "Supportende", "30.02.2030")])
    before = sorted((p.name, p.read_bytes()) for p in inv_dir.rglob("*.yaml"))
    capsys.readouterr()
    assert main(["erhebung", "einlesen", str(out), "--into", str(inv_dir)]) == 1
    err = capsys.readouterr().err
    assert "2 Fehler in den Fragebögen — nichts wurde geschrieben" in err
    assert "Zelle J9 (Wahlen Heusweiler): „mittel“ ist kein Schutzbedarf" in err
    assert "Zelle N9 (Wahlen Heusweiler): „30.02.2030“ ist kein gültiges Datum" in err
    assert "Traceback" not in err
    assert sorted((p.name, p.read_bytes()) for p in inv_dir.rglob("*.yaml")) == before
    assert main(["erhebung", "einlesen", str(out), "--into", str(inv_dir), "--lang", "en"]) == 1
    assert "cell J9 (Wahlen Heusweiler): \"mittel\" is not a Schutzbedarf" in capsys.readouterr().err


def test_cli_einlesen_json_and_report_and_status(tmp_path: Path, capsys) -> None:
    import json

    inv_dir = tmp_path / "inv"
    shutil.copytree(SAMPLE, inv_dir)
    out = tmp_path / "fb"
    assert main(["erhebung", "fragebogen", str(inv_dir), "--org", "oberthal", "--org", "heusweiler", "--out", str(out),
                 "--deadline", "31.03.2026"]) == 0
    edit(out / "Fragebogen-oberthal.xlsx", [("Systeme", "Einwohnermeldewesen Oberthal", "Integrität", "sehr hoch")])
    capsys.readouterr()
    assert main(["erhebung", "status", str(inv_dir), str(out / "Fragebogen-oberthal.xlsx"),
                 str(out / "Fragebogen-heusweiler.xlsx"), "--json"]) == 0
    st = {o["org"]: o for o in json.loads(capsys.readouterr().out)["organisations"]}
    assert (st["oberthal"]["zustand"], st["heusweiler"]["zustand"], st["perl"]["zustand"]) == (
        "zurück", "zurück, unverändert", "ausstehend")
    assert main(["erhebung", "einlesen", str(out / "Fragebogen-oberthal.xlsx"), "--into", str(inv_dir), "--json",
                 "--report", str(tmp_path / "bericht")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed_organisations"] == ["oberthal"]
    assert [(c["feld"], c["alt"], c["neu"]) for c in data["changes"]] == [("Integrität", "hoch", "sehr hoch")] or \
        [(c["feld"], c["neu"]) for c in data["changes"]] == [("Integrität", "sehr hoch")]
    assert any("Schutzbedarf Integrität erhöht" in h["de"] for h in data["hints"])
    page = (tmp_path / "bericht" / "aenderungsbericht.html").read_text(encoding="utf-8")
    assert "Was der Planer prüfen sollte" in page and "Herkunft" in page
    assert load_workbook(tmp_path / "bericht" / "aenderungsbericht.xlsx").sheetnames == [
        "Prüfhinweise", "Änderungen", "Herkunft"]


@pytest.mark.parametrize("bad", ["--org nowhere", "--all --org heusweiler"])
def test_cli_fragebogen_bad_org_options(tmp_path: Path, bad: str) -> None:
    rc = main(["erhebung", "fragebogen", str(SAMPLE), "--out", str(tmp_path), *bad.split()])
    assert rc in (1, 2) and not list(tmp_path.glob("*.xlsx"))


def test_retired_system_still_fed_by_an_online_service_is_an_error_at_its_row(tmp_path: Path) -> None:
    path = edit(fragebogen(tmp_path), [("Systeme", "Gewerbewesen Heusweiler", "Außer Betrieb", "ja")])
    rl, _ = lese_fragebogen(path)
    _, funde = zusammenfuehren(saarland(), [rl], heute=HEUTE)
    assert [f.text() for f in funde] == [
        ("Fragebogen-heusweiler.xlsx, Blatt „Schnittstellen“, Zelle A5 (Gewerbewesen Heusweiler): „Gewerbewesen "
        "Heusweiler“ ist als außer Betrieb gemeldet — diese Zeile bitte ebenfalls auf „Außer Betrieb: ja“ setzen "
        "oder ändern"),
        ("Fragebogen-heusweiler.xlsx, Blatt „Schnittstellen“, Zelle A8 (Gewerbewesen Heusweiler): „Gewerbewesen "
        "Heusweiler“ ist als außer Betrieb gemeldet — diese Zeile bitte ebenfalls auf „Außer Betrieb: ja“ setzen "
        "oder ändern"),
        ("Fragebogen-heusweiler.xlsx, Blatt „Schnittstellen“, Zelle A15 (Gewerbewesen Heusweiler): „Gewerbewesen "
        "Heusweiler“ ist als außer Betrieb gemeldet — diese Zeile bitte ebenfalls auf „Außer Betrieb: ja“ setzen "
        "oder ändern")]


def test_retired_system_still_fed_by_an_online_service_is_an_error_at_its_out_of_service_cell(tmp_path: Path) -> None:
    path = edit(fragebogen(tmp_path), [("Systeme", "Gewerbewesen Heusweiler", "Außer Betrieb", "ja")])
    wb = load_workbook(path)
    ws = wb["Schnittstellen"]
    for r in range(2, ws.max_row + 1):  # the clerk retires its interfaces too
        if "Gewerbewesen Heusweiler" in (ws.cell(r, 1).value, ws.cell(r, 2).value):
            ws.cell(r, 6).value = "ja"
    wb.save(path)
    rl, _ = lese_fragebogen(path)
    _, funde = zusammenfuehren(saarland(), [rl], heute=HEUTE)
    assert [f.text() for f in funde] == [
        ("Fragebogen-heusweiler.xlsx, Blatt „Systeme“, Zelle X6 (Gewerbewesen Heusweiler): wird noch genutzt von "
        "„Gewerbe anmelden“ (heusweiler) — erst diese Verbindung klären")]


def test_cli_status_lists_a_workbook_it_cannot_assign(tmp_path: Path, capsys) -> None:
    (tmp_path / "Fragebogen-x.xlsx").write_text("Kennung;Bezeichnung\n", encoding="utf-8")
    assert main(["erhebung", "status", str(SAMPLE), str(tmp_path), "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["returned"] == 0 and data["total"] == 60
    assert [u["workbook"] for u in data["unassigned"]] == ["Fragebogen-x.xlsx"]
    assert "CSV-Datei" in data["unassigned"][0]["message"]


def test_status_reads_the_campaign_once_and_places_each_workbooks_problems(tmp_path: Path, monkeypatch) -> None:
    import erhebung.status
    from erhebung.status import kampagnenlage

    landscape = saarland()
    orgs = ("heusweiler", "oberthal", "perl", "eppelborn")
    paths = {o: fragebogen(tmp_path, o) for o in orgs}
    edit(paths["oberthal"], [("Systeme", "Einwohnermeldewesen Oberthal", "Integrität", "sehr hoch")])
    edit(paths["heusweiler"], [("Systeme", "Gewerbewesen Heusweiler", "Außer Betrieb", "ja")])  # still fed: error
    merges = []
    real = erhebung.status.zusammenfuehren
    monkeypatch.setattr(erhebung.status, "zusammenfuehren", lambda *a, **k: merges.append(len(a[1])) or real(*a, **k))
    lage = kampagnenlage(landscape, [lese_fragebogen(p) for p in paths.values()], heute=HEUTE)
    assert merges == [4, 3]  # the campaign once; once more without the workbook with errors (to count changes)
    st = {s.org: s for s in lage.status}
    assert [(o, st[o].zustand, st[o].fehler) for o in orgs] == [
        ("heusweiler", "zurück, fehlerhaft", 3), ("oberthal", "zurück", 0), ("perl", "zurück, unverändert", 0),
        ("eppelborn", "zurück, unverändert", 0)]
    assert st["merzig"].zustand == "ausstehend" and lage.nicht_zuzuordnen == [] and lage.kampagne == []
    merges.clear()
    kampagnenlage(landscape, [lese_fragebogen(paths[o]) for o in orgs[1:]], heute=HEUTE)
    assert merges == [3]  # no errors: one merge


def test_two_sites_with_one_name_round_trip_and_a_plain_name_is_ambiguous(tmp_path: Path) -> None:
    landscape = saarland()
    inv = next(o for o in landscape.organisations if o.organisation.id == "heusweiler")
    twin = inv.sites[0].model_copy(update={"id": "heusweiler.rathaus-2"})  # same name, as generated data has
    s0 = inv.systems[0].model_copy(update={"hosting": inv.systems[0].hosting.model_copy(
        update={"host": None, "site": "heusweiler.rathaus-2"})})
    inv2 = inv.model_copy(update={"sites": (*inv.sites, twin), "systems": (s0, *inv.systems[1:])})
    changed = landscape.model_copy(update={"organisations": tuple(
        inv2 if o is inv else o for o in landscape.organisations)})
    path = write_fragebogen(changed, "heusweiler", tmp_path, kampagne=KAMPAGNE)
    result = _merge(path, landscape=changed)
    assert result.geaendert == ()
    edit(path, [("Systeme", "Einwohnermeldewesen Heusweiler", "Standort", "Serverraum Rathaus Heusweiler")])
    rl, _ = lese_fragebogen(path)
    _, funde = zusammenfuehren(changed, [rl], heute=HEUTE)
    assert [f.de for f in funde] == [("„Serverraum Rathaus Heusweiler“ ist mehrdeutig — bitte „Serverraum Rathaus "
                                     "Heusweiler [Kennung]“ eintragen")]


def test_landscape_wide_labels_are_made_once_per_campaign(tmp_path: Path, monkeypatch) -> None:
    import erhebung._bezeichnungen as bz
    import erhebung.fragebogen
    import erhebung.merge
    from erhebung.fragebogen import write_frageboegen

    made = []
    real = bz.landesweit
    for module in (erhebung.fragebogen, erhebung.merge):
        monkeypatch.setattr(module, "landesweit", lambda L: made.append(L) or real(L))
    landscape = saarland()
    orgs = ["heusweiler", "oberthal", "perl"]
    paths = list(write_frageboegen(landscape, orgs, tmp_path, kampagne=KAMPAGNE))
    assert [p.name for p in paths] == [f"Fragebogen-{o}.xlsx" for o in orgs]
    assert len(made) == 1
    result = _merge(*paths, landscape=landscape)
    assert result.geaendert == () and len(made) == 2  # the merge of three workbooks: once more, not three times
    assert all(made_for is landscape for made_for in made)


def test_data_sheets_print_landscape_with_titles_and_a_readable_number_of_pages_wide(tmp_path: Path) -> None:
    from openpyxl.utils import get_column_letter

    from erhebung.fragebogen import SEITENBREITE

    wb = load_workbook(fragebogen(tmp_path, "saarbruecken"))
    for name, title in (("Systeme", "B"), ("Server", "B"), ("Standorte", "B"), ("Schnittstellen", "A")):
        ws = wb[name]
        ps = ws.page_setup
        assert (ps.orientation, ps.paperSize, ps.fitToHeight, ps.pageOrder) == ("landscape", 9, 0, "overThenDown")
        assert (ws.print_title_rows, ws.print_title_cols) == ("$1:$1", f"${title}:${title}")
        widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)]
        t = ws.column_dimensions[title].width
        assert (ps.fitToWidth - 1) * (SEITENBREITE - t) < sum(widths) - t <= ps.fitToWidth * (SEITENBREITE - t), name
    assert wb["Systeme"].page_setup.fitToWidth >= 3  # 25 columns: never squeezed onto one page
