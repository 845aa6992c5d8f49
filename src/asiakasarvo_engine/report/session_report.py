"""The report of an interview session: its answers, the advisor's levels and written analysis."""

from __future__ import annotations

from dataclasses import replace

from asiakasarvo_engine.report.branding import Branding
from asiakasarvo_engine.report.build import build_report
from asiakasarvo_engine.report.build_appendix import extended_open
from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.model import LevelOverride, Report
from asiakasarvo_engine.session.interview import Interview


def session_report(interview: Interview, *, lang: str, advisor_appendix: bool = False,
                   final: bool = False, branding: Branding | None = None) -> Report:
    """The report model of ``interview`` as it stands (finished or not) in ``lang``, with the
    advisor's level overrides and every edit of the written analysis applied (a draft until
    ``final``); the advisor appendix lists the extended questions a core agenda left open."""
    overrides = {section: LevelOverride(o.level, o.justification, o.author)
                 for section, o in interview.overrides.items()}
    result = interview.result()
    report = build_report(result, interview.answers, interview.program, lang=lang,
                          overrides=overrides, written=interview.written, advisor_appendix=advisor_appendix,
                          final=final, branding=branding)
    if not advisor_appendix or not interview.not_asked:
        return report
    ctx = ReportContext(result, interview.answers, interview.program, lang, overrides,
                        interview.written)
    return replace(report, extended_open=extended_open(ctx, interview.not_asked))

