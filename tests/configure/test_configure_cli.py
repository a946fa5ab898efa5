"""landkarte configure: bad input is a clear error (exit 1), nothing is run or written."""

from __future__ import annotations

from configure_plans import make_plan

from landkarte.cli import main
from plan.io import write_plan


def test_configure_plan_not_json_exits_1_naming_the_file(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    evidence = tmp_path / "evidence.json"
    assert main(["configure", "--plan", str(bad), "--evidence", str(evidence)]) == 1
    err = capsys.readouterr().err
    assert f"plan {bad}: not a valid plan:\n  line 1 column 2" in err and "Traceback" not in err
    assert not evidence.exists()


def test_configure_without_backup_password_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LANDKARTE_BACKUP_PASSWORD", raising=False)
    monkeypatch.delenv("LANDKARTE_BACKUP_PASSWORD_FILE", raising=False)
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    assert main(["configure", "--plan", str(plan), "--evidence", str(tmp_path / "e.json")]) == 1
    assert "LANDKARTE_BACKUP_PASSWORD" in capsys.readouterr().err


def test_configure_vars_file_unknown_key_exits_1_with_line(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    site = tmp_path / "site.yml"
    site.write_text("baseline_apt_update_cache: false\nssh_prot: 2222\n")
    assert main(["configure", "--plan", str(plan), "--vars", str(site), "--evidence", str(tmp_path / "e.json")]) == 1
    assert f"{site}:2:1 ssh_prot: not a variable of any role" in capsys.readouterr().err


def test_configure_vars_file_bad_yaml_exits_1(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    site = tmp_path / "site.yml"
    site.write_text("a: [\n")
    assert main(["configure", "--plan", str(plan), "--vars", str(site)]) == 1
    err = capsys.readouterr().err
    assert str(site) in err and "invalid YAML" in err


def test_configure_unknown_log_host_exits_1_naming_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANDKARTE_BACKUP_PASSWORD", "synthetic-test-password-0123456789")
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    assert main(["configure", "--plan", str(plan), "--log-host", "vm-nope", "--evidence", str(tmp_path / "e")]) == 1
    assert "log host 'vm-nope' is not a VM of the plan" in capsys.readouterr().err
