"""The Examples in the ground floor's docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["common.fsio", "common.yamlfile", "common.spreadsheet", "common.ids", "common.german", "common.jsonfile"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
