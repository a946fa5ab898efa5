"""Foreseeable input problems end with exit 1 and the place, never as an internal error (70)."""

from __future__ import annotations

from pathlib import Path

import pytest

from landkarte.cli import main


@pytest.mark.parametrize("command", [["plan", "explain", "{}", "x.y"], ["report", "{}", "--out", "r"],
                                     ["plan", "compare", "{}", "{}"]])
def test_a_plan_json_nested_too_deeply_is_a_format_error(tmp_path: Path, capsys, command: list[str]) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    args = [str(deep) if a == "{}" else str(tmp_path / a) if a == "r" else a for a in command]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{deep}" in err and "nested too deeply" in err and "internal error" not in err


@pytest.mark.parametrize("token", ["tökén-mit-umlaut", "zwei\nzeilen", "mit leerzeichen", "€uro"])
def test_a_netbox_token_no_http_header_can_carry_is_a_settings_error(monkeypatch, capsys, token: str) -> None:
    monkeypatch.setenv("LANDKARTE_NETBOX_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LANDKARTE_NETBOX_TOKEN", token)
    monkeypatch.delenv("LANDKARTE_NETBOX_TOKEN_FILE", raising=False)
    assert main(["netbox", "diff", "tests/data/valid/mini"]) == 1
    err = capsys.readouterr().err
    assert "LANDKARTE_NETBOX_TOKEN" in err and "printable ASCII" in err and token not in err


def test_report_onto_a_file_is_found_before_rendering(tmp_path: Path, capsys) -> None:
    (tmp_path / "bericht").write_text("x")
    (tmp_path / "plan.json").write_text("{}")
    assert main(["report", str(tmp_path / "plan.json"), "--out", str(tmp_path / "bericht")]) == 1
    assert "bericht: is a file, not a folder" in capsys.readouterr().err
