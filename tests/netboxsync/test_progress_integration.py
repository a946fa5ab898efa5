"""Actuals from a real NetBox: systems marked migrated there and target instances whose planned VMs went into
production are pulled into a progress file, checked against the recorded actuals (differences reported, exit 1) and
re-planned from (issue 17)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from _support import object_changes

from actuals.load import load_actuals
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from landkarte.cli import main
from netboxsync import DeleteBlocked, pull_actuals, pull_landscape, push_landscape
from netboxsync.endpoints import CF_ID, CF_LIVE, CF_PROGRESS, CF_RECORD

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PROGRESS = {
    "ego-saar": {"ego-saar.e-mail-groupware": {"status": "migrated", "date": "2027-02-10"},
                 "ego-saar.verzeichnisdienst": {"status": "migrated", "date": "2027-02-12"},
                 "ego-saar.finanzwesen-doppik": {"status": "in_progress", "date": "2027-05-02"}},
    # planned for 2028-Q2 at T0: done early
    "beckingen": {"beckingen.e-mail-groupware": {"status": "migrated", "date": "2027-06-01"},
                  "beckingen.verzeichnisdienst": {"status": "migrated", "date": "2027-06-01"}},
}


def _set_progress(client, progress: dict[str, dict]) -> None:
    tenants = {t["custom_fields"][CF_ID]: t["id"] for t in client.list("tenancy.tenants")
               if (t.get("custom_fields") or {}).get(CF_ID)}
    client.bulk_update("tenancy.tenants", [{"id": tenants[org], "custom_fields": {CF_PROGRESS: value}}
                                           for org, value in sorted(progress.items())], sorted(progress))


def test_systems_marked_migrated_in_netbox_are_pulled_checked_and_replanned(netbox, small, saarland, tmp_path,
                                                                          capsys):
    push_landscape(netbox, small)
    _set_progress(netbox, PROGRESS)
    # the field is NetBox's: a push neither writes nor compares it, and the inventory round trip stays lossless
    before = object_changes(netbox)
    assert push_landscape(netbox, small).writes == 0 and object_changes(netbox) == before
    assert pull_landscape(netbox) == small
    assert {s: p.status for s, p in pull_actuals(netbox).systems.items()} == {
        s: v["status"] for org in PROGRESS.values() for s, v in org.items()}

    folder = tmp_path / "progress"
    folder.mkdir()
    out = folder / "netbox-2027-Q2.yaml"
    assert main(["actuals", "pull", "--netbox", "--out", str(out), "--reported", "30.06.2027"]) == 0
    assert main(["actuals", "pull", "--netbox", "--out", str(out), "--reported", "30.06.2027"]) == 1  # no overwrite
    assert main(["actuals", "check", str(folder), "--netbox"]) == 0
    capsys.readouterr()

    # someone marks another system in NetBox: reported as a difference, exit 1, nothing merged
    _set_progress(netbox, {"ego-saar": {**PROGRESS["ego-saar"],
                                        "ego-saar.dokumentenmanagement-e-akte": {"status": "in_progress",
                                                                                 "date": "2027-06-15"}}})
    text = out.read_text(encoding="utf-8")
    assert main(["actuals", "check", str(folder), "--netbox"]) == 1
    shown = capsys.readouterr()
    assert "ego-saar.dokumentenmanagement-e-akte" in shown.out and "in_progress 2027-06-15" in shown.out
    assert "1 System(e): erfasster Ist-Stand in" in shown.err and out.read_text(encoding="utf-8") == text
    assert main(["actuals", "check", str(folder), "--netbox", "--lang", "en"]) == 1
    shown = capsys.readouterr()
    assert "Actuals: recorded (progress files) and NetBox differ" in shown.out and "1 system(s) differ" in shown.err

    # re-plan from what NetBox said
    actuals = load_actuals(folder, landscape=saarland)
    scenario = load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml")
    p = plan(saarland, scenario, as_of=date(2027, 7, 1), actuals=actuals)
    a = {x.system: x for x in p.assignments}
    assert p.feasible and p.meta.actuals == actuals.content_hash
    assert (a["ego-saar.e-mail-groupware"].quarter_label, a["ego-saar.e-mail-groupware"].progress) == ("2027-Q1", "done")
    assert (a["beckingen.e-mail-groupware"].quarter_label, a["beckingen.e-mail-groupware"].progress) == (
        "2027-Q2", "done")
    assert a["ego-saar.finanzwesen-doppik"].progress == "in_progress"
    assert a["ego-saar.finanzwesen-doppik"].quarter_label in ("2027-Q3", "2027-Q4")
    assert a["ego-saar.dokumentenmanagement-e-akte"].quarter_label >= "2027-Q3"
    assert all(x.quarter_label >= "2027-Q3" for x in p.assignments if x.progress == "planned")


def test_invalid_progress_in_netbox_is_one_clear_error_and_nothing_written(netbox, small, tmp_path, capsys):
    push_landscape(netbox, small)
    _set_progress(netbox, {"beckingen": {"beckingen.e-mail-groupware": {"status": "fertig"}}})
    out = tmp_path / "p.yaml"
    assert main(["actuals", "pull", "--netbox", "--out", str(out), "--reported", "30.06.2027"]) == 1
    err = capsys.readouterr().err
    assert "tenant" in err and "landkarte_progress['beckingen.e-mail-groupware'].status: must be one of" in err
    assert "Traceback" not in err and not out.exists()


# ------------------------------------------------------------------------- target instances going live

T0, T1 = date(2026, 12, 5), date(2027, 7, 1)
LIVE = date(2027, 5, 15)


@pytest.fixture(scope="module")
def plan_t0(saarland):
    """The Saarland sample's plan at the first board meeting (the one ``push --plan`` wrote to NetBox)."""
    return plan(saarland, load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"), as_of=T0)


def _planned_vms(client) -> dict[str, list[dict]]:
    """Target instance → its planned VMs in NetBox (by name)."""
    out: dict[str, list[dict]] = {}
    for vm in client.list("virtualization.virtual-machines"):
        cfs = vm.get("custom_fields") or {}
        if str(cfs.get(CF_ID) or "").startswith("plan/vm/"):
            out.setdefault(cfs[CF_RECORD]["target"], []).append(vm)
    return {t: sorted(vms, key=lambda v: v["name"]) for t, vms in out.items()}


def _set_live(client, vms: list[dict], day: str | None) -> None:
    client.bulk_update("virtualization.virtual-machines", [{"id": v["id"], "custom_fields": {CF_LIVE: day}}
                                                           for v in vms], [v["name"] for v in vms])


def test_a_target_whose_planned_vms_went_live_in_netbox_is_pulled_checked_and_replanned(
        netbox, saarland, plan_t0, tmp_path, capsys):
    from plan.calendar import quarter_label
    from plan.io import read_plan

    push_landscape(netbox, saarland, plan_t0)
    vms = _planned_vms(netbox)
    first = {}
    for a in plan_t0.assignments:
        if a.target is not None and a.quarter is not None:
            first[a.target] = min(first.get(a.target, a.quarter), a.quarter)
    # the platform of a domain whose first tenant moves late goes into production early (all its VMs) …
    late = max((t for t in vms if t in first), key=lambda t: (first[t], t))
    # … and of another only some VMs are in production yet
    partly = min(t for t in vms if t != late and len(vms[t]) > 1)
    assert quarter_label(plan_t0.meta.start, first[late]) >= "2027-Q3"  # its first tenant moves after the live day
    _set_live(netbox, vms[late][:-1], "2027-04-20")
    _set_live(netbox, vms[late][-1:], LIVE.isoformat())
    _set_live(netbox, vms[partly][:1], "2027-06-01")
    # the platform engineers also set the VMs' status: a push leaves status and live days as NetBox has them,
    # also when it changes the VM for a new plan
    netbox.bulk_update("virtualization.virtual-machines", [{"id": v["id"], "status": "active"} for v in vms[late]],
                       [v["name"] for v in vms[late]])
    before = object_changes(netbox)
    assert push_landscape(netbox, saarland, plan_t0).writes == 0 and object_changes(netbox) == before
    grown = plan_t0.model_copy(update={"vms": tuple(v.model_copy(update={"vcpu": v.vcpu + 1})
                                                    if v.target == late else v for v in plan_t0.vms)})
    assert push_landscape(netbox, saarland, grown).objects == {"updated": len(vms[late])}
    after = _planned_vms(netbox)[late]
    assert [(v["status"]["value"], v["custom_fields"][CF_LIVE]) for v in after] == (
        [("active", "2027-04-20")] * (len(after) - 1) + [("active", LIVE.isoformat())])
    # a new plan without one of its VMs does not delete a VM in production: the push stops before any write
    gone = vms[late][0]["custom_fields"][CF_ID].removeprefix("plan/vm/")
    fewer = plan_t0.model_copy(update={"vms": tuple(v for v in plan_t0.vms if v.id != gone)})
    changes = object_changes(netbox)
    with pytest.raises(DeleteBlocked, match=r"in production since 2027-0[45]-\d\d \(landkarte_live\)"):
        push_landscape(netbox, saarland, fewer)
    assert object_changes(netbox) == changes
    push_landscape(netbox, saarland, plan_t0)
    assert pull_landscape(netbox) == saarland  # the inventory round trip stays lossless

    folder = tmp_path / "progress"
    folder.mkdir()
    out = folder / "netbox-2027-Q2.yaml"
    assert main(["actuals", "pull", "--netbox", "--out", str(out), "--reported", "10.05.2027"]) == 1  # a later day
    assert f"later days for {late}" in capsys.readouterr().err and not out.exists()
    assert main(["actuals", "pull", "--netbox", "--out", str(out), "--reported", "30.06.2027"]) == 0
    shown = capsys.readouterr().out
    assert f"nur teilweise in Betrieb, nicht übernommen: {partly} (1 von {len(vms[partly])} VMs" in shown
    text = out.read_text(encoding="utf-8")
    assert f"- target: {late}\n  live: {LIVE.isoformat()}\n" in text and "# Nur teilweise in Betrieb" in text
    actuals = load_actuals(folder, landscape=saarland, plan=plan_t0)  # the ids are the plan's
    assert {t: x.live for t, x in actuals.targets.items()} == {late: LIVE}

    # check: equal, the partly live one listed; then NetBox says more: a difference, exit 1, nothing merged
    assert main(["actuals", "check", str(folder), "--netbox"]) == 0
    shown = capsys.readouterr().out
    assert "nur teilweise in Betrieb" in shown and partly in shown and "stimmen überein" in shown
    _set_live(netbox, vms[partly][1:], "2027-06-20")
    assert main(["actuals", "check", str(folder), "--netbox", "--json"]) == 1
    captured = capsys.readouterr()
    assert '"target": "' + partly + '"' in captured.out and '"netbox": "2027-06-20"' in captured.out
    assert "1 Zielinstanz(en): erfasster Ist-Stand in" in captured.err and out.read_text(encoding="utf-8") == text
    assert main(["actuals", "check", str(folder), "--netbox"]) == 1
    assert "in Betrieb seit 20.06.2027" in capsys.readouterr().out
    assert main(["actuals", "check", str(folder), "--netbox", "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "live since 2027-06-20" in captured.out and "1 target instance(s) differ" in captured.err

    # re-plan from what NetBox said: the target's go-live is its live day, its moves come after it
    replanned = tmp_path / "plan-t1.json"
    assert main(["plan", str(ROOT / "inventory" / "samples" / "saarland"), "--scenario",
                 str(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"), "--actuals", str(folder),
                 "--as-of", "01.07.2027", "--out", str(replanned)]) == 0
    p1 = read_plan(replanned)
    assert p1.feasible and p1.meta.actuals == actuals.content_hash and p1.meta.as_of == T1
    milestone = f"live.{late[2:]}"
    was = {f.milestone: f.reason.params["quarter"] for f in plan_t0.funding}
    now = {f.milestone: f.reason.params["quarter"] for f in p1.funding}
    assert was[milestone] >= "2027-Q3" and now[milestone] == "2027-Q2"
    moves = [a.quarter_label for a in p1.assignments if a.target == late and a.quarter is not None]
    assert moves and all(q >= "2027-Q3" for q in moves)


def test_a_live_value_in_netbox_that_is_not_a_day_is_one_clear_error_and_nothing_written(netbox, small, tmp_path,
                                                                                        capsys):
    from _support import tiny_plan

    push_landscape(netbox, small, tiny_plan(small))
    vm = next(v for vs in _planned_vms(netbox).values() for v in vs)
    # NetBox refuses a non-date in a date field and a change of a field's type; a text arrives when someone replaced
    # the field by a text field of the same name
    [field] = [f for f in netbox.list("extras.custom-fields") if f["name"] == CF_LIVE]
    netbox.bulk_delete("extras.custom-fields", [field["id"]], [CF_LIVE])
    netbox.bulk_create("extras.custom-fields", [{"name": CF_LIVE, "type": "text", "label": "In Betrieb",
                                                 "object_types": ["virtualization.virtualmachine"]}], [CF_LIVE])
    _set_live(netbox, [vm], "nächste Woche")
    out = tmp_path / "p.yaml"
    assert main(["actuals", "pull", "--netbox", "--out", str(out), "--reported", "30.06.2027"]) == 1
    err = capsys.readouterr().err
    assert (f"virtual machine {vm['name']!r} ({vm['custom_fields'][CF_ID]}): landkarte_live: 'nächste Woche' is not "
            "a day") in err
    assert "Traceback" not in err and not out.exists()
    (tmp_path / "progress").mkdir()
    assert main(["actuals", "check", str(tmp_path / "progress"), "--netbox"]) == 1
    assert "'nächste Woche' is not a day" in capsys.readouterr().err
