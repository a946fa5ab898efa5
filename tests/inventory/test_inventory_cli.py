"""The inventory CLI: exit codes, JSON output, conversions, crash handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inventory_cases import DATA, SAMPLE

from inventory.load import load_landscape
from landkarte.cli import main
from landkarte.console import console

MINI = DATA / "valid" / "mini"


def test_help_lists_every_command_group(capsys: pytest.CaptureFixture) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for cmd in ("inventory", "plan", "report", "netbox", "deploy", "configure"):
        assert f"  {cmd} " in out


def test_validate_sample_exits_0(capsys: pytest.CaptureFixture) -> None:
    assert main(["inventory", "validate", str(SAMPLE)]) == 0
    assert "60 Organisationen" in capsys.readouterr().out


def test_validate_json_on_valid_inventory(capsys: pytest.CaptureFixture) -> None:
    assert main(["inventory", "validate", str(MINI), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"valid": True, "errors": [], "organisations": 2, "systems": 3}


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture) -> None:
    assert main(["inventory", "no-such-command"]) == 2
    assert main(["inventory", "stats", str(MINI), "--at", "gestern"]) == 2
    assert main(["inventory", "generate", "--orgs", "0", "--out", "x"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_stats_json_counts(capsys: pytest.CaptureFixture) -> None:
    assert main(["inventory", "stats", str(MINI), "--json", "--at", "2026-01-01"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["counts"]["systems"] == 3
    assert s["domains"]["einwohnermeldewesen"] == {
        "name": "Einwohnermeldewesen", "systems": 2, "distinct_products": 2, "organisations": 2, "inselloesungen": 2}
    assert s["inselloesungen"] == ["active-directory", "ok-ewo", "vois-meso"]


@pytest.mark.parametrize(("lang", "said"), [
    ("de", ("2 Organisationen · ", "Stand 01.01.2026: ", "Datenqualität: ", "Heterogenität je Fachdomäne")),
    ("en", ("2 organisations · ", "As of 2026-01-01: ", "Data quality: ", "Heterogeneity per domain")),
])
def test_stats_speak_the_language_of_lang(capsys: pytest.CaptureFixture, lang: str, said: tuple[str, ...]) -> None:
    assert main(["inventory", "stats", str(MINI), "--at", "2026-01-01", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert all(s in out for s in said), out
    assert ("verified" if lang == "de" else "geprüft") not in out


def test_stats_numbers_in_german_format() -> None:
    from landkarte.commands.inventory import _print_stats
    from reports.messages import Translator

    s = {"landscape": "L", "synthetic": False, "counts": dict.fromkeys(
        ("organisations", "sites", "hosts", "systems", "dependencies", "online_services", "products_in_use",
         "products_in_catalogue"), 10_800), "organisations_by_kind": {"Gemeinde": 10_800}, "domains": {},
        "past_end_of_life": {"systems": 1234, "hosts": 0}, "inselloesungen": [], "confidence": {"verified": 12_345},
        "provenance": {"synthetic": 12_345}, "at": "2026-01-01"}
    with console.capture() as shown:
        _print_stats(s, Translator("de"))
    text = shown.get()
    assert "10.800 Organisationen" in text and "Gemeinde 10.800" in text and "1.234 Systeme" in text
    assert "geprüft 12.345" in text and "synthetisch 12.345" in text


def test_schema_export_writes_three_json_schemas(tmp_path: Path) -> None:
    assert main(["inventory", "schema", "--out", str(tmp_path / "s")]) == 0
    org = json.loads((tmp_path / "s" / "organisation.schema.json").read_text())
    assert org["additionalProperties"] is False
    assert "System" in org["$defs"] and "Schutzbedarf" in json.dumps(org)
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "catalogue.schema.json", "landscape.schema.json", "organisation.schema.json"]


def test_export_import_xlsx_and_csv(tmp_path: Path) -> None:
    assert main(["inventory", "export", str(MINI), "--format", "xlsx", "--out", str(tmp_path / "m.xlsx")]) == 0
    assert main(["inventory", "import", str(tmp_path / "m.xlsx"), "--out", str(tmp_path / "back")]) == 0
    assert load_landscape(tmp_path / "back") == load_landscape(MINI)
    assert main(["inventory", "export", str(MINI), "--format", "csv", "--out", str(tmp_path / "csv")]) == 0
    assert load_landscape(tmp_path / "csv") == load_landscape(MINI)


def test_import_bad_csv_names_file_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["inventory", "export", str(MINI), "--format", "csv", "--out", str(tmp_path / "csv")]) == 0
    systems = tmp_path / "csv" / "systems.csv"
    lines = systems.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index("contract.notice_months")] = "-2"
    lines[2] = ",".join(row)
    systems.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["inventory", "import", str(tmp_path / "csv"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    col = header.index("contract.notice_months") + 1
    assert f"systems.csv:3:{col} systems[0].contract.notice_months: must be ≥ 0" in err
    assert not (tmp_path / "out").exists()


def test_template_has_catalogue_and_no_organisations(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert main(["inventory", "template", "--out", str(tmp_path / "t.xlsx")]) == 0
    wb = load_workbook(tmp_path / "t.xlsx")
    assert wb["products"].max_row > 60 and wb["systems"].max_row == 1
    assert wb["systems"].freeze_panes == "A2"


def test_unexpected_error_prints_one_line_and_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture) -> None:
    import inventory.stats

    def boom(*a, **k):
        raise RuntimeError("kaputt")

    monkeypatch.setenv("LANDKARTE_LOG_DIR", str(tmp_path))
    monkeypatch.setattr(inventory.stats, "landscape_stats", boom)
    assert main(["inventory", "stats", str(MINI)]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err and "kaputt" in err
    logs = list(tmp_path.glob("crash-*.log"))
    assert len(logs) == 1 and "Traceback" in logs[0].read_text() and str(logs[0]) in err.replace("\n", "")
