"""The Examples in the configure modules' docstrings run (the --limit patterns, the rendered diffs)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["configure.apply", "configure.evidence", "configure.inventory", "configure.oscal", "landkarte.commands.configure"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
