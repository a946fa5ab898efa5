"""Hostile workbooks: a clear German error, read within bounds, nothing written.

Time and memory of these cases are measured in ``python -m benchmarks erhebung`` (no timed asserts here).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from erhebung_cases import edit, fragebogen
from inventory_cases import SAMPLE
from openpyxl import load_workbook

from erhebung.einlesen import MAX_ZEILEN, lese_fragebogen
from inventory.load.bounded_xlsx import sheet_parts
from landkarte.cli import main


def _rewrite_part(path: Path, part: str, change) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == part else data)
    tmp.replace(path)


def many_rows(path: Path, n: int = 100_000) -> Path:
    """Append ``n`` filled rows to the Systeme sheet (directly in its XML: fast, as Excel would store them)."""
    part = sheet_parts(path)["Systeme"]
    rows = "".join(f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>System {r}</t></is></c></row>'
                   for r in range(1000, 1000 + n)).encode()
    _rewrite_part(path, part, lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml).replace(
        b"</sheetData>", rows + b"</sheetData>"))
    return path


def zip_bomb(path: Path) -> Path:
    """A workbook whose sheet expands to 60 MB of blanks (about 60 KB on disk: a 1000× ratio)."""
    part = sheet_parts(path)["Server"]
    _rewrite_part(path, part, lambda xml: xml + b" " * 60_000_000)
    return path


def renamed_csv(path: Path) -> Path:
    path.write_text("Kennung;Bezeichnung\nheusweiler.wahlen;Wahlen Heusweiler\n", encoding="utf-8-sig")
    return path


def merged(path: Path) -> Path:
    wb = load_workbook(path)
    wb["Systeme"].merge_cells("B3:C3")
    wb.save(path)
    return path


def extra_sheet(path: Path) -> Path:
    wb = load_workbook(path)
    wb.create_sheet("Notizen")["A1"] = "Bitte Herrn Maier fragen"
    wb.save(path)
    return path


def formula(path: Path) -> Path:
    return edit(path, [("Systeme", "Wahlen Heusweiler", "Jährliche Kosten (€)", "=12*1000")])


CASES = {
    "100000-zeilen": (many_rows, ["Fragebogen-heusweiler.xlsx, Blatt „Systeme“: mehr als "
                                  + f"{MAX_ZEILEN:,}".replace(",", ".") + " Zeilen — das ist kein ausgefüllter "
                                  "Fragebogen; bitte den zugesandten Fragebogen verwenden"]),
    "zip-bombe": (zip_bomb, [("Fragebogen-heusweiler.xlsx: die Datei entpackt sich auf ein Vielfaches ihrer Größe "
                             "(Zip-Bombe?) — abgewiesen")]),
    "umbenannte-csv": (renamed_csv, [("Fragebogen-heusweiler.xlsx: keine Excel-Arbeitsmappe, sondern eine Text- oder "
                                     "CSV-Datei (umbenannt?) — bitte den Fragebogen als Excel-Arbeitsmappe (.xlsx) "
                                     "speichern")]),
    "verbundene-zellen": (merged, [("Fragebogen-heusweiler.xlsx, Blatt „Systeme“, Zelle B3:C3: verbundene Zellen "
                                   "B3:C3 — bitte den Zellverbund aufheben (ein Wert je Zelle)")]),
    "zusaetzliches-blatt": (extra_sheet, [("Fragebogen-heusweiler.xlsx, Blatt „Notizen“: zusätzliches Blatt — der "
                                          "Fragebogen darf keine weiteren Blätter enthalten; Anmerkungen bitte in die "
                                          "Spalte „Bemerkungen“")]),
    "formel": (formula, [("Fragebogen-heusweiler.xlsx, Blatt „Systeme“, Zelle R9 (Wahlen Heusweiler): Formel "
                         "„=12*1000“ — bitte den Wert eintragen, keine Formeln")]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_workbook_gives_clear_error(name: str, tmp_path: Path) -> None:
    make, expected = CASES[name]
    path = make(fragebogen(tmp_path))
    _, funde = lese_fragebogen(path)
    assert [f.text() for f in funde] == expected


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch) -> None:
    path = zip_bomb(fragebogen(tmp_path))

    def no_unpacking(*_a, **_k):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.load_workbook", no_unpacking)
    _, funde = lese_fragebogen(path)
    assert "Zip-Bombe" in funde[0].de


def test_merged_cells_are_found_in_the_open_workbook_without_opening_the_file_again(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    from inventory.load.bounded_xlsx import merged_ranges, open_xlsx

    wb = open_xlsx(merged(fragebogen(tmp_path)))
    opened = []
    real = zipfile.ZipFile.__init__
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda self, *a, **k: opened.append(a[:1]) or real(self, *a, **k))
    try:
        assert merged_ranges(wb, ["Systeme", "Server"]) == {"Systeme": ["B3:C3"]}
    finally:
        wb.close()
    assert opened == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_with_hostile_workbook_writes_nothing(name: str, tmp_path: Path, capsys) -> None:
    inv_dir = tmp_path / "inv"
    shutil.copytree(SAMPLE, inv_dir)
    out = tmp_path / "fb"
    assert main(["erhebung", "fragebogen", str(inv_dir), "--org", "heusweiler", "--org", "oberthal",
                 "--out", str(out)]) == 0
    edit(out / "Fragebogen-oberthal.xlsx", [("Systeme", "Wahlen Oberthal", "Nutzerzahl", "12")])
    CASES[name][0](out / "Fragebogen-heusweiler.xlsx")
    before = sorted((str(p), p.read_bytes()) for p in inv_dir.rglob("*") if p.is_file())
    capsys.readouterr()
    assert main(["erhebung", "einlesen", str(out), "--into", str(inv_dir)]) == 1
    err = capsys.readouterr().err
    assert "nichts wurde geschrieben" in err and "Traceback" not in err
    assert sorted((str(p), p.read_bytes()) for p in inv_dir.rglob("*") if p.is_file()) == before
