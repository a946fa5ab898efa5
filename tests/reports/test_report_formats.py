"""The static formats: HTML structure and escaping, XLSX types and neutralisation, CSV, PDF text."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from report_plans import HOSTILE_FORMULA, HOSTILE_IMG, HOSTILE_SCRIPT, small_plan

from reports import render_report
from reports.load import ReportInputs

STAMP = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _render(plan, formats, lang="de", **kw):
    inputs = ReportInputs(plan=plan, plan_path=Path("plan.json"), **kw)
    return render_report(inputs, formats=formats, lang=lang, generated_at=STAMP)[1]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


def test_html_hostile_strings_are_escaped():
    html = _render(small_plan(hostile=True), ["html"])["html"].decode()
    assert HOSTILE_SCRIPT not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    tags = _parse(html).tags
    assert [t for t, _ in tags if t == "script"] == ["script"]  # only the one inline filter script
    assert not any(k.startswith("on") for _t, attrs in tags for k in attrs)


def test_html_references_nothing_external_and_has_a_strict_csp():
    html = _render(small_plan(), ["html"])["html"].decode()
    tags = _parse(html).tags
    urls = [v for _t, attrs in tags for k, v in attrs.items() if k in ("src", "href") and v and not v.startswith("#")]
    assert urls == []
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1 and csp[0].startswith("default-src 'none'") and "sha256-" in csp[0]


def test_html_is_accessible_lang_captions_scopes_svg_titles():
    html = _render(small_plan(), ["html"], lang="en")["html"].decode()
    p = _parse(html)
    assert ("html", {"lang": "en"}) in p.tags
    assert html.count("<table") == html.count("<caption>")
    ths = [a for t, a in p.tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    svgs = [a for t, a in p.tags if t == "svg"]
    assert len(svgs) == 6 and all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert html.count("<svg") == html.count("<title id=\"chart-")


def test_html_shows_synthetic_banner_only_for_synthetic_plans():
    assert b'id="synthetic-banner"' in _render(small_plan(synthetic=True), ["html"])["html"]
    assert b'id="synthetic-banner"' not in _render(small_plan(synthetic=False), ["html"])["html"]


def test_html_german_figures_are_formatted_german():
    html = _render(small_plan(), ["html"])["html"].decode()
    assert 'data-figure="tco_status_quo" data-value="200000.00"' in html
    assert ">200.000,00 €<" in html and ">139.000,00 €<" in html


def test_html_english_uses_english_strings_and_numbers():
    html = _render(small_plan(), ["html"], lang="en")["html"].decode()
    assert "Summary" in html and "Zusammenfassung" not in html and ">€200,000.00<" in html


def test_html_compare_and_previous_sections_list_moved_systems():
    html = _render(small_plan(), ["html"], compare=small_plan(variant=1), previous=small_plan(variant=1))["html"]
    text = html.decode()
    assert 'id="sec-compare"' in text and 'id="sec-previous"' in text
    assert text.count("2027-Q1") >= 2  # berg-mail's new wave in both sections


def test_xlsx_has_frozen_filtered_typed_sheets():
    wb = load_workbook(io.BytesIO(_render(small_plan(), ["xlsx"])["xlsx"]))
    assert {"Kennzahlen", "Systeme", "Organisationen", "Wellen", "Kosten", "Herkunft"} <= set(wb.sheetnames)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
    orgs = wb["Organisationen"]
    header = [c.value for c in orgs[1]]
    row = {h: c for h, c in zip(header, orgs[2], strict=True)}
    assert row["Einmalkosten"].value == 19000 and row["Einmalkosten"].number_format == '#,##0.00 "€"'
    assert row["Systeme"].data_type == "n"
    figs = {r[0].value: r[2] for r in wb["Kennzahlen"].iter_rows(min_row=2)}
    assert figs["tco_plan"].value == 139000 and figs["consolidation_ratio"].number_format == "#,##0.00"


def test_xlsx_hostile_formula_is_neutralised_and_no_cell_is_a_formula():
    wb = load_workbook(io.BytesIO(_render(small_plan(hostile=True), ["xlsx"])["xlsx"]))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + HOSTILE_FORMULA in texts and HOSTILE_FORMULA not in texts
    assert HOSTILE_SCRIPT in texts  # plain text in a spreadsheet, not HTML: kept verbatim


def test_csv_hostile_formula_is_neutralised_and_every_field_quoted():
    files = _render(small_plan(hostile=True), ["csv"])["csv"]
    text = files["exceptions.csv"].decode("utf-8-sig")
    assert f'"\'{HOSTILE_FORMULA.replace(chr(34), chr(34) * 2)}"' in text
    assert all(line.startswith('"') for line in text.splitlines())
    assert not any(line.split(";")[i].strip('"').startswith(("=", "+", "@"))
                   for f in files.values() for line in f.decode("utf-8-sig").splitlines()
                   for i in range(len(line.split(";"))))


def test_render_report_unknown_format_raises():
    with pytest.raises(ValueError, match="unknown format"):
        _render(small_plan(), ["docx"])


def _pdf_text(pdf: bytes, exe: str, tmp_path: Path) -> tuple[str, int, str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages, info


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_pdf_text_contains_headline_figures_toc_and_page_numbers(engine, pdftotext, tmp_path):
    inputs = ReportInputs(plan=small_plan(), plan_path=Path("plan.json"))
    pdf = render_report(inputs, formats=["pdf"], generated_at=STAMP, pdf_engine=engine)[1]["pdf"]
    text, pages, info = _pdf_text(pdf, pdftotext, tmp_path)
    for figure in ("200 T€", "139 T€", "50 T€", "19 T€", "2,00"):  # rounded in the Vorlage and the summary
        assert figure in text
    for figure in ("200.000,00 €", "139.000,00 €", "19.000,00 €"):  # to the cent in the annex
        assert figure in text
    assert "Beschlussvorlage" in text and "Das IT-Planungsgremium Saar beschließt:" in text
    assert "Inhalt" in text and "Anhang je Organisation" in text and f"Seite {pages} / {pages}" in text
    assert "Synthetische Daten" in text and "cdcdcdcdcdcd" in text
    assert 8 <= pages <= 30
    assert "595.276 x 841.89 pts (A4)" in info


def test_pdf_english_uses_english_strings(pdftotext, tmp_path):
    text, pages, _ = _pdf_text(_render(small_plan(), ["pdf"], lang="en")["pdf"], pdftotext, tmp_path)
    assert "Contents" in text and f"Page {pages} / {pages}" in text and "€200,000.00" in text


def test_pdf_hostile_strings_are_plain_text(pdftotext, tmp_path):
    text, _pages, _ = _pdf_text(_render(small_plan(hostile=True), ["pdf"])["pdf"], pdftotext, tmp_path)
    assert "<script>alert('x')</script>" in text and HOSTILE_FORMULA.split("(")[0] in text


def test_pdf_appendix_per_kreis_has_fewer_pages_than_per_org(pdftotext, tmp_path):
    inputs = ReportInputs(plan=small_plan(), plan_path=Path("plan.json"))
    org = render_report(inputs, formats=["pdf"], appendix="org", generated_at=STAMP)[1]["pdf"]
    kreis = render_report(inputs, formats=["pdf"], appendix="kreis", generated_at=STAMP)[1]["pdf"]
    text_k, pages_k, _ = _pdf_text(kreis, pdftotext, tmp_path)
    _, pages_o, _ = _pdf_text(org, pdftotext, tmp_path)
    assert pages_k < pages_o and "Anhang je Kreis" in text_k and "Merzig-Wadern" in text_k


def _hostile_inventory():
    from reports.context import InventoryFacts, ServiceFact

    svc = ServiceFact(org="aue", name=HOSTILE_IMG, kind="efa", efa_provider=HOSTILE_FORMULA, feeds="aue-ewo",
                      themenfeld="-1+1")
    return InventoryFacts(source="hostile", system_names={"aue-ewo": HOSTILE_SCRIPT, "aue-mail": "@SUM(A1:A9)"},
                          product_names={"ewo-alt": HOSTILE_FORMULA}, confidence={"aue-ewo": "unknown"},
                          services=(svc,))


def test_hostile_inventory_strings_are_escaped_in_html_and_neutralised_in_xlsx_and_csv():
    out = _render(small_plan(), ["html", "xlsx", "csv"], inventory=_hostile_inventory())
    html = out["html"].decode()
    assert "<img" not in html and HOSTILE_SCRIPT not in html and "&lt;script&gt;" in html
    wb = load_workbook(io.BytesIO(out["xlsx"]))
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"'" + HOSTILE_FORMULA, "'@SUM(A1:A9)", "'-1+1"} <= texts
    assert not {HOSTILE_FORMULA, "@SUM(A1:A9)", "-1+1"} & texts
    csv_text = b"".join(out["csv"].values()).decode("utf-8-sig")
    assert '"\'@SUM(A1:A9)"' in csv_text and '"@SUM' not in csv_text


def test_html_aggregated_view_for_large_plans_shows_kreise_not_org_pages():
    from reports.context import build_context
    from reports.html import render_html
    from reports.messages import Translator

    html = render_html(build_context(small_plan(), detail_limit=2, generated_at=STAMP), Translator("de"))
    assert 'id="kreis-10042"' in html and 'id="org-aue"' not in html and 'id="tbl-systems"' not in html
    assert "Aggregierte Ansicht" in html


def test_control_and_markup_characters_in_names_render_in_every_format():
    plan = small_plan()
    odd = tuple(o.model_copy(update={"name": o.name + '\x01\x07 "#\\ [x] $y$ *z* <b>'}) for o in plan.organisations)
    out = _render(plan.model_copy(update={"organisations": odd}), ["html", "pdf", "xlsx", "csv"])
    assert out["pdf"].startswith(b"%PDF") and "&lt;b&gt;" in out["html"].decode()
    wb = load_workbook(io.BytesIO(out["xlsx"]))
    names = [r[1] for r in wb["Organisationen"].iter_rows(min_row=2, values_only=True)]
    assert 'Gemeinde Aue "#\\ [x] $y$ *z* <b>' in names


def test_infeasible_plan_renders_its_conflicts_in_every_format(pdftotext, tmp_path):
    from plan.models import Conflict

    plan = small_plan().model_copy(update={"feasible": False, "waves": (), "conflicts": (
        Conflict(constraints=("capacity:2026-Q2:eigen", "eol:aue-ewo"), explanation="Team zu klein für EWO vor EOL"),)})
    out = _render(plan, ["html", "pdf", "xlsx"])
    html = out["html"].decode()
    assert 'role="alert"' in html and "Team zu klein für EWO vor EOL" in html
    text, _pages, _ = _pdf_text(out["pdf"], pdftotext, tmp_path)
    assert "keinen zulässigen Plan" in text and "Team zu klein für EWO vor EOL" in text
    risks = [r for r in load_workbook(io.BytesIO(out["xlsx"]))["Risiken"].iter_rows(values_only=True)]
    assert any(r[3] == "Team zu klein für EWO vor EOL" for r in risks)
