"""Who goes on the path (issue 16, item 3): the five modules ranked by the company's
recommendations, the closing block's answers, the advisor's decision, and the path's de
minimis aid as conditional on joining."""

from __future__ import annotations

import itertools
from collections import Counter
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
EXAMPLES = ["micro_family_firm", "small_manufacturer", "medium_service_company"]


@cache
def program() -> ScoringProgram:
    return load_program()


def answers_of(example: str, **changes: Any) -> dict[str, AnswerEntry]:
    loaded = load_answers(ROOT / "examples" / f"{example}.answers.yaml", program().bank).answers
    return {**loaded, **{name: AnswerEntry(value=value) for name, value in changes.items()}}


def path_of(result: Result) -> Any:
    assert result.path is not None
    return result.path


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_modules_are_ranked_by_the_companys_recommendations(example: str) -> None:
    result = analyse(program(), answers_of(example))
    assert result.recommendations is not None
    # a cross-cutting recommendation (module null: board work) points to no module
    counts = Counter(rec.module for rec in result.recommendations.items if rec.module is not None)
    modules = path_of(result).modules
    assert [m.rank for m in modules] == [1, 2, 3, 4, 5]
    assert sorted(m.module for m in modules) == [1, 2, 3, 4, 5]
    ranked = sorted(counts.values(), reverse=True)
    assert [m.recommendations for m in modules] == ranked + [0] * (5 - len(counts))
    for module in modules:
        assert module.recommendations == counts.get(module.module, 0)
        assert len(module.recommendation_ids) == module.recommendations
        assert module.title["fi"] and module.title["en"]
    ties = [(a, b) for a, b in itertools.pairwise(modules) if a.recommendations == b.recommendations]
    assert all(a.key_recommendations >= b.key_recommendations for a, b in ties)


def test_the_companys_own_module_choices_are_marked() -> None:
    chosen = ["module_2", "module_5"]
    modules = path_of(analyse(program(), answers_of(
        "small_manufacturer", **{"supporting_competence.training_needs": chosen}))).modules
    assert {m.module for m in modules if m.company_chose} == {2, 5}


def test_the_closing_block_and_the_decision_are_carried() -> None:
    result = analyse(program(), answers_of("micro_family_firm", **{
        "next_steps.path_will": "yes", "next_steps.own_share_affordable": "needs_decision",
        "next_steps.five_days_available": "partly",
        "next_steps.path_candidates": [{"name": "Sanna Koivikko", "role": "board_chair"},
                                       {"name": "Mikko Koivikko", "role": "board_member"}],
        "next_steps.advisor_path_decision": "yes",
        "next_steps.advisor_path_reason": "Tarve on selvä, ja omistajat haluavat lähteä mukaan.",
    }))
    path = path_of(result)
    assert (path.will, path.own_share_affordable) == ("yes", "needs_decision")
    assert path.five_days_available == "partly"
    assert [(c.name, c.role) for c in path.candidates] == [("Sanna Koivikko", "board_chair"),
                                                           ("Mikko Koivikko", "board_member")]
    assert path.decision == "yes"
    assert path.decision_reason == "Tarve on selvä, ja omistajat haluavat lähteä mukaan."
    assert result.calculated["next_steps.candidate_count"] == 2
    assert result.calculated["next_steps.path_own_share"] == 300


@pytest.mark.parametrize(("example", "own_share"), [("micro_family_firm", 300), ("small_manufacturer", 600),
                                                    ("medium_service_company", 900)])
@pytest.mark.parametrize("decision", [None, "yes", "no", "later"])
def test_the_path_aid_is_conditional_on_joining(example: str, own_share: int, decision: str | None) -> None:
    changes = {} if decision is None else {"next_steps.advisor_path_decision": decision,
                                           "next_steps.advisor_path_reason": "Perustelu."}
    path = path_of(analyse(program(), answers_of(example, **changes)))
    assert (path.own_share, path.path_aid) == (own_share, 3900 - own_share)
    condition = path.aid_condition
    assert condition is not None
    assert f"{3900 - own_share:,}".replace(",", "\u00a0") + "\u00a0€" in condition["fi"]
    assert "only if" in condition["en"] or "If the company joins" in condition["en"]
    assert ("vain, jos" in condition["fi"]) or ("Jos yritys osallistuu" in condition["fi"])


def test_an_association_without_economic_activity_gets_no_aid_and_a_warning() -> None:
    result = analyse(program(), answers_of("small_manufacturer", **{
        "basic_info.company_form": "yhdistys", "basic_info.economic_activity": "none"}))
    path = path_of(result)
    assert path.undertaking is False and path.path_aid is None and path.aid_condition is None
    assert path.undertaking_note is not None and path.undertaking_note in result.warnings
    regular = path_of(analyse(program(), answers_of("small_manufacturer", **{
        "basic_info.company_form": "yhdistys", "basic_info.economic_activity": "regular"})))
    assert regular.undertaking is True and regular.path_aid == 3300
