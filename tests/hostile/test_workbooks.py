"""Hostile workbooks: every problem is an error with the sheet and cell, exit 1, never a crash (70)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from inventory_cases import MINI
from openpyxl import load_workbook

from inventory.errors import InventoryError
from inventory.load import load_landscape
from inventory.load.table import MAX_RATIO
from landkarte.cli import main


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    out = tmp_path / "mini.xlsx"
    assert main(["inventory", "export", str(MINI), "--format", "xlsx", "--out", str(out)]) == 0
    return out


def _errors(path: Path) -> list[str]:
    with pytest.raises(InventoryError) as err:
        load_landscape(path)
    return [str(i) for i in err.value.issues]


def _edit(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _column(path: Path, sheet: str, header: str) -> str:
    wb = load_workbook(path)
    for c in wb[sheet][1]:
        if c.value == header:
            return c.column_letter
    raise AssertionError(header)


def test_formula_cell_is_named_as_a_formula_not_a_missing_key(workbook: Path, capsys) -> None:
    col = _column(workbook, "systems", "name")
    _edit(workbook, "systems", f"{col}2", '=CONCAT("Ein", "wohner")')
    errors = _errors(workbook)
    assert any("mini.xlsx[systems]:2:" in e and "formulas are not accepted" in e for e in errors), errors
    assert not any("required" in e.lower() for e in errors)
    assert main(["inventory", "validate", str(workbook)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_formula_in_a_number_cell_too(workbook: Path) -> None:
    col = _column(workbook, "hosts", "size.vcpu")
    _edit(workbook, "hosts", f"{col}2", "=4*2")
    assert any("[hosts]:2:" in e and "formulas are not accepted" in e for e in _errors(workbook))


def test_duplicate_column_header_is_an_error_naming_both_columns(workbook: Path) -> None:
    wb = load_workbook(workbook)
    ws = wb["systems"]
    first = next(c for c in ws[1] if c.value == "name")
    ws.cell(row=1, column=ws.max_column + 1, value="name")
    wb.save(workbook)
    errors = _errors(workbook)
    assert any("[systems]:1:" in e and f"duplicate column (also column {first.column_letter})" in e
               for e in errors), errors


def test_duplicate_header_in_a_csv_folder(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    assert main(["inventory", "export", str(MINI), "--format", "csv", "--out", str(out)]) == 0
    text = (out / "hosts.csv").read_text().splitlines()
    text[0] += "," + text[0].split(",")[1]
    (out / "hosts.csv").write_text("\n".join(text) + "\n")
    assert any("hosts.csv:1:" in e and "duplicate column" in e for e in _errors(out))


@pytest.mark.parametrize("cell", ['["unterminated', '[{"a": 1}]', "[[1], [2]]"])
def test_malformed_list_cell_is_an_error_with_its_cell(workbook: Path, cell: str) -> None:
    col = _column(workbook, "landscape", "sources")
    _edit(workbook, "landscape", f"{col}2", cell)
    errors = _errors(workbook)
    assert any(e.startswith("mini.xlsx[landscape]:2:") and "sources" in e and "list" in e for e in errors), errors


def test_workbook_with_a_doctype_is_refused_as_unreadable(workbook: Path, tmp_path: Path, capsys) -> None:
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                dtd = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                data = data.replace(b"?>", b"?>" + dtd, 1) if data.startswith(b"<?xml") else dtd + data
            dst.writestr(item, data)
    assert main(["inventory", "validate", str(evil)]) == 1
    err = capsys.readouterr().err
    assert "evil.xlsx" in err and "DOCTYPE" in err and "root:" not in err


def test_zip_bomb_is_refused_before_it_is_unpacked(workbook: Path, tmp_path: Path, capsys) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # a sheet padded with 64 MiB of blanks
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 * 1024**2), 1)
            dst.writestr(item, data)
    part = next(p for p in zipfile.ZipFile(bomb).infolist() if p.filename == "xl/worksheets/sheet1.xml")
    assert part.file_size > MAX_RATIO * part.compress_size  # the case is what it claims to be
    assert main(["inventory", "validate", str(bomb)]) == 1
    err = capsys.readouterr().err
    assert "bomb.xlsx" in err and "zip bomb" in err


def test_too_many_rows_is_an_error_not_an_hour_of_loading(workbook: Path, monkeypatch) -> None:
    from inventory.load import table

    monkeypatch.setattr(table, "MAX_ROWS", 2)
    wb = load_workbook(workbook)
    ws = wb["domains"]
    for i in range(3):
        ws.append([f"x{i}", f"X {i}"])
    wb.save(workbook)
    assert any("[domains]:3" in e and "more than 2 rows" in e for e in _errors(workbook))


def test_empty_csv_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    out = tmp_path / "csv"
    assert main(["inventory", "export", str(MINI), "--format", "csv", "--out", str(out)]) == 0
    (out / "hosts.csv").write_text("")
    load_or_errors = None
    try:
        load_or_errors = load_landscape(out)
    except InventoryError as exc:
        load_or_errors = exc
    assert load_or_errors is not None  # loaded (no hosts) or a clear error, never StopIteration
