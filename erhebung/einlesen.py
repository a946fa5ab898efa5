"""Read one returned questionnaire: bounded, every cell normalised, every problem with its cell.

:func:`lese_fragebogen` opens the workbook through the bounded reader
(:mod:`inventory.load.bounded_xlsx`: no renamed CSV, no zip bomb, no DTD), refuses formulas, merged cells,
extra or missing sheets and more rows than a questionnaire can hold, reads the hidden
``_Zuordnung`` sheet (campaign, organisation, checksum, column → field) and returns the rows with
their values normalised (:mod:`erhebung.normalise`). References (products, servers, systems) are
resolved later, against the inventory, by :mod:`erhebung.merge`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from inventory.load.bounded_xlsx import Limits, WorkbookRefused, merged_ranges, open_xlsx

from . import normalise as N
from .fragebogen import FORMAT_VERSION, HINWEISE, LISTEN, ZUORDNUNG
from .funde import Fund
from .spalten import BLAETTER, ENUMS, Blatt, Spalte

__all__ = ["MAX_ZEILEN", "Ruecklauf", "Zeile", "lese_fragebogen"]

MAX_ZEILEN = 5_000
"""Rows per sheet a questionnaire may have (the largest organisation reports a few hundred)."""

_BLATT = {b.name: b for b in BLAETTER}
_ERWARTET = [HINWEISE, *(_BLATT), LISTEN, ZUORDNUNG]


@dataclass(slots=True)
class Zeile:
    """One filled-in row: normalised values by field, their cells, the row's name."""

    blatt: Blatt
    row: int
    values: dict[str, Any]
    cells: dict[str, str]
    """Field → A1 cell."""
    name: str | None
    bad: frozenset[str] = frozenset()
    """Fields whose cell could not be taken (already reported)."""

    def cell(self, field_: str) -> str | None:
        return self.cells.get(field_)


@dataclass(slots=True)
class Ruecklauf:
    """A returned questionnaire as read: whose, which campaign, the rows per sheet."""

    path: Path
    kampagne: str
    org: str
    pruefsumme: str
    erstellt: date | None
    zeilen: dict[str, list[Zeile]] = field(default_factory=dict)

    @property
    def datei(self) -> str:
        return self.path.name


_REFUSED = {
    "missing": ("Datei nicht gefunden", "file not found"),
    "empty": ("die Datei ist leer", "the file is empty"),
    "too_large": ("die Datei ist zu groß für einen Fragebogen", "the file is too large for a questionnaire"),
    "csv": (("keine Excel-Arbeitsmappe, sondern eine Text- oder CSV-Datei (umbenannt?) — bitte den Fragebogen "
            "als Excel-Arbeitsmappe (.xlsx) speichern"),
            ("not an Excel workbook but a text or CSV file (renamed?) — please save the questionnaire as an "
            "Excel workbook (.xlsx)")),
    "xls": (("altes Excel-Format (.xls) oder verschlüsselte Datei — bitte ohne Kennwort als Excel-Arbeitsmappe "
            "(.xlsx) speichern"),
            "old Excel format (.xls) or an encrypted file — please save without a password as .xlsx"),
    "ods": ("OpenDocument-Tabelle (.ods) — bitte als Excel-Arbeitsmappe (.xlsx) speichern",
            "an OpenDocument spreadsheet (.ods) — please save as an Excel workbook (.xlsx)"),
    "not_zip": ("keine Excel-Arbeitsmappe (.xlsx)", "not an Excel workbook (.xlsx)"),
    "zip_bomb": ("die Datei entpackt sich auf ein Vielfaches ihrer Größe (Zip-Bombe?) — abgewiesen",
                 "the file expands to many times its size (zip bomb?) — refused"),
    "too_many_entries": ("die Arbeitsmappe hat ungewöhnlich viele Bestandteile — abgewiesen",
                         "the workbook has an unusual number of parts — refused"),
    "doctype": ("die Arbeitsmappe enthält eine Dokumenttyp-Deklaration (DOCTYPE) — abgewiesen",
                "the workbook contains a document type declaration (DOCTYPE) — refused"),
    "not_xlsx": ("keine Excel-Arbeitsmappe (ein Zip-Archiv ohne Tabellen)",
                 "not an Excel workbook (a zip archive without a workbook)"),
    "broken": ("die Arbeitsmappe ist beschädigt und lässt sich nicht lesen", "the workbook is damaged and unreadable"),
}


