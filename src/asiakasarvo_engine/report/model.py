"""The report view model: everything a template prints, already in the report's language.

Numbers, money and dates are formatted strings (see :mod:`.formats`); user text (answers,
notes, names) is kept as plain text and escaped when a template prints it. Long text is a
list of paragraphs. The model is frozen; :func:`.build.build_report` makes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class LevelOverride:
    """The advisor's own level for a section (or ``overall``), replacing the computed one."""

    level: int
    reason: str
    author: str | None = None


@dataclass(frozen=True, slots=True)
class LevelView:
    """A maturity level as shown: number, name and the score it starts from."""

    number: int
    name: str
    min_score: str


@dataclass(frozen=True, slots=True)
class OverrideView:
    """An advisor's level that replaced the computed one, and why."""

    level: LevelView
    computed: LevelView | None
    reason: str
    author: str | None


@dataclass(frozen=True, slots=True)
class Cover:
    """Who and what the report is about, and which bank and rules produced it."""

    title: str
    company: str | None
    business_id: str | None
    date: str | None
    advisor: str | None
    bank: str
    rules: str
    engine: str


@dataclass(frozen=True, slots=True)
class Overall:
    """The overall index."""

    status: str
    score: str
    level: LevelView | None
    completeness: str
    gates: list[str]
    override: OverrideView | None


@dataclass(frozen=True, slots=True)
class Table:
    """A table of plain text cells (the first row of ``rows`` follows ``headers``)."""

    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled value (a field of a repeat-group entry)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a repeat group: its first field as a title, the others labelled."""

    title: str
    fields: list[Field]


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer for a reader: a line of text, paragraphs, a list of entries or a table."""

    text: str
    paragraphs: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    table: Table | None = None


@dataclass(frozen=True, slots=True)
class KeyAnswer:
    """A scored answer worth showing in its section, with its score."""

    number: str
    question: str
    answer: str
    score: str


@dataclass(frozen=True, slots=True)
class Note:
    """A note written on an answer during the meeting."""

    number: str
    question: str
    text: str
    author: str | None


@dataclass(frozen=True, slots=True)
class Assessment:
    """A line of the advisor's assessment that is not free text (for example a rating).

    ``rating`` marks the section's overall rating, printed in one line without its question
    (the chapter says what it rates).
    """

    question: str
    answer: str
    rating: bool = False


@dataclass(frozen=True, slots=True)
class SectionView:
    """One assessed section: its numbers, the advisor's texts, notes and key answers."""

    number: int
    id: str
    title: str
    short_title: str
    status: str
    status_label: str
    score: str
    score_value: float | None
    level: LevelView | None
    completeness: str
    answered: int
    expected: int
    gates: list[str]
    override: OverrideView | None
    strengths: list[str]
    gaps: list[str]
    assessment: list[Assessment]
    notes: list[Note]
    key_answers: list[KeyAnswer]
    verdict: str | None = None
    """The ratio-based verdict on the financial position shown beside this section's score of
    financial management (issue 16), or None."""


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One bar or radar spoke: a short label for the chart, the full title for its table."""

    label: str
    title: str
    value: float
    shown: str
    level: str
    to_next: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's data; drawn by :mod:`.charts`, described and tabulated by the template."""

    id: str
    title: str
    points: list[ChartPoint]
    levels: list[LevelView]
    cutoffs: list[float]
    axis_label: str
    overall: ChartPoint | None = None

    def point(self, title: str) -> ChartPoint | None:
        """The point of the section titled ``title``, if the chart has one."""
        return next((p for p in self.points if p.title == title), None)


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A financial figure of the latest and the previous fiscal year."""

    label: str
    latest: str
    previous: str


@dataclass(frozen=True, slots=True)
class RatioRow:
    """A key ratio with its band and notes."""

    title: str
    value: str
    band: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Finance:
    """The financial key figures of the latest fiscal year and the size class."""

    fiscal_year: str | None
    previous_year: str | None
    figures: list[FigureRow]
    ratios: list[RatioRow]
    size_class: str | None
    size_reason: str | None


@dataclass(frozen=True, slots=True)
class DeMinimis:
    """The de minimis statement, amounts formatted as money."""

    eligible: bool
    path_included: bool
    analysis_aid: str
    path_market_price: str
    path_own_share: str
    path_aid: str
    total_new_aid: str
    aid_received: str
    ceiling: str
    headroom_before: str
    headroom_after: str
    exceeds_ceiling: bool
    warning: str | None
    regulation: str


@dataclass(frozen=True, slots=True)
class RecommendationView:
    """A recommendation with what the reader needs to act on it."""

    rank: int
    id: str
    key: bool
    alert: bool
    title: str
    text: str
    first_step: str
    rationale: str
    priority: str
    horizon: str
    horizon_id: str
    owner: str
    owner_reason: str | None
    """Why the owner is not the role the rules name (the company lacks it)."""
    module: str
    section: str
    themes: list[str]
    requires: list[str]


@dataclass(frozen=True, slots=True)
class MetricView:
    """A metric of a plan goal: baseline from the answers, the advisor's target or the rules'
    suggested one, and how it is measured."""

    id: str
    title: str
    unit: str
    baseline: str
    target: str
    target_suggested: bool
    definition: str
    formula: str
    source: str
    frequency: str
    history: str = ""
    """How the target changed over the plan's versions (``v0 40 → m2 35``), when it did."""


