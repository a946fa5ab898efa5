"""Root conftest: puts ``tests/`` on sys.path (pytest does this for a conftest's folder) so test
modules can import the plain helper modules here, e.g. ``inventory_cases``."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
