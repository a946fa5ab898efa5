"""Errors of the NetBox sync, named for the problem. Messages are plain sentences for the user."""

from __future__ import annotations

from common.errors import InputError, LandkarteError, RemoteError

__all__ = [
    "ConfigError",
    "DeleteBlocked",
    "InvalidProgress",
    "NetBoxRejected",
    "NetBoxSyncError",
    "NetBoxUnavailable",
    "NotALandscape",
    "OwnershipConflict",
]


def _listing(items: list[str], shown: int = 30) -> str:
    """The first ``shown`` items as an indented bullet list, then how many more there are."""
    more = f"\n  … and {len(items) - shown} more" if len(items) > shown else ""
    return "\n".join(f"  - {item}" for item in items[:shown]) + more


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
    """Something in NetBox stands in the way of a push; found before the first write, nothing was written.

    Untagged objects with the natural key of one Landkarte would create (``--adopt`` takes them over), objects
    that would break a NetBox uniqueness rule, someone else's ``landkarte_*`` custom field or ``Landkarte`` tag.
    """

    def __init__(self, labels: list[str]):
        self.labels = labels
        super().__init__(
            f"{len(labels)} conflict(s) with objects in NetBox; nothing was written. Landkarte does not change "
            f"objects it does not own. An object without the 'landkarte' tag that has the slug (or name) of one "
            f"Landkarte would create can be taken over with --adopt; for the others rename the object in NetBox "
            f"or in the inventory:\n{_listing(labels)}"
        )


class DeleteBlocked(NetBoxSyncError, RemoteError):
    """Objects Landkarte would delete are still used by objects it does not own, or are planned VMs in production.

    NetBox's on-delete rules would clear or delete those objects too; so the push stops (before any write,
    when it was found then). ``--orphan`` leaves such objects in place, released from Landkarte.
    """

    def __init__(self, items: list[str]):
        self.items = items
        super().__init__(
            f"{len(items)} delete(s) blocked: objects Landkarte no longer needs are still used by objects it does "
            f"not own, and deleting them would change or delete those too (or, a planned VM, are in production). "
            f"Push with --orphan to leave them in place without the 'landkarte' tag (Landkarte then forgets them), "
            f"or remove the references in NetBox:\n{_listing(items)}"
        )


class NotALandscape(NetBoxSyncError, RemoteError):
    """NetBox holds no (or no valid) Landkarte inventory to pull."""


class InvalidProgress(NetBoxSyncError, RemoteError):
    """The actuals kept in NetBox (a tenant's ``landkarte_progress``, a planned VM's ``landkarte_live``) hold
    values the actuals cannot represent.

    ``problems`` holds one plain sentence per value, naming the tenant and system or the VM.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} invalid progress value(s) in NetBox; nothing was written:\n"
                         + "\n".join(f"  - {p}" for p in problems))

    def __reduce__(self):
        return type(self), (self.problems,)
