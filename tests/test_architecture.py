"""The layout shows the data flow: module-level arrows point one way.

``common`` is the ground floor and imports nothing of ours; ``inventory`` (the landscape) and
``plan`` (the contract) stand on it; ``consolidation`` (the planner) reads an inventory and
writes a plan; the consumers (reports, stacks, configure, netboxsync) read a plan and never
the planner or the synthetic-data generator. Only the CLI (``landkarte``) ties them together.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from inventory_cases import ROOT

OURS = {"common", "plan", "inventory", "actuals", "erhebung", "consolidation", "sweep", "reports", "stacks", "netboxsync",
        "configure", "landkarte"}

#: package → the modules of ours it may import (a module and everything below it).
ALLOWED: dict[str, frozenset[str]] = {
    "common": frozenset(),
    "inventory": frozenset({"common"}),
    "plan": frozenset({"common"}),
    # The actuals (what really happened) name systems of the inventory and targets/milestones of a plan.
    "actuals": frozenset({"common", "plan", "inventory"}),
    # The Erhebung (questionnaires) reads and writes the inventory; it knows nothing of plans.
    "erhebung": frozenset({"common", "inventory"}),
    "consolidation": frozenset({"common", "inventory", "plan", "actuals"}),
    # The sweep plans again and again: it calls the planner's public entry point.
    "sweep": frozenset({"common", "inventory", "plan", "consolidation"}),
    # The report's chapter "Bandbreiten" reads a sweep.json (its models only).
    "reports": frozenset({"common", "plan", "sweep.result", "actuals.models", "actuals.load", "actuals.errors",
                         "actuals.claims", "actuals.sollist"}),
    "stacks": frozenset({"common", "plan"}),
    "configure": frozenset({"common", "plan"}),
    # The NetBox sync writes the landscape into NetBox and reads it back: it needs the inventory's models.
    "netboxsync": frozenset({"common", "plan", "inventory.models", "inventory.types", "actuals.models",
                             "actuals.errors"}),
}
#: The CLI ties everything together (but, like everyone, uses only public modules).
CLI = frozenset(OURS - {"landkarte"})

CONSUMERS = ("reports", "stacks", "configure", "netboxsync")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every absolute module of ours that ``path`` imports, anywhere in the file, with its line.

    ``from a.b import c`` counts as ``a.b.c`` (``c`` may be a module); a call
    ``importlib.import_module("a.b")`` with a literal name counts too. Relative imports stay
    inside their package and are not arrows.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return [(line, name) for line, name in found if name.split(".")[0] in OURS]


def _allowed(package: str, module: str) -> bool:
    if module.split(".")[0] == package:
        return True
    return any(module == a or module.startswith(a + ".") for a in ALLOWED.get(package, CLI))


def _private(package: str, module: str) -> bool:
    """``module`` is another package's private module or name (a part starting with ``_``)."""
    parts = module.split(".")
    return parts[0] != package and any(p.startswith("_") and not p.startswith("__") for p in parts[1:])


def forbidden_imports(package: str, root: Path = ROOT) -> list[str]:
    """``file:line: module`` for every import in ``root/package`` that breaks the arrows or reaches
    into another package's private modules or names."""
    out = []
    for path in sorted((root / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if not _allowed(package, module) or _private(package, module):
                out.append(f"{path.relative_to(root)}:{line}: {module}")
    return out


@pytest.mark.parametrize("package", sorted(ALLOWED) + ["landkarte"])
def test_package_imports_only_downstream_modules(package: str) -> None:
    assert (ROOT / package).is_dir(), f"{package}/ is missing"
    assert forbidden_imports(package) == []


@pytest.mark.parametrize("package", CONSUMERS)
def test_consumers_never_import_the_planner_or_the_generator(package: str) -> None:
    assert not any(a.startswith(("consolidation", "inventory.generate", "inventory.load", "landkarte"))
                   for a in ALLOWED[package])


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "evil.py").write_text(textwrap.dedent("""\
        import importlib
        from plan.models import Plan
        from common.fsio import atomic_write_text
        from common.yamlfile import _decode
        from . import context


        def replan(landscape):
            from consolidation.planner import plan
            import inventory.generate
            return importlib.import_module("consolidation.waves")
    """), encoding="utf-8")
    (tmp_path / "netboxsync").mkdir()
    (tmp_path / "netboxsync" / "evil.py").write_text(
        "from inventory.models import Landscape\nfrom inventory import generate\nfrom inventory.load import x\n",
        encoding="utf-8")
    assert forbidden_imports("reports", tmp_path) == [
        "reports/evil.py:4: common.yamlfile._decode",
        "reports/evil.py:9: consolidation.planner.plan",
        "reports/evil.py:10: inventory.generate",
        "reports/evil.py:11: consolidation.waves",
    ]
    assert forbidden_imports("netboxsync", tmp_path) == [
        "netboxsync/evil.py:2: inventory.generate",
        "netboxsync/evil.py:3: inventory.load.x",
    ]


def test_every_import_of_ours_resolves() -> None:
    """Also the imports inside functions (the CLI imports lazily): a moved or renamed name shows here,
    not first when a user runs the command."""
    import importlib
    import importlib.util

    missing = []
    for package in sorted(ALLOWED) + ["landkarte"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                        and node.module.split(".")[0] in OURS):
                    continue
                module = importlib.import_module(node.module)
                for alias in node.names:
                    submodule = hasattr(module, "__path__") and importlib.util.find_spec(
                        f"{node.module}.{alias.name}") is not None
                    if not hasattr(module, alias.name) and not submodule:
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{alias.name}")
    assert missing == []
