"""The report as PDF: the standalone HTML (its A4 print CSS, SVG charts) rendered by WeasyPrint.

No browser is involved: WeasyPrint lays out the same document that :func:`render_html` writes,
with the print media rules (page numbers in the bottom margin, the table of contents with
the chapters' page numbers, the draft mark on every page). Nothing is fetched:
the charts are ``data:`` images and there is no base URL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from asiakasarvo_engine.report.model import Report
from asiakasarvo_engine.report.render_html import render_html


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """WeasyPrint warns of CSS it ignores (the ``-webkit-`` prefix, ``box-shadow``, which are
    for browsers); only its own logger is raised to ERROR, and only for the call."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def render_pdf(report: Report, html: str | None = None) -> bytes:
    """The report as PDF bytes (A4); ``html`` is :func:`render_html` of ``report`` if given."""
    from weasyprint import HTML  # a heavy import (Pango through cffi): only when a PDF is asked for

    document = render_html(report) if html is None else html
    with _quiet_weasyprint():
        page = HTML(string=document, base_url=None)
        pdf: bytes | None = page.write_pdf()
    if pdf is None:  # only without a target does write_pdf return the bytes; it always has none here
        msg = "WeasyPrint returned no PDF"
        raise RuntimeError(msg)
    return pdf
