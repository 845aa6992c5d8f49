"""Reports: the written analysis in Finnish or English as Markdown, HTML, DOCX and PDF, with charts.

The pipeline (DESIGN "Reports", STYLE point 13): :func:`build_report` turns a Result,
its answers and the bank texts into a :class:`Report` in one language; Jinja2 templates
(sandboxed, strict, escaping every value) write it as Markdown; markdown-it parses that
once, and :func:`render_html` and :func:`render_docx` render the same token stream;
:func:`render_pdf` lays out that HTML on A4.
"""

from asiakasarvo_engine.report.build import OVERALL as OVERALL
from asiakasarvo_engine.report.build import build_report as build_report
from asiakasarvo_engine.report.charts import chart_png as chart_png
from asiakasarvo_engine.report.charts import chart_svg as chart_svg
from asiakasarvo_engine.report.markdown import render_markdown as render_markdown
from asiakasarvo_engine.report.model import LevelOverride as LevelOverride
from asiakasarvo_engine.report.model import Report as Report
from asiakasarvo_engine.report.render_docx import render_docx as render_docx
from asiakasarvo_engine.report.render_html import render_html as render_html
from asiakasarvo_engine.report.render_pdf import render_pdf as render_pdf
from asiakasarvo_engine.report.words import LANGUAGES as LANGUAGES
from asiakasarvo_engine.report.write import FORMATS as FORMATS
from asiakasarvo_engine.report.write import ReportFormat as ReportFormat
from asiakasarvo_engine.report.write import write_report as write_report

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "OVERALL",
    "LevelOverride",
    "Report",
    "ReportFormat",
    "build_report",
    "chart_png",
    "chart_svg",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_report",
]
