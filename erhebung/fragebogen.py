"""Write one questionnaire workbook per organisation (``Fragebogen-<org>.xlsx``), pre-filled.

The workbook has an instructions sheet (Ausfüllhinweise), one sheet per record kind with German
headers and a help comment per column, dropdowns (data validation lists) for every catalogue and
enumeration field — products filtered by the row's Fachdomäne —, German date and number formats,
sensible column widths, protected id columns, and two hidden sheets: ``Listen`` (the dropdown
sources) and ``_Zuordnung`` (column → model field, campaign id, organisation, checksum of the
pre-filled content).

>>> from consolidation._examples import tiny_landscape
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> p = write_fragebogen(tiny_landscape(), "a", out, kampagne=Kampagne("erhebung-2026"))
>>> p.name
'Fragebogen-a.xlsx'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from common.fsio import atomic_path
from common.german import date_text
from inventory.models import Landscape, OrganisationInventory

from ._bezeichnungen import Bezeichnungen, Landesweit, landesweit, pruefsumme
from .spalten import AUSSER_BETRIEB, BLAETTER, ENUMS, Blatt, Spalte

__all__ = ["FORMAT_VERSION", "LEERZEILEN", "LISTEN", "ZUORDNUNG", "Kampagne", "dateiname", "write_frageboegen",
           "write_fragebogen"]

FORMAT_VERSION = "1"
ZUORDNUNG = "_Zuordnung"
LISTEN = "Listen"
HINWEISE = "Ausfüllhinweise"
LEERZEILEN = 25
"""Empty, formatted rows below the pre-filled ones for new records."""
DATUM = "DD.MM.YYYY"
EURO = '#,##0.00\\ "€"'
GANZ = "#,##0"

_HEAD = PatternFill("solid", fgColor="1F4E79")
_FIXED = PatternFill("solid", fgColor="E7E6E6")
_WHITE = Font(bold=True, color="FFFFFF")


@dataclass(frozen=True, slots=True)
class Kampagne:
    """A data collection campaign (Erhebung): id, deadline and contact shown on the instructions sheet."""

    id: str
    frist: date | None = None
    """Rücksendung bis (deadline)."""
    kontakt: str = "eGo-Saar, Projektbüro E-Government-Pakt"
    erstellt: date | None = None


def dateiname(org: str) -> str:
    return f"Fragebogen-{org}.xlsx"


def _cell_value(sp: Spalte, value: Any, labels: Bezeichnungen) -> Any:
    if value is None:
        return None
    if sp.kind in ("domain", "product", "host", "site", "own_system", "system"):
        return labels.label(sp.kind, value)
    if sp.kind == "enum":
        return ENUMS[sp.enum].label(str(getattr(value, "value", value)))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "value"):
        return value.value
    return value


def _get(data: dict[str, Any], field: str) -> Any:
    for part in field.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _rows(blatt: Blatt, inv: OrganisationInventory, labels: Bezeichnungen) -> list[list[Any]]:
    rows = []
    for rec in getattr(inv, blatt.table):
        flat = rec.model_dump()
        row = []
        for sp in blatt.spalten:
            if sp.field == AUSSER_BETRIEB:
                row.append("nein")
                continue
            row.append(_cell_value(sp, _get(flat, sp.field), labels))
        rows.append(row)
    return rows


def _name(wb: Workbook, name: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _listen(wb: Workbook, landscape: Landscape, labels: Bezeichnungen) -> dict[str, str]:
    """Fill the hidden ``Listen`` sheet; return list name → defined name for the validations."""
    ws = wb.create_sheet(LISTEN)
    ws.sheet_state = "hidden"
    q = quote_sheetname(LISTEN)
    names: dict[str, str] = {}
    domains = landscape.catalogue.domains
    ws.cell(1, 1, "Fachdomäne")
    ws.cell(1, 2, "Produktliste")
    for i, d in enumerate(domains, start=2):
        ws.cell(i, 1, d.name).data_type = "s"
        ws.cell(i, 2, f"Produkte_{i - 1}")
    _name(wb, "Domaenen", f"{q}!$A$2:$B${len(domains) + 1}")
    _name(wb, "Liste_domain", f"{q}!$A$2:$A${len(domains) + 1}")
    names["domain"] = "Liste_domain"
    col = 3
    for i, d in enumerate(domains, start=1):
        prods = labels.products_by_domain.get(d.id, ()) or ("",)
        ws.cell(1, col, d.name)
        for r, pid in enumerate(prods, start=2):
            ws.cell(r, col, labels.label("product", pid) if pid else "").data_type = "s"
        letter = get_column_letter(col)
        _name(wb, f"Produkte_{i}", f"{q}!${letter}$2:${letter}${len(prods) + 1}")
        col += 1
    for key, choices in ENUMS.items():
        ws.cell(1, col, choices.name_de)
        for r, (label, _) in enumerate(choices.labels, start=2):
            ws.cell(r, col, label).data_type = "s"
        letter = get_column_letter(col)
        _name(wb, f"Liste_{key}", f"{q}!${letter}$2:${letter}${len(choices.labels) + 1}")
        names[key] = f"Liste_{key}"
        col += 1
    systems = labels.system_choices()
    ws.cell(1, col, "Systeme (eigene, Land, Zweckverband, Kreis, bestehende Partner)")
    for r, label in enumerate(systems or [""], start=2):
        ws.cell(r, col, label).data_type = "s"
    letter = get_column_letter(col)
    _name(wb, "Liste_system", f"{q}!${letter}$2:${letter}${max(1, len(systems)) + 1}")
    names["system"] = "Liste_system"
    return names


def _zuordnung(wb: Workbook, inv: OrganisationInventory, kampagne: Kampagne, created: date) -> None:
    ws = wb.create_sheet(ZUORDNUNG)
    ws.sheet_state = "hidden"
    meta = [
        ("Landkarte-Fragebogen", FORMAT_VERSION),
        ("Kampagne", kampagne.id),
        ("Organisation", inv.organisation.id),
        ("Organisationsname", inv.organisation.name),
        ("Prüfsumme", pruefsumme(inv)),
        ("Erstellt", created.isoformat()),
    ]
    for r, (k, v) in enumerate(meta, start=1):
        ws.cell(r, 1, k)
        ws.cell(r, 2, v).data_type = "s"
    r = len(meta) + 2
    for c, h in enumerate(("Blatt", "Spalte", "Überschrift", "Feld"), start=1):
        ws.cell(r, c, h)
    for blatt in BLAETTER:
        for i, sp in enumerate(blatt.spalten, start=1):
            r += 1
            for c, v in enumerate((blatt.name, get_column_letter(i), sp.header, sp.field), start=1):
                ws.cell(r, c, v).data_type = "s"


def _hinweise(wb: Workbook, inv: OrganisationInventory, kampagne: Kampagne, created: date) -> None:
    ws = wb.active
    ws.title = HINWEISE
    org = inv.organisation
    frist = date_text(kampagne.frist) if kampagne.frist else "siehe Anschreiben"
    lines: list[tuple[str, str | None]] = [
        (f"Erhebung der IT-Landschaft: {org.name}", "title"),
        ("", None),
        (f"Kampagne: {kampagne.id}", None),
        (f"Rücksendung bis: {frist}", "bold"),
        (f"Ansprechpartner: {kampagne.kontakt}", None),
        (f"Stand der vorausgefüllten Daten: {date_text(created)} · Fragebogen-Version {FORMAT_VERSION}", None),
        ("", None),
        ("So füllen Sie den Fragebogen aus", "bold"),
        ("1. Prüfen Sie jede vorausgefüllte Zeile und korrigieren Sie, was nicht stimmt.", None),
        (("2. Tragen Sie neue Systeme, Server, Standorte und Schnittstellen in die leeren Zeilen darunter ein; "
         "die Kennung bleibt dabei leer."), None),
        (("3. Was es nicht mehr gibt, markieren Sie in der Spalte „Außer Betrieb“ mit „ja“ — bitte keine "
         "Zeilen löschen."), None),
        ("4. Spalten mit * sind Pflichtangaben. Grau hinterlegte Spalten (Kennung) bitte nicht ändern.", None),
        (("5. Wo eine Auswahlliste erscheint, wählen Sie bitte daraus. Die Produktliste passt sich der "
         "gewählten Fachdomäne an."), None),
        (("6. Datumsangaben als TT.MM.JJJJ (z. B. 31.12.2030), Beträge in Euro (z. B. 12.500,00). "
         "Bitte keine Formeln."), None),
        ("7. In „Verlässlichkeit“ geben Sie an, ob die Zeile aus Unterlagen geprüft oder geschätzt ist.", None),
        (("8. Speichern Sie die Datei als Excel-Arbeitsmappe (.xlsx) unter ihrem Namen und senden Sie sie "
         "zurück. Bitte keine Blätter hinzufügen oder umbenennen."), None),
        ("", None),
        ("Die Blätter", "bold"),
    ]
    lines += [(f"{b.name}: {b.help}", None) for b in BLAETTER]
    lines += [("", None), ("Hilfe zu jeder Spalte erscheint, wenn Sie die Maus über die Überschrift bewegen.", None)]
    for r, (text, style) in enumerate(lines, start=1):
        c = ws.cell(r, 1, text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if len(text) > _HINWEIS_ZEICHEN:  # LibreOffice keeps the default height: a wrapped line would overlap the next
            ws.row_dimensions[r].height = 15 * math.ceil(len(text) / _HINWEIS_ZEICHEN)
        if style == "title":
            c.font = Font(bold=True, size=16, color="1F4E79")
        elif style == "bold":
            c.font = Font(bold=True)
    ws.column_dimensions["A"].width = _HINWEIS_BREITE
    _drucken(ws)
    ws.protection.sheet = True


_HINWEIS_BREITE = 100
_HINWEIS_ZEICHEN = 120  # characters of the default font on one line of the instructions column (measured)


SEITENBREITE = 180
"""Column width (characters) printed on one A4 landscape page: about 75 % scale (8-point text), still readable
(``fitToWidth=1`` over the 25 columns of "Systeme" printed at about 20 %: 2-point text)."""


def _drucken(ws: Any, *, titelspalte: str | None = None) -> None:
    """What a clerk gets from Datei → Drucken: A4 landscape, the header row (and ``titelspalte``, the
    row's name) on every page, as many pages wide as the columns need at a readable scale
    (:data:`SEITENBREITE`), left to right before top to bottom, with grid lines and page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    widths = [ws.column_dimensions[get_column_letter(i)].width or 10 for i in range(1, ws.max_column + 1)]
    title = ws.column_dimensions[titelspalte].width or 10 if titelspalte else 0
    if titelspalte:
        ws.print_title_cols = f"{titelspalte}:{titelspalte}"
        ws.print_options.gridLines = True
        ws.page_setup.pageOrder = "overThenDown"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = max(1, math.ceil((sum(widths) - title) / (SEITENBREITE - title)))
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.oddFooter.center.text = "&F – &A – Seite &P von &N"
    ws.oddFooter.center.size = 8


def _blatt(wb: Workbook, blatt: Blatt, rows: list[list[Any]], lists: dict[str, str], last_of: dict[str, int]
           ) -> None:
    ws = wb.create_sheet(blatt.name)
    n = len(rows) + LEERZEILEN
    last = n + 1
    for i, sp in enumerate(blatt.spalten, start=1):
        c = ws.cell(1, i, sp.header + (" *" if sp.required else ""))
        c.font, c.fill = _WHITE, _HEAD
        c.alignment = Alignment(wrap_text=True, vertical="center")
        c.comment = Comment(sp.help, "Landkarte", width=260, height=90)
        longest = max((len(str(r[i - 1])) for r in rows if r[i - 1] is not None), default=0)
        header_word = max(len(w) for w in (sp.header + " *").split())  # headers wrap between words only
        ws.column_dimensions[get_column_letter(i)].width = min(50, max(sp.width, longest + 2, header_word + 3))
    ws.row_dimensions[1].height = 32
    for r, row in enumerate(rows, start=2):
        for i, v in enumerate(row, start=1):
            c = ws.cell(r, i, v)
            if isinstance(v, str):
                c.data_type = "s"  # text is never a formula
    for i, sp in enumerate(blatt.spalten, start=1):
        letter = get_column_letter(i)
        fmt = {"date": DATUM, "money": EURO, "int": GANZ}.get(sp.kind, "@" if sp.kind in ("text", "id") else None)
        for r in range(2, last + 1):
            c = ws.cell(r, i)
            if fmt:
                c.number_format = fmt
            if sp.kind == "id":
                c.fill = _FIXED
            else:
                c.protection = Protection(locked=False)
        ref = f"{letter}2:{letter}{last}"
        dv = None
        if sp.kind == "enum":
            dv = DataValidation(type="list", formula1=lists[sp.enum])
        elif sp.kind == "domain":
            dv = DataValidation(type="list", formula1="Liste_domain")
        elif sp.kind == "product":
            dom = get_column_letter(blatt.fields.index("domain") + 1)
            dv = DataValidation(type="list", formula1=f"INDIRECT(VLOOKUP(${dom}2,Domaenen,2,FALSE))")
        elif sp.kind in ("host", "site", "own_system"):
            src = {"host": "Server", "site": "Standorte", "own_system": "Systeme"}[sp.kind]
            dv = DataValidation(type="list", formula1=f"{quote_sheetname(src)}!$B$2:$B${last_of[src]}")
        elif sp.kind == "system":
            dv = DataValidation(type="list", formula1="Liste_system")
        elif sp.kind in ("int", "money"):
            dv = DataValidation(type="decimal" if sp.kind == "money" else "whole", operator="greaterThanOrEqual",
                                formula1="0")
        elif sp.kind == "date":
            dv = DataValidation(type="date", operator="between", formula1="18264", formula2="73415")
        if dv is not None:
            dv.errorStyle = "warning"  # Landkarte checks and explains on return; Excel only warns
            dv.error = "Bitte einen Wert aus der Liste oder im angegebenen Format eintragen."
            dv.errorTitle = sp.header
            dv.prompt = sp.help
            dv.promptTitle = sp.header
            dv.showErrorMessage = True
            dv.showInputMessage = False
            dv.allow_blank = True
            dv.add(ref)
            ws.add_data_validation(dv)
    ws.freeze_panes = "C2" if blatt.fields[0] == "id" else "B2"
    ws.print_title_rows = "1:1"
    _drucken(ws, titelspalte=get_column_letter(blatt.fields.index("name") + 1 if "name" in blatt.fields else 1))
    ws.protection.sheet = True
    for opt in ("formatColumns", "formatRows", "formatCells", "sort", "autoFilter"):
        setattr(ws.protection, opt, False)  # False = allowed while the sheet is protected


def write_frageboegen(landscape: Landscape, orgs: Iterable[str], out: str | Path, *,
                      kampagne: Kampagne) -> Iterator[Path]:
    """Write the questionnaires of ``orgs`` (:func:`write_fragebogen`), yielding each path as it is
    written; the landscape-wide labels are made once for all of them."""
    land = landesweit(landscape)
    for org in orgs:
        yield write_fragebogen(landscape, org, out, kampagne=kampagne, land=land)


def write_fragebogen(landscape: Landscape, org: str, out: str | Path, *, kampagne: Kampagne,
                     land: Landesweit | None = None) -> Path:
    """Write ``Fragebogen-<org>.xlsx`` into folder ``out`` (atomically) and return its path.

    ``land``: the landscape-wide labels (:func:`erhebung._bezeichnungen.landesweit`), when the
    caller writes many questionnaires of one landscape (:func:`write_frageboegen` passes them).

    Raises
    ------
    KeyError
        When ``org`` is not an organisation of ``landscape``.
    """
    inv = next((o for o in landscape.organisations if o.organisation.id == org), None)
    if inv is None:
        raise KeyError(org)
    created = kampagne.erstellt or datetime.now().date()
    labels = Bezeichnungen.of(landscape, org, land)
    wb = Workbook()
    _hinweise(wb, inv, kampagne, created)
    lists = _listen(wb, landscape, labels)
    rows = {b.name: _rows(b, inv, labels) for b in BLAETTER}
    last_of = {name: len(r) + LEERZEILEN + 1 for name, r in rows.items()}
    for blatt in BLAETTER:
        _blatt(wb, blatt, rows[blatt.name], lists, last_of)
    wb.move_sheet(LISTEN, offset=len(wb.sheetnames))
    _zuordnung(wb, inv, kampagne, created)
    wb.active = 0
    path = Path(out) / dateiname(org)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
