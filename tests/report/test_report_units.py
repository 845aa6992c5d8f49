"""Number and date formats per language, Markdown escaping, the sandbox and the charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from report_fixtures import example, example_report

from asiakasarvo_engine.report import chart_png, chart_svg
from asiakasarvo_engine.report.environment import environment
from asiakasarvo_engine.report.escape import escape_markdown, paragraphs
from asiakasarvo_engine.report.formats import Formats
from asiakasarvo_engine.report.words import words

NBSP = "\u00a0"
FI, EN = Formats("fi"), Formats("en")


def test_finnish_numbers() -> None:
    assert FI.number(1234567.891, 2) == f"1{NBSP}234{NBSP}567,89"
    assert FI.number(-7.96) == "\u22128,0"
    assert FI.number(-0.04) == "0,0"
    assert FI.percent(48) == f"48,0{NBSP}%"
    assert FI.share(0.98) == f"98{NBSP}%"
    assert FI.money(Decimal(23400)) == f"23{NBSP}400{NBSP}€"
    assert FI.plain(34) == "34"
    assert FI.plain(2.5) == "2,5"
    assert FI.number(None) == "–"


def test_english_numbers() -> None:
    assert EN.number(1234567.891, 2) == "1,234,567.89"
    assert EN.percent(48) == "48.0%"
    assert EN.money(23400) == f"EUR{NBSP}23,400"
    assert EN.plain(0.25) == "0.25"


def test_dates() -> None:
    assert FI.date("2026-10-21") == "21.10.2026"
    assert FI.date("2026-03-05T10:00:00+02:00") == "5.3.2026"
    assert EN.date("2026-10-21") == "21 October 2026"
    assert FI.date("not a date") == "not a date"
    assert FI.date(None) == "–"


def test_event_times_are_shown_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Helsinki")
    time.tzset()
    try:
        assert FI.moment("2026-11-27T17:47:31.98Z") == "27.11.2026 klo 19.47"
        assert EN.moment("2026-07-01T06:05:00Z") == "1 July 2026 09:05"  # summer time
        assert FI.moment("2026-12-31T22:30:00Z") == "1.1.2027 klo 0.30"
        assert FI.moment("nonsense") == "nonsense" and FI.moment(None) == "–"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(("text", "escaped"), [
    ("<script>", r"\<script\>"),
    ("[a](javascript:x)", r"\[a\](javascript:x)"),
    ("![i](http://e/x.png)", r"!\[i\](http://e/x.png)"),
    ("# title", r"\# title"),
    ("- item", r"\- item"),
    ("1. first", r"1\. first"),
    ("2024. vuonna", r"2024\. vuonna"),
    ("21.10.2026", "21.10.2026"),
    ("a | b", r"a \| b"),
    ("&amp;", r"\&amp;"),
    ("two\n\nlines\there", "two lines here"),
    ("bell\x07 null\x00", "bell null"),
    (None, "–"),
])
def test_escape_markdown(text: str | None, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def test_paragraphs_split_at_blank_lines() -> None:
    assert paragraphs("one\nline\n\n  \ntwo\r\n\r\nthree") == ["one line", "two", "three"]
    assert paragraphs("") == []


def test_templates_are_sandboxed_and_strict() -> None:
    env = environment()
    with pytest.raises(UndefinedError):
        env.from_string("{{ no_such_name }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__ }}").render(x="")
    with pytest.raises(SecurityError):
        env.from_string("{% set _ = items.append(1) %}").render(items=[])
    assert env.from_string("**{{ x }}**").render(x="*not bold*") == r"**\*not bold\***"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_word_tables_have_the_same_keys(lang: str) -> None:
    assert set(words(lang)) == set(words("fi"))
    with pytest.raises(ValueError, match="no report templates"):
        words("sv")


def test_charts_are_deterministic_svg_without_dates() -> None:
    report = example_report("micro_family_firm", "fi")
    assert [c.id for c in report.charts] == ["radar", "bars"]
    for chart in report.charts:
        svg = chart_svg(chart)
        assert svg == chart_svg(chart)
        root = ET.fromstring(svg.encode("utf-8"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "<dc:date>" not in svg
        assert "asiakasarvo-engine" in svg
        assert chart_png(chart, dpi=50).startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_tables_hold_the_numbers() -> None:
    report = example_report("micro_family_firm", "en")
    bars = report.chart("bars")
    assert bars is not None
    assert bars.overall is not None
    assert bars.overall.title == "Overall index"
    scored = [s for s in report.sections if s.score_value is not None]
    assert [p.shown for p in bars.points] == [s.score for s in scored]
    assert bars.cutoffs == [level.min_score for level in example("micro_family_firm")[1].levels]
