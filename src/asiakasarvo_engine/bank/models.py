"""Pydantic models of the question-bank format (mirrors question-bank.schema.json)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from asiakasarvo_engine._model_base import (
    Expression,
    Frozen,
    Identifier,
    LanguageCode,
    LocalizedText,
    SemVer,
)

BANK_FORMAT_VERSIONS = ("1.0",)


class QuestionType(StrEnum):
    """Every question type a bank may use."""

    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    LIKERT = "likert"
    MATRIX = "matrix"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    YEAR = "year"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    BOOLEAN = "boolean"
    BUSINESS_ID = "business_id"
    REPEAT_GROUP = "repeat_group"


class Phase(StrEnum):
    """When an item is answered: before the meeting, in it, or by the advisor after it."""

    PRE_MEETING = "pre_meeting"
    MEETING = "meeting"
    ASSESSMENT = "assessment"


class ScalePoint(Frozen):
    """One anchored point of a scale."""

    value: int = Field(ge=-100, le=100)
    label: LocalizedText
    description: LocalizedText | None = None


class Scale(Frozen):
    """A named scale with a label on every point and optional "don't know" / "n/a"."""

    title: LocalizedText
    points: Annotated[list[ScalePoint], Field(min_length=2, max_length=11)]
    allow_dont_know: bool = True
    allow_not_applicable: bool = True


class Choice(Frozen):
    """One option of a choice question."""

    value: Identifier
    label: LocalizedText
    other: bool = Field(default=False, description="Choosing this asks for a free-text specification.")
    exclusive: bool = Field(default=False, description="In a multi choice, excludes every other option.")


class Validation(Frozen):
    """Bounds an answer must keep; numbers, text lengths, list counts, a pattern."""

    min: float | None = None
    max: float | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    min_count: int | None = Field(default=None, ge=0)
    max_count: int | None = Field(default=None, ge=1)
    pattern: str | None = Field(default=None, max_length=500)


class Provenance(Frozen):
    """Where a question comes from: an instrument, a framework, a law."""

    source: Annotated[str, Field(min_length=1, max_length=500)]
    reference: str | None = None
    adapted: bool = True


class MatrixRow(Frozen):
    """A row of a matrix question (for example one value attribute)."""

    id: Identifier
    label: LocalizedText


class MatrixColumn(Frozen):
    """A column of a matrix question, answered on its own scale."""

    id: Identifier
    label: LocalizedText
    scale: Identifier


class Item(Frozen):
    """One question."""

    id: Identifier
    type: QuestionType
    text: LocalizedText
    help: LocalizedText | None = None
    prompt: LocalizedText | None = Field(default=None, description="The advisor's facilitation prompt.")
    phase: Phase = Phase.MEETING
    provenance: Provenance | None = None
    required: bool = False
    visible_if: Expression | None = None
    required_if: Expression | None = None
    choices: list[Choice] | None = None
    choices_from: Identifier | None = Field(default=None, description="A bank-level choice list.")
    scale: Identifier | None = None
    rows: list[MatrixRow] | None = None
    columns: list[MatrixColumn] | None = None
    items: list[Item] | None = Field(default=None, description="The fields of a repeat group.")
    unit: LocalizedText | None = None
    validation: Validation | None = None
    themes: list[Identifier] = Field(default_factory=list)


class Calculated(Frozen):
    """A named value computed from answers and other calculated values."""

    id: Identifier
    title: LocalizedText
    expression: Expression
    unit: LocalizedText | None = None
    description: LocalizedText | None = None


class SectionBody(Frozen):
    """The content of one section."""

    id: Identifier
    title: LocalizedText
    intro: LocalizedText | None = None
    agenda_minutes: int = Field(default=0, ge=0, le=600)
    items: list[Item] = Field(default_factory=list)
    calculated: list[Calculated] = Field(default_factory=list)


class SectionFile(SectionBody):
    """A section kept in a file of its own and included from the bank manifest."""

    schema_version: Literal["1.0"]
    kind: Literal["question_bank_section"]


class Include(Frozen):
    """A reference to a section file, relative to the manifest."""

    include: Annotated[str, Field(min_length=1, max_length=300)]


class AgendaLimits(Frozen):
    """The range the sections' planned minutes must add up to."""

    min_minutes: int = Field(ge=0)
    max_minutes: int = Field(ge=0)


class Bank(Frozen):
    """A question bank: metadata, scales, choice lists and sections."""

    schema_version: Literal["1.0"]
    kind: Literal["question_bank"]
    id: Identifier
    version: SemVer
    title: LocalizedText
    description: LocalizedText | None = None
    languages: list[LanguageCode] = Field(default_factory=lambda: ["fi", "en"], min_length=1)
    agenda: AgendaLimits | None = None
    scales: dict[Identifier, Scale] = Field(default_factory=dict)
    choice_lists: dict[Identifier, list[Choice]] = Field(default_factory=dict)
    sections: list[SectionBody | Include] = Field(min_length=1)

    def bodies(self) -> list[SectionBody]:
        """The sections with their content (the loader resolves every include)."""
        return [section for section in self.sections if isinstance(section, SectionBody)]
