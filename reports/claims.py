"""The funding claims as a workbook for the Land's finance department (``claims.xlsx``).

First sheet "Übersicht": the day, the plan, the sums by status (abgerufen, nachgewiesen, geplant
and due, geplant and not yet due) and why due milestones are not claimable; then one row per
milestone, one per piece of evidence, and the assumptions and sources of the amounts. Numbers are
numbers with number formats (``#,##0.00 "€"``, ``DD.MM.YYYY``), so a German spreadsheet shows
``1.234,50 €`` and ``31.03.2027``; text cells are neutralised against formulas.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actuals.claims import Claim, Claims
from common.spreadsheet import neutralise

from .messages import Translator
from .xlsx import DATE_FORMATS, NUMBER_FORMATS

__all__ = ["blocker_text", "claim_source", "render_claims_xlsx"]

_MONEY = NUMBER_FORMATS["money"]
_DATE = DATE_FORMATS
_HEAD_FONT, _HEAD_FILL = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="2F5F9E")
_STATUS_FILL = {"abgerufen": "D9EAD3", "nachgewiesen": "E8EEF7", "geplant": "FFFFFF"}


def blocker_text(claim: Claim, t: Translator) -> str:
    """Why ``claim`` is not claimable, in words ("" when it is)."""
    def value(v: object) -> str:
        if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
            return t.date(date.fromisoformat(v))
        return str(v)

    return "; ".join(t(f"claims.blocker.{b.code}", **{k: value(v) for k, v in b.params.items()})
                     for b in claim.blockers)


def claim_source(claim: Claim, t: Translator) -> str:
    """How the amount follows from the scenario's rule."""
    if claim.rule == "per_system":
        return t("claims.rule.per_system", rate=t.money(claim.rate), done=claim.systems_delivered or 0,
                 planned=claim.systems_planned or 0)
    return t("claims.rule.fixed")


def _what(claim: Claim, t: Translator) -> str:
    return claim.description or t.reason(claim.reason)


def _kind(claim: Claim, t: Translator) -> str:
    key = f"milestone.{claim.kind}"
    return t(key) if t.has(key) else claim.kind


def _text(ws: Worksheet, row: int, col: int, text: str, *, bold: bool = False, size: float | None = None,
          wrap: bool = False) -> None:
    c = ws.cell(row=row, column=col, value=neutralise(text))
    c.data_type = "s"
    if bold or size:
        c.font = Font(bold=bold, size=size or 11)
    if wrap:
        c.alignment = Alignment(wrap_text=True, vertical="top")


def _value(ws: Worksheet, row: int, col: int, value: object, fmt: str | None = None) -> None:
    if isinstance(value, str):
        _text(ws, row, col, value)
        return
    c = ws.cell(row=row, column=col, value=float(value) if isinstance(value, Decimal) else value)
    if fmt and value is not None:
        c.number_format = fmt


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for i, label in enumerate(labels, start=1):
        _text(ws, row, i, label)
        c = ws.cell(row=row, column=i)
        c.font, c.fill = _HEAD_FONT, _HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 30


def _widths(ws: Worksheet, widths: list[int], *, landscape: bool = False) -> None:
    """Column widths, and print setup: the sheet's width on one page (for a printed Leistungsnachweis)."""
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"


