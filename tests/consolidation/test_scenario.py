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


@pytest.mark.parametrize("name", ["basis-it-first", "egosaar-austritt", "landesweit"])
def test_a_scenario_dumped_as_json_loads_again_unchanged(tmp_path: Path, name: str):
    import json

    from consolidation.scenario import Scenario, scenario_hash

    s = load_scenario(SCENARIOS / f"{name}.yaml")
    dumped = json.dumps(s.model_dump(mode="json"), ensure_ascii=False, indent=2)
    assert '"discount_rate": "0.03"' in dumped  # a Decimal's JSON form is its text
    path = tmp_path / f"{name}.json"
    path.write_text(dumped, encoding="utf-8")
    again = load_scenario(path)  # the strict loader (JSON is YAML)
    assert again == s and again.model_dump() == s.model_dump()
    assert scenario_hash(again) == scenario_hash(s)
    assert Scenario.model_validate_json(dumped) == s


@pytest.mark.parametrize(("section", "key", "text"), [("costs", "discount_rate", "drei Prozent"),
                                                      ("costs", "discount_rate", "0,03"),
                                                      ("costs", "day_rate_eigen", "600"),
                                                      ("solver", "time_limit_s", "20")])
def test_a_number_written_as_other_text_is_still_refused(tmp_path: Path, section, key, text):
    import yaml

    from consolidation._examples import scenario_dict

    data = scenario_dict()
    data[section] = {**data.get(section, {}), key: text}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(bad)
    assert [(i.loc, i.msg) for i in exc.value.issues] == [((section, key), f"must be a number, not {text!r}")]
