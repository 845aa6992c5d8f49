"""Shared helpers of the report tests: the shipped program and the example companies' reports (cached)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from asiakasarvo_engine.bank.answers_load import LoadedAnswers, load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import Report, build_report, render_docx, render_html
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company, Result

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CHAPTERS = {
    "fi": ["Yhteenveto hallitukselle", "Osioiden kypsyys", "Osioiden arviot", "Taloudelliset tunnusluvut",
           "Toimenpidesuositukset", "Kehittämissuunnitelma", "Ehdotettu koulutuspolku",
           "De minimis -ilmoitus"],
    "en": ["Summary for the board", "Maturity by section", "Section assessments", "Financial key figures",
           "Recommendations", "Development plan", "Proposed training path", "De minimis statement"],
}
"""The level-2 headings (HTML ``h2``, DOCX "Heading 1") of every client version, in order."""
MORE = {"fi": "Liite: muut suositukset koulutusmoduuleittain",
        "en": "Appendix: other recommendations by training module"}
ADVISOR = {"fi": "Hallitusasiantuntijan liite", "en": "The advisor's appendix"}


def chapters(report: Report) -> list[str]:
    """The level-2 headings of ``report``: the client version's, then its appendices."""
    return [*CHAPTERS[report.lang], *([MORE[report.lang]] if report.more_recommendations else []),
            *([ADVISOR[report.lang]] if report.advisor_appendix else [])]


COMPANIES = sorted(p.name.removesuffix(".answers.yaml") for p in EXAMPLES.glob("*.answers.yaml"))


@cache
def shipped_program() -> ScoringProgram:
    """The shipped bank and rules, compiled once for the whole run."""
    return load_program()


@cache
def example(company: str) -> tuple[LoadedAnswers, Result]:
    """An example company's answers and its scored result with recommendations."""
    program = shipped_program()
    loaded = load_answers(EXAMPLES / f"{company}.answers.yaml", program.bank)
    meta = loaded.file
    who = Company(name=meta.company.name, business_id=meta.company.business_id) if meta.company else None
    return loaded, analyse(program, loaded.answers, company=who, date=meta.date, advisor=meta.advisor)


@cache
def example_report(company: str, lang: str) -> Report:
    """An example company's report in ``lang``."""
    loaded, result = example(company)
    return build_report(result, loaded.answers, shipped_program(), lang=lang)


@cache
def example_html(company: str, lang: str) -> str:
    """An example company's report as HTML."""
    return render_html(example_report(company, lang))


@cache
def example_docx(company: str, lang: str) -> bytes:
    """An example company's report as DOCX bytes."""
    return render_docx(example_report(company, lang))


def styled_paragraphs(document: Any) -> list[tuple[str, str]]:
    """``(style name, text)`` of every body paragraph (python-docx's per-paragraph lookup is slow)."""
    names = {style.style_id: style.name for style in document.styles}
    default = "Normal"
    return [(names.get(p._p.style, default) if p._p.style else default, p.text) for p in document.paragraphs]
