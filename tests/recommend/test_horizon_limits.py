"""Horizon limits: a micro firm gets at most three 0-3 month actions; the rest move on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_recommendations import _program_with, _rec, _shipped_rules, _write

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

ROOT = Path(__file__).resolve().parents[2]
WHEN = "management.strategy_to_goals <= 2"


def _answers(staff: float) -> dict[str, AnswerEntry]:
    """A firm of ``staff`` people (micro below ten, with small figures) and a weak strategy."""
    return {"basic_info.staff_headcount": AnswerEntry(value=staff),
            "basic_info.turnover": AnswerEntry(value=900_000),
            "basic_info.balance_sheet_total": AnswerEntry(value=400_000),
            "management.strategy_status": AnswerEntry(value="in_heads"),
            "management.strategy_to_goals": AnswerEntry(value=2)}


def _five(**first: Any) -> list[dict[str, Any]]:
    """Five 0-3 month recommendations, ranked by falling impact (r1 first)."""
    return [_rec(f"r{n}", WHEN, impact=6 - n, **(first if n == 1 else {})) for n in range(1, 6)]


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


def test_a_micro_firm_keeps_the_three_highest_ranked_urgent_actions(tmp_path: Path) -> None:
    recs = analyse(_program_with(tmp_path, _five()), _answers(5)).recommendations
    assert recs is not None
    assert [(r.id, r.horizon, r.declared_horizon) for r in recs.items] == [
        ("r1", "0-3", None), ("r2", "0-3", None), ("r3", "0-3", None),
        ("r4", "3-12", "0-3"), ("r5", "3-12", "0-3")]
    assert recs.by_horizon["0-3"] == ["r1", "r2", "r3"]
    assert recs.items[3].horizon_reason is not None and "micro" in recs.items[3].horizon_reason["en"]
    assert recs.items[0].horizon_reason is None


def test_a_small_firm_keeps_every_urgent_action(tmp_path: Path) -> None:
    recs = analyse(_program_with(tmp_path, _five()), _answers(20)).recommendations
    assert recs is not None
    assert [r.horizon for r in recs.items] == ["0-3"] * 5
    assert all(r.declared_horizon is None for r in recs.items)


def test_an_alert_is_never_moved_but_counts_towards_the_three(tmp_path: Path) -> None:
    items = [*_five(), _rec("warning", WHEN, impact=1, alert=True)]
    recs = analyse(_program_with(tmp_path, items), _answers(5)).recommendations
    assert recs is not None
    assert recs.by_horizon["0-3"] == ["warning", "r1", "r2"]
    assert [r.id for r in recs.items if r.declared_horizon == "0-3"] == ["r3", "r4", "r5"]


def test_the_micro_example_has_at_most_three_urgent_actions(program: ScoringProgram) -> None:
    answers = load_answers(ROOT / "examples" / "micro_family_firm.answers.yaml", program.bank).answers
    recs = analyse(program, answers).recommendations
    assert recs is not None
    assert len(recs.by_horizon["0-3"]) == 3
    assert any(r.declared_horizon == "0-3" and r.horizon == "3-12" for r in recs.items)


def test_an_unknown_name_in_a_limit_is_reported(tmp_path: Path) -> None:
    data = _shipped_rules()
    data["recommendations"]["horizon_limits"][0]["when"] = "result.size_klass == 'micro'"
    with pytest.raises(LoadError) as caught:
        load_program(_write(tmp_path, data))
    assert [(d.code, d.pointer) for d in caught.value.diagnostics] == [
        ("RULE-012", "/recommendations/horizon_limits/0/when")]
