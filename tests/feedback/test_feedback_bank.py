"""The feedback bank (issue 16 item 6): its rules load with it, and a survey's answers score."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "question_banks" / "palaute" / "bank.yaml"
RULES = ROOT / "scoring_rules" / "palaute" / "rules.yaml"
DATA = Path(__file__).parent / "data"
SURVEYS = ["after_analysis", "module_1", "module_2", "module_3", "module_4", "module_5", "follow_up"]


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program(RULES, BANK)


def test_validate_checks_the_bank_with_its_rules_clean() -> None:
    from click.testing import CliRunner

    from asiakasarvo_engine.cli.app import cli

    done = CliRunner().invoke(cli, ["--lang", "en", "validate", str(BANK), str(RULES), "--format", "json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["ok"] is True
    assert all(not f["diagnostics"] for f in report["files"]), report


def test_sections_are_the_respondent_part_and_one_per_survey(program: ScoringProgram) -> None:
    bank = program.bank.loaded.bank
    assert [s.id for s in bank.bodies()] == ["respondent", *SURVEYS]
    respondent = bank.bodies()[0]
    survey = next(i for i in respondent.items if i.id == "survey")
    assert [c.value for c in survey.choices or []] == SURVEYS
    assert {i.id for i in respondent.items} >= {"privacy_notice_read", "role"}
    assert "Tietosuojaseloste" in (respondent.intro or {})["fi"]
    assert "Privacy notice" in (respondent.intro or {})["en"]


def test_every_module_has_before_now_pairs_and_the_quality_items(program: ScoringProgram) -> None:
    bank = program.bank.loaded.bank
    for number in range(1, 6):
        section = next(s for s in bank.bodies() if s.id == f"module_{number}")
        ids = [i.id for i in section.items]
        before = [i[len(f"m{number}_before_"):] for i in ids if i.startswith(f"m{number}_before_")]
        now = [i[len(f"m{number}_now_"):] for i in ids if i.startswith(f"m{number}_now_")]
        assert 3 <= len(before) <= 4
        assert before == now
        assert {"usefulness", "trainer", "company_case", "themes", "recommend"} <= set(ids)
        themes = next(i for i in section.items if i.id == "themes")
        assert themes.type is QuestionType.MATRIX
        assert [r.id for r in themes.rows or []] == ["board_work", "responsibility", "ai",
                                                     "knowledge_management"]
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_each_survey_is_shown_only_to_its_respondents(program: ScoringProgram) -> None:
    bank = program.bank
    for chosen in SURVEYS:
        state = bank.evaluate({"respondent.survey": chosen})
        shown = {name.partition(".")[0] for name in bank.items if name not in state.hidden}
        assert shown == {"respondent", chosen}
        assert "respondent.role" in state.required
        assert f"{chosen}.recommend" in state.required


def _score(program: ScoringProgram, path: Path) -> dict[str, object]:
    loaded = load_answers(path, program.bank)
    result = analyse(program, loaded.answers, date=loaded.file.date)
    return result.model_dump(mode="json")


def test_module_survey_answers_score_by_the_rules(program: ScoringProgram) -> None:
    result = _score(program, DATA / "module_3.answers.yaml")
    sections = result["sections"]
    assert isinstance(sections, dict)
    # now 4,3,4,3 -> 75,50,75,50; usefulness 4 -> 75 (weight 2); trainer 5 -> 100; case 4 -> 75;
    # homework 3 -> 50; own plan 4 -> 75; themes 4,3,2,4 -> mean 56.25; eleven weights in all.
    expected = (75 + 50 + 75 + 50 + 2 * 75 + 100 + 75 + 50 + 75 + 56.25) / 11
    assert sections["module_3"]["score"] == pytest.approx(expected, abs=0.05)
    assert sections["module_3"]["level"]["level"] == 4
    assert sections["respondent"]["status"] == "descriptive"
    for other in SURVEYS:
        if other != "module_3":
            assert sections[other]["score"] is None, other
    calculated = result["calculated"]
    assert isinstance(calculated, dict)
    assert calculated["module_3.m3_gain"] == pytest.approx((14 - 8) / 4)
    assert calculated["module_3.recommend_group"] == 100
    assert calculated["module_1.recommend_group"] is None


def test_follow_up_scores_what_was_put_into_practice(program: ScoringProgram) -> None:
    answers = {
        "respondent.privacy_notice_read": AnswerEntry(value=True),
        "respondent.survey": AnswerEntry(value="follow_up"),
        "respondent.role": AnswerEntry(value="owner"),
        "follow_up.plan_status": AnswerEntry(value="mostly"),
        "follow_up.implemented_actions": AnswerEntry(value=[
            {"action": "Asiakaskysely kahdesti vuodessa", "module": "module_5", "status": "in_use"}]),
        "follow_up.modules_applied": AnswerEntry(value={"module_1": {"extent": 5},
                                                        "module_5": {"extent": 3}}),
        "follow_up.metric_in_use": AnswerEntry(value=False),
        "follow_up.recommend": AnswerEntry(value=6),
    }
    result = analyse(program, answers).model_dump(mode="json")
    follow = result["sections"]["follow_up"]
    # plan 80 (weight 2), modules (100 + 50) / 2 = 75, no metric 0: (160 + 75 + 0) / 4
    assert follow["score"] == pytest.approx((2 * 80 + 75 + 0) / 4, abs=0.05)
    assert result["calculated"]["follow_up.recommend_group"] == -100
    state = program.bank.evaluate({name: entry.value for name, entry in answers.items()})
    assert "follow_up.implemented_actions" in state.required
    assert "follow_up.metric_name" in state.hidden
    assert "follow_up.not_started_reason" in state.hidden
