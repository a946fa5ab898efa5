"""Write a landscape as the canonical YAML folder (see :mod:`inventory.load.folder`).

Output is deterministic: keys in model field order, records in their given order, defaults
left out, so the same landscape always gives byte-identical files.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from common.fsio import atomic_dir

from ..load.folder import CATALOGUE_FILE, META_FILE, ORG_DIR
from ..models import Landscape

__all__ = ["dump_yaml", "is_inventory_folder", "owns_inventory_file", "to_plain", "write_folder"]



class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """No anchors/aliases: every file reads on its own in a review."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def to_plain(value: Any) -> Any:
    """Model data → YAML-native Python values (dicts, lists, str, int, float, date)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_defaults=True)
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (str, int, float, bool, date)) or value is None:
        return value
    raise TypeError(f"cannot write {type(value).__name__} to YAML")


def dump_yaml(data: Any) -> str:
    return yaml.dump(to_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120,
                     default_flow_style=False)


def owns_inventory_file(rel: str) -> bool:
    """The files of a YAML inventory folder (a relative POSIX path): the writer replaces only these."""
    if rel in (META_FILE, CATALOGUE_FILE):
        return True
    head, _, name = rel.partition("/")
    return head == ORG_DIR and "/" not in name and name.endswith(".yaml")


def is_inventory_folder(path: Path) -> bool:
    """A folder holding a Landkarte inventory (its ``landscape.yaml``)."""
    return (path / META_FILE).is_file()


def write_folder(landscape: Landscape, out: str | Path, *, force: bool = False) -> Path:
    """Write ``landscape`` to folder ``out``: a new folder, or an existing inventory's files replaced.

    Only the inventory's own files (see :func:`owns_inventory_file`) are written or removed;
    anything else in ``out`` (``.git/``, ``docs/``) stays. A non-empty folder that is not an
    inventory is refused (:class:`common.errors.OutputPathError`) unless ``force``.
    """
    out = Path(out)
    with atomic_dir(out, owns=owns_inventory_file, own_output=is_inventory_folder, force=force) as tmp:
        (tmp / META_FILE).write_text(dump_yaml(landscape.meta), encoding="utf-8")
        (tmp / CATALOGUE_FILE).write_text(dump_yaml(landscape.catalogue), encoding="utf-8")
        (tmp / ORG_DIR).mkdir()
        for inv in landscape.organisations:
            (tmp / ORG_DIR / f"{inv.organisation.id}.yaml").write_text(dump_yaml(inv), encoding="utf-8")
    return out
