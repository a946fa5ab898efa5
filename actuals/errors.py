"""The actuals' error: every problem of a progress folder that cannot be loaded, each with its place."""

from __future__ import annotations

from common.errors import IssuesError

__all__ = ["ActualsError"]


class ActualsError(IssuesError):
    """A progress folder that cannot be loaded; ``issues`` lists every problem (file, line, column, key)."""

    subject = "the actuals"
