"""Fixtures of the report tests: hand-built plans on disk, a real headless Chromium."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

# The hand-built plans next to this file; the repository root first, so that `reports` is the package and
# not this (init-less) test folder when pytest runs without `python -m`.
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from report_plans import small_plan

from plan.io import write_plan

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    write_plan(small_plan(), path)
    return path


@pytest.fixture
def hostile_plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.json"
    write_plan(small_plan(hostile=True), path)
    return path


@pytest.fixture
def variant_plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "variant.json"
    write_plan(small_plan(variant=1), path)
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; in CI a missing browser is a failure, not a skip."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} missing in CI: scripts/setup.d/10-base.sh installs it")
        pytest.skip(f"{CHROMIUM} not installed (run scripts/setup-system.sh as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def pdftotext() -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext missing in CI: scripts/setup.d/10-base.sh installs poppler-utils")
        pytest.skip("pdftotext not installed (poppler-utils)")
    return exe


ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventory" / "samples" / "saarland"
SCENARIOS = ROOT / "consolidation" / "scenarios"


def _make_plan(tmp: Path, scenario: str) -> Path:
    """A real plan of the bundled Saarland sample, made by `landkarte plan make` (the planner's CLI)."""
    from landkarte.cli import main

    out = tmp / f"{scenario}.json"
    code = main(["plan", "make", str(SAMPLE), "--scenario", str(SCENARIOS / f"{scenario}.yaml"), "--out", str(out)])
    assert code == 0, f"landkarte plan make failed for {scenario} (exit {code})"
    return out


@pytest.fixture(scope="session")
def saarland_plan(tmp_path_factory) -> Path:
    return _make_plan(tmp_path_factory.mktemp("saarland"), "landesweit")


@pytest.fixture(scope="session")
def saarland_austritt_plan(tmp_path_factory) -> Path:
    return _make_plan(tmp_path_factory.mktemp("saarland-austritt"), "egosaar-austritt")


@pytest.fixture(scope="session")
def saarland_report(saarland_plan, saarland_austritt_plan, tmp_path_factory) -> dict[str, Path]:
    """The Saarland board pack in every format, compared with the Austritt scenario."""
    from landkarte.cli import main

    out = tmp_path_factory.mktemp("saarland-report")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["report", str(saarland_plan), "--out", str(out / "report"), "--inventory", str(SAMPLE),
                     "--format", "html,pdf,xlsx,csv", "--compare", str(saarland_austritt_plan), "--json"])
    assert code == 0
    return {k: Path(v) for k, v in json.loads(buf.getvalue()).items()}
