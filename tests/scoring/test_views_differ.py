"""The "views differ" flag on rating questions: kept with the answer, shown, never scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.answers_load import check_answers, load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import build_report, render_markdown
from asiakasarvo_engine.scoring.engine import score
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

ROOT = Path(__file__).resolve().parents[2]
MICRO = ROOT / "examples" / "micro_family_firm.answers.yaml"
HEAD = 'schema_version: "1.0"\nkind: answers\nbank: {id: asiakasarvo}\nanswers:\n'


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


def test_the_flag_is_kept_with_a_rating_answer(program: ScoringProgram) -> None:
    answers = load_answers(MICRO, program.bank).answers
    assert answers["owner_strategy.owners_aligned"].views_differ is True
    assert answers["owner_strategy.owners_aligned"].value == 3
    assert answers["owner_strategy.investment_willingness"].views_differ is False


def test_the_flag_never_changes_a_score(program: ScoringProgram) -> None:
    answers = dict(load_answers(MICRO, program.bank).answers)
    flagged = score(program, answers)
    answers["owner_strategy.owners_aligned"] = AnswerEntry(value=3)
    plain = score(program, answers)
    assert flagged.sections == plain.sections
    assert flagged.overall == plain.overall


def test_the_flag_on_a_question_that_is_no_rating_is_an_error_at_its_key(
        program: ScoringProgram, tmp_path: Path) -> None:
    path = tmp_path / "x.answers.yaml"
    path.write_text(HEAD + "  owner_strategy.documented: {value: discussed, views_differ: true}\n"
                    "  owner_strategy.owners_aligned: {value: 2, views_differ: true}\n", encoding="utf-8")
    loaded, diagnostics = check_answers(path, program.bank)
    assert loaded is None
    assert [(d.code, d.pointer, d.span.line if d.span else None) for d in diagnostics] == [
        ("ANS-009", "/answers/owner_strategy.documented/views_differ", 5)]
    assert "single_choice" in str(diagnostics[0])


@pytest.mark.parametrize(("lang", "words"), [("fi", "Näkemykset eroavat: omistajat"),
                                             ("en", "Views differ: the owners")])
def test_the_advisor_appendix_says_views_differ_beside_the_answer(
        program: ScoringProgram, lang: str, words: str) -> None:
    answers = load_answers(MICRO, program.bank).answers
    result = analyse(program, answers)
    with_appendix = render_markdown(build_report(result, answers, program, lang=lang, advisor_appendix=True))
    client = render_markdown(build_report(result, answers, program, lang=lang))
    assert with_appendix.count(words) == 1
    assert words not in client
