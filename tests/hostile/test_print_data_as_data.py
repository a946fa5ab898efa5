"""Text from paths and data is printed as it is: no console markup, no hyperlinks, no emoji codes, no wrapping.

A property test: any text in an inventory field, a path or a scenario, printed by a command,
appears literally in its output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inventory_cases import MINI

from landkarte.cli import main

MARKUP = ["[/x]", "[/]", "[bold red]rot[/bold red]", "[link=https://example.org]Klick[/link]", "x/a[/b]",
          ":smile:", "[", "]", "\\[escaped]", "[[doppelt]]", "%s {0} $HOME", "a" * 120]


def _printable(blacklist: str = "") -> st.SearchStrategy[str]:
    chars = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85" + blacklist)
    return st.text(chars, min_size=1, max_size=40).filter(lambda t: t.strip() == t and t.strip())


def texts(blacklist: str = "") -> st.SearchStrategy[str]:
    """Markup-looking text and any other printable text (names are trimmed by the models)."""
    pieces = st.sampled_from([m for m in MARKUP if not set(m) & set(blacklist)]) | _printable(blacklist)
    return st.lists(pieces, min_size=1, max_size=3).map(" ".join)


def _inventory(root: Path, *, name: str, domain_name: str) -> Path:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINI, root)
    meta = yaml.safe_load((root / "landscape.yaml").read_text(encoding="utf-8"))
    meta["name"] = name
    (root / "landscape.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    cat = yaml.safe_load((root / "catalogue.yaml").read_text(encoding="utf-8"))
    cat["domains"][0]["name"] = domain_name
    (root / "catalogue.yaml").write_text(yaml.safe_dump(cat, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def _folder_name(text: str) -> str:
    return text.replace("/", "∕")[:60] or "x"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=texts(), domain_name=texts(), folder=texts())
def test_inventory_names_and_paths_are_printed_literally(tmp_path: Path, capsys, name: str, domain_name: str,
                                                         folder: str) -> None:
    root = _inventory(tmp_path / _folder_name(folder), name=name, domain_name=domain_name)
    capsys.readouterr()
    assert main(["inventory", "validate", str(root)]) == 0
    assert f"{root}: gültig" in capsys.readouterr().out
    assert main(["inventory", "stats", str(root), "--at", "2026-11-25"]) == 0
    out = capsys.readouterr().out
    assert name in out and domain_name in out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=texts(blacklist="'\"\\:#{}[],&*!|>%@`?-"), folder=texts())
def test_an_unknown_key_and_the_path_in_an_error_are_printed_literally(tmp_path: Path, capsys, key: str,
                                                                       folder: str) -> None:
    root = _inventory(tmp_path / _folder_name(folder), name="N", domain_name="D")
    meta = yaml.safe_load((root / "landscape.yaml").read_text(encoding="utf-8"))
    meta[key] = 1
    (root / "landscape.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()
    assert main(["inventory", "validate", str(root)]) == 1
    err = capsys.readouterr().err
    assert f".{key}: unknown key" in err or f" {key}: unknown key" in err, err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=texts(), out=texts())
def test_scenario_and_output_paths_are_printed_literally(tmp_path: Path, capsys, scenario: str, out: str) -> None:
    path = tmp_path / _folder_name(scenario) / "szenario.yaml"
    capsys.readouterr()
    assert main(["plan", str(MINI), "--scenario", str(path), "--out", str(tmp_path / _folder_name(out))]) == 1
    assert f"{path}: no such scenario file" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["[link=https://evil.example]Saarland[/link]", "Saar[/x]land", "x/a[/b]"])
def test_markup_in_a_landscape_name_is_neither_a_crash_nor_a_hyperlink(tmp_path: Path, capsys, name: str) -> None:
    root = _inventory(tmp_path / "a[/b]", name=name, domain_name="[bold]D[/bold]")
    assert main(["inventory", "stats", str(root)]) == 0
    out = capsys.readouterr().out
    assert name in out and "[bold]D[/bold]" in out and "\x1b]8;" not in out  # OSC 8 would be a hyperlink


def test_a_long_path_is_one_line_when_not_a_terminal(tmp_path: Path, capsys) -> None:
    root = _inventory(tmp_path / ("sehr-langer-ordnername-" * 8), name="N", domain_name="D")
    assert main(["inventory", "validate", str(root)]) == 0
    assert f"{root}: gültig" in capsys.readouterr().out.splitlines()[0]
