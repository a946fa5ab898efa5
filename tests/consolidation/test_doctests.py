"""The docstring examples of the planner modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["scenario", "graph", "condense", "targets", "placement", "costs", "systems", "scheduling", "explain", "network",
           "planner", "_construct", "_worker", "schedule", "schedule.problem", "schedule.greedy", "schedule.cpsat",
           "schedule.lagrange", "schedule.lp", "schedule.conflicts", "schedule.driver", "attribution", "input_changes"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    result = doctest.testmod(importlib.import_module(f"consolidation.{name}"))
    assert result.failed == 0 and result.attempted > 0
