"""Run the playbooks through ansible-runner in a fresh private data dir.

Pitfalls handled here (see the project notes): the venv's bin dir must be on ``PATH`` or the
run fails with rc=127; ``ANSIBLE_HOME`` and ``ANSIBLE_REMOTE_TEMP`` keep Ansible out of the
home folder; ``stats`` is ``None`` after a YAML error, which becomes :class:`PlaybookError`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import ansible_runner

from common.errors import RemoteError

__all__ = ["PLAYBOOK_DIR", "PlaybookError", "RunResult", "run_playbook"]

PLAYBOOK_DIR = Path(__file__).resolve().parent.parent / "playbooks"
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

    The private data dir is a fresh temporary folder, removed afterwards (it holds the
    extravars, which may carry secrets) unless ``keep_dir`` names a folder to copy the
    artifacts to.

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

    try:
        (data_dir / "inventory").mkdir()
        (data_dir / "inventory" / "hosts.json").write_text(json.dumps(inventory, indent=1), encoding="utf-8")
        for sub in ("tmp", "cp", "ansible-home"):
            (data_dir / sub).mkdir()
        cmdline = " ".join(flag for flag, on in (("--check", check), ("--diff", diff)) if on) or None
        started = time.monotonic()
        runner = ansible_runner.run(
            private_data_dir=str(data_dir),
            project_dir=str(playbook_dir),
            playbook=playbook,
            inventory=str(data_dir / "inventory" / "hosts.json"),
            extravars=dict(extravars or {}),
            envvars=_envvars(data_dir, playbook_dir),
            limit=limit,
            cmdline=cmdline,
            forks=forks,
            quiet=True,
            event_handler=handler,
            settings={"suppress_ansible_output": True},
        )
        seconds = time.monotonic() - started
        if runner.stats is None:
            raise PlaybookError(_explain(runner))
        result = RunResult(runner.status, runner.rc, dict(runner.stats), events, seconds)
        if keep_dir is not None:
            shutil.copytree(data_dir / "artifacts", keep_dir, dirs_exist_ok=True)
        return result
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _explain(runner) -> str:
    """The first lines of ansible-playbook's output, for a run that produced no stats."""
    try:
        text = runner.stdout.read()
    except (AttributeError, OSError, ValueError):
        text = ""
    lines = [ln for ln in text.splitlines() if ln.strip()][:12]
    detail = "\n".join(lines) or "no output"
    return f"ansible-playbook failed before running any task (status {runner.status}, rc {runner.rc}):\n{detail}"
