"""Legal forms (issue 16, item 4): what is asked follows the form, recommendations that
cannot apply to a form never fire for it, and a company without a CEO hands the CEO's
recommendations to its board (or, without a board, to its owners)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Result

ROOT = Path(__file__).resolve().parents[2]
FORMS = ["oy", "oyj", "ay", "ky", "tmi", "osuuskunta", "saatio", "yhdistys"]
NON_PROFIT = {"saatio", "yhdistys"}
OWNERS_ONLY = {"shareholder_agreement", "settle_owner_disagreement", "succession_plan", "urgent_succession",
               "exit_value_from_customers"}
"""Recommendations about owners' agreements, dividends and a change of ownership."""
OWNER_ITEMS = {"basic_info.owners", "owner_strategy.shareholder_agreement", "owner_strategy.dividend_policy",
               "owner_strategy.succession_horizon", "owner_strategy.owners_aligned"}
NON_PROFIT_ITEMS = {"basic_info.has_executive_director", "basic_info.economic_activity",
                    "owner_strategy.purpose_and_members"}


@cache
def program() -> ScoringProgram:
    return load_program()


def troubled_owners(form: str, **more: Any) -> dict[str, AnswerEntry]:
    """The small manufacturer's answers with every owner trouble the rules know: no
    shareholders' agreement, disagreement on growth and dividends, a change of ownership
    within two years with little preparation, a sale to an outsider."""
    example = ROOT / "examples" / "small_manufacturer.answers.yaml"
    answers = dict(load_answers(example, program().bank).answers)
    changes: dict[str, Any] = {
        "basic_info.company_form": form,
        "owner_strategy.shareholder_agreement": False,
        "owner_strategy.growth_focus": "not_agreed",
        "owner_strategy.dividend_policy": "not_agreed",
        "owner_strategy.owners_aligned": 2,
        "owner_strategy.succession_horizon": "within_2y",
        "owner_strategy.succession_preparation": 1,
        "owner_strategy.exit_route": "outside_buyer",
        **more,
    }
    for name, value in changes.items():
        answers[name] = AnswerEntry(value=value)
    return answers


def fired(result: Result) -> set[str]:
    assert result.recommendations is not None
    return {rec.id for rec in result.recommendations.items}


@pytest.mark.parametrize("form", FORMS)
def test_owner_recommendations_fire_only_where_there_are_owners(form: str) -> None:
    got = fired(analyse(program(), troubled_owners(form)))
    if form in NON_PROFIT:
        assert not got & OWNERS_ONLY, f"{form}: {sorted(got & OWNERS_ONLY)}"
    elif form == "tmi":
        assert "shareholder_agreement" not in got  # a sole trader has no co-owners to agree with
        assert {"urgent_succession", "settle_owner_disagreement"} <= got
    else:
        assert {"shareholder_agreement", "urgent_succession", "settle_owner_disagreement",
                "exit_value_from_customers"} <= got


@pytest.mark.parametrize("form", FORMS)
def test_what_is_asked_follows_the_form(form: str) -> None:
    state = program().bank.evaluate({"basic_info.company_form": form, "basic_info.board_members": 3,
                                     "owner_strategy.succession_horizon": "within_2y"})
    shown = set(program().bank.items) - state.hidden
    if form in NON_PROFIT:
        assert not shown & OWNER_ITEMS
        assert "basic_info.has_ceo" not in shown
        assert {"basic_info.has_executive_director", "basic_info.economic_activity",
                "owner_strategy.purpose_and_members"} <= shown
        assert ("basic_info.member_count" in shown) == (form == "yhdistys")
    else:
        assert not shown & NON_PROFIT_ITEMS
        assert {"basic_info.owners", "owner_strategy.dividend_policy", "owner_strategy.succession_horizon",
                "owner_strategy.succession_preparation"} <= shown
        assert ("basic_info.has_ceo" in shown) == (form not in {"tmi", "ay", "ky"})


def test_without_a_ceo_the_board_owns_the_ceos_recommendations() -> None:
    with_ceo = analyse(program(), troubled_owners("oy", **{"basic_info.has_ceo": True}))
    assert with_ceo.recommendations is not None
    ceo_recs = {rec.id for rec in with_ceo.recommendations.items if rec.owner == "ceo"}
    assert ceo_recs
    without = analyse(program(), troubled_owners("oy", **{"basic_info.has_ceo": False}))
    assert without.recommendations is not None
    owners = {rec.id: rec for rec in without.recommendations.items}
    assert all(owners[rec].owner == "board" and owners[rec].declared_owner == "ceo" for rec in ceo_recs)
    reason = owners[next(iter(ceo_recs))].owner_reason
    assert reason is not None and "toimitusjohtajaa" in reason["fi"] and "no CEO" in reason["en"]
    assert "management.ceo_evaluation" not in set(program().bank.items) - program().bank.evaluate(
        {"basic_info.company_form": "oy", "basic_info.board_members": 3, "basic_info.has_ceo": False}).hidden


def test_without_a_ceo_or_a_board_the_owners_own_them() -> None:
    answers = troubled_owners("oy", **{"basic_info.has_ceo": False, "basic_info.board_members": 0})
    result = analyse(program(), answers)
    assert result.recommendations is not None
    owners = {rec.owner for rec in result.recommendations.items if rec.declared_owner in {"ceo", "board"}}
    assert owners == {"owners"}


def test_an_association_without_an_executive_director_hands_them_to_its_board() -> None:
    result = analyse(program(), troubled_owners("yhdistys", **{"basic_info.has_executive_director": False}))
    assert result.recommendations is not None
    assert not [rec for rec in result.recommendations.items if rec.owner == "ceo"]
