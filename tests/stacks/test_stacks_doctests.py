"""The Examples in the stacks' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["stacks.naming", "stacks.firewall", "stacks.tenant", "stacks.servicevm", "stacks.datacentre",
           "stacks._synthetic"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
