from __future__ import annotations

from pathlib import Path

import pytest

from consolidation.scenario import ScenarioError, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "consolidation" / "scenarios"


def test_shipped_scenarios_load_with_distinct_ids():
    ids = sorted(load_scenario(p).id for p in SCENARIOS.glob("*.yaml"))
    assert ids == ["basis-it-first", "egosaar-austritt", "landesweit"]


def test_scenario_unknown_key_reports_file_line_and_key(tmp_path: Path, tiny_scenario_file: Path):
    text = tiny_scenario_file.read_text().replace("horizon_years: 2", "horizon_years: 2\nhorizon_yaers: 3")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(bad)
    [issue] = exc.value.issues
    line = text.splitlines().index("horizon_yaers: 3") + 1
    assert (issue.file, issue.line, issue.loc, issue.msg) == (str(bad), line, ("horizon_yaers",), "unknown key")
    assert f"{bad}:{line}:1 horizon_yaers: unknown key" in str(exc.value)


def test_scenario_start_must_be_a_quarter_start(tmp_path: Path, tiny_scenario_file: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(tiny_scenario_file.read_text().replace("start: '2027-01-01'", "start: '2027-02-01'"))
    with pytest.raises(ScenarioError) as exc:
        load_scenario(bad)
    assert "first day of a quarter" in str(exc.value)


def test_scenario_every_error_reported_at_once(tmp_path: Path, tiny_scenario_file: Path):
    text = tiny_scenario_file.read_text()
    text = text.replace("eigen_pd_per_quarter: 100", "eigen_pd_per_quarter: -5").replace("horizon_years: 2",
                                                                                         "horizon_years: 99")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(bad)
    assert sorted(i.loc for i in exc.value.issues) == [("horizon_years",), ("teams", "eigen_pd_per_quarter")]


def test_scenario_missing_file_is_an_error(tmp_path: Path):
    with pytest.raises(ScenarioError) as exc:
        load_scenario(tmp_path / "nope.yaml")
    assert exc.value.issues[0].msg == "no such scenario file"
