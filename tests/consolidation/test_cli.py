"""``landkarte plan``: exit codes, messages, nothing half-written, byte-identical output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landkarte.cli import main


def test_plan_documented_form_writes_the_plan(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path,
                                              capsys):
    out = tmp_path / "plan.json"
    code = main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["feasible"], summary["systems"]) == (0, True, 4)
    assert json.loads(out.read_text())["meta"]["scenario_id"] == "mini"


@pytest.mark.parametrize(("lang", "said"), [
    ("de", ("Systeme in", "Wellen", "Zielfunktion", "Lücke", "TCO (zahlungswirksam) Status quo", " €",
            "kalkulatorische Risikokosten", "(nicht in den Summen)")),
    ("en", ("systems in", "waves", "objective", "gap", "TCO (cash) status quo", "€",
            "modelled risk cost", "(not in the totals)")),
])
def test_plan_summary_speaks_the_language_of_lang(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path,
                                                  capsys, lang: str, said: tuple[str, ...]):
    assert main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out",
                 str(tmp_path / "p.json"), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert all(s in out for s in said), out


def test_plan_twice_is_byte_identical(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        assert main(["plan", "make", str(tiny_inventory), "--scenario", str(tiny_scenario_file),
                     "--out", str(out)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_plan_bad_scenario_yaml_names_file_line_key_and_writes_nothing(tiny_inventory: Path,
                                                                        tiny_scenario_file: Path, tmp_path: Path,
                                                                        capsys):
    bad = tmp_path / "bad.yaml"
    text = tiny_scenario_file.read_text().replace("eigen_pd_per_quarter: 100", "eigen_pd_per_quarter: viel")
    bad.write_text(text)
    out = tmp_path / "plan.json"
    code = main(["plan", str(tiny_inventory), "--scenario", str(bad), "--out", str(out)])
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "viel" in t)
    assert code == 1
    assert f"{bad}:{line}:" in err and "teams.eigen_pd_per_quarter" in err
    assert "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".plan.json*"))


def test_plan_yaml_syntax_error_exit_1(tiny_inventory: Path, tmp_path: Path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: [unclosed\n")
    assert main(["plan", str(tiny_inventory), "--scenario", str(bad), "--out", str(tmp_path / "p.json")]) == 1
    assert f"{bad}:" in capsys.readouterr().err


def test_plan_missing_option_is_a_usage_error(tiny_inventory: Path):
    assert main(["plan", str(tiny_inventory), "--out", "x.json"]) == 2


def test_plan_unknown_org_in_scenario_exit_1(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path,
                                            capsys):
    bad = tmp_path / "s.yaml"
    bad.write_text(tiny_scenario_file.read_text() + "organisations:\n  exclude: [gibtsnicht]\n")
    assert main(["plan", str(tiny_inventory), "--scenario", str(bad), "--out", str(tmp_path / "p.json")]) == 1
    assert "gibtsnicht" in capsys.readouterr().err


def test_plan_schema_is_the_contract(capsys):
    assert main(["plan", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"assignments", "tenant_networks", "flows", "vms"} <= set(schema["properties"])


def test_plan_explain_and_compare(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path, capsys):
    out = tmp_path / "plan.json"
    assert main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["plan", "explain", str(out), "a.mail", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["wave"], data["binding"]["kind"], data["depends_on"][0]["group"]) == ("2027-Q2", "dependency",
                                                                                       "g.a.iam")
    assert main(["plan", "compare", str(out), str(out), "--json"]) == 0
    cmp = json.loads(capsys.readouterr().out)
    assert cmp["changed"] == [] and cmp["a"]["objective"] == cmp["b"]["objective"]
    assert all(f["delta"] == 0 for f in cmp["figures"])


def test_plan_compare_shows_the_report_key_figures_and_what_moved(tiny_inventory: Path, tiny_scenario_file: Path,
                                                                   tmp_path: Path, capsys):
    from plan.figures import key_figures
    from plan.io import read_plan

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(a)]) == 0
    later = tiny_scenario_file.read_text().replace("2027-01-01", "2027-04-01")
    assert later != tiny_scenario_file.read_text()
    (tmp_path / "later.yaml").write_text(later)
    assert main(["plan", str(tiny_inventory), "--scenario", str(tmp_path / "later.yaml"), "--out", str(b)]) == 0
    capsys.readouterr()
    assert main(["plan", "compare", str(a), str(b), "--json"]) == 0
    cmp = json.loads(capsys.readouterr().out)
    assert [f["key"] for f in cmp["figures"]] == [f.key for f in key_figures(read_plan(a))]
    moved = {c["system"] for c in cmp["changed"] if c["field"] == "quarter"}
    pa, pb = ({x.system: x.quarter_label for x in read_plan(p).assignments} for p in (a, b))
    assert moved == {s for s in pa if pa[s] != pb[s]} != set()
    assert main(["plan", "compare", str(a), str(b)]) == 0
    text = capsys.readouterr().out
    assert "TCO 10 Jahre Status quo" in text and "Welle" in text


def test_plan_explain_unknown_system_suggests(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path,
                                              capsys):
    out = tmp_path / "plan.json"
    main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out)])
    capsys.readouterr()
    assert main(["plan", "explain", str(out), "a.mial"]) == 1
    assert "did you mean: a.mail" in capsys.readouterr().err


def test_plan_explain_bad_plan_file_exit_1(tmp_path: Path, capsys):
    bad = tmp_path / "p.json"
    bad.write_text("{not json")
    assert main(["plan", "explain", str(bad), "x"]) == 1
    assert f"error: plan {bad}: not a valid plan:\n  line 1 column 2" in capsys.readouterr().err


def test_plan_infeasible_exit_1_names_conflict_and_keeps_plan(tmp_path: Path, tiny_scenario_file: Path, capsys):
    from datetime import date

    from consolidation._examples import build_landscape
    from inventory.write.folder import write_folder

    inv = write_folder(build_landscape(
        [{"id": "x.a", "org": "x", "domain": "e-mail"}, {"id": "x.b", "org": "x", "domain": "iam"},
         {"id": "x.c", "org": "x", "domain": "fin"}],
        [{"source": "x.a", "target": "x.b"}, {"source": "x.b", "target": "x.c"}],
        exits={"x": date(2027, 6, 30)}), tmp_path / "inv")
    out = tmp_path / "plan.json"
    assert main(["plan", str(inv), "--scenario", str(tiny_scenario_file), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "kein zulässiger Zeitplan" in err and "Frist exit:x" in err
    assert main(["plan", str(inv), "--scenario", str(tiny_scenario_file), "--out", str(out), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "no feasible schedule" in err and "deadline exit:x" in err.lower()
    assert json.loads(out.read_text())["feasible"] is False


def test_plan_json_output_is_only_json_at_the_process_level(tmp_path: Path):
    """Native solvers must not write to the process's standard output (HiGHS prints a banner)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from landkarte.cli import main; sys.exit(main(sys.argv[1:]))", "plan", str(root / "inventory" / "samples" / "saarland"),
         "--scenario", str(root / "consolidation" / "scenarios" / "landesweit.yaml"),
         "--out", str(tmp_path / "plan.json"), "--json"],
        capture_output=True, text=True, check=False, cwd=root,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["feasible"] is True


