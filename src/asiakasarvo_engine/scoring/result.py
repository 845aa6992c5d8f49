"""The Result of scoring an analysis (mirrors result.schema.json).

Every number carries its trace: an item says which answer, scale point or choice and
which missing-data effect gave its score; a section lists its weights, completeness,
cut-off and gates; the overall index names the sections it averages.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from asiakasarvo_engine._model_base import Frozen, Identifier, LocalizedText, SemVer
from asiakasarvo_engine.rules.models import CompletenessEffect


class Pin(Frozen):
    """The exact bank or rule set a result was computed with."""

    id: Identifier
    version: SemVer
    hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")


class ItemState(StrEnum):
    """The state an item was in when scored."""

    ANSWERED = "answered"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"
    HIDDEN = "hidden"


class SectionStatus(StrEnum):
    """Whether a section has a score."""

    SCORED = "scored"
    INSUFFICIENT_DATA = "insufficient_data"
    DESCRIPTIVE = "descriptive"


class ItemResult(Frozen):
    """One scored item and how its score came about."""

    section: Identifier
    state: ItemState
    score: float | None = Field(ge=0, le=100)
    weight: float
    counts_as: CompletenessEffect
    basis: Literal["scale", "choices", "columns", "expression", "missing_data", "none"]
    detail: dict[str, Any] = Field(default_factory=dict,
                                   description="The inputs of the score: point, scale, choice, cells.")


class GateResult(Frozen):
    """A gate whose condition held, and whether it lowered the level."""

    id: Identifier
    cap_level: int
    applied: bool
    reason: LocalizedText


class LevelInfo(Frozen):
    """A maturity level with its cut-off."""

    level: int
    min_score: float
    name: LocalizedText


class SectionResult(Frozen):
    """A section's score, level, completeness and status, with its trace."""

    status: SectionStatus
    title: LocalizedText
    score: float | None = Field(ge=0, le=100)
    level: LevelInfo | None
    level_before_gates: int | None
    completeness: float | None = Field(ge=0, le=1)
    answered: int
    expected: int
    min_answered_share: float | None
    weight: float
    gates: list[GateResult] = Field(default_factory=list)
    reason: str | None = Field(default=None, description="Why a descriptive section does not score.")


class OverallResult(Frozen):
    """The overall index over the scored sections."""

    status: SectionStatus
    score: float | None = Field(ge=0, le=100)
    level: LevelInfo | None
    level_before_gates: int | None
    completeness: float | None = Field(ge=0, le=1)
    sections: dict[Identifier, float] = Field(description="Sections averaged, with their weights.")
    min_sections: int
    gates: list[GateResult] = Field(default_factory=list)


class RatioResult(Frozen):
    """A financial ratio, its band and where the numbers come from."""

    title: LocalizedText
    value: float | None
    unit: str
    formula: str
    band: Identifier | None
    band_label: LocalizedText | None
    not_computable: LocalizedText | None
    note: LocalizedText | None = None
    notes: list[LocalizedText] = Field(default_factory=list)
    source: str
    verified: bool


class SizeClassInfo(Frozen):
    """The EU SME size class (Recommendation 2003/361/EC) and why."""

    size_class: Literal["micro", "small", "medium", "large"] | None
    label: LocalizedText
    reason: LocalizedText
    inputs: dict[str, float | None]
    source: str


class DeMinimisInfo(Frozen):
    """The de minimis statement of the programme's aid (EUR)."""

    eligible: bool
    path_included: bool
    analysis_aid: Decimal
    path_market_price: Decimal
    path_own_share: Decimal
    path_aid: Decimal
    total_new_aid: Decimal
    aid_received: Decimal | None
    ceiling: Decimal
    headroom_before: Decimal | None
    headroom_after: Decimal | None
    exceeds_ceiling: bool
    warning: LocalizedText | None
    regulation: str


class FinancialVerdict(Frozen):
    """The financial position judged from the ratios' bands, beside the section's score of
    financial management: the weakest band among the ratios that have one."""

    section: Identifier = Field(description="The section it is shown beside.")
    band: Identifier | None = Field(description="null when no listed ratio has a band.")
    label: LocalizedText | None
    ratios: dict[Identifier, Identifier | None] = Field(description="Each listed ratio's band.")
    deciding: list[Identifier] = Field(description="The ratios whose band is the verdict.")
    source: str


class Indicators(Frozen):
    """Financial ratios of the latest fiscal year, the size class and de minimis."""

    fiscal_year: int | None
    figures: dict[str, float]
    ratios: dict[Identifier, RatioResult]
    size_class: SizeClassInfo
    de_minimis: DeMinimisInfo | None
    verdict: FinancialVerdict | None = None