def _normalise(sp: Spalte, value: Any) -> Any:
    if sp.kind == "date":
        return N.datum(value)
    if sp.kind == "money":
        return N.betrag(value)
    if sp.kind == "int":
        return N.ganzzahl(value)
    if sp.kind == "enum":
        return N.auswahl(value, ENUMS[sp.enum])
    return N.text(value)  # text, id and references (resolved later)


def _zuordnung(ws: Any, datei: str) -> tuple[dict[str, str], dict[str, dict[str, tuple[str, str]]], list[Fund]]:
    meta: dict[str, str] = {}
    mapping: dict[str, dict[str, tuple[str, str]]] = {}
    table = False
    for n, row in enumerate(ws.iter_rows(values_only=True, max_col=4), start=1):
        if n > 2_000:
            return meta, mapping, [Fund(datei, ZUORDNUNG, None, None, "das Blatt ist verändert worden",
                                        "the sheet has been altered")]
        cells = [("" if v is None else str(v)) for v in (tuple(row) + (None,) * 4)[:4]]
        if not any(cells):
            continue
        if cells[0] == "Blatt" and cells[3] == "Feld":
            table = True
            continue
        if table:
            mapping.setdefault(cells[0], {})[cells[1]] = (cells[2], cells[3])
        else:
            meta[cells[0]] = cells[1]
    return meta, mapping, []


def lese_fragebogen(path: str | Path, *, limits: Limits | None = None) -> tuple[Ruecklauf | None, list[Fund]]:
    """Read a returned questionnaire; return it (``None`` if it cannot be read at all) and every problem.

    Rows are normalised one cell at a time; a cell that cannot be taken gives a :class:`Fund`
    and the row is still read, so one run lists every problem of the workbook.
    """
    path = Path(path)
    datei = path.name
    try:
        wb = open_xlsx(path, limits or Limits())
    except WorkbookRefused as exc:
        de, en = _REFUSED.get(exc.kind, _REFUSED["broken"])
        return None, [Fund(datei, None, None, None, de, en)]
    try:
        return _lese(wb, path, datei)
    finally:
        wb.close()


def _lese(wb: Any, path: Path, datei: str) -> tuple[Ruecklauf | None, list[Fund]]:
    funde: list[Fund] = []
    names = list(wb.sheetnames)
    if ZUORDNUNG not in names:
        return None, [Fund(datei, None, None, None,
                           "kein Landkarte-Fragebogen (das verborgene Blatt „_Zuordnung“ fehlt) — bitte den "
                           "zugesandten Fragebogen verwenden",
                           "not a Landkarte questionnaire (the hidden sheet \"_Zuordnung\" is missing) — please use "
                           "the questionnaire that was sent")]
    for extra in (n for n in names if n not in _ERWARTET):
        funde.append(Fund(datei, extra, None, None,
                          "zusätzliches Blatt — der Fragebogen darf keine weiteren Blätter enthalten; Anmerkungen "
                          "bitte in die Spalte „Bemerkungen“",
                          "extra sheet — the questionnaire must not contain further sheets; put remarks in the "
                          "column \"Bemerkungen\""))
    for missing in (n for n in _BLATT if n not in names):
        funde.append(Fund(datei, missing, None, None, "das Blatt fehlt (umbenannt oder gelöscht?)",
                          "the sheet is missing (renamed or deleted?)"))
    meta, mapping, f = _zuordnung(wb[ZUORDNUNG], datei)
    funde += f
    if meta.get("Landkarte-Fragebogen") != FORMAT_VERSION:
        funde.append(Fund(datei, ZUORDNUNG, None, None,
                          f"unbekannte Fragebogen-Version {N.zitat(meta.get('Landkarte-Fragebogen', ''))}",
                          f"unknown questionnaire version {N.zitat(meta.get('Landkarte-Fragebogen', ''), 'en')}"))
    org, kampagne = meta.get("Organisation", ""), meta.get("Kampagne", "")
    if not org or not kampagne:
        funde.append(Fund(datei, ZUORDNUNG, None, None, "Organisation oder Kampagne fehlt",
                          "organisation or campaign missing"))
    merged = merged_ranges(wb, [n for n in names if n in _BLATT])
    for sheet, ranges in merged.items():
        for ref in ranges:
            funde.append(Fund(datei, sheet, ref, None,
                              f"verbundene Zellen {ref} — bitte den Zellverbund aufheben (ein Wert je Zelle)",
                              f"merged cells {ref} — please unmerge them (one value per cell)"))
    try:
        erstellt = date.fromisoformat(meta.get("Erstellt", ""))
    except ValueError:
        erstellt = None
    rl = Ruecklauf(path, kampagne, org, meta.get("Prüfsumme", ""), erstellt)
    for blatt in BLAETTER:
        if blatt.name in names:
            rl.zeilen[blatt.name] = _lese_blatt(wb[blatt.name], blatt, mapping.get(blatt.name, {}), datei, funde)
    return rl, funde


