"""The rendered Beschlussvorlage read back: DOM in headless Chromium, pdftotext, openpyxl.

Every figure shown must equal the plan's; cash + risk = total wherever a total is shown; no
headline holds risk cost; the German report holds no English; no table cell overflows and no
two words on one PDF line overlap. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import collections
import itertools
import re
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from report_plans import HOSTILE_SCRIPT, small_plan

from landkarte.cli import main
from plan.io import read_plan, write_plan
from plan.models import Plan
from reports.messages import Translator

DE = Translator("de")

#: English words and phrases that must not appear in the German report (word-bounded, case-sensitive).
ENGLISH = (
    "not Kommunen", "formerly", "released", "Funding", "funding", "Solver", "solver", "Lagrangian", "max-flow",
    "HiGHS", "CP-SAT", "OR-Tools", "strong LP", "live.", "abschluss.", "migriert.", "Landkreis Saarpfalz-Kreis",
    "Freigegebene Fördermittel", "Run legacy", "Double running", "double_running", "surcharge", "Surcharge", "incl.",
    "aka", "ft.", "end of", "Successor", "Predecessor", "Src:", "Workplace", "collaboration", "Summary", "Scenario",
    "Total", "Migrated", "proven optimal", "Waves", "Key figures", "Appendix", "Provenance", "Generated", "Page",
    "the", "with", "and", "of", "before", "after", "per", "risk", "cash", "payer", "OPTIMAL", "FEASIBLE",
)


class _Text(HTMLParser):
    """The visible text of an HTML document (no script, style or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return " ".join(p.parts)


def pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def english_in(text: str) -> list[str]:
    text = text.replace("\u200b", "").replace("\xad\n", "")
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w])", text)]


def overlapping_words(pdf: Path) -> list[tuple[int, str, str, float]]:
    """Pairs of words on one line (same top and bottom) whose boxes overlap by more than half a point.

    Diagonal text (the heat map's rotated column heads) is left out (``-nodiag``): pdftotext cuts it
    into fragments with upright boxes that overlap their parallel neighbours although the glyphs do not.
    """
    out = pdf_text(pdf, "-bbox", "-nodiag")
    bad = []
    for page, body in enumerate(out.split("<page ")[1:], start=1):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body)]
        lines: dict[tuple[float, float], list] = collections.defaultdict(list)
        for w in words:
            lines[(round(w[1], 1), round(w[3], 1))].append(w)
        for ws in lines.values():
            ws.sort()
            for a, b in itertools.pairwise(ws):
                if b[0] < a[2] - 0.5:
                    bad.append((page, a[4], b[4], round(a[2] - b[0], 1)))
    return bad


def _report(plan_file: Path, out: Path, *extra: str) -> dict[str, Path]:
    assert main(["report", str(plan_file), "--out", str(out), "--format", "html,pdf,xlsx", *extra]) == 0
    return {p.suffix[1:]: p for p in out.iterdir() if p.is_file()}


@pytest.fixture
def small_report(tmp_path, plan_file, variant_plan_file) -> dict[str, Path]:
    return _report(plan_file, tmp_path / "out", "--compare", str(variant_plan_file), "--as-of", "2026-10-01",
                   "--sitzung", "12. Sitzung", "--top", "TOP 4")


# --------------------------------------------------------------------------- PDF and XLSX


def test_pdf_starts_with_the_vorlage_and_shows_the_plans_figures_rounded(small_report, pdftotext):
    plan = small_plan()
    text = pdf_text(small_report["pdf"], "-layout")
    first = text.split("\f")[0]
    assert "Beschlussvorlage" in first and "12. Sitzung" in first and "TOP 4" in first
    assert "Gegenstand" in first and "Sachverhalt" in first
    c = plan.costs
    for amount in (c.tco_status_quo, c.tco_plan, c.npv_savings, c.one_off, c.risk_plan, c.risk_status_quo):
        assert DE.money_round(amount) in text
    assert "Das IT-Planungsgremium Saar beschließt:" in text
    assert "Achtung: 2 Migrationen sind für Quartale geplant" in text


def test_pdf_annex_cash_plus_risk_is_the_total(small_report, pdftotext):
    c = small_plan().costs
    text = pdf_text(small_report["pdf"], "-layout")
    for cash, risk in ((c.tco_status_quo, c.risk_status_quo), (c.tco_plan, c.risk_plan)):
        assert re.search(rf"Summe zahlungswirksam\s.*{re.escape(DE.money(cash))}", text)
        assert re.search(rf"Gesamt \(zahlungswirksam \+ kalkulatorisch\)\s.*{re.escape(DE.money(cash + risk))}", text)


def test_pdf_headline_tiles_hold_no_risk(small_report, pdftotext):
    c = small_plan().costs
    text = pdf_text(small_report["pdf"])
    summary = text[text.index("Zusammenfassung\n\n"):]
    tiles = summary[: summary.index("Kalkulatorische Risikokosten")]
    assert DE.money_round(c.tco_status_quo) in tiles
    assert DE.money_round(c.tco_status_quo + c.risk_status_quo) not in tiles


