"""Strict means strict: booleans and text are not numbers in YAML, absurd values are refused with a reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from inventory_cases import MINI

from consolidation._examples import scenario_dict, tiny_landscape
from consolidation.scenario import ScenarioError, load_scenario
from consolidation.targets import UnknownReferenceError, map_targets
from inventory.errors import InventoryError
from inventory.load import load_landscape
from landkarte.cli import main

OBERTHAL = "organisations/oberthal.yaml"


def _mini_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "inv"
    shutil.copytree(MINI, folder)
    text = (folder / OBERTHAL).read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    (folder / OBERTHAL).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _errors(folder: Path) -> list[str]:
    with pytest.raises(InventoryError) as err:
        load_landscape(folder)
    return [str(i) for i in err.value.issues]


@pytest.mark.parametrize(("value", "shown"), [
    ("true", "not true"), ("yes", "not true"), ("on", "not true"), ("'12'", "not '12'"), ('"4"', "not '4'"),
    ("4.5", "not 4.5"), ("null", ""),
])
def test_users_must_be_a_whole_number_in_yaml(tmp_path: Path, value: str, shown: str) -> None:
    errors = _errors(_mini_with(tmp_path, "users: 4\n", f"users: {value}\n"))
    assert len(errors) == 1 and errors[0].startswith(f"{OBERTHAL}:38:10 systems[0].users: "), errors
    assert shown in errors[0]


@pytest.mark.parametrize("value", ["on", "'6'", "false"])
def test_notice_months_is_no_bool_or_text(tmp_path: Path, value: str) -> None:
    errors = _errors(_mini_with(tmp_path, "notice_months: 6", f"notice_months: {value}"))
    assert [e.split(": ")[0] for e in errors] == [f"{OBERTHAL}:49:20 systems[0].contract.notice_months"]


def test_annual_cost_as_text_is_refused_in_yaml(tmp_path: Path) -> None:
    errors = _errors(_mini_with(tmp_path, "annual_cost: 8400.50", "annual_cost: '8400.50'"))
    assert errors == [f"{OBERTHAL}:46:18 systems[0].contract.annual_cost: must be a number, not '8400.50'"]


def test_absurd_user_count_names_the_bound_and_its_reason(tmp_path: Path) -> None:
    errors = _errors(_mini_with(tmp_path, "users: 4\n", f"users: {10**40}\n"))
    assert len(errors) == 1 and "systems[0].users" in errors[0]
    assert "more than 100,000,000" in errors[0] and "Germany" in errors[0]


def test_host_with_a_million_vcpus_is_refused_with_the_reason(tmp_path: Path) -> None:
    errors = _errors(_mini_with(tmp_path, "vcpu: 4", "vcpu: 1000000"))
    assert any("size.vcpu" in e and "no single host" in e for e in errors), errors


def test_infinite_float_is_refused(tmp_path: Path) -> None:
    folder = _mini_with(tmp_path, "users: 4\n", "users: 4\n")
    text = (folder / OBERTHAL).read_text()
    folder2 = _mini_with(tmp_path / "b", "vcpu: 4", "vcpu: .inf")
    assert any("size.vcpu" in e for e in _errors(folder2)) and text


def test_the_spreadsheet_still_reads_numbers_from_text_cells(tmp_path: Path) -> None:
    # CSV cells are text: "12" in a number column is 12 there (the YAML must say 12)
    out = tmp_path / "csv"
    assert main(["inventory", "export", str(MINI), "--format", "csv", "--out", str(out)]) == 0
    assert load_landscape(out) == load_landscape(MINI)


def _scenario(tmp_path: Path, **changes) -> Path:
    data = scenario_dict()
    for key, value in changes.items():
        data[key] = value
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _scenario_errors(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return [str(i) for i in err.value.issues]


def test_scenario_bool_and_text_are_not_numbers(tmp_path: Path) -> None:
    path = _scenario(tmp_path, solver={"workers": True, "time_limit_s": "20"})
    errors = _scenario_errors(path)
    assert any("solver.workers: must be a number, not true" in e for e in errors), errors
    assert any("solver.time_limit_s: must be a number, not '20'" in e for e in errors), errors


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10**40, 1e300])
def test_scenario_infinite_or_absurd_numbers_are_refused_with_their_place(tmp_path: Path, value) -> None:
    data = scenario_dict()
    data["targets"][0]["onboarding_per_quarter"] = value
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    errors = _scenario_errors(path)
    assert any("targets[0].onboarding_per_quarter: " in e for e in errors), errors


@pytest.mark.parametrize("supernet", ["127.0.0.0/8", "127.10.0.0/16", "169.254.0.0/16", "224.0.0.0/8",
                                      "0.0.0.0/8", "240.0.0.0/8"])
def test_loopback_and_other_unroutable_supernets_are_refused(tmp_path: Path, supernet: str) -> None:
    data = scenario_dict()
    data["data_centres"][0]["supernet"] = supernet
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    errors = _scenario_errors(path)
    assert any("data_centres[0].supernet: " in e and "cannot carry" in e for e in errors), errors


def test_scenario_target_for_an_unknown_domain_is_an_error_not_dropped() -> None:
    from consolidation._examples import tiny_scenario

    scenario = tiny_scenario(targets=[{"domain": "e-mial", "product": "ox", "name": "Mail (Tippfehler)"}])
    with pytest.raises(UnknownReferenceError) as err:
        map_targets(tiny_landscape(), scenario)
    assert "domain 'e-mial' (target 'Mail (Tippfehler)')" in str(err.value)


def test_plan_with_an_unknown_target_domain_exits_1_naming_the_scenario(tmp_path: Path, capsys) -> None:
    data = yaml.safe_load(Path("consolidation/scenarios/landesweit.yaml").read_text(encoding="utf-8"))
    data["targets"][0]["domain"] = "verzeichnisdiensd"
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code = main(["plan", "inventory/samples/saarland", "--scenario", str(path), "--out", str(tmp_path / "p.json")])
    err = capsys.readouterr().err
    assert code == 1 and str(path) in err and "verzeichnisdiensd" in err
    assert not (tmp_path / "p.json").exists()


def test_unreadable_folder_is_an_error_naming_it_not_a_crash(tmp_path: Path, monkeypatch, capsys) -> None:
    folder = tmp_path / "inv"
    shutil.copytree(MINI, folder)
    real = Path.iterdir

    def denied(self: Path):
        if self.name == "organisations":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", denied)  # root may read anything: the refusal is simulated
    assert main(["inventory", "validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{folder}/organisations: cannot read: Permission denied" in err and "Traceback" not in err
