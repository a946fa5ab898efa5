"""Fixtures for the NetBox sync: a real local NetBox (scripts/netbox.sh), reset per test from the template DB."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inventory.load import load_landscape
from inventory.models import Landscape

sys.path.insert(0, str(Path(__file__).parent))
from _support import subset

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "netbox.sh"
SAMPLE = ROOT / "inventory" / "samples" / "saarland"
SMALL_ORGS = {"beckingen", "ego-saar", "land-saarland"}


def netbox_sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], check=check, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def netbox_env() -> Iterator[dict[str, str]]:
    """Install (once; the migrate normally happened in setup) and start NetBox; the env the sync reads."""
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but not root: the NetBox integration tests must run in CI")
        pytest.skip("NetBox integration tests need root (apt, PostgreSQL); run them in CI or as root")
    netbox_sh("install")
    netbox_sh("start")
    env = {}
    for line in netbox_sh("env").stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value
    yield env


@pytest.fixture
def netbox(netbox_env: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    """A fresh NetBox (reset from the template, 0.6 s) and a client for it."""
    from netboxsync import connect

    netbox_sh("reset")
    for name, value in netbox_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LANDKARTE_NETBOX_TOKEN", raising=False)
    return connect()


@pytest.fixture(scope="session")
def saarland() -> Landscape:
    return load_landscape(SAMPLE)


@pytest.fixture(scope="session")
def small(saarland: Landscape) -> Landscape:
    """Three organisations of the Saarland sample (a Gemeinde, the Zweckverband eGo-Saar, the Land)."""
    return subset(saarland, SMALL_ORGS)

