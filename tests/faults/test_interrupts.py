"""SIGINT (Ctrl-C) and SIGKILL at a seeded sweep of moments in ``plan``, ``report`` and ``inventory import/export``.

Each run is a real process. After Ctrl-C: exit 130 within a second or two (or 0 when the command
was already done), never an abort or a traceback, no ``.part`` or staging leftovers, no worker
process left, and the previous output intact (or, exit 0, the new one complete). After SIGKILL:
the previous output intact or the new one complete, never a mix or a truncated file.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faults import (
    SAMPLE,
    SCENARIO,
    assert_clean_interrupt,
    assert_killed,
    contains,
    delays,
    digest,
    greeting_ssh_hosts,
    landkarte,
    leftovers,
)

pytestmark = pytest.mark.slow

SEED = 19


def _processes_with(marker: str, ignore: Callable[[bytes], bool] = lambda cmdline: False) -> list[int]:
    """Processes whose environment carries ``marker`` (the command and any worker it started), except those
    whose command line ``ignore`` accepts."""
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if marker.encode() in (p / "environ").read_bytes() and not ignore((p / "cmdline").read_bytes()):
                    found.append(int(p.name))
            except OSError:
                pass
    return found


def _no_process_left(marker: str, ignore: Callable[[bytes], bool] = lambda cmdline: False) -> None:
    deadline = time.monotonic() + 3
    while (left := _processes_with(marker, ignore)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:  # do not leave them running for the next test, then fail
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, f"processes left behind: {left}"


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> tuple[Path, float]:
    d = tmp_path_factory.mktemp("plan")
    started = time.monotonic()
    o = landkarte("plan", str(SAMPLE), "--scenario", str(SCENARIO), "--out", "plan.json", cwd=d)
    assert o.rc == 0, o.describe()
    return d, time.monotonic() - started


def _judge(o, sig: int, folder: Path) -> None:
    """After Ctrl-C: a clean 130 and nothing left behind. After SIGKILL (which cannot be handled): killed, and the
    staging files it could not remove are removed here, as the next run must not mind them."""
    import shutil

    if sig == signal.SIGINT:
        assert_clean_interrupt(o)
        assert leftovers(folder) == [], o.describe()
    else:
        assert_killed(o)
        for part in leftovers(folder):
            target = folder / part
            shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)


def _plan_runs(sig: int, n: int, seed: int, planned: tuple[Path, float]) -> None:
    d, seconds = planned
    before = digest(d / "plan.json")
    for delay in delays(seed, n, 0.1, seconds * 1.1):
        marker = f"LANDKARTE_FAULT_{uuid.uuid4().hex}"
        o = landkarte("plan", str(SAMPLE), "--scenario", str(SCENARIO), "--out", "plan.json", cwd=d,
                      delay=delay, sig=sig, env={marker: "1"})
        _judge(o, sig, d)
        _no_process_left(marker)
        # the plan is deterministic: whether old or new, the bytes are the same; never a truncated file
        assert digest(d / "plan.json") == before, o.describe()


def test_plan_ctrl_c_at_many_moments_exits_130_and_leaves_the_previous_plan(planned) -> None:
    _plan_runs(signal.SIGINT, 8, SEED, planned)


def test_plan_sigkill_at_many_moments_never_truncates_the_plan(planned) -> None:
    _plan_runs(signal.SIGKILL, 4, SEED + 1, planned)


def test_plan_sigterm_mid_solve_exits_143_and_stops_the_worker(planned) -> None:
    d, seconds = planned
    marker = f"LANDKARTE_FAULT_{uuid.uuid4().hex}"
    o = landkarte("plan", str(SAMPLE), "--scenario", str(SCENARIO), "--out", "plan.json", cwd=d,
                  delay=seconds * 0.6, sig=signal.SIGTERM, env={marker: "1"})
    assert o.rc in (143, 0) and "Traceback" not in o.stderr, o.describe()
    assert o.ended_after <= 2.5, o.describe()
    _no_process_left(marker)
    assert leftovers(d) == []


def test_plan_output_path_problems_are_found_before_the_solve(tmp_path: Path) -> None:
    (tmp_path / "plan.json").mkdir()
    started = time.monotonic()
    o = landkarte("plan", str(SAMPLE), "--scenario", str(SCENARIO), "--out", "plan.json", cwd=tmp_path)
    assert o.rc == 1 and "plan.json: is a folder" in o.stderr, o.describe()
    assert time.monotonic() - started < 20  # no solve happened (it takes seconds); generous for a busy machine


def _manifests_match(out: Path) -> None:
    """Every report manifest names files whose bytes are exactly the ones it lists (one run's set)."""
    manifests = sorted(out.glob("*.manifest.json"))
    assert manifests
    for m in manifests:
        listed = json.loads(m.read_text(encoding="utf-8"))["files"]
        for rel, want in listed.items():
            import hashlib

            got = hashlib.sha256((out / rel).read_bytes()).hexdigest()
            assert got == want["sha256"], f"{rel} does not belong to the run of {m.name}"


@pytest.fixture(scope="module")
def reported(planned) -> tuple[Path, float]:
    d, _ = planned
    started = time.monotonic()
    o = landkarte("report", "plan.json", "--out", "report", "--format", "html,pdf,xlsx,csv", cwd=d)
    assert o.rc == 0, o.describe()
    (d / "report" / "Protokoll.txt").write_text("notes of the meeting: not Landkarte's\n")
    return d, time.monotonic() - started


@pytest.mark.parametrize(("sig", "n", "seed"), [(signal.SIGINT, 6, SEED + 2), (signal.SIGKILL, 3, SEED + 3)])
def test_report_interrupted_anywhere_leaves_one_consistent_set_of_files(reported, sig: int, n: int,
                                                                         seed: int) -> None:
    d, seconds = reported
    out = d / "report"
    for delay in delays(seed, n, 0.1, seconds * 1.1):
        o = landkarte("report", "plan.json", "--out", "report", "--format", "html,pdf,xlsx,csv", cwd=d,
                      delay=delay, sig=sig, env={"SOURCE_DATE_EPOCH": str(1_800_000_000 + int(delay * 1000))})
        _judge(o, sig, out)
        _manifests_match(out)
        assert (out / "Protokoll.txt").read_text() == "notes of the meeting: not Landkarte's\n"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> tuple[Path, float]:
    d = tmp_path_factory.mktemp("inv")
    o = landkarte("inventory", "export", str(SAMPLE), "--format", "xlsx", "--out", "saarland.xlsx", cwd=d)
    assert o.rc == 0, o.describe()
    started = time.monotonic()
    o = landkarte("inventory", "import", "saarland.xlsx", "--out", "repo", cwd=d)
    assert o.rc == 0, o.describe()
    (d / "repo" / ".git").mkdir()
    (d / "repo" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (d / "repo" / "README.md").write_text("Unser Inventar\n")
    return d, time.monotonic() - started


@pytest.mark.parametrize(("sig", "n", "seed"), [(signal.SIGINT, 5, SEED + 4), (signal.SIGKILL, 2, SEED + 5)])
def test_import_interrupted_anywhere_keeps_the_inventory_and_everything_else(workbook, sig: int, n: int,
                                                                             seed: int) -> None:
    d, seconds = workbook
    before = digest(d / "repo")
    for delay in delays(seed, n, 0.1, seconds * 1.1):
        o = landkarte("inventory", "import", "saarland.xlsx", "--out", "repo", cwd=d, delay=delay, sig=sig)
        _judge(o, sig, d / "repo")
        assert digest(d / "repo") == before, o.describe()  # same inventory (deterministic), .git and README kept


@pytest.mark.parametrize(("sig", "n", "seed"), [(signal.SIGINT, 4, SEED + 6), (signal.SIGKILL, 2, SEED + 7)])
def test_export_interrupted_anywhere_leaves_a_whole_workbook(workbook, sig: int, n: int, seed: int) -> None:
    from inventory.load import load_landscape

    d, seconds = workbook
    sample = load_landscape(SAMPLE)
    for delay in delays(seed, n, 0.1, seconds * 1.1):
        o = landkarte("inventory", "export", str(SAMPLE), "--format", "xlsx", "--out", "saarland.xlsx", cwd=d,
                      delay=delay, sig=sig)
        if sig == signal.SIGINT:
            assert_clean_interrupt(o)
            assert [p for p in leftovers(d) if not p.startswith("repo")] == [], o.describe()
        else:
            assert_killed(o)
        assert load_landscape(d / "saarland.xlsx") == sample, o.describe()


SECRET = "Sicherungs-Passwort-fuer-Tests-4711"
ANSIBLE_RPC_TIMEOUT = "Local RPC server did not start"


@pytest.fixture()
def hanging_ssh(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Hosts that greet but then hang: configure's SSH-greeting probe finds them up, ansible-playbook starts,
    and its ssh never answers, so configure is mid-run when signalled.

    No nspawn host needed: the greeting comes from :func:`faults.greeting_ssh_hosts` (a network namespace
    of the test's own), the hanging from a fake ssh; ``TMPDIR`` is a folder of the test's own, searched
    for the secret afterwards.
    """
    fake = tmp_path / "fake-ssh"
    fake.write_text("#!/bin/sh\nexec sleep 300\n")
    fake.chmod(0o755)
    (tmp_path / "tmp").mkdir()
    with greeting_ssh_hosts():
        yield {"ANSIBLE_SSH_EXECUTABLE": str(fake), "TMPDIR": str(tmp_path / "tmp"),
               "LANDKARTE_BACKUP_PASSWORD": SECRET}


@pytest.mark.parametrize(("sig", "n", "seed"), [(signal.SIGINT, 4, SEED + 8), (signal.SIGKILL, 2, SEED + 9)])
def test_configure_interrupted_leaves_no_secret_no_orphan_no_data_dir(planned, hanging_ssh, tmp_path: Path,
                                                                      sig: int, n: int, seed: int) -> None:
    d, _ = planned
    evidence = tmp_path / "evidence.json"
    evidence.write_text('{"previous": true}\n')
    for delay in delays(seed, n, 0.5, 9.0):
        for _attempt in range(3):
            marker = f"LANDKARTE_FAULT_{uuid.uuid4().hex}"
            o = landkarte("configure", "--plan", str(d / "plan.json"), "--management-cidr", "10.99.0.1/32",
                          "--evidence", str(evidence), "--limit", "all[0:1]",
                          cwd=tmp_path, delay=delay, sig=sig, env={**hanging_ssh, marker: "1"})
            # ansible-core gives its in-process RPC server 5 s to start; on a machine under heavy load it can
            # give up before any task, so the run ends before the signal and tests nothing: run that delay again
            if o.signalled or ANSIBLE_RPC_TIMEOUT not in o.stderr:
                break
        if sig == signal.SIGINT:
            assert_clean_interrupt(o)
            _no_process_left(marker)  # ansible-playbook, its workers and their ssh: all gone
            assert list((tmp_path / "tmp").glob("landkarte-configure-*")) == [], o.describe()
        else:
            assert_killed(o)
            # SIGKILL cannot be handled, but ansible-playbook and its workers die with configure (the kernel's
            # parent-death signal); only the ssh a worker exec'ed (here the fake one) outlives them
            _no_process_left(marker, ignore=lambda cmdline: cmdline.startswith(b"sleep"))
            for pid in _processes_with(marker):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        assert contains(tmp_path, SECRET.encode()) == [], o.describe()  # never on disk, not even after SIGKILL
        assert evidence.read_text() == '{"previous": true}\n'
