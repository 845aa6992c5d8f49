"""Random valid answers to a bank: for benchmarks, property tests and synthetic corpora.

Every value is drawn within its item's type, choices, scale and bounds, so a sample
passes the same checks as an advisor's answers.
"""

from __future__ import annotations

import random
import re
from typing import Any

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.models import Bank, Item, QuestionType

_PATTERNED = ("62010", "https://www.example.fi", "info@example.fi")
_TEXTS = ("Asiakkaat arvostavat nopeaa palvelua.", "Toimintatapa on sovittu, mutta ei kirjattu.",
          "Hallitus käsittelee asiaa kerran vuodessa.")


def _number(item: Item, rng: random.Random, low: float, high: float, whole: bool) -> float | int:
    if item.validation is not None:
        low = item.validation.min if item.validation.min is not None else low
        high = item.validation.max if item.validation.max is not None else high
    if whole:
        return rng.randint(int(low), int(high))
    return round(rng.uniform(low, high), 2)


def sample_value(item: Item, bank: Bank, rng: random.Random) -> Any:
    """A random value that is a valid answer to ``item``."""
    kind = item.type
    if kind is QuestionType.SINGLE_CHOICE:
        return rng.choice(choices_of(item, bank)).value
    if kind is QuestionType.MULTI_CHOICE:
        options = [c for c in choices_of(item, bank) if not c.exclusive]
        count = rng.randint(1, min(len(options), 4))
        if item.validation and item.validation.max_count:
            count = min(count, item.validation.max_count)
        return [c.value for c in rng.sample(options, count)]
    if kind is QuestionType.LIKERT:
        return rng.choice(bank.scales[item.scale or ""].points).value
    if kind is QuestionType.MATRIX:
        columns = item.columns or []
        return {row.id: {col.id: rng.choice(bank.scales[col.scale].points).value for col in columns}
                for row in item.rows or []}
    if kind is QuestionType.BOOLEAN:
        return rng.random() < 0.5
    if kind is QuestionType.PERCENT:
        return _number(item, rng, 0, 100, whole=False)
    if kind is QuestionType.YEAR:
        return _number(item, rng, 1950, 2025, whole=True)
    if kind is QuestionType.INTEGER:
        return _number(item, rng, 0, 50, whole=True)
    if kind in {QuestionType.NUMBER, QuestionType.MONEY}:
        return _number(item, rng, 0, 5_000_000, whole=False)
    if kind is QuestionType.DATE:
        return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind is QuestionType.BUSINESS_ID:
        return "0737546-2"
    if kind is QuestionType.REPEAT_GROUP:
        return [{field.id: sample_value(field, bank, rng) for field in item.items or []}
                for _ in range(rng.randint(1, 3))]
    text = rng.choice(_TEXTS)
    if item.validation and item.validation.pattern:
        pattern = re.compile(item.validation.pattern)
        text = next((t for t in _PATTERNED if pattern.fullmatch(t)), text)
    if item.validation and item.validation.max_length:
        text = text[: item.validation.max_length]
    return text


def sample_answers(bank: Bank, rng: random.Random, *, answered_share: float = 0.9,
                   ) -> dict[str, AnswerEntry]:
    """Answers to every item: most answered, the rest don't know, not applicable or skipped."""
    answers: dict[str, AnswerEntry] = {}
    statuses = (AnswerStatus.DONT_KNOW, AnswerStatus.NOT_APPLICABLE, AnswerStatus.SKIPPED)
    for section in bank.bodies():
        for item in section.items:
            name = f"{section.id}.{item.id}"
            if rng.random() < answered_share:
                answers[name] = AnswerEntry(value=sample_value(item, bank, rng))
            else:
                answers[name] = AnswerEntry(status=rng.choice(statuses))
    return answers
