"""One error hierarchy: every error raised on purpose is a LandkarteError of one kind, and the CLI
maps the kinds to exit codes in one place."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
from pathlib import Path

import pytest

from common.errors import (
    ExternalToolMissing,
    InputError,
    Issue,
    IssuesError,
    LandkarteError,
    PlanningError,
    RemoteError,
)

PACKAGES = ("common", "plan", "inventory", "actuals", "erhebung", "consolidation", "reports", "stacks", "configure", "netboxsync",
            "landkarte")
#: Errors that are bugs, not domain errors: they end in the crash log, on purpose.
BUGS = {"reports.messages.UnknownMessage"}
KINDS = (InputError, PlanningError, RemoteError, ExternalToolMissing)
#: Bases of a package's errors, never raised themselves: each of their subclasses is of one kind.
FAMILIES = {"netboxsync.errors.NetBoxSyncError"}


def _error_classes() -> dict[str, type[BaseException]]:
    found = {}
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        names = [package] + [m.name for m in pkgutil.walk_packages(pkg.__path__, package + ".")
                             if ".policies.__main__" not in m.name and not m.name.endswith("__main__")]
        for name in names:
            module = importlib.import_module(name)
            for cls_name, cls in vars(module).items():
                if (inspect.isclass(cls) and issubclass(cls, BaseException) and cls.__module__ == name
                        and not cls_name.startswith("_")):
                    found[f"{name}.{cls_name}"] = cls
    return found


def test_every_error_of_ours_is_one_kind_of_landkarte_error():
    classes = _error_classes()
    assert len(classes) >= 25
    outside = sorted(n for n, c in classes.items() if not issubclass(c, LandkarteError) and n not in BUGS)
    assert outside == []
    kindless = sorted(n for n, c in classes.items()
                      if issubclass(c, LandkarteError) and c not in (LandkarteError, *KINDS)
                      and not issubclass(c, KINDS) and n not in FAMILIES)
    assert kindless == []


def test_every_kind_exits_1_and_the_map_is_in_the_cli():
    from landkarte.cli import EXIT_CODES, exit_code

    assert {kind for kind, _ in EXIT_CODES} >= {LandkarteError, *KINDS}
    assert [exit_code(kind("x")) for kind in KINDS] == [1, 1, 1, 1]
    from common.errors import OutputPathError

    assert exit_code(OutputPathError(Path("out"), "is a file, not a folder")) == 1


def test_issues_error_names_its_subject_and_lists_issues_sorted():
    from consolidation.scenario import ScenarioError
    from inventory.errors import InventoryError

    issues = [Issue("b.yaml", 2, 1, ("x",), "kaputt"), Issue("a.yaml", 9, 3, (), "leer")]
    assert str(ScenarioError(issues)) == "2 errors in the scenario:\n  a.yaml:9:3: leer\n  b.yaml:2:1 x: kaputt"
    assert str(InventoryError(issues[:1])).startswith("1 error in the inventory:")


@pytest.mark.parametrize("make", [
    lambda: IssuesError([Issue("a.yaml", 1, 2, ("k",), "m")]),
    lambda: importlib.import_module("plan.io").PlanFormatError(Path("p.json"), ["a: b"], "plan A"),
    lambda: importlib.import_module("stacks.config").StackConfigError(["landkarte:x: bad"], "Pulumi.dev.yaml"),
    lambda: importlib.import_module("consolidation.placement").PlacementInfeasibleError(
        [("dc_capacity", (("resource", "vcpu"), ("need", 12), ("available", 10)))]),
    lambda: importlib.import_module("common.errors").OutputPathError(Path("out"), "is a file, not a folder"),
])
def test_errors_cross_a_process_boundary_unchanged(make):
    exc = make()
    again = pickle.loads(pickle.dumps(exc))
    assert (type(again), str(again)) == (type(exc), str(exc))
