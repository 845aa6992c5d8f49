"""The request and response bodies of the HTTP API (pydantic; the OpenAPI description is built
from them). Requests refuse unknown fields; answers' values are any JSON, checked by the
interview exactly as the answers-file loader checks them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from asiakasarvo_engine.scoring.result import (
    ItemResult,
    LevelInfo,
    OverallResult,
    Pin,
    RecommendationResult,
    Result,
    SectionResult,
)
from asiakasarvo_engine.session.events import Event

SessionIdText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="A session id: letters, digits, _ . : -",
    ),
]
Text = Annotated[str, Field(max_length=20000)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------- requests


class CompanyIn(_Request):
    """Who the analysis is about."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    business_id: str | None = Field(default=None, max_length=20, description="Y-tunnus, e.g. 1234567-8.")


class SessionCreate(_Request):
    """A new session; in server mode the advisor is the signed-in user."""

    company: CompanyIn | None = None
    advisor: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description=("Local mode: the advisor's name (default: the OS user). Server mode: leave it out."),
    )
    lang: Literal["fi", "en"] = "fi"
    zone: str = Field(default="Europe/Helsinki", min_length=1, max_length=64)
    id: SessionIdText | None = Field(default=None, description="Default: a new uuid4 hex.")
    variant: str | None = Field(default=None, max_length=64, description=(
        "The bank's agenda variant the meeting follows, e.g. full, core (200 min) or core_3h "
        "(180 min); default: the bank's first. An unknown one is SES-010."))


class AnswerIn(_Request):
    """An answer to the item named in the path."""

    value: Any = Field(default=None, description="The answer's value as in an answers file.")
    status: Literal["answered", "dont_know", "not_applicable", "skipped"] = "answered"
    note: Text | None = None
    views_differ: bool = Field(default=False, description=(
        "Näkemykset eroavat / views differ: the owners or board members disagree on this rating "
        "(Likert) question. Kept with the answer, shown in the advisor's appendix, never scored; "
        "on any other question 422 ANS-009 at /answers/{item}/views_differ."))


class NoteIn(_Request):
    """A note on an item, a section, or the session (``target`` null)."""

    text: Text
    target: str | None = Field(default=None, max_length=130)


class OverrideIn(_Request):
    """The advisor's level for the section in the path (``level`` null removes it)."""

    level: int | None = Field(ge=1, le=5)
    justification: str = Field(max_length=5000)


class AnalysisEditIn(_Request):
    """One field of the written analysis set (``value`` null takes it back to the generated one)."""

    path: str = Field(min_length=1, max_length=300, description=(
        "/summary/<field>, /chosen, /recommendations/<id>/<field>, /plan/<version>/<id>/<field> "
        "or /plan/<version>/<id>/metrics/<metric>/target"))
    value: Any = Field(description="The field's value: a text, a list of texts or ids, a number, or null.")


class GoToIn(_Request):
    """Where the discussion moves: a section id or an item (``section.item``)."""

    target: str = Field(min_length=1, max_length=130)


# ---------------------------------------------------------------------------- responses


class SectionInfo(_Response):
    """A section of the bank as the program sees it."""

    id: str
    title: dict[str, str]
    scored: bool
    agenda_minutes: int | None = None


class ProgramOut(_Response):
    """The bank and rules the server runs, pinned by version and content hash."""

    bank: Pin
    rules: Pin
    levels: list[LevelInfo]
    sections: list[SectionInfo]


class SessionSummaryOut(_Response):
    """A line of the session list."""

    id: str
    company: str | None
    business_id: str | None
    advisor: str
    started: str
    events: int
    finished: bool


class CompanyOut(_Response):
    """Who the analysis is about."""

    name: str | None
    business_id: str | None


class AnswerOut(_Response):
    """An answer in force."""

    value: Any
    status: str
    note: str | None
    time: str | None
    author: str | None
    views_differ: bool = Field(default=False, description=(
        "The owners or board members disagree on this rating question (never scored)."))


class NoteOut(_Response):
    """A note in force."""

    seq: int
    target: str | None
    text: str
    author: str
    time: str


class OverrideOut(_Response):
    """An advisor's level in force."""

    seq: int
    level: int
    justification: str
    author: str


class PositionOut(_Response):
    """The section under discussion and the current item."""

    section: str | None
    item: str | None
    visible: bool


class ProgressOut(_Response):
    """Visible items dealt with, and required ones still open."""

    answered: int
    visible: int
    required: int
    required_left: int


