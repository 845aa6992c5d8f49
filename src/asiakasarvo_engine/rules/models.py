"""Pydantic models of the scoring-rules and rule-test formats (mirror the schema files).

A rule set says, as data, how answers become scores: the 0-100 value of every scale
point and choice, item weights, section aggregation with a minimum answered share and
gates, the overall index, maturity levels with their cut-offs, the missing-data policy
and the financial-ratio bands. The engine holds no scoring choice of its own.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field

from asiakasarvo_engine._model_base import Expression, Frozen, Identifier, LocalizedText, SemVer

RULES_FORMAT_VERSIONS = ("1.0",)

Score = Annotated[float, Field(ge=0, le=100, description="A score on the 0-100 scale.")]
Weight = Annotated[float, Field(ge=0, le=1000, description="A relative weight (0 = counts for nothing).")]


class BankRef(Frozen):
    """The bank a rule set or answers file is written for."""

    id: Identifier
    version: SemVer | None = Field(default=None, description="Exact bank version, if pinned.")


class ScaleScores(Frozen):
    """The 0-100 score of each point of a bank scale, in the order of the scale's points."""

    scores: list[Score] = Field(min_length=2, max_length=11)
    description: str | None = Field(default=None, max_length=2000)


class ItemRule(Frozen):
    """How one item is scored.

    Exactly one basis applies: ``choices`` (single choice, boolean with keys "true" and
    "false", or multi choice where the chosen values add up, capped at 100), ``columns``
    (a matrix: the mean over answered cells of these columns), ``expression`` (any item:
    a 0-100 number, or null for no score), or by default the item's own scale (Likert).
    """

    weight: Weight = 1.0
    scale: Identifier | None = Field(default=None, description="Score with this rules scale instead.")
    reverse: bool = Field(default=False, description="Read the scale from the other end.")
    choices: dict[str, Score] | None = None
    columns: list[Identifier] | None = Field(default=None, min_length=1)
    expression: Expression | None = None
    rationale: str | None = Field(default=None, max_length=2000)


class Gate(Frozen):
    """A condition that caps a level, however high the score."""

    id: Identifier
    when: Expression
    cap_level: int = Field(ge=1, le=5)
    reason: LocalizedText
    source: str | None = Field(default=None, max_length=500)


class SectionRule(Frozen):
    """How a scored section aggregates its items."""

    weight: Weight = 1.0
    min_answered_share: float = Field(default=0.5, ge=0, le=1)
    items: dict[Identifier, ItemRule] = Field(min_length=1)
    unscored: dict[Identifier, str] = Field(
        default_factory=dict, description="Items that do not score, each with the reason.")
    gates: list[Gate] = Field(default_factory=list)


class OverallRule(Frozen):
    """The overall index: weighted mean of the section scores that have enough data."""

    min_sections: int = Field(default=1, ge=1, le=50,
                              description="Scored sections needed for an overall score.")
    gates: list[Gate] = Field(default_factory=list)


class Level(Frozen):
    """A maturity level: the score from which it starts, names and a description."""

    level: int = Field(ge=1, le=5)
    min_score: Score
    name: LocalizedText
    description: LocalizedText


class CompletenessEffect(StrEnum):
    """How an answer state counts in completeness."""

    ANSWERED = "answered"
    MISSING = "missing"
    EXCLUDED = "excluded"


class MissingEffect(Frozen):
    """The effect of one answer state on item score, section mean and completeness."""

    score: Score | None = Field(
        default=None, description="Score given to the item; null = left out of the mean.")
    completeness: CompletenessEffect
    description: LocalizedText


class MissingDataPolicy(Frozen):
    """The declared effect of every answer state; versioned with the rule set."""

    version: SemVer
    answered: MissingEffect
    dont_know: MissingEffect
    not_applicable: MissingEffect
    skipped: MissingEffect
    hidden: MissingEffect


class Band(Frozen):
    """A guide-value band from ``min`` to ``max`` (null = open); by default the lower bound
    belongs to the band and the upper one does not."""

    id: Identifier
    min: float | None = None
    max: float | None = None
    include_min: bool = True
    include_max: bool = False
    label: LocalizedText

    def contains(self, value: float) -> bool:
        """True when ``value`` lies in the band."""
        if self.min is not None and (value < self.min or (value == self.min and not self.include_min)):
            return False
        return not (self.max is not None
                    and (value > self.max or (value == self.max and not self.include_max)))


