"""One size-class definition for the bank and the scoring (issue 13, item 8).

The bank's calculated ``basic_info.size_class`` (``aa.sme_size_class``) and the scoring's
size class (``indicators.size_class``) are the same decision (``asiakasarvo_engine.eu_sme``):
a figure that is missing leaves its limit unknown, and the class is null/undetermined
unless the figures given decide it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.jsonlogic import apply
from asiakasarvo_engine.scoring.engine import evaluate, score
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

M = 1_000_000
NAMES = ("basic_info.staff_headcount", "basic_info.turnover", "basic_info.balance_sheet_total")


@cache
def program() -> ScoringProgram:
    return load_program()


def _both(staff: float | None, turnover: float | None, balance: float | None) -> tuple[Any, Any]:
    values = dict(zip(NAMES, (staff, turnover, balance), strict=True))
    answers = {name: AnswerEntry(value=value) for name, value in values.items() if value is not None}
    calculated = evaluate(program(), answers, every_calculated=True).state.calculated["basic_info.size_class"]
    result = score(program(), answers)
    assert result.indicators is not None
    return calculated, result.indicators.size_class.size_class


@pytest.mark.parametrize(("staff", "turnover", "balance", "expected"), [
    (5, None, 3 * M, None),  # micro if the turnover is at most 2 MEUR, else small: undetermined
    (5, None, 1 * M, "micro"),
    (5, 1 * M, None, "micro"),
    (5, 3 * M, 3 * M, "small"),
    (300, None, None, "large"),
    (None, 60 * M, 50 * M, "large"),
    (None, 1 * M, 1 * M, None),
    (40, None, None, None),
    (9, 2 * M, 2 * M, "micro"),
    (10, 2 * M, 2 * M, "small"),
])
def test_the_bank_and_the_scoring_give_the_same_class(staff: float | None, turnover: float | None,
                                                       balance: float | None, expected: str | None) -> None:
    calculated, scored = _both(staff, turnover, balance)
    assert calculated == scored == expected


_FIGURE = st.one_of(st.none(), st.integers(0, 60 * M), st.sampled_from([2 * M, 10 * M, 43 * M, 50 * M]))
_STAFF = st.one_of(st.none(), st.integers(0, 400), st.sampled_from([9, 10, 49, 50, 249, 250]))


@settings(max_examples=60, deadline=None)
@given(_STAFF, _FIGURE, _FIGURE)
def test_they_agree_for_any_figures(staff: int | None, turnover: int | None, balance: int | None) -> None:
    calculated, scored = _both(staff, turnover, balance)
    assert calculated == scored


@pytest.mark.parametrize(("args", "expected"), [
    ([5, None, 3 * M], None),
    ([5, "", 1 * M], "micro"),
    ([5, True, 1 * M], "micro"),  # not a number: missing, as the scoring reads it
    ([None, None, None], None),
    ([250, None, None], "large"),
])
def test_the_expression_operation(args: list[Any], expected: str | None) -> None:
    assert apply({"aa.sme_size_class": args}, {}) == expected


@pytest.mark.parametrize("odd", [-1, -0.5, 10**400, float("inf"), float("nan"), "5", [5]],
                         ids=["-1", "-0.5", "10**400", "inf", "nan", "text", "list"])
def test_a_value_that_is_no_figure_counts_as_missing(odd: Any) -> None:
    x = {"var": "x"}
    assert apply({"aa.sme_size_class": [x, None, 1 * M]}, {"x": odd}) is None  # staff unknown
    assert apply({"aa.sme_size_class": [5, x, 1 * M]}, {"x": odd}) == "micro"  # the balance sheet decides


def test_a_figure_beyond_the_float_range_is_no_figure_to_the_scoring() -> None:
    # Only the Python API can hand the scoring such a value (every answer check refuses it).
    staff = {"basic_info.staff_headcount": AnswerEntry(value=5)}
    huge = score(program(), {**staff, "basic_info.turnover": AnswerEntry(value=10**400)}).indicators
    unknown = score(program(), staff).indicators
    assert huge is not None and unknown is not None
    assert huge.size_class.size_class == unknown.size_class.size_class
