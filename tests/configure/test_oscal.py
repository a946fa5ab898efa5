"""OSCAL: the roles' component definitions and a run's assessment results validate; the reader."""

from __future__ import annotations

import json

import pytest
from test_evidence import ARCH, CONTROLS, INDEX, INVENTORY, KONF, MAIL, SSH, _event
from trestle.oscal.assessment_results import AssessmentResults
from trestle.oscal.component import ComponentDefinition

from configure import PLAYBOOK_DIR
from configure.evidence import build_evidence, write_evidence
from configure.oscal import (
    COMPONENT_FILE,
    DEFAULT_CATALOGUE_DIR,
    component_definition,
    controls_failed_per_data_centre,
    load_controls,
    read_catalogue,
    read_crosswalk,
    write_assessment_results,
)

ROLE_DIRS = sorted(p.parent.parent for p in PLAYBOOK_DIR.glob("roles/*/meta/controls.yml"))


def test_every_role_ships_a_component_definition():
    roles = sorted(p.name for p in (PLAYBOOK_DIR / "roles").iterdir() if p.is_dir())
    assert [d.name for d in ROLE_DIRS] == roles
    assert all((d / "meta" / COMPONENT_FILE).exists() for d in ROLE_DIRS)


@pytest.mark.parametrize("role_dir", ROLE_DIRS, ids=lambda d: d.name)
def test_component_definition_validates_against_the_oscal_model(role_dir):
    doc = json.loads((role_dir / "meta" / COMPONENT_FILE).read_text())
    model = ComponentDefinition.model_validate(doc["component-definition"])
    reqs = model.components[0].control_implementations[0].implemented_requirements
    assert reqs and all(r.control_id.startswith("_") for r in reqs)


@pytest.mark.skipif(not (DEFAULT_CATALOGUE_DIR / "ITGS-to-GS++-mapping_collection.json").exists(),
                    reason="BSI Grundschutz++ catalogue not on this machine")
@pytest.mark.parametrize("role_dir", ROLE_DIRS, ids=lambda d: d.name)
def test_component_definition_is_generated_from_the_catalogue_and_up_to_date(role_dir):
    shipped = json.loads((role_dir / "meta" / COMPONENT_FILE).read_text())
    assert component_definition(role_dir, read_catalogue(), read_crosswalk()) == shipped


def test_component_definition_rejects_unknown_uuid_and_task(tmp_path):
    role = tmp_path / "roles" / "demo"
    (role / "meta").mkdir(parents=True)
    (role / "tasks").mkdir()
    (role / "tasks" / "main.yml").write_text("- name: Do it\n  ansible.builtin.debug: {msg: x}\n")
    (role / "meta" / "controls.yml").write_text(
        "component: {title: t, description: d}\ncontrols:\n"
        f"  - {{uuid: {KONF}, id: KONF.4.4, description: x, tasks: [Do it, Nope], verified_by: [Do it]}}\n"
        "  - {uuid: 00000000-0000-0000-0000-000000000000, id: X.1, description: x, tasks: [], verified_by: []}\n")
    catalogue = {KONF: {"id": "KONF.4.3", "title": "Authentifizierung", "statement": ""}}
    with pytest.raises(ValueError) as err:
        component_definition(role, catalogue, {})
    assert str(err.value).splitlines() == [
        f"{role}/meta/controls.yml: controls[0].id: KONF.4.4 but the catalogue calls {KONF} KONF.4.3",
        f"{role}/meta/controls.yml: controls[0].tasks: no task 'Nope' in role demo",
        (f"{role}/meta/controls.yml: controls[1].uuid: 00000000-0000-0000-0000-000000000000 is not a control "
        "of the Kernel catalogue"),
    ]


def test_claims_only_where_the_role_provides_it():
    controls = {c.id: c for c in load_controls(PLAYBOOK_DIR).values()}
    assert {"NOT.4.10", "NOT.4.8", "DET.3.1", "KONF.4.3", "ARCH.5.1"} <= set(controls)
    # Off-host backup and central logging are proven by a task that talks to the other host.
    assert controls["NOT.4.10"].verified_by == (("backup", "Check that the repository on the backup host answers"),)
    assert ("logging", "Check that the marker message arrived on the central log host") in controls["DET.3.1"].verified_by
    assert controls["ARCH.5.1"].roles == ("mailrelay", "nftables")


def _evidence():
    return build_evidence([
        _event("runner_on_ok", "vm-a", f"{SSH}:2"), _event("runner_on_ok", "vm-a", f"{SSH}:9"),
        _event("runner_on_failed", "vm-b", f"{MAIL}:9", msg="open relay"),
    ], index=INDEX, controls=CONTROLS, inventory=INVENTORY, unreachable=["vm-c"],
        run={"rc": 2, "check_mode": False, "id": "r1", "started": "2026-12-05T19:00:00+00:00", "status": "failed"},
        plan={"scenario_id": "s", "inventory_hash": "0" * 64})


def test_assessment_results_validate_and_carry_host_subjects_and_evidence_hash(tmp_path):
    path = tmp_path / "evidence.json"
    write_evidence(_evidence(), path)
    out = write_assessment_results(json.loads(path.read_text()), path)
    assert out == tmp_path / "evidence.oscal.json"
    doc = json.loads(out.read_text())
    model = AssessmentResults.model_validate(doc["assessment-results"])
    result = model.results[0]
    assert {o.subjects[0].title for o in result.observations} == {"vm-a", "vm-b", "vm-c"}
    rlink = model.back_matter.resources[0].rlinks[0]
    import hashlib
    assert rlink.hashes[0].value == hashlib.sha256(path.read_bytes()).hexdigest()
    states = {(f.props[1].value, f.props[3].value): (f.props[0].value, f.target.status.state.value)
              for f in result.findings}
    assert states[("vm-a", "KONF.4.3")] == ("passed", "satisfied")
    assert states[("vm-b", "ARCH.5.1")] == ("failed", "not-satisfied")
    assert states[("vm-c", "KONF.4.3")] == ("unreachable", "not-satisfied")
    assert ("vm-a", "ARCH.5.1") not in states  # not applicable: no finding


def test_reader_lists_failed_controls_per_data_centre_not_unreachable(tmp_path):
    path = tmp_path / "evidence.json"
    write_evidence(_evidence(), path)
    failed = controls_failed_per_data_centre(write_assessment_results(json.loads(path.read_text()), path))
    assert failed == {"rz-1": [{"control": "ARCH.5.1", "uuid": ARCH,
                                "title": "ARCH.5.1 Einschränkung und Inspektion von Verbindungen", "hosts": ["vm-b"]}]}
