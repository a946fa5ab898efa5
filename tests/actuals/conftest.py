from __future__ import annotations

import pytest
from inventory_cases import ROOT

from inventory.load import load_landscape


@pytest.fixture(scope="session")
def saarland():
    return load_landscape(ROOT / "inventory" / "samples" / "saarland")
