"""``report --lang en`` of the demo (the Saarland sample, scenario landesweit): no German sentence
from the planner. The planner writes reasons as message codes; the report renders them in English."""

from __future__ import annotations

import contextlib
import csv
import html as html_lib
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports._reason_catalogue import REASON_MESSAGES

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[2] / "inventory" / "samples" / "saarland"


def _german_fragments() -> set[str]:
    """The fixed words of every German planner message (the text between its placeholders): those
    of several words or one long word, unless English uses them too (Einzelmaßnahme, Onboarding)."""
    english = " ".join(en for _, en in REASON_MESSAGES.values())
    out = set()
    for de, _ in REASON_MESSAGES.values():
        for piece in re.split(r"\{[a-z_]+\}", de):
            piece = piece.strip(" :;,()–")
            if (" " in piece or len(piece) >= 12) and piece not in english:
                out.add(piece)
    return out


def _english_report(plan: Path, out: Path) -> dict[str, Path]:
    from landkarte.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["report", str(plan), "--out", str(out), "--inventory", str(SAMPLE), "--lang", "en",
                     "--format", "html,xlsx,csv", "--json"])
    assert code == 0
    return {k: Path(v) for k, v in json.loads(buf.getvalue()).items()}


def _texts(paths: dict[str, Path]) -> dict[str, str]:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", paths["html"].read_text(encoding="utf-8"), flags=re.DOTALL)
    texts = {"html": html_lib.unescape(re.sub(r"<[^>]+>", "\n", page))}
    wb = load_workbook(paths["xlsx"], read_only=True)
    texts["xlsx"] = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                              if isinstance(v, str))
    folder = paths["csv"] if paths["csv"].is_dir() else paths["csv"].parent
    texts["csv"] = "\n".join(v for f in sorted(folder.rglob("*.csv"))
                             for row in csv.reader(f.read_text(encoding="utf-8-sig").splitlines()) for v in row)
    return texts


def test_english_report_of_the_demo_has_no_german_sentence_from_the_planner(saarland_plan, tmp_path):
    texts = _texts(_english_report(saarland_plan, tmp_path / "report"))
    fragments = _german_fragments()
    assert {"nimmt an diesem Szenario nicht teil", "Teamkapazität Eigenleistung in", "Lastausgleich über die Wellen",
            "frühestmöglich", "wartet auf"} <= fragments
    for fmt, text in texts.items():
        found = sorted(f for f in fragments if f in text)
        assert found == [], f"{fmt}: German planner text in the English report: {found}"
    # the reasons are there, in English
    assert "waits for " in texts["html"] and "as early as possible (" in texts["xlsx"]
