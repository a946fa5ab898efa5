"""Shared test helpers: the repository root and the bundled inventories."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLE = ROOT / "inventory" / "samples" / "saarland"


def overlay_case(case_dir: Path, dest: Path, base: Path = DATA / "valid" / "mini") -> Path:
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


@pytest.fixture
def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
