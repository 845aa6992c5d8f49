"""Scoring: answers in, a Result out, every number traced to what produced it.

A pure function of the program and the answers: the same inputs give the same bytes,
whatever the order the answers were given in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asiakasarvo_engine._version import __version__
from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.compiled import BankState
from asiakasarvo_engine.jsonlogic import CompiledRule
from asiakasarvo_engine.jsonlogic._truthiness import is_number, truthy
from asiakasarvo_engine.rules.models import CompletenessEffect, Gate, Level, MissingEffect
from asiakasarvo_engine.scoring.indicators import indicators as compute_indicators
from asiakasarvo_engine.scoring.program import ItemProgram, ScoringProgram, SectionProgram
from asiakasarvo_engine.scoring.result import (
    Company,
    GateResult,
    ItemResult,
    ItemState,
    LevelInfo,
    OverallResult,
    Pin,
    Result,
    SectionResult,
    SectionStatus,
)

_DIGITS = 2


def _raw_score(program: ItemProgram, value: Any, state: BankState) -> tuple[float | None, dict[str, Any]]:
    """The 0-100 score of an answered value, and the inputs that gave it."""
    basis = program.basis
    if basis == "scale" and program.scale is not None:
        score = program.scale.scores.get(value) if isinstance(value, int) else None
        return score, {"scale": program.scale.scale, "point": value}
    if basis == "choices" and program.table is not None:
        if program.multi:
            chosen = [v for v in value if v in program.table] if isinstance(value, list) else []
            total = sum(program.table[v] for v in chosen)
            return min(100.0, total), {"chosen": chosen, "sum": total}
        key = ("true" if value else "false") if isinstance(value, bool) else value
        return program.table.get(key), {"choice": key}
    if basis == "columns":
        cells: dict[str, float] = {}
        if isinstance(value, dict):
            for row, row_cells in value.items():
                if not isinstance(row_cells, dict):
                    continue
                for column, lookup in program.columns:
                    point = row_cells.get(column)
                    score = lookup.scores.get(point) if isinstance(point, int) else None
                    if score is not None:
                        cells[f"{row}.{column}"] = score
        if not cells:
            return None, {"cells": {}}
        return sum(cells.values()) / len(cells), {"cells": cells}
    if basis == "expression" and program.rule is not None:
        result = program.rule(state.data)
        if not is_number(result):
            return None, {"expression_value": None}
        clamped = min(100.0, max(0.0, float(result)))
        return clamped, {"expression_value": result, "clamped": clamped != result}
    return None, {}


def _effect(program: ScoringProgram, state: ItemState) -> MissingEffect:
    policy = program.missing
    return {ItemState.ANSWERED: policy.answered, ItemState.DONT_KNOW: policy.dont_know,
            ItemState.NOT_APPLICABLE: policy.not_applicable, ItemState.SKIPPED: policy.skipped,
            ItemState.HIDDEN: policy.hidden}[state]


def _score_item(program: ScoringProgram, item: ItemProgram, section: str, entry: AnswerEntry | None,
                state: BankState) -> ItemResult:
    if item.name in state.hidden:
        item_state = ItemState.HIDDEN
    elif entry is None:
        item_state = ItemState.SKIPPED
    else:
        item_state = ItemState(entry.status.value)
    detail: dict[str, Any] = {}
    if item_state is ItemState.ANSWERED and entry is not None:
        score, detail = _raw_score(item, entry.value, state)
        if score is not None:
            return ItemResult(section=section, state=item_state, score=round(score, 4), weight=item.weight,
                              counts_as=program.missing.answered.completeness, basis=item.basis,  # type: ignore[arg-type]
                              detail=detail)
        item_state = ItemState.SKIPPED
        detail["unscorable"] = True
    effect = _effect(program, item_state)
    return ItemResult(section=section, state=item_state, score=effect.score, weight=item.weight,
                      counts_as=effect.completeness,
                      basis="missing_data" if effect.score is not None else "none", detail=detail)


def _level(levels: tuple[Level, ...], score: float) -> Level:
    chosen = levels[0]
    for level in levels:
        if score >= level.min_score:
            chosen = level
    return chosen


def _info(level: Level) -> LevelInfo:
    return LevelInfo(level=level.level, min_score=level.min_score, name=level.name)


def _apply_gates(levels: tuple[Level, ...], level: Level, gates: tuple[tuple[Gate, CompiledRule], ...],
                 data: Any) -> tuple[Level, list[GateResult]]:
    fired: list[GateResult] = []
    capped = level
    for gate, rule in gates:
        if truthy(rule(data)):
            applied = gate.cap_level < capped.level
            if applied:
                capped = levels[gate.cap_level - 1]
            fired.append(GateResult(id=gate.id, cap_level=gate.cap_level, applied=applied,
                                    reason=gate.reason))
    return capped, fired


def _score_section(program: ScoringProgram, section: SectionProgram, items: dict[str, ItemResult],
                   state: BankState) -> tuple[SectionResult, float | None]:
    total = weights = 0.0
    answered = expected = 0
    for item in section.items:
        result = items[item.name]
        if result.counts_as is not CompletenessEffect.EXCLUDED:
            expected += 1
            answered += result.counts_as is CompletenessEffect.ANSWERED
        if result.score is not None and item.weight > 0:
            total += item.weight * result.score
            weights += item.weight
    title = next(s.title for s in program.bank.loaded.bank.bodies() if s.id == section.id)
    completeness = answered / expected if expected else None
    enough = completeness is not None and completeness >= section.min_share and weights > 0
    if not enough:
        return SectionResult(status=SectionStatus.INSUFFICIENT_DATA, title=title, score=None, level=None,
                             level_before_gates=None,
                             completeness=None if completeness is None else round(completeness, 4),
                             answered=answered, expected=expected, min_answered_share=section.min_share,
                             weight=section.weight), None
    score = round(total / weights, _DIGITS)
    level = _level(program.levels, score)
    capped, gates = _apply_gates(program.levels, level, section.gates, state.data)
    return SectionResult(status=SectionStatus.SCORED, title=title, score=score, level=_info(capped),
                         level_before_gates=level.level, completeness=round(completeness or 0.0, 4),
                         answered=answered, expected=expected, min_answered_share=section.min_share,
                         weight=section.weight, gates=gates), score


def _overall(program: ScoringProgram, sections: dict[str, SectionResult], state: BankState) -> OverallResult:
    used = {sid: r.weight for sid, r in sections.items() if r.status is SectionStatus.SCORED and r.weight > 0}
    answered = sum(r.answered for r in sections.values() if r.status is not SectionStatus.DESCRIPTIVE)
    expected = sum(r.expected for r in sections.values() if r.status is not SectionStatus.DESCRIPTIVE)
    completeness = round(answered / expected, 4) if expected else None
    minimum = program.rules.rules.overall.min_sections
    if len(used) < minimum:
        return OverallResult(status=SectionStatus.INSUFFICIENT_DATA, score=None, level=None,
                             level_before_gates=None, completeness=completeness, sections=used,
                             min_sections=minimum)
    weight_sum = sum(used.values())
    score = round(sum(w * (sections[sid].score or 0.0) for sid, w in used.items()) / weight_sum, _DIGITS)
    level = _level(program.levels, score)
    capped, gates = _apply_gates(program.levels, level, program.overall_gates, state.data)
    return OverallResult(status=SectionStatus.SCORED, score=score, level=_info(capped),
                         level_before_gates=level.level, completeness=completeness, sections=used,
                         min_sections=minimum, gates=gates)


def _pin(ident: str, version: str, digest: str) -> Pin:
    return Pin(id=ident, version=version, hash=digest)


def score(program: ScoringProgram, answers: Mapping[str, AnswerEntry], *,
          company: Company | None = None, date: str | None = None, advisor: str | None = None) -> Result:
    """Score checked answers (keyed ``section.item``) with a compiled program."""
    values = {name: entry.value for name, entry in answers.items()
              if entry.status is AnswerStatus.ANSWERED}
    state = program.bank.evaluate(values)
    items: dict[str, ItemResult] = {}
    for section in program.sections:
        for item in section.items:
            items[item.name] = _score_item(program, item, section.id, answers.get(item.name), state)
    sections: dict[str, SectionResult] = {}
    rules = program.rules.rules
    for body in program.bank.loaded.bank.bodies():
        if body.id in rules.descriptive_sections:
            sections[body.id] = SectionResult(
                status=SectionStatus.DESCRIPTIVE, title=body.title, score=None, level=None,
                level_before_gates=None, completeness=None, answered=0, expected=0,
                min_answered_share=None, weight=0.0, reason=rules.descriptive_sections[body.id])
    for section in program.sections:
        sections[section.id], _ = _score_section(program, section, items, state)
    ordered = {body.id: sections[body.id] for body in program.bank.loaded.bank.bodies()}
    indicator_result = (compute_indicators(program.indicators, state)
                        if program.indicators is not None else None)
    warnings = []
    if indicator_result is not None and indicator_result.de_minimis is not None \
            and indicator_result.de_minimis.aid_received is None:
        warnings.append({"fi": "Viimeisen kolmen vuoden de minimis -tukien määrä puuttuu; tukitilaa ei "
                               "voitu tarkistaa.",
                         "en": "The de minimis aid of the last three years is not given; the headroom "
                               "could not be checked."})
    bank = program.bank.loaded.bank
    return Result(
        schema_version="1.0", kind="result", engine_version=__version__,
        bank=_pin(bank.id, bank.version, program.bank.content_hash),
        rules=_pin(rules.id, rules.version, program.content_hash),
        missing_data_policy=rules.missing_data.version,
        company=company or Company(), date=date, advisor=advisor,
        levels=[_info(level) for level in program.levels],
        overall=_overall(program, ordered, state), sections=ordered, items=items,
        calculated=dict(state.calculated), indicators=indicator_result, warnings=warnings)
