"""Golden cases of bad plan files: each folder under data/bad_plans holds a patch (or a whole plan file) and
the error lines `landkarte report` must print. Exit 1, the file named, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_plans import small_plan

from landkarte.cli import main
from plan.io import write_plan

CASES = sorted(p for p in (Path(__file__).parent / "data" / "bad_plans").iterdir() if p.is_dir())


def _apply(data: dict, patch: dict) -> dict:
    for dotted, value in patch.get("set", {}).items():
        *path, last = dotted.split(".")
        node = data
        for part in path:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value
    for dotted in patch.get("delete", []):
        *path, last = dotted.split(".")
        node = data
        for part in path:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]
    return data


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_plan_exits_1_with_the_expected_error(case: Path, tmp_path: Path, capsys):
    plan = tmp_path / "plan.json"
    if (case / "plan.json").exists():
        plan.write_bytes((case / "plan.json").read_bytes())
    else:
        write_plan(small_plan(), plan)
        plan.write_text(json.dumps(_apply(json.loads(plan.read_text()), json.loads((case / "patch.json").read_text()))))
    out = tmp_path / "out"
    code = main(["report", str(plan), "--out", str(out)])
    head, *lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert head == f"error: plan {plan}: not a valid plan:"
    assert [line.strip() for line in lines] == (case / "expected.txt").read_text().splitlines()
    assert not out.exists()