def _summary(ws: Worksheet, claims: Claims, t: Translator) -> None:
    day = _DATE[t.lang]
    _widths(ws, [58, 16, 22])
    _text(ws, 1, 1, t("claims.title", day=t.date(claims.as_of)), bold=True, size=14)
    meta = [
        ("claims.meta.scenario", f"{claims.scenario_name} ({claims.scenario_id})"),
        ("claims.meta.as_of", claims.as_of),
        ("claims.meta.quarter", claims.as_of_quarter),
        ("claims.meta.reported", claims.reported),
        ("claims.meta.plan_start", claims.plan_start),
        ("claims.meta.files", ", ".join(Path(f).name for f in claims.actuals_files) or "–"),
    ]
    r = 3
    for key, v in meta:
        _text(ws, r, 1, t(key), bold=True)
        _value(ws, r, 2, v if v is not None else "–", day)
        r += 1
    r += 1
    _text(ws, r, 1, t("claims.sum.caption"), bold=True, size=12)
    r += 1
    _header(ws, r, [t("claims.sum.what"), t("claims.sum.count"), t("claims.sum.amount")])
    tot = claims.totals
    due = sum(1 for c in claims.claims if c.status == "geplant" and (c.slip_quarters is not None
                                                                     or c.delivered is not None))
    rows = [
        ("claims.sum.planned", len(claims.claims), tot.planned, True),
        ("claims.sum.abgerufen", tot.count["abgerufen"], tot.abgerufen, False),
        ("claims.sum.nachgewiesen", tot.count["nachgewiesen"], tot.nachgewiesen, False),
        ("claims.sum.faellig", due, tot.geplant_faellig, False),
        ("claims.sum.offen", tot.count["geplant"] - due, tot.geplant_offen, False),
    ]
    for key, n, amount, bold in rows:
        r += 1
        _text(ws, r, 1, t(key), bold=bold)
        _value(ws, r, 2, n, "#,##0")
        _value(ws, r, 3, amount, _MONEY)
        if bold:
            ws.cell(row=r, column=3).font = Font(bold=True)
    r += 1
    _text(ws, r, 1, t("claims.sum.note"), wrap=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.row_dimensions[r].height = 45
    r += 2
    _text(ws, r, 1, t("claims.sum.status_caption"), bold=True, size=12)
    for status in ("geplant", "nachgewiesen", "abgerufen"):
        r += 1
        _text(ws, r, 1, f"{t(f'claims.status.{status}')}: {t(f'claims.status_help.{status}')}", wrap=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        ws.row_dimensions[r].height = 30
    why = Counter(b.code for c in claims.claims if c.status == "geplant"
                  for b in c.blockers if b.code != "not_delivered")
    if why:
        r += 2
        _text(ws, r, 1, t("claims.sum.blockers_caption"), bold=True, size=12)
        for code, n in sorted(why.items(), key=lambda kv: (-kv[1], kv[0])):
            r += 1
            _text(ws, r, 1, t(f"claims.blocker_short.{code}"))
            _value(ws, r, 2, n, "#,##0")
    r += 2
    _text(ws, r, 1, t("claims.sources.title"), bold=True, size=12)
    for line in _sources(claims, t):
        r += 1
        _text(ws, r, 1, line, wrap=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        ws.row_dimensions[r].height = 45


def _sources(claims: Claims, t: Translator) -> list[str]:
    return [
        t("claims.sources.rules", name=claims.scenario_name, id=claims.scenario_id,
          hash=claims.plan_scenario_hash[:12] or "–"),
        t("claims.sources.per_system"),
        t("claims.sources.actuals", files=", ".join(Path(f).name for f in claims.actuals_files) or "–"),
    ]


def _milestones(ws: Worksheet, claims: Claims, t: Translator, names: Mapping[str, str]) -> None:
    day = _DATE[t.lang]
    cols = ["milestone", "kind", "what", "org", "planned_quarter", "planned_amount", "status", "claimable",
            "amount", "delivered", "claimed", "slip", "evidence", "why", "source"]
    _widths(ws, [30, 24, 44, 26, 12, 16, 14, 10, 18, 13, 13, 10, 12, 50, 50], landscape=True)
    ws.print_title_rows = "1:1"
    _header(ws, 1, [t(f"claims.col.{c}") for c in cols])
    ws.freeze_panes = "B2"
    for r, c in enumerate(claims.claims, start=2):
        row: list[tuple[object, str | None]] = [
            (c.milestone, None), (_kind(c, t), None), (_what(c, t), None),
            (names.get(c.org, c.org) if c.org else t("claims.platform"), None),
            (c.planned_quarter_label, None), (c.planned_amount, _MONEY),
            (t(f"claims.status.{c.status}"), None), (t.boolean(c.claimable), None), (c.amount, _MONEY),
            (c.delivered, day), (c.claimed, day), (c.slip_quarters, "0"),
            (len(c.evidence), "0"), (blocker_text(c, t), None), (claim_source(c, t), None),
        ]
        for i, (v, fmt) in enumerate(row, start=1):
            if v is None:
                continue
            _value(ws, r, i, v, fmt)
        fill = _STATUS_FILL[c.status]
        if fill != "FFFFFF":
            ws.cell(row=r, column=7).fill = PatternFill("solid", fgColor=fill)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(claims.claims) + 1}"


def _evidence(ws: Worksheet, claims: Claims, t: Translator) -> None:
    cols = ["milestone", "ev_kind", "ref", "valid", "check", "found"]
    _widths(ws, [30, 18, 50, 8, 40, 60], landscape=True)
    ws.print_title_rows = "1:1"
    _header(ws, 1, [t(f"claims.col.{c}") for c in cols])
    ws.freeze_panes = "A2"
    r = 1
    for c in claims.claims:
        for ev in c.evidence:
            r += 1
            found = ev.detail if ev.valid else t(f"claims.ev.problem.{ev.problem_code or 'not_found'}", ref=ev.ref,
                                                 detail=ev.problem)
            for i, v in enumerate([c.milestone, t(f"claims.ev.kind.{ev.kind}"), ev.ref, t.boolean(ev.valid),
                                   t(f"claims.ev.checked.{ev.checked or 'none'}"), found], start=1):
                _text(ws, r, i, v)
    ws.auto_filter.ref = f"A1:F{max(r, 1)}"


def render_claims_xlsx(claims: Claims, t: Translator, *, names: Mapping[str, str] | None = None) -> bytes:
    """The workbook as bytes (written atomically by the caller); ``names``: organisation id → name."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("claims.sheet.summary")
    _summary(ws, claims, t)
    _milestones(wb.create_sheet(t("claims.sheet.milestones")), claims, t, names or {})
    _evidence(wb.create_sheet(t("claims.sheet.evidence")), claims, t)
    src = wb.create_sheet(t("claims.sheet.sources"))
    _widths(src, [120])
    _text(src, 1, 1, t("claims.sources.title"), bold=True, size=12)
    for r, line in enumerate(_sources(claims, t), start=2):
        _text(src, r, 1, line, wrap=True)
    wb.properties.title = t("claims.title", day=t.date(claims.as_of))
    wb.properties.creator = "landkarte"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
