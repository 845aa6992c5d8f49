"""Recommendations: which fire, how they rank, which are key, and the plan skeleton.

Ranking: alerts (warning signs) first, then the priority formula of the rules (an
expression over impact, effort, urgency, gap, section_score and level), ties broken by
urgency, impact, lower effort and id; superseded recommendations are dropped; when a
recommendation requires another one that also fired, the required one moves up to just
before it.

Owners: a recommendation names a role (owners, board, CEO, management team); a company
that lacks the role (``owner_roles`` of the rules: a sole trader has no board) gets the
role that replaces it, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.compiled import BankState
from asiakasarvo_engine.bank.expressions import to_json_logic
from asiakasarvo_engine.jsonlogic import CompiledRule, compile
from asiakasarvo_engine.jsonlogic._truthiness import is_number, truthy
from asiakasarvo_engine.recommend.path import SECTION as PATH_SECTION
from asiakasarvo_engine.recommend.path import path_choice
from asiakasarvo_engine.recommend.texts import fill, lookup
from asiakasarvo_engine.rules.models import (
    HorizonLimit,
    OwnerFallback,
    OwnerRole,
    Recommendation,
    RecommendationRules,
)
from asiakasarvo_engine.scoring.engine import score
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import (
    Company,
    DroppedRecommendation,
    PlanEntry,
    PlanMetric,
    RecommendationResult,
    Recommendations,
    Result,
    SectionStatus,
)

_HORIZONS = ("0-3", "3-12", "12-36")


@dataclass(frozen=True)
class RecommendProgram:
    """The recommendation rules with triggers, formula and baselines compiled."""

    rules: RecommendationRules
    triggers: tuple[tuple[Recommendation, CompiledRule], ...]
    priority: CompiledRule
    baselines: Mapping[str, CompiledRule]
    owner_roles: tuple[tuple[OwnerFallback, CompiledRule], ...] = ()
    horizon_limits: tuple[tuple[HorizonLimit, CompiledRule], ...] = ()


def compile_recommendations(rules: RecommendationRules) -> RecommendProgram:
    """Compile every trigger, the priority formula, the metric baselines and the owner roles."""
    return RecommendProgram(
        rules,
        tuple((rec, compile(to_json_logic(rec.when))) for rec in rules.items),
        compile(to_json_logic(rules.priority)),
        {metric_id: compile(to_json_logic(metric.baseline))
         for metric_id, metric in rules.metrics.items() if metric.baseline is not None},
        tuple((fallback, compile(to_json_logic(fallback.absent_if))) for fallback in rules.owner_roles),
        tuple((limit, compile(to_json_logic(limit.when))) for limit in rules.horizon_limits))


def limit_horizons(compiled: RecommendProgram, ordered: list[Recommendation], data: Any,
                   ) -> dict[str, HorizonLimit]:
    """The recommendations a horizon limit moves, by id, with the limit (its ``move_to``).

    Limits whose condition holds apply in order over the ranked list; within a horizon the
    highest-ranked keep their place, alerts are never moved but count towards the limit.
    """
    horizons = {rec.id: rec.horizon for rec in ordered}
    moved: dict[str, HorizonLimit] = {}
    for limit, rule in compiled.horizon_limits:
        if not truthy(rule(data)):
            continue
        kept = 0
        for rec in ordered:
            if horizons[rec.id] is not limit.horizon:
                continue
            if kept < limit.max or rec.alert:
                kept += 1
                continue
            horizons[rec.id] = limit.move_to
            moved[rec.id] = limit
    return moved


def resolve_owners(compiled: RecommendProgram, data: Any,
                   ) -> dict[OwnerRole, tuple[OwnerRole, list[OwnerFallback]]]:
    """Per role, who owns its recommendations at this company and the fallbacks that led there.

    The first fallback of a role whose ``absent_if`` holds applies; its replacement is
    looked up the same way, and a role already passed through ends the chain (lint
    refuses such cycles, this only keeps a bad rule set from looping).
    """
    absent: dict[OwnerRole, OwnerFallback] = {}
    for fallback, rule in compiled.owner_roles:
        if fallback.role not in absent and truthy(rule(data)):
            absent[fallback.role] = fallback
    resolved: dict[OwnerRole, tuple[OwnerRole, list[OwnerFallback]]] = {}
    for role in OwnerRole:
        current, path, seen = role, [], {role}
        while current in absent and absent[current].instead not in seen:
            path.append(absent[current])
            current = absent[current].instead
            seen.add(current)
        resolved[role] = (current, path)
    return resolved


def _owner_reason(path: list[OwnerFallback]) -> dict[str, str] | None:
    if not path:
        return None
    return {lang: "; ".join(step.reason[lang] for step in path if lang in step.reason)
            for lang in path[0].reason}


def result_data(result: Result) -> dict[str, Any]:
    """The ``result.*`` values a trigger reads: scores, levels, completeness, indicators."""
    sections = result.sections
    data: dict[str, Any] = {
        "scores": {sid: s.score for sid, s in sections.items()},
        "levels": {sid: s.level.level if s.level else None for sid, s in sections.items()},
        "completeness": {sid: s.completeness for sid, s in sections.items()},
        "overall": {"score": result.overall.score,
                    "level": result.overall.level.level if result.overall.level else None},
    }
    indicators = result.indicators
    if indicators is not None:
        data["ratios"] = {rid: r.value for rid, r in indicators.ratios.items()}
        data["bands"] = {rid: r.band for rid, r in indicators.ratios.items()}
        data["size_class"] = indicators.size_class.size_class
        data["fiscal_year"] = indicators.fiscal_year
        aid = indicators.de_minimis
        if aid is not None:
            data["de_minimis"] = {
                "exceeds_ceiling": aid.exceeds_ceiling,
                "headroom_after": None if aid.headroom_after is None else float(aid.headroom_after),
                "total_new_aid": float(aid.total_new_aid)}
    return data


_CROSS_CUTTING = {"fi": "Läpileikkaava teema: ", "en": "Cross-cutting theme: "}


def module_title(rules: RecommendationRules, rec: Recommendation) -> dict[str, str]:
    """The title of the module ``rec`` leads to, or of its cross-cutting theme (module null)."""
    if rec.module is not None:
        return dict(rules.modules[str(rec.module)])
    theme = rules.themes[rec.themes[0]]
    return {lang: _CROSS_CUTTING.get(lang, "") + text for lang, text in theme.items()}


def _gap(rules: RecommendationRules, section_score: float | None) -> float:
    gap = rules.gap
    if section_score is None:
        return gap.unscored
    return max(gap.minimum, min(1.0, (gap.target_score - section_score) / gap.target_score))


def _number(value: Any) -> float:
    return float(value) if is_number(value) else 0.0


def _order(fired: list[tuple[Recommendation, float]]) -> list[tuple[Recommendation, float]]:
    """Alerts first, then by priority; a prerequisite that also fired moves up before its dependant."""
    ranked = sorted(fired, key=lambda p: (not p[0].alert, -p[1], -p[0].urgency, -p[0].impact,
                                          p[0].effort, p[0].id))
    by_id = {rec.id: (rec, priority) for rec, priority in ranked}
    placed: list[tuple[Recommendation, float]] = []
    done: set[str] = set()

    def place(rec_id: str, visiting: frozenset[str]) -> None:
        if rec_id in done or rec_id in visiting:
            return
        rec, priority = by_id[rec_id]
        for required in rec.requires:
            if required in by_id:
                place(required, visiting | {rec_id})
        done.add(rec_id)
        placed.append((rec, priority))

    for rec, _ in ranked:
        place(rec.id, frozenset())
    return placed


def recommend(program: ScoringProgram, compiled: RecommendProgram, result: Result, state: BankState,
              *, plan_for: list[str] | None = None) -> Recommendations:
    """The ranked recommendations of a scored result (``state`` from the same answers)."""
    rules = compiled.rules
    data: dict[str, Any] = {**state.data, "result": result_data(result)}
    fired: list[tuple[Recommendation, float, dict[str, Any], dict[str, float | None]]] = []
    for rec, trigger in compiled.triggers:
        if not truthy(trigger(data)):
            continue
        section = result.sections.get(rec.section)
        section_score = section.score if section and section.status is SectionStatus.SCORED else None
        inputs: dict[str, float | None] = {
            "impact": rec.impact, "effort": rec.effort, "urgency": rec.urgency,
            "gap": round(_gap(rules, section_score), 4), "section_score": section_score,
            "level": section.level.level if section and section.level else None}
        priority = round(_number(compiled.priority(inputs)), 4)
        because = {name: lookup(data, name) for name in sorted(trigger.variables)}
        fired.append((rec, priority, because, inputs))
    superseded: dict[str, str] = {}
    fired_ids = {rec.id for rec, *_ in fired}
    for rec, *_ in fired:
        for other in rec.supersedes:
            if other in fired_ids:
                superseded.setdefault(other, rec.id)
    kept = [(rec, priority) for rec, priority, *_ in fired if rec.id not in superseded]
    owners = resolve_owners(compiled, data)
    details = {rec.id: (because, inputs) for rec, _, because, inputs in fired}
    ordered = _order(kept)
    bank = program.bank.loaded.bank
    items = {name: compiled_item.item for name, compiled_item in program.bank.items.items()}
    moved = limit_horizons(compiled, [rec for rec, _ in ordered], data)
    results: list[RecommendationResult] = []
    for rank, (rec, priority) in enumerate(ordered, start=1):
        because, inputs = details[rec.id]
        limit = moved.get(rec.id)
        horizon = rec.horizon if limit is None else limit.move_to
        results.append(RecommendationResult(
            id=rec.id, rank=rank, key=rank <= rules.key_count, priority=priority, section=rec.section,
            title={lang: fill(text, lang, data, items, bank) for lang, text in rec.title.items()},
            text={lang: fill(text, lang, data, items, bank) for lang, text in rec.text.items()},
            first_step={lang: fill(text, lang, data, items, bank) for lang, text in rec.first_step.items()},
            rationale=rec.rationale, source=rec.source, impact=rec.impact, effort=rec.effort,
            urgency=rec.urgency, module=rec.module, module_title=module_title(rules, rec),
            alert=rec.alert,
            themes=list(rec.themes), horizon=horizon.value,
            declared_horizon=None if limit is None else rec.horizon.value,
            horizon_reason=None if limit is None else limit.reason, owner=owners[rec.owner][0].value,
            declared_owner=rec.owner.value, owner_reason=_owner_reason(owners[rec.owner][1]),
            requires=[r for r in rec.requires if r in fired_ids and r not in superseded],
            fired_because=because, priority_inputs=inputs))
    key = [r.id for r in results if r.key]
    chosen = key if plan_for is None else plan_for
    by_id = {rec.id: rec for rec, _ in ordered}
    plan = [_plan_entry(compiled, by_id[rid], data, owners[by_id[rid].owner][0])
            for rid in chosen if rid in by_id]
    return Recommendations(
        formula=str(rules.priority), items=results, key=key,
        by_horizon={h: [r.id for r in results if r.horizon == h] for h in _HORIZONS},
        dropped=[DroppedRecommendation(id=rid, superseded_by=by) for rid, by in sorted(superseded.items())],
        plan=plan)


def _plan_entry(compiled: RecommendProgram, rec: Recommendation, data: dict[str, Any],
                owner: OwnerRole) -> PlanEntry:
    metrics = []
    for metric_id in rec.metrics:
        metric = compiled.rules.metrics[metric_id]
        rule = compiled.baselines.get(metric_id)
        value = rule(data) if rule is not None else None
        baseline: float | str | None = value if isinstance(value, str) else None
        if is_number(value) and isinstance(value, int | float):
            baseline = float(value)
        metrics.append(PlanMetric(id=metric_id, title=metric.title, unit=metric.unit,
                                  higher_is_better=metric.higher_is_better, baseline=baseline))
    return PlanEntry(recommendation=rec.id, goal=rec.goal, metrics=metrics, owner=owner.value)


def analyse(program: ScoringProgram, answers: Mapping[str, AnswerEntry], *, company: Company | None = None,
            date: str | None = None, advisor: str | None = None,
            recommendations: RecommendProgram | None = None, plan_for: list[str] | None = None,
            zone: str | None = None) -> Result:
    """Score the answers and add the ranked recommendations and the plan skeleton (for the
    recommendations ``plan_for`` names, by default the key ones)."""
    result = score(program, answers, company=company, date=date, advisor=advisor, zone=zone)
    rules = program.rules.rules.recommendations
    if rules is None:
        return result
    compiled = recommendations or compile_recommendations(rules)
    values = {name: e.value for name, e in answers.items() if e.status is AnswerStatus.ANSWERED}
    state = program.bank.evaluate(values)
    recs = recommend(program, compiled, result, state, plan_for=plan_for)
    with_recs = result.model_copy(update={"recommendations": recs})
    if not any(section.id == PATH_SECTION for section in program.bank.loaded.bank.bodies()):
        return with_recs
    path = path_choice(with_recs, values, rules.modules)
    warnings = with_recs.warnings + ([path.undertaking_note] if path.undertaking_note else [])
    return with_recs.model_copy(update={"path": path, "warnings": warnings})
