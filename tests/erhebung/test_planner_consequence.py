"""Heusweiler reports its Einwohnermeldewesen on the standard product: the plan keeps it, not migrates it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from erhebung_cases import edit
from inventory_cases import ROOT, SAMPLE

from landkarte.cli import main


@pytest.mark.slow
def test_questionnaire_switch_to_standard_product_makes_the_system_keep(tmp_path: Path, capsys) -> None:
    inv = tmp_path / "inv"
    shutil.copytree(SAMPLE, inv)
    assert main(["erhebung", "fragebogen", str(inv), "--org", "heusweiler", "--out", str(tmp_path / "fb")]) == 0
    edit(tmp_path / "fb" / "Fragebogen-heusweiler.xlsx", [
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Produkt", "VOIS|MESO"),
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Version", "2025.1"),
        ("Systeme", "Einwohnermeldewesen Heusweiler", "Supportende", "31.12.2031")])
    assert main(["erhebung", "einlesen", str(tmp_path / "fb"), "--into", str(inv)]) == 0
    plan = tmp_path / "plan.json"
    assert main(["plan", str(inv), "--scenario", str(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"),
                 "--out", str(plan)]) == 0
    capsys.readouterr()
    assert main(["plan", "explain", str(plan), "heusweiler.einwohnermeldewesen", "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert (data["decision"], data["binding"]["kind"], data["target"], data["wave"]) == (
        "stay", "standard", None, None)
    assert data["binding"]["reason"] == {"kind": "already_standard_until", "params": {
        "product": "VOIS|MESO", "version": "2025.1", "until": "2031-12-31"}}