class RecommendationResult(Frozen):
    """A recommendation that fired: its texts, rank, and why it fired and ranks where it does."""

    id: Identifier
    rank: int = Field(ge=1)
    key: bool = Field(description="One of the key recommendations of the summary.")
    alert: bool = Field(default=False, description="A warning sign, listed first.")
    priority: float
    section: Identifier
    title: LocalizedText
    text: LocalizedText
    first_step: LocalizedText
    rationale: LocalizedText
    source: str
    impact: int
    effort: int
    urgency: int
    module: int | None = Field(description="The training-path module; null for a cross-cutting theme.")
    module_title: LocalizedText = Field(description=(
        "The module's title, or for a cross-cutting recommendation its theme's ('Läpileikkaava "
        "teema: Hallitustyö')."))
    themes: list[Identifier]
    horizon: Literal["0-3", "3-12", "12-36"]
    declared_horizon: Literal["0-3", "3-12", "12-36"] | None = Field(default=None, description=(
        "The horizon the rules give it, when a horizon limit moved it (else null)."))
    horizon_reason: LocalizedText | None = Field(
        default=None, description="Why the horizon differs from the declared one.")
    owner: Literal["owners", "board", "ceo", "management_team"] = Field(
        description="Who owns it at this company (the declared role, or what replaces it).")
    declared_owner: Literal["owners", "board", "ceo", "management_team"] = Field(
        description="The role the rules give the recommendation.")
    owner_reason: LocalizedText | None = Field(
        default=None, description="Why the owner differs from the declared role.")
    requires: list[Identifier] = Field(default_factory=list)
    fired_because: dict[str, Any] = Field(description="The trigger's inputs and their values.")
    priority_inputs: dict[str, float | None] = Field(description="The formula's inputs.")


class DroppedRecommendation(Frozen):
    """A recommendation that fired but another one supersedes."""

    id: Identifier
    superseded_by: Identifier


class PlanMetric(Frozen):
    """A metric of a development-plan goal: baseline from the answers, target left to fill."""

    id: Identifier
    title: LocalizedText
    unit: LocalizedText | None = None
    higher_is_better: bool
    baseline: float | str | None
    target: float | None = None


class PlanEntry(Frozen):
    """One goal of the development-plan skeleton, for a chosen recommendation."""

    recommendation: Identifier
    goal: LocalizedText
    metrics: list[PlanMetric]
    owner: Literal["owners", "board", "ceo", "management_team"]
    responsible_person: str | None = None
    deadline: str | None = None


class Recommendations(Frozen):
    """Ranked recommendations, the key ones, groups by horizon and the plan skeleton."""

    formula: str
    items: list[RecommendationResult]
    key: list[Identifier]
    by_horizon: dict[str, list[Identifier]]
    dropped: list[DroppedRecommendation] = Field(default_factory=list)
    plan: list[PlanEntry] = Field(default_factory=list)


class ModuleNeed(Frozen):
    """A training module and how many of the company's recommendations point to it."""

    module: int = Field(ge=1, le=5)
    title: LocalizedText
    rank: int = Field(ge=1, le=5, description="1 = most recommendations (then key ones, then module order).")
    recommendations: int = Field(ge=0)
    key_recommendations: int = Field(ge=0)
    recommendation_ids: list[Identifier]
    company_chose: bool = Field(description="The company named it among its training needs.")


class PathCandidate(Frozen):
    """A person the company would send on the path."""

    name: str
    role: str | None = None


class PathChoice(Frozen):
    """Who goes on the path: the need (modules ranked by recommendations), the will and the
    resources from the closing block, the advisor's decision, and the path's de minimis aid
    as conditional on joining."""

    modules: list[ModuleNeed]
    will: str | None = Field(description="next_steps.path_will: yes, maybe or no.")
    own_share_affordable: str | None
    five_days_available: str | None
    candidates: list[PathCandidate]
    decision: Literal["yes", "no", "later"] | None = Field(description="The advisor's proposal.")
    decision_reason: str | None
    undertaking: bool = Field(description=(
        "False for an association or foundation that carries on no economic activity: not an "
        "enterprise under the EU SME definition, so no de minimis aid."))
    undertaking_note: LocalizedText | None = None
    path_aid: Decimal | None = Field(description="The path's aid if the company joins (EUR).")
    own_share: Decimal | None = None
    aid_condition: LocalizedText | None = Field(description="The aid, stated as conditional on joining.")


class Company(Frozen):
    """Who the result is about."""

    name: str | None = None
    business_id: str | None = None


class Result(Frozen):
    """The scored analysis of one company."""

    schema_version: Literal["1.0"]
    kind: Literal["result"]
    engine_version: str
    bank: Pin
    rules: Pin
    missing_data_policy: SemVer
    company: Company
    date: str | None = Field(default=None, description=(
        "The meeting's date (ISO 8601); for a session, the start's date in the meeting's zone."))
    zone: str | None = Field(default=None, description=(
        "The IANA time zone the date was taken in (a session's meeting zone, e.g. Europe/Helsinki); "
        "null when the date was given as a date."))
    advisor: str | None = None
    levels: list[LevelInfo] = Field(description="The maturity levels and their cut-offs.")
    overall: OverallResult
    sections: dict[Identifier, SectionResult]
    items: dict[str, ItemResult]
    calculated: dict[str, Any]
    indicators: Indicators | None
    recommendations: Recommendations | None = None
    path: PathChoice | None = Field(default=None, description=(
        "The training-path choice, when the bank has the closing block (next_steps)."))
    warnings: list[LocalizedText] = Field(default_factory=list)

    def to_json(self) -> str:
        """Canonical JSON: the same inputs give the same bytes."""
        return self.model_dump_json(indent=2) + "\n"
