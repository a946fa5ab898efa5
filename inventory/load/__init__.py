"""Loaders, one per source: the YAML folder (canonical), CSV/XLSX tables, NetBox (netboxsync)."""

from __future__ import annotations

from pathlib import Path

from common.errors import Issue

from ..errors import InventoryError
from ..models import Landscape
from .folder import load_folder

__all__ = ["load_folder", "load_landscape"]


def load_landscape(path: str | Path, **kwargs) -> Landscape:
    """Load an inventory from a YAML folder, a CSV folder or an XLSX workbook (chosen by what ``path`` is).

    A file or folder that cannot be read (no permission, an I/O error) is an :class:`InventoryError`
    naming it, like any other problem of the input.
    """
    try:
        return _load(Path(path), **kwargs)
    except OSError as exc:
        where = str(exc.filename or path)
        raise InventoryError([Issue(where, None, None, (), f"cannot read: {exc.strerror or exc}")]) from None


def _load(path: Path, **kwargs) -> Landscape:
    if path.is_dir() and (path / "landscape.csv").is_file():
        from .table import load_csv_folder

        return load_csv_folder(path)
    if path.is_file() and path.suffix.lower() == ".xlsx":
        from .table import load_xlsx

        return load_xlsx(path)
    if path.is_dir():
        return load_folder(path, **kwargs)
    if not path.exists():
        raise InventoryError([Issue(str(path), None, None, (), "no such file or folder")])
    raise InventoryError([Issue(str(path), None, None, (), "not an inventory (expected a folder or an .xlsx workbook)")])
