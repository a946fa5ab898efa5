"""Evidence from runner events: per host and Grundschutz++ control, tasks and honest results."""

from __future__ import annotations

import json

import pytest

from configure.bsi import TaskRef
from configure.evidence import build_evidence, control_result, write_evidence
from configure.oscal import Control

SSH = "/p/roles/ssh/tasks/main.yml"
MAIL = "/p/roles/mailrelay/tasks/main.yml"
INDEX = {
    (SSH, 2): TaskRef("ssh", "Configure the SSH daemon", SSH, 2, ()),
    (SSH, 9): TaskRef("ssh", "Check the SSH daemon", SSH, 9, ()),
    (MAIL, 2): TaskRef("mailrelay", "Configure Postfix", MAIL, 2, ()),
    (MAIL, 9): TaskRef("mailrelay", "Check relaying", MAIL, 9, ()),
}
KONF = "6fa4659a-8472-4d26-9f3b-a3edfa412a8c"
ARCH = "025c298a-7c8d-441d-b9d5-a1422556c6e1"
CONTROLS = {
    KONF: Control(KONF, "KONF.4.3", "Authentifizierung von Fernwartungsfunktionen", ("ssh",),
                  (("ssh", "Configure the SSH daemon"), ("ssh", "Check the SSH daemon")),
                  (("ssh", "Check the SSH daemon"),), ()),
    ARCH: Control(ARCH, "ARCH.5.1", "Einschränkung und Inspektion von Verbindungen", ("mailrelay",),
                  (("mailrelay", "Configure Postfix"), ("mailrelay", "Check relaying")),
                  (("mailrelay", "Check relaying"),), ("NET.3.2",)),
}
INVENTORY = {"all": {"hosts": {"vm-a": {"ansible_host": "10.0.0.1", "landkarte_data_centre": "rz-1"},
                               "vm-b": {"ansible_host": "10.0.0.2", "landkarte_data_centre": "rz-1"},
                               "vm-c": {"ansible_host": "10.0.0.3", "landkarte_data_centre": "rz-2"}}}}


def _event(kind, host, path, **res):
    data = {"host": host, "task_path": path, "res": res}
    if res.pop("ignored", False):
        data["ignore_errors"] = True
    return {"event": kind, "event_data": data}


def _build(events, *, check_mode=False, unreachable=()):
    return build_evidence(events, index=INDEX, controls=CONTROLS, inventory=INVENTORY, unreachable=unreachable,
                          run={"rc": 0, "check_mode": check_mode}, plan={"scenario_id": "s"})


def _results(evidence):
    return {h: {evidence["controls"][c]["id"]: r["result"] for c, r in v["controls"].items()}
            for h, v in evidence["hosts"].items()}


def test_verified_control_passes_and_foreign_role_is_not_applicable():
    evidence = _build([
        _event("runner_on_ok", "vm-a", f"{SSH}:2", changed=True),
        _event("runner_on_ok", "vm-a", f"{SSH}:9"),
    ])
    assert _results(evidence)["vm-a"] == {"KONF.4.3": "passed", "ARCH.5.1": "not_applicable"}
    assert evidence["hosts"]["vm-a"]["state"] == "converged"
    assert evidence["hosts"]["vm-a"]["controls"][KONF]["tasks"][0] == {
        "role": "ssh", "task": "Configure the SSH daemon", "result": "changed", "path": f"{SSH}:2"}


def test_failed_task_fails_exactly_its_controls_and_later_ones_are_not_checked():
    evidence = _build([
        _event("runner_on_ok", "vm-a", f"{MAIL}:2"),
        _event("runner_on_failed", "vm-a", f"{SSH}:9", msg="assertion failed"),
    ])
    assert _results(evidence)["vm-a"] == {"KONF.4.3": "failed", "ARCH.5.1": "not_checked"}
    assert evidence["hosts"]["vm-a"]["state"] == "failed"
    assert evidence["hosts"]["vm-a"]["controls"][KONF]["tasks"][0]["message"] == "assertion failed"


def test_unreachable_is_not_failed_and_hosts_outside_the_run_are_not_checked():
    evidence = _build([_event("runner_on_unreachable", "vm-b", f"{SSH}:2", msg="timed out")], unreachable=["vm-c"])
    results = _results(evidence)
    assert results["vm-b"] == {"KONF.4.3": "unreachable", "ARCH.5.1": "unreachable"}
    assert results["vm-c"] == {"KONF.4.3": "unreachable", "ARCH.5.1": "unreachable"}
    assert results["vm-a"] == {"KONF.4.3": "not_checked", "ARCH.5.1": "not_checked"}
    assert {h["state"] for h in evidence["hosts"].values()} == {"unreachable", "not_checked"}


def test_skipped_verification_is_not_checked_never_passed():
    evidence = _build([_event("runner_on_ok", "vm-a", f"{SSH}:2"), _event("runner_on_skipped", "vm-a", f"{SSH}:9")])
    assert _results(evidence)["vm-a"]["KONF.4.3"] == "not_checked"


def test_check_mode_drift_is_failed_and_ignored_check_failure_keeps_the_host_running():
    evidence = _build([
        _event("runner_on_ok", "vm-a", f"{SSH}:2", changed=True),
        _event("runner_on_failed", "vm-a", f"{SSH}:9", ignored=True, msg="not hardened yet"),
        _event("runner_on_ok", "vm-a", f"{MAIL}:2"),
        _event("runner_on_ok", "vm-a", f"{MAIL}:9"),
    ], check_mode=True)
    assert _results(evidence)["vm-a"] == {"KONF.4.3": "failed", "ARCH.5.1": "passed"}
    assert evidence["hosts"]["vm-a"]["state"] == "converged"


def test_kompendium_2023_module_takes_the_worst_of_its_controls():
    evidence = _build([_event("runner_on_failed", "vm-a", f"{MAIL}:9", msg="open relay")])
    assert evidence["hosts"]["vm-a"]["kompendium_2023"] == {"NET.3.2": "failed"}
    assert evidence["controls"][ARCH] == {"id": "ARCH.5.1", "title": "Einschränkung und Inspektion von Verbindungen",
                                          "roles": ["mailrelay"], "kompendium_2023": ["NET.3.2"]}


@pytest.mark.parametrize(("tasks", "state", "expected"), [
    ([], "converged", "not_applicable"),
    ([], "failed", "not_checked"),
    ([], "not_checked", "not_checked"),
    ([{"role": "ssh", "task": "Check the SSH daemon", "result": "unreachable"}], "converged", "failed"),
])
def test_control_result_edges(tasks, state, expected):
    assert control_result(tasks, [("ssh", "Check the SSH daemon")], host_state=state) == expected


def test_write_evidence_is_atomic_json(tmp_path):
    path = tmp_path / "out" / "evidence.json"
    write_evidence(_build([]), path)
    assert json.loads(path.read_text())["schema"] == "landkarte.configure.evidence/2"
    assert [p.name for p in path.parent.iterdir()] == ["evidence.json"]
