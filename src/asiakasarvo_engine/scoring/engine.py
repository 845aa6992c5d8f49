"""Scoring: answers in, scores out, every number traced to what produced it.

One computation, two outputs:

* ``evaluate(program, answers) -> Scores``: the lean core, everything a re-scoring of a
  corpus needs as plain data (per item state and score; per section status, score,
  level, completeness and gates; the overall index; the indicators). It evaluates only
  the conditions, calculated values and expressions the scores depend on.
* ``score(program, answers) -> Result``: the same core with every calculated value, then
  the validated Result with the traces (which answer, scale point, choice, cells,
  weights, cut-offs and gates gave each number).

Both are pure functions of the program and the answers: the same inputs give the same
bytes, whatever the order the answers were given in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.compiled import BankState
from asiakasarvo_engine.jsonlogic import CompiledRule
from asiakasarvo_engine.jsonlogic._truthiness import truthy
from asiakasarvo_engine.rules.models import Gate, Level
from asiakasarvo_engine.scoring.indicators import IndicatorValues, indicator_values, indicators_model
from asiakasarvo_engine.scoring.program import STEP_CHOICE, STEP_MULTI, STEP_SCALE, ScoringProgram
from asiakasarvo_engine.scoring.result import (
    Company,
    ItemResult,
    ItemState,
    LevelInfo,
    Result,
    SectionResult,
    SectionStatus,
)

_DIGITS = 2

_ANSWERED = AnswerStatus.ANSWERED
_DONT_KNOW = AnswerStatus.DONT_KNOW
_NOT_APPLICABLE = AnswerStatus.NOT_APPLICABLE
_STATE_ANSWERED = ItemState.ANSWERED
_STATE_HIDDEN = ItemState.HIDDEN
_STATE_DONT_KNOW = ItemState.DONT_KNOW
_STATE_NOT_APPLICABLE = ItemState.NOT_APPLICABLE
_SCORED = SectionStatus.SCORED
_INSUFFICIENT = SectionStatus.INSUFFICIENT_DATA


class SectionScores(NamedTuple):
    """A section of the rules: status, score, level, completeness and the gates that held."""

    status: SectionStatus
    score: float | None
    level: int | None
    """The level after the gates."""
    level_before_gates: int | None
    completeness: float | None
    answered: int
    expected: int
    gates: tuple[tuple[Gate, bool], ...]
    """The gates whose condition held, each with whether it lowered the level."""


class OverallScores(NamedTuple):
    """The overall index over the scored sections."""

    status: SectionStatus
    score: float | None
    level: int | None
    level_before_gates: int | None
    completeness: float | None
    sections: dict[str, float]
    """The sections averaged, with their weights."""
    gates: tuple[tuple[Gate, bool], ...]


class Scores(NamedTuple):
    """The scores of one analysis as plain data; ``score`` builds the Result from them.

    ``states`` and ``scores`` run parallel to ``program.item_names``.
    """

    states: tuple[ItemState, ...]
    scores: tuple[float | None, ...]
    sections: dict[str, SectionScores]
    """The scored sections, in the order of the rules."""
    overall: OverallScores
    indicators: IndicatorValues | None
    state: BankState
    """What the expressions saw: the hidden items, the calculated values computed and
    the data, which holds only the answers some condition, calculated value, item
    expression, gate or indicator reads (``CompiledBank.evaluate`` gives all of them)."""


def level_of(levels: tuple[Level, ...], score: float) -> Level:
    """The highest level whose cut-off the score reaches."""
    chosen = levels[0]
    for level in levels:
        if score >= level.min_score:
            chosen = level
    return chosen


def apply_gates(levels: tuple[Level, ...], level: Level, gates: tuple[tuple[Gate, CompiledRule], ...],
                data: Any) -> tuple[Level, tuple[tuple[Gate, bool], ...]]:
    """The level after the gates whose condition holds, and each such gate with whether it
    lowered the level."""
    fired: list[tuple[Gate, bool]] = []
    capped = level
    for gate, rule in gates:
        if truthy(rule(data)):
            applied = gate.cap_level < capped.level
            if applied:
                capped = levels[gate.cap_level - 1]
            fired.append((gate, applied))
    return capped, tuple(fired)


def evaluate(program: ScoringProgram, answers: Mapping[str, AnswerEntry], *,
             every_calculated: bool = False) -> Scores:
    """Score checked answers (keyed ``section.item``) as plain data.

    Only the calculated values the scores depend on are computed unless
    ``every_calculated`` (then ``Scores.state.calculated`` holds them all).
    """
    plan = program.full_plan if every_calculated else program.plan
    get = answers.get
    if plan.answers is None:
        values = {name: entry.value for name, entry in answers.items() if entry.status is _ANSWERED}
    else:
        values = {}
        for name in plan.answers:
            entry = get(name)
            if entry is not None and entry.status is _ANSWERED:
                values[name] = entry.value
    state = program.bank.settle(values, plan)
    hidden = state.hidden
    data = state.data
    # Enums are compared by identity in the loop, never hashed (an Enum's hash is a
    # Python-level call); each missing state's effect is a flat tuple.
    effects = program.effects
    hidden_fx, skipped_fx, dont_know_fx, not_applicable_fx = (
        (fx.state, fx.score, fx.expected, fx.answered)
        for fx in (effects[ItemState.HIDDEN], effects[ItemState.SKIPPED],
                   effects[ItemState.DONT_KNOW], effects[ItemState.NOT_APPLICABLE]))
    answered_expected = effects[ItemState.ANSWERED].expected
    answered_answered = effects[ItemState.ANSWERED].answered
    step_scale, step_choice, step_multi = STEP_SCALE, STEP_CHOICE, STEP_MULTI
    levels = program.levels
    states: list[ItemState] = []
    scores: list[float | None] = []
    add_state = states.append
    add_score = scores.append
    sections: dict[str, SectionScores] = {}
    for section in program.sections:
        total = weights = 0.0
        answered = expected = 0
        for name, kind, lookup, weight, item in section.steps:
            if name in hidden:
                fx = hidden_fx
            else:
                entry = get(name)
                if entry is None:
                    fx = skipped_fx
                else:
                    status = entry.status
                    if status is _ANSWERED:
                        # ItemProgram.score, rounded as the item reports it, inline
                        value = entry.value
                        score: float | None
                        if kind == step_scale:
                            score = lookup.get(value) if isinstance(value, int) else None
                        elif kind == step_choice:
                            score = lookup.get(("true" if value else "false") if isinstance(value, bool)
                                               else value)
                        elif kind == step_multi:
                            chosen_sum: float = 0
                            if isinstance(value, list):
                                for chosen in value:
                                    if chosen in lookup:
                                        chosen_sum += lookup[chosen]
                            score = round(min(100.0, chosen_sum), 4)
                        else:
                            raw = item.score(value, data)
                            score = None if raw is None else round(raw, 4)
                        if score is not None:
                            add_state(_STATE_ANSWERED)
                            add_score(score)
                            expected += answered_expected
                            answered += answered_answered
                            if weight > 0:
                                total += weight * score
                                weights += weight
                            continue
                        fx = skipped_fx
                    elif status is _DONT_KNOW:
                        fx = dont_know_fx
                    elif status is _NOT_APPLICABLE:
                        fx = not_applicable_fx
                    else:
                        fx = skipped_fx
            fx_state, missing_score, fx_expected, fx_answered = fx
            add_state(fx_state)
            add_score(missing_score)
            expected += fx_expected
            answered += fx_answered
            if missing_score is not None and weight > 0:
                total += weight * missing_score
                weights += weight
        completeness = answered / expected if expected else None
        if completeness is None or completeness < section.min_share or weights <= 0:
            sections[section.id] = SectionScores(
                _INSUFFICIENT, None, None, None,
                None if completeness is None else round(completeness, 4), answered, expected, ())
            continue
        section_score = round(total / weights, _DIGITS)
        level = level_of(levels, section_score)
        capped, gates = apply_gates(levels, level, section.gates, data) if section.gates else (level, ())
        sections[section.id] = SectionScores(_SCORED, section_score, capped.level, level.level,
                                             round(completeness, 4), answered, expected, gates)
    values_of = indicator_values(program.indicators, state) if program.indicators is not None else None
    return Scores(tuple(states), tuple(scores), sections, _overall(program, sections, data), values_of,
                  state)


def _overall(program: ScoringProgram, sections: dict[str, SectionScores], data: Any) -> OverallScores:
    weights = {section.id: section.weight for section in program.sections}
    used = {sid: weights[sid] for sid in program.section_order
            if sid in sections and sections[sid].status is SectionStatus.SCORED and weights[sid] > 0}
    answered = sum(s.answered for s in sections.values())
    expected = sum(s.expected for s in sections.values())
    completeness = round(answered / expected, 4) if expected else None
    if len(used) < program.rules.rules.overall.min_sections:
        return OverallScores(SectionStatus.INSUFFICIENT_DATA, None, None, None, completeness, used, ())
    weight_sum = sum(used.values())
    score = round(sum(w * (sections[sid].score or 0.0) for sid, w in used.items()) / weight_sum, _DIGITS)
    level = level_of(program.levels, score)
    capped, gates = apply_gates(program.levels, level, program.overall_gates, data)
    return OverallScores(SectionStatus.SCORED, score, capped.level, level.level, completeness, used, gates)


# ----------------------------------------------------------------------------- the Result


def _level_info(program: ScoringProgram, number: int | None) -> LevelInfo | None:
    return None if number is None else program.parts.levels[number - 1]


def _gates(fired: tuple[tuple[Gate, bool], ...]) -> list[dict[str, Any]]:
    return [{"id": gate.id, "cap_level": gate.cap_level, "applied": applied, "reason": gate.reason}
            for gate, applied in fired]


def _items(program: ScoringProgram, answers: Mapping[str, AnswerEntry], scores: Scores,
           ) -> dict[str, ItemResult | dict[str, Any]]:
    """Per item the prebuilt result of its case, or a fresh one (validated with the Result)."""
    answered_counts = program.effects[ItemState.ANSWERED].effect.completeness
    skipped = program.effects[ItemState.SKIPPED].effect
    data = scores.state.data
    get = answers.get
    items: dict[str, ItemResult | dict[str, Any]] = {}
    for item, prebuilt, item_state, item_score in zip(
            program.items, program.parts.items, scores.states, scores.scores, strict=True):
        name = item.name
        if item_state is _STATE_ANSWERED:
            value = get(name).value  # type: ignore[union-attr]  # answered, so present
            if item.scale is not None:  # ItemProgram.result_key of a scale item, inline
                found = prebuilt.answered.get(value) if type(value) is int else None
            else:
                key = item.result_key(value)
                found = None if key is None else prebuilt.answered.get(key)
            items[name] = found if found is not None else {
                "section": name.partition(".")[0], "state": item_state, "score": item_score,
                "weight": item.weight, "counts_as": answered_counts, "basis": item.basis,
                "detail": item.trace(value, data)[1]}
        elif item_state is _STATE_HIDDEN:
            items[name] = prebuilt.hidden
        elif item_state is _STATE_DONT_KNOW:
            items[name] = prebuilt.dont_know
        elif item_state is _STATE_NOT_APPLICABLE:
            items[name] = prebuilt.not_applicable
        else:
            entry = get(name)
            if entry is None or entry.status is not _ANSWERED:
                items[name] = prebuilt.skipped
                continue
            detail = item.trace(entry.value, data)[1]  # answered, but it gives no score
            detail["unscorable"] = True
            items[name] = {
                "section": name.partition(".")[0], "state": item_state, "score": skipped.score,
                "weight": item.weight, "counts_as": skipped.completeness,
                "basis": "missing_data" if skipped.score is not None else "none", "detail": detail}
    return items


def _sections(program: ScoringProgram, scores: Scores) -> dict[str, SectionResult | dict[str, Any]]:
    built: dict[str, SectionResult | dict[str, Any]] = dict(program.parts.descriptive)
    for section in program.sections:
        s = scores.sections[section.id]
        built[section.id] = {
            "status": s.status, "title": section.title, "score": s.score,
            "level": _level_info(program, s.level), "level_before_gates": s.level_before_gates,
            "completeness": s.completeness, "answered": s.answered, "expected": s.expected,
            "min_answered_share": section.min_share, "weight": section.weight, "gates": _gates(s.gates)}
    return {section_id: built[section_id] for section_id in program.section_order}


def result_of(program: ScoringProgram, answers: Mapping[str, AnswerEntry], scores: Scores, *,
              company: Company | None = None, date: str | None = None, advisor: str | None = None,
              zone: str | None = None) -> Result:
    """The validated Result of ``scores`` (from ``evaluate(..., every_calculated=True)``).

    The parts that do not depend on the answers (pins, levels, descriptive sections, the
    result of each scale point, choice and missing state of each item) were validated
    once, when the program was compiled, and are shared; the rest is validated here.
    """
    rules = program.rules.rules
    parts = program.parts
    overall = scores.overall
    indicators = None
    warnings = []
    if scores.indicators is not None and program.indicators is not None:
        indicators = indicators_model(program.indicators, scores.indicators)
        if scores.indicators.de_minimis is not None and scores.indicators.aid_received is None:
            warnings.append({"fi": "Viimeisen kolmen vuoden de minimis -tukien määrä puuttuu; tukitilaa ei "
                                   "voitu tarkistaa.",
                             "en": "The de minimis aid of the last three years is not given; the headroom "
                                   "could not be checked."})
    from asiakasarvo_engine._version import __version__  # importlib.metadata: only for a Result

    return Result.model_validate({
        "schema_version": "1.0", "kind": "result", "engine_version": __version__,
        "bank": parts.bank, "rules": parts.rules, "missing_data_policy": rules.missing_data.version,
        "company": company or Company(), "date": date, "zone": zone, "advisor": advisor,
        "levels": list(parts.levels),
        "overall": {
            "status": overall.status, "score": overall.score, "level": _level_info(program, overall.level),
            "level_before_gates": overall.level_before_gates, "completeness": overall.completeness,
            "sections": overall.sections, "min_sections": rules.overall.min_sections,
            "gates": _gates(overall.gates)},
        "sections": _sections(program, scores),
        "items": _items(program, answers, scores),
        "calculated": dict(scores.state.calculated),
        "indicators": indicators,
        "warnings": warnings})


def score(program: ScoringProgram, answers: Mapping[str, AnswerEntry], *,
          company: Company | None = None, date: str | None = None, advisor: str | None = None,
          zone: str | None = None) -> Result:
    """Score checked answers (keyed ``section.item``) with a compiled program (``zone``: the
    time zone ``date`` was taken in, kept in the Result)."""
    scores = evaluate(program, answers, every_calculated=True)
    return result_of(program, answers, scores, company=company, date=date, advisor=advisor, zone=zone)
