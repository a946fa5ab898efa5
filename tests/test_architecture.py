"""The layout shows the data flow: imports only point downstream."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from inventory_cases import ROOT

OURS = {"inventory", "consolidation", "sweep", "reports", "stacks", "netboxsync", "configure", "landkarte"}
# package → our packages it may import
ALLOWED = {
    "inventory": set(),
    "consolidation": {"inventory"},
    "sweep": {"inventory", "consolidation"},
    "reports": {"inventory", "consolidation", "sweep"},
    "netboxsync": {"inventory", "consolidation"},
    "stacks": {"inventory", "consolidation"},
    "configure": {"inventory", "consolidation"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_upstream(package: str) -> None:
    folder = ROOT / package
    if not folder.is_dir():
        pytest.skip(f"{package}/ not present")
    bad = {
        str(p.relative_to(ROOT)): sorted(_imports(p) - ALLOWED[package] - {package})
        for p in folder.rglob("*.py")
    }
    assert {k: v for k, v in bad.items() if v} == {}
