"""Recommendations with priority, horizon, owner and module; the development-plan skeleton."""

from __future__ import annotations

from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.escape import clean
from asiakasarvo_engine.report.model import HorizonGroup, MetricView, PlanView, RecommendationView
from asiakasarvo_engine.scoring.result import PlanEntry, PlanMetric, RecommendationResult

HORIZONS = ("0-3", "3-12", "12-36")


def _view(ctx: ReportContext, rec: RecommendationResult, titles: dict[str, str]) -> RecommendationView:
    section = ctx.result.sections.get(rec.section)
    rules = ctx.program.rules.rules.recommendations
    themes = rules.themes if rules is not None else {}
    return RecommendationView(
        rank=rec.rank, id=rec.id, key=rec.key, alert=rec.alert, title=clean(ctx.text(rec.title)),
        text=clean(ctx.text(rec.text)), first_step=clean(ctx.text(rec.first_step)),
        rationale=clean(ctx.text(rec.rationale)), priority=ctx.fmt.number(rec.priority, 2),
        horizon=str(ctx.words["horizon"][rec.horizon]), owner=str(ctx.words["owner"][rec.owner]),
        owner_reason=clean(ctx.text(rec.owner_reason)) if rec.owner_reason else None,
        module=clean(ctx.text(rec.module_title)),
        section=clean(ctx.text(section.title)) if section else rec.section,
        themes=[clean(ctx.text(themes[t])) if t in themes else t for t in rec.themes],
        requires=[titles[r] for r in rec.requires if r in titles])


def recommendation_views(ctx: ReportContext) -> list[RecommendationView]:
    """All recommendations that fired, in rank order."""
    recs = ctx.result.recommendations
    if recs is None:
        return []
    titles = {rec.id: clean(ctx.text(rec.title)) for rec in recs.items}
    return [_view(ctx, rec, titles) for rec in recs.items]


def by_horizon(views: list[RecommendationView], ctx: ReportContext) -> list[HorizonGroup]:
    """The recommendations grouped by time horizon (empty horizons left out)."""
    recs = ctx.result.recommendations
    if recs is None:
        return []
    by_id = {view.id: view for view in views}
    groups = []
    for horizon in HORIZONS:
        items = [by_id[rid] for rid in recs.by_horizon.get(horizon, []) if rid in by_id]
        if items:
            groups.append(HorizonGroup(str(ctx.words["horizon"][horizon]), items))
    return groups


def _metric(ctx: ReportContext, metric: PlanMetric) -> MetricView:
    baseline = metric.baseline
    if isinstance(baseline, float):
        shown = ctx.fmt.plain(round(baseline, 1))
    else:
        shown = clean(baseline) if baseline else ctx.fmt.missing
    target = ctx.fmt.plain(metric.target) if metric.target is not None else ""
    return MetricView(clean(ctx.text(metric.title)), clean(ctx.text(metric.unit)) if metric.unit else "",
                      shown, target)


def _plan_entry(ctx: ReportContext, entry: PlanEntry, view: RecommendationView) -> PlanView:
    return PlanView(
        recommendation=view, goal=clean(ctx.text(entry.goal)), owner=str(ctx.words["owner"][entry.owner]),
        metrics=[_metric(ctx, m) for m in entry.metrics],
        responsible_person=clean(entry.responsible_person) if entry.responsible_person else None,
        deadline=ctx.fmt.date(entry.deadline) if entry.deadline else None)


def plan_views(ctx: ReportContext, views: list[RecommendationView]) -> list[PlanView]:
    """The development-plan skeleton: a goal and its metrics per chosen recommendation."""
    recs = ctx.result.recommendations
    if recs is None:
        return []
    by_id = {view.id: view for view in views}
    return [_plan_entry(ctx, entry, by_id[entry.recommendation]) for entry in recs.plan
            if entry.recommendation in by_id]
