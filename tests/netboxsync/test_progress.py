"""NetBox → actuals without a NetBox: the tenants' landkarte_progress and the planned VMs' landkarte_live read
strictly, differences reported; push leaves both (and a planned VM's status) to NetBox, a release clears them."""

from __future__ import annotations

from datetime import date

import pytest

from actuals.models import SystemProgress, TargetLive
from netboxsync.endpoints import CF_ID, CF_LIVE, CF_PROGRESS, CF_RECORD, CF_SYSTEMS, CUSTOM_FIELDS, OWNER_TAG
from netboxsync.errors import InvalidProgress
from netboxsync.progress import (
    NetBoxActuals,
    TargetDifference,
    TargetInNetBox,
    actuals_from_state,
    progress_differences,
    progress_from_state,
    target_differences,
    targets_from_state,
)
from netboxsync.state import State


def _tenant(i: int, key: str, progress, *, tagged: bool = True) -> dict:
    return {"id": i, "name": key.upper(), "tags": [{"slug": OWNER_TAG}] if tagged else [],
            "custom_fields": {CF_ID: key, CF_SYSTEMS: [{"id": f"{key}.mail"}, {"id": f"{key}.ewo"}],
                              CF_PROGRESS: progress}}


def test_progress_is_read_from_landkarte_tenants_only():
    state = State({"tenancy.tenants": [
        _tenant(1, "a", {"a.mail": {"status": "migrated", "date": "2027-02-15"},
                         "a.ewo": {"status": "postponed", "reason": "Wahl", "not_before": "2027-10-01"}}),
        _tenant(2, "b", None),
        _tenant(3, "c", {"c.mail": {"status": "migrated", "date": "2027-02-15"}}, tagged=False),
    ]})
    got = progress_from_state(state)
    assert got == {
        "a.ewo": SystemProgress(system="a.ewo", status="postponed", reason="Wahl", not_before=date(2027, 10, 1)),
        "a.mail": SystemProgress(system="a.mail", status="migrated", date=date(2027, 2, 15)),
    }


def test_invalid_progress_names_tenant_system_and_value_and_every_problem():
    state = State({"tenancy.tenants": [
        _tenant(1, "a", {"a.mail": {"status": "done", "date": "2027-02-15"}, "a.ewo": {"status": "postponed"},
                         "b.mail": {"status": "migrated", "date": "2027-02-15"}}),
        _tenant(2, "b", ["not", "a", "mapping"]),
    ]})
    with pytest.raises(InvalidProgress) as info:
        progress_from_state(state)
    assert info.value.problems == [
        "tenant 'A' (a): landkarte_progress['a.ewo']: status postponed needs a reason",
        "tenant 'A' (a): landkarte_progress['a.mail'].status: must be one of: migrated, in_progress or postponed",
        "tenant 'A' (a): landkarte_progress['b.mail']: the tenant has no system 'b.mail'",
        "tenant 'B' (b): landkarte_progress: must be a JSON object of system id → progress, not list",
    ]


def test_differences_are_listed_not_merged():
    rec = {"a.mail": SystemProgress(system="a.mail", status="migrated", date=date(2027, 2, 15)),
           "a.ewo": SystemProgress(system="a.ewo", status="in_progress", date=date(2027, 3, 1))}
    nb = {"a.mail": SystemProgress(system="a.mail", status="migrated", date=date(2027, 2, 15)),
          "a.dms": SystemProgress(system="a.dms", status="migrated", date=date(2027, 5, 2))}
    assert [(d.system, d.recorded, d.netbox) for d in progress_differences(rec, nb)] == [
        ("a.dms", "–", "migrated 2027-05-02"), ("a.ewo", "in_progress 2027-03-01", "–")]
    assert progress_differences(rec, dict(rec)) == []


def test_the_progress_field_is_landkartes_but_never_pushed():
    from netboxsync.endpoints import ENDPOINTS

    assert CF_PROGRESS in CUSTOM_FIELDS and CUSTOM_FIELDS[CF_PROGRESS][0] == "json"
    assert all(CF_PROGRESS not in spec.custom_fields for spec in ENDPOINTS)  # never compared nor written by push
    assert len(CUSTOM_FIELDS[CF_PROGRESS][2]) <= 200  # NetBox's limit for a description


# ------------------------------------------------------------------ target instances live (landkarte_live on planned VMs)


def _vm(i: int, name: str, target: str | None, live, *, key: str | None = None, tagged: bool = True) -> dict:
    record = {"id": f"vm.{name}", "target": target} if target is not None else {"id": f"vm.{name}"}
    return {"id": i, "name": name, "tags": [{"slug": OWNER_TAG}] if tagged else [],
            "custom_fields": {CF_ID: key or f"plan/vm/vm.{name}", CF_RECORD: record, CF_LIVE: live}}


