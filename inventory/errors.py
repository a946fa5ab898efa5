"""The inventory's error: every problem of an inventory that cannot be loaded, each with its place."""

from __future__ import annotations

from common.errors import IssuesError

__all__ = ["InventoryError"]


class InventoryError(IssuesError):
    """An inventory that cannot be loaded; ``issues`` lists every problem found (file, line, column, key)."""

    subject = "the inventory"
