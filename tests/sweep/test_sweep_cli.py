"""``landkarte plan sweep`` and the chapter "Bandbreiten" of ``landkarte report --sweep``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from sweep_cases import small_landscape, small_scenario

from consolidation.planner import plan
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from inventory.write.folder import write_folder
from landkarte.cli import main
from plan.io import write_plan
from sweep import read_sweep


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("sweep-cli")
    inv = write_folder(small_landscape(), root / "inv")
    scen = root / "s.yaml"
    data = small_scenario().model_dump(mode="json")
    data["costs"]["discount_rate"] = float(data["costs"]["discount_rate"])  # JSON mode writes the Decimal as text
    data["sweep"] = {"ranges": {"day_rate_fremd": [-0.1, 0.3]}}
    scen.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return inv, scen


@pytest.fixture(scope="module")
def swept(inputs, tmp_path_factory) -> Path:
    inv, scen = inputs
    out = tmp_path_factory.mktemp("sweep-out")
    assert main(["plan", "sweep", str(inv), "--scenario", str(scen), "--samples", "4", "--sensitivity",
                 "--workers", "1", "--out", str(out)]) == 0
    return out / "sweep.json"


def test_sweep_writes_the_result_with_the_scenario_ranges(swept):
    r = read_sweep(swept)
    fremd = next(a for a in r.sensitivity if a.id == "day_rate_fremd")
    assert (fremd.low, fremd.high, fremd.method) == (-0.1, 0.3, "recost")
    assert r.uncertainty.samples == 4 and len(r.uncertainty.values) == 4
    assert set(r.recosted) | set(r.replanned) == {a.id for a in r.sensitivity}


@pytest.mark.parametrize(("lang", "said", "not_said"), [
    ("de", ("Zahlungsersparnis (Kapitalwert)", "größte Ausschläge: ", "neu berechnet (nur Preise): ",
            "2 Stichproben: Zahlungsersparnis P10/P50/P90 ", "Empfehlungsregel"), "cash saving"),
    ("en", ("cash saving (NPV)", "largest swings: ", "re-costed (prices only): ", "2 samples: cash saving P10/P50/P90 ",
            "Recommendation rule"), "Zahlungsersparnis"),
])
def test_the_summary_speaks_the_language_of_lang(inputs, tmp_path, capsys, lang, said, not_said):
    inv, scen = inputs
    assert main(["plan", "sweep", str(inv), "--scenario", str(scen), "--samples", "2", "--sensitivity",
                 "--workers", "1", "--out", str(tmp_path), "--lang", lang]) == 0
    shown = capsys.readouterr()
    assert all(s in shown.out for s in said), shown.out
    assert not_said not in shown.out
    assert ("Pläne im lokalen Prozesspool, 1 Worker" if lang == "de" else "plans on the local process pool, 1 worker(s)"
            ) in shown.err


def test_unknown_assumption_in_the_ranges_names_file_and_key(inputs, tmp_path, capsys):
    inv, scen = inputs
    bad = tmp_path / "bad.yaml"
    data = yaml.safe_load(scen.read_text(encoding="utf-8"))
    data["sweep"] = {"ranges": {"tagessatz": [-0.1, 0.1]}}
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["plan", "sweep", str(inv), "--scenario", str(bad), "--samples", "2", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: sweep.ranges.tagessatz: unknown assumption" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_a_range_outside_its_bounds_is_a_scenario_error(inputs, tmp_path, capsys):
    inv, scen = inputs
    bad = tmp_path / "bad.yaml"
    data = yaml.safe_load(scen.read_text(encoding="utf-8"))
    data["sweep"] = {"ranges": {"day_rate_fremd": [0.2, 0.1]}}
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["plan", "sweep", str(inv), "--scenario", str(bad), "--samples", "2", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "sweep" in err and "-1 < low <= 0 <= high" in err


def test_nothing_to_do_is_a_usage_error(inputs, tmp_path):
    inv, scen = inputs
    assert main(["plan", "sweep", str(inv), "--scenario", str(scen), "--out", str(tmp_path)]) == 2


def test_report_shows_tornado_ranges_and_the_recommendation_sentence(inputs, swept, tmp_path):
    inv, scen = inputs
    plan_path = tmp_path / "plan.json"
    write_plan(plan(load_landscape(inv), load_scenario(scen)), plan_path)
    assert main(["report", str(plan_path), "--inventory", str(inv), "--sweep", str(swept), "--out",
                 str(tmp_path / "rep"), "--format", "html,pdf"]) == 0
    html = next((tmp_path / "rep").glob("*.html")).read_text(encoding="utf-8")
    section = html[html.index('id="sec-sweep"'):]
    section = section[:section.index("</section>")]
    r = read_sweep(swept)
    assert 'id="chart-tornado"' in section
    # one bar pair per assumption, every assumption in the ranges table, largest swing first
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', section[section.index("tbl-sweep-ranges"):
                                                                   section.index("tbl-sweep-percentiles")])
    assert rows == [a.label_de + ("" if a.cash else " (kalkulatorisch)") for a in r.sensitivity]
    assert "Verglichen wurde nur eine Option" in section
    assert "P10" in section and "Wellen: Wahrscheinlichkeit" in section
    if shutil.which("pdftotext"):
        pdf = next((tmp_path / "rep").glob("*.pdf"))
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Bandbreiten: Wie sicher ist der Plan?" in text
        assert "Kennzahlen als P10 / P50 / P90" in text


def test_report_with_a_broken_sweep_file_is_an_input_error(inputs, swept, tmp_path, capsys):
    bad = tmp_path / "sweep.json"
    data = json.loads(swept.read_text(encoding="utf-8"))
    data["meta"]["samples"] = "viele"
    bad.write_text(json.dumps(data), encoding="utf-8")
    plan_path = tmp_path / "plan.json"
    write_plan(plan(small_landscape(), small_scenario()), plan_path)
    assert main(["report", str(plan_path), "--sweep", str(bad), "--out", str(tmp_path / "rep")]) == 1
    assert f"sweep {bad}: not a valid sweep result:\n  meta.samples:" in capsys.readouterr().err
    assert not (tmp_path / "rep").exists()
