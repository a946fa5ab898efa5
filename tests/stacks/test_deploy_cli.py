"""``landkarte deploy``: the clear error without a Pulumi CLI, and ``render`` without any engine."""

from __future__ import annotations

import json
import os

import pytest

from landkarte.cli import main
from landkarte.commands import deploy
from plan.io import write_plan


@pytest.fixture
def no_pulumi(monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.mark.parametrize("action", ["preview", "destroy"])
def test_deploy_without_pulumi_cli_exits_1_with_install_hint(action, plan_file, no_pulumi, capsys):
    assert main(["deploy", action, "--stack", "dev", "--plan", str(plan_file)]) == 1
    err = capsys.readouterr().err
    assert err.replace("\n", " ").strip() == f"error: {deploy.PULUMI_MISSING}"
    assert deploy.PULUMI_MISSING.count(". ") == 0 and deploy.PULUMI_MISSING.endswith("on PATH.")
    assert "Traceback" not in err


def test_deploy_checks_plan_before_calling_pulumi(tmp_path, monkeypatch, capsys):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake = fake_bin / "pulumi"
    fake.write_text("#!/bin/sh\necho called >> \"$0.log\"\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    bad = tmp_path / "bad.json"
    bad.write_text('{"meta": ', encoding="utf-8")
    assert main(["deploy", "preview", "--stack", "dev", "--plan", str(bad)]) == 1
    assert f"error: plan {bad}: not a valid plan:\n  line 1 column 10" in capsys.readouterr().err
    assert not (fake_bin / "pulumi.log").exists()


def test_deploy_reports_pulumi_failure_in_one_line(plan_file, tmp_path, monkeypatch, capsys):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake = fake_bin / "pulumi"
    fake.write_text('#!/bin/sh\nif [ "$1" = version ]; then echo v3.272.0; exit 0; fi\n'
                    'echo "error: PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE must be set" >&2\n'
                    "exit 255\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    assert main(["deploy", "preview", "--stack", "dev", "--plan", str(plan_file)]) == 1
    assert capsys.readouterr().err.strip() == ("error: pulumi preview failed for stack dev: error: "
                                               "PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE must be set")


def test_deploy_checks_stack_config_before_calling_pulumi(plan_file, tmp_path, monkeypatch, capsys):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "pulumi").write_text("#!/bin/sh\ntouch \"$0.called\"\nexit 3\n")
    (fake_bin / "pulumi").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "Pulumi.broken.yaml").write_text("config:\n  landkarte:scope: region:x\n", encoding="utf-8")
    monkeypatch.setattr(deploy, "PROJECT_DIR", tmp_path)
    assert main(["deploy", "preview", "--stack", "broken", "--plan", str(plan_file)]) == 1
    assert capsys.readouterr().err.strip() == ("error: Pulumi.broken.yaml: landkarte:scope: must be all, shared, "
                                               "dc:<data centre id> or kreis:<Kreisschlüssel|none>")
    assert not (fake_bin / "pulumi.called").exists()


def test_deploy_preview_missing_option_is_usage_error(plan_file, capsys):
    assert main(["deploy", "preview", "--plan", str(plan_file)]) == 2
    assert "--stack" in capsys.readouterr().err


def test_render_writes_graph_without_engine(plan, plan_file, tmp_path, no_pulumi, capsys):
    out = tmp_path / "graph" / "graph.json"
    assert main(["deploy", "render", "--plan", str(plan_file), "--out", str(out)]) == 0
    graph = json.loads(out.read_text(encoding="utf-8"))
    assert "0 policy violations" in capsys.readouterr().out
    assert graph["violations"] == [] and graph["plan"] == str(plan_file.resolve())
    assert graph["counts"]["landkarte:tenant:Tenant"] == 4
    assert graph["counts"]["proxmoxve:index/vmLegacy:VmLegacy"] == len(plan.vms) + len(plan.data_centres)
    urns = [r["urn"] for r in graph["resources"]]
    assert urns == sorted(urns)
    segment = next(r for r in graph["resources"] if r["name"] == "gemeinde-a-rz-nord-subnet")
    assert segment["inputs"]["cidr"] == "10.20.1.0/24" and segment["data_centre"] == "rz-nord"
    assert segment["parent"].endswith("landkarte:tenant:TenantSegment::gemeinde-a-rz-nord")
    text = out.read_text(encoding="utf-8")
    assert "mock-password" not in text and "BEGIN PRIVATE KEY" not in text
    user = next(r for r in graph["resources"] if r["name"] == "gemeinde-a-admin")
    assert user["inputs"]["initialPassword"] == "[secret]" and user["secret"] == ["initialPassword"]


def test_render_is_deterministic(plan_file, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["deploy", "render", "--plan", str(plan_file), "--out", str(a)]) == 0
    assert main(["deploy", "render", "--plan", str(plan_file), "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_render_to_stdout(plan_file, capsys):
    assert main(["deploy", "render", "--plan", str(plan_file)]) == 0
    assert json.loads(capsys.readouterr().out)["graph_version"] == "1"


def test_render_uses_stack_config(plan_file, tmp_path, capsys):
    out = tmp_path / "dev.json"
    assert main(["deploy", "render", "--plan", str(plan_file), "--stack", "dev", "--out", str(out)]) == 0
    graph = json.loads(out.read_text(encoding="utf-8"))
    metrics = [r for r in graph["resources"] if r["type"] == "proxmoxve:metrics/server:Server"]
    assert {r["inputs"]["server"] for r in metrics} == {"monitoring.lab.egov-saar.example"}
    providers = [r for r in graph["resources"] if r["type"] == "pulumi:providers:proxmoxve"]
    assert sorted(r["inputs"]["endpoint"] for r in providers) == [
        "https://pve-lab.rz-nord.egov-saar.example:8006/", "https://pve-lab.rz-sued.egov-saar.example:8006/"]


def test_render_bad_stack_config_names_file_and_key(plan_file, tmp_path, monkeypatch, capsys):
    (tmp_path / "Pulumi.broken.yaml").write_text("config:\n  landkarte:monitoringPort: 0\n", encoding="utf-8")
    monkeypatch.setattr(deploy, "PROJECT_DIR", tmp_path)
    out = tmp_path / "graph.json"
    assert main(["deploy", "render", "--plan", str(plan_file), "--stack", "broken", "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip() == \
        "error: Pulumi.broken.yaml: landkarte:monitoringPort: must be between 1 and 65535"
    assert not out.exists()


def test_render_invalid_plan_names_file_and_place(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps({"meta": {}}), encoding="utf-8")
    out = tmp_path / "graph.json"
    assert main(["deploy", "render", "--plan", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: plan {bad}: not a valid plan:\n  meta.tool_version: Field required")
    assert not out.exists()


def test_render_inconsistent_plan_leaves_nothing(plan, tmp_path, capsys):
    path = tmp_path / "plan.json"
    write_plan(plan.model_copy(update={"vms": (plan.vms[0].model_copy(update={"data_centre": "rz-x"}),)}), path)
    out = tmp_path / "graph.json"
    assert main(["deploy", "render", "--plan", str(path), "--out", str(out)]) == 1
    assert "vms[0].data_centre: unknown data centre 'rz-x'" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == [path]


def test_render_reports_policy_violations_and_exits_1(plan, tmp_path, capsys):
    path = tmp_path / "plan.json"
    vms = tuple(vm.model_copy(update={"backup": False}) if vm.id == "iam-1" else vm for vm in plan.vms)
    write_plan(plan.model_copy(update={"vms": vms}), path)
    out = tmp_path / "graph.json"
    assert main(["deploy", "render", "--plan", str(path), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 2 policy violation(s):\n  [backups-for-hoch-and-above] urn:pulumi:")
    assert len(json.loads(out.read_text(encoding="utf-8"))["violations"]) == 2


def test_render_json_summary(plan_file, tmp_path, capsys):
    out = tmp_path / "graph.json"
    assert main(["deploy", "render", "--plan", str(plan_file), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {"out": str(out), "resources": len(json.loads(out.read_text())["resources"]), "violations": []}


def test_render_progress_hook_sees_every_resource(plan_file):
    from stacks.render import render

    seen = []
    graph, recording = render(plan_file, on_register=seen.append)
    assert len(seen) == len(recording.resources) == len(graph["resources"])
