"""``inventory export --excel``: CSV that German Excel opens right, and that reads back losslessly."""

from __future__ import annotations

from pathlib import Path

from inventory_cases import SAMPLE

from inventory.load import load_landscape
from landkarte.cli import main


def test_excel_csv_is_semicolon_bom_decimal_comma_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    assert main(["inventory", "export", str(SAMPLE), "--excel", "--out", str(out)]) == 0
    raw = (out / "systems.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: umlauts right in Excel
    text = raw.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("org;id;name;domain;product;version;")
    assert "Einwohnermeldewesen Beckingen" in first and "01.10.2014" in first  # German date
    orgs = (out / "organisations.csv").read_text(encoding="utf-8-sig")
    assert "Saarbrücken" in orgs and ";ja;" in orgs  # umlauts, ja/nein
    assert load_landscape(out) == load_landscape(SAMPLE)


def test_decimal_comma_written_for_fractional_amounts(tmp_path: Path) -> None:
    from decimal import Decimal

    from inventory.write.table import write_csv_folder

    landscape = load_landscape(SAMPLE)
    inv = landscape.organisations[0]
    s = next(x for x in inv.systems if x.contract)
    s2 = s.model_copy(update={"contract": s.contract.model_copy(update={"annual_cost": Decimal("9710.50")})})
    changed = landscape.model_copy(update={"organisations": (inv.model_copy(update={"systems": tuple(
        s2 if x is s else x for x in inv.systems)}),) + landscape.organisations[1:]})
    write_csv_folder(changed, tmp_path / "csv", excel=True)
    assert ";9710,5;" in (tmp_path / "csv" / "systems.csv").read_text(encoding="utf-8-sig")
    assert load_landscape(tmp_path / "csv").systems[s.id].contract.annual_cost == Decimal("9710.5")
