"""ansible-lint with the production profile passes on the playbooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from configure import PLAYBOOK_DIR


def test_ansible_lint_production_profile_passes(tmp_path):
    lint = shutil.which("ansible-lint", path=str(Path(sys.executable).parent))
    assert lint is not None, "ansible-lint is a dev dependency: pip install -e '.[dev]'"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "ANSIBLE_HOME": str(tmp_path / "ansible-home"), "NO_COLOR": "1"}
    proc = subprocess.run(
        [lint, "--profile", "production", "--offline", "--nocolor", "."],
        cwd=PLAYBOOK_DIR, env=env, capture_output=True, text=True, timeout=180, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
