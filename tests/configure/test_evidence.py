"""Evidence from runner events: per host and BSI module, tasks and results."""

from __future__ import annotations

import json

from common.catalogue import BsiModule
from configure.bsi import TaskRef
from configure.evidence import build_evidence, write_evidence

INDEX = {
    ("/p/roles/ssh/tasks/main.yml", 2): TaskRef("ssh", "Configure the SSH daemon", "/p/roles/ssh/tasks/main.yml", 2,
                                                ("SYS.1.3", "CON.1")),
    ("/p/roles/mailrelay/tasks/main.yml", 2): TaskRef("mailrelay", "Install Postfix",
                                                      "/p/roles/mailrelay/tasks/main.yml", 2, ("APP.5.3",)),
}
CLAIMED = {"APP.5.3": ("mailrelay",), "CON.1": ("ssh",), "SYS.1.3": ("ssh",)}
MODULES = {"SYS.1.3": BsiModule(id="SYS.1.3", title="Server unter Linux und Unix")}
INVENTORY = {"all": {"hosts": {"vm-a": {"ansible_host": "10.0.0.1"}, "vm-b": {"ansible_host": "10.0.0.2"}}}}


def _event(kind, host, path, **res):
    return {"event": kind, "event_data": {"host": host, "task_path": path, "res": res}}


def _build(events):
    return build_evidence(events, index=INDEX, claimed=CLAIMED, modules=MODULES, inventory=INVENTORY,
                          run={"rc": 0}, plan={"scenario_id": "s"})


def test_evidence_records_each_task_result_per_host_and_module():
    evidence = _build([
        _event("runner_on_ok", "vm-a", "/p/roles/ssh/tasks/main.yml:2", changed=True),
        _event("runner_on_ok", "vm-a", "/p/roles/mailrelay/tasks/main.yml:2", changed=False),
        _event("runner_on_failed", "vm-b", "/p/roles/ssh/tasks/main.yml:2", msg="sshd -t failed"),
    ])
    a, b = evidence["hosts"]["vm-a"]["modules"], evidence["hosts"]["vm-b"]["modules"]
    assert a["SYS.1.3"] == {"result": "passed", "tasks": [
        {"role": "ssh", "task": "Configure the SSH daemon", "result": "changed", "path": "/p/roles/ssh/tasks/main.yml:2"}]}
    assert a["APP.5.3"]["result"] == "passed"
    assert b["CON.1"]["result"] == "failed"
    assert b["CON.1"]["tasks"][0]["message"] == "sshd -t failed"
    assert b["APP.5.3"] == {"result": "not_applicable", "tasks": []}


def test_evidence_host_outside_the_run_is_not_run():
    evidence = _build([_event("runner_on_ok", "vm-a", "/p/roles/ssh/tasks/main.yml:2", changed=False)])
    assert {r["result"] for r in evidence["hosts"]["vm-b"]["modules"].values()} == {"not_run"}
    assert evidence["hosts"]["vm-a"]["modules"]["APP.5.3"]["result"] == "not_applicable"


def test_evidence_lists_every_claimed_module_for_every_host():
    evidence = _build([])
    assert set(evidence["modules"]) == set(CLAIMED)
    assert evidence["modules"]["SYS.1.3"] == {"title": "Server unter Linux und Unix", "roles": ["ssh"]}
    assert {h: set(v["modules"]) for h, v in evidence["hosts"].items()} == {"vm-a": set(CLAIMED), "vm-b": set(CLAIMED)}


def test_evidence_marks_every_module_failed_on_an_unreachable_host():
    evidence = _build([_event("runner_on_unreachable", "vm-b", "/p/roles/ssh/tasks/main.yml:2", msg="timeout")])
    assert {m: r["result"] for m, r in evidence["hosts"]["vm-b"]["modules"].items()} == {
        "APP.5.3": "failed", "CON.1": "failed", "SYS.1.3": "failed"}


def test_evidence_skipped_tasks_give_skipped_module():
    evidence = _build([_event("runner_on_skipped", "vm-a", "/p/roles/mailrelay/tasks/main.yml:2")])
    assert evidence["hosts"]["vm-a"]["modules"]["APP.5.3"]["result"] == "skipped"


def test_write_evidence_writes_sorted_json_atomically(tmp_path):
    path = tmp_path / "out" / "evidence.json"
    write_evidence({"b": 1, "a": 2}, path)
    assert json.loads(path.read_text()) == {"a": 2, "b": 1}
    assert [p.name for p in path.parent.iterdir()] == ["evidence.json"]
