"""Recommendations with horizon, owner and module, the advisor's edits applied; the body, the
appendix by module, the path proposal and the development plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.escape import clean
from asiakasarvo_engine.report.model import (
    MetricView,
    ModuleGroup,
    PlanView,
    QuarterGroup,
    RecommendationView,
)
from asiakasarvo_engine.scoring.result import PlanEntry, PlanMetric, RecommendationResult
from asiakasarvo_engine.session.written import MAX_CHOSEN

MAX_BODY = MAX_CHOSEN
"""At most this many recommendations in the client version's body; the rest go to an appendix."""
_HORIZON_START_MONTHS = {"0-3": 0, "3-12": 3, "12-36": 12}
_MONTHS_IN_QUARTER = 3


def _edited(ctx: ReportContext, rec: RecommendationResult, name: str, generated: Any) -> Any:
    value = ctx.written.recommendation(rec.id, name)
    return generated if value is None else value


def _key_ids(ctx: ReportContext) -> list[str] | None:
    """The key recommendations when the advisor chose the client's ones (the first as many as
    the rules make key), else None (the engine's key ones stand)."""
    chosen = ctx.written.chosen
    rules = ctx.program.rules.rules.recommendations
    if chosen is None or rules is None:
        return None
    recs = ctx.result.recommendations
    fired = {rec.id for rec in recs.items} if recs is not None else set()
    return [rid for rid in chosen if rid in fired][:rules.key_count]


def _view(ctx: ReportContext, rec: RecommendationResult, titles: dict[str, str],
          key_ids: list[str] | None) -> RecommendationView:
    section = ctx.result.sections.get(rec.section)
    rules = ctx.program.rules.rules.recommendations
    themes = rules.themes if rules is not None else {}
    owner = _edited(ctx, rec, "owner", rec.owner)
    horizon = _edited(ctx, rec, "horizon", rec.horizon)
    return RecommendationView(
        rank=rec.rank, id=rec.id, key=rec.key if key_ids is None else rec.id in key_ids, alert=rec.alert,
        title=titles[rec.id], text=clean(_edited(ctx, rec, "text", ctx.text(rec.text))),
        first_step=clean(_edited(ctx, rec, "first_step", ctx.text(rec.first_step))),
        rationale=clean(ctx.text(rec.rationale)), priority=ctx.fmt.number(rec.priority, 2),
        horizon=str(ctx.words["horizon"][horizon]), horizon_id=horizon, owner=str(ctx.words["owner"][owner]),
        owner_reason=clean(ctx.text(rec.owner_reason)) if rec.owner_reason and owner == rec.owner else None,
        module=clean(ctx.text(rec.module_title)),
        section=clean(ctx.text(section.title)) if section else rec.section,
        themes=[clean(ctx.text(themes[t])) if t in themes else t for t in rec.themes],
        requires=[titles[r] for r in rec.requires if r in titles])


def recommendation_views(ctx: ReportContext) -> list[RecommendationView]:
    """All recommendations that fired, in rank order, with the advisor's edits."""
    recs = ctx.result.recommendations
    if recs is None:
        return []
    titles = {rec.id: clean(_edited(ctx, rec, "title", ctx.text(rec.title))) for rec in recs.items}
    key_ids = _key_ids(ctx)
    return [_view(ctx, rec, titles, key_ids) for rec in recs.items]


def key_views(ctx: ReportContext, views: list[RecommendationView]) -> list[RecommendationView]:
    """The key recommendations, in the advisor's order when they chose, else by rank."""
    key_ids = _key_ids(ctx)
    if key_ids is None:
        return [view for view in views if view.key]
    by_id = {view.id: view for view in views}
    return [by_id[rid] for rid in key_ids]


def body_views(ctx: ReportContext, views: list[RecommendationView]) -> list[RecommendationView]:
    """The client version's recommendations: the advisor's choice in their order (those that
    fired), else the first :data:`MAX_BODY` by rank."""
    chosen = ctx.written.chosen
    if chosen is None:
        return views[:MAX_BODY]
    by_id = {view.id: view for view in views}
    return [by_id[rid] for rid in chosen if rid in by_id][:MAX_BODY]


def _modules(ctx: ReportContext) -> dict[str, str]:
    rules = ctx.program.rules.rules.recommendations
    if rules is None:
        return {}
    return {number: clean(ctx.text(title)) for number, title in rules.modules.items()}


def _module_of(ctx: ReportContext) -> dict[str, str]:
    recs = ctx.result.recommendations
    if recs is None:
        return {}
    return {rec.id: "" if rec.module is None else str(rec.module) for rec in recs.items}


def by_module(ctx: ReportContext, views: list[RecommendationView], *,
              every_module: bool = False) -> list[ModuleGroup]:
    """``views`` grouped by the training-path module they point into, in module order
    (modules without any left out unless ``every_module``)."""
    module_of = _module_of(ctx)
    groups = []
    for number, title in sorted(_modules(ctx).items()):
        items = [view for view in views if module_of.get(view.id) == number]
        if items or every_module:
            groups.append(ModuleGroup(number, title, items))
    cross: dict[str, list[RecommendationView]] = {}  # cross-cutting themes, after the modules
    for view in views:
        if module_of.get(view.id) == "":
            cross.setdefault(view.module, []).append(view)
    groups.extend(ModuleGroup("", title, items) for title, items in cross.items())
    return groups