def test_pdf_words_never_overlap(small_report, pdftotext):
    assert overlapping_words(small_report["pdf"]) == []


def test_xlsx_first_sheet_is_the_vorlage_with_full_precision(small_report):
    plan = small_plan()
    wb = load_workbook(small_report["xlsx"], read_only=True)
    assert wb.sheetnames[0] == "Beschlussvorlage"
    rows = [(tuple(r) + (None, None, None))[:3] for r in wb["Beschlussvorlage"].iter_rows(min_row=2, values_only=True)]
    values = {content: value for _section, content, value in rows if value is not None}
    name = plan.meta.scenario_name
    assert Decimal(str(values[f"{name}: Kapitalwert der Einsparung"])) == plan.costs.npv_savings
    assert Decimal(str(values[f"{name}: TCO 10 Jahre Plan (zahlungswirksam)"])) == plan.costs.tco_plan
    risk = values[f"{name}: Kalkulatorische Risikokosten Plan (nicht zahlungswirksam)"]
    assert Decimal(str(risk)) == plan.costs.risk_plan
    assert ("Beschlussvorschlag", "Das IT-Planungsgremium Saar beschließt:", None) in rows
    finance = list(wb["Finanzen je Jahr"].iter_rows(min_row=2, values_only=True))
    total = finance[-1]
    assert total[0] == "Summe" and Decimal(str(total[6])) == plan.costs.tco_plan
    assert Decimal(str(total[1] + total[2] + total[3])) == plan.costs.tco_plan
    costs = list(wb["Kosten"].iter_rows(min_row=2, values_only=True))
    assert {(r[3], r[4]) for r in costs if r[4] == "kalkulatorisch"} == {
        ("Kalkulatorischer Risikozuschlag nach Supportende", "kalkulatorisch")}


# --------------------------------------------------------------------------- Chromium


@pytest.mark.integration
def test_vorlage_in_chromium_every_figure_equals_the_plan(browser, small_report, artifacts):
    plan, other = small_plan(), small_plan(variant=1)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(small_report["html"].as_uri(), wait_until="load")
    page.locator("#sec-vorlage").screenshot(path=str(artifacts / "vorlage-small.png"))
    options = page.eval_on_selector_all(
        "#vl-options tbody tr", "rows => rows.map(r => [r.dataset.option, Object.fromEntries("
        "[...r.querySelectorAll('[data-figure]')].map(c => [c.dataset.figure, [c.dataset.value, c.innerText]]))])")
    shown = dict(options)
    for p in (plan, other):
        row = shown[p.meta.scenario_id]
        c = p.costs
        for key, value in (("tco_plan", c.tco_plan), ("npv_savings", c.npv_savings), ("one_off", c.one_off),
                           ("risk_plan", c.risk_plan), ("tco_savings", c.tco_status_quo - c.tco_plan)):
            assert Decimal(row[key][0]) == value, key
            assert row[key][1] == DE.money_round(value), key
    assert page.get_attribute("#vl-reasons", "data-recommended") == (
        max((plan, other), key=lambda p: p.costs.npv_savings).meta.scenario_id)
    finance = page.eval_on_selector_all(
        "#vl-finance tbody tr", "rows => rows.map(r => [r.dataset.year, Object.fromEntries("
        "[...r.querySelectorAll('[data-payer],[data-col]')].map(c => [c.dataset.payer || c.dataset.col, "
        "[c.dataset.value, c.innerText]]))])")
    cash = [line for line in plan.costs.lines if line.scenario == "plan" and line.kind == "cash"]
    for year, cells in finance:
        lines = cash if year == "total" else [line for line in cash if line.year == int(year)]
        for payer in ("land", "zweckverband", "kommune"):
            want = sum((line.amount for line in lines if line.payer == payer), Decimal(0))
            assert Decimal(cells[payer][0]) == want and cells[payer][1] == DE.thousands(want)
        assert Decimal(cells["total"][0]) == sum((line.amount for line in lines), Decimal(0))
    assert Decimal(dict(finance)["total"]["total"][0]) == plan.costs.tco_plan
    # no headline tile holds risk; the risk tiles stand beside
    assert page.eval_on_selector_all("#headline [data-basis=risk]", "els => els.length") == 0
    assert page.eval_on_selector_all("#beside-headline [data-basis=risk]", "els => els.length") == 2
    # the annex: cash + risk = total, for both scenarios
    for scen in ("status_quo", "plan"):
        v = {k: Decimal(page.get_attribute(f'#tbl-cost-detail tr[data-scenario={scen}][data-total={k}] td.num',
                                           "data-value")) for k in ("cash", "risk", "all")}
        assert v["cash"] + v["risk"] == v["all"]
    assert page.is_visible("#vl-overdue")
    page.close()


