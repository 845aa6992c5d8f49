"""The answers file: answers to a bank's items, with status, note, time and author."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from asiakasarvo_engine._model_base import Frozen, Identifier
from asiakasarvo_engine.rules.models import BankRef

AnswerValue = str | int | float | bool | list[Any] | dict[str, Any] | None


class AnswerStatus(StrEnum):
    """Whether an item was answered, and if not, why."""

    ANSWERED = "answered"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"


class AnswerEntry(Frozen):
    """An answer in long form."""

    value: AnswerValue = None
    status: AnswerStatus = AnswerStatus.ANSWERED
    note: str | None = Field(default=None, max_length=20000)
    time: str | None = Field(default=None, description="ISO 8601 date-time of the answer.")
    author: str | None = Field(default=None, max_length=200)
    views_differ: bool = Field(default=False, description=(
        "On a rating (Likert) question: the owners or board members disagree on it. Shown with "
        "the answer in the report; it never changes a score."))


class Company(Frozen):
    """Who the answers are about (optional; the bank's basic info is authoritative)."""

    name: str | None = Field(default=None, max_length=300)
    business_id: str | None = None


class AnswersFile(Frozen):
    """Answers keyed by ``section.item``; a bare value is shorthand for an answered entry."""

    schema_version: Literal["1.0"]
    kind: Literal["answers"]
    bank: BankRef
    company: Company | None = None
    advisor: str | None = Field(default=None, max_length=200)
    date: str | None = Field(default=None, description="ISO 8601 date of the meeting.")
    answers: dict[str, AnswerEntry | AnswerValue] = Field(default_factory=dict)


_ENTRY_KEYS = frozenset(AnswerEntry.model_fields)


def is_long_form(raw: object) -> bool:
    """True when a raw answer is the long form (only entry keys, with value or status)."""
    return (isinstance(raw, dict) and bool(raw) and set(raw) <= _ENTRY_KEYS
            and ("value" in raw or "status" in raw))


__all__ = ["AnswerEntry", "AnswerStatus", "AnswerValue", "AnswersFile", "Company",
           "Identifier", "is_long_form"]
