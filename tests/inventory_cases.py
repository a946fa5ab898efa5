"""Paths and helpers for the inventory tests (a plain module: test folders have no __init__.py,
so several ``conftest`` modules exist and ``from conftest import`` would be ambiguous)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLE = ROOT / "inventory" / "samples" / "saarland"
MINI = DATA / "valid" / "mini"


def overlay_case(case_dir: Path, dest: Path, base: Path = MINI) -> Path:
    """Copy ``base`` to ``dest`` and lay the files of ``case_dir`` over it (``X.delete`` deletes X)."""
    shutil.copytree(base, dest)
    for f in sorted(case_dir.rglob("*")):
        if f.is_dir() or f.name == "expected.txt":
            continue
        rel = f.relative_to(case_dir)
        if f.name.endswith(".delete"):
            (dest / str(rel)[: -len(".delete")]).unlink()
        else:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest / rel)
    return dest