class SessionStateOut(_Response):
    """A session's state: the fold of its log. ``seq`` is what the next write's If-Match names."""

    id: str
    seq: int
    company: CompanyOut
    advisor: str
    lang: str
    zone: str
    started: str
    bank: Pin
    rules: Pin
    variant: str | None = Field(default=None, description="The agenda variant (None: every item).")
    finished: bool
    position: PositionOut
    progress: ProgressOut
    answers: dict[str, AnswerOut]
    notes: list[NoteOut]
    overrides: dict[str, OverrideOut]


class SectionViewOut(_Response):
    """A scored section's live score and level (and the advisor's override)."""

    section: str
    status: str
    score: float | None
    level: int | None
    level_name: str | None
    level_before_gates: int | None
    completeness: float | None
    answered: int
    expected: int
    gates: list[str]
    override: int | None = None


class ChangesOut(_Response):
    """What a write changed."""

    shown: list[str]
    hidden: list[str]
    required: list[str]
    not_required: list[str]
    calculated: dict[str, Any]
    sections: dict[str, SectionViewOut]
    overall: SectionViewOut
    progress: ProgressOut


class DiagnosticOut(_Response):
    """A diagnostic: the engine's code, where (JSON pointer) and what."""

    code: str
    severity: str
    file: str | None
    line: int | None
    column: int | None
    pointer: str
    expected: str
    found: str
    hint: str
    message: dict[str, str]
    text: str


class AnswerOutcomeOut(_Response):
    """An accepted answer or clearing: the event written and what changed."""

    item: str
    seq: int
    written: bool
    warnings: list[DiagnosticOut]
    changes: ChangesOut | None


class NoteWritten(_Response):
    """A note written."""

    seq: int
    note: NoteOut


class LevelOut(_Response):
    """A section's computed level beside the advisor's override."""

    section: str
    computed: int | None
    override: int | None
    justification: str | None
    author: str | None
    final: int | None


class OverrideWritten(_Response):
    """An override written."""

    seq: int
    level: LevelOut


class AnalysisEditOut(_Response):
    """An edit of the written analysis in force, and the event that set it."""

    path: str
    value: Any
    seq: int
    author: str
    time: str


class AnalysisOut(_Response):
    """The advisor's edits of the written analysis in force, and the paths of those that name
    a recommendation the current rules do not raise (they do not show in the report)."""

    seq: int
    edits: list[AnalysisEditOut]
    stale: list[str]


class AnalysisEditWritten(_Response):
    """An edit of the written analysis written (``edit`` null when the field went back)."""

    seq: int
    edit: AnalysisEditOut | None
    stale: list[str]


class PrefillOut(_Response):
    """What a register record prefilled: the items written (as ``register``), the items kept
    (already answered), and the register's warnings (liquidation, a municipality outside the area...)."""

    seq: int
    written: dict[str, Any]
    kept: list[str]
    warnings: list[DiagnosticOut]


class PositionWritten(_Response):
    """A move written (``seq`` is unchanged when the section stayed the same)."""

    seq: int
    position: PositionOut


class UndoOut(_Response):
    """What ``undo`` took back."""

    seq: int
    target: Event
    changes: ChangesOut | None


class FinishOut(_Response):
    """A finished session: the Result, the overrides beside the computed levels."""

    seq: int
    result: Result
    levels: dict[str, LevelOut]
    required_left: list[str]


class SeqOut(_Response):
    """A write that returns only its event (reopen)."""

    seq: int


class AgendaLineOut(_Response):
    """A section's planned and spent minutes."""

    section: str
    title: str
    planned_minutes: int
    spent_minutes: float
    current: bool
    over: bool


class AgendaWarningOut(_Response):
    """A section over its planned time."""

    section: str
    planned_minutes: int
    spent_minutes: float
    message: str


class AgendaOut(_Response):
    """The agenda clock."""

    lines: list[AgendaLineOut]
    warnings: list[AgendaWarningOut]
    planned_minutes: int
    spent_minutes: float


class LiveOut(_Response):
    """The live view: progress, what is visible and required, section scores, agenda."""

    seq: int
    position: PositionOut
    progress: ProgressOut
    visible: list[str]
    required: list[str]
    required_left: list[str]
    calculated: dict[str, Any]
    sections: dict[str, SectionViewOut]
    overall: SectionViewOut
    agenda: AgendaOut


class EventsOut(_Response):
    """The events after ``since``; ``seq`` is the log's last."""

    seq: int
    events: list[Event]


class ExplainOut(_Response):
    """How the scores came about: sections with their items' traces, why recommendations fired."""

    seq: int
    overall: OverallResult
    sections: dict[str, SectionResult]
    items: dict[str, ItemResult]
    recommendations: list[RecommendationResult]


class MeOut(_Response):
    """Who the request is signed in as; ``csrf_token`` goes in ``X-CSRF-Token`` on cookie writes."""

    user: str
    role: str
    mode: Literal["local", "server"]
    csrf_token: str | None
