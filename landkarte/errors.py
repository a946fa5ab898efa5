"""The error hierarchy of the CLI. Domain errors exit 1 with their message; nothing else is shown."""

from __future__ import annotations

__all__ = ["ExternalToolMissing", "InputError", "LandkarteError", "RemoteError"]


class LandkarteError(Exception):
    """A domain error: the message is for the user (one or more lines), the exit code is 1."""

    exit_code = 1


class InputError(LandkarteError):
    """Bad input (a file, a scenario, a plan): the message names the file and the place."""


class ExternalToolMissing(LandkarteError):
    """A required external program (e.g. the Pulumi CLI) is not installed."""


class RemoteError(LandkarteError):
    """A remote system (NetBox, SSH hosts) failed or refused."""
