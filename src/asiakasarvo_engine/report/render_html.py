"""The report as one standalone HTML file: markdown-it tokens, embedded CSS and SVG charts.

Raw HTML is off in the parser, so user text is escaped by markdown-it; images are only the
report's own charts, embedded as ``data:`` SVG; a Content-Security-Policy forbids scripts
and anything fetched from elsewhere, as a second line of defence.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from asiakasarvo_engine.report.charts import chart_svg
from asiakasarvo_engine.report.markdown import render_markdown
from asiakasarvo_engine.report.model import Report
from asiakasarvo_engine.report.tokens import chapters, chart_id, parse, parser
from asiakasarvo_engine.report.words import words

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


@cache
def stylesheet() -> str:
    """The report's CSS (``templates/report.css``)."""
    return (resources.files("asiakasarvo_engine.report") / "templates" / "report.css").read_text(
        encoding="utf-8")


def _image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
           env: EnvType) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    svg = env.get("charts", {}).get(chart_id(str(token.attrGet("src") or "")) or "")
    if svg is None:
        return escape(alt)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'


def _link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
               env: EnvType) -> str:
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


@cache
def _renderer() -> RendererHTML:
    renderer = RendererHTML(parser())
    renderer.rules["image"] = _image.__get__(renderer)
    renderer.rules["link_open"] = _link_open.__get__(renderer)
    return renderer


def _contents(title: str, entries: list[tuple[str, str]]) -> str:
    """The table of contents: links to the chapters (their page numbers come from the print CSS)."""
    items = "".join(f'<li><a href="#{anchor}">{escape(text)}</a></li>' for anchor, text in entries)
    return f'<nav class="toc" aria-label="{escape(title)}">\n<p class="toc-title">{escape(title)}</p>\n' \
           f"<ol>{items}</ol>\n</nav>\n"


def html_body(markdown: str, charts: Mapping[str, str], contents: str | None = None) -> str:
    """The HTML of a Markdown text; ``charts`` maps chart ids to SVG documents. With a
    ``contents`` title, a table of contents of the chapters goes before the first one."""
    env: dict[str, Any] = {"charts": dict(charts)}
    tokens = parse(markdown)
    entries = chapters(tokens)
    body = _renderer().render(tokens, parser().options, env)
    if contents is None or not entries:
        return body
    first = body.find(f'<h2 id="{entries[0][0]}"')
    return body[:first] + _contents(contents, entries) + body[first:]


def _title(report: Report) -> str:
    company = report.cover.company
    return f"{report.cover.title}: {company}" if company else report.cover.title


def render_html(report: Report, markdown: str | None = None) -> str:
    """The report as one standalone HTML document (print CSS for A4 included): a table of
    contents before the first chapter, and a draft mark on every page until the report is final."""
    text = render_markdown(report) if markdown is None else markdown
    table = words(report.lang)
    body = html_body(text, {chart.id: chart_svg(chart) for chart in report.charts}, str(table["contents"]))
    draft = escape(str(table["draft"]))
    logo = ""
    if report.logo is not None:
        data = base64.b64encode(report.logo).decode("ascii")
        logo = f'<img class="logo" src="data:image/{report.logo_type};base64,{data}" ' \
               f'alt="{escape(report.organisation or "")}">\n'
    mark = "" if report.final else f'<div class="draft-mark" aria-hidden="true">{draft}</div>\n'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(report.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="asiakasarvo-engine">\n'
        f"<title>{escape(_title(report))}</title>\n<style>\n{stylesheet()}</style>\n</head>\n"
        f'<body>\n{mark}<main class="report">\n{logo}{body}</main>\n</body>\n</html>\n')
