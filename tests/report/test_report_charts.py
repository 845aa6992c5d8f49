"""The charts: drawn once per chart content and shared by the formats, with the same bytes every time."""

from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from PIL import Image
from report_fixtures import example_report

from asiakasarvo_engine.report import chart_png, chart_svg, charts, render_docx, render_html
from asiakasarvo_engine.report.model import Chart


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How often each chart kind's figure is drawn, from an empty cache (emptied again after)."""
    counts: Counter[str] = Counter()

    def counting(kind: str, draw: Callable[[Chart], object]) -> Callable[[Chart], object]:
        def wrapper(chart: Chart) -> object:
            counts[kind] += 1
            return draw(chart)
        return wrapper

    for kind, draw in list(charts._DRAW.items()):
        monkeypatch.setitem(charts._DRAW, kind, counting(kind, draw))
    charts.clear_chart_cache()
    yield counts
    charts.clear_chart_cache()


def test_the_same_chart_gives_the_same_bytes_drawn_afresh_and_in_either_order() -> None:
    report = example_report("micro_family_firm", "fi")
    for chart in report.charts:
        charts.clear_chart_cache()
        svg, png = chart_svg(chart), chart_png(chart)
        charts.clear_chart_cache()
        png_first = chart_png(chart)
        assert chart_svg(chart) == svg
        assert png_first == png
        assert chart_png(chart) == png  # and from the cache
        assert chart_svg(dataclasses.replace(chart)) == svg  # an equal chart, another object


def test_a_chart_drawn_for_html_is_not_drawn_again_for_docx(draws: Counter[str]) -> None:
    report = example_report("small_manufacturer", "en")
    render_html(report)
    assert draws == Counter({"radar": 1, "bars": 1})
    render_docx(report)
    render_html(report)
    assert draws == Counter({"radar": 1, "bars": 1})


def test_a_fresh_report_model_of_the_same_content_reuses_the_drawn_charts(draws: Counter[str]) -> None:
    first = example_report("medium_service_company", "fi")
    for chart in first.charts:
        chart_svg(chart)
    again = [dataclasses.replace(c, points=list(c.points), cutoffs=list(c.cutoffs)) for c in first.charts]
    for chart in again:
        chart_png(chart)
    assert draws == Counter({"radar": 1, "bars": 1})


def test_different_charts_do_not_share_a_cache_entry(draws: Counter[str]) -> None:
    report = example_report("micro_family_firm", "en")
    bars = report.chart("bars")
    assert bars is not None
    point = bars.points[0]
    moved = dataclasses.replace(bars, points=[dataclasses.replace(point, value=point.value / 2),
                                              *bars.points[1:]])
    retitled = dataclasses.replace(bars, axis_label=bars.axis_label + " (2)")
    images = {chart_svg(chart) for chart in (bars, moved, retitled)}
    assert len(images) == 3
    assert draws == Counter({"bars": 3})
    other_language = example_report("micro_family_firm", "fi").chart("bars")
    assert other_language is not None
    assert chart_svg(other_language) not in images
    assert draws == Counter({"bars": 4})


def test_the_cache_is_bounded(draws: Counter[str]) -> None:
    bars = example_report("micro_family_firm", "en").chart("bars")
    assert bars is not None
    charts_made = [dataclasses.replace(bars, axis_label=f"{bars.axis_label} {i}") for i in range(40)]
    for chart in charts_made:
        chart_png(chart, dpi=20)
    info = charts._drawn.cache_info()
    assert info.currsize == info.maxsize == 32
    chart_png(charts_made[0], dpi=20)  # long since dropped: drawn again
    assert draws == Counter({"bars": 41})


def test_svg_text_stays_text_in_a_sans_serif() -> None:
    report = example_report("micro_family_firm", "fi")
    radar = report.chart("radar")
    assert radar is not None
    root = ET.fromstring(chart_svg(radar).encode("utf-8"))
    texts = list(root.iter("{http://www.w3.org/2000/svg}text"))
    lines = {line for point in radar.points for line in point.label.split("\n")}
    assert lines <= {"".join(t.itertext()) for t in texts}
    assert all("'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif" in (t.get("style") or "")
               for t in texts)


def test_png_is_opaque_rgb_at_the_asked_resolution() -> None:
    bars = example_report("micro_family_firm", "en").chart("bars")
    assert bars is not None
    image = Image.open(io.BytesIO(chart_png(bars)))
    assert image.mode == "RGB"
    assert image.width == round(7.2 * 120)
    assert image.info["dpi"] == pytest.approx((120, 120), abs=0.1)
