"""The crash handler cannot crash: one plain line, a private log file, whatever goes wrong around it."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from inventory_cases import MINI

import inventory.stats
from landkarte import cli
from landkarte.cli import main


@pytest.fixture()
def bug(monkeypatch: pytest.MonkeyPatch):
    def boom(*a, **k):
        raise RuntimeError("kaputt " + "x" * 300 + "\nzweite Zeile")

    monkeypatch.setattr(inventory.stats, "landscape_stats", boom)


@pytest.fixture()
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    t = tmp_path / "tmp"
    t.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(t))
    return t


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_bug_gives_one_unwrapped_line_and_a_private_log(bug, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("LANDKARTE_LOG_DIR", str(tmp_path / "logs"))
    assert main(["inventory", "stats", str(MINI)]) == 70
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("internal error: RuntimeError: kaputt") and "zweite Zeile" in line
    log = Path(line.rsplit("details in ", 1)[1].rstrip(")"))
    assert "Traceback" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_log_folder_that_cannot_be_made_falls_back_to_a_random_private_temp_file(bug, tmp_path: Path, private_tmp,
                                                                                 monkeypatch, capsys) -> None:
    (tmp_path / "eine-datei").write_text("x")
    monkeypatch.setenv("LANDKARTE_LOG_DIR", str(tmp_path / "eine-datei" / "logs"))  # mkdir fails: not a folder
    assert main(["inventory", "stats", str(MINI)]) == 70
    line = _one_line(capsys.readouterr().err)
    log = Path(line.rsplit("details in ", 1)[1].rstrip(")"))
    assert log.parent == private_tmp and log.name.startswith("landkarte-crash-") and log.name != "landkarte-crash-.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600 and "Traceback" in log.read_text()


def test_read_only_log_folder_gives_no_raw_traceback(bug, tmp_path: Path, private_tmp, monkeypatch, capsys) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    real_open = os.open

    def read_only(path, flags, *a, **k):  # root may write anywhere: the read-only folder is simulated
        if str(path).startswith(str(logs)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setenv("LANDKARTE_LOG_DIR", str(logs))
    assert main(["inventory", "stats", str(MINI)]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err and _one_line(err).startswith("internal error: RuntimeError")


def test_a_planted_symlink_is_not_followed(bug, tmp_path: Path, private_tmp, monkeypatch, capsys) -> None:
    from datetime import datetime

    logs = tmp_path / "logs"
    logs.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("must stay")

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 5, 12, 0, 0)

    monkeypatch.setattr(cli, "datetime", Frozen)
    (logs / f"crash-20261205-120000-{os.getpid()}.log").symlink_to(victim)  # the name the handler would pick
    monkeypatch.setenv("LANDKARTE_LOG_DIR", str(logs))
    assert main(["inventory", "stats", str(MINI)]) == 70
    assert victim.read_text() == "must stay"
    line = _one_line(capsys.readouterr().err)
    assert "details in" in line and str(victim) not in line


def test_memory_error_inside_the_handler_still_gives_one_line(bug, tmp_path: Path, monkeypatch, capsys) -> None:
    def no_memory(*a, **k):
        raise MemoryError

    monkeypatch.setattr(cli.traceback, "format_exception", no_memory)
    monkeypatch.setenv("LANDKARTE_LOG_DIR", str(tmp_path / "logs"))
    assert main(["inventory", "stats", str(MINI)]) == 70
    err = capsys.readouterr().err
    line = _one_line(err)
    assert "Traceback" not in err and line.startswith("internal error: RuntimeError")
    log = Path(line.rsplit("details in ", 1)[1].rstrip(")"))
    assert "out of memory" in log.read_text()


def test_no_log_at_all_is_said_plainly(bug, monkeypatch, capsys) -> None:
    def nowhere():
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "_open_crash_log", nowhere)
    assert main(["inventory", "stats", str(MINI)]) == 70
    assert _one_line(capsys.readouterr().err).endswith("(no log file could be written)")
