"""configure's OSCAL assessment results read as evidence for target instances (actuals.evidence)."""

from __future__ import annotations

import json

import pytest
from test_evidence import CONTROLS, INDEX, INVENTORY, MAIL, SSH, _event

from actuals.errors import ActualsError
from actuals.evidence import evidence_record, read_assessment, verify_targets
from configure.evidence import build_evidence, write_evidence
from configure.oscal import write_assessment_results
from consolidation._examples import tiny_landscape, tiny_scenario
from consolidation.planner import plan


@pytest.fixture
def assessment(tmp_path):
    evidence = build_evidence([
        _event("runner_on_ok", "vm-a", f"{SSH}:2"), _event("runner_on_ok", "vm-a", f"{SSH}:9"),
        _event("runner_on_ok", "vm-b", f"{SSH}:2"), _event("runner_on_ok", "vm-b", f"{SSH}:9"),
        _event("runner_on_failed", "vm-b", f"{MAIL}:9", msg="open relay"),
    ], index=INDEX, controls=CONTROLS, inventory=INVENTORY, unreachable=["vm-c"],
        run={"rc": 2, "check_mode": False, "id": "r1", "started": "2027-05-14T19:00:00+00:00", "status": "failed"},
        plan={"scenario_id": "s", "inventory_hash": "0" * 64})
    path = tmp_path / "progress" / "evidence" / "run.json"
    path.parent.mkdir(parents=True)
    write_evidence(evidence, path)
    return write_assessment_results(json.loads(path.read_text()), path)


def test_hosts_hardened_and_verified_only_when_every_applicable_control_passed(assessment):
    hosts, _ended = read_assessment(assessment)
    assert {h: a.verified for h, a in hosts.items()} == {"vm-a": True, "vm-b": False, "vm-c": False}
    assert hosts["vm-b"].results["failed"] == 1 and hosts["vm-c"].state == "unreachable"


def test_a_target_is_verified_only_when_all_its_planned_vms_are(assessment):
    p = plan(tiny_landscape(), tiny_scenario())
    vm = p.vms[0]
    vms = (vm.model_copy(update={"id": "vm-a", "target": "t.e-mail"}),
           vm.model_copy(update={"id": "vm-x", "target": "t.e-mail"}),
           vm.model_copy(update={"id": "vm-b", "target": "t.other"}))
    hosts, _ = read_assessment(assessment)
    got = {t.target: (t.complete, t.verified, t.not_verified, t.missing)
           for t in verify_targets(p.model_copy(update={"vms": vms}), hosts)}
    assert got == {"t.e-mail": (False, ("vm-a",), (), ("vm-x",)), "t.other": (False, (), ("vm-b",), ())}
    got = verify_targets(p.model_copy(update={"vms": vms[:1]}), hosts)
    assert [(t.target, t.complete) for t in got] == [("t.e-mail", True)]


def test_evidence_record_is_what_the_progress_loader_checks(assessment, tmp_path):
    from actuals.load import load_actuals

    progress = tmp_path / "progress"
    rec = evidence_record(assessment, progress)
    assert rec["ref"] == "evidence/run.oscal.json"
    (progress / "q.yaml").write_text(
        "schema: 1\nreported: 2027-06-30\nmilestones:\n  - milestone: live.e-mail\n    delivered: 2027-05-15\n"
        f"    evidence:\n      - {{kind: evidence_file, ref: {rec['ref']}, sha256: '{rec['sha256']}'}}\n")
    assert load_actuals(progress).milestones["live.e-mail"].evidence[0].sha256 == rec["sha256"]
    with pytest.raises(ActualsError, match="must lie inside the progress folder"):
        evidence_record(assessment, tmp_path / "elsewhere")


def test_not_an_assessment_is_an_error_naming_the_file(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{}")
    with pytest.raises(ActualsError, match="x.json: not OSCAL assessment results"):
        read_assessment(bad)


def test_actuals_evidence_cli_names_the_targets_and_prints_the_entry_to_record(assessment, tmp_path, capsys):
    from landkarte.cli import main
    from plan.io import write_plan

    p = plan(tiny_landscape(), tiny_scenario())
    vm = p.vms[0]
    path = tmp_path / "plan.json"
    write_plan(p.model_copy(update={"vms": (vm.model_copy(update={"id": "vm-a", "target": "t.e-mail"}),)}), path)
    assert main(["actuals", "evidence", str(assessment), "--plan", str(path), "--progress",
                 str(tmp_path / "progress")]) == 0
    out = capsys.readouterr().out
    assert "1 von 3 Hosts gehärtet und geprüft" in out
    assert "t.e-mail: vollständig gehärtet und geprüft (1 geprüft, 0 nicht bestanden, 0 nicht im Lauf)" in out
    assert "{kind: evidence_file, ref: evidence/run.oscal.json, sha256: " in out
    assert main(["actuals", "evidence", str(assessment), "--plan", str(path), "--progress",
                 str(tmp_path / "progress"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "1 of 3 hosts hardened and verified" in out
    assert "t.e-mail: completely hardened and verified (1 verified, 0 failed, 0 not in the run)" in out
    assert "Evidence entry for the progress file (milestones[].evidence):" in out and "geprüft" not in out
