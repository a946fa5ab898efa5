"""Stack configuration: Pulumi.yaml declares every key, defaults agree, bad values name their key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stacks.config import DEFAULTS, NAMESPACE, StackConfigError, parse_config, stack_file_config

ROOT = Path(__file__).resolve().parents[2]


def test_pulumi_yaml_declares_every_key_with_description_and_default():
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))
    declared = project["config"]
    assert project["name"] == "landkarte" and project["main"] == "stacks/"
    assert project["runtime"]["name"] == "python" and project["runtime"]["options"]["virtualenv"] == ".venv"
    assert sorted(declared) == sorted(f"{NAMESPACE}:{k}" for k in DEFAULTS)
    for key, spec in declared.items():
        assert spec.get("description"), key
        assert spec["default"] == DEFAULTS[key.split(":", 1)[1]], key


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_example_stack_files_are_valid(stack):
    cfg = parse_config(stack_file_config(ROOT / f"Pulumi.{stack}.yaml"))
    assert cfg.endpoint("rz-nord").startswith("https://")
    assert "rz-nord" in cfg.endpoint("rz-nord")


def test_example_stack_files_hold_no_secrets():
    for stack in ("dev", "prod"):
        text = (ROOT / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8").lower()
        assert "token:" not in text and "password" not in text and "secret:" not in text


def test_parse_config_defaults():
    cfg = parse_config({})
    assert cfg.scope.kind == "all" and cfg.plan_path == Path("out/plan.json")
    assert cfg.password_length == 32 and cfg.management_networks == ()


def test_parse_config_reports_every_bad_key_at_once():
    with pytest.raises(StackConfigError) as err:
        parse_config({"monitoringPort": "70000", "scope": "region:x", "proxmoxEndpoint": "http://pve",
                      "managementNetworks": '["10.0.0.1/24"]', "passwordLength": "8", "colour": "blue"})
    assert err.value.problems == [
        "landkarte:colour: unknown key (declared keys are listed in Pulumi.yaml)",
        "landkarte:scope: must be all, shared, dc:<data centre id> or kreis:<Kreisschlüssel|none>",
        "landkarte:proxmoxEndpoint: must be an https:// URL",
        "landkarte:monitoringPort: must be between 1 and 65535",
        "landkarte:passwordLength: must be between 16 and 128",
        "landkarte:managementNetworks[0]: '10.0.0.1/24' is not a CIDR prefix",
    ]


def test_parse_config_wrong_type_names_key():
    with pytest.raises(StackConfigError, match=r"^landkarte:proxmoxInsecure: must be true or false$"):
        parse_config({"proxmoxInsecure": "yes"})


def test_parse_config_split_scope_needs_shared_stack():
    with pytest.raises(StackConfigError, match="landkarte:sharedStack: required when scope is kreis:10041"):
        parse_config({"scope": "kreis:10041"})
    assert parse_config({"scope": "dc:rz-nord", "sharedStack": "o/landkarte/shared"}).scope.has_dc("rz-nord")
