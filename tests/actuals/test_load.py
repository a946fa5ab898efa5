"""The progress folder: strict models, every error with file:line, merging across files."""

from __future__ import annotations

import doctest
import hashlib
import importlib
from datetime import date
from pathlib import Path

import pytest

from actuals.errors import ActualsError
from actuals.load import load_actuals
from common.errors import InputError


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(folder: Path, **kw) -> list[str]:
    with pytest.raises(ActualsError) as info:
        load_actuals(folder, **kw)
    return [str(i) for i in info.value.issues]


GOOD = """\
schema: 1
reported: 31.03.2027
systems:
  - system: bous.einwohnermeldewesen
    status: migrated
    date: 2027-02-15
  - system: bous.finanzwesen-doppik
    status: in_progress
    date: 01.03.2027
  - system: bous.e-mail-groupware
    status: postponed
    reason: "Personal fehlt bis zum Herbst"
    not_before: 2027-10-01
targets:
  - target: e-mail-groupware.x.dc
    live: 2027-01-10
milestones:
  - milestone: live.e-mail-groupware
    delivered: 2027-01-10
    evidence:
      - kind: netbox
        ref: virtualization/virtual-machines/123
      - kind: stack_output
        ref: "prod:vm_ids"
      - kind: document
        ref: "Abnahmeprotokoll vom 10.01.2027"
    claimed: 2027-02-01
"""


def test_good_file_loads_with_german_and_iso_days(tmp_path):
    write(tmp_path, "2027-Q1.yaml", GOOD)
    a = load_actuals(tmp_path)
    assert a.reported == date(2027, 3, 31)
    assert a.systems["bous.finanzwesen-doppik"].date == date(2027, 3, 1)
    assert a.systems["bous.e-mail-groupware"].not_before == date(2027, 10, 1)
    assert a.targets["e-mail-groupware.x.dc"].live == date(2027, 1, 10)
    assert a.milestones["live.e-mail-groupware"].claimed == date(2027, 2, 1)
    assert set(a.by_status("migrated")) == {"bous.einwohnermeldewesen"}
    assert len(a.content_hash) == 64 and a.files == (str(tmp_path / "2027-Q1.yaml"),)


def test_empty_folder_gives_empty_actuals(tmp_path):
    a = load_actuals(tmp_path)
    assert a.systems == {} and a.reported is None and len(a.content_hash) == 64


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not a folder"):
        load_actuals(tmp_path / "nope")


HEAD = "schema: 1\nreported: 2027-03-31\nsystems:\n  - system: bous.x\n"


@pytest.mark.parametrize(("text", "message"), [
    pytest.param(HEAD + "    status: done\n    date: 2027-01-01\n",
                 ":5:13 systems[0].status: must be one of: migrated, in_progress or postponed", id="bad-status"),
    pytest.param(HEAD + "    status: migrated\n    date: 2027-01-01\n    wave: 3\n",
                 ":7:5 systems[0].wave: unknown key", id="unknown-key"),
    pytest.param(HEAD + "    status: postponed\n",
                 ":4:5 systems[0]: status postponed needs a reason", id="postponed-without-reason"),
    pytest.param(HEAD + "    status: migrated\n",
                 ":4:5 systems[0]: status migrated needs its date (the cut-over day)", id="migrated-without-date"),
    pytest.param(HEAD + "    status: migrated\n    date: 2027-04-02\n",
                 ":1:1: reported 2027-03-31 but it records later days: date 2027-04-02 of bous.x",
                 id="day-after-reported"),
    pytest.param("schema: 1\nreported: 31.02.2027\n",
                 ":2:11 reported: '31.02.2027' is not a day of the calendar", id="impossible-german-day"),
    pytest.param("schema: 2\nreported: 2027-03-31\n", ":1:9 schema: must be one of: 1", id="wrong-schema-version"),
])
def test_a_bad_progress_file_names_file_line_and_key(tmp_path, text, message):
    f = write(tmp_path, "q.yaml", text)
    assert errors(tmp_path) == [f"{f}{message}"]


def test_unknown_system_id_against_the_inventory(tmp_path, saarland):
    f = write(tmp_path, "q.yaml", "schema: 1\nreported: 2027-03-31\nsystems:\n"
              "  - system: bous.einwohnermeldewesn\n    status: migrated\n    date: 2027-01-01\n")
    assert errors(tmp_path, landscape=saarland) == [
        (f"{f}:4:13 systems[0].system: unknown system 'bous.einwohnermeldewesn': not in the inventory "
        "(did you mean 'bous.einwohnermeldewesen'?)")]


def test_evidence_file_sha256_is_checked(tmp_path):
    write(tmp_path / "evidence", "host.json", '{"ok": true}\n')
    good = hashlib.sha256(b'{"ok": true}\n').hexdigest()
    text = ("schema: 1\nreported: 2027-03-31\nmilestones:\n  - milestone: live.x\n    delivered: 2027-01-10\n"
            "    evidence:\n      - kind: evidence_file\n        ref: evidence/host.json\n        sha256: '{}'\n")
    write(tmp_path, "q.yaml", text.format(good))
    assert load_actuals(tmp_path).milestones["live.x"].evidence[0].sha256 == good
    f = write(tmp_path, "q.yaml", text.format("0" * 64))
    assert errors(tmp_path) == [
        (f"{f}:9:17 milestones[0].evidence[0].sha256: the evidence file 'evidence/host.json' has SHA-256 {good}, "
        "not the one recorded here (the file changed after it was recorded)")]


