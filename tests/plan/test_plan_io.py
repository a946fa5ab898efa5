"""Reading and writing plan files: the contract's version, names and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consolidation._examples import tiny_landscape, tiny_scenario
from consolidation.planner import plan
from plan.io import PlanFormatError, plan_json_schema, plan_to_json, read_plan, write_plan
from plan.models import PLAN_SCHEMA_VERSION


@pytest.fixture(scope="module")
def tiny_plan():
    return plan(tiny_landscape(), tiny_scenario())


def test_written_plan_reads_back_equal_and_byte_identical(tiny_plan, tmp_path: Path):
    path = tmp_path / "plan.json"
    write_plan(tiny_plan, path)
    again = read_plan(path)
    assert again == tiny_plan and plan_to_json(again) == path.read_text(encoding="utf-8")
    assert json.loads(path.read_text())["meta"]["schema_version"] == PLAN_SCHEMA_VERSION


def test_every_key_of_the_contract_is_ascii():
    def keys(node):
        if isinstance(node, dict):
            for k, v in node.get("properties", {}).items():
                yield k
                yield from keys(v)
            for v in node.get("$defs", {}).values():
                yield from keys(v)

    assert [k for k in keys(plan_json_schema()) if not k.isascii()] == []


def test_a_plan_of_an_older_schema_version_is_a_clear_error(tiny_plan, tmp_path: Path):
    data = json.loads(plan_to_json(tiny_plan))
    data["meta"]["schema_version"] = "1"
    for m in data["metrics"]:  # schema 1 spelled it with an umlaut
        m["insellösungen_before"] = m.pop("inselloesungen_before")
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanFormatError) as err:
        read_plan(path, role="comparison plan")
    assert str(err.value).startswith(f"comparison plan {path}: not a valid plan:")
    assert any(m.startswith("meta.schema_version") for m in err.value.messages)


@pytest.mark.parametrize("text, message", [
    ("{not json", "line 1 column 2: not JSON (Expecting property name enclosed in double quotes)"),
    ("[]", "<root>: Input should be a valid dictionary or instance of Plan"),
])
def test_a_bad_plan_file_names_the_place(tmp_path: Path, text: str, message: str):
    path = tmp_path / "p.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanFormatError) as err:
        read_plan(path)
    assert err.value.messages == [message]


def test_every_field_of_the_contract_has_a_description():
    schema = plan_json_schema()
    missing = [f"{name}.{field}" for name, model in sorted(schema["$defs"].items())
               for field, prop in model.get("properties", {}).items() if not prop.get("description")]
    missing += [f"Plan.{field}" for field, prop in schema["properties"].items() if not prop.get("description")]
    models = [name for name, model in schema["$defs"].items() if not model.get("description")]
    assert (missing, models, bool(schema.get("description"))) == ([], [], True)


def test_a_missing_plan_file_says_it_cannot_be_read(tmp_path: Path):
    with pytest.raises(PlanFormatError) as err:
        read_plan(tmp_path / "nope.json")
    assert str(err.value) == f"plan {tmp_path / 'nope.json'}: cannot be read:\n  No such file or directory"
