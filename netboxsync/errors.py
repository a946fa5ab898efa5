"""Errors of the NetBox sync, named for the problem. Messages are plain sentences for the user."""

from __future__ import annotations

from common.errors import InputError, LandkarteError, RemoteError

__all__ = [
    "ConfigError",
    "NetBoxRejected",
    "NetBoxSyncError",
    "NetBoxUnavailable",
    "NotALandscape",
    "OwnershipConflict",
]


class NetBoxSyncError(LandkarteError):
    """Base of every error of :mod:`netboxsync`."""


class ConfigError(NetBoxSyncError, InputError):
    """The settings (URL, token) are missing or wrong."""


class NetBoxUnavailable(NetBoxSyncError, RemoteError):
    """NetBox did not answer (or answered 5xx) even after every retry."""


class NetBoxRejected(NetBoxSyncError, RemoteError):
    """NetBox refused a write (validation error, permission, protected object).

    ``problems`` holds one plain sentence per rejected object and field.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("NetBox rejected the change:\n" + "\n".join(f"  - {p}" for p in problems))


class OwnershipConflict(NetBoxSyncError, RemoteError):
    """Objects Landkarte would manage already exist in NetBox without the ownership tag."""

    def __init__(self, labels: list[str]):
        self.labels = labels
        shown = "\n".join(f"  - {label}" for label in labels[:30])
        more = f"\n  … and {len(labels) - 30} more" if len(labels) > 30 else ""
        super().__init__(
            f"{len(labels)} object(s) already exist in NetBox without the 'landkarte' tag; Landkarte does not "
            f"change objects it does not own. Rename them, or push with --adopt to take them over:\n{shown}{more}"
        )


class NotALandscape(NetBoxSyncError, RemoteError):
    """NetBox holds no (or no valid) Landkarte inventory to pull."""