class RatioRule(Frozen):
    """One financial ratio the result reports, with its guide-value bands and source."""

    bands: list[Band] = Field(default_factory=list)
    source: str = Field(min_length=1, max_length=1000)
    verified: bool = Field(default=False, description="Whether the bands were checked against the source.")
    note: LocalizedText | None = None


class FiguresRule(Frozen):
    """Where the financial figures come from: a repeat group of fiscal years."""

    group: str = Field(description="The repeat group, as section.item.")
    year_field: Identifier
    fields: dict[Identifier, Expression] = Field(
        description="Figure name to the group field (a name) or an expression over the year's fields.")


class SizeClassRule(Frozen):
    """The items holding the figures of the EU SME size class."""

    staff_headcount: str
    annual_turnover: str
    balance_sheet_total: str


class DeMinimisRule(Frozen):
    """The item holding the de minimis aid received in the last three years."""

    aid_received: str
    include_path: bool = True


class VerdictRule(Frozen):
    """A verdict on the financial position from the ratios' bands, shown beside the score of
    ``section`` (which measures financial management, not the figures): the weakest band of
    the ``ratios`` that have one, ``order`` naming the band ids from worst to best."""

    section: Identifier
    ratios: list[Identifier] = Field(min_length=1)
    order: list[Identifier] = Field(min_length=2)
    labels: dict[Identifier, LocalizedText] = Field(description="A label for every band id of order.")
    source: str = Field(min_length=1, max_length=1000)


class IndicatorRules(Frozen):
    """Financial ratios, the SME size class and the de minimis statement."""

    figures: FiguresRule
    ratios: dict[Identifier, RatioRule] = Field(default_factory=dict)
    size_class: SizeClassRule
    de_minimis: DeMinimisRule
    verdict: VerdictRule | None = None


class Horizon(StrEnum):
    """When a recommendation should be acted on, in months."""

    NOW = "0-3"
    YEAR = "3-12"
    LONG = "12-36"


class OwnerRole(StrEnum):
    """Who owns a recommendation."""

    OWNERS = "owners"
    BOARD = "board"
    CEO = "ceo"
    MANAGEMENT_TEAM = "management_team"


Rating = Annotated[int, Field(ge=1, le=5, description="1 (low) to 5 (high).")]


class Recommendation(Frozen):
    """A recommendation: when it fires, what it says, how it ranks, where it leads.

    Texts may name values in braces, ``{basic_info.largest_customer_share}`` or
    ``{result.scores.management}``; a value that is missing prints as "not known".
    """

    id: Identifier
    section: Identifier
    when: Expression
    title: LocalizedText
    text: LocalizedText
    first_step: LocalizedText
    rationale: LocalizedText
    source: str = Field(min_length=1, max_length=500)
    impact: Rating
    effort: Rating
    urgency: Rating
    module: int | None = Field(ge=1, le=5, description=(
        "The training-path module it leads to; null for a cross-cutting theme that no single "
        "module teaches (board work runs through all five), named by its first theme."))
    themes: list[Identifier] = Field(default_factory=list)
    horizon: Horizon
    owner: OwnerRole
    goal: LocalizedText
    metrics: list[Identifier] = Field(min_length=1, max_length=3)
    supersedes: list[Identifier] = Field(default_factory=list)
    requires: list[Identifier] = Field(default_factory=list)
    alert: bool = Field(default=False, description=(
        "A warning sign (weak liquidity, negative equity, urgent succession): listed before every "
        "other recommendation, whatever its priority."))


