"""Golden German error messages over typical clerk mistakes (cases in tests/data/erhebung/fehler.yaml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from erhebung_cases import edit, fragebogen, saarland
from inventory_cases import DATA

from erhebung.einlesen import lese_fragebogen
from erhebung.funde import ErhebungError
from erhebung.merge import zusammenfuehren

CASES = yaml.safe_load((DATA / "erhebung" / "fehler.yaml").read_text(encoding="utf-8"))


def _funde(path: Path):
    rl, funde = lese_fragebogen(path)
    _, more = zusammenfuehren(saarland(), [rl], heute=date(2026, 4, 1))
    return ErhebungError(funde + more).funde


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_clerk_mistake_gives_golden_german_message(case, tmp_path: Path) -> None:
    path = edit(fragebogen(tmp_path), [tuple(e) for e in case["edits"]])
    assert [f.text() for f in _funde(path)] == case["expected"]


def test_messages_in_english_with_lang_en(tmp_path: Path) -> None:
    path = edit(fragebogen(tmp_path), [("Systeme", "Einwohnermeldewesen Heusweiler", "Vertraulichkeit", "sehr  hoch")])
    assert [f.text("en") for f in _funde(path)] == [
        ('Fragebogen-heusweiler.xlsx, sheet "Systeme", cell J2 (Einwohnermeldewesen Heusweiler): "sehr  hoch" is not '
        "a Schutzbedarf — allowed: normal, hoch, sehr hoch")]
