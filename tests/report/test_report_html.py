"""The HTML report parsed and checked for its structure (issue 8 items 1, 3 and 5)."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest
from html_outline import outline
from report_fixtures import COMPANIES, chapters, example_html, example_report


@pytest.fixture(scope="module", params=["fi", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_one_standalone_document_with_print_css(lang: str) -> None:
    html = example_html("small_manufacturer", lang)
    doc = outline(html)
    assert doc.declarations == ["DOCTYPE html"]
    assert doc.all("html")[0].attrs["lang"] == lang
    assert doc.texts("title") == ["Asiakasarvoanalyysi: Konepaja Lehtoranta Oy" if lang == "fi"
                                  else "Customer-value analysis: Konepaja Lehtoranta Oy"]
    style = doc.texts("style")
    assert len(style) == 1
    assert "@media print" in style[0]
    assert "@page" in style[0]
    assert "size: A4" in style[0]
    assert not doc.all("link"), "no external stylesheet"
    assert not doc.all("script")
    csp = [m.attrs["content"] for m in doc.all("meta")
           if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]


def test_headings_follow_the_report_outline(lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    doc = outline(example_html("small_manufacturer", lang))
    assert len(doc.all("h1")) == 1
    assert doc.texts("h2") == chapters(report)
    h3 = doc.texts("h3")
    closing = report.path_choice.section if report.path_choice else None
    for section in report.sections:  # the closing block's answers are in the training-path part
        assert (f"{section.number} {section.title}" in h3) is (section.id != closing)
    for number, rec in enumerate(report.body_recommendations, start=1):
        assert f"{number}. {rec.title}" in h3
    for module in report.more_recommendations:
        assert module.title in h3


def test_tables_have_header_rows_and_section_rows(lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    html = example_html("small_manufacturer", lang)
    doc = outline(html)
    assert len(doc.all("table")) == len(doc.all("thead")) >= 10
    summary = html.split("<table>", 2)[1].split("</table>", 1)[0]
    rows = outline(summary).all("tr")
    assert len(rows) == 1 + len(report.sections) + 1, "a header, the sections and the overall index"
    for section in report.sections:
        assert section.title in summary
        if section.status == "scored":
            assert section.score in summary


def test_charts_are_embedded_svg_with_title_and_table(lang: str) -> None:
    report = example_report("small_manufacturer", lang)
    doc = outline(example_html("small_manufacturer", lang))
    images = doc.all("img")
    assert [img.attrs["alt"] for img in images] == [chart.title for chart in report.charts]
    assert len(images) == 2
    for img in images:
        assert img.attrs["class"] == "chart"
        prefix = "data:image/svg+xml;base64,"
        assert img.attrs["src"].startswith(prefix)
        svg = ET.fromstring(base64.b64decode(img.attrs["src"][len(prefix):]))
        assert svg.tag.endswith("svg")
    body = doc.body_text
    for chart in report.charts:
        for point in chart.points:
            assert point.shown in body


@pytest.mark.parametrize("company", COMPANIES)
def test_every_example_renders(company: str, lang: str) -> None:
    doc = outline(example_html(company, lang))
    assert doc.texts("h2") == chapters(example_report(company, lang))
    assert not doc.comments
