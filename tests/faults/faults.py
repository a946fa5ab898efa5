"""The fault-injection harness: run a real ``landkarte`` process, signal it after a delay, judge what is left.

A plain module (imported by the tests in this folder). Every run is a fresh process started in a
session of its own, as a terminal would: SIGINT goes to the whole process group (Ctrl-C), SIGKILL too.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "inventory" / "samples" / "saarland"
SCENARIO = ROOT / "consolidation" / "scenarios" / "landesweit.yaml"
ABORTS = ("Traceback", "terminate called", "Rust cannot catch", "Fatal Python error", "Segmentation fault",
          "internal error")


@dataclass
class Outcome:
    rc: int
    stdout: str
    stderr: str
    delay: float
    ended_after: float
    """Seconds from the signal to the end of the process (0 when it ended before the signal)."""
    signalled: bool

    def describe(self) -> str:
        return (f"rc={self.rc} after {self.delay:.2f} s (+{self.ended_after:.2f} s), "
                f"signalled={self.signalled}, stderr={self.stderr[-1500:]!r}")


def landkarte(*args: str, cwd: Path, env: dict[str, str] | None = None, delay: float | None = None,
              sig: int = signal.SIGINT, timeout: float = 300) -> Outcome:
    """Run ``python -m landkarte ARGS``; after ``delay`` seconds send ``sig`` to its process group."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200", **(env or {}))
    full_env.pop("FORCE_COLOR", None)
    p = subprocess.Popen([sys.executable, "-m", "landkarte", *args], cwd=cwd, env=full_env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    signalled = False
    sent = 0.0
    if delay is not None:
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            sent = time.monotonic()
            try:
                os.killpg(p.pid, sig)
                signalled = True
            except ProcessLookupError:
                pass
    out, err = p.communicate(timeout=timeout)
    ended = time.monotonic() - sent if signalled else 0.0
    if sig == signal.SIGKILL and signalled:
        _reap_group(p.pid)
    return Outcome(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                   delay or 0.0, ended, signalled)


def _reap_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def assert_clean_interrupt(o: Outcome, *, within: float = 2.5) -> None:
    """SIGINT: exit 130 within ``within`` seconds (or 0 if the command was done first); no abort, no traceback."""
    assert not any(a in o.stderr for a in ABORTS), o.describe()
    if o.signalled:
        assert o.rc in (130, 0), o.describe()
        if o.rc == 130:
            assert o.ended_after <= within, o.describe()
    else:
        assert o.rc == 0, o.describe()


def assert_killed(o: Outcome) -> None:
    assert o.rc in (-signal.SIGKILL, 0), o.describe()


def leftovers(folder: Path) -> list[str]:
    """Temporary files a writer left behind (``*.part``, staging folders, ``.old-`` copies)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if ".part" in p.name or ".old-" in p.name or p.name.startswith(".landkarte-"))


def digest(path: Path) -> dict[str, str]:
    """File → SHA-256 of everything below ``path`` (or of the file itself)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def delays(seed: int, n: int, low: float, high: float) -> list[float]:
    """A seeded sweep: ``n`` delays spread over [low, high) (one per stratum, jittered)."""
    import random

    rnd = random.Random(seed)
    width = (high - low) / n
    return [round(low + i * width + rnd.random() * width, 3) for i in range(n)]


def contains(folder: Path, needle: bytes) -> list[str]:
    hits = []
    for p in folder.rglob("*"):
        try:
            if p.is_file() and not p.is_symlink() and needle in p.read_bytes():
                hits.append(str(p))
        except OSError:
            pass
    return hits


@contextmanager
def greeting_ssh_hosts() -> Iterator[None]:
    """Every address answers on port 22 with an SSH greeting, in a network namespace of this thread's own.

    The namespace routes every address to its loopback interface (``local 0.0.0.0/0``), and a listener
    on port 22 sends ``SSH-2.0-…`` to each connection and then stays silent. So configure's greeting
    probe finds the planned hosts up and ansible-playbook starts (with a fake ssh of the test). The
    processes started inside the ``with`` block inherit the namespace; the host's network is untouched
    (the thread returns to its own namespace at the end). Needs root, as the nspawn test hosts do.
    """
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    os.unshare(os.CLONE_NEWNET)
    server: socket.socket | None = None
    try:
        for cmd in (["ip", "link", "set", "lo", "up"], ["ip", "route", "add", "local", "0.0.0.0/0", "dev", "lo"]):
            subprocess.run(cmd, check=True, capture_output=True)
        server = socket.create_server(("0.0.0.0", 22), backlog=64)
        threading.Thread(target=_greet, args=(server,), daemon=True).start()
        yield
    finally:
        os.setns(home, os.CLONE_NEWNET)
        os.close(home)
        if server is not None:
            server.close()


def _greet(server: socket.socket) -> None:
    held = []  # open until the namespace goes: a greeting host that then says nothing more
    while True:
        try:
            conn, _ = server.accept()
            conn.sendall(b"SSH-2.0-OpenSSH_9.6 landkarte-fault-test\r\n")
        except OSError:
            break
        held.append(conn)
    for conn in held:
        conn.close()
