"""Levels that mean what they say (issue 16): anchored advisor ratings, gates, size-class norms."""

from __future__ import annotations

import re

import pytest

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.scoring.engine import score
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


def _scored_sections(program: ScoringProgram) -> list[str]:
    return list(program.rules.rules.sections)


def test_every_scored_section_has_an_advisor_rating_anchored_at_1_3_and_5(program: ScoringProgram) -> None:
    for section in _scored_sections(program):
        item = program.bank.items[f"{section}.advisor_rating"].item
        assert item.scale == "practice5" and item.phase.value == "assessment", section
        assert program.rules.rules.sections[section].items["advisor_rating"].weight == 2, section
        assert item.help is not None
        for lang in ("fi", "en"):
            anchors = re.findall(r"\b([1-5]) = ", item.help[lang])
            assert anchors == ["1", "3", "5"], (section, lang, anchors)


def test_every_scored_section_has_a_gate_that_keeps_level_4_honest(program: ScoringProgram) -> None:
    for section, rule in program.rules.rules.sections.items():
        caps = [gate.cap_level for gate in rule.gates]
        assert any(cap <= 3 for cap in caps), section
        for gate in rule.gates:
            assert gate.reason["fi"] and gate.reason["en"] and gate.source, gate.id


def _board(program: ScoringProgram, staff: float, turnover: float, meetings: int) -> float | None:
    answers = {"basic_info.staff_headcount": AnswerEntry(value=staff),
               "basic_info.turnover": AnswerEntry(value=turnover),
               "basic_info.balance_sheet_total": AnswerEntry(value=turnover / 2),
               "basic_info.board_members": AnswerEntry(value=3),
               "management.board_meetings_per_year": AnswerEntry(value=meetings)}
    return score(program, answers).items["management.board_meetings_per_year"].score


@pytest.mark.parametrize(("staff", "turnover", "meetings", "expected"), [
    (5, 800_000, 4, 100), (5, 800_000, 2, 50),          # micro: four a year is the norm
    (30, 5_000_000, 4, 66.6667), (30, 5_000_000, 6, 100),  # small: six
    (120, 20_000_000, 4, 40), (120, 20_000_000, 10, 100), (120, 20_000_000, 12, 100),  # medium: ten
])
def test_board_meetings_are_scored_against_the_size_class_norm(
        program: ScoringProgram, staff: float, turnover: float, meetings: int, expected: float) -> None:
    assert _board(program, staff, turnover, meetings) == pytest.approx(expected, abs=0.01)


def test_an_unwritten_owner_will_scores_by_the_documentation_norm(program: ScoringProgram) -> None:
    def documented(staff: float, turnover: float) -> float | None:
        answers = {"basic_info.staff_headcount": AnswerEntry(value=staff),
                   "basic_info.turnover": AnswerEntry(value=turnover),
                   "basic_info.balance_sheet_total": AnswerEntry(value=turnover / 2),
                   "owner_strategy.documented": AnswerEntry(value="discussed")}
        return score(program, answers).items["owner_strategy.documented"].score
    assert documented(4, 500_000) == 60
    assert documented(40, 6_000_000) == 45
