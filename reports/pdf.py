"""The board pack as PDF (WeasyPrint): A4, table of contents with page numbers, running
headers, page numbers "Seite n / m", charts as SVG.

The appendix has one page per organisation (``appendix="org"``) or one per Kreis
(``"kreis"``, the default above :data:`reports.context.DETAIL_LIMIT` organisations).
"""

from __future__ import annotations

import logging

from .context import ReportContext
from .html import render_html
from .messages import Translator

__all__ = ["render_pdf"]


def render_pdf(ctx: ReportContext, t: Translator) -> bytes:
    """The PDF as bytes (written atomically by the caller)."""
    from weasyprint import HTML  # imported late: it loads pango/harfbuzz, ~0.5 s

    # WeasyPrint logs every unsupported CSS property at WARNING; they are expected here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(ctx, t, medium="pdf")
    # base_url None and no url_fetcher use: the document references nothing external.
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf(
        pdf_identifier=ctx.plan.meta.inventory_hash[:32].encode() or None,
    )


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the report references no external resource (asked for {url[:80]!r})")
