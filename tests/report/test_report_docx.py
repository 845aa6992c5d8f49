"""The DOCX report read back with python-docx: headings, tables, lists, emphasis, charts, A4."""

from __future__ import annotations

import io

import docx
import pytest
from docx.document import Document
from report_fixtures import CHAPTERS, COMPANIES, chapters, example_docx, example_report, styled_paragraphs


def _read(company: str, lang: str) -> Document:
    return docx.Document(io.BytesIO(example_docx(company, lang)))


@pytest.fixture(scope="module", params=["fi", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def document(lang: str) -> Document:
    return _read("small_manufacturer", lang)


def _styled(document: Document, style: str) -> list[str]:
    return [text for name, text in styled_paragraphs(document) if name == style]


def test_headings(document: Document, lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    assert _styled(document, "Title") == [f"{report.cover.title}: Konepaja Lehtoranta Oy"]
    assert _styled(document, "Heading 1") == chapters(report)
    level2 = _styled(document, "Heading 2")
    closing = report.path_choice.section if report.path_choice else None
    for section in report.sections:  # the closing block's answers are in the training-path part
        assert (f"{section.number} {section.title}" in level2) is (section.id != closing)
    assert ("Vahvuudet" if lang == "fi" else "Strengths") in _styled(document, "Heading 3")


def test_tables(document: Document, lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    tables = document.tables
    assert len(tables) >= 10
    summary = tables[0]
    header = [cell.text for cell in summary.rows[0].cells]
    assert header == (["Nro", "Osio", "Pisteet", "Taso", "Seuraavaan tasoon", "Kattavuus"] if lang == "fi"
                      else ["No.", "Section", "Score", "Level", "To the next level", "Completeness"])
    assert len(summary.rows) == 1 + len(report.sections) + 1, "a header, the sections and the overall index"
    second = [cell.text for cell in summary.rows[2].cells]
    section = report.sections[1]
    assert second[:3] == [str(section.number), section.title, section.score]
    everything = {cell.text for table in tables for row in table.rows for cell in row.cells}
    assert report.finance is not None
    for ratio in report.finance.ratios:
        assert ratio.title in everything


def test_lists_emphasis_and_charts(document: Document, lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    numbered = _styled(document, "List Number")
    findings = len(report.summary.findings)
    assert numbered[:findings] == report.summary.findings
    step, owner = ("Ensimmäinen askel", "vastuu") if lang == "fi" else ("First step", "owner")
    assert numbered[findings:findings + 3] == [
        f"{rec.title} ({owner}: {rec.owner}, {rec.horizon}). {step}: {rec.first_step}"
        for rec in report.key_recommendations[:3]]
    assert _styled(document, "List Bullet")
    bold = {run.text for p in document.paragraphs for run in p.runs if run.bold}
    assert report.key_recommendations[0].title in bold
    italic = {run.text for p in document.paragraphs for run in p.runs if run.italic}
    assert any(text.startswith(("Kuvio", "Figure")) for text in italic)
    assert len(document.inline_shapes) == len(report.charts) == 2


def test_a4_page(document: Document) -> None:
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297


def test_the_memo_has_its_own_page_and_each_appendix_starts_a_new_one(document: Document, lang: str) -> None:
    starts = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    headings = chapters(example_report("small_manufacturer", lang))
    assert starts == [headings[1], *headings[len(CHAPTERS[lang]):]]


@pytest.mark.parametrize("company", COMPANIES)
def test_every_example_renders(company: str) -> None:
    document = _read(company, "fi")
    assert _styled(document, "Heading 1") == chapters(example_report(company, "fi"))
    assert document.tables


@pytest.mark.parametrize("company", COMPANIES)
def test_no_header_word_is_broken_by_a_narrow_column(company: str, lang: str) -> None:
    """Each column is at least as wide as its header's longest word in a bold 9.5 pt font (about
    0.22 cm a character for the DejaVu Sans LibreOffice falls back to) plus the cell margins:
    "Pisteet" never wraps as "Piste|et"."""
    for table in _read(company, lang).tables:
        header = table.rows[0].cells
        for cell in header:
            longest = max((len(word) for word in cell.text.split()), default=0)
            assert cell.width is not None
            assert cell.width.cm >= longest * 0.22 + 0.38, (cell.text, round(cell.width.cm, 2))
    assert sum(c.width.cm for c in _read(company, lang).tables[0].rows[0].cells if c.width) == \
        pytest.approx(18.0, abs=0.05), "the tables fill the text width"