def test_evidence_file_missing_or_outside_or_without_hash(tmp_path):
    f = write(tmp_path, "q.yaml", "schema: 1\nreported: 2027-03-31\nmilestones:\n"
              "  - milestone: live.x\n    delivered: 2027-01-10\n    evidence:\n"
              f"      - {{kind: evidence_file, ref: gone.json, sha256: {'a' * 64}}}\n"
              f"      - {{kind: evidence_file, ref: ../etc/passwd, sha256: {'a' * 64}}}\n"
              "      - {kind: evidence_file, ref: x.json}\n"
              "      - {kind: netbox, ref: 'dcim/devices'}\n")
    assert errors(tmp_path) == [
        (f"{f}:8:9 milestones[0].evidence[1]: evidence_file ref '../etc/passwd' must be a path inside the progress "
        "folder"),
        f"{f}:9:9 milestones[0].evidence[2]: an evidence_file needs its sha256 (sha256sum FILE)",
        (f"{f}:10:9 milestones[0].evidence[3]: netbox ref 'dcim/devices' must be an API path like "
        "'virtualization/virtual-machines/123'"),
    ]
    write(tmp_path, "q.yaml", "schema: 1\nreported: 2027-03-31\nmilestones:\n"
          "  - milestone: live.x\n    delivered: 2027-01-10\n    evidence:\n"
          f"      - {{kind: evidence_file, ref: gone.json, sha256: {'a' * 64}}}\n")
    assert errors(tmp_path) == [
        f"{f}:7:36 milestones[0].evidence[0].ref: evidence file 'gone.json' not found in {tmp_path}"]


def test_same_system_twice_in_one_file(tmp_path):
    f = write(tmp_path, "q.yaml", "schema: 1\nreported: 2027-03-31\nsystems:\n"
              "  - {system: bous.x, status: migrated, date: 2027-01-01}\n"
              "  - {system: bous.x, status: in_progress, date: 2027-01-01}\n")
    assert errors(tmp_path) == [f"{f}:5:14 systems[1].system: 'bous.x' is reported twice in this file (first on line 4)"]


def test_duplicate_report_on_the_same_day_names_both_places(tmp_path):
    a = write(tmp_path, "a.yaml", "schema: 1\nreported: 2027-03-31\nsystems:\n"
              "  - {system: bous.x, status: in_progress, date: 2027-01-01}\n")
    b = write(tmp_path, "b.yaml", "schema: 1\nreported: 31.03.2027\nsystems:\n"
              "  - {system: bous.y, status: in_progress, date: 2027-01-01}\n"
              "  - {system: bous.x, status: migrated, date: 2027-03-01}\n")
    assert errors(tmp_path) == [
        f"{b}:5:14 systems[1].system: 'bous.x' is also reported in {a}:4:14 for the same day (2027-03-31); keep one"]


def test_later_report_wins(tmp_path):
    write(tmp_path, "2027-Q2.yaml", "schema: 1\nreported: 2027-06-30\nsystems:\n"
          "  - {system: bous.x, status: migrated, date: 2027-05-01}\n")
    write(tmp_path, "2027-Q1.yaml", "schema: 1\nreported: 2027-03-31\nsystems:\n"
          "  - {system: bous.x, status: in_progress, date: 2027-01-01}\n"
          "  - {system: bous.y, status: in_progress, date: 2027-02-01}\n")
    a = load_actuals(tmp_path)
    assert a.systems["bous.x"].status == "migrated" and a.systems["bous.y"].status == "in_progress"
    assert a.reported == date(2027, 6, 30)


def test_every_error_of_every_file_at_once(tmp_path):
    write(tmp_path, "a.yaml", "schema: 1\nreported: 2027-03-31\nsystems: [{system: bous.x, status: nope}]\n")
    write(tmp_path, "b.yaml", "schema: 1\nreported: [\n")
    write(tmp_path, "README.md", "not read\n")
    assert len(errors(tmp_path)) == 2


def test_docstring_examples_run():
    for name in ("actuals.models", "actuals.load", "actuals.write"):
        result = doctest.testmod(importlib.import_module(name))
        assert result.attempted > 0 and result.failed == 0, name


@pytest.mark.parametrize(("text", "expected"), [
    ('{"assessment-results": ', "line 1 column 24: not JSON (Expecting value)"),
    ('{"component-definition": {}}', "not OSCAL assessment results of landkarte configure"),
])
def test_an_evidence_file_that_is_not_oscal_results_names_the_file_and_the_place(tmp_path, text, expected):
    from actuals.errors import ActualsError
    from actuals.evidence import read_assessment

    path = tmp_path / "run.oscal-ar.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ActualsError) as exc:
        read_assessment(path)
    assert f"{path}: {expected}" in str(exc.value)
