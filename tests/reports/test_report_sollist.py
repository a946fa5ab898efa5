"""The Soll/Ist chapter in a real Chromium, in the PDF (typst, read back with pdftotext) and in the XLSX,
on the small hand-built plan with a small progress folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from landkarte.cli import main


@pytest.fixture
def progress(tmp_path: Path) -> Path:
    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / "2026-Q3.yaml").write_text(
        "schema: 1\nreported: 30.09.2026\nsystems:\n"
        "  - {system: aue-ewo, status: migrated, date: 2026-05-10}\n"
        "  - {system: aue-mail, status: postponed, reason: 'Umzug des Rathauses', not_before: 2027-01-01}\n"
        "milestones:\n"
        "  - {milestone: m1, delivered: 2026-05-10, claimed: 2026-07-01,"
        " evidence: [{kind: document, ref: 'Abnahme Aue'}]}\n", encoding="utf-8")
    return folder


def _render(plan_file: Path, progress: Path, out: Path, *extra: str) -> dict[str, Path]:
    assert main(["report", str(plan_file), "--out", str(out), "--actuals", str(progress), *extra]) == 0
    return {p.suffix: p for p in out.iterdir() if p.is_file()}


def test_sollist_chapter_in_chromium_without_errors(browser, plan_file, progress, tmp_path, artifacts):
    html = _render(plan_file, progress, tmp_path / "out", "--format", "html")[".html"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri(), wait_until="load")
    page.wait_for_timeout(100)
    assert errors == []
    # textContent: the chapter is off screen, and content-visibility: auto leaves innerText empty there
    assert page.text_content("#h-sollist") == "Soll/Ist: Planung und Umsetzung"
    assert page.locator("#sec-sollist svg#chart-burnup-systems").count() == 1
    assert page.locator("#sec-sollist svg#chart-burnup-funding").count() == 1
    rows = page.eval_on_selector_all("#tbl-si-quarters tbody tr",
                                     "rs => rs.map(r => [...r.children].map(c => c.textContent))")
    assert rows == [["2026-Q2", "1", "1", "1", "1", "1"], ["2026-Q3", "1", "0", "0", "2", "1"]]
    late = page.text_content("#tbl-si-late")
    assert "zurückgestellt bis frühestens 01.01.2027: Umzug des Rathauses" in late
    assert page.locator('nav a[href="#sec-sollist"]').count() >= 1
    page.locator("#sec-sollist").scroll_into_view_if_needed()
    page.locator("#sec-sollist").screenshot(path=str(artifacts / "report-sollist.png"), timeout=60_000)


def test_sollist_chapter_in_the_pdf_and_xlsx_german_and_english(plan_file, progress, tmp_path, pdftotext):
    de = _render(plan_file, progress, tmp_path / "de", "--format", "pdf,xlsx")
    text = subprocess.run([pdftotext, "-layout", str(de[".pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Soll/Ist: Planung und Umsetzung" in text
    assert "Bis 30.09.2026 waren 2 Migrationen fällig; 1 davon sind erledigt, 1 verspätet." in text
    assert "abgerufen 8 T€" in text  # m1: 7.500 € called off, rounded as the summary rounds
    vorlage = text.split("Soll/Ist: Planung und Umsetzung")[0]
    assert "Umsetzung bis 30.09.2026: 1 von 2 fälligen Migrationen erledigt, 1 verspätet" in vorlage
    assert "Stand der Fördermittel am 30.09.2026: nachgewiesen und noch nicht abgerufen 0 T€, abgerufen 8 T€" in vorlage
    wb = load_workbook(de[".xlsx"], read_only=True)
    assert {"Soll-Ist je Quartal", "Soll-Ist je Domäne", "Verspätungen", "Burn-up"} <= set(wb.sheetnames)
    en = _render(plan_file, progress, tmp_path / "en", "--format", "pdf", "--lang", "en")
    text = subprocess.run([pdftotext, "-layout", str(en[".pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Plan vs actual: planned and delivered" in text and "postponed until 2027-01-01" in text
