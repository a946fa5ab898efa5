"""`landkarte report`: files written, exit codes, clear errors for bad plans, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

from landkarte.cli import main


def test_report_writes_every_requested_format(plan_file: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    code = main(["report", str(plan_file), "--out", str(out), "--format", "html,xlsx,csv", "--json"])
    written = json.loads(capsys.readouterr().out)
    assert code == 0
    assert written == {"html": str(out / "landkarte-landesweit.html"), "xlsx": str(out / "landkarte-landesweit.xlsx"),
                       "csv": str(out / "landkarte-landesweit-csv")}
    assert sorted(p.name for p in out.iterdir()) == ["landkarte-landesweit-csv", "landkarte-landesweit.html",
                                                      "landkarte-landesweit.manifest.json", "landkarte-landesweit.xlsx"]
    assert (out / "landkarte-landesweit-csv" / "figures.csv").stat().st_size > 0


def test_report_english_with_compare_and_previous(plan_file, variant_plan_file, tmp_path):
    out = tmp_path / "out"
    code = main(["report", str(plan_file), "--out", str(out), "--format", "html", "--lang", "en",
                 "--compare", str(variant_plan_file), "--previous", str(variant_plan_file)])
    html = (out / "landkarte-landesweit-en.html").read_text()
    assert code == 0 and 'lang="en"' in html and "Scenario comparison" in html and "Changes since the last" in html


def test_report_bad_plan_key_exits_1_naming_file_and_key(plan_file, tmp_path, capsys):
    data = json.loads(plan_file.read_text())
    data["assignments"][2]["decision"] = "vielleicht"
    del data["costs"]["tco_plan"]
    plan_file.write_text(json.dumps(data))
    out = tmp_path / "out"
    code = main(["report", str(plan_file), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert str(plan_file) in err and "assignments.2.decision" in err and "costs.tco_plan" in err
    assert "Traceback" not in err and not out.exists()


def test_report_plan_not_json_exits_1_with_line_and_column(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text('{"meta": {\n  "x": ,\n}')
    code = main(["report", str(bad), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and str(bad) in err and "line 2 column" in err


def test_report_missing_comparison_plan_exits_1(plan_file, tmp_path, capsys):
    code = main(["report", str(plan_file), "--out", str(tmp_path / "o"), "--compare", str(tmp_path / "nope.json")])
    err = capsys.readouterr().err
    assert code == 1 and "comparison plan" in err and "nope.json" in err


def test_report_unknown_format_is_a_usage_error(plan_file, tmp_path):
    assert main(["report", str(plan_file), "--out", str(tmp_path / "o"), "--format", "html,docx"]) == 2


def test_report_unknown_language_is_a_usage_error(plan_file, tmp_path):
    assert main(["report", str(plan_file), "--out", str(tmp_path / "o"), "--lang", "fr"]) == 2


def test_report_failure_leaves_previous_files_untouched(plan_file, tmp_path):
    out = tmp_path / "out"
    assert main(["report", str(plan_file), "--out", str(out), "--format", "html"]) == 0
    before = (out / "landkarte-landesweit.html").read_bytes()
    plan_file.write_text("{}")
    assert main(["report", str(plan_file), "--out", str(out), "--format", "html"]) == 1
    assert (out / "landkarte-landesweit.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["landkarte-landesweit.html",
                                                      "landkarte-landesweit.manifest.json"]  # no temp files left


def test_report_compare_takes_several_plans_as_options(plan_file, variant_plan_file, tmp_path):
    out = tmp_path / "out"
    code = main(["report", str(plan_file), "--out", str(out), "--format", "html", "--compare", str(variant_plan_file),
                 "--compare", str(variant_plan_file), "--sitzung", "12. Sitzung", "--rule", "one_off"])
    html = (out / "landkarte-landesweit.html").read_text()
    assert code == 0
    assert html.count('<tr data-option="kreisweise"') == 2 and '<tr data-option="landesweit"' in html
    assert "12. Sitzung" in html and "den geringsten Einmalkosten" in html


def test_report_unknown_rule_and_bad_as_of_are_usage_errors(plan_file, tmp_path):
    assert main(["report", str(plan_file), "--out", str(tmp_path / "o"), "--rule", "cheapest"]) == 2
    assert main(["report", str(plan_file), "--out", str(tmp_path / "o"), "--as-of", "2026-13-01"]) == 2
    assert not (tmp_path / "o").exists()


def test_report_as_of_flags_overdue_migrations(plan_file, tmp_path):
    out = tmp_path / "out"
    assert main(["report", str(plan_file), "--out", str(out), "--format", "html", "--as-of", "2026-10-01"]) == 0
    html = (out / "landkarte-landesweit.html").read_text()
    assert 'id="vl-overdue"' in html and "Achtung: 2 Migrationen" in html and 'id="tbl-overdue"' in html
    assert main(["report", str(plan_file), "--out", str(out), "--format", "html", "--as-of", "2026-01-01"]) == 0
    assert 'id="vl-overdue"' not in (out / "landkarte-landesweit.html").read_text()


def test_report_notes_speak_the_language_of_lang(plan_file, tmp_path, capsys):
    # the plan names an inventory that is not there: the report goes on and says so, in the reader's language
    assert main(["report", str(plan_file), "--out", str(tmp_path / "de"), "--format", "html"]) == 0
    err = capsys.readouterr().err
    assert "Hinweis: das im Plan genannte Inventar" in err and "mit --inventory VERZEICHNIS angeben" in err
    assert main(["report", str(plan_file), "--out", str(tmp_path / "en"), "--format", "html", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "warning: inventory" in err and "named in the plan not found" in err
