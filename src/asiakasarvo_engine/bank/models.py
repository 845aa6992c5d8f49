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


class Tier(StrEnum):
    """Whether an item belongs to the core set asked in every meeting or to the extended set
    (pre-meeting research, module homework, a full-length meeting)."""

    CORE = "core"
    EXTENDED = "extended"


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
    tier: Tier = Field(default=Tier.CORE, description=(
        "core: asked in every agenda variant; extended: asked only in variants that include it "
        "(otherwise answered before the meeting or as module homework), scored whenever answered."))
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
    variant_minutes: dict[Identifier, Annotated[int, Field(ge=0, le=600)]] = Field(
        default_factory=dict,
        description=("Planned minutes in an agenda variant (by its id); a variant not named here "
                     "uses agenda_minutes."))
    items: list[Item] = Field(default_factory=list)
    calculated: list[Calculated] = Field(default_factory=list)


class SectionFile(SectionBody):
    """A section kept in a file of its own and included from the bank manifest."""

    schema_version: Literal["1.0"]
    kind: Literal["question_bank_section"]


class Include(Frozen):
    """A reference to a section file, relative to the manifest."""

    include: Annotated[str, Field(min_length=1, max_length=300)]


class AgendaVariant(Frozen):
    """A way to run the meeting: which tiers of items it asks and the minutes it may take."""

    id: Identifier
    title: LocalizedText
    description: LocalizedText | None = None
    tiers: list[Tier] = Field(default_factory=lambda: [Tier.CORE, Tier.EXTENDED], min_length=1)
    max_minutes: int = Field(ge=0, le=1440,
                             description="The sections' minutes in this variant add up to at most this.")

    def asks(self, tier: Tier) -> bool:
        """Whether the meeting of this variant asks items of ``tier``."""
        return tier in self.tiers


class AgendaLimits(Frozen):
    """The range the sections' planned minutes must add up to, and the agenda variants."""

    min_minutes: int = Field(ge=0)
    max_minutes: int = Field(ge=0)
    variants: list[AgendaVariant] = Field(default_factory=list, description=(
        "Agenda variants; the first is the default of a new session."))


class BankChange(Frozen):
    """One entry of the bank's record of what changed and why (shown in the review document)."""

    title: LocalizedText
    text: LocalizedText
    reference: str | None = Field(default=None, max_length=300, description="An issue or a source.")


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
    changes: list[BankChange] = Field(default_factory=list, description="What changed and why, newest first.")

    def variant(self, variant_id: str | None) -> AgendaVariant | None:
        """The agenda variant of that id (None for None or an id the bank does not declare)."""
        if variant_id is None or self.agenda is None:
            return None
        return next((v for v in self.agenda.variants if v.id == variant_id), None)

    def bodies(self) -> list[SectionBody]:
        """The sections with their content (the loader resolves every include)."""
        return [section for section in self.sections if isinstance(section, SectionBody)]


def section_minutes(section: SectionBody, variant: str | None) -> int:
    """A section's planned minutes in agenda ``variant`` (its own ``agenda_minutes`` when
    the variant names none for it, or for no variant)."""
    if variant is None:
        return section.agenda_minutes
    return section.variant_minutes.get(variant, section.agenda_minutes)
