"""The report's charts with matplotlib: a radar of the section scores and bars against the cut-offs.

Drawn on a bare :class:`~matplotlib.figure.Figure` (no pyplot, no global backend), with a
fixed SVG hash salt, no dates in the metadata and the bundled DejaVu Sans, so the same
chart gives the same bytes. SVG goes into HTML; PNG into DOCX.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

from asiakasarvo_engine.report.model import Chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LEVEL_COLOURS = ("#f3d3cf", "#f9e2c2", "#f6efc4", "#dcedcc", "#c5e4d3")
"""Background of the maturity levels 1-5, from warm to cool."""
BAR_COLOUR = "#1f4e79"
OVERALL_COLOUR = "#b5523b"
TEXT_COLOUR = "#222222"
_METADATA = {"svg": {"Date": None, "Creator": "asiakasarvo-engine"},
             "png": {"Software": None}}


def _level_colour(index: int) -> str:
    return LEVEL_COLOURS[min(index, len(LEVEL_COLOURS) - 1)]


def _radar(chart: Chart) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.6, 6.2))
    axes: Any = figure.add_subplot(projection="polar")
    count = len(chart.points)
    angles = [2 * math.pi * i / count for i in range(count)]
    values = [p.value for p in chart.points]
    bounds = [*chart.cutoffs[1:], 100.0]
    for index, (low, high) in enumerate(zip(chart.cutoffs, bounds, strict=True)):
        axes.bar(0, high - low, width=2 * math.pi, bottom=low, color=_level_colour(index), linewidth=0,
                 zorder=0)
    axes.plot([*angles, angles[0]], [*values, values[0]], color=BAR_COLOUR, linewidth=2, zorder=3)
    axes.fill([*angles, angles[0]], [*values, values[0]], color=BAR_COLOUR, alpha=0.18, zorder=2)
    axes.scatter(angles, values, color=BAR_COLOUR, s=18, zorder=4)
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.set_ylim(0, 100)
    axes.set_rgrids(chart.cutoffs[1:], labels=[f"{c:g}" for c in chart.cutoffs[1:]], angle=180 / count,
                    fontsize=7, color="#555555")
    axes.set_xticks(angles, labels=[p.label for p in chart.points])
    axes.tick_params(axis="x", pad=14)
    axes.grid(color="#ffffff", linewidth=0.8)
    axes.spines["polar"].set_color("#aaaaaa")
    figure.subplots_adjust(left=0.24, right=0.76, top=0.86, bottom=0.12)
    return figure


def _bars(chart: Chart) -> Figure:
    points = list(chart.points) + ([chart.overall] if chart.overall else [])
    height = 0.42 * len(points) + 1.4
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, height))
    axes: Any = figure.add_subplot()
    bounds = [*chart.cutoffs[1:], 100.0]
    for index, (low, high) in enumerate(zip(chart.cutoffs, bounds, strict=True)):
        axes.axvspan(low, high, color=_level_colour(index), linewidth=0, zorder=0)
        name = chart.levels[index].name if index < len(chart.levels) else ""
        axes.text((low + high) / 2, -0.75, f"{index + 1} {name}", ha="center", va="bottom", fontsize=6.5,
                  color="#555555")
    positions = list(range(len(points)))
    colours = [BAR_COLOUR] * len(chart.points) + ([OVERALL_COLOUR] if chart.overall else [])
    axes.barh(positions, [p.value for p in points], color=colours, height=0.6, zorder=2)
    for position, point in zip(positions, points, strict=True):
        axes.text(point.value + 1, position, point.shown, va="center", fontsize=8, zorder=3)
    axes.set_yticks(positions, labels=[p.label for p in points])
    axes.set_ylim(len(points) - 0.4, -1.0)
    axes.set_xlim(0, 100)
    axes.set_xticks([*chart.cutoffs, 100.0])
    axes.set_xlabel(chart.axis_label)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.subplots_adjust(left=0.3, right=0.97, top=0.97, bottom=0.62 / height)
    return figure


_DRAW = {"radar": _radar, "bars": _bars}


def _render(chart: Chart, fmt: str, dpi: int) -> bytes:
    import matplotlib as mpl  # imported on first use: it takes a noticeable moment

    with mpl.rc_context({
        "svg.hashsalt": "asiakasarvo-report", "svg.fonttype": "path", "font.family": "DejaVu Sans",
        "font.size": 9, "text.color": TEXT_COLOUR, "axes.edgecolor": "#888888",
        "axes.labelcolor": TEXT_COLOUR, "xtick.color": TEXT_COLOUR, "ytick.color": TEXT_COLOUR,
    }):
        figure = _DRAW[chart.id](chart)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return buffer.getvalue()


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (deterministic bytes)."""
    return _render(chart, "svg", 72).decode("utf-8")


def chart_png(chart: Chart, dpi: int = 150) -> bytes:
    """The chart as PNG, for DOCX."""
    return _render(chart, "png", dpi)