def more_views(ctx: ReportContext, views: list[RecommendationView],
               body: list[RecommendationView]) -> list[ModuleGroup]:
    """The recommendations left out of the body, by module (the client version's appendix)."""
    shown = {view.id for view in body}
    return by_module(ctx, [view for view in views if view.id not in shown])


def _history(ctx: ReportContext, rec: str, metric: str) -> str:
    """The target of ``metric`` in each plan version that changed it, when more than one did."""
    changes: list[tuple[str, float]] = []
    for version in ctx.written.plan_versions:
        target = ctx.written.plan(rec, version).metric_targets.get(metric)
        if target is not None and (not changes or changes[-1][1] != target):
            changes.append((version, target))
    if len(changes) < 2:
        return ""
    return " → ".join(f"{version} {ctx.fmt.plain(target)}" for version, target in changes)


def _metric(ctx: ReportContext, metric: PlanMetric, targets: dict[str, float], rec: str) -> MetricView:
    baseline = metric.baseline
    if isinstance(baseline, float):
        shown = ctx.fmt.plain(round(baseline, 1))
    else:
        shown = clean(baseline) if baseline else ctx.fmt.missing
    rules = ctx.program.rules.rules.recommendations
    known = rules.metrics.get(metric.id) if rules is not None else None
    suggested = known.suggested_target if known is not None else None
    target_value = targets.get(metric.id, metric.target)
    if target_value is None:
        target_value = suggested
    target = ctx.fmt.plain(target_value) if target_value is not None else ""

    def text(name: str) -> str:
        value = getattr(known, name, None)
        return clean(ctx.text(value)) if value else ""

    frequency = known.frequency if known is not None else None
    return MetricView(
        id=metric.id, title=clean(ctx.text(metric.title)),
        unit=clean(ctx.text(metric.unit)) if metric.unit else "", baseline=shown, target=target,
        target_suggested=metric.id not in targets and metric.target is None and suggested is not None,
        definition=text("definition"), formula=text("formula"), source=text("source"),
        frequency=str(ctx.words["frequency"][frequency.value]) if frequency else "",
        history=_history(ctx, rec, metric.id))


def plan_metrics(plan: list[PlanView]) -> list[MetricView]:
    """Every metric of the plan once, in the order the goals first name it."""
    seen: dict[str, MetricView] = {}
    for entry in plan:
        for metric in entry.metrics:
            seen.setdefault(metric.id, metric)
    return list(seen.values())


def suggested_quarter(analysis_date: str | None, horizon: str) -> str | None:
    """The quarter (``YYYY-Qn``) a goal of ``horizon`` starts in, counted from the analysis
    date (0-3 months: the date's quarter; 3-12: three months on; 12-36: a year on)."""
    if not analysis_date:
        return None
    try:
        day = date.fromisoformat(analysis_date[:10])
    except ValueError:
        return None
    year, month = divmod(day.year * 12 + day.month - 1 + _HORIZON_START_MONTHS.get(horizon, 0), 12)
    return f"{year}-Q{month // _MONTHS_IN_QUARTER + 1}"


def _quarter_label(ctx: ReportContext, quarter: str) -> str:
    year, number = quarter.split("-Q")
    return str(ctx.words["quarter"]).format(year=year, quarter=number)


def _plan_entry(ctx: ReportContext, entry: PlanEntry, view: RecommendationView) -> PlanView:
    edits = ctx.written.plan(entry.recommendation)
    person = edits.responsible_person or entry.responsible_person
    deadline = edits.deadline or entry.deadline
    quarter = edits.quarter or suggested_quarter(ctx.result.date, view.horizon_id)
    return PlanView(
        recommendation=view, goal=clean(edits.goal or ctx.text(entry.goal)),
        owner=view.owner, metrics=[_metric(ctx, m, dict(edits.metric_targets), entry.recommendation)
                                  for m in entry.metrics],
        responsible_person=clean(person) if person else None,
        deadline=ctx.fmt.date(deadline) if deadline else None,
        quarter=_quarter_label(ctx, quarter) if quarter else None, quarter_key=quarter,
        quarter_by_advisor=edits.quarter is not None)


def by_quarter(plan: list[PlanView]) -> list[QuarterGroup]:
    """The plan's goals by the quarter they start in, earliest first (goals without one last)."""
    placed: dict[str, list[PlanView]] = {}
    for entry in plan:
        placed.setdefault(entry.quarter_key or "", []).append(entry)
    unplaced = placed.pop("", [])
    groups = [QuarterGroup(goals[0].quarter or key, goals) for key, goals in sorted(placed.items())]
    return groups + ([QuarterGroup("", unplaced)] if unplaced else [])


def plan_views(ctx: ReportContext, views: list[RecommendationView]) -> list[PlanView]:
    """The development plan: a goal and its metrics per key recommendation (in the key
    recommendations' order), the advisor's latest plan version applied."""
    recs = ctx.result.recommendations
    if recs is None:
        return []
    entries = {entry.recommendation: entry for entry in recs.plan}
    return [_plan_entry(ctx, entries[view.id], view) for view in key_views(ctx, views) if view.id in entries]
