"""``asiakasarvo report``: an answers file or a session written as a report (HTML, Markdown, DOCX, PDF)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import FORMATS, Report, ReportFormat, build_report, write_report
from asiakasarvo_engine.report.branding import Branding, branding_from
from asiakasarvo_engine.report.markdown import render_markdown
from asiakasarvo_engine.report.render_html import render_html
from asiakasarvo_engine.report.session_report import session_report
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.lookup import is_reference, resolve_session
from asiakasarvo_engine.session.paths import open_store
from asiakasarvo_engine.session.store import Store

STDOUT = "-"


def report_from_answers(program: ScoringProgram, path: Path, lang: str, *, advisor_appendix: bool = False,
                        final: bool = False, branding: Branding | None = None) -> Report:
    """Load and check an answers file, score it with recommendations, and build its report."""
    loaded = load_answers(path, program.bank)
    meta = loaded.file
    company = Company(name=meta.company.name, business_id=meta.company.business_id) if meta.company else None
    result = analyse(program, loaded.answers, company=company, date=meta.date, advisor=meta.advisor)
    return build_report(result, loaded.answers, program, lang=lang, advisor_appendix=advisor_appendix,
                        final=final, branding=branding)


def report_from_session(program: ScoringProgram, store: Store, session_id: str, lang: str, *,
                        advisor_appendix: bool = False, final: bool = False,
                        branding: Branding | None = None) -> Report:
    """The report of a stored session: its answers, notes, the advisor's overrides and edits."""
    interview = Interview.open(program, store, session_id)
    return session_report(interview, lang=lang, advisor_appendix=advisor_appendix, final=final,
                          branding=branding)


def default_output(source: Path, fmt: str, lang: str) -> Path:
    """``<answers file stem>.<lang>.<fmt>`` in the current folder (``x.answers.yaml`` -> ``x``)."""
    stem = source.name.split(".")[0] or "report"
    return Path(f"{stem}.{lang}.{fmt}")


def _format(fmt: str) -> ReportFormat:
    for known in FORMATS:
        if fmt == known:
            return known
    msg = f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}"
    raise click.BadParameter(msg, param_hint="--format")


def run_report(program: ScoringProgram, source: Path, fmt: str, lang: str,
               output: str | None, *, store_path: str | None = None,
               advisor_appendix: bool = False, final: bool = False,
               branding_path: str | None = None) -> list[Path]:
    """Write the report of ``source`` (an answers file, or a session id in the store);
    ``output`` ``-`` prints Markdown or HTML to stdout."""
    branding = branding_from(branding_path)
    if source.exists():
        report = report_from_answers(program, source, lang, advisor_appendix=advisor_appendix, final=final,
                                     branding=branding)
    elif is_reference(str(source)):
        store = open_store(store_path, readonly=True)
        try:
            report = report_from_session(program, store, resolve_session(store, str(source), lang), lang,
                                         advisor_appendix=advisor_appendix, final=final, branding=branding)
        finally:
            store.close()
    else:
        msg = f"{source}: no such answers file, and not a session id"
        raise click.BadParameter(msg, param_hint="SOURCE")
    if output == STDOUT:
        if fmt in {"docx", "pdf"}:
            raise click.BadParameter(f"{fmt.upper()} cannot go to stdout; give a file path", param_hint="-o")
        text = render_html(report) if fmt == "html" else render_markdown(report)
        sys.stdout.write(text)
        return []
    target = Path(output) if output else default_output(source, fmt, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_report(report, _format(fmt), target)
