"""Rendering the written analysis: median time per format for the example companies.

Run: .venv/bin/python benchmarks/bench_report.py [--runs N]

The charts are drawn once per chart content and cached (``report.charts``), so that the HTML,
PDF and DOCX of one report share them. So that the cache does not flatter the figures, every
timed render starts cold: the chart cache is emptied and a fresh report model is built (neither
timed) before each run. Printed medians, per example company and language:

* ``model``: building the report model from a scored Result;
* ``md``, ``html``, ``docx``: the first render of a fresh report in that one format, charts
  drawn from scratch (HTML draws them as SVG, DOCX as PNG);
* ``all``: one fresh report rendered to Markdown, HTML and DOCX in turn, as a server or the CLI
  writing every format does: each chart is drawn once, for the HTML, and only saved again as PNG.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import build_report, render_docx, render_html, render_markdown
from asiakasarvo_engine.report.charts import clear_chart_cache
from asiakasarvo_engine.report.model import Report
from asiakasarvo_engine.scoring.program import load_program

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("model", "md", "html", "docx", "all")


def _median_ms(action: Callable[[], object], runs: int, prepare: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(runs):
        if prepare is not None:
            prepare()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _cold(fresh: Callable[[], Report], render: Callable[[Report], object], runs: int) -> float:
    """Median of ``render`` of a fresh report model with an empty chart cache (untimed set-up)."""
    holder: list[Report] = []

    def prepare() -> None:
        clear_chart_cache()
        holder[:] = [fresh()]

    return _median_ms(lambda: render(holder[0]), runs, prepare)


def _all_formats(report: Report) -> None:
    render_markdown(report)
    render_html(report)
    render_docx(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    program = load_program()
    rows: list[tuple[str, str, list[float]]] = []
    for path in sorted((ROOT / "examples").glob("*.answers.yaml")):
        answers = load_answers(path, program.bank).answers
        result = analyse(program, answers)
        for lang in ("fi", "en"):
            fresh = partial(build_report, result, answers, program, lang=lang)
            _all_formats(fresh())  # warm up imports, templates and fonts (not the chart cache)
            rows.append((path.name.split(".")[0], lang, [
                _median_ms(fresh, args.runs),
                _cold(fresh, render_markdown, args.runs),
                _cold(fresh, render_html, args.runs),
                _cold(fresh, render_docx, args.runs),
                _cold(fresh, _all_formats, args.runs),
            ]))
    print(f"median ms of {args.runs} runs, each a fresh report model with an empty chart cache:")
    print("  model = building the report; md, html, docx = its first render in that format alone;")
    print("  all = the same report rendered to Markdown, HTML and DOCX in turn (charts drawn once)")
    for company, lang, medians in rows:
        cells = "".join(f"  {name} {value:6.1f}" for name, value in zip(COLUMNS, medians, strict=True))
        print(f"  {company:<24} {lang}{cells}")
    for index, name in enumerate(COLUMNS):
        print(f"all reports, {name}: median {statistics.median(r[2][index] for r in rows):.1f} ms")


if __name__ == "__main__":
    main()
