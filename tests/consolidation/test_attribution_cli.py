"""``landkarte plan compare`` and ``report --previous`` say why: inputs from git (--since), checked by hash."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from landkarte.cli import main


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)})


def _meeting(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The inventory in git; plan A; one new dependency committed; plan B."""
    repo = tiny_inventory.parent
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "Sitzung 1")
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(a)]) == 0
    org = tiny_inventory / "organisations" / "b.yaml"
    doc = yaml.safe_load(org.read_text(encoding="utf-8"))
    doc.setdefault("dependencies", []).append({"source": "b.mail", "target": "b.iam", "kind": "authentifizierung"})
    org.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    _git(repo, "commit", "-qam", "b.mail braucht b.iam")
    assert main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(b)]) == 0
    return repo, a, b


def test_compare_since_a_git_revision_names_the_record(tiny_inventory: Path, tiny_scenario_file: Path,
                                                       tmp_path: Path, capsys) -> None:
    _repo, a, b = _meeting(tiny_inventory, tiny_scenario_file, tmp_path)
    capsys.readouterr()
    args = ["plan", "compare", str(a), str(b), "--since", "HEAD~1", "--inventory", str(tiny_inventory),
            "--scenario", str(tiny_scenario_file)]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    cause = "inventory:dependencies:b.mail->b.iam:authentifizierung"
    assert out["why"]["top"] == [{"cause": cause, "systems": 1, "via": {"direct": 1}}]
    assert [(c["system"], c["cause"], c["via"]) for c in out["changed"]] == [("b.mail", cause, "direct")]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert ("1 System verschoben wegen: Inventar organisations/b.yaml: Abhängigkeit "
            "b.mail->b.iam:authentifizierung neu") in text
    assert main([*args, "--lang", "en"]) == 0
    assert "1 system moved because of: inventory organisations/b.yaml: dependency" in capsys.readouterr().out


def test_compare_with_an_inventory_that_is_not_the_plans_is_an_error(tiny_inventory: Path, tiny_scenario_file: Path,
                                                                     tmp_path: Path, capsys) -> None:
    _repo, a, b = _meeting(tiny_inventory, tiny_scenario_file, tmp_path)
    capsys.readouterr()
    # today's inventory given as the old one: its hash is not plan A's
    code = main(["plan", "compare", str(a), str(b), "--old-inventory", str(tiny_inventory), "--inventory",
                 str(tiny_inventory), "--scenario", str(tiny_scenario_file)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{tiny_inventory}: not the inventory plan A {a} was made from" in err


def test_compare_without_the_old_inputs_lists_what_moved_and_says_what_is_missing(
        tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path, capsys) -> None:
    _repo, a, b = _meeting(tiny_inventory, tiny_scenario_file, tmp_path)
    capsys.readouterr()
    assert main(["plan", "compare", str(a), str(b), "--inventory", str(tiny_inventory), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["why"] is None and "--since REVISION" in out["why_missing"]
    assert [c["system"] for c in out["changed"]] == ["b.mail"]


def test_compare_since_an_unknown_revision_is_an_error(tiny_inventory: Path, tiny_scenario_file: Path,
                                                       tmp_path: Path, capsys) -> None:
    _repo, a, b = _meeting(tiny_inventory, tiny_scenario_file, tmp_path)
    capsys.readouterr()
    code = main(["plan", "compare", str(a), str(b), "--since", "gibtsnicht", "--inventory", str(tiny_inventory),
                 "--scenario", str(tiny_scenario_file)])
    err = capsys.readouterr().err
    assert code == 1 and "--since" in err and "Traceback" not in err


def test_report_previous_has_the_why_in_html_pdf_and_xlsx(tiny_inventory: Path, tiny_scenario_file: Path,
                                                          tmp_path: Path, capsys) -> None:
    import os
    import shutil

    from openpyxl import load_workbook

    _repo, a, b = _meeting(tiny_inventory, tiny_scenario_file, tmp_path)
    out = tmp_path / "report"
    assert main(["report", str(b), "--previous", str(a), "--since", "HEAD~1", "--inventory", str(tiny_inventory),
                 "--scenario", str(tiny_scenario_file), "--out", str(out), "--format", "html,pdf,xlsx"]) == 0
    exe = shutil.which("pdftotext")
    assert exe is not None or os.environ.get("CI") != "true", "pdftotext missing (scripts/setup.d installs poppler)"
    if exe is not None:
        text = subprocess.run([exe, "-layout", str(next(out.glob("*.pdf"))), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Warum sich der Plan geändert hat" in text and "1 System verschoben wegen: Inventar" in text
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "Warum sich der Plan geändert hat" in html
    assert 'data-cause="inventory:dependencies:b.mail-&gt;b.iam:authentifizierung"' in html
    wb = load_workbook(next(out.glob("*.xlsx")))
    rows = list(wb["Ursachen"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[5], r[7]) for r in rows] == [("b.mail", "Inventar", "direkt")]
