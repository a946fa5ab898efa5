"""Site variables: a YAML file of role variables that the plan does not hold (``--vars FILE``).

Every key must be an option of some role's ``meta/argument_specs.yml``: a typo is an error
naming the file, line and key, not a silently ignored setting.
"""

from __future__ import annotations

from pathlib import Path

from common.errors import Issue, IssuesError
from common.yamlfile import YamlFile

__all__ = ["SiteVarsError", "load_site_vars", "role_options"]


class SiteVarsError(IssuesError):
    """A site variables file that cannot be used; ``issues`` name the file, line, column and key."""

    subject = "the site variables"


def role_options(playbook_dir: Path) -> dict[str, str]:
    """Every role option declared in the argument specs: ``{variable: role}``."""
    options: dict[str, str] = {}
    for spec in sorted(playbook_dir.glob("roles/*/meta/argument_specs.yml")):
        data = YamlFile.read(spec).data
        for entry in data["argument_specs"].values():
            for name in entry.get("options", {}):
                options[name] = spec.parent.parent.name
    return options


def load_site_vars(path: Path, playbook_dir: Path) -> dict:
    """Read ``path`` (a YAML mapping of role variables) and check every key is a declared option."""
    try:
        doc = YamlFile.read(path)
    except IssuesError as exc:
        raise SiteVarsError(exc.issues) from None
    if not isinstance(doc.data, dict):
        raise SiteVarsError([Issue(str(path), 1, 1, (), f"expected a mapping of role variables, "
                                                          f"got {type(doc.data).__name__}")])
    known = role_options(playbook_dir)
    roles = ", ".join(sorted(set(known.values())))
    problems = [Issue(str(path), *doc.key_position((key,)), (key,), f"not a variable of any role ({roles})")
                for key in doc.data if key not in known]
    if problems:
        raise SiteVarsError(problems)
    return dict(doc.data)
