"""Answers and notes are text, never markup (issue 8 item 4; DESIGN "Reports"; STYLE point 14).

Every free-text answer, every note, every repeat-group text field, the company name and
the advisor's name of an example company are replaced by hostile strings: script tags,
event-handler attributes, ``javascript:`` links, Markdown link, image and reference
injection, HTML comments, block markup and control characters. The HTML must contain no
executable content and no image or link from user text; the DOCX must show the strings
as plain text; the Markdown must parse to text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import docx
import pytest
from html_outline import outline
from hypothesis import given
from hypothesis import strategies as st
from report_fixtures import example, shipped_program

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import Report, build_report, render_docx, render_html, render_markdown
from asiakasarvo_engine.report.escape import clean, escape_markdown
from asiakasarvo_engine.report.tokens import parse
from asiakasarvo_engine.scoring.result import Company

HOSTILE = (
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(2)>",
    '<a href="javascript:alert(3)">click me</a>',
    "[click here](javascript:alert(4))",
    "[normal link](https://evil.example/phish)",
    "![pixel](https://evil.example/track.png)",
    "![chart](chart:radar)",
    "<!-- hidden comment -->",
    "<https://evil.example/autolink>",
    "[ref]: https://evil.example/ref",
    "**bold** _italic_ `code` ~~strike~~ &lt;b&gt;",
    "| a | b |\n|---|---|\n| c | d |",
    "# Heading\n\n- item\n1. one\n> quote\n\n---\n=====",
    "line one\\\nline two  \nthree\x00\x07\x1b[31m",
    "<style>body{display:none}</style><iframe src=//evil.example></iframe>",
)
TEXT_TYPES = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)


def _hostile(index: int) -> str:
    return HOSTILE[index % len(HOSTILE)]


def _hostile_group(value: Any, fields: Mapping[str, QuestionType], start: int) -> Any:
    if not isinstance(value, list):
        return value
    entries = []
    for number, entry in enumerate(value):
        if not isinstance(entry, dict):
            entries.append(entry)
            continue
        entries.append({k: _hostile(start + number) if fields.get(k) in TEXT_TYPES else v
                        for k, v in entry.items()})
    return entries


def hostile_report(lang: str) -> Report:
    """The small manufacturer's report with every user text replaced by a hostile string."""
    program = shipped_program()
    loaded, _ = example("small_manufacturer")
    answers: dict[str, AnswerEntry] = {}
    for index, (name, entry) in enumerate(loaded.answers.items()):
        item = program.bank.items[name].item
        update: dict[str, Any] = {"note": _hostile(index + 3), "author": _hostile(index + 5)}
        if entry.status is AnswerStatus.ANSWERED and item.type in TEXT_TYPES:
            update["value"] = _hostile(index)
        if item.type is QuestionType.REPEAT_GROUP:
            fields = {f.id: f.type for f in item.items or []}
            update["value"] = _hostile_group(entry.value, fields, index)
        answers[name] = entry.model_copy(update=update)
    company = Company(name=HOSTILE[0] + " Oy", business_id=HOSTILE[4])
    result = analyse(program, answers, company=company, date="2026-10-21", advisor=HOSTILE[1])
    return build_report(result, answers, program, lang=lang, advisor_appendix=True)


@pytest.fixture(scope="module", params=["fi", "en"])
def report(request: pytest.FixtureRequest) -> Report:
    return hostile_report(str(request.param))


def test_html_has_no_executable_content(report: Report) -> None:
    html = render_html(report)
    doc = outline(html)
    tags = {e.tag for e in doc.elements}
    assert not tags & {"script", "iframe", "object", "embed", "svg", "form", "base", "link"}
    anchors = [a.attrs.get("href", "") for a in doc.all("a")]
    assert anchors == [f"#chapter-{n}" for n in range(1, len(anchors) + 1)], "only the contents' own links"
    assert len(doc.all("style")) == 1, "only the report's own stylesheet"
    for element in doc.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower(), (element.tag, name)
    assert not doc.comments
    images = doc.all("img")
    assert len(images) == len(report.charts)
    for img in images:
        assert img.attrs["src"].startswith("data:image/svg+xml;base64,")
        assert img.attrs["alt"] in {chart.title for chart in report.charts}


def test_html_shows_the_hostile_strings_as_text(report: Report) -> None:
    text = outline(render_html(report)).body_text
    folded = " ".join(text.split())
    for hostile in HOSTILE:
        assert clean(hostile) in folded, hostile


def test_markdown_parses_to_text_only(report: Report) -> None:
    tokens = parse(render_markdown(report))
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    markup = {"html_block", "html_inline", "link_open", "code_block", "fence", "code_inline", "s_open"}
    assert not kinds & markup
    images = [c for t in tokens for c in t.children or [] if c.type == "image"]
    assert [str(i.attrGet("src")) for i in images] == [f"chart:{c.id}" for c in report.charts]


def test_docx_shows_the_hostile_strings_as_plain_text(report: Report) -> None:
    document = docx.Document(io.BytesIO(render_docx(report)))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    folded = " ".join(" ".join(paragraphs + cells).split())
    for hostile in HOSTILE:
        assert clean(hostile) in folded, hostile
    relationships = {rel.reltype.rsplit("/", 1)[-1] for rel in document.part.rels.values()}
    assert "hyperlink" not in relationships
    assert all(not rel.is_external for rel in document.part.rels.values())
    assert len(document.inline_shapes) == len(report.charts)


def test_hostile_company_name_stays_text_in_the_title(report: Report) -> None:
    doc = outline(render_html(report))
    assert doc.texts("title")[0].endswith(HOSTILE[0] + " Oy")
    assert doc.texts("h1")[0].endswith(HOSTILE[0] + " Oy")


@given(st.text(max_size=200))
def test_any_text_escapes_to_exactly_that_text(text: str) -> None:
    tokens = parse(escape_markdown(text))
    inline = [t for t in tokens if t.type == "inline"]
    expected = clean(text)
    if not expected:
        assert not inline or not "".join(c.content for c in inline[0].children or [])
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = inline[0].children or []
    assert {c.type for c in children} <= {"text"}
    assert "".join(c.content for c in children) == expected


@given(st.text(max_size=80), st.text(max_size=80))
def test_any_text_stays_in_its_table_cell(left: str, right: str) -> None:
    table = f"| A | B |\n|---|---|\n| {escape_markdown(left)} | {escape_markdown(right)} |\n"
    tokens = parse(table)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2
    contents = ["".join(c.content for c in t.children or []) for t in tokens if t.type == "inline"][2:]
    assert contents == [clean(left), clean(right)]
