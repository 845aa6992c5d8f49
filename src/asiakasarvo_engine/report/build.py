"""``build_report``: the Result, the answers and the bank texts as a report model in one language."""

from __future__ import annotations

from collections.abc import Mapping

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.report.branding import Branding
from asiakasarvo_engine.report.build_appendix import appendix
from asiakasarvo_engine.report.build_finance import de_minimis, finance
from asiakasarvo_engine.report.build_path import path_choice
from asiakasarvo_engine.report.build_recommendations import (
    body_views,
    by_module,
    by_quarter,
    key_views,
    more_views,
    plan_metrics,
    plan_views,
    recommendation_views,
)
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
    Summary,
)
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Pin, Result, SectionStatus
from asiakasarvo_engine.session.written import WrittenAnalysis, named_recommendations

OVERALL = "overall"
"""The key of an override of the overall level."""
_RADAR_MIN_SPOKES = 3
_HASH_SHOWN = 12
_FINDINGS_WEAKEST = 2


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


def _findings(ctx: ReportContext, sections: list[SectionView]) -> list[str]:
    """Three findings from the scores: the strongest section and the two weakest."""
    scored = sorted((s for s in sections
                     if s.status == SectionStatus.SCORED.value and s.score_value is not None),
                    key=lambda s: (s.score_value or 0.0, s.number))
    if not scored:
        return []

    def line(key: str, view: SectionView) -> str:
        level = f"{view.level.number} {view.level.name}" if view.level else ctx.fmt.missing
        return str(ctx.words[key]).format(title=view.title, score=view.score, level=level)

    strongest = scored[-1]
    return [line("finding_strongest", strongest)] + [
        line("finding_weakest", view) for view in scored[:_FINDINGS_WEAKEST] if view is not strongest]


def _summary(ctx: ReportContext, sections: list[SectionView]) -> Summary:
    written = ctx.written

    def texts(name: str) -> list[str]:
        return [clean(text) for text in written.summary(name) or []]

    overall = written.summary("overall")
    findings = texts("findings")
    return Summary(
        overall=clean(overall) if overall else None, findings=findings or _findings(ctx, sections),
        proposals=texts("proposals"), strengths=texts("strengths"), weaknesses=texts("weaknesses"),
        opportunities=texts("opportunities"), threats=texts("threats"), findings_by_advisor=bool(findings))


def _stale(ctx: ReportContext) -> list[str]:
    """A warning per edit that names a recommendation these rules did not fire."""
    recs = ctx.result.recommendations
    fired = {rec.id for rec in recs.items} if recs is not None else set()
    return [str(ctx.words["stale_edit"]).format(
        path=clean(edit.path), ids=", ".join(sorted(named_recommendations(edit.path, edit.value) - fired)))
        for edit in ctx.written.stale(fired)]


def _check_overrides(result: Result, overrides: Mapping[str, LevelOverride]) -> None:
    known = {*result.sections, OVERALL}
    for key in overrides:
        if key not in known:
            msg = f"override for unknown section {key!r}; one of {', '.join(sorted(known))}"
            raise ValueError(msg)


def _with_summary_level(overrides: dict[str, LevelOverride], written: WrittenAnalysis) -> None:
    """The advisor's overall level of the summary, unless an override of the overall level stands."""
    level = written.summary("level")
    if level is None or OVERALL in overrides:
        return
    edit = written.edits["/summary/level"]
    overrides[OVERALL] = LevelOverride(int(level), written.summary("level_reason") or "", edit.author)


def build_report(result: Result, answers: Mapping[str, AnswerEntry], program: ScoringProgram, *,
                 lang: str = "fi", overrides: Mapping[str, LevelOverride] | None = None,
                 written: WrittenAnalysis | None = None, advisor_appendix: bool = False,
                 final: bool = False, branding: Branding | None = None) -> Report:
    """The report model of a scored analysis in ``lang`` (``fi`` or ``en``).

    ``answers`` are the answers the result was scored from (notes, authors and the
    advisor's written assessment come from them); ``overrides`` are the advisor's own
    levels by section id (or ``"overall"``), shown beside the computed ones; ``written``
    holds the advisor's edits of the written analysis (summary, chosen recommendations and
    their texts, the plan). The client version leaves the priority figures and all answers
    out; ``advisor_appendix`` adds them. A report is a draft (marked on every page) until
    ``final``. ``branding`` names the organisation on the cover and adds its logo.
    """
    chosen = dict(overrides or {})
    _check_overrides(result, chosen)
    edits = written or WrittenAnalysis()
    _with_summary_level(chosen, edits)
    ctx = ReportContext(result, answers, program, lang, chosen, edits)
    levels = [view for view in (ctx.level(info) for info in result.levels) if view is not None]
    sections = section_views(ctx)
    recommendations = recommendation_views(ctx)
    body = body_views(ctx, recommendations)
    overall = _overall(ctx)
    plan = plan_views(ctx, recommendations)
    return Report(
        lang=lang, cover=_cover(ctx), overall=overall, levels=levels, sections=sections,
        charts=_charts(ctx, sections, levels, overall), summary=_summary(ctx, sections),
        key_recommendations=key_views(ctx, recommendations), recommendations=recommendations,
        body_recommendations=body, more_recommendations=more_views(ctx, recommendations, body),
        path=by_module(ctx, body, every_module=True),
        plan=plan, plan_quarters=by_quarter(plan), plan_metrics=plan_metrics(plan),
        plan_version=(edits.plan_versions or ["v0"])[-1],
        finance=finance(ctx), de_minimis=de_minimis(ctx), appendix=appendix(ctx),
        warnings=[clean(ctx.text(w)) for w in result.warnings] + _stale(ctx),
        advisor_appendix=advisor_appendix, final=final,
        organisation=clean(name) if branding and (name := branding.name(lang)) else None,
        logo=branding.logo if branding else None, logo_type=branding.logo_type if branding else None,
        path_choice=path_choice(ctx))