def test_plan_explain_speaks_one_language_per_run(tiny_inventory: Path, tiny_scenario_file: Path, tmp_path: Path,
                                                  capsys):
    out = tmp_path / "plan.json"
    assert main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["plan", "explain", str(out), "a.mail"]) == 0
    german = capsys.readouterr().out
    assert main(["plan", "explain", str(out), "a.mail", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "bindend: Abhängigkeit – wartet auf g.a.iam (2027-Q1)" in german and "Welle 2027-Q2" in german
    assert "binding: dependency – waits for g.a.iam (2027-Q1)" in english and "wave 2027-Q2" in english
    assert "move group g.a.mail (single)" in english and "Umzugsgruppe g.a.mail (einzeln)" in german
    for word in ("bindend", "wartet", "Welle", "Umzugsgruppe", "Quartal", "Migration"):
        assert word not in english
    for word in ("binding:", "waits", "wave", "move group", "quarter"):
        assert word not in german
    assert main(["plan", "explain", str(out), "a.mail", "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["binding"]["reason"] == {"kind": "dependency", "params": {"group": "g.a.iam", "quarter": "2027-Q1"}}
    assert data["binding_text"] == "waits for g.a.iam (2027-Q1)"


def test_plan_explain_unknown_language_is_a_usage_error(tiny_inventory: Path, tiny_scenario_file: Path,
                                                         tmp_path: Path, capsys):
    out = tmp_path / "plan.json"
    main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out)])
    capsys.readouterr()
    assert main(["plan", "explain", str(out), "a.mail", "--lang", "fr"]) == 2
    assert "--lang" in capsys.readouterr().err


def test_plan_of_an_older_schema_version_is_a_clear_error(tiny_inventory: Path, tiny_scenario_file: Path,
                                                          tmp_path: Path, capsys):
    out = tmp_path / "plan.json"
    main(["plan", str(tiny_inventory), "--scenario", str(tiny_scenario_file), "--out", str(out)])
    capsys.readouterr()
    old = json.loads(out.read_text())
    old["meta"]["schema_version"] = "1"
    out.write_text(json.dumps(old))
    assert main(["plan", "explain", str(out), "a.mail"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"{out}" in err and "meta.schema_version: plan schema version '1'" in err
    assert "reads version '5'" in err and "Traceback" not in err


def test_a_real_plan_of_schema_version_3_is_refused_by_explain_and_report(tmp_path: Path, capsys):
    import lzma

    old = tmp_path / "old-plan.json"
    golden = Path(__file__).resolve().parents[1] / "data" / "old_plans" / "saarland-landesweit-schema3.json.xz"
    old.write_bytes(lzma.decompress(golden.read_bytes()))
    for argv in (["plan", "explain", str(old), "heusweiler.einwohnermeldewesen"],
                 ["report", str(old), "--out", str(tmp_path / "report"), "--format", "html"]):
        assert main(argv) == 1
        err = " ".join(capsys.readouterr().err.split())
        assert "plan schema version '3', this Landkarte reads version '5'" in err and "Traceback" not in err
    assert not (tmp_path / "report").exists()
