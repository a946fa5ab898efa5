"""Every kind of mistake in an inventory gets an exact, positioned message (golden cases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from inventory_cases import DATA, overlay_case

from inventory.errors import InventoryError
from inventory.load import load_landscape
from landkarte.cli import main

CASES = sorted(p for p in (DATA / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_inventory_reports_exact_messages(case: Path, tmp_path: Path) -> None:
    folder = overlay_case(case, tmp_path / "inv")
    with pytest.raises(InventoryError) as exc:
        load_landscape(folder)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [str(i) for i in exc.value.issues] == expected


@pytest.mark.parametrize("case", CASES[:3] + CASES[-3:], ids=[c.name for c in CASES[:3] + CASES[-3:]])
def test_validate_cli_exits_1_without_traceback(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = overlay_case(case, tmp_path / "inv")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main(["inventory", "validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in err.replace("\n  ", "\n  ")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


def test_validate_json_lists_every_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import json

    folder = overlay_case(DATA / "invalid" / "many_errors_in_many_files", tmp_path / "inv")
    assert main(["inventory", "validate", str(folder), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is False
    assert [e["text"] for e in out["errors"]] == (
        DATA / "invalid" / "many_errors_in_many_files" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert out["errors"][0] == {
        "file": "catalogue.yaml", "line": 7, "column": 13, "loc": ["domains", 1, "category"],
        "message": "must be one of: Fachverfahren, Basis-IT or Plattform",
        "text": "catalogue.yaml:7:13 domains[1].category: must be one of: Fachverfahren, Basis-IT or Plattform",
    }
