"""Static contract of the roles: BSI tags on every task, prefixed and specified variables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from configure import PLAYBOOK_DIR, claimed_modules, load_bsi_modules, task_index
from configure.sitevars import role_options

ROLES = sorted(p.name for p in (PLAYBOOK_DIR / "roles").iterdir() if p.is_dir())


def test_roles_include_the_required_set():
    assert {"baseline", "ssh", "nftables", "logging", "backup", "mailrelay"} <= set(ROLES)


def test_every_task_claims_a_known_bsi_module():
    known = load_bsi_modules()
    index = task_index(PLAYBOOK_DIR)
    untagged = [f"{t.path}:{t.line} {t.name}" for t in index.values() if not t.modules]
    unknown = [f"{t.path}:{t.line} {m}" for t in index.values() for m in t.modules if m not in known]
    assert (untagged, unknown) == ([], [])
    assert len(index) > 40


def test_claimed_modules_cover_the_issue_examples():
    claimed = claimed_modules(task_index(PLAYBOOK_DIR))
    assert {"SYS.1.3", "NET.3.2", "OPS.1.1.5", "CON.3", "OPS.1.2.6", "APP.5.3"} <= set(claimed)
    assert claimed["NET.3.2"] == ("nftables",)


@pytest.mark.parametrize("role", ROLES)
def test_role_defaults_are_prefixed_and_specified(role):
    defaults = yaml.safe_load((PLAYBOOK_DIR / "roles" / role / "defaults" / "main.yml").read_text())
    specified = {k for k, r in role_options(PLAYBOOK_DIR).items() if r == role}
    assert [k for k in defaults if not k.startswith(f"{role}_")] == []
    assert set(defaults) == specified


TASK_FILES = sorted([*PLAYBOOK_DIR.glob("roles/*/tasks/*.yml"), *PLAYBOOK_DIR.glob("roles/*/handlers/*.yml")])


@pytest.mark.parametrize("path", TASK_FILES, ids=lambda p: str(p.relative_to(PLAYBOOK_DIR)))
def test_task_modules_are_fully_qualified(path: Path):
    tasks = yaml.safe_load(path.read_text())
    keywords = {"name", "tags", "when", "loop", "loop_control", "register", "notify", "changed_when", "failed_when",
                "vars", "args", "no_log", "become", "check_mode"}
    actions = [next(k for k in t if k not in keywords) for t in tasks]
    assert [a for a in actions if not a.startswith("ansible.builtin.")] == []
