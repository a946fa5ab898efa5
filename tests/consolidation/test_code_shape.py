"""The planner stays readable: no module over 500 lines, no function over 80 lines unless a
comment in it says why (``# longer than 80 lines: …``). A function's length is its lines
without its docstring (the numpydoc docstrings with their examples are wanted, not counted)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "consolidation"
MODULES = sorted(PACKAGE.rglob("*.py"))
WHY = "# longer than 80 lines:"


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_has_at_most_500_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{path.relative_to(PACKAGE)}: {lines} lines"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_long_functions_say_why(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    long = []
    for fn in _functions(ast.parse(source)):
        body = lines[fn.lineno - 1:fn.end_lineno]
        doc = fn.body[0] if fn.body and isinstance(fn.body[0], ast.Expr) and isinstance(
            getattr(fn.body[0], "value", None), ast.Constant) and isinstance(fn.body[0].value.value, str) else None
        length = len(body) - ((doc.end_lineno - doc.lineno + 1) if doc is not None else 0)
        if length > 80 and not any(line.strip().startswith(WHY) for line in body):
            long.append(f"{fn.name} ({length} lines, line {fn.lineno})")
    assert long == [], f"{path.relative_to(PACKAGE)}: functions over 80 lines without '{WHY} …': {long}"


def test_the_rule_sees_every_module() -> None:
    assert {"planner.py", "schedule/driver.py", "schedule/cpsat.py"} <= {str(p.relative_to(PACKAGE)) for p in MODULES}
