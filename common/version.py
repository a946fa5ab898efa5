"""The installed Landkarte's version, written into every plan, sweep and report."""

from __future__ import annotations

__all__ = ["tool_version"]


def tool_version() -> str:
    """The installed package's version; ``0+unknown`` when run from a source tree without installation."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("landkarte")
    except PackageNotFoundError:
        return "0+unknown"
