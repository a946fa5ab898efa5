"""BSI IT-Grundschutz modules and the playbook tasks that claim them.

A task claims a module with a tag ``bsi_<module id>`` (e.g. ``bsi_SYS.1.3``). The module
list is the bundled BSI catalogue (:mod:`common.catalogue`, Kompendium 2023).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from common.catalogue import BsiModule, facts_catalogue
from common.yamlfile import YamlFile

__all__ = ["BSI_TAG_PREFIX", "TaskRef", "claimed_modules", "load_bsi_modules", "task_index"]

BSI_TAG_PREFIX = "bsi_"


@dataclass(frozen=True)
class TaskRef:
    """A task (or handler) in a role file and the BSI modules it claims."""

    role: str
    name: str
    path: str
    line: int
    modules: tuple[str, ...]


def load_bsi_modules() -> dict[str, BsiModule]:
    """The BSI modules of the catalogue as ``{id: BsiModule}``."""
    return {m.id: m for m in facts_catalogue().bsi_modules}


def _walk_tasks(node: yaml.Node):
    """Yield every task mapping node of a task list, descending into block/rescue/always."""
    if not isinstance(node, yaml.SequenceNode):
        return
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        yield item
        for key, value in item.value:
            if key.value in ("block", "rescue", "always"):
                yield from _walk_tasks(value)


def _tags(node: yaml.MappingNode) -> tuple[str, ...]:
    for key, value in node.value:
        if key.value == "tags":
            if isinstance(value, yaml.SequenceNode):
                return tuple(str(v.value) for v in value.value)
            return tuple(t.strip() for t in str(value.value).split(","))
    return ()


def task_index(playbook_dir: Path) -> dict[tuple[str, int], TaskRef]:
    """Index every role task and handler by ``(resolved file path, 1-based line)``.

    The key matches ansible's ``task_path`` (``FILE:LINE``) in runner events.
    """
    index: dict[tuple[str, int], TaskRef] = {}
    for path in sorted(playbook_dir.glob("roles/*/*/*.yml")):
        if path.parent.name not in ("tasks", "handlers"):
            continue
        root = YamlFile.read(path).node()
        role = path.parent.parent.name
        for node in _walk_tasks(root):
            name = next((v.value for k, v in node.value if k.value == "name"), "")
            modules = tuple(t[len(BSI_TAG_PREFIX):] for t in _tags(node) if t.startswith(BSI_TAG_PREFIX))
            line = node.start_mark.line + 1
            index[(str(path.resolve()), line)] = TaskRef(role, str(name), str(path), line, modules)
    return index


def claimed_modules(index: dict[tuple[str, int], TaskRef]) -> dict[str, tuple[str, ...]]:
    """Every module any task claims, with the roles claiming it: ``{module: (role, ...)}``."""
    roles: dict[str, set[str]] = {}
    for ref in index.values():
        for module in ref.modules:
            roles.setdefault(module, set()).add(ref.role)
    return {m: tuple(sorted(r)) for m, r in sorted(roles.items())}
