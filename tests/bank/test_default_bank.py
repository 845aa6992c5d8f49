"""The shipped analysis and feedback banks (issue 4)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from asiakasarvo_engine import load_bank
from asiakasarvo_engine.bank.models import Phase, QuestionType
from asiakasarvo_engine.bank.review import bank_markdown
from asiakasarvo_engine.jsonlogic import apply

ROOT = Path(__file__).resolve().parents[2]
FEEDBACK = ROOT / "question_banks" / "palaute" / "bank.yaml"

NINE = [
    ("basic_info", "Yrityksen perustiedot"),
    ("owner_strategy", "Omistajastrategia / omistajien tahto yrityksen kehittämiseen"),
    ("business_model", "Liiketoimintamalli"),
    ("market_position", "Kilpailijat, markkina-asema, kumppanit"),
    ("superior_customer_value", "Ylivoimainen asiakasarvo"),
    ("management", "Nykyinen johto"),
    ("financial_position", "Taloudellinen asema"),
    ("customer_value_competence", "Asiakasarvon osaaminen"),
    ("supporting_competence", "Asiakasarvoa tukeva osaaminen"),
]
CLOSING = ("next_steps", "Yhteenveto ja seuraavat askeleet")


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank()


def test_nine_sections_and_the_closing_block_with_finnish_titles_in_order(bank) -> None:  # type: ignore[no-untyped-def]
    sections = bank.bank.bodies()
    assert [(s.id, s.title["fi"]) for s in sections] == [*NINE, CLOSING]


def test_size_and_agenda(bank) -> None:  # type: ignore[no-untyped-def]
    sections = bank.bank.bodies()
    counts = [len(s.items) for s in sections[:9]]
    assert all(10 <= n <= 25 for n in counts), counts
    assert 5 <= len(sections[9].items) <= 10
    assert 120 <= sum(counts) <= 190, sum(counts)
    # every question at the sections' own minutes: the full variant, closing block included
    assert 180 <= sum(s.agenda_minutes for s in sections) <= 260


def test_every_item_has_provenance_and_numeric_bounds(bank) -> None:  # type: ignore[no-untyped-def]
    for section in bank.bank.bodies():
        for item in section.items:
            where = f"{section.id}.{item.id}"
            assert item.provenance is not None, where
            if item.type in {QuestionType.MONEY, QuestionType.NUMBER, QuestionType.INTEGER,
                             QuestionType.PERCENT}:
                assert item.validation is not None, where
                assert item.validation.min is not None or item.validation.max is not None, where


def test_every_meeting_item_has_help_and_prompt(bank) -> None:  # type: ignore[no-untyped-def]
    missing = [f"{section.id}.{item.id}" for section in bank.bank.bodies()
               for item in section.items
               if item.help is None or (item.phase is Phase.MEETING and item.prompt is None)]
    assert missing == []


def test_likert_scales_label_every_point(bank) -> None:  # type: ignore[no-untyped-def]
    for scale in bank.bank.scales.values():
        assert all(p.label.get("fi") and p.label.get("en") for p in scale.points)
        assert scale.allow_dont_know and scale.allow_not_applicable


def _municipality_item(bank):  # type: ignore[no-untyped-def]
    section = bank.bank.bodies()[0]
    return next(item for item in section.items if item.id == "municipality"), section


def test_every_programme_municipality_maps_to_its_province(bank) -> None:  # type: ignore[no-untyped-def]
    with (ROOT / "tests" / "data" / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 44
    item, section = _municipality_item(bank)
    assert sorted(c.value for c in item.choices or []) == sorted(r["municipality_value"] for r in rows)
    province = next(c for c in section.calculated if c.id == "province")
    from asiakasarvo_engine.bank.expressions import to_json_logic

    rule = to_json_logic(province.expression)
    for row in rows:
        data = {"basic_info": {"municipality": row["municipality_value"]}}
        assert apply(rule, data) == row["province"], row
    assert apply(rule, {"basic_info": {}}) is None or apply(rule, {"basic_info": {}}) == ""


def test_feedback_bank_loads_with_its_surveys() -> None:
    feedback = load_bank(FEEDBACK)
    ids = [s.id for s in feedback.bank.bodies()]
    assert ids == ["respondent", "after_analysis", "module_1", "module_2", "module_3", "module_4",
                   "module_5", "follow_up"]
    assert "nps11" in feedback.bank.scales
    assert len(feedback.bank.scales["nps11"].points) == 11


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_review_documents_are_current(bank, lang: str) -> None:  # type: ignore[no-untyped-def]
    stored = (ROOT / "docs" / f"question-bank.{lang}.md").read_text(encoding="utf-8")
    assert stored == bank_markdown(bank.bank, lang), (
        f"docs/question-bank.{lang}.md is stale; regenerate it with "
        f"`asiakasarvo bank show --lang {lang} > docs/question-bank.{lang}.md`")
