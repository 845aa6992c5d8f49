"""``build_report``: the Result, the answers and the bank texts as a report model in one language."""

from __future__ import annotations

from collections.abc import Mapping

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.report.build_appendix import appendix
from asiakasarvo_engine.report.build_finance import de_minimis, finance
from asiakasarvo_engine.report.build_recommendations import by_horizon, plan_views, recommendation_views
from asiakasarvo_engine.report.build_sections import override_view, section_views
from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.escape import clean
from asiakasarvo_engine.report.model import (
    Chart,
    ChartPoint,
    Cover,
    LevelOverride,
    LevelView,
    Overall,
    Report,
    SectionView,
)
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Pin, Result

OVERALL = "overall"
"""The key of an override of the overall level."""
_RADAR_MIN_SPOKES = 3
_HASH_SHOWN = 12


def _pin(pin: Pin) -> str:
    return f"{pin.id} {pin.version} ({pin.hash[:len('sha256:') + _HASH_SHOWN]})"


def answered_business_id(program: ScoringProgram, answers: Mapping[str, AnswerEntry]) -> str | None:
    """The business id answered in the interview (the first answered item of type
    ``business_id``), for a cover or a session list whose start named none."""
    from asiakasarvo_engine.bank.answers import AnswerStatus
    from asiakasarvo_engine.bank.models import QuestionType

    for name, compiled in program.bank.items.items():
        entry = answers.get(name)
        if (compiled.item.type is QuestionType.BUSINESS_ID and entry is not None
                and entry.status is AnswerStatus.ANSWERED and isinstance(entry.value, str) and entry.value):
            return entry.value
    return None


def _cover(ctx: ReportContext) -> Cover:
    result = ctx.result
    business_id = result.company.business_id or answered_business_id(ctx.program, ctx.answers)
    company = result.company.name
    return Cover(
        title=str(ctx.words["title"]),
        company=clean(company) if company else None,
        business_id=clean(business_id) if business_id else None,
        date=ctx.fmt.date(result.date) if result.date else None,
        advisor=clean(result.advisor) if result.advisor else None,
        bank=_pin(result.bank), rules=_pin(result.rules), engine=result.engine_version)


def _overall(ctx: ReportContext) -> Overall:
    overall = ctx.result.overall
    computed = ctx.level(overall.level)
    override = override_view(ctx, OVERALL, computed)
    return Overall(
        status=overall.status.value, score=ctx.fmt.number(overall.score),
        level=override.level if override else computed,
        completeness=ctx.fmt.share(overall.completeness),
        gates=[clean(ctx.text(g.reason)) for g in overall.gates if g.applied], override=override)


def _to_next(ctx: ReportContext, score: float) -> str:
    above = [info.min_score for info in ctx.result.levels if info.min_score > score]
    return ctx.fmt.number(min(above) - score) if above else ctx.fmt.missing


def _point(ctx: ReportContext, label: str, title: str, score: float, level: LevelView | None, *,
           advisor: bool, capped: bool) -> ChartPoint:
    """A chart's point; the points to the next level only when the score decides the level
    (not when the advisor's assessment set it or a gate capped it)."""
    shown = ctx.fmt.number(score)
    if level is None:
        return ChartPoint(label, title, score, shown, ctx.fmt.missing, ctx.fmt.missing)
    name = f"{level.number} {level.name}"
    if advisor or capped:
        mark = ctx.words["level_by_advisor" if advisor else "level_capped"]
        return ChartPoint(label, title, score, shown, f"{name} ({mark})", ctx.fmt.missing)
    return ChartPoint(label, title, score, shown, name, _to_next(ctx, score))


def _charts(ctx: ReportContext, sections: list[SectionView], levels: list[LevelView],
            overall: Overall) -> list[Chart]:
    points = [_point(ctx, s.short_title, s.title, s.score_value, s.level, advisor=s.override is not None,
                     capped=bool(s.gates)) for s in sections if s.score_value is not None]
    if not points:
        return []
    cutoffs = [info.min_score for info in ctx.result.levels]
    axis = str(ctx.words["score_axis"])
    score = ctx.result.overall.score
    overall_point = None if score is None else _point(
        ctx, str(ctx.words["overall"]), str(ctx.words["overall"]), score, overall.level,
        advisor=overall.override is not None, capped=bool(overall.gates))
    charts = []
    if len(points) >= _RADAR_MIN_SPOKES:
        charts.append(Chart("radar", str(ctx.words["radar_title"]), points, levels, cutoffs, axis))
    charts.append(Chart("bars", str(ctx.words["bars_title"]), points, levels, cutoffs, axis, overall_point))
    return charts


def _check_overrides(result: Result, overrides: Mapping[str, LevelOverride]) -> None:
    known = {*result.sections, OVERALL}
    for key in overrides:
        if key not in known:
            msg = f"override for unknown section {key!r}; one of {', '.join(sorted(known))}"
            raise ValueError(msg)


def build_report(result: Result, answers: Mapping[str, AnswerEntry], program: ScoringProgram, *,
                 lang: str = "fi", overrides: Mapping[str, LevelOverride] | None = None) -> Report:
    """The report model of a scored analysis in ``lang`` (``fi`` or ``en``).

    ``answers`` are the answers the result was scored from (notes, authors and the
    advisor's written assessment come from them); ``overrides`` are the advisor's own
    levels by section id (or ``"overall"``), shown beside the computed ones.
    """
    chosen = dict(overrides or {})
    _check_overrides(result, chosen)
    ctx = ReportContext(result, answers, program, lang, chosen)
    levels = [view for view in (ctx.level(info) for info in result.levels) if view is not None]
    sections = section_views(ctx)
    recommendations = recommendation_views(ctx)
    overall = _overall(ctx)
    return Report(
        lang=lang, cover=_cover(ctx), overall=overall, levels=levels, sections=sections,
        charts=_charts(ctx, sections, levels, overall),
        key_recommendations=[r for r in recommendations if r.key],
        recommendations=recommendations, by_horizon=by_horizon(recommendations, ctx),
        plan=plan_views(ctx, recommendations), finance=finance(ctx), de_minimis=de_minimis(ctx),
        appendix=appendix(ctx), warnings=[clean(ctx.text(w)) for w in result.warnings])