class Frequency(StrEnum):
    """How often a metric is followed."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


class Metric(Frozen):
    """A metric of the development plan; the baseline comes from the answers where known."""

    title: LocalizedText
    unit: LocalizedText | None = None
    baseline: Expression | None = None
    higher_is_better: bool = True
    # The fields below are optional so that older rule files still load.
    definition: LocalizedText | None = Field(
        default=None, description="What is measured, in one or two sentences.")
    formula: LocalizedText | None = Field(default=None, description="How the metric is computed.")
    source: LocalizedText | None = Field(default=None, description=(
        "Where the data comes from (financial statements, customer survey, CRM, board minutes ...)."))
    frequency: Frequency | None = Field(default=None, description="How often the metric is followed.")
    suggested_target: float | None = Field(default=None, allow_inf_nan=False, description=(
        "A suggested target where a source gives a guide value; null = the company sets the "
        "target from its own baseline."))


class GapRule(Frozen):
    """The gap of a section: how far its score is below the target, 0-1."""

    target_score: Score = 80
    minimum: float = Field(default=0.1, ge=0, le=1)
    unscored: float = Field(default=0.5, ge=0, le=1, description="Gap of a section without a score.")


class OwnerFallback(Frozen):
    """A role some companies do not have: when ``absent_if`` holds, ``instead`` owns what
    ``role`` would own (a sole trader has no board; a micro firm, no management team)."""

    role: OwnerRole
    absent_if: Expression
    instead: OwnerRole
    reason: LocalizedText = Field(description="Why, as shown beside the owner in the report.")


class HorizonLimit(Frozen):
    """At most ``max`` recommendations of ``horizon`` when ``when`` holds (a micro firm cannot
    take on more than three things at once); the lower-ranked rest move to ``move_to``, alerts
    never (they count towards the limit)."""

    when: Expression
    horizon: Horizon
    max: int = Field(ge=0, le=50)
    move_to: Horizon
    reason: LocalizedText = Field(description="Why, as shown beside a moved recommendation.")


class RecommendationRules(Frozen):
    """The recommendation catalogue, its priority formula and the plan's metrics."""

    priority: Expression = Field(description="Over impact, effort, urgency, gap, section_score.")
    gap: GapRule = GapRule()
    key_count: int = Field(default=5, ge=3, le=5, description="Key recommendations in the summary.")
    modules: dict[str, LocalizedText] = Field(description="Training-path modules '1'..'5'.")
    themes: dict[Identifier, LocalizedText]
    metrics: dict[Identifier, Metric]
    owner_roles: list[OwnerFallback] = Field(default_factory=list, description=(
        "Roles a company may lack, checked in order; the first that holds for a role applies, "
        "and its replacement may in turn be absent."))
    horizon_limits: list[HorizonLimit] = Field(default_factory=list, description=(
        "Limits on how many recommendations one horizon holds, applied in order after ranking."))
    items: list[Recommendation] = Field(min_length=1)


class RuleSet(Frozen):
    """A versioned scoring rule set for one bank."""

    schema_version: Literal["1.0"]
    kind: Literal["scoring_rules"]
    id: Identifier
    version: SemVer
    title: LocalizedText
    description: LocalizedText | None = None
    bank: BankRef
    missing_data: MissingDataPolicy
    scales: dict[Identifier, ScaleScores] = Field(min_length=1)
    descriptive_sections: dict[Identifier, str] = Field(
        default_factory=dict, description="Sections that describe and do not score, with the reason.")
    sections: dict[Identifier, SectionRule] = Field(min_length=1)
    overall: OverallRule = OverallRule()
    levels: list[Level] = Field(min_length=2, max_length=5)
    indicators: IndicatorRules | None = None
    recommendations: RecommendationRules | None = None


class Tolerance(Frozen):
    """Expected number with a tolerance."""

    value: float
    tolerance: float = Field(default=0.5, ge=0)


Expected = float | str | int | bool | None | Tolerance


class RuleTest(Frozen):
    """One scenario: answers in, expected scores, levels and indicators out.

    ``expect`` maps a result path (``sections.owner_strategy.level``, ``overall.score``,
    ``indicators.ratios.equity_ratio.band``) to a value, or to ``{value, tolerance}``.
    """

    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    answers: str | dict[str, Any] = Field(
        description="A path to an answers file (relative to the test file) or inline answers.")
    expect: dict[str, Expected] = Field(min_length=1)


class RuleTestFile(Frozen):
    """A file of rule tests for one rule set."""

    schema_version: Literal["1.0"]
    kind: Literal["rule_tests"]
    rules: Identifier
    tests: list[RuleTest] = Field(min_length=1)
