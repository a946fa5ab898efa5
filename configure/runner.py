"""Run the playbooks through ansible-runner in a fresh private data dir.

Pitfalls handled here (see the project notes): the venv's bin dir must be on ``PATH`` or the
run fails with rc=127; ``ANSIBLE_HOME`` and ``ANSIBLE_REMOTE_TEMP`` keep Ansible out of the
home folder; ``stats`` is ``None`` after a YAML error, which becomes :class:`PlaybookError`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import ansible_runner

from common import interrupt
from common.errors import RemoteError

__all__ = ["PLAYBOOK_DIR", "PlaybookError", "RunResult", "run_playbook"]

PLAYBOOK_DIR = Path(__file__).resolve().parent.parent / "playbooks"
GUARD = Path(__file__).resolve().with_name("_playbook_guard.py")
RESULT_EVENTS = frozenset({"runner_on_ok", "runner_on_failed", "runner_on_skipped", "runner_on_unreachable"})


class PlaybookError(RemoteError):
    """ansible-runner could not run the playbook at all (syntax error, missing tool)."""


@dataclass
class RunResult:
    status: str
    rc: int
    stats: dict
    events: list[dict] = field(default_factory=list)
    """The result events (``runner_on_*``) in order, as plain dicts."""
    seconds: float = 0.0

    def changed(self) -> dict[str, int]:
        """Changed task count per host (hosts with no change are 0, not missing)."""
        hosts = set().union(*(self.stats.get(k, {}) for k in ("ok", "changed", "failures", "dark", "skipped")))
        return {h: self.stats.get("changed", {}).get(h, 0) for h in sorted(hosts)}

    def failed_hosts(self) -> list[str]:
        return sorted(set(self.stats.get("failures", {})) | set(self.stats.get("dark", {})))


def _envvars(data_dir: Path, playbook_dir: Path = PLAYBOOK_DIR) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "/usr/bin:/bin")]),
        "ANSIBLE_HOME": str(data_dir / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(data_dir / "tmp"),
        "ANSIBLE_REMOTE_TEMP": "/tmp/.ansible-landkarte",
        "ANSIBLE_ROLES_PATH": str(playbook_dir / "roles"),
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        "ANSIBLE_PIPELINING": "True",
        "ANSIBLE_SSH_CONTROL_PATH_DIR": str(data_dir / "cp"),
        # Fail fast on a host that does not answer (the run probes first; this bounds the rest).
        "ANSIBLE_SSH_ARGS": "-o ControlMaster=auto -o ControlPersist=60s -o ConnectTimeout=5",
        "ANSIBLE_TIMEOUT": "10",
        "ANSIBLE_NOCOLOR": "True",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_GATHER_SUBSET": "!all,!min,distribution,virtual,pkg_mgr,service_mgr",
        "ANSIBLE_PYTHON_INTERPRETER": "/usr/bin/python3",
        "LANDKARTE_CONFIGURE_PID": str(os.getpid()),
    }


def run_playbook(
    inventory: Mapping,
    *,
    playbook: str = "site.yml",
    limit: str | None = None,
    check: bool = False,
    diff: bool = False,
    extravars: Mapping[str, object] | None = None,
    on_event: Callable[[dict], None] | None = None,
    forks: int = 10,
    keep_dir: Path | None = None,
    playbook_dir: Path = PLAYBOOK_DIR,
) -> RunResult:
    """Run ``playbooks/<playbook>`` against ``inventory`` and return status, stats and events.

    The private data dir is a fresh temporary folder, removed afterwards on every exit path
    (Ctrl-C and SIGTERM included; the CLI's forced exit removes it too) unless ``keep_dir``
    names a folder to copy the artifacts to. Nothing secret is ever written there: the
    ``extravars`` (the backup password) go to ansible-playbook as a vault-encrypted file whose
    one-time key exists only in memory (answered at ansible-playbook's vault prompt), never on
    the command line; secret-looking environment variables are kept out of the environment that
    ansible-runner records in ``artifacts/*/command``. An error or interruption cancels the run:
    ansible-runner kills ansible-playbook's process group before this returns.

    Raises
    ------
    PlaybookError
        When ansible-playbook produced no stats (a YAML or syntax error, rc=127, ...).
    """
    data_dir = Path(tempfile.mkdtemp(prefix="landkarte-configure-"))
    events: list[dict] = []

    def handler(event: dict) -> bool:
        if event.get("event") in RESULT_EVENTS:
            events.append(event)
        if on_event is not None:
            on_event(event)
        return True

    cancel = threading.Event()
    with interrupt.partial(data_dir), interrupt.on_stop(_end_children):
        try:
            (data_dir / "inventory").mkdir()
            (data_dir / "inventory" / "hosts.json").write_text(json.dumps(inventory, indent=1), encoding="utf-8")
            for sub in ("tmp", "cp", "ansible-home"):
                (data_dir / sub).mkdir()
            # ansible-playbook through _playbook_guard.py, so it dies with this process even on SIGKILL
            cmdline = [str(GUARD), str(playbook_dir / playbook)]
            cmdline += [flag for flag, on in (("--check", check), ("--diff", diff)) if on]
            passwords: dict[str, str] = {}
            if extravars:
                vault_file, key = _sealed_vars(dict(extravars), data_dir)
                cmdline += ["-e", f"@{vault_file}", "--ask-vault-pass"]
                passwords[VAULT_PROMPT] = key
            started = time.monotonic()
            with _without_secrets_in_environ():
                thread, runner = ansible_runner.run_async(
                    private_data_dir=str(data_dir),
                    project_dir=str(playbook_dir),
                    binary=sys.executable,
                    inventory=str(data_dir / "inventory" / "hosts.json"),
                    envvars=_envvars(data_dir, playbook_dir),
                    passwords=passwords,
                    suppress_env_files=True,
                    limit=limit,
                    cmdline=shlex.join(cmdline),
                    forks=forks,
                    quiet=True,
                    event_handler=handler,
                    cancel_callback=lambda: cancel.is_set() or interrupt.stop_requested(),
                    settings={"suppress_ansible_output": True, "pexpect_timeout": 0.2},
                )
            try:
                while thread.is_alive():
                    thread.join(0.1)  # short waits: Ctrl-C reaches the main thread in between
            except BaseException:
                _end_children()  # ansible-playbook and its workers (which leave its process group)
                cancel.set()
                thread.join(2.0)
                raise
            seconds = time.monotonic() - started
            if interrupt.stop_requested():
                raise KeyboardInterrupt
            if runner.stats is None:
                raise PlaybookError(_explain(runner))
            result = RunResult(runner.status, runner.rc, dict(runner.stats), events, seconds)
            if keep_dir is not None:
                shutil.copytree(data_dir / "artifacts", keep_dir, dirs_exist_ok=True)
            return result
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


def _end_children() -> None:
    """Kill every process below this one: ansible-playbook, its forked workers (in process groups of their
    own, so ansible-runner's ``killpg`` misses them) and their ssh. The configure step starts no other."""
    parent: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    mine, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - mine
        mine |= frontier
    for pid in mine:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


VAULT_PROMPT = r"Vault password:\s*?$"
_SECRET_NAME = re.compile(r"PASSWORD|PASSPHRASE|SECRET|TOKEN|PRIVATE_KEY|CREDENTIAL", re.IGNORECASE)


def _sealed_vars(extravars: dict[str, object], data_dir: Path) -> tuple[Path, str]:
    """The extravars as an Ansible-vault file in ``data_dir``, and its one-time key (kept in memory only)."""
    from ansible.parsing.vault import VaultLib, VaultSecret

    key = secrets.token_urlsafe(32)
    sealed = VaultLib([("default", VaultSecret(key.encode()))]).encrypt(json.dumps(extravars).encode("utf-8"))
    path = data_dir / "vars.vault"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(sealed)
    return path, key


@contextmanager
def _without_secrets_in_environ() -> Iterator[None]:
    """Secret-looking variables out of ``os.environ`` while ansible-runner copies (and records) it."""
    hidden = {k: os.environ.pop(k) for k in [k for k in os.environ if _SECRET_NAME.search(k)]}
    try:
        yield
    finally:
        os.environ.update(hidden)


def _explain(runner) -> str:
    """The first lines of ansible-playbook's output, for a run that produced no stats."""
    try:
        text = runner.stdout.read()
    except (AttributeError, OSError, ValueError):
        text = ""
    lines = [ln for ln in text.splitlines() if ln.strip()][:12]
    detail = "\n".join(lines) or "no output"
    return f"ansible-playbook failed before running any task (status {runner.status}, rc {runner.rc}):\n{detail}"
