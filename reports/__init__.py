"""Reports for the IT-Planungsgremium: the board pack as HTML, PDF, XLSX (and CSV).

Reports render a plan (with its inventory and scenario context); they never recompute it.

>>> from reports import FORMATS
>>> FORMATS
('html', 'pdf', 'xlsx', 'csv')

Typical use (what ``landkarte report`` does)::

    inputs = load_inputs("out/plan.json", inventory=facts)  # InventoryFacts read by the caller
    files = write_report(inputs, "out/report", formats=("html", "pdf", "xlsx"), lang="de")
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from common.fsio import atomic_dir
from common.version import tool_version

from .context import ReportContext, build_context
from .load import ReportInputs, load_inputs
from .messages import Translator
from .vorlage import Meeting

__all__ = [
    "FORMATS",
    "Meeting",
    "ReportInputs",
    "build_context",
    "generation_time",
    "load_inputs",
    "render_report",
    "report_stem",
    "write_report",
]

FORMATS = ("html", "pdf", "xlsx", "csv")


def generation_time() -> datetime:
    """Now (UTC, whole seconds), or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def report_stem(ctx: ReportContext) -> str:
    """File name stem: ``landkarte-<scenario>`` plus ``-en`` for English."""
    return f"landkarte-{ctx.plan.meta.scenario_id}" + ("" if ctx.lang == "de" else f"-{ctx.lang}")


def render_report(
    inputs: ReportInputs,
    *,
    formats: Iterable[str] = ("html", "pdf", "xlsx"),
    lang: str = "de",
    appendix: str | None = None,
    generated_at: datetime | None = None,
    pdf_engine: str = "typst",
    on_format: Callable[[str], None] | None = None,
    as_of: date | None = None,
    meeting: Meeting | None = None,
) -> tuple[ReportContext, dict[str, bytes | dict[str, bytes]]]:
    """Render every requested format in memory: format → bytes (CSV: file name → bytes).

    ``on_format`` is called with each format's name once it is rendered (for a progress bar);
    ``as_of`` is the report's "Stand" (default: today), ``meeting`` the Vorlage's header and rule.
    """
    formats = tuple(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    t = Translator(lang)  # type: ignore[arg-type]
    ctx = build_context(
        inputs.plan, lang=lang, inventory=inputs.inventory, compare=inputs.compare, previous=inputs.previous,
        appendix=appendix, generated_at=generated_at or generation_time(), tool_version=tool_version(),
        plan_path=inputs.plan_path, as_of=as_of, meeting=meeting,
    )
    ctx.sweep = inputs.sweep
    if inputs.actuals is not None:
        _add_soll_ist(ctx, inputs, as_of or inputs.actuals.reported or ctx.generated_at.date(), t)
    ctx.why, ctx.why_missing = inputs.why, inputs.why_missing
    out: dict[str, bytes | dict[str, bytes]] = {}
    for fmt in formats:
        if fmt == "html":
            from .html import render_html

            out["html"] = render_html(ctx, t).encode("utf-8")
        elif fmt == "pdf":
            from .pdf import render_pdf

            out["pdf"] = render_pdf(ctx, t, engine=pdf_engine)
        elif fmt == "xlsx":
            from .xlsx import render_xlsx

            out["xlsx"] = render_xlsx(ctx, t)
        elif fmt == "csv":
            from .csv import render_csv

            out["csv"] = render_csv(ctx, t)
        if on_format is not None:
            on_format(fmt)
    return ctx, out


def _add_soll_ist(ctx: ReportContext, inputs: ReportInputs, day: date, t: Translator) -> None:
    """Soll/Ist of the plan of reference against the actuals, with the claims of its funding milestones."""
    from actuals.claims import build_claims
    from actuals.sollist import soll_ist

    soll = inputs.soll
    claims = build_claims(soll, inputs.actuals, as_of=day)  # type: ignore[arg-type]
    ctx.soll_ist = soll_ist(
        soll.assignments, inputs.actuals, as_of=day, start=soll.meta.start,  # type: ignore[arg-type]
        current=inputs.plan.assignments if soll is not inputs.plan else None,
        domain_names={m.domain: m.domain_name for m in soll.metrics}, funding=soll.funding, claims=claims)
    stand = f" ({t('si.stand')} {t.date(soll.meta.as_of)})" if soll.meta.as_of else ""
    ctx.soll_ist_baseline = f"{soll.meta.scenario_name}{stand}"
    if ctx.vorlage is not None:  # the board reads the Vorlage first: one sentence each on delivery and on money
        si, tot = ctx.soll_ist, claims.totals
        ctx.vorlage.sachverhalt.append(t("si.vl.sachverhalt", day=t.date(day), delivered=t.number(si.delivered_due),
                                         planned=t.number(si.planned_due),
                                         late=t.number(si.planned_due - si.delivered_due)))
        if soll.funding:
            ctx.vorlage.finance_text.append(t("si.vl.funding", day=t.date(day), proven=t.money_round(tot.nachgewiesen),
                                              called=t.money_round(tot.abgerufen),
                                              due=t.money_round(tot.geplant_faellig)))


def write_report(
    inputs: ReportInputs,
    out_dir: str | Path,
    *,
    formats: Iterable[str] = ("html", "pdf", "xlsx"),
    lang: str = "de",
    appendix: str | None = None,
    generated_at: datetime | None = None,
    pdf_engine: str = "typst",
    on_format: Callable[[str], None] | None = None,
    as_of: date | None = None,
    meeting: Meeting | None = None,
) -> dict[str, Path]:
    """Render everything, then commit the files as one unit, with a manifest naming them.

    All files (and ``<stem>.manifest.json``: each file's size and SHA-256, the plan, the time)
    are written into a temporary folder inside ``out_dir`` first and renamed into place
    together at the end, a signal held off meanwhile: a report interrupted before that leaves
    the previous report untouched. Only the report's own files (same stem) are replaced;
    nothing else in ``out_dir`` is touched.
    """
    ctx, rendered = render_report(inputs, formats=formats, lang=lang, appendix=appendix, generated_at=generated_at,
                                  pdf_engine=pdf_engine, on_format=on_format, as_of=as_of, meeting=meeting)
    out_dir = Path(out_dir)
    stem = report_stem(ctx)
    names: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for fmt, data in rendered.items():
        if isinstance(data, dict):
            names[fmt] = f"{stem}-csv"
            files.update({f"{stem}-csv/{name}": content for name, content in data.items()})
        else:
            names[fmt] = f"{stem}.{fmt}"
            files[names[fmt]] = data
    manifest = {
        "generated_at": ctx.generated_at.isoformat(),
        "plan": str(inputs.plan_path) if inputs.plan_path else None,
        "scenario_id": ctx.plan.meta.scenario_id,
        "files": {rel: {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
                  for rel, content in sorted(files.items())},
    }
    files[f"{stem}.manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                                      + "\n").encode("utf-8")

    def owns(rel: str) -> bool:  # this report's files; a CSV folder of the same stem is replaced as a whole
        return rel in files or rel.startswith(f"{stem}-csv/") and rel.endswith(".csv")

    # a report folder may hold other files (minutes, older reports): they are never touched
    with atomic_dir(out_dir, owns=owns, own_output=lambda _p: True) as tmp:
        for rel, content in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(content)
    return {fmt: out_dir / name for fmt, name in names.items()}
