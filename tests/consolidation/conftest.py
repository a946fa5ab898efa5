"""Helpers for the planner tests: hand-made landscapes and scenarios written to disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from consolidation._examples import build_landscape, scenario_dict
from inventory.write.folder import write_folder

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventory" / "samples" / "saarland"
SCENARIOS = ROOT / "consolidation" / "scenarios"


@pytest.fixture
def tiny_inventory(tmp_path: Path) -> Path:
    """Two Gemeinden with mail and directory on disk."""
    landscape = build_landscape(
        [{"id": "a.mail", "org": "a", "domain": "e-mail"}, {"id": "a.iam", "org": "a", "domain": "iam"},
         {"id": "b.mail", "org": "b", "domain": "e-mail"}, {"id": "b.iam", "org": "b", "domain": "iam"}],
        [{"source": "a.mail", "target": "a.iam", "kind": "authentifizierung"}],
    )
    return write_folder(landscape, tmp_path / "inv")


@pytest.fixture
def tiny_scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario_dict(), sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def exit_chain():
    """Gemeinde x leaves on 2027-06-30 (last quarter 2027-Q2); its chain c <- b <- a needs three quarters."""
    return build_landscape(
        [{"id": "x.a", "org": "x", "domain": "e-mail"}, {"id": "x.b", "org": "x", "domain": "iam"},
         {"id": "x.c", "org": "x", "domain": "fin"}],
        [{"source": "x.a", "target": "x.b"}, {"source": "x.b", "target": "x.c"}],
        exits={"x": date(2027, 6, 30)},
    )
