"""Fixtures of the sweep tests (the hand-made cases are in sweep_cases.py)."""

from __future__ import annotations

import pytest
from sweep_cases import small_landscape

from inventory.models import Landscape


@pytest.fixture(scope="session")
def landscape() -> Landscape:
    return small_landscape()
