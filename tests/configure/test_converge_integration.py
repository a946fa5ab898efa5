"""On two real Debian hosts (systemd-nspawn) and one address where nothing answers, in this order:

1. a run whose management network excludes the controller is refused before any change;
2. ``--check --diff`` without the backup password shows the sshd/nft changes and changes nothing;
3. a deliberately broken role on the canary stops the rollout: the second host stays untouched,
   and exactly the broken role's controls are ``failed``;
4. converge, then converge again (idempotence: nothing changes), both timed;
then the controller still connects, logs of host A arrive on log host B, a backup of host A is
restored from the repository on backup host B, the third address is ``unreachable`` (not failed)
and the OSCAL assessment results validate, every passed control pointing at a task that ran.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import testinfra
from configure_plans import ADDRESSES, APP_VM, LOG_VM, MAIL_VM, MANAGEMENT, make_plan

from configure import PLAYBOOK_DIR
from configure.apply import configure_plan
from configure.inventory import InventoryOptions, sftp_user
from configure.oscal import load_controls
from plan.io import write_plan

pytestmark = pytest.mark.integration

BACKUP_PASSWORD = "synthetic-test-password-0123456789"
WATCHED = ("/etc/ssh/sshd_config", "/etc/nftables.conf")
SSH_CONTROLS = {"KONF.4.3", "KONF.4.4", "KONF.2.2", "DET.3.1.1"}


def _fingerprint(host) -> dict[str, str]:
    """Hashes of the files the roles change first (sshd, nftables) and the loaded ruleset."""
    out = {path: host.check_output(f"sha256sum {path} | cut -d' ' -f1") for path in WATCHED}
    out["ruleset"] = hashlib.sha256(host.check_output("nft list ruleset").encode()).hexdigest()
    return out


def _results(evidence: dict, host: str) -> dict[str, str]:
    return {evidence["controls"][c]["id"]: r["result"] for c, r in evidence["hosts"][host]["controls"].items()}


@pytest.fixture(scope="module")
def runs(testhosts, tmp_path_factory):
    """All runs against the same hosts, in order; each with exit code, seconds, evidence and stderr."""
    work = tmp_path_factory.mktemp("configure")
    plan_path = work / "plan.json"
    write_plan(make_plan(app_vm=True), plan_path)
    site_vars = work / "site.yml"
    # The test hosts' netns has no route out: every package is baked into the image.
    site_vars.write_text("baseline_apt_update_cache: false\n", encoding="utf-8")
    conn = ["--user", testhosts["user"], "--private-key", testhosts["key"], "--known-hosts", testhosts["known_hosts"]]
    common = ["configure", "--plan", str(plan_path), *conn, "--ntp-server", ADDRESSES[LOG_VM],
              "--backup-host", LOG_VM, "--vars", str(site_vars)]
    ssh_args = f"-o StrictHostKeyChecking=yes -o UserKnownHostsFile={testhosts['known_hosts']}"
    hosts = {
        vm: testinfra.get_host(f"ssh://{testhosts['user']}@{addr}", ssh_identity_file=testhosts["key"],
                               ssh_extra_args=ssh_args, sudo=True)
        for vm, addr in ADDRESSES.items()
    }
    out: dict = {"hosts": hosts, "work": work, "testhosts": testhosts}
    mp = pytest.MonkeyPatch()

    def cli(name: str, argv: list[str]) -> dict:
        evidence = work / f"evidence-{name}.json"
        started = time.monotonic()
        proc = subprocess.run([str(Path(sys.executable).parent / "landkarte"), *argv, "--evidence", str(evidence)],
                              capture_output=True, text=True, timeout=900, check=False)
        run = {"code": proc.returncode, "seconds": time.monotonic() - started, "stderr": proc.stderr,
               "stdout": proc.stdout, "evidence_path": evidence}
        run["evidence"] = json.loads(evidence.read_text()) if evidence.exists() else None
        return run

    try:
        out["before"] = {vm: _fingerprint(h) for vm, h in hosts.items()}
        # 1. the controller (10.99.0.1) is not in 10.250.0.0/24: refused in the preflight
        mp.setenv("LANDKARTE_BACKUP_PASSWORD", BACKUP_PASSWORD)
        out["refused"] = cli("refused", [*common, "--management-cidr", "10.250.0.0/24"])
        out["after_refused"] = {vm: _fingerprint(h) for vm, h in hosts.items()}
        # 2. dry run with diff, no backup password in the environment
        mp.delenv("LANDKARTE_BACKUP_PASSWORD", raising=False)
        out["check"] = cli("check", [*common, "--management-cidr", MANAGEMENT, "--check", "--diff"])
        out["after_check"] = {vm: _fingerprint(h) for vm, h in hosts.items()}
        # 3. a broken ssh role: the canary (vm-log-1, first reachable host) fails, vm-mail-1 is untouched
        broken = work / "playbooks-broken"
        shutil.copytree(PLAYBOOK_DIR, broken)
        tasks = broken / "roles" / "ssh" / "tasks" / "main.yml"
        text = tasks.read_text()
        tasks.write_text(text.replace("      - \"'passwordauthentication no' in ssh__effective.stdout_lines\"\n",
                                      "      - \"'passwordauthentication no' in ssh__effective.stdout_lines\"\n"
                                      "      - \"'deliberately broken' in ssh__effective.stdout\"\n", 1))
        mp.setenv("LANDKARTE_BACKUP_PASSWORD", BACKUP_PASSWORD)
        from configure.sitevars import load_site_vars

        options = InventoryOptions(user=testhosts["user"], private_key=testhosts["key"],
                                   known_hosts=testhosts["known_hosts"], management_sources=(MANAGEMENT,),
                                   ntp_servers=(ADDRESSES[LOG_VM],), backup_host=LOG_VM,
                                   site_vars=load_site_vars(site_vars, PLAYBOOK_DIR))
        started = time.monotonic()
        outcome = configure_plan(plan_path, evidence_path=work / "evidence-broken.json", options=options,
                                 playbook_dir=broken)
        out["broken"] = {"seconds": time.monotonic() - started, "evidence": outcome.evidence,
                         "controls": load_controls(broken)}
        out["after_broken"] = {vm: _fingerprint(h) for vm, h in hosts.items()}
        # 4. converge and idempotence
        for name in ("converge", "idempotence"):
            out[name] = cli(name, [*common, "--management-cidr", MANAGEMENT, "--json"])
    finally:
        mp.undo()
    for name in ("refused", "check", "converge", "idempotence"):
        print(f"{name}: {out[name]['seconds']:.1f} s (exit {out[name]['code']})")
        (work / f"{name}.stderr").write_text(out[name]["stderr"])
    print(f"work dir: {work}")
    print(f"broken canary: {out['broken']['seconds']:.1f} s")
    return out


def test_run_excluding_the_controller_is_refused_before_any_change(runs):
    refused = runs["refused"]
    assert refused["code"] == 1
    assert "refused before any change" in refused["stderr"]
    assert "10.99.0.1" in refused["stderr"]
    assert runs["after_refused"] == runs["before"]
    assert refused["evidence"]["run"]["changed"] == {LOG_VM: 0, MAIL_VM: 0}


def test_check_shows_sshd_and_nft_diffs_without_secrets_and_changes_nothing(runs):
    check = runs["check"]
    assert check["code"] == 1, check["stderr"][-3000:]  # only because vm-app-1 is unreachable
    assert check["evidence"]["run"]["failed_hosts"] == [APP_VM]
    assert "LANDKARTE_BACKUP_PASSWORD" not in check["stderr"]
    assert "+++ /etc/ssh/sshd_config" in check["stderr"] and "+PasswordAuthentication no" in check["stderr"]
    assert "+++ /etc/nftables.conf" in check["stderr"] and "+delete table inet landkarte" in check["stderr"]
    assert runs["after_check"] == runs["before"]
    # A dry run on unhardened hosts: drift is failed, what needs the password is not checked.
    mail = _results(check["evidence"], MAIL_VM)
    assert mail["KONF.4.3"] == "failed"
    assert mail["NOT.4.10"] == "failed"  # the SFTP account would have to be created: drift
    assert mail["NOT.4.8"] == "not_checked"  # needs the password, which a dry run does not ask for


def test_canary_failure_stops_the_rollout_and_fails_exactly_the_broken_roles_controls(runs):
    evidence = runs["broken"]["evidence"]
    assert runs["after_broken"][MAIL_VM] == runs["before"][MAIL_VM]  # second host untouched
    assert evidence["hosts"][MAIL_VM]["state"] == "not_checked"
    assert set(_results(evidence, MAIL_VM).values()) == {"not_checked"}
    canary = _results(evidence, LOG_VM)
    assert {c for c, r in canary.items() if r == "failed"} == SSH_CONTROLS
    assert evidence["hosts"][LOG_VM]["state"] == "failed"
    baseline = {c.id for c in runs["broken"]["controls"].values() if c.roles == ("baseline",)}
    assert {canary[c] for c in baseline} == {"passed"}  # ran before the broken role
    assert canary["DET.3.1"] == "not_checked" and canary["ARCH.5.1"] == "not_checked"
    assert evidence["hosts"][APP_VM]["state"] == "unreachable"


def test_converge_succeeds_except_for_the_unreachable_address(runs):
    converge = runs["converge"]
    assert converge["code"] == 1, converge["stderr"][-3000:]
    summary = json.loads(converge["stdout"])
    assert summary["hosts"] == {APP_VM: "unreachable", LOG_VM: "converged", MAIL_VM: "converged"}
    assert summary["failed_hosts"] == [APP_VM] and summary["unreachable_hosts"] == [APP_VM]
    assert "unreachable: vm-app-1" in converge["stderr"] and "failed on" not in converge["stderr"]
    assert all(converge["evidence"]["run"]["changed"][h] > 0 for h in (LOG_VM, MAIL_VM))


def test_second_run_changes_nothing(runs):
    second = runs["idempotence"]
    assert json.loads(second["stdout"])["hosts"] == {APP_VM: "unreachable", LOG_VM: "converged",
                                                     MAIL_VM: "converged"}
    assert second["evidence"]["run"]["changed"] == {MAIL_VM: 0, LOG_VM: 0}


def test_unreachable_third_address_is_unreachable_not_failed(runs):
    evidence = runs["converge"]["evidence"]
    assert set(_results(evidence, APP_VM).values()) == {"unreachable"}
    oscal = json.loads(runs["converge"]["evidence_path"].with_name("evidence-converge.oscal.json").read_text())
    app = [f for f in oscal["assessment-results"]["results"][0]["findings"]
           if {"name": "host", "ns": f["props"][1]["ns"], "value": APP_VM} in f["props"]]
    assert app and {f["target"]["status"]["reason"] for f in app} == {"other"}


def test_controller_still_connects_after_converge(runs):
    th = runs["testhosts"]
    for addr in ADDRESSES.values():
        fresh = subprocess.run(["ssh", "-o", "BatchMode=yes", "-o", "ControlMaster=no", "-o", "ControlPath=none",
                                "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={th['known_hosts']}",
                                "-i", th["key"], f"{th['user']}@{addr}", "true"],
                               capture_output=True, text=True, timeout=30, check=False)
        assert fresh.returncode == 0, fresh.stderr


def test_evidence_passes_every_control_where_the_role_provides_it(runs):
    evidence = runs["converge"]["evidence"]
    mail, log = _results(evidence, MAIL_VM), _results(evidence, LOG_VM)
    assert {c for c, r in mail.items() if r != "passed"} == set()
    assert mail["NOT.4.10"] == "passed" and mail["DET.4.1"] == "passed"
    # The backup host has no repository elsewhere and does not forward its own logs: not claimed.
    assert {log[c] for c in ("NOT.4.10", "NOT.4.8", "NOT.4.4", "NOT.4.7", "DET.4.1")} == {"not_checked"}
    assert log["DET.3.1"] == "passed"  # it receives: the receiver check ran
    assert log["ARCH.5.1"] == "passed"  # nftables; the mail relay role does not run there


def test_oscal_validates_and_every_passed_control_points_at_a_task_that_ran(runs):
    from trestle.oscal.assessment_results import AssessmentResults

    for name in ("converge", "idempotence", "check"):
        path = runs[name]["evidence_path"].with_name(f"evidence-{name}.oscal.json")
        AssessmentResults.model_validate(json.loads(path.read_text())["assessment-results"])
    evidence = runs["converge"]["evidence"]
    controls = load_controls(PLAYBOOK_DIR)
    for host in (MAIL_VM, LOG_VM):
        for cuuid, entry in evidence["hosts"][host]["controls"].items():
            if entry["result"] != "passed":
                continue
            ran = {(t["role"], t["task"]) for t in entry["tasks"] if t["result"] in ("ok", "changed")}
            assert ran & set(controls[cuuid].verified_by), (host, controls[cuuid].id)


def test_logs_of_host_a_arrive_on_log_host_b(runs):
    mail, log = runs["hosts"][MAIL_VM], runs["hosts"][LOG_VM]
    marker = f"landkarte-test-{time.time_ns()}"
    mail.run(f"logger -t landkarte-test {marker}")
    deadline = time.monotonic() + 20
    found = False
    while not found and time.monotonic() < deadline:
        found = log.run(f"grep -rqs {marker} /var/log/remote/{MAIL_VM}/").rc == 0
        time.sleep(0.5)
    assert found


def test_backup_of_host_a_is_restored_from_the_repository_on_host_b(runs):
    mail, log = runs["hosts"][MAIL_VM], runs["hosts"][LOG_VM]
    marker = f"landkarte-backup-{time.time_ns()}"
    mail.run(f"sh -c 'echo {marker} > /srv/restore-me.txt'")
    started = mail.run("systemctl start landkarte-backup.service")
    assert started.rc == 0, started.stderr + mail.run("journalctl -u landkarte-backup -n 30 --no-pager").stdout
    assert not mail.file("/var/backups/restic").exists  # nothing kept on the host itself
    repo = f"/srv/backup/{sftp_user(MAIL_VM)}/repo"
    env = f"RESTIC_PASSWORD={BACKUP_PASSWORD}"
    restored = log.run(f"env {env} restic --repo {repo} restore latest --target /tmp/restore "
                       "--include /srv/restore-me.txt")
    assert restored.rc == 0, restored.stderr
    assert log.file("/tmp/restore/srv/restore-me.txt").content_string.strip() == marker
    assert mail.file("/etc/landkarte-backup/password").mode == 0o600
    # B holds only the client's public key, restricted, in a root-owned chroot.
    assert log.file(f"/srv/backup/{sftp_user(MAIL_VM)}/.ssh/authorized_keys").content_string.startswith("restrict ")


def test_sshd_effective_config_is_hardened(runs):
    for host in runs["hosts"].values():
        effective = set(host.check_output("/usr/sbin/sshd -T").splitlines())
        assert {"permitrootlogin no", "passwordauthentication no", "x11forwarding no",
                "kbdinteractiveauthentication no", "allowtcpforwarding no", "maxauthtries 3"} <= effective


def test_ruleset_is_one_table_with_default_deny(runs):
    ruleset = runs["hosts"][MAIL_VM].check_output("nft list ruleset")
    assert ruleset.count("table ") == 1 and "table inet landkarte" in ruleset
    assert "policy drop;" in ruleset and "tcp dport 25 accept" in ruleset


def _connect(host, address: str, port: int) -> bool:
    return host.run(f"nc -z -w 2 {address} {port}").rc == 0


def test_firewall_allows_planned_flow_and_blocks_others(runs):
    mail, log = runs["hosts"][MAIL_VM], runs["hosts"][LOG_VM]
    for port in (587, 8080):  # listeners, so a refused connection can only be the firewall
        listener = mail.run(f"systemd-run --unit=lk-test-listen-{port} --collect nc -lk -p {port}")
        assert listener.rc == 0, listener.stderr
    try:
        assert mail.run("nc -z -w 2 127.0.0.1 8080").rc == 0  # the listener is up
        assert _connect(log, ADDRESSES[MAIL_VM], 25)  # planned: Gemeinde A's network → mail relay smtp
        assert _connect(log, ADDRESSES[MAIL_VM], 587)  # planned: log host's target → submission
        assert not _connect(log, ADDRESSES[MAIL_VM], 8080)  # not in the plan
        assert not _connect(log, ADDRESSES[MAIL_VM], 22)  # SSH only from the management network
        assert _connect(mail, ADDRESSES[LOG_VM], 22)  # backup client → SFTP on the backup host
    finally:
        mail.run("systemctl stop lk-test-listen-587 lk-test-listen-8080")


def test_time_sync_is_active_against_the_log_host(runs):
    mail = runs["hosts"][MAIL_VM]
    deadline = time.monotonic() + 30
    while True:
        sources = mail.check_output("chronyc -n sources")
        if f"^* {ADDRESSES[LOG_VM]}" in sources or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert f"^* {ADDRESSES[LOG_VM]}" in sources
