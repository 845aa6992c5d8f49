"""Rendering the written analysis: median time per format for the example companies.

Run: .venv/bin/python benchmarks/bench_report.py [--runs N]

Each run builds the report model from a scored Result and renders it (charts included)
as Markdown, HTML and DOCX in Finnish and English; the medians are per report.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import build_report, render_docx, render_html, render_markdown
from asiakasarvo_engine.scoring.program import load_program

ROOT = Path(__file__).resolve().parents[1]


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    program = load_program()
    rows = []
    for path in sorted((ROOT / "examples").glob("*.answers.yaml")):
        answers = load_answers(path, program.bank).answers
        result = analyse(program, answers)
        for lang in ("fi", "en"):
            build_report(result, answers, program, lang=lang)  # warm up templates and fonts
            report = build_report(result, answers, program, lang=lang)
            rows.append((path.name.split(".")[0], lang,
                         _median_ms(lambda r=result, a=answers, g=lang: build_report(r, a, program, lang=g),
                                    args.runs),
                         _median_ms(lambda r=report: render_markdown(r), args.runs),
                         _median_ms(lambda r=report: render_html(r), args.runs),
                         _median_ms(lambda r=report: render_docx(r), args.runs)))
    print(f"median ms of {args.runs} runs: report model, Markdown, HTML (with charts), DOCX (with charts)")
    for company, lang, model, md, html, docx in rows:
        print(f"  {company:<24} {lang}  model {model:7.1f}  md {md:6.1f}  html {html:6.1f}  docx {docx:7.1f}")
    for index, name in enumerate(("model", "md", "html", "docx"), start=2):
        print(f"all reports, {name}: median {statistics.median(r[index] for r in rows):.1f} ms")


if __name__ == "__main__":
    main()
