"""The fast paths of scoring give what the plain definitions give.

``evaluate`` (the lean core: an evaluation plan, inlined item scores, no traces) and
``score`` (the Result, with prebuilt parts shared between Results) are checked against a
straightforward reference written from the definitions, on the three examples and on
generated sessions; the Result is checked against the JSON schema, against a fully
validated copy of itself, and for the same bytes on every run and in any answer order.
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from asiakasarvo_engine._resources import schema_path
from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.compiled import CompiledBank
from asiakasarvo_engine.bank.sample import sample_answers
from asiakasarvo_engine.jsonlogic import compile as compile_rule
from asiakasarvo_engine.jsonlogic._truthiness import truthy
from asiakasarvo_engine.rules.models import CompletenessEffect
from asiakasarvo_engine.scoring.engine import Scores, evaluate, result_of, score
from asiakasarvo_engine.scoring.program import ItemProgram, ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import ItemState, Result, SectionStatus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.answers.yaml"))
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
SHARES = st.sampled_from([0.0, 0.2, 0.5, 0.8, 0.95, 1.0])


@cache
def _program() -> ScoringProgram:
    return load_program()


@cache
def _schema() -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_path("result").read_text(encoding="utf-8")))


@cache
def _example(path: Path) -> dict[str, AnswerEntry]:
    return dict(load_answers(path, _program().bank).answers)


def _session(seed: int, share: float) -> dict[str, AnswerEntry]:
    return sample_answers(_program().bank.loaded.bank, random.Random(seed), answered_share=share)


# ----------------------------------------------------------------------------- the reference


def _level(program: ScoringProgram, score: float) -> int:
    return max(level.level for level in program.levels if score >= level.min_score)


def _gated(program: ScoringProgram, level: int, gates: Any, data: Any) -> tuple[int, list[tuple[str, bool]]]:
    fired = []
    for gate, rule in gates:
        if truthy(rule(data)):
            fired.append((gate.id, gate.cap_level < level))
            level = min(level, gate.cap_level)
    return level, fired


def reference(program: ScoringProgram, answers: dict[str, AnswerEntry]) -> dict[str, Any]:
    """Scores from the definitions: every answer nested, every rule run, no shortcuts."""
    values = {name: e.value for name, e in answers.items() if e.status is AnswerStatus.ANSWERED}
    state = program.bank.evaluate(values)
    policy = program.missing
    effects = {ItemState.DONT_KNOW: policy.dont_know, ItemState.NOT_APPLICABLE: policy.not_applicable,
               ItemState.SKIPPED: policy.skipped, ItemState.HIDDEN: policy.hidden}
    items: dict[str, tuple[ItemState, float | None]] = {}
    sections: dict[str, dict[str, Any]] = {}
    for section in program.sections:
        total = weights = 0.0
        answered = expected = 0
        for item in section.items:
            entry = answers.get(item.name)
            if item.name in state.hidden:
                item_state = ItemState.HIDDEN
            elif entry is None:
                item_state = ItemState.SKIPPED
            else:
                item_state = ItemState(entry.status.value)
            score = None
            counts = None
            if item_state is ItemState.ANSWERED and entry is not None:
                raw = item.trace(entry.value, state.data)[0]
                if raw is None:
                    item_state = ItemState.SKIPPED
                else:
                    score, counts = round(raw, 4), policy.answered.completeness
            if counts is None:
                score, counts = effects[item_state].score, effects[item_state].completeness
            items[item.name] = (item_state, score)
            if counts is not CompletenessEffect.EXCLUDED:
                expected += 1
                answered += counts is CompletenessEffect.ANSWERED
            if score is not None and item.weight > 0:
                total += item.weight * score
                weights += item.weight
        share = answered / expected if expected else None
        if share is None or share < section.min_share or weights == 0:
            sections[section.id] = {"status": SectionStatus.INSUFFICIENT_DATA, "score": None, "level": None,
                                    "completeness": None if share is None else round(share, 4),
                                    "answered": answered, "expected": expected, "gates": []}
            continue
        section_score = round(total / weights, 2)
        level, fired = _gated(program, _level(program, section_score), section.gates, state.data)
        sections[section.id] = {"status": SectionStatus.SCORED, "score": section_score, "level": level,
                                "completeness": round(share, 4), "answered": answered, "expected": expected,
                                "gates": fired}
    weights_of = {section.id: section.weight for section in program.sections}
    used = {sid: weights_of[sid] for sid in program.section_order
            if sid in sections and sections[sid]["status"] is SectionStatus.SCORED and weights_of[sid] > 0}
    answered = sum(s["answered"] for s in sections.values())
    expected = sum(s["expected"] for s in sections.values())
    overall: dict[str, Any] = {"status": SectionStatus.INSUFFICIENT_DATA, "score": None, "level": None,
                               "completeness": round(answered / expected, 4) if expected else None,
                               "sections": used, "gates": []}
    if len(used) >= program.rules.rules.overall.min_sections:
        weighted = sum(w * sections[sid]["score"] for sid, w in used.items())
        overall_score = round(weighted / sum(used.values()), 2)
        level, fired = _gated(program, _level(program, overall_score), program.overall_gates, state.data)
        overall.update(status=SectionStatus.SCORED, score=overall_score, level=level, gates=fired)
    return {"items": items, "sections": sections, "overall": overall, "calculated": state.calculated}


# ----------------------------------------------------------------------------- comparisons


def _from_scores(program: ScoringProgram, scores: Scores) -> dict[str, Any]:
    def section(s: Any) -> dict[str, Any]:
        return {"status": s.status, "score": s.score, "level": s.level, "completeness": s.completeness,
                "answered": s.answered, "expected": s.expected,
                "gates": [(gate.id, applied) for gate, applied in s.gates]}

    overall = scores.overall
    items = zip(scores.states, scores.scores, strict=True)
    return {"items": dict(zip(program.item_names, items, strict=True)),
            "sections": {sid: section(s) for sid, s in scores.sections.items()},
            "overall": {"status": overall.status, "score": overall.score, "level": overall.level,
                        "completeness": overall.completeness, "sections": overall.sections,
                        "gates": [(gate.id, applied) for gate, applied in overall.gates]},
            "calculated": scores.state.calculated}


def _from_result(program: ScoringProgram, result: Result) -> dict[str, Any]:
    def section(s: Any) -> dict[str, Any]:
        return {"status": s.status, "score": s.score, "level": s.level.level if s.level else None,
                "completeness": s.completeness, "answered": s.answered, "expected": s.expected,
                "gates": [(g.id, g.applied) for g in s.gates]}

    overall = result.overall
    return {"items": {name: (i.state, i.score) for name, i in result.items.items()},
            "sections": {sid: section(s) for sid, s in result.sections.items()
                         if s.status is not SectionStatus.DESCRIPTIVE},
            "overall": {"status": overall.status, "score": overall.score,
                        "level": overall.level.level if overall.level else None,
                        "completeness": overall.completeness, "sections": overall.sections,
                        "gates": [(g.id, g.applied) for g in overall.gates]},
            "calculated": result.calculated}


def _check_session(answers: dict[str, AnswerEntry]) -> Result:
    program = _program()
    expected = reference(program, answers)
    lean = _from_scores(program, evaluate(program, answers))
    full_scores = evaluate(program, answers, every_calculated=True)
    result = result_of(program, answers, full_scores)
    assert _from_result(program, result) == expected
    assert _from_scores(program, full_scores) == expected
    # The lean plan computes only the calculated values the scores read.
    assert lean.pop("calculated").items() <= expected.pop("calculated").items()
    assert lean == expected
    assert score(program, answers).to_json() == result.to_json()
    return result


def _check_result(result: Result) -> None:
    text = result.to_json()
    _schema().validate(json.loads(text))
    # The shared prebuilt parts dump exactly as a Result validated from scratch.
    assert Result.model_validate(result.model_dump()).to_json() == text
    assert Result.model_validate_json(text).to_json() == text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_lean_and_result_agree_with_the_reference(path: Path) -> None:
    _check_result(_check_session(_example(path)))


def test_there_are_three_examples() -> None:
    assert len(EXAMPLES) == 3


@settings(max_examples=80, deadline=None)
@given(SEEDS, SHARES)
def test_generated_sessions_lean_and_result_agree_with_the_reference(seed: int, share: float) -> None:
    _check_result(_check_session(_session(seed, share)))


@settings(max_examples=30, deadline=None)
@given(SEEDS, SHARES, st.randoms(use_true_random=False))
def test_same_bytes_every_run_and_in_any_answer_order(seed: int, share: float, rng: random.Random) -> None:
    program = _program()
    answers = _session(seed, share)
    names = list(answers)
    rng.shuffle(names)
    first = score(program, answers).to_json()
    assert score(program, answers).to_json() == first
    assert score(program, {name: answers[name] for name in names}).to_json() == first


# ----------------------------------------------------------------------------- item fast paths

_JSON_SCALARS = st.none() | st.booleans() | st.integers(-3, 12) | st.floats(-5, 120, allow_nan=False) \
    | st.sampled_from(["", "yes", "no", "true", "false", "a.b", "1"])
_KEYS = st.sampled_from(["", "x", "a.b", "1"]) | st.text(max_size=6)


def _values_for(item: ItemProgram) -> st.SearchStrategy[Any]:
    own: list[Any] = []
    if item.scale is not None:
        own = list(item.scale.scores)
    elif item.table is not None:
        own = list(item.table)
    elif item.columns:
        rows = st.sampled_from(["r1", "r2", "row.x", 1]) | _KEYS
        cells = st.dictionaries(st.sampled_from([c for c, _ in item.columns] + ["other"]),
                                st.sampled_from(list(item.columns[0][1].scores)) | _JSON_SCALARS, max_size=4)
        return st.dictionaries(rows, cells | _JSON_SCALARS, max_size=4) | _JSON_SCALARS
    choices = st.sampled_from(own) if own else _JSON_SCALARS
    hashable = choices | _JSON_SCALARS
    return hashable | st.lists(hashable, max_size=5) | st.dictionaries(_KEYS, hashable, max_size=3)


@cache
def _items() -> tuple[ItemProgram, ...]:
    return tuple(item for section in _program().sections for item in section.items
                 if item.basis != "expression")


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_item_score_is_the_score_of_its_trace(data: st.DataObject) -> None:
    item = data.draw(st.sampled_from(_items()))
    value = data.draw(_values_for(item))
    try:
        traced = item.trace(value, {})[0]
    except TypeError:  # an unhashable value looked up in a table fails the same way both paths
        with pytest.raises(TypeError):
            item.score(value, {})
        return
    fast = item.score(value, {})
    assert fast == traced and type(fast) is type(traced)


def test_prebuilt_item_results_equal_fresh_ones() -> None:
    program = _program()
    answered = program.effects[ItemState.ANSWERED].effect.completeness
    every_item = (item for section in program.sections for item in section.items)
    for item, prebuilt in zip(every_item, program.parts.items, strict=True):
        for key, result in prebuilt.answered.items():
            score, detail = item.trace(key, {})
            assert score is not None
            assert result.model_dump() == {
                "section": item.name.split(".")[0], "state": ItemState.ANSWERED, "score": round(score, 4),
                "weight": item.weight, "counts_as": answered, "basis": item.basis, "detail": detail}
        assert prebuilt.hidden.state is ItemState.HIDDEN and prebuilt.hidden.detail == {}
        assert prebuilt.skipped.state is ItemState.SKIPPED and prebuilt.skipped.detail == {}


# ----------------------------------------------------------------------------- visibility plans

_CHAIN = ("basic_info.company_form", "basic_info.board_members", "basic_info.owners",
          "owner_strategy.documented", "owner_strategy.growth_focus", "management.strategy_status",
          "market_position.competitors", "supporting_competence.ai_use")


def _condition(kind: str, source: str) -> Any:
    if kind == "present":
        return {"!=": [{"var": source}, None]}
    if kind == "truthy":
        return {"!!": [{"var": source}]}
    if kind == "absent":
        return {"==": [{"var": source}, None]}
    return {">": [{"var": "basic_info.owner_count"}, 1]}  # through a calculated value


def reference_fixpoint(bank: CompiledBank, values: dict[str, Any]) -> tuple[Any, Any, frozenset[str]]:
    """Visibility as first defined: renest and recompute everything until it settles."""
    hidden: frozenset[str] = frozenset()
    for _ in range(8):
        data: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            if name not in hidden:
                section, _, key = name.partition(".")
                data.setdefault(section, {})[key] = value
        calculated = {}
        for name, rule in bank.calculated:
            section, _, key = name.partition(".")
            data.setdefault(section, {})[key] = calculated[name] = rule(data)
        now = frozenset(name for name, rule in bank.conditions if not truthy(rule(data)))
        if now == hidden or not (now ^ hidden) & values.keys():
            return data, calculated, now
        hidden = now
    raise AssertionError("does not settle")


@settings(max_examples=150, deadline=None)
@given(SEEDS, SHARES, st.data())
def test_settle_gives_the_fixpoint_of_cascading_conditions(seed: int, share: float,
                                                           data: st.DataObject) -> None:
    base = _program().bank
    conditions = []
    for index, target in enumerate(_CHAIN[1:], start=1):
        if data.draw(st.booleans()):
            kind = data.draw(st.sampled_from(["present", "truthy", "absent", "calculated"]))
            if kind == "calculated" and index <= _CHAIN.index("basic_info.owners"):
                kind = "present"
            source = data.draw(st.sampled_from(_CHAIN[:index]))
            conditions.append((target, compile_rule(_condition(kind, source))))
    order = {name: i for i, name in enumerate(base.items)}
    bank = CompiledBank(base.loaded, base.items, base.calculated, base.content_hash,
                        conditions=tuple(sorted(conditions, key=lambda c: order[c[0]])),
                        required_if=base.required_if, always_required=base.always_required)
    answers = _session(seed, share)
    values = {name: e.value for name, e in answers.items() if e.status is AnswerStatus.ANSWERED}
    expected_data, expected_calculated, expected_hidden = reference_fixpoint(bank, values)
    state = bank.evaluate(values)
    assert state.hidden == expected_hidden
    assert json.dumps(state.data) == json.dumps(expected_data)  # the same keys in the same order
    assert state.calculated == expected_calculated
    # A narrow plan: only what the conditions and the caller read, in the plan's order.
    plan = bank.plan([], [data.draw(st.sampled_from(_CHAIN))])
    assert plan.answers is not None
    narrow = bank.settle({name: values[name] for name in plan.answers if name in values}, plan)
    assert narrow.hidden == expected_hidden
    for name in plan.answers:
        assert narrow.value(name) == (None if name in expected_hidden else values.get(name))
    for name, _ in plan.calculated:
        assert narrow.calculated[name] == expected_calculated[name]
