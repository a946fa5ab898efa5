"""The HTML report in real headless Chromium (Debian's /usr/bin/chromium via Playwright)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from report_plans import small_plan

from landkarte.cli import main

pytestmark = pytest.mark.integration


def _open(browser, html: Path, name: str, artifacts: Path):
    """Load the file; return (page, requests, console errors, dialogs) after a full-page screenshot."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(html.as_uri(), wait_until="load")
    page.wait_for_timeout(100)
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    return page, requests, errors, dialogs


def _render(plan_file: Path, out: Path, *extra: str) -> Path:
    assert main(["report", str(plan_file), "--out", str(out), "--format", "html", *extra]) == 0
    return next(out.glob("*.html"))


def test_chromium_loads_report_offline_without_errors_and_shows_plan_figures(browser, plan_file, tmp_path,
                                                                              artifacts):
    html = _render(plan_file, tmp_path / "out")
    page, requests, errors, dialogs = _open(browser, html, "report-small", artifacts)
    assert requests == [html.as_uri()]
    assert errors == [] and dialogs == []
    shown = page.eval_on_selector_all("#tbl-figures [data-figure]",
                                      "els => Object.fromEntries(els.map(e => [e.dataset.figure, e.dataset.value]))")
    plan = small_plan()
    assert int(shown["orgs_in_scope"]) == sum(o.participates for o in plan.organisations)
    assert int(shown["systems_in_scope"]) == sum(a.decision != "out_of_scope" for a in plan.assignments)
    assert Decimal(shown["tco_status_quo"]) == plan.costs.tco_status_quo
    assert Decimal(shown["tco_plan"]) == plan.costs.tco_plan
    assert Decimal(shown["npv_savings"]) == plan.costs.npv_savings
    assert Decimal(shown["one_off"]) == plan.costs.one_off
    assert page.text_content('#headline [data-figure="tco_plan"]') == "139 T€"  # rounded in the summary
    assert page.get_attribute("html", "lang") == "de"
    assert page.is_visible("#synthetic-banner")
    assert page.inner_text('[data-provenance="inventory_hash"]') == plan.meta.inventory_hash
    page.close()


def test_chromium_filter_by_kreis_org_and_domain_hides_rows(browser, plan_file, tmp_path, artifacts):
    html = _render(plan_file, tmp_path / "out")
    page, _requests, errors, _d = _open(browser, html, "report-filter", artifacts)

    def visible(selector: str) -> int:
        return page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null).length")

    assert visible("#tbl-orgs tbody tr") == 3
    page.select_option("select[name=kreis]", "10042")
    assert visible("#tbl-orgs tbody tr") == 2
    assert visible("#tbl-systems tbody tr") == 4
    page.select_option("select[name=org]", "berg")
    assert visible("#tbl-systems tbody tr") == 2
    page.select_option("select[name=domain]", "mail")
    assert visible("#tbl-systems tbody tr") == 1
    assert page.is_hidden("#org-aue") and page.is_visible("#org-berg")
    page.screenshot(path=str(artifacts / "report-filtered.png"), full_page=False)
    page.click("button[type=reset]")
    page.wait_for_timeout(50)
    assert visible("#tbl-systems tbody tr") == 6
    n = page.eval_on_selector_all("main tr[data-kreis], main tr[data-org], main tr[data-domain]", "els => els.length")
    assert page.inner_text("#lk-filter-status") == f"{n} von {n} Zeilen sichtbar" and errors == []
    page.close()


def test_chromium_hostile_strings_stay_text(browser, hostile_plan_file, tmp_path, artifacts):
    html = _render(hostile_plan_file, tmp_path / "out")
    page, requests, errors, dialogs = _open(browser, html, "report-hostile", artifacts)
    assert dialogs == [] and errors == [] and requests == [html.as_uri()]
    assert page.eval_on_selector_all("img", "els => els.length") == 0
    assert page.eval_on_selector_all("script", "els => els.length") == 1
    assert "<script>alert('x')</script>" in page.text_content("#tbl-orgs")
    page.close()


def test_chromium_print_layout_hides_filter_and_renders_pdf(browser, plan_file, tmp_path):
    html = _render(plan_file, tmp_path / "out")
    page = browser.new_page()
    page.goto(html.as_uri())
    page.emulate_media(media="print")
    assert page.is_hidden("#lk-filter")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()
