"""landkarte configure: bad input is a clear error (exit 1), nothing is run or written."""

from __future__ import annotations

import json
import time

from configure_plans import make_plan

from landkarte.cli import main
from landkarte.commands.configure import PROJECT_DIR, _management

MGMT = ["--management-cidr", "10.99.0.1/32"]
UNROUTABLE = {"vm-mail-1": "198.51.100.11", "vm-log-1": "198.51.100.12"}
"""TEST-NET-2 (RFC 5737): no SSH server answers there, so both hosts are unreachable."""
from plan.io import write_plan


def test_configure_plan_not_json_exits_1_naming_the_file(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    evidence = tmp_path / "evidence.json"
    assert main(["configure", "--plan", str(bad), *MGMT, "--evidence", str(evidence)]) == 1
    err = capsys.readouterr().err
    assert f"plan {bad}: not a valid plan:\n  line 1 column 2" in err and "Traceback" not in err
    assert not evidence.exists()


def test_configure_without_backup_password_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LANDKARTE_BACKUP_PASSWORD", raising=False)
    monkeypatch.delenv("LANDKARTE_BACKUP_PASSWORD_FILE", raising=False)
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    assert main(["configure", "--plan", str(plan), *MGMT, "--backup-host", "vm-log-1",
                 "--evidence", str(tmp_path / "e.json")]) == 1
    assert "LANDKARTE_BACKUP_PASSWORD" in capsys.readouterr().err
    assert not (tmp_path / "e.json").exists()


def test_configure_vars_file_unknown_key_exits_1_with_line(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    site = tmp_path / "site.yml"
    site.write_text("baseline_apt_update_cache: false\nssh_prot: 2222\n")
    assert main(["configure", "--plan", str(plan), *MGMT, "--vars", str(site), "--evidence", str(tmp_path / "e.json")]) == 1
    assert f"{site}:2:1 ssh_prot: not a variable of any role" in capsys.readouterr().err


def test_configure_vars_file_bad_yaml_exits_1(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    site = tmp_path / "site.yml"
    site.write_text("a: [\n")
    assert main(["configure", "--plan", str(plan), *MGMT, "--vars", str(site)]) == 1
    err = capsys.readouterr().err
    assert str(site) in err and "invalid YAML" in err


def test_configure_unknown_log_host_exits_1_naming_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANDKARTE_BACKUP_PASSWORD", "synthetic-test-password-0123456789")
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    assert main(["configure", "--plan", str(plan), *MGMT, "--log-host", "vm-nope", "--evidence", str(tmp_path / "e")]) == 1
    assert "log host 'vm-nope' is not a VM of the plan" in capsys.readouterr().err


def test_configure_without_management_network_is_a_usage_error(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    assert main(["configure", "--plan", str(plan), "--evidence", str(tmp_path / "e.json")]) == 2
    assert "--stack" in capsys.readouterr().err
    assert not (tmp_path / "e.json").exists()


def test_configure_stack_and_cidr_together_is_a_usage_error(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    assert main(["configure", "--plan", str(plan), "--stack", "dev", *MGMT]) == 2
    assert "one source" in capsys.readouterr().err


def test_configure_unknown_stack_exits_1_listing_the_known_ones(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    write_plan(make_plan(), plan)
    assert main(["configure", "--plan", str(plan), "--stack", "staging", "--evidence", str(tmp_path / "e")]) == 1
    err = capsys.readouterr().err
    assert "unknown stack 'staging': there is no Pulumi.staging.yaml" in err and "dev" in err


def test_management_networks_come_from_the_stack_file_pulumi_uses():
    from stacks.config import stack_file_config

    for stack in ("dev", "prod"):
        assert _management(stack, None) == tuple(
            stack_file_config(PROJECT_DIR / f"Pulumi.{stack}.yaml")["managementNetworks"])


def test_check_needs_no_backup_password_and_unreachable_hosts_fail_fast(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LANDKARTE_BACKUP_PASSWORD", raising=False)
    monkeypatch.delenv("LANDKARTE_BACKUP_PASSWORD_FILE", raising=False)
    plan = tmp_path / "plan.json"
    write_plan(make_plan(UNROUTABLE), plan)
    evidence = tmp_path / "e.json"
    started = time.monotonic()
    code = main(["configure", "--plan", str(plan), *MGMT, "--backup-host", "vm-log-1", "--check",
                 "--evidence", str(evidence), "--json"])
    seconds = time.monotonic() - started
    assert code == 1
    err = capsys.readouterr().err
    assert "unreachable: vm-log-1, vm-mail-1" in err and "LANDKARTE_BACKUP_PASSWORD" not in err
    doc = json.loads(evidence.read_text())
    assert {h: v["state"] for h, v in doc["hosts"].items()} == {"vm-log-1": "unreachable", "vm-mail-1": "unreachable"}
    results = {c["result"] for h in doc["hosts"].values() for c in h["controls"].values()}
    assert results == {"unreachable"}  # never "failed"
    assert seconds < 30  # the probe runs in parallel with a 3 s timeout (not a benchmark: a hang guard)
    assert (tmp_path / "e.oscal.json").exists()