def test_a_target_is_live_on_the_latest_day_of_its_vms_when_every_planned_vm_has_one():
    state = State({"virtualization.virtual-machines": [
        _vm(1, "backup-app1", "t.backup", "2027-05-02"), _vm(2, "backup-app2", "t.backup", "2027-05-15"),
        _vm(3, "mail-app1", "t.mail", "2027-01-25"), _vm(4, "mail-db1", "t.mail", None),
        _vm(5, "iam-app1", "t.iam", None),
        # not the plan's: an inventory VM, someone else's VM with a plan key
        _vm(6, "bous-vm1", None, "2027-01-01", key="bous.vm1"), _vm(7, "x", "t.iam", "2027-01-01", tagged=False),
    ]})
    got = targets_from_state(state)
    assert got == {
        "t.backup": TargetInNetBox("t.backup", ("backup-app1", "backup-app2"),
                                   (("backup-app1", date(2027, 5, 2)), ("backup-app2", date(2027, 5, 15)))),
        "t.iam": TargetInNetBox("t.iam", ("iam-app1",)),
        "t.mail": TargetInNetBox("t.mail", ("mail-app1", "mail-db1"), (("mail-app1", date(2027, 1, 25)),)),
    }
    assert [(t, x.live_day, x.partly_live) for t, x in got.items()] == [
        ("t.backup", date(2027, 5, 15), False), ("t.iam", None, False), ("t.mail", None, True)]
    nb = NetBoxActuals({}, got)
    assert nb.live_targets() == {"t.backup": TargetLive(target="t.backup", live=date(2027, 5, 15))}
    assert [t.target for t in nb.partly_live()] == ["t.mail"] and nb.partly_live()[0].not_live == ("mail-db1",)


def test_a_live_value_that_is_not_a_day_names_the_vm_and_the_value_with_every_other_problem():
    state = State({
        "tenancy.tenants": [_tenant(1, "a", {"a.mail": {"status": "fertig"}})],
        "virtualization.virtual-machines": [
            _vm(1, "backup-app1", "t.backup", "nächste Woche"), _vm(2, "backup-app2", "t.backup", "15.05.2027"),
            _vm(3, "mail-app1", "t.mail", "2027-02-30"), _vm(4, "mail-app2", "t.mail", "2027-05-15"),
            _vm(5, "iam-app1", None, "2027-05-15")],
    })
    with pytest.raises(InvalidProgress) as info:
        actuals_from_state(state)
    assert info.value.problems == [
        "tenant 'A' (a): landkarte_progress['a.mail'].status: must be one of: migrated, in_progress or postponed",
        ("virtual machine 'backup-app1' (plan/vm/vm.backup-app1): landkarte_live: 'nächste Woche' is not a day "
        "(YYYY-MM-DD between 1950 and 2100)"),
        ("virtual machine 'backup-app2' (plan/vm/vm.backup-app2): landkarte_live: '15.05.2027' is not a day "
        "(YYYY-MM-DD between 1950 and 2100)"),
        ("virtual machine 'mail-app1' (plan/vm/vm.mail-app1): landkarte_live: '2027-02-30' is not a day "
        "(YYYY-MM-DD between 1950 and 2100)"),
        ("virtual machine 'iam-app1' (plan/vm/vm.iam-app1): landkarte_live: the VM names no target instance in "
        "landkarte_record (push the plan again)"),
    ]
    assert str(info.value).startswith("5 invalid progress value(s) in NetBox; nothing was written:")


def test_target_differences_compare_live_days_and_skip_targets_netbox_has_no_vm_of():
    rec = {"t.backup": TargetLive(target="t.backup", live=date(2027, 5, 15)),
           "t.mail": TargetLive(target="t.mail", live=date(2027, 1, 25)),
           "t.iam": TargetLive(target="t.iam", live=date(2027, 1, 20)),
           "t.dms": TargetLive(target="t.dms", live=date(2027, 3, 1))}   # NetBox has no VM of it: not compared
    nb = {"t.backup": TargetInNetBox("t.backup", ("b1",), (("b1", date(2027, 5, 15)),)),
          "t.mail": TargetInNetBox("t.mail", ("m1", "m2"), (("m1", date(2027, 1, 25)),)),
          "t.iam": TargetInNetBox("t.iam", ("i1",), (("i1", date(2027, 1, 21)),)),
          "t.geo": TargetInNetBox("t.geo", ("g1",), (("g1", date(2027, 6, 1)),))}
    assert target_differences(rec, nb) == [
        TargetDifference("t.geo", None, date(2027, 6, 1), 1, 1),
        TargetDifference("t.iam", date(2027, 1, 20), date(2027, 1, 21), 1, 1),
        TargetDifference("t.mail", date(2027, 1, 25), None, 1, 2),
    ]
    assert target_differences({k: v for k, v in rec.items() if k != "t.iam"},
                              {k: v for k, v in nb.items() if k in ("t.backup", "t.dms")}) == []


