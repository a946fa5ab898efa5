"""Fixtures for the playbook tests: a hand-built plan and real nspawn target hosts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from configure_plans import LOG_VM, MAIL_VM, make_plan

from plan.models import Plan

ROOT = Path(__file__).resolve().parents[2]
TESTHOSTS = ROOT / "scripts" / "testhosts.sh"
STATE_DIR = Path(os.environ.get("LANDKARTE_TESTHOSTS_STATE", "/run/landkarte-testhosts"))


@pytest.fixture
def plan() -> Plan:
    return make_plan()


def _can_run_hosts() -> str | None:
    """Why real nspawn hosts cannot run here, or None."""
    if os.geteuid() != 0:
        return "needs root (netns, systemd-nspawn)"
    for tool in ("systemd-nspawn", "debootstrap", "nft", "ssh"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (run scripts/setup-system.sh)"
    return None


@pytest.fixture(scope="session")
def testhosts():
    """Two real Debian hosts (systemd-nspawn, own netns) named after the plan's VMs; stopped afterwards."""
    reason = _can_run_hosts()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the test hosts cannot run: {reason}")
        pytest.skip(reason)
    subprocess.run(["bash", str(TESTHOSTS), "stop"], check=True, capture_output=True)
    started = subprocess.run(["bash", str(TESTHOSTS), "start", MAIL_VM, LOG_VM], check=False, capture_output=True,
                             text=True, timeout=300)
    if started.returncode != 0:
        subprocess.run(["bash", str(TESTHOSTS), "stop"], check=False, capture_output=True, timeout=120)
        pytest.fail(f"scripts/testhosts.sh start failed:\n{started.stderr[-2000:]}")
    info = json.loads((STATE_DIR / "hosts.json").read_text())
    try:
        yield info
    finally:
        subprocess.run(["bash", str(TESTHOSTS), "stop"], check=False, capture_output=True, timeout=120)
