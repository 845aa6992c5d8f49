"""Invariants of scoring, over generated complete sessions (hypothesis)."""

from __future__ import annotations

import json
import random
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from asiakasarvo_engine._resources import schema_path
from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.sample import sample_answers
from asiakasarvo_engine.scoring.engine import score
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program


@cache
def _program() -> ScoringProgram:
    return load_program()


@cache
def _schema() -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_path("result").read_text(encoding="utf-8")))


@cache
def _read_by_expressions() -> frozenset[str]:
    """Items some condition, calculated value or gate reads: raising them may change more."""
    program = _program()
    names: set[str] = set()
    rules = [item.visible_if for item in program.bank.items.values() if item.visible_if]
    rules += [item.required_if for item in program.bank.items.values() if item.required_if]
    rules += [rule for _, rule in program.bank.calculated]
    rules += [rule for section in program.sections for _, rule in section.gates]
    for rule in rules:
        names.update(".".join(var.split(".")[:2]) for var in rule.variables)
    return frozenset(names)


def _session(seed: int, share: float) -> dict[str, AnswerEntry]:
    return sample_answers(_program().bank.loaded.bank, random.Random(seed), answered_share=share)


SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
SHARES = st.sampled_from([0.3, 0.6, 0.9, 1.0])


def _scores(result: Any) -> list[float]:
    found = [s.score for s in result.sections.values() if s.score is not None]
    found += [i.score for i in result.items.values() if i.score is not None]
    return found + ([result.overall.score] if result.overall.score is not None else [])


@settings(max_examples=60, deadline=None)
@given(SEEDS, SHARES)
def test_every_score_is_within_0_and_100_and_the_result_matches_its_schema(seed: int, share: float) -> None:
    result = score(_program(), _session(seed, share))
    assert all(0 <= value <= 100 for value in _scores(result))
    for section in result.sections.values():
        assert (section.score is None) == (section.level is None)
        if section.completeness is not None:
            assert 0 <= section.completeness <= 1
    errors = list(_schema().iter_errors(json.loads(result.to_json())))
    assert errors == []


@settings(max_examples=60, deadline=None)
@given(SEEDS, SHARES, st.randoms(use_true_random=False))
def test_answer_order_does_not_matter_and_the_bytes_are_the_same(seed: int, share: float,
                                                                 shuffler: random.Random) -> None:
    answers = _session(seed, share)
    names = list(answers)
    shuffler.shuffle(names)
    shuffled = {name: answers[name] for name in names}
    assert score(_program(), answers).to_json() == score(_program(), shuffled).to_json()
    assert score(_program(), answers).to_json() == score(_program(), dict(answers)).to_json()


@settings(max_examples=100, deadline=None)
@given(SEEDS, SHARES, st.data())
def test_raising_one_answer_never_lowers_its_section_or_the_overall_score(
        seed: int, share: float, data: st.DataObject) -> None:
    program = _program()
    answers = _session(seed, share)
    candidates = []
    for section in program.sections:
        for item in section.items:
            entry = answers.get(item.name)
            if item.basis != "scale" or item.scale is None or item.name in _read_by_expressions():
                continue
            points = sorted(item.scale.scores)
            if entry is not None and entry.status is AnswerStatus.ANSWERED and entry.value != points[-1]:
                candidates.append((section.id, item.name, points))
    assert candidates, "a generated session always has a raisable Likert answer"
    section_id, name, points = data.draw(st.sampled_from(candidates))
    value = answers[name].value
    higher = data.draw(st.sampled_from([p for p in points if p > value]))
    raised = {**answers, name: AnswerEntry(value=higher)}
    before, after = score(program, answers), score(program, raised)
    scale_scores = next(i.scale for s in program.sections for i in s.items if i.name == name)
    assert scale_scores is not None
    if scale_scores.scores[higher] >= scale_scores.scores[value]:
        old, new = before.sections[section_id].score, after.sections[section_id].score
        if old is not None and new is not None:
            assert new >= old
        if before.overall.score is not None and after.overall.score is not None:
            assert after.overall.score >= before.overall.score


def test_a_missing_answer_and_a_skipped_one_score_the_same() -> None:
    answers = _session(7, 1.0)
    name = "management.strategy_to_goals"
    skipped = {**answers, name: AnswerEntry(status=AnswerStatus.SKIPPED)}
    missing = {k: v for k, v in answers.items() if k != name}
    assert score(_program(), skipped).sections == score(_program(), missing).sections
    assert score(_program(), skipped).sections["management"] != score(_program(), answers).sections[
        "management"]
