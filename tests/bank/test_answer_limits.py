"""Answers at the edges: integers beyond the float range, a negative zero, the business id
and meeting date of an answers file and of a new session (issue 13, items 1 and 8).

The same check refuses them wherever they come from: ``check_value`` (the answers file,
the interview), ``check_meta`` (the answers file's cover data, ``Interview.start``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine.bank.answer_check import check_meta, check_value
from asiakasarvo_engine.bank.answers_load import check_answers
from asiakasarvo_engine.bank.load import check_bank
from asiakasarvo_engine.bank.models import Item
from asiakasarvo_engine.rules.load import check_rules
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.interview import Interview, InterviewError
from asiakasarvo_engine.session.store import MemoryStore

BAD = Path(__file__).resolve().parents[1] / "data" / "bad_answers"
HUGE = 10**400
TEXT = {"fi": "Kysymys", "en": "Question"}


@cache
def program() -> ScoringProgram:
    return load_program()


def _item(kind: str, **fields: Any) -> Item:
    return Item.model_validate({"id": "q", "type": kind, "text": TEXT, **fields})


@pytest.mark.parametrize(("item", "value", "pointer"), [
    (_item("number"), HUGE, ""),
    (_item("number"), -HUGE, ""),
    (_item("money", validation={"min": 0}), HUGE, ""),
    (_item("integer"), HUGE, ""),
    (_item("year", validation={"min": 1800, "max": 2026}), HUGE, ""),
    (_item("percent"), HUGE, ""),
    (_item("repeat_group", items=[{"id": "share", "type": "percent", "text": TEXT}]),
     [{"share": HUGE}], "/0/share"),
], ids=lambda v: repr(v)[:30])
def test_an_integer_beyond_the_float_range_is_an_answer_problem(item: Item, value: Any, pointer: str) -> None:
    bank = program().bank.loaded.bank
    problems = list(check_value(item, value, bank))
    assert [(p.pointer, p.code) for p in problems] == [(pointer, "ANS-004")]
    assert problems[0].expected == "a number within ±1.8e308"
    assert problems[0].found in {"1.000e+400", "-1.000e+400"}


def test_the_largest_float_and_its_integer_are_still_numbers() -> None:
    bank = program().bank.loaded.bank
    assert list(check_value(_item("number"), 1.7976931348623157e308, bank)) == []
    assert list(check_value(_item("number"), int(1.7976931348623157e308), bank)) == []


@pytest.mark.parametrize("kind", ["number", "money", "percent"])
def test_a_negative_zero_is_refused_and_zero_is_fine(kind: str) -> None:
    bank = program().bank.loaded.bank
    [problem] = check_value(_item(kind), -0.0, bank)
    assert (problem.code, problem.found) == ("ANS-004", "-0.0")
    assert list(check_value(_item(kind), 0.0, bank)) == []
    assert list(check_value(_item(kind), 0, bank)) == []


@pytest.mark.parametrize(("stem", "pointer"), [
    ("ANS-004_beyond_float", "/answers/basic_info.turnover"),
    ("ANS-004_negative_zero", "/answers/basic_info.balance_sheet_total"),
    ("ANS-005_company_business_id", "/company/business_id"),
    ("ANS-004_meeting_date", "/date"),
])
def test_the_answers_file_refuses_them_at_their_position(stem: str, pointer: str) -> None:
    loaded, diagnostics = check_answers(BAD / f"{stem}.yaml", program().bank)
    assert loaded is None
    assert [d.pointer for d in diagnostics] == [pointer]


@pytest.mark.parametrize(("business_id", "date", "found"), [
    ("3636122-0", None, [("/company/business_id", "ANS-005")]),
    ("0737546-3", None, [("/company/business_id", "ANS-005")]),
    ("0737546", None, [("/company/business_id", "ANS-005")]),
    (None, "2026-02-30", [("/date", "ANS-004")]),
    (None, "30.1.2026", [("/date", "ANS-002")]),
    ("0737546-2", "2026-01-15", []),
    (None, None, []),
])
def test_check_meta(business_id: str | None, date: str | None, found: list[tuple[str, str]]) -> None:
    assert [(p.pointer, p.code) for p in check_meta(business_id, date)] == found


def test_the_interview_refuses_a_huge_answer_and_stores_nothing() -> None:
    store = MemoryStore()
    interview = Interview.start(program(), store, company="Testi Oy", advisor="Anna")
    before = len(store.events(interview.session_id))
    outcome = interview.answer("basic_info.turnover", HUGE)
    assert [(d.code, d.pointer) for d in outcome.problems] == [("ANS-004", "/answers/basic_info.turnover")]
    outcome = interview.answer("basic_info.turnover", -0.0)
    assert [d.code for d in outcome.problems] == ["ANS-004"]
    assert len(store.events(interview.session_id)) == before
    assert "basic_info.turnover" not in interview.answers


def test_a_session_cannot_start_with_an_invalid_business_id() -> None:
    store = MemoryStore()
    with pytest.raises(InterviewError, match="3636122-0"):
        Interview.start(program(), store, company=Company(name="X Oy", business_id="3636122-0"),
                        advisor="Anna")
    interview = Interview.start(program(), store, company=Company(name="X Oy", business_id="0737546-2"),
                                advisor="Anna")
    assert interview.session_id


def test_a_huge_number_elsewhere_is_reported_briefly() -> None:
    path = BAD.parent / "bad_rules" / "SCH-001_beyond_float_weight.yaml"
    _, diagnostics = check_rules(path, program().bank.loaded)
    [problem] = [d for d in diagnostics if d.pointer == "/sections/owner_strategy/weight"]
    assert problem.code == "SCH-001"
    assert len(problem.message("en")) < 200
    assert "..." in problem.found


def test_a_bad_bound_in_an_included_section_is_one_problem_not_every_branch(tmp_path: Path) -> None:
    valid = (BAD.parent / "bad_banks" / "_valid.yaml").read_text(encoding="utf-8")
    bound = f"        validation: {{max: {HUGE}}}\n"
    text = valid.replace("        type: likert\n", "        type: likert\n" + bound, 1)
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    _, diagnostics = check_bank(path)
    assert [(d.code, d.pointer) for d in diagnostics] == [("SCH-001", "/sections/0/items/1/validation/max")]
