"""The Markdown of a report as a markdown-it token stream: one parse, two renderers (HTML, DOCX).

The parser is markdown-it's ``js-default`` preset (CommonMark plus tables and
strikethrough) with raw HTML, linkify and typographic replacements off. Links are
restricted to ``http``, ``https``, ``mailto`` and in-page anchors, images to the report's
own charts (``chart:<id>``): anything else stays text.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from asiakasarvo_engine.report.markdown import CHART_SCHEME

LINK_SCHEMES = ("http://", "https://", "mailto:", "#")


def allowed_link(url: str) -> bool:
    """Whether a link or image target may become one (everything else is left as text)."""
    target = url.strip().lower()
    return target.startswith((*LINK_SCHEMES, CHART_SCHEME))


def chart_id(src: str) -> str | None:
    """The chart id of an image source ``chart:<id>``, else ``None``."""
    return src[len(CHART_SCHEME):] if src.startswith(CHART_SCHEME) else None


@cache
def parser() -> MarkdownIt:
    """The shared markdown-it parser of reports."""
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = allowed_link  # type: ignore[method-assign]
    return md


def parse(text: str) -> list[Token]:
    """The block token stream of ``text`` (inline tokens carry their children)."""
    return parser().parse(text)


def chapters(tokens: list[Token]) -> list[tuple[str, str]]:
    """``(anchor, title)`` of every level-2 heading, in order, for a table of contents; each
    heading gets its anchor as its ``id`` (``chapter-1``, ``chapter-2``, ...)."""
    found: list[tuple[str, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and index + 1 < len(tokens):
            anchor = f"chapter-{len(found) + 1}"
            token.attrSet("id", anchor)
            title = "".join(child.content for child in tokens[index + 1].children or []
                            if child.type in ("text", "code_inline"))
            found.append((anchor, title))
    return found
