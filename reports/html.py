"""The self-contained HTML report: inline CSS, inline SVG charts, a small inline filter script.

No external resource is referenced; a Content-Security-Policy (``default-src 'none'``,
the one script allowed by its hash) makes the browser refuse any request even if a
hostile inventory string slipped through the (always on) autoescaping.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from plan.figures import BESIDE_HEADLINE, HEADLINE

from . import charts
from .changes import cause_short, cause_text, replans_text, top_lines, via_text
from .context import HOTSPOT_THRESHOLD, RISK_LIST_LIMIT, ReportContext
from .messages import Translator
from .tables import build_tables, cell_kind, provenance_rows
from .vorlage import assumption_label, assumption_value

__all__ = ["environment", "method_status", "render_html"]

CHANGE_LIMIT = 500
"""Longest list of changed systems shown in HTML/PDF; the XLSX has all."""


def _coord(value: float) -> str:
    """An SVG coordinate with at most one decimal and no trailing zero (keeps large charts small)."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


@cache
def environment() -> Environment:
    """The Jinja environment of all report templates (autoescape on, undefined is an error)."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "j2", "svg"], default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["coord"] = _coord
    return env


@cache
def _script() -> tuple[Markup, str]:
    source = environment().loader.get_source(environment(), "filter.js")[0]  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return Markup(source), f"sha256-{digest}"


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def svg_markup(chart: charts.Svg) -> str:
    """One chart as a standalone SVG document (autoescaped like the page), e.g. for the PDF.

    Control characters, which a name may contain but XML may not, are dropped.
    """
    return _XML_INVALID.sub("", str(environment().get_template("_svg.html.j2").make_module().svg_element(chart)))


def method_status(status: str) -> str:
    """Message key of a solver status in plain words (``OPTIMAL`` → proven optimal)."""
    s = status.upper()
    if s == "OPTIMAL":
        return "m.status.optimal"
    if s in ("FEASIBLE", "FEASIBLE_LIMIT", "TIME_LIMIT"):
        return "m.status.feasible"
    return "m.status.other"


def render_html(ctx: ReportContext, t: Translator, *, medium: str = "screen") -> str:
    """The report as one HTML document; ``medium="pdf"`` gives the variant WeasyPrint paginates."""
    tables = {tb.id: tb for tb in build_tables(ctx, t)}
    script, script_hash = _script()

    def qlabel(q: int | None) -> str:
        return ctx.quarter_labels[q] if q is not None and 0 <= q < len(ctx.quarter_labels) else "–"

    def change_value(field: str, value: str) -> str:
        if not value:
            return "–"
        if field in ("decision", "added", "removed"):
            return t(f"decision.{value}") if t.has(f"decision.{value}") else value
        return ctx.names.get(value, value)

    svgs = charts.all_charts(ctx, t)
    services = ctx.inventory.services if ctx.inventory else ()
    template = environment().get_template("report.html.j2")
    return template.render(
        ctx=ctx,
        t=t,
        medium=medium,
        fmt=t.value,
        cellkind=cell_kind,
        qlabel=qlabel,
        change_value=change_value,
        why={"top": top_lines, "cause": cause_text, "short": cause_short, "via": via_text, "replans": replans_text},
        names=ctx.names,
        headline=HEADLINE,
        beside=BESIDE_HEADLINE,
        method_status=method_status,
        assumption_label=assumption_label,
        assumption_value=assumption_value,
        hotspot=HOTSPOT_THRESHOLD,
        risk_limit=RISK_LIST_LIMIT // 4 if medium == "pdf" else RISK_LIST_LIMIT,
        change_limit=CHANGE_LIMIT // 5 if medium == "pdf" else CHANGE_LIMIT,
        cost_categories=("run_legacy", "run_target", "migration", "double_running", "eol_penalty"),
        svg=svgs,
        tbl=tables,
        kreis_tags=[{"data-kreis": k.key} for k in ctx.kreise],
        system_tags=[{"data-kreis": r.kreis, "data-org": r.a.org, "data-domain": r.a.domain} for r in ctx.systems],
        target_tags=[{"data-domain": x.domain} for x in ctx.plan.targets],
        exception_tags=[{"data-org": e.org} if e.org else {} for e in ctx.plan.exceptions],
        ozg={"total": len(services), "efa": sum(1 for s in services if s.kind == "efa")},
        provenance=provenance_rows(ctx, t),
        script=script,
        script_hash=script_hash,
        sw=_sweep_view(ctx, t),
        si=_sollist_view(ctx, t),
    )


def _sollist_view(ctx: ReportContext, t: Translator):
    if ctx.soll_ist is None:
        return None
    from .sollist import sollist_view

    return sollist_view(ctx.soll_ist, t, ctx.names, ctx.soll_ist_baseline)


def _sweep_view(ctx: ReportContext, t: Translator):
    if ctx.sweep is None:
        return None
    from .sweep import sweep_view

    return sweep_view(ctx.sweep, t)
