"""The report's path selection (issue 16, item 3): the modules' need, the advisor's proposal,
the aid as conditional on joining, and no aid table for an organisation that is no undertaking."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import build_report, render_markdown
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

ROOT = Path(__file__).resolve().parents[2]


@cache
def program() -> ScoringProgram:
    return load_program()


def markdown(example: str, lang: str, **changes: Any) -> str:
    answers = dict(load_answers(ROOT / "examples" / f"{example}.answers.yaml", program().bank).answers)
    answers.update({name: AnswerEntry(value=value) for name, value in changes.items()})
    return render_markdown(build_report(analyse(program(), answers), answers, program(), lang=lang))


def part(text: str, start: str, end: str) -> str:
    """From ``start`` to the next ``end`` after it."""
    begin = text.index(start)
    return text[begin:text.index(end, begin + len(start))]


@pytest.mark.parametrize(("lang", "heading", "proposal", "aid"), [
    ("fi", "## Ehdotettu koulutuspolku", "**Asiantuntijan päätösesitys: Myöhemmin.**",
     "syntyy vain, jos yritys osallistuu polulle"),
    ("en", "## Proposed training path", "**The advisor's proposal: Later.**",
     "arises only if the company joins the path"),
])
def test_the_path_part_shows_the_need_the_proposal_and_the_conditional_aid(
        lang: str, heading: str, proposal: str, aid: str) -> None:
    text = markdown("micro_family_firm", lang)
    path = part(text, heading, "## De minimis")
    assert proposal in path and "Mikon viisi päivää" in path
    ranked = path.split(":*", 1)[1].split(".", 1)[0]
    assert ranked.lstrip().startswith(("moduuli 3 (", "module 3 ("))
    assert aid in part(text, "## De minimis", "\n## ")


def test_an_association_without_economic_activity_gets_the_note_instead_of_the_aid_table() -> None:
    text = markdown("small_manufacturer", "fi", **{"basic_info.company_form": "yhdistys",
                                                   "basic_info.economic_activity": "none"})
    statement = part(text, "## De minimis", "*Analyysin perusta:*")
    assert "ei ole EU:n pk-määritelmän mukainen yritys" in statement
    assert "| Koulutuspolun tuki" not in statement and "Uusi tuki yhteensä" not in statement


def test_a_user_text_in_the_reason_stays_text() -> None:
    hostile = "<script>x</script> **lihava**"
    text = markdown("micro_family_firm", "fi", **{"next_steps.advisor_path_reason": hostile})
    path = part(text, "## Ehdotettu koulutuspolku", "## De minimis")
    assert "<script>" not in path and "**lihava**" not in path
