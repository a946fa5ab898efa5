"""The board pack for the real Saarland plan (planner output for the bundled sample inventory)."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from plan.io import read_plan
from reports.messages import Translator

pytestmark = pytest.mark.slow


def test_saarland_report_writes_all_formats(saarland_report):
    assert sorted(saarland_report) == ["csv", "html", "pdf", "xlsx"]
    assert all(p.exists() for p in saarland_report.values())
    assert saarland_report["html"].stat().st_size < 20_000_000


def test_saarland_pdf_has_headline_figures_and_one_page_per_organisation(saarland_report, saarland_plan,
                                                                          pdftotext):
    plan = read_plan(saarland_plan)
    pdf = saarland_report["pdf"]
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    t = Translator("de")
    for amount in (plan.costs.tco_status_quo, plan.costs.tco_plan, plan.costs.one_off, plan.costs.npv_savings):
        assert t.money(amount) in text
    assert len(plan.organisations) + 10 <= pages <= 4 * len(plan.organisations) + 40
    assert all(o.name in text for o in plan.organisations)
    assert "Szenarienvergleich" in text and f"Seite {pages} / {pages}" in text


def test_saarland_xlsx_systems_sheet_has_every_assignment(saarland_report, saarland_plan):
    plan = read_plan(saarland_plan)
    wb = load_workbook(saarland_report["xlsx"], read_only=True)
    ws = wb["Systeme"]
    ids = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(a.system for a in plan.assignments)
    figs = {row[0]: row[2] for row in wb["Kennzahlen"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(figs["tco_plan"])) == plan.costs.tco_plan


@pytest.mark.integration
def test_saarland_html_in_chromium_shows_the_plans_figures(saarland_report, saarland_plan, browser, artifacts):
    plan = read_plan(saarland_plan)
    html = saarland_report["html"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri(), wait_until="load")
    page.screenshot(path=str(artifacts / "report-saarland.png"), full_page=False)
    assert requests == [html.as_uri()] and errors == []
    shown = page.eval_on_selector_all("#tbl-figures [data-figure]",
                                      "els => Object.fromEntries(els.map(e => [e.dataset.figure, e.dataset.value]))")
    assert int(shown["orgs_total"]) == len(plan.organisations)
    assert int(shown["systems_in_scope"]) == sum(a.decision != "out_of_scope" for a in plan.assignments)
    assert Decimal(shown["tco_status_quo"]) == plan.costs.tco_status_quo
    assert Decimal(shown["tco_plan"]) == plan.costs.tco_plan
    assert Decimal(shown["one_off"]) == plan.costs.one_off
    assert page.is_visible("#sec-compare") and page.is_visible("#synthetic-banner") == plan.meta.synthetic
    assert page.eval_on_selector_all(".org-page", "els => els.length") == len(plan.organisations)
    page.select_option("select[name=kreis]", plan.organisations[0].district or "-")
    visible = page.eval_on_selector_all("#tbl-orgs tbody tr", "els => els.filter(e => e.offsetParent).length")
    assert visible == sum(o.district == plan.organisations[0].district for o in plan.organisations)
    page.close()