def test_the_live_field_is_landkartes_on_vms_but_never_pushed():
    from netboxsync.endpoints import ENDPOINTS, FILLED_IN_NETBOX

    assert CUSTOM_FIELDS[CF_LIVE][:2] == ("date", "Landkarte-Inbetriebnahme")
    assert FILLED_IN_NETBOX == {CF_PROGRESS: ("tenancy.tenant",), CF_LIVE: ("virtualization.virtualmachine",)}
    assert all(CF_LIVE not in spec.custom_fields for spec in ENDPOINTS)  # never compared nor written by push
    assert len(CUSTOM_FIELDS[CF_LIVE][2]) <= 200


def test_a_planned_vms_status_is_written_when_it_is_created_and_left_to_netbox_after_that():
    from netboxsync.state import Desired
    from netboxsync.sync import diff

    fields = {"name": "backup-app1", "cluster": None, "site": None, "device": None, "tenant": None, "platform": None,
              "role": None, "status": "planned", "vcpus": 4, "memory": 16384, "disk": 200000}
    vm = Desired("virtualization.virtual-machines", "plan/vm/vm.backup.app1", "planned VM 'backup-app1'", fields,
                 {CF_ID: "plan/vm/vm.backup.app1"}, frozenset({"status"}))
    [create] = [c for c in diff([vm], State({"virtualization.virtual-machines": []}), with_plan=True)
                if c.key == vm.key]
    assert create.action == "create" and create.fields["status"] == (None, "planned")
    have = {**fields, "id": 9, "status": {"value": "active", "label": "Active"}, "tags": [{"slug": OWNER_TAG}],
            "custom_fields": {CF_ID: vm.key, CF_LIVE: "2027-05-15"}}
    state = State({"virtualization.virtual-machines": [have]})
    assert [c for c in diff([vm], state, with_plan=True) if c.key == vm.key] == []
    state = State({"virtualization.virtual-machines": [{**have, "vcpus": 2}]})
    [update] = [c for c in diff([vm], state, with_plan=True) if c.key == vm.key]
    assert (update.action, update.fields) == ("update", {"vcpus": (2, 4)})


def test_the_mapping_leaves_only_the_planned_vms_status_to_netbox():
    from pathlib import Path

    from _support import tiny_plan

    from inventory.load import load_landscape
    from netboxsync.mapping import desired_objects

    mini = load_landscape(Path(__file__).resolve().parents[1] / "data" / "valid" / "mini")
    desired = desired_objects(mini, tiny_plan(mini))
    assert {d.key: d.create_only for d in desired if d.create_only} == {
        "plan/vm/vm.mail": frozenset({"status"}), "plan/vm/vm.iam": frozenset({"status"})}


def test_a_release_clears_the_fields_netbox_fills_too():
    from collections import Counter
    from types import SimpleNamespace

    from netboxsync.endpoints import CF_DEPENDENCIES, CF_ONLINE_SERVICES, SPECS
    from netboxsync.sync import Change, _release

    calls = []
    client = SimpleNamespace(stats=SimpleNamespace(objects=Counter()),
                             bulk_update=lambda ep, bodies, labels: calls.append((ep, bodies)))
    for endpoint, obj in (("virtualization.virtual-machines", _vm(4, "x", "t.x", "2027-05-15")),
                          ("tenancy.tenants", _tenant(5, "a", {}))):
        _release(client, SPECS[endpoint], [Change("release", endpoint, "k", "label", id=obj["id"])],
                 State({endpoint: [obj]}))
    assert calls == [
        ("virtualization.virtual-machines",
         [{"id": 4, "tags": [], "custom_fields": {CF_ID: None, CF_RECORD: None, CF_LIVE: None}}]),
        ("tenancy.tenants",
         [{"id": 5, "tags": [], "custom_fields": {CF_ID: None, CF_RECORD: None, CF_SYSTEMS: None, CF_DEPENDENCIES: None,
                                                  CF_ONLINE_SERVICES: None, CF_PROGRESS: None}}]),
    ]


def test_a_planned_vm_in_production_is_not_deleted_by_a_plan_without_it():
    from netboxsync.sync import Change, _in_production

    vms = "virtualization.virtual-machines"
    state = State({vms: [_vm(4, "a", "t.x", "2027-05-15"), _vm(5, "b", "t.x", None)],
                   "tenancy.tenants": [_tenant(6, "c", {"c.mail": {"status": "migrated", "date": "2027-02-15"}})]})
    deletes = [Change("delete", vms, "plan/vm/vm.a", "planned VM 'a'", id=4),
               Change("delete", vms, "plan/vm/vm.b", "planned VM 'b'", id=5),
               Change("delete", "tenancy.tenants", "c", "tenant 'C'", id=6)]
    assert _in_production(state, deletes) == {
        (vms, 4): ("its platform engineers: it is in production since 2027-05-15 (landkarte_live); clear that field "
                   "in NetBox once it is really gone")}


def test_docstring_examples_run():
    import doctest

    import netboxsync.progress

    result = doctest.testmod(netboxsync.progress)
    assert result.attempted > 0 and result.failed == 0
