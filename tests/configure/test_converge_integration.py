"""Converge the playbooks on two real Debian hosts, prove idempotence, verify on the hosts."""

from __future__ import annotations

import json
import time

import pytest
import testinfra
from configure_plans import ADDRESSES, LOG_VM, MAIL_VM, MANAGEMENT, make_plan

from landkarte.cli import main
from plan.io import write_plan

pytestmark = pytest.mark.integration

BACKUP_PASSWORD = "synthetic-test-password-0123456789"


@pytest.fixture(scope="module")
def converged(testhosts, tmp_path_factory):
    """Run `landkarte configure` twice; return timings, evidence of both runs and testinfra hosts."""
    work = tmp_path_factory.mktemp("configure")
    plan_path = work / "plan.json"
    write_plan(make_plan(), plan_path)
    site_vars = work / "site.yml"
    # The test hosts' netns has no route out: every package is baked into the image.
    site_vars.write_text("baseline_apt_update_cache: false\n", encoding="utf-8")
    argv = ["configure", "--plan", str(plan_path), "--user", testhosts["user"],
            "--private-key", testhosts["key"], "--known-hosts", testhosts["known_hosts"],
            "--management-cidr", MANAGEMENT, "--ntp-server", ADDRESSES[LOG_VM], "--vars", str(site_vars), "--json"]
    mp = pytest.MonkeyPatch()
    mp.setenv("LANDKARTE_BACKUP_PASSWORD", BACKUP_PASSWORD)
    try:
        runs = []
        for name, extra in (("converge", []), ("idempotence", [])):
            evidence = work / f"evidence-{name}.json"
            started = time.monotonic()
            code = main([*argv, *extra, "--evidence", str(evidence)])
            runs.append({"name": name, "code": code, "seconds": time.monotonic() - started,
                         "evidence": json.loads(evidence.read_text())})
    finally:
        mp.undo()
    ssh_args = f"-o StrictHostKeyChecking=yes -o UserKnownHostsFile={testhosts['known_hosts']}"
    hosts = {
        vm: testinfra.get_host(f"ssh://{testhosts['user']}@{addr}", ssh_identity_file=testhosts["key"],
                               ssh_extra_args=ssh_args, sudo=True)
        for vm, addr in ADDRESSES.items()
    }
    for run in runs:
        print(f"{run['name']}: {run['seconds']:.1f} s")
    return {"runs": runs, "hosts": hosts}


def test_converge_succeeds_on_both_hosts(converged):
    converge = converged["runs"][0]
    assert converge["code"] == 0, converge["evidence"]["run"]
    assert converge["evidence"]["run"]["failed_hosts"] == []
    assert sorted(converge["evidence"]["run"]["changed"]) == sorted(ADDRESSES)
    assert all(n > 0 for n in converge["evidence"]["run"]["changed"].values())


def test_second_run_changes_nothing(converged):
    second = converged["runs"][1]
    assert second["code"] == 0
    assert second["evidence"]["run"]["changed"] == {MAIL_VM: 0, LOG_VM: 0}


def test_evidence_lists_every_claimed_module_per_host(converged):
    from configure import PLAYBOOK_DIR, claimed_modules, task_index

    evidence = converged["runs"][0]["evidence"]
    claimed = claimed_modules(task_index(PLAYBOOK_DIR))
    assert set(evidence["modules"]) == set(claimed)
    for vm in ADDRESSES:
        modules = evidence["hosts"][vm]["modules"]
        assert set(modules) == set(claimed)
        assert {m for m, r in modules.items() if r["result"] == "failed"} == set()
    assert evidence["hosts"][MAIL_VM]["modules"]["APP.5.3"]["result"] == "passed"
    assert evidence["hosts"][LOG_VM]["modules"]["APP.5.3"]["result"] == "not_applicable"
    assert evidence["hosts"][MAIL_VM]["modules"]["NET.3.2"]["result"] == "passed"


def test_sshd_effective_config_is_hardened(converged):
    for host in converged["hosts"].values():
        effective = set(host.check_output("/usr/sbin/sshd -T").splitlines())
        assert {"permitrootlogin no", "passwordauthentication no", "x11forwarding no",
                "kbdinteractiveauthentication no", "allowtcpforwarding no", "maxauthtries 3"} <= effective
        assert "ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com," \
               "aes256-ctr,aes128-ctr" in effective


def test_ruleset_is_loaded_with_default_deny(converged):
    ruleset = converged["hosts"][MAIL_VM].check_output("nft list chain inet landkarte input")
    assert "policy drop;" in ruleset
    assert "tcp dport 25 accept" in ruleset


def _connect(host, address: str, port: int) -> bool:
    return host.run(f"nc -z -w 2 {address} {port}").rc == 0


def test_firewall_allows_planned_flow_and_blocks_others(converged):
    mail, log = converged["hosts"][MAIL_VM], converged["hosts"][LOG_VM]
    for port in (587, 8080):  # listeners, so a refused connection can only be the firewall
        listener = mail.run(f"systemd-run --unit=lk-test-listen-{port} --collect nc -lk -p {port}")
        assert listener.rc == 0, listener.stderr
    try:
        assert mail.run("nc -z -w 2 127.0.0.1 8080").rc == 0  # the listener is up
        assert _connect(log, ADDRESSES[MAIL_VM], 25)  # planned: Gemeinde A's network → mail relay smtp
        assert _connect(log, ADDRESSES[MAIL_VM], 587)  # planned: log host's target → submission
        assert not _connect(log, ADDRESSES[MAIL_VM], 8080)  # not in the plan
        assert not _connect(log, ADDRESSES[MAIL_VM], 22)  # SSH only from the management network
    finally:
        mail.run("systemctl stop lk-test-listen-587 lk-test-listen-8080")


def test_services_are_running(converged):
    expected = {
        MAIL_VM: ["ssh", "nftables", "chrony", "rsyslog", "postfix", "landkarte-backup.timer"],
        LOG_VM: ["ssh", "nftables", "chrony", "rsyslog", "landkarte-backup.timer"],
    }
    for vm, units in expected.items():
        host = converged["hosts"][vm]
        inactive = [u for u in units if not host.service(u).is_running]
        assert inactive == [], f"{vm}: not running: {inactive}"


def test_time_sync_is_active_against_the_log_host(converged):
    mail = converged["hosts"][MAIL_VM]
    deadline = time.monotonic() + 30
    while True:
        sources = mail.check_output("chronyc -n sources")
        if f"^* {ADDRESSES[LOG_VM]}" in sources or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert f"^* {ADDRESSES[LOG_VM]}" in sources  # selected and synchronised
    assert "Leap status     : Normal" in mail.check_output("chronyc tracking")


def test_logs_reach_the_central_log_host(converged):
    mail, log = converged["hosts"][MAIL_VM], converged["hosts"][LOG_VM]
    marker = f"landkarte-test-{time.time_ns()}"
    mail.run(f"logger -t landkarte-test {marker}")
    deadline = time.monotonic() + 20
    found = False
    while not found and time.monotonic() < deadline:
        found = log.run(f"grep -rqs {marker} /var/log/remote/{MAIL_VM}/").rc == 0
        time.sleep(0.5)
    assert found


def test_backup_runs_into_the_encrypted_repository(converged):
    mail = converged["hosts"][MAIL_VM]
    assert mail.run("systemctl start landkarte-backup.service").rc == 0
    snapshots = mail.check_output(
        "restic --repo /var/backups/restic --password-file /etc/landkarte-backup/password snapshots --json")
    assert len(json.loads(snapshots)) >= 1
    assert mail.file("/etc/landkarte-backup/password").mode == 0o600
