"""NetBox → actuals without a NetBox: the tenants' landkarte_progress read strictly, differences reported."""

from __future__ import annotations

from datetime import date

import pytest

from actuals.models import SystemProgress
from netboxsync.endpoints import CF_ID, CF_PROGRESS, CF_SYSTEMS, CUSTOM_FIELDS, OWNER_TAG
from netboxsync.errors import InvalidProgress
from netboxsync.progress import progress_differences, progress_from_state
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
