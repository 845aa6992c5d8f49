"""The report model written as Markdown by the language's Jinja2 template."""

from __future__ import annotations

import re
from collections.abc import Mapping

from asiakasarvo_engine.report.environment import environment
from asiakasarvo_engine.report.model import Report

CHART_SCHEME = "chart:"
"""Charts are referenced as ``![title](chart:<id>)``; each renderer puts the drawing there."""
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")


def chart_links(report: Report) -> dict[str, str]:
    """The default chart references: ``chart:<id>``."""
    return {chart.id: f"{CHART_SCHEME}{chart.id}" for chart in report.charts}


def render_markdown(report: Report, links: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; ``links`` maps chart ids to image paths (default ``chart:<id>``)."""
    template = environment().get_template(f"{report.lang}/report.md.j2")
    text = template.render(r=report, links=dict(links) if links is not None else chart_links(report))
    return _EXTRA_BLANK_LINES.sub("\n\n", text).strip() + "\n"