@dataclass(frozen=True, slots=True)
class PlanView:
    """One goal of the development-plan skeleton."""

    recommendation: RecommendationView
    goal: str
    owner: str
    metrics: list[MetricView]
    responsible_person: str | None
    deadline: str | None
    quarter: str | None
    quarter_key: str | None
    quarter_by_advisor: bool


@dataclass(frozen=True, slots=True)
class QuarterGroup:
    """The plan's goals that start in one quarter."""

    label: str
    goals: list[PlanView]


@dataclass(frozen=True, slots=True)
class ModuleNeedView:
    """A training module with the number of the company's recommendations that point to it."""

    rank: int
    number: int
    title: str
    recommendations: int
    key: int
    chose: bool
    """The company named it among its training needs."""


@dataclass(frozen=True, slots=True)
class PathChoiceView:
    """Who goes on the path: need, will, resources, the advisor's proposal, the aid's condition.

    ``section`` is the closing section the answers come from: its chapter is not repeated.
    """

    section: str
    modules: list[ModuleNeedView]
    will: str | None
    own_share: str | None
    five_days: str | None
    candidates: list[str]
    decision: str | None
    reason: str | None
    aid_condition: str | None
    undertaking_note: str | None


@dataclass(frozen=True, slots=True)
class ModuleGroup:
    """The recommendations that point into one training-path module."""

    number: str
    title: str
    items: list[RecommendationView]


@dataclass(frozen=True, slots=True)
class Summary:
    """The board memo's texts: the advisor's where written, else what the engine derives."""

    overall: str | None
    findings: list[str]
    proposals: list[str]
    strengths: list[str]
    weaknesses: list[str]
    opportunities: list[str]
    threats: list[str]
    findings_by_advisor: bool


@dataclass(frozen=True, slots=True)
class AppendixItem:
    """One answered question of the appendix."""

    number: str
    question: str
    status: str | None
    answer: Answer
    note: str | None
    author: str | None


@dataclass(frozen=True, slots=True)
class AppendixSection:
    """The answers of one section, and which visible questions were left unanswered."""

    number: int
    title: str
    items: list[AppendixItem]
    unanswered: list[str]


@dataclass(frozen=True, slots=True)
class OpenSection:
    """A section's extended questions the session's agenda variant left out and still open."""

    number: int
    title: str
    questions: list[tuple[str, str]]
    """``(number, question)`` in bank order."""


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report in one language."""

    lang: str
    cover: Cover
    overall: Overall
    levels: list[LevelView]
    sections: list[SectionView]
    charts: list[Chart]
    summary: Summary
    key_recommendations: list[RecommendationView]
    recommendations: list[RecommendationView]
    body_recommendations: list[RecommendationView]
    more_recommendations: list[ModuleGroup]
    path: list[ModuleGroup]
    plan: list[PlanView]
    plan_quarters: list[QuarterGroup]
    plan_metrics: list[MetricView]
    plan_version: str
    finance: Finance | None
    de_minimis: DeMinimis | None
    appendix: list[AppendixSection]
    warnings: list[str]
    advisor_appendix: bool = False
    final: bool = False
    organisation: str | None = None
    """The organisation that made the analysis (the branding file's name)."""
    logo: bytes | None = None
    logo_type: str | None = None
    """``png`` or ``jpeg``."""
    path_choice: PathChoiceView | None = None
    """The path-selection part (modules by need, the proposal, the aid's condition)."""
    extended_open: list[OpenSection] = field(default_factory=list)
    """The advisor appendix's extended questions still open (sessions of a core variant only)."""

    def chart(self, chart_id: str) -> Chart | None:
        """The chart with this id, if the report has it."""
        return next((c for c in self.charts if c.id == chart_id), None)
