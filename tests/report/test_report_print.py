"""Print quality (issue 17 item 4): a table of contents and page numbers in HTML print, DOCX and
PDF, and a draft mark on every page until the report is final."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import docx
import pypdf
import pytest
from html_outline import outline
from report_fixtures import chapters, example_report

from asiakasarvo_engine.report import render_docx, render_html, render_pdf

DRAFT = {"fi": "LUONNOS", "en": "DRAFT"}
CONTENTS = {"fi": "Sisällys", "en": "Contents"}


@pytest.fixture(params=["fi", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_html_has_contents_linking_every_chapter(lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    html = render_html(report)
    doc = outline(html)
    links = [a.attrs["href"] for a in doc.all("a")]
    titles = chapters(report)
    assert links[:len(titles)] == [f"#chapter-{n}" for n in range(1, len(titles) + 1)]
    assert [h.attrs.get("id") for h in doc.all("h2")] == [f"chapter-{n}" for n in range(1, len(titles) + 1)]
    assert html.index('<nav class="toc"') < html.index('<h2 id="chapter-1"')
    assert f'<p class="toc-title">{CONTENTS[lang]}</p>' in html
    assert "counter(page)" in html and "target-counter(attr(href), page)" in html


def test_the_draft_mark_goes_away_when_final(lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    assert not report.final
    assert f'<div class="draft-mark" aria-hidden="true">{DRAFT[lang]}</div>' in render_html(report)
    final = render_html(replace(report, final=True))
    assert "draft-mark\"" not in final and ("Luonnos:" if lang == "fi" else "Draft:") not in final


def _docx(report: object) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(report)))  # type: ignore[arg-type]


def test_docx_has_page_numbers_contents_and_the_draft_mark(lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    document = _docx(report)
    section = document.sections[0]
    footer = section.footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert section.header.paragraphs[0].text == DRAFT[lang]
    body = document.element.body.xml
    assert 'TOC \\o "1-1"' in body
    texts = [p.text for p in document.paragraphs]
    contents = texts.index(CONTENTS[lang])
    assert texts[contents + 1].splitlines() == [f"{n}. {t}" for n, t in enumerate(chapters(report), start=1)]
    assert contents < texts.index(chapters(report)[0])
    assert document.settings.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields") is not None
    assert _docx(replace(report, final=True)).sections[0].header.paragraphs[0].text == ""


def test_pdf_contents_give_each_chapter_its_page(lang: str) -> None:
    report = example_report("micro_family_firm", lang)
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    pages = [page.extract_text() for page in reader.pages]
    contents = " ".join(pages[0].split(CONTENTS[lang], 1)[1].split())
    assert DRAFT[lang] in pages[0].replace(" ", "")
    previous = 1
    for title in chapters(report):
        found = re.search(re.escape(title) + r"[ .]*?(\d+)(?!\d)", contents)
        assert found, (title, contents)
        page = int(found.group(1))
        assert previous <= page <= len(pages)
        assert title in pages[page - 1].split(CONTENTS[lang])[-1], (title, page)
        previous = page
    final = pypdf.PdfReader(io.BytesIO(render_pdf(replace(report, final=True))))
    assert DRAFT[lang] not in final.pages[0].extract_text().replace(" ", "")
