"""``--out`` replaces only what the command owns; foreign files are never removed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from inventory_cases import MINI

from inventory.load import load_landscape
from landkarte.cli import main


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    out = tmp_path / "mini.xlsx"
    assert main(["inventory", "export", str(MINI), "--format", "xlsx", "--out", str(out)]) == 0
    return out


@pytest.fixture()
def foreign(tmp_path: Path) -> Path:
    d = tmp_path / "projekt"
    (d / ".git" / "objects").mkdir(parents=True)
    (d / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (d / "docs").mkdir()
    (d / "docs" / "Konzept.md").write_text("# Konzept\n")
    (d / "landscape.csv").write_text("not ours, same name as a table\n")
    return d


def test_import_refuses_a_folder_of_foreign_files_and_changes_nothing(workbook: Path, foreign: Path,
                                                                       capsys) -> None:
    before = _tree(foreign)
    assert main(["inventory", "import", str(workbook), "--out", str(foreign)]) == 1
    err = capsys.readouterr().err
    assert f"{foreign}: holds files that are not Landkarte's" in err and ".git/HEAD" in err and "--force" in err
    assert _tree(foreign) == before


def test_import_with_force_replaces_only_the_inventory_files(workbook: Path, foreign: Path) -> None:
    before = _tree(foreign)
    assert main(["inventory", "import", str(workbook), "--out", str(foreign), "--force"]) == 0
    after = _tree(foreign)
    assert {k: v for k, v in after.items() if k in before} == before  # .git, docs, even landscape.csv kept
    assert (foreign / "landscape.yaml").is_file() and (foreign / "organisations" / "oberthal.yaml").is_file()
    assert not [p for p in foreign.rglob("*") if ".part" in p.name or p.name.startswith(".landkarte-")]


def test_an_inventory_in_git_is_its_own_output_and_keeps_git_and_notes(workbook: Path, tmp_path: Path) -> None:
    repo = tmp_path / "inventar"
    assert main(["inventory", "import", str(workbook), "--out", str(repo)]) == 0
    (repo / ".git").mkdir()
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (repo / "README.md").write_text("Unser Inventar\n")
    (repo / "organisations" / "NOTIZEN.txt").write_text("not an organisation\n")
    (repo / "organisations" / "alt.yaml").write_text("organisation: {id: alt}\n")  # an organisation now gone
    assert main(["inventory", "import", str(workbook), "--out", str(repo)]) == 0
    assert (repo / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (repo / "README.md").read_text() == "Unser Inventar\n"
    assert (repo / "organisations" / "NOTIZEN.txt").is_file()
    assert not (repo / "organisations" / "alt.yaml").exists()  # a stale file of its own is removed
    assert load_landscape(repo) == load_landscape(MINI)


@pytest.mark.parametrize("dots", [".", ".."])
def test_out_dot_and_dotdot_inside_a_foreign_folder_are_refused(workbook: Path, foreign: Path, dots: str,
                                                                  capsys) -> None:
    inner = foreign / "docs"
    before = _tree(foreign.parent)
    cwd = os.getcwd()
    os.chdir(inner)
    try:
        assert main(["inventory", "import", str(workbook), "--out", dots]) == 1
    finally:
        os.chdir(cwd)
    assert "holds files that are not Landkarte's" in capsys.readouterr().err
    assert _tree(foreign.parent) == before


def test_out_dot_in_an_empty_folder_writes_the_inventory_there(workbook: Path, tmp_path: Path) -> None:
    here = tmp_path / "leer"
    here.mkdir()
    cwd = os.getcwd()
    os.chdir(here)
    try:
        assert main(["inventory", "import", str(workbook), "--out", "."]) == 0
    finally:
        os.chdir(cwd)
    assert load_landscape(here) == load_landscape(MINI)


def test_csv_export_into_a_foreign_folder_is_refused_then_forced(foreign: Path, capsys) -> None:
    before = _tree(foreign)
    assert main(["inventory", "export", str(MINI), "--format", "csv", "--out", str(foreign)]) == 1
    assert _tree(foreign) == before
    assert main(["inventory", "export", str(MINI), "--format", "csv", "--out", str(foreign), "--force"]) == 0
    after = _tree(foreign)
    assert after[".git/HEAD"] == before[".git/HEAD"] and after["docs/Konzept.md"] == before["docs/Konzept.md"]
    assert after["landscape.csv"] != before["landscape.csv"]  # its own table file, replaced as asked


def test_xlsx_out_onto_a_folder_is_an_error_before_loading(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.xlsx").mkdir()
    assert main(["inventory", "export", str(MINI), "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "is a folder; give a file name" in capsys.readouterr().err


def test_yaml_out_onto_a_file_is_an_error(tmp_path: Path, workbook: Path, capsys) -> None:
    (tmp_path / "datei").write_text("x")
    assert main(["inventory", "import", str(workbook), "--out", str(tmp_path / "datei")]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert (tmp_path / "datei").read_text() == "x"


def test_schema_out_into_a_foreign_folder_is_refused(foreign: Path) -> None:
    before = _tree(foreign)
    assert main(["inventory", "schema", "--out", str(foreign)]) == 1
    assert _tree(foreign) == before


def test_report_writes_its_files_with_a_manifest_and_leaves_other_files(tmp_path: Path) -> None:
    from consolidation._examples import tiny_landscape, tiny_scenario
    from consolidation.planner import plan
    from plan.io import write_plan

    write_plan(plan(tiny_landscape(), tiny_scenario()), tmp_path / "plan.json")
    out = tmp_path / "report"
    out.mkdir()
    (out / "Protokoll.docx").write_bytes(b"minutes")
    assert main(["report", str(tmp_path / "plan.json"), "--out", str(out), "--format", "html,csv"]) == 0
    manifest = json.loads(next(out.glob("*.manifest.json")).read_text())
    assert sorted(manifest["files"]) == sorted(
        [p.name for p in out.glob("*.html")] + [f"{p.parent.name}/{p.name}" for p in out.glob("*-csv/*.csv")])
    assert (out / "Protokoll.docx").read_bytes() == b"minutes"


def test_a_killed_runs_old_staging_folder_is_removed_a_fresh_one_kept(workbook: Path, tmp_path: Path) -> None:
    import time

    repo = tmp_path / "inventar"
    assert main(["inventory", "import", str(workbook), "--out", str(repo)]) == 0
    old, fresh = repo / ".landkarte-inventar.abc123.part", repo / ".landkarte-inventar.def456.part"
    for d in (old, fresh):
        d.mkdir()
        (d / "landscape.yaml").write_text("half")
    day_ago = time.time() - 86400
    os.utime(old, (day_ago, day_ago))
    assert main(["inventory", "import", str(workbook), "--out", str(repo)]) == 0
    assert not old.exists() and fresh.exists()  # a fresh one may belong to a run going on right now
