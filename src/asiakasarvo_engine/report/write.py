"""Writing a report to a file: Markdown (with its charts as SVG files beside it), HTML, DOCX or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import quote

from asiakasarvo_engine.report.charts import chart_svg
from asiakasarvo_engine.report.markdown import render_markdown
from asiakasarvo_engine.report.model import Report
from asiakasarvo_engine.report.render_docx import render_docx
from asiakasarvo_engine.report.render_html import render_html
from asiakasarvo_engine.report.render_pdf import render_pdf

ReportFormat = Literal["md", "html", "docx", "pdf"]
FORMATS: tuple[ReportFormat, ...] = ("html", "md", "docx", "pdf")


def chart_path(path: Path, chart_id: str) -> Path:
    """Where a Markdown report's chart goes: ``<stem>-<chart>.svg`` beside it."""
    return path.with_name(f"{path.stem}-{chart_id}.svg")


def write_report(report: Report, fmt: ReportFormat, path: str | Path) -> list[Path]:
    """Write ``report`` as ``fmt`` to ``path``; returns every file written (the report first)."""
    target = Path(path)
    if fmt == "html":
        target.write_text(render_html(report), encoding="utf-8")
        return [target]
    if fmt == "docx":
        render_docx(report, target)
        return [target]
    if fmt == "pdf":
        target.write_bytes(render_pdf(report))
        return [target]
    if fmt != "md":
        msg = f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}"
        raise ValueError(msg)
    charts = {chart.id: chart_path(target, chart.id) for chart in report.charts}
    links = {chart_id: quote(chart_file.name) for chart_id, chart_file in charts.items()}
    target.write_text(render_markdown(report, links), encoding="utf-8")
    for chart in report.charts:
        charts[chart.id].write_text(chart_svg(chart), encoding="utf-8")
    return [target, *charts.values()]
