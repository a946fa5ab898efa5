"""ansible-runner driver: environment, clear errors, a real local run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from configure.runner import PlaybookError, _envvars, run_playbook

LOCAL = {"all": {"hosts": {"localhost": {"ansible_connection": "local",
                                         "ansible_python_interpreter": sys.executable}}}}


def test_envvars_put_the_venv_first_and_keep_ansible_out_of_home(tmp_path):
    env = _envvars(tmp_path)
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)
    assert env["ANSIBLE_HOME"].startswith(str(tmp_path))
    assert env["ANSIBLE_REMOTE_TEMP"] and env["ANSIBLE_HOST_KEY_CHECKING"] == "True"


def test_run_playbook_yaml_error_raises_playbook_error(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("- name: Broken\n  hosts: all\n  tasks:\n    - name: x\n      ansible.builtin.debug: {msg: [\n")
    with pytest.raises(PlaybookError) as err:
        run_playbook(LOCAL, playbook=str(broken))
    assert "before running any task" in str(err.value)
    assert "broken.yml" in str(err.value)


def test_run_playbook_reports_events_and_stats_of_a_local_run(tmp_path):
    playbook = tmp_path / "ok.yml"
    playbook.write_text(
        "- name: Local\n  hosts: all\n  gather_facts: false\n  tasks:\n"
        "    - name: Say hello\n      ansible.builtin.debug:\n        msg: hello\n"
        "    - name: Touch a file\n      ansible.builtin.file:\n"
        f"        path: {tmp_path}/touched\n        state: touch\n        mode: '0600'\n"
    )
    seen = []
    result = run_playbook(LOCAL, playbook=str(playbook), on_event=lambda e: seen.append(e.get("event")))
    assert (result.status, result.rc) == ("successful", 0)
    assert result.changed() == {"localhost": 1}
    assert [e["event_data"]["task"] for e in result.events] == ["Say hello", "Touch a file"]
    assert "playbook_on_stats" in seen


def test_run_playbook_check_mode_changes_nothing(tmp_path):
    playbook = tmp_path / "touch.yml"
    playbook.write_text(
        "- name: Local\n  hosts: all\n  gather_facts: false\n  tasks:\n"
        "    - name: Touch a file\n      ansible.builtin.file:\n"
        f"        path: {tmp_path}/touched\n        state: touch\n        mode: '0600'\n"
    )
    result = run_playbook(LOCAL, playbook=str(playbook), check=True)
    assert (result.status, result.changed()) == ("successful", {"localhost": 1})
    assert not (tmp_path / "touched").exists()


def _files_containing(root: Path, needle: bytes) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_run_playbook_secret_extravars_reach_the_play_but_never_the_disk_or_the_command_line(
        tmp_path, monkeypatch):
    import tempfile

    import ansible_runner

    secret = "Tr4ns1t-Backup-Passwort-0815"
    monkeypatch.setenv("LANDKARTE_BACKUP_PASSWORD", secret)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    seen_dirs: list[Path] = []
    commands: list[str] = []
    real = ansible_runner.run_async

    def spy(**kwargs):
        seen_dirs.append(Path(kwargs["private_data_dir"]))
        thread, runner = real(**kwargs)
        commands.append(" ".join(runner.config.command))
        return thread, runner

    monkeypatch.setattr(ansible_runner, "run_async", spy)
    playbook = tmp_path / "secret.yml"
    playbook.write_text(
        "- name: Local\n  hosts: all\n  gather_facts: false\n  tasks:\n"
        "    - name: Use the password\n      ansible.builtin.copy:\n"
        f"        dest: {tmp_path}/out/pw\n        content: '{{{{ backup_password }}}}'\n        mode: '0600'\n"
        "      no_log: true\n"
    )
    (tmp_path / "out").mkdir()
    found_during: list[list[str]] = []

    def look(event: dict) -> None:  # while ansible-playbook runs: the data dir holds no secret
        if event.get("event") == "runner_on_ok":
            found_during.append(_files_containing(seen_dirs[0], secret.encode()))

    result = run_playbook(LOCAL, playbook=str(playbook), extravars={"backup_password": secret}, on_event=look)
    assert (result.status, result.rc) == ("successful", 0)
    assert (tmp_path / "out" / "pw").read_text() == secret  # the play got it
    assert found_during == [[]]
    assert secret not in commands[0] and "backup_password" not in commands[0]
    assert not seen_dirs[0].exists()  # removed afterwards
    assert _files_containing(tmp_path / "tmp", secret.encode()) == []
