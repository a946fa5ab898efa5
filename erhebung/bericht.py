"""The change report for the planners as XLSX and HTML: Prüfhinweise, Änderungen, Herkunft (campaign status)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from common.fsio import atomic_path, atomic_write_text
from common.german import date_text
from common.spreadsheet import neutralise

from .aenderungen import Aenderung, Hinweis
from .status import OrgStatus

__all__ = ["write_bericht"]

_HEAD = PatternFill("solid", fgColor="1F4E79")


def _status_rows(status: list[OrgStatus]) -> list[list[str]]:
    return [[s.name, s.zustand, s.datei or "–", str(s.fehler),
             ", ".join(f"{k}: {v}" for k, v in s.offen.items()) or "–",
             " / ".join(str(s.verlaesslichkeit.get(k, 0)) for k in ("geprüft", "geschätzt", "unbekannt"))]
            for s in status]


_T = {
    "hinweise": ("Was der Planer prüfen sollte", ["Organisation", "Kennung", "Bezeichnung", "Hinweis"]),
    "aenderungen": ("Änderungen", ["Organisation", "Art", "Blatt", "Kennung", "Bezeichnung", "Feld", "Bisher", "Neu"]),
    "herkunft": ("Herkunft: Stand der Erhebung", ["Organisation", "Rücklauf", "Datei", "Fehler", "Noch offen",
                                                  "Verlässlichkeit (geprüft / geschätzt / unbekannt)"]),
}


def _n(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}".replace(",", ".")


def write_bericht(out: str | Path, *, kampagne: str, aenderungen: list[Aenderung], hinweise: list[Hinweis],
                  status: list[OrgStatus], stand: date) -> tuple[Path, Path]:
    """Write ``aenderungsbericht.xlsx`` and ``aenderungsbericht.html`` into ``out`` (each atomically)."""
    out = Path(out)
    org_name = {s.org: s.name for s in status}
    tables = {
        "hinweise": [[org_name.get(h.org, h.org), h.id, h.name, h.de] for h in hinweise],
        "aenderungen": [[org_name.get(a.org, a.org), a.art, a.blatt, a.id, a.name, a.feld, a.alt, a.neu]
                        for a in aenderungen],
        "herkunft": _status_rows(status),
    }
    wb = Workbook()
    wb.remove(wb.active)
    for key, rows in tables.items():
        title, header = _T[key]
        ws = wb.create_sheet({"hinweise": "Prüfhinweise", "aenderungen": "Änderungen", "herkunft": "Herkunft"}[key])
        ws.append(header)
        for c in ws[1]:
            c.font, c.fill = Font(bold=True, color="FFFFFF"), _HEAD
            c.alignment = Alignment(wrap_text=True)
        for row in rows:
            ws.append([neutralise(v) for v in row])
            for c in ws[ws.max_row]:
                c.data_type = "s"
        for i, h in enumerate(header):
            width = max([len(h)] + [len(str(r[i])) for r in rows[:500]])
            ws.column_dimensions[chr(65 + i)].width = min(60, max(12, width + 2))
        ws.freeze_panes = "A2"
    xlsx = out / "aenderungsbericht.xlsx"
    with atomic_path(xlsx) as tmp:
        wb.save(tmp)

    e = html.escape
    n_changed = len({a.org for a in aenderungen})
    parts = [
        "<!doctype html><html lang='de'><head><meta charset='utf-8'>",
        f"<title>Änderungsbericht {e(kampagne)}</title><style>",
        "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;color:#222}h1{color:#1F4E79}",
        ("table{border-collapse:collapse;margin-bottom:2em;font-size:13px}th{background:#1F4E79;color:#fff;"
        "text-align:left}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}"
        "tr:nth-child(even) td{background:#f4f6f9}.leer{color:#666}"),
        "</style></head><body>",
        f"<h1>Änderungsbericht der Erhebung {e(kampagne)}</h1>",
        (f"<p>Stand {date_text(stand)} · {_n(len(aenderungen), 'Änderung', 'Änderungen')} in "
         f"{_n(n_changed, 'Organisation', 'Organisationen')} · {_n(len(hinweise), 'Prüfhinweis', 'Prüfhinweise')} · "
         f"{sum(1 for s in status if s.zustand != 'ausstehend')} von {len(status)} Fragebögen zurück</p>"),
    ]
    for key, rows in tables.items():
        title, header = _T[key]
        parts.append(f"<h2>{e(title)}</h2>")
        if not rows:
            parts.append("<p class='leer'>Keine.</p>")
            continue
        parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
        parts.extend("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>" for r in rows)
        parts.append("</table>")
    parts.append("</body></html>\n")
    page = out / "aenderungsbericht.html"
    atomic_write_text(page, "\n".join(parts))
    return xlsx, page
