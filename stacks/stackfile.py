"""The stack files ``Pulumi.<stack>.yaml``: found, read and never written by Landkarte.

Kept free of the Pulumi SDK so that ``landkarte configure`` can read the one source of the
management networks (``landkarte:managementNetworks``) that the stack program also uses.

Example
-------
>>> stack_file(Path("/repo"), "dev")
PosixPath('/repo/Pulumi.dev.yaml')
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

__all__ = ["StackFileError", "UnknownStack", "known_stacks", "management_networks", "stack_file",
           "stack_file_config"]

NAMESPACE = "landkarte"
_STACK_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class StackFileError(ValueError):
    """A stack file that cannot be used; the message names the file (and the key)."""


class UnknownStack(StackFileError):
    """No ``Pulumi.<stack>.yaml`` for the stack name."""


def stack_file(project_dir: Path, stack: str) -> Path:
    """The path of a stack's file (whether or not it exists)."""
    if not _STACK_RE.match(stack):
        raise StackFileError(f"stack name {stack!r}: letters, digits, '.', '_' and '-' only")
    return project_dir / f"Pulumi.{stack}.yaml"


def known_stacks(project_dir: Path) -> list[str]:
    """Stacks with a file in the project directory."""
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))


def stack_file_config(path: Path) -> dict[str, Any]:
    """The ``landkarte:`` keys of a ``Pulumi.<stack>.yaml`` (namespace stripped; secure values skipped).

    Raises
    ------
    StackFileError
        When the file cannot be read or is not a mapping with a ``config`` mapping.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise StackFileError(f"{path}: {exc}") from None
    config = data.get("config", {}) if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise StackFileError(f"{path}: 'config' must be a mapping")
    prefix = NAMESPACE + ":"
    return {k[len(prefix):]: v for k, v in config.items()
            if k.startswith(prefix) and not (isinstance(v, dict) and "secure" in v)}


def read_stack(project_dir: Path, stack: str) -> dict[str, Any]:
    """The config of an existing stack.

    Raises
    ------
    UnknownStack
        No ``Pulumi.<stack>.yaml``; the message lists the known stacks.
    """
    path = stack_file(project_dir, stack)
    if not path.exists():
        known = ", ".join(known_stacks(project_dir)) or "none"
        raise UnknownStack(f"unknown stack {stack!r}: there is no {path.name} (known stacks: {known})")
    return stack_file_config(path)


def management_networks(project_dir: Path, stack: str) -> tuple[str, ...]:
    """``landkarte:managementNetworks`` of a stack: the networks allowed to reach SSH (Pulumi and Ansible).

    Raises
    ------
    UnknownStack, StackFileError
        No such stack, or the key is missing or empty (never guessed).
    """
    config = read_stack(project_dir, stack)
    nets = config.get("managementNetworks")
    path = stack_file(project_dir, stack)
    if not isinstance(nets, list) or not nets or not all(isinstance(n, str) for n in nets):
        raise StackFileError(f"{path.name}: landkarte:managementNetworks must list the management networks "
                             "(the only sources allowed to reach SSH)")
    return tuple(nets)
