"""With the real office suite: LibreOffice (headless) re-saves and edits questionnaires.

Integration tests: they need ``soffice`` and the ``uno`` module of the system Python
(``scripts/setup.d/35-libreoffice.sh``). Under ``CI=true`` they must run, never skip.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from datetime import date
from pathlib import Path

import pytest
from erhebung_cases import fragebogen, saarland
from openpyxl import load_workbook

from erhebung.aenderungen import aenderungen, namen, pruefhinweise
from erhebung.einlesen import lese_fragebogen
from erhebung.merge import zusammenfuehren

pytestmark = pytest.mark.integration

SYSTEM_PYTHON = "/usr/bin/python3"
HERE = Path(__file__).resolve().parent


def _need_libreoffice() -> None:
    missing = shutil.which("soffice") is None or subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False).returncode != 0
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice (soffice, python3-uno) missing: run scripts/setup.d/35-libreoffice.sh as root")
        pytest.skip("LibreOffice not installed (scripts/setup.d/35-libreoffice.sh, as root)")


def _resave(src: Path, out: Path, profile: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    return out / src.name


def test_libreoffice_resave_keeps_validation_lists_and_merges_unchanged(tmp_path: Path) -> None:
    _need_libreoffice()
    resaved = _resave(fragebogen(tmp_path / "out"), tmp_path / "lo", tmp_path / "profile")
    wb = load_workbook(resaved)
    assert [ws.sheet_state for ws in wb.worksheets][-2:] == ["hidden", "hidden"]
    lists = {str(dv.sqref): dv.formula1 for dv in wb["Systeme"].data_validations.dataValidation
             if dv.type == "list"}
    assert lists["J2:J37"] == "Liste_schutzbedarf"
    assert lists["D2:D37"].startswith("INDIRECT(VLOOKUP($C2,Domaenen,2,")
    assert lists["C2:C37"] == "Liste_domain"
    assert {"Liste_schutzbedarf", "Domaenen", "Produkte_1"} <= set(wb.defined_names.keys())
    rl, funde = lese_fragebogen(resaved)
    assert funde == []
    result, funde = zusammenfuehren(saarland(), [rl], heute=date(2026, 4, 1))
    assert funde == [] and result.geaendert == ()


def test_workbook_edited_in_libreoffice_merges_with_expected_change_report(tmp_path: Path) -> None:
    _need_libreoffice()
    src = fragebogen(tmp_path / "out")
    edits = tmp_path / "edits.json"
    edits.write_text(json.dumps([
        ["Systeme", "Einwohnermeldewesen Heusweiler", "Produkt", "VOIS|MESO"],
        ["Systeme", "Einwohnermeldewesen Heusweiler", "Integrität", "sehr hoch"],
        ["Systeme", "Einwohnermeldewesen Heusweiler", "Vertragsende", 47848],  # 31.12.2030 typed in a date cell
        ["Systeme", "Wahlen Heusweiler", "Nutzerzahl", 12],
        ["Systeme", "Wahlen Heusweiler", "Jährliche Kosten (€)", "12.500,00 €"],  # typed as text
    ]), encoding="utf-8")
    edited = tmp_path / "lo" / src.name
    edited.parent.mkdir()
    subprocess.run([SYSTEM_PYTHON, str(HERE / "lo_edit.py"), str(src), str(edited), str(tmp_path / "profile"),
                    str(edits)], check=True, capture_output=True, timeout=240)
    rl, funde = lese_fragebogen(edited)
    assert funde == []
    result, funde = zusammenfuehren(saarland(), [rl], heute=date(2026, 4, 1))
    assert [f.text() for f in funde] == []
    old = next(o for o in saarland().organisations if o.organisation.id == "heusweiler")
    new = next(o for o in result.landscape.organisations if o.organisation.id == "heusweiler")
    got = {(a.name, a.feld, a.alt, a.neu) for a in aenderungen(old, new, namen(saarland()))}
    assert got == {
        ("Einwohnermeldewesen Heusweiler", "Produkt", "emeld21", "VOIS|MESO"),
        ("Einwohnermeldewesen Heusweiler", "Integrität", "hoch", "sehr hoch"),
        ("Einwohnermeldewesen Heusweiler", "Vertragsende", "–", "31.12.2030"),
        ("Wahlen Heusweiler", "Nutzerzahl", "2", "12"),
        ("Wahlen Heusweiler", "Jährliche Kosten (€)", "2.960,00 €", "12.500,00 €"),
    }
    assert {h.de.split(":")[0] for h in pruefhinweise(old, new)} == {
        "Vertragsende verschoben", "Schutzbedarf Integrität erhöht", "Produkt gewechselt"}


def _words(pdf: Path) -> list[list[tuple[str, float]]]:
    """Per page of ``pdf``: its words with their heights in points (poppler's pdftotext -bbox)."""
    import re

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(w, float(y1) - float(y0)) for y0, y1, w in
                      re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                                 page)])
    return pages


def test_questionnaire_prints_readably_on_a4_landscape_with_titles_on_every_page(tmp_path: Path) -> None:
    _need_libreoffice()
    src = fragebogen(tmp_path / "out", "saarbruecken")  # the widest: 25 columns, the most systems
    out = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to",
                    "pdf", "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    pdf = out / src.with_suffix(".pdf").name
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "841.89 x 595.3" in info  # A4 landscape, in points
    wb = load_workbook(src)
    data = ["Systeme", "Server", "Standorte", "Schnittstellen"]
    wide = sum(wb[n].page_setup.fitToWidth for n in data)
    pages = _words(pdf)
    assert len(pages) == 1 + wide  # instructions, then each data sheet as many pages wide as set (rows fit one)
    for words in pages[1:]:
        # the header row and the row's name column are repeated: the name header leads every page
        # (after the id column on a sheet's first page)
        assert {"Bezeichnung", "Name", "Von"} & {w for w, _ in words[:2]}, words[:3]
        # 8-point text is a word box of about 9.5 points (the footer is smaller); fitToWidth=1 printed
        # "Systeme" at under 3
        assert statistics.median(h for _, h in words) >= 8.0
