"""Actuals from a real NetBox: systems marked migrated there are pulled into a progress file, checked against the
recorded actuals (differences reported, exit 1) and re-planned from (issue 17)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from _support import object_changes

from actuals.load import load_actuals
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from landkarte.cli import main
from netboxsync import pull_landscape, pull_progress, push_landscape
from netboxsync.endpoints import CF_ID, CF_PROGRESS

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
    assert {s: p.status for s, p in pull_progress(netbox).items()} == {
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
    assert "1 system(s) differ" in shown.err and out.read_text(encoding="utf-8") == text

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
