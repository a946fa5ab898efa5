"""Site variables: a YAML file of role variables that the plan does not hold (``--vars FILE``).

Every key must be an option of some role's ``meta/argument_specs.yml``: a typo is an error
naming the file, line and key, not a silently ignored setting.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from common.errors import InventoryError
from common.yamlfile import YamlFile

__all__ = ["SiteVarsError", "load_site_vars", "role_options"]


class SiteVarsError(Exception):
    """A site variables file that cannot be used; the message names the file and the place."""


def role_options(playbook_dir: Path) -> dict[str, str]:
    """Every role option declared in the argument specs: ``{variable: role}``."""
    options: dict[str, str] = {}
    for spec in sorted(playbook_dir.glob("roles/*/meta/argument_specs.yml")):
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        for entry in data["argument_specs"].values():
            for name in entry.get("options", {}):
                options[name] = spec.parent.parent.name
    return options


def load_site_vars(path: Path, playbook_dir: Path) -> dict:
    """Read ``path`` (a YAML mapping of role variables) and check every key is a declared option."""
    try:
        doc = YamlFile.read(path)
    except InventoryError as exc:
        raise SiteVarsError("; ".join(str(issue) for issue in exc.issues)) from None
    if not isinstance(doc.data, dict):
        raise SiteVarsError(f"{path}: expected a mapping of role variables, got {type(doc.data).__name__}")
    known = role_options(playbook_dir)
    problems = []
    for key in doc.data:
        if key not in known:
            line, col = doc.key_position((key,))
            problems.append(f"{path}:{line}:{col}: {key}: not a variable of any role ({', '.join(sorted(set(known.values())))})")
    if problems:
        raise SiteVarsError("\n".join(problems))
    return dict(doc.data)