def _lese_blatt(ws: Any, blatt: Blatt, mapping: dict[str, tuple[str, str]], datei: str, funde: list[Fund]
                ) -> list[Zeile]:
    known = {sp.field: sp for sp in blatt.spalten}
    rows = ws.iter_rows(values_only=False)
    header = next(rows, ())
    cols: dict[int, Spalte] = {}
    for i, cell in enumerate(header):
        value = getattr(cell, "value", None)
        if value is None:
            continue
        letter = get_column_letter(i + 1)
        text = str(value).removesuffix(" *").strip()
        want = mapping.get(letter)
        if want is None or want[1] not in known:
            funde.append(Fund(datei, blatt.name, f"{letter}1", None,
                              f"unbekannte Spalte {N.zitat(text)} — bitte keine Spalten einfügen",
                              f"unknown column {N.zitat(text, 'en')} — please do not insert columns"))
            continue
        if want[0] != text:
            funde.append(Fund(datei, blatt.name, f"{letter}1", None,
                              f"Spalte {N.zitat(text)} steht, wo {N.zitat(want[0])} erwartet wird — bitte Spalten "
                              "nicht verschieben oder umbenennen",
                              f"column {N.zitat(text, 'en')} is where {N.zitat(want[0], 'en')} is expected — please "
                              "do not move or rename columns"))
            continue
        cols[i] = known[want[1]]
    header_moved = any(f.sheet == blatt.name and f.cell and f.cell[-1] == "1" and f.cell[:-1].isalpha()
                       for f in funde)  # a moved or renamed column is reported once, at its header
    found = {c.field for c in cols.values()}
    for sp in blatt.spalten:
        if not header_moved and sp.field not in found and sp.field in {f for _, f in mapping.values()}:
            funde.append(Fund(datei, blatt.name, None, None, f"Spalte {N.zitat(sp.header)} fehlt",
                              f"column {N.zitat(sp.header, 'en')} is missing"))
    name_col = next((i for i, sp in cols.items() if sp.field == blatt.name_field), None)
    out: list[Zeile] = []
    for r, cells in enumerate(rows, start=2):
        if r > MAX_ZEILEN + 1:
            funde.append(Fund(datei, blatt.name, None, None,
                              f"mehr als {MAX_ZEILEN:,} Zeilen — das ist kein ausgefüllter Fragebogen; bitte den "
                              "zugesandten Fragebogen verwenden".replace(",", "."),
                              f"more than {MAX_ZEILEN:,} rows — this is not a filled-in questionnaire; please use the "
                              "questionnaire that was sent"))
            break
        values: dict[str, Any] = {}
        refs: dict[str, str] = {}
        raw_name = None
        if name_col is not None and name_col < len(cells):
            raw_name = N.text(getattr(cells[name_col], "value", None))
        nonempty = False
        pending: list[Fund] = []
        bad: set[str] = set()
        for i, cell in enumerate(cells):
            v = getattr(cell, "value", None)
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            ref = f"{get_column_letter(i + 1)}{r}"
            sp = cols.get(i)
            if getattr(cell, "data_type", None) == "f":
                nonempty = True
                if sp is not None:
                    bad.add(sp.field)
                pending.append(Fund(datei, blatt.name, ref, raw_name,
                                    f"Formel {N.zitat(v)} — bitte den Wert eintragen, keine Formeln",
                                    f"formula {N.zitat(v, 'en')} — please enter the value, no formulas"))
                continue
            if sp is None:
                nonempty = True
                pending.append(Fund(datei, blatt.name, ref, raw_name,
                                    f"Wert {N.zitat(v)} außerhalb der Spalten des Fragebogens",
                                    f"value {N.zitat(v, 'en')} outside the questionnaire's columns"))
                continue
            if sp.field.startswith("_") and N.text(v) and N.text(v).casefold() == "nein":
                refs[sp.field] = ref
                values[sp.field] = "false"
                continue
            nonempty = True
            refs[sp.field] = ref
            try:
                values[sp.field] = _normalise(sp, v)
            except N.Unzulaessig as exc:
                pending.append(Fund(datei, blatt.name, ref, raw_name, exc.de, exc.en))
                bad.add(sp.field)
        if not nonempty:
            continue
        funde.extend(pending)
        for i, sp in cols.items():
            refs.setdefault(sp.field, f"{get_column_letter(i + 1)}{r}")
        out.append(Zeile(blatt, r, values, refs, raw_name, frozenset(bad)))
    return out