def _layout_problems(page, selector: str) -> dict[str, list]:
    """Cells whose content overflows their box, and cells of one row whose boxes overlap."""
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    return page.evaluate("""sel => {
      const overflow = [], overlap = [];
      for (const table of document.querySelectorAll(sel)) {
        for (const row of table.rows) {
          const cells = [...row.cells];
          for (const c of cells) {
            if (c.scrollWidth > c.clientWidth + 1) overflow.push(c.innerText.slice(0, 60));
          }
          for (let i = 1; i < cells.length; i++) {
            const a = cells[i - 1].getBoundingClientRect(), b = cells[i].getBoundingClientRect();
            if (b.left < a.right - 1 && b.top < a.bottom - 1 && a.top < b.bottom - 1)
              overlap.push([cells[i - 1].innerText.slice(0, 30), cells[i].innerText.slice(0, 30)]);
          }
        }
      }
      // a table wider than the page: it would scroll sideways inside its wrapper
      for (const wrap of document.querySelectorAll('#sec-vorlage .wrap'))
        if (wrap.scrollWidth > wrap.clientWidth + 1) overflow.push('table wider than the page: ' + wrap.innerText.slice(0, 40));
      return {overflow, overlap};
    }""", selector)


@pytest.mark.integration
def test_chromium_layout_no_overflowing_cell_and_no_overlap(browser, small_report, artifacts):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(small_report["html"].as_uri(), wait_until="load")
    problems = _layout_problems(page, "#sec-vorlage table, #sec-appendix table, #sec-register table, "
                                      "#sec-assumptions table, #sec-finance table")
    page.screenshot(path=str(artifacts / "vorlage-small-full.png"), full_page=True)
    assert problems == {"overflow": [], "overlap": []}
    page.close()


@pytest.mark.integration
def test_hostile_strings_in_the_vorlage_stay_text_and_german(browser, tmp_path, hostile_plan_file, artifacts):
    files = _report(hostile_plan_file, tmp_path / "out", "--as-of", "2026-01-01")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(files["html"].as_uri(), wait_until="load")
    assert dialogs == []
    assert HOSTILE_SCRIPT in page.inner_text("#sec-vorlage") or HOSTILE_SCRIPT in page.inner_text("body")
    page.close()
    assert english_in(html_text(files["html"])) == []
    assert english_in(pdf_text(files["pdf"])) == []


# --------------------------------------------------------------------------- the Saarland demo

@pytest.mark.slow
def test_saarland_german_report_has_no_english(saarland_report, pdftotext):
    assert english_in(html_text(saarland_report["html"])) == []
    assert english_in(pdf_text(saarland_report["pdf"], "-layout", "-nodiag")) == []  # rotated labels: in the HTML


@pytest.mark.slow
def test_saarland_pdf_words_never_overlap_and_toc_is_one_page(saarland_report, pdftotext):
    assert overlapping_words(saarland_report["pdf"]) == []
    pages = pdf_text(saarland_report["pdf"]).split("\f")
    toc = [i for i, p in enumerate(pages) if "\nInhalt\n" in f"\n{p}"]
    assert len(toc) == 1
    assert "Herkunft der Zahlen" in pages[toc[0]] and "Beschlussvorlage" in pages[0]


@pytest.mark.slow
def test_saarland_vorlage_money_is_cash_and_options_warn_about_scope(saarland_report, saarland_plan,
                                                                      saarland_austritt_plan, pdftotext):
    plan, other = read_plan(saarland_plan), read_plan(saarland_austritt_plan)
    text = pdf_text(saarland_report["pdf"], "-layout")
    vorlage = text[: text.index("Inhalt")]
    c = plan.costs
    assert DE.money_round(c.tco_status_quo) in vorlage and DE.money_round(c.tco_plan) in vorlage
    assert DE.money_round(c.tco_status_quo + c.risk_status_quo) not in vorlage
    assert "Die Optionen umfassen verschiedene Organisationen" in " ".join(vorlage.split())
    assert DE.money_round(other.costs.npv_savings) in vorlage
    assert "Saarpfalz-Kreis" in text and "Landkreis Saarpfalz-Kreis" not in text


@pytest.mark.slow
@pytest.mark.integration
def test_saarland_vorlage_in_chromium_and_layout(saarland_report, saarland_plan, browser, artifacts):
    plan = read_plan(saarland_plan)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(saarland_report["html"].as_uri(), wait_until="load")
    page.locator("#sec-vorlage").screenshot(path=str(artifacts / "vorlage-saarland.png"))
    total = page.get_attribute('#vl-finance tr[data-year=total] td[data-col=total]', "data-value")
    assert Decimal(total) == plan.costs.tco_plan
    assert Decimal(page.get_attribute(f'#vl-options tr[data-option="{plan.meta.scenario_id}"] '
                                      '[data-figure=npv_savings]', "data-value")) == plan.costs.npv_savings
    problems = _layout_problems(page, "#sec-vorlage table, #sec-appendix table, #sec-register table")
    assert problems == {"overflow": [], "overlap": []}
    page.close()


def test_old_plan_file_gets_a_clear_error(tmp_path, capsys):
    data = small_plan().model_dump(mode="json")
    data["meta"]["schema_version"] = "1"
    path = tmp_path / "old.json"
    import json

    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["report", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "plan schema version '1'" in err and "landkarte plan" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_plan_with_risk_lines_round_trips(tmp_path):
    path = tmp_path / "p.json"
    write_plan(small_plan(), path)
    assert isinstance(read_plan(path), Plan)
