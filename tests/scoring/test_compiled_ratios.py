"""Compiled ratios and the lean indicators give exactly what the definitions give.

``compile_ratio`` (the indicators' fast path) is checked against ``RatioDefinition.compute``
on generated figures of every kind (missing, None, zero, negative, huge, not finite, ints,
bools, Decimals, text), and ``evaluate``'s indicators against a reference built from
``compute_ratio`` and the bands on the examples and on generated sessions.
"""

from __future__ import annotations

import random
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.sample import sample_answers
from asiakasarvo_engine.scoring.engine import evaluate
from asiakasarvo_engine.scoring.finance import (
    RATIOS,
    Computed,
    RatioDefinition,
    compile_ratio,
    compute_ratio,
)
from asiakasarvo_engine.scoring.indicators import financial_figures
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.answers.yaml"))

_AMOUNTS = (st.floats(-1e6, 1e7, allow_nan=False) | st.sampled_from([0.0, -0.0, 1.0, 1e308, -1e308])
            | st.integers(-10**6, 10**7) | st.sampled_from([0, 10**400]))
_ODD = st.sampled_from([None, True, False, float("nan"), float("inf"), float("-inf"), "1000", Decimal("2.5"),
                        Decimal("NaN")])


@cache
def _program() -> ScoringProgram:
    return load_program()


def _figures_for(definition: RatioDefinition) -> st.SearchStrategy[dict[str, Any]]:
    names = st.sampled_from((*definition.all_inputs, "revenue", "cash"))
    return st.dictionaries(names, _AMOUNTS | _ODD, max_size=len(definition.all_inputs) + 2)


def _same(a: Any, b: Any) -> None:
    assert a == b
    assert type(a) is type(b)
    if isinstance(a, Computed):
        assert type(a.value) is type(b.value)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_a_compiled_ratio_gives_what_compute_gives(data: st.DataObject) -> None:
    definition = data.draw(st.sampled_from(RATIOS))
    ratio = compile_ratio(definition)
    for _ in range(3):  # shared outcomes stay equal to fresh ones
        figures = data.draw(_figures_for(definition))
        _same(ratio(figures), definition.compute(figures))


def test_missing_figures_outcome_is_shared_and_equal() -> None:
    definition = RATIOS[0]
    ratio = compile_ratio(definition)
    first = ratio({})
    assert first is ratio({"advances_received": 5.0})
    assert first == definition.compute({}) and not first.computable


def _reference(program: ScoringProgram, answers: Any) -> Any:
    scores = evaluate(program, answers)
    assert program.indicators is not None and scores.indicators is not None
    year, figures = financial_figures(program.indicators, scores.state)
    expected = {}
    for ratio_id, rule in program.indicators.rules.ratios.items():
        outcome = compute_ratio(ratio_id, figures)
        band = (next((b for b in rule.bands if b.contains(outcome.value)), None)
                if isinstance(outcome, Computed) else None)
        expected[ratio_id] = (outcome, band)
    return scores.indicators, (year, figures, expected)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_indicators_equal_the_definitions(path: Path) -> None:
    program = _program()
    got, (year, figures, ratios) = _reference(program, dict(load_answers(path, program.bank).answers))
    assert (got.fiscal_year, got.figures, got.ratios) == (year, figures, ratios)
    assert list(got.figures) == list(figures) and list(got.ratios) == list(ratios)
    assert any(isinstance(outcome, Computed) for outcome, _ in got.ratios.values())


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.3, 0.8, 1.0]))
def test_generated_indicators_equal_the_definitions(seed: int, share: float) -> None:
    program = _program()
    answers = sample_answers(program.bank.loaded.bank, random.Random(seed), answered_share=share)
    got, (year, figures, ratios) = _reference(program, answers)
    assert (got.fiscal_year, got.figures, got.ratios) == (year, figures, ratios)
    for ratio_id, (outcome, _) in got.ratios.items():
        _same(outcome, ratios[ratio_id][0])
