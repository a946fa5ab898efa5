"""``landkarte deploy`` change control against recorded engine events (no engine runs here).

The Automation API's stack is replaced by one that replays recorded ``EngineEvent`` JSON
(``tests/data/pulumi-events/``) and records what the command asked of it; everything else
(stack-file checks, diff rendering, approval, confirmation, refusal) is the real code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from pulumi import automation as auto
from pulumi.automation.events import EngineEvent

from landkarte.cli import main
from landkarte.commands import deploy
from stacks.changes import changes_from_events, render_changes

EVENTS = Path(__file__).resolve().parents[1] / "data" / "pulumi-events"
ROOT = Path(__file__).resolve().parents[2]


def _events(name: str) -> list[EngineEvent]:
    return [EngineEvent.from_json(json.loads(line)) for line in (EVENTS / name).read_text().splitlines()]


class ReplayStack:
    """Stands in for ``pulumi.automation.Stack``: replays recorded events, records the calls."""

    def __init__(self, preview_file: str):
        self.preview_file = preview_file
        self.calls: list[tuple[str, dict]] = []

    def preview(self, on_event, **kwargs):
        self.calls.append(("preview", kwargs))
        for event in _events(self.preview_file):
            on_event(event)

    def up(self, on_event, **kwargs):
        self.calls.append(("up", kwargs))

    def destroy(self, on_event, **kwargs):
        self.calls.append(("destroy", kwargs))

    def export_stack(self):
        return SimpleNamespace(deployment=json.loads((EVENTS / "export-protected.json").read_text())["deployment"])

    def set_config(self, *args, **kwargs):  # the old code path: must never be used again
        raise AssertionError("the stack file must never be written")


@pytest.fixture
def engine(monkeypatch):
    """Pretend the Pulumi CLI is there; select/create return the replaying stack."""
    state = SimpleNamespace(stack=ReplayStack("preview-approved.jsonl"), selected=[], created=[])

    def select_stack(stack_name, work_dir, opts):
        state.selected.append((stack_name, opts.env_vars))
        return state.stack

    def create_or_select_stack(stack_name, work_dir, opts):
        state.created.append(stack_name)
        return state.stack

    monkeypatch.setattr(deploy.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(auto, "select_stack", select_stack)
    monkeypatch.setattr(auto, "create_or_select_stack", create_or_select_stack)
    return state


def _stack_files() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(ROOT.glob("Pulumi*.yaml"))}


def test_changes_show_each_resource_with_changed_inputs_and_mask_secrets():
    lines = render_changes(changes_from_events(_events("preview-approved.jsonl"), secret_keys=("password",)))
    text = "\n".join(lines)
    assert lines[-1] == "create 1, delete 1, replace 1, update 2"
    assert "~ update  urn:pulumi:dev::landkarte::" in text and "memory: {\"dedicated\": 4096} → {\"dedicated\": 8192}" \
        in text
    assert "+-replace " in text and "[forces replacement]" in text
    assert "- delete  " in text and "rz-01-backup-normal" in text
    assert "s3cret-console-password" not in text and "[secret]" in text


def test_preview_prints_the_diff_saves_the_approval_and_never_writes_the_stack_file(engine, plan_file, tmp_path,
                                                                                    capsys):
    before = _stack_files()
    approved = tmp_path / "approved.json"
    assert main(["deploy", "preview", "--stack", "dev", "--plan", str(plan_file), "--save-plan", str(approved)]) == 0
    out = capsys.readouterr().out
    assert "rz-01-vm-dms-rz-01-1" in out and "create 1, delete 1, replace 1, update 2" in out
    assert "s3cret" not in out and "s3cret" not in approved.read_text()
    doc = json.loads(approved.read_text())
    assert doc["stack"] == "dev" and len(doc["changes"]) == 5
    assert doc["pulumi_update_plan"] == str(approved) + ".pulumi-plan.json"
    assert engine.stack.calls[0][1]["plan"] == doc["pulumi_update_plan"]  # Pulumi's update plan saved too
    name, env = engine.selected[0]
    assert (name, env["LANDKARTE_PLAN_PATH"]) == ("dev", str(plan_file.resolve()))  # by environment, not config
    assert engine.created == []
    assert _stack_files() == before


def test_up_applies_the_approved_plan_only_with_yes_off_a_terminal(engine, plan_file, tmp_path, capsys):
    approved = tmp_path / "approved.json"
    assert main(["deploy", "preview", "--stack", "dev", "--plan", str(plan_file), "--save-plan", str(approved)]) == 0
    capsys.readouterr()
    assert main(["deploy", "up", "--stack", "dev", "--plan", str(approved)]) == 1
    assert "pass --yes to confirm; nothing was changed" in capsys.readouterr().err
    assert [c for c, _ in engine.stack.calls] == ["preview", "preview"]
    assert main(["deploy", "up", "--stack", "dev", "--plan", str(approved), "--yes"]) == 0
    up = [kw for c, kw in engine.stack.calls if c == "up"]
    assert len(up) == 1 and up[0]["show_secrets"] is False


def test_up_refuses_when_the_preview_changed_after_approval(engine, plan_file, tmp_path, capsys):
    approved = tmp_path / "approved.json"
    assert main(["deploy", "preview", "--stack", "dev", "--plan", str(plan_file), "--save-plan", str(approved)]) == 0
    capsys.readouterr()
    engine.stack.preview_file = "preview-changed.jsonl"
    assert main(["deploy", "up", "--stack", "dev", "--plan", str(approved), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "refused: the stack no longer matches the approved plan" in err
    assert "changed since the approval: update urn:pulumi:dev::landkarte::" in err and "vm-dms-rz-01-1" in err
    assert [c for c, _ in engine.stack.calls if c == "up"] == []


def test_up_refuses_when_the_consolidation_plan_changed(engine, plan_file, tmp_path, capsys):
    approved = tmp_path / "approved.json"
    assert main(["deploy", "preview", "--stack", "dev", "--plan", str(plan_file), "--save-plan", str(approved)]) == 0
    plan_file.write_text(plan_file.read_text().replace('"synthetic": true', '"synthetic": true '))
    assert main(["deploy", "up", "--stack", "dev", "--plan", str(approved), "--yes"]) == 1
    assert f"the consolidation plan {plan_file} changed since the approval" in capsys.readouterr().err


def test_up_without_an_approved_plan_file_is_a_clear_error(engine, plan_file, capsys):
    assert main(["deploy", "up", "--stack", "dev", "--plan", str(plan_file), "--yes"]) == 1
    assert "not an approved plan (write one with `landkarte deploy preview --save-plan`)" in capsys.readouterr().err


def test_unknown_stack_is_an_error_unless_create(engine, plan_file, capsys):
    assert main(["deploy", "preview", "--stack", "staging", "--plan", str(plan_file)]) == 1
    err = capsys.readouterr().err
    assert "unknown stack 'staging': there is no Pulumi.staging.yaml (known stacks: dev, prod)" in err
    assert "--create" in err and engine.selected == [] and engine.created == []
    assert main(["deploy", "preview", "--stack", "staging", "--plan", str(plan_file), "--create"]) == 0
    assert engine.created == ["staging"]
    assert not (ROOT / "Pulumi.staging.yaml").exists()


def test_destroy_explains_protected_resources_instead_of_stopping_half_way(engine, plan_file, capsys):
    assert main(["deploy", "destroy", "--stack", "dev", "--plan", str(plan_file), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "refused: 1 resource(s) of stack dev are protected" in err and "vm-dms-rz-01-1" in err
    assert "pulumi state unprotect" in err and "--exclude-protected" in err
    assert [c for c, _ in engine.stack.calls] == []
    assert main(["deploy", "destroy", "--stack", "dev", "--plan", str(plan_file), "--exclude-protected",
                 "--yes"]) == 0
    assert engine.stack.calls == [("destroy", {"exclude_protected": True, "show_secrets": False})]


def test_confirm_asks_on_a_terminal(monkeypatch):
    monkeypatch.setattr(deploy.typer, "confirm", lambda *a, **k: False)
    with pytest.raises(deploy.LandkarteError, match="not confirmed; nothing was changed"):
        deploy.confirm("apply?", yes=False, interactive=True)
    monkeypatch.setattr(deploy.typer, "confirm", lambda *a, **k: True)
    deploy.confirm("apply?", yes=False, interactive=True)
