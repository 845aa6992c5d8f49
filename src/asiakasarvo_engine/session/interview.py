"""The interview: the embedding surface of a live analysis session.

An :class:`Interview` runs one session of one company with a compiled scoring program
(bank and rules) over a session store::

    program = load_program()
    store = open_store()                      # or MemoryStore()
    interview = Interview.start(program, store, company="Testi Oy", advisor="Anna")
    interview.next()                          # into the first section, first question
    outcome = interview.answer("owner_strategy.documented", "written")
    if not outcome.ok:                        # ANS-* diagnostics; nothing was stored
        ...
    outcome.changes.shown, outcome.changes.sections["owner_strategy"].score
    finished = interview.finish()             # the Result, overrides beside the levels

Every change is an event appended to the store with the sequence number the interview
expects; the state is the fold of the log (``Interview.open`` resumes it). When another
writer got there first, the store raises :class:`~asiakasarvo_engine.errors.ConflictError`:
the interview reloads the log (the other writer's events included) and re-raises, so the
caller can show what changed and retry. Nothing is kept in memory that the store refused.

Answers are checked exactly as the answers-file loader checks them (the same ANS-* codes);
a refused answer stores nothing. After an accepted answer only what depends on the item is
evaluated again (:mod:`asiakasarvo_engine.session.live`); answers to items that become
hidden stay in the log and the state, leave the scores, and count again when the item is
visible again.

Errors that are the caller's mistake rather than bad answer values raise
:class:`InterviewError` subclasses with stable codes: SES-010 (invalid request), SES-011
(session finished), SES-012 (unknown item or section), SES-013 (nothing to undo), SES-014
(the session was started with another bank or rule set), SES-015 (the clock gave no valid
time: nothing is written).

Every event time comes from the clock through one check (:func:`checked_time`): a reading
that is not an ISO 8601 time with seconds and a zone is refused before an event is built,
and a reading earlier than the log's last time (a clock set back) is written as that last
time, so a log's times never run backwards. :meth:`Interview.check_log` replays a whole
log through the same checks the writing methods apply (answers against the bank, finished
and reopened, undo targets, sections, levels, monotone times); importing a session uses it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, NamedTuple

from pydantic import ValidationError

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.answer_check import check_meta, check_value
from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.diagnostics import Diagnostic, Hint, make
from asiakasarvo_engine.errors import ConflictError, EngineError
from asiakasarvo_engine.recommend.engine import RecommendProgram, analyse, compile_recommendations
from asiakasarvo_engine.scoring.engine import OverallScores, SectionScores
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company, Result
from asiakasarvo_engine.session.agenda import (
    Agenda,
    build_agenda,
    default_variant,
    localized,
    outside_variant,
    seconds_between,
    variant_ids,
)
from asiakasarvo_engine.session.clock import (
    DEFAULT_ZONE,
    EXAMPLE,
    later,
    meeting_date,
    runs_backwards,
    time_problem,
)
from asiakasarvo_engine.session.events import (
    UNDOABLE,
    AnalysisEdited,
    Answered,
    Cleared,
    EditAccepted,
    Event,
    Finished,
    NoteAdded,
    Overridden,
    Reopened,
    SectionEntered,
    SectionLeft,
    Started,
    Undone,
    checked_answered,
)
from asiakasarvo_engine.session.live import Delta, LiveGraph, LiveState
from asiakasarvo_engine.session.state import Note, Override, SessionState
from asiakasarvo_engine.session.store import MemoryStore, Store
from asiakasarvo_engine.session.written import Catalogue, Edit, WrittenAnalysis, check_edit
from asiakasarvo_engine.suggest import did_you_mean

Clock = Callable[[], str]
"""Gives the current time as an ISO 8601 UTC string (``2025-03-14T09:30:00.000000Z``)."""

_MAX_TEXT = 20000
_MAX_JUSTIFICATION = 5000
_MAX_AUTHOR = 200
_ANSWERED = AnswerStatus.ANSWERED
_RESPONDED = frozenset({AnswerStatus.ANSWERED, AnswerStatus.DONT_KNOW, AnswerStatus.NOT_APPLICABLE})
_STATUSES = {status.value: status for status in AnswerStatus}
_SCALARS = frozenset({str, int, float, bool})
"""Types of a checked answer value the event keeps as they are (anything else is validated)."""
_INT_LIMIT = 2**1000
"""Whole numbers below this are surely within the float range."""


# ---------------------------------------------------------------------------- errors


class InterviewError(EngineError):
    """A request the interview cannot carry out (the message says why).

    ``fields`` hold the catalogue fields (``found``, ``expected`` and their Finnish
    words) and ``field`` the event field at fault, so a log check can report a refusal as
    a diagnostic at the event's JSON pointer in either language.
    """

    code = "SES-010"

    def __init__(self, message: str, *, code: str | None = None, field: str = "", **fields: str) -> None:
        super().__init__(message, code=code)
        self.field = field
        self.fields = fields

    @classmethod
    def refusal(cls, found: str, expected: str, *, found_fi: str = "", expected_fi: str = "",
                field: str = "") -> InterviewError:
        """The error with the catalogue's English message for its code and these fields."""
        from asiakasarvo_engine.codes import render

        return cls(render(cls.code, "en", found=found, expected=expected), field=field, found=found,
                   expected=expected, found_fi=found_fi, expected_fi=expected_fi)

    def diagnostic(self, pointer: str) -> Diagnostic:
        """This refusal as a diagnostic at ``pointer``."""
        fields = self.fields or {"found": str(self)}
        return make(self.code, pointer=pointer, found=fields.get("found", ""),
                    expected=fields.get("expected", ""), found_fi=fields.get("found_fi", ""),
                    expected_fi=fields.get("expected_fi", ""))


class SessionFinishedError(InterviewError):
    """The session is finished; reopen it before changing it."""

    code = "SES-011"


class UnknownTargetError(InterviewError):
    """No item or section has this name."""

    code = "SES-012"


class NothingToUndoError(InterviewError):
    """Every answer, clearing, note and override is already undone."""

    code = "SES-013"


class PinMismatchError(InterviewError):
    """The session was started with another bank or rule set than the program's."""

    code = "SES-014"


class ClockError(InterviewError):
    """The clock gave something that is not a valid event time; nothing was written."""

    code = "SES-015"


class BackwardsTimeError(InterviewError):
    """An event's time is earlier than the event before it (a log check only: the
    interview itself writes the last time again when the clock was set back)."""

    code = "SES-016"


def _where(item: str, below: str = "") -> str:
    """The JSON pointer of an answer as it would stand in an answers file, and below it."""
    return jp.join("/answers", item) + below


def _answer_pointer(item: str) -> Callable[[str, str], str]:
    """Pointers of an answer's fields as they would stand in an answers file."""

    def point(field: str, below: str) -> str:
        return _where(item, below if field in ("item", "value") else "/" + field)

    return point


def _pin_mismatch(program: ScoringProgram, started: Started, session_id: str) -> PinMismatchError | None:
    """The refusal to open a session pinned to another bank or rule set (None: the same)."""
    parts = program.parts
    for kind, pinned, have in (("bank", started.bank, parts.bank), ("rules", started.rules, parts.rules)):
        if pinned != have:
            return PinMismatchError(
                f"session {session_id} was started with {kind} {pinned.id} {pinned.version} "
                f"({pinned.hash}), but this program has {have.id} {have.version} ({have.hash}); "
                f"open it with the {kind} it was started with",
                found=f"{kind} {pinned.id} {pinned.version} ({pinned.hash})",
                expected=f"{kind} {have.id} {have.version} ({have.hash})")
    return None


# ---------------------------------------------------------------------------- the clock

_second: tuple[int, str] = (-1, "")


def utc_now() -> str:
    """The current UTC time in the format of the events (microseconds, ``Z``); fast."""
    global _second  # noqa: PLW0603 - a one-second cache of the formatted date and time
    seconds, nanos = divmod(time.time_ns(), 1_000_000_000)
    cached = _second
    if cached[0] != seconds:
        cached = (seconds, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)))
        _second = cached
    return f"{cached[1]}.{nanos // 1000:06d}Z"


def checked_time(clock: Clock, last: str | None = None) -> str:
    """A reading of ``clock`` for the next event: ClockError (SES-015) unless it is an event
    time (ISO 8601 with seconds and a zone, a real date, no leap second); ``last`` (the log's
    latest time) when the reading is earlier, so the log's times never run backwards."""
    return _checked_reading(clock(), last)


def _checked_reading(at: object, last: str | None) -> str:
    """``checked_time`` of one reading ``at`` of the clock."""
    problem = time_problem(at)
    if problem is not None:
        raise ClockError(f"the clock gave {at!r:.80}, {problem}; expected an ISO 8601 time with seconds "
                         f"and a zone such as {EXAMPLE}; nothing was written",
                         found=f"{at!r:.80}", found_fi=f"{at!r:.80}")
    assert isinstance(at, str)
    return at if last is None else later(at, last)


_checked_time = checked_time


# ---------------------------------------------------------------------------- results


class Position(NamedTuple):
    """Where the discussion is: the section entered and the current item.

    ``item`` is None before the first question, after the last one, and in a section
    without visible questions.
    """

    section: str | None
    item: str | None
    visible: bool = True
    """Whether the current item is visible (``go_to`` may land on a hidden one)."""


class Progress(NamedTuple):
    """How far the session is: visible items dealt with, and required ones still open.

    An item counts as dealt with when it is answered, or marked don't know or not
    applicable; skipped does not count.
    """

    answered: int
    visible: int
    required: int
    """Visible items that are required now."""
    required_left: int
    """Visible required items not yet dealt with."""


class SectionView(NamedTuple):
    """A scored section's live score and level (and the advisor's override, if any)."""

    section: str
    status: str
    """``scored`` or ``insufficient_data``."""
    score: float | None
    level: int | None
    """The computed level, after the gates."""
    level_name: str | None
    level_before_gates: int | None
    completeness: float | None
    answered: int
    expected: int
    gates: tuple[str, ...]
    """The gates that lowered the level."""
    override: int | None = None
    """The advisor's level, when set."""


class Changes(NamedTuple):
    """What an answer, clearing or undo changed."""

    shown: tuple[str, ...]
    """Items that became visible."""
    hidden: tuple[str, ...]
    """Items that became hidden (their answers stay, but no longer count)."""
    required: tuple[str, ...]
    """Items that became required."""
    not_required: tuple[str, ...]
    """Items no longer required."""
    calculated: Mapping[str, Any]
    """Calculated values that changed, with their new values."""
    sections: Mapping[str, SectionView]
    """The scored sections whose inputs changed, with their live scores."""
    overall: SectionView
    """The overall index, live (``answered`` and ``expected`` summed over the sections)."""
    progress: Progress


class AnswerOutcome(NamedTuple):
    """The outcome of ``answer`` or ``clear``: problems (nothing stored) or the changes."""

    item: str
    problems: tuple[Diagnostic, ...] = ()
    """ANS-* errors; when there are any, nothing was stored."""
    warnings: tuple[Diagnostic, ...] = ()
    """Stored anyway, but worth saying (ANS-008: the item is hidden by its condition)."""
    seq: int | None = None
    """The event written (None: nothing was written)."""
    changes: Changes | None = None

    @property
    def ok(self) -> bool:
        """True when the answer was accepted."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    """What ``undo`` took back."""

    seq: int
    """The Undone event written."""
    target: Event
    """The event taken back."""
    changes: Changes | None
    """For an answer or clearing taken back: what that changed."""


@dataclass(frozen=True, slots=True)
class LevelComparison:
    """A section's computed level beside the advisor's override."""

    section: str
    computed: int | None
    override: int | None
    justification: str | None
    author: str | None

    @property
    def final(self) -> int | None:
        """The level that stands: the override when there is one, else the computed level."""
        return self.override if self.override is not None else self.computed


@dataclass(frozen=True, slots=True)
class Finish:
    """The outcome of ``finish``: the Result, with the overrides beside the computed levels."""

    result: Result
    levels: Mapping[str, LevelComparison]
    """Every scored section, computed level and override side by side."""
    required_left: tuple[str, ...]
    """Visible required items not dealt with when the session was finished."""
    seq: int


@dataclass(frozen=True, slots=True)
class SectionOverview:
    """One section in the overview: progress, time and (for a scored section) live scores."""

    section: str
    title: str
    scored: bool
    view: SectionView | None
    visible: int
    answered: int
    required_left: int
    planned_minutes: int
    spent_minutes: float
    current: bool


@dataclass(frozen=True, slots=True)
class Overview:
    """Every section live, the overall index and the progress."""

    sections: tuple[SectionOverview, ...]
    overall: SectionView
    progress: Progress
    position: Position


# ---------------------------------------------------------------------------- the interview


class Interview:
    """One live session over a store; see the module for the flow.

    Create with :meth:`start` or :meth:`open`. Not thread-safe: one object per advisor
    screen (two objects on one store are fine; they meet as conflicts).
    """

    _cursor: int
    """The current item's index in bank order (-1 before the first, len after the last)."""
    _on_item: bool
    """Whether the position is on the item at ``_cursor`` or just after it."""

    def __init__(self, program: ScoringProgram, store: Store, session_id: str, events: list[Event], *,
                 author: str | None = None, clock: Clock | None = None) -> None:
        """Use :meth:`start` or :meth:`open`."""
        self.program = program
        self.store = store
        self.session_id = session_id
        self._clock: Clock = clock or utc_now
        self._graph = LiveGraph.of(program)
        self._items = program.bank.items
        self._bank = program.bank.loaded.bank
        self._recommend: RecommendProgram | None = None
        self._views: dict[str, tuple[Any, int | None, SectionView]] = {}
        self._author_given = author
        self._load(events)

    # ---------------------------------------------------------------- creating

    @classmethod
    def start(cls, program: ScoringProgram, store: Store, *, company: Company | str | None = None,
              advisor: str, author: str | None = None, lang: Literal["fi", "en"] = "fi",
              clock: Clock | None = None, session_id: str | None = None,
              zone: str = DEFAULT_ZONE, variant: str | None = None) -> Interview:
        """Start a session for ``company`` run by ``advisor``, pinning the program's bank and
        rules (ids, versions, content hashes). ``author`` signs the events (default: the
        advisor); ``session_id`` defaults to a new uuid4 hex; ``zone`` is the meeting's IANA
        time zone (the Result's date is the start's date there); ``variant`` the bank's
        agenda variant the meeting follows (default: the bank's first), stored in the
        started event: the moves skip the items it does not ask, the agenda plans its minutes."""
        if isinstance(company, str) or company is None:
            company = Company(name=company)
        problem = next(check_meta(company.business_id, None), None)
        if problem is not None:
            raise InterviewError(f"cannot start the session: company.business_id {problem.found!r}: "
                                 f"{problem.expected}")
        bank = program.bank.loaded.bank
        known = variant_ids(bank)
        if variant is None:
            variant = default_variant(bank)
        elif variant not in known:
            hint = did_you_mean(variant, known)
            raise InterviewError.refusal(
                f"agenda variant {variant!r}" + (f" ({hint})" if hint else ""),
                "one of " + (", ".join(known) or "none (the bank declares no variants)"),
                found_fi=f"asialistan muunnelma {variant!r}" + (f" ({hint})" if hint else ""),
                expected_fi="jokin näistä: " + (", ".join(known) or "ei yhtään (pankissa ei ole muunnelmia)"))
        sid = session_id or uuid.uuid4().hex
        parts = program.parts
        at = _checked_time(clock or utc_now)
        try:
            started = Started(seq=1, time=at, author=author or advisor, company=company,
                              advisor=advisor, bank=parts.bank, rules=parts.rules, lang=lang,
                              zone=zone, variant=variant)
        except ValidationError as exc:
            raise InterviewError(f"cannot start the session: {exc.errors()[0]['msg']} "
                                 f"({'.'.join(str(p) for p in exc.errors()[0]['loc'])})") from None
        store.create(sid, started)
        return cls(program, store, sid, [started], author=author, clock=clock)

    @classmethod
    def open(cls, program: ScoringProgram, store: Store, session_id: str, *, author: str | None = None,
             clock: Clock | None = None) -> Interview:
        """Resume a session from its log. Raises :class:`PinMismatchError` when the session
        was started with another bank or rule set (id, version or content hash)."""
        if clock is not None:
            _checked_time(clock)
        events = store.events(session_id)
        started = events[0]
        if not isinstance(started, Started):
            raise InterviewError(f"session {session_id}: the log does not start with 'started'")
        mismatch = _pin_mismatch(program, started, session_id)
        if mismatch is not None:
            raise mismatch
        return cls(program, store, session_id, events, author=author, clock=clock)

    @classmethod
    def check_log(cls, program: ScoringProgram, events: Sequence[Event], *, session_id: str = "<import>",
                  base: str = "/events", limit: int = 100) -> list[Diagnostic]:
        """Replay a whole log through the checks the writing methods apply and return what
        they refuse, each at its event's JSON pointer below ``base`` (at most ``limit``): the
        pins (SES-014), answers against the bank (the ANS-* codes), changes after
        ``finished`` without ``reopened`` (SES-011), unknown items and sections (SES-012),
        undo targets (SES-013), levels and texts and an unknown agenda variant (SES-010),
        times that run backwards (SES-016).
        Nothing is written anywhere. The log's shape (``started`` first, seqs 1..n) is
        assumed checked (:func:`asiakasarvo_engine.session.export.check_log`)."""
        started = events[0]
        assert isinstance(started, Started)
        mismatch = _pin_mismatch(program, started, session_id)
        if mismatch is not None:
            kind = "bank" if started.bank != program.parts.bank else "rules"
            return [mismatch.diagnostic(jp.join(base, 0, kind, "hash"))]
        replay = cls(program, MemoryStore(), session_id, [started])
        problems: list[Diagnostic] = []
        known = variant_ids(program.bank.loaded.bank)
        if started.variant is not None and started.variant not in known:
            unknown = InterviewError.refusal(
                f"agenda variant {started.variant!r}", "one of " + (", ".join(known) or "none"),
                found_fi=f"asialistan muunnelma {started.variant!r}",
                expected_fi="jokin näistä: " + (", ".join(known) or "ei yhtään"))
            problems.append(unknown.diagnostic(jp.join(base, 0, "variant")))
        by_seq: dict[int, Event] = {started.seq: started}
        previous = started.time
        for index, event in enumerate(events[1:], start=1):
            here = jp.join(base, index)
            if runs_backwards(previous, event.time):
                backwards = BackwardsTimeError.refusal(event.time, previous)
                problems.append(backwards.diagnostic(jp.join(here, "time")))
            previous = event.time
            try:
                problems.extend(replay._replay_problems(event, here, by_seq))
            except InterviewError as exc:
                problems.append(exc.diagnostic(jp.join(here, exc.field) if exc.field else here))
            by_seq[event.seq] = event
            replay._events.append(event)
            replay._seq = event.seq
            if isinstance(event, Undone):
                replay._undone.add(event.target)
            else:
                replay._apply(event)
            if len(problems) >= limit:
                break
        return problems[:limit]

    def _replay_problems(self, event: Event, here: str, by_seq: Mapping[int, Event]) -> list[Diagnostic]:
        """The refusals of one event of a log as the writing method would make them."""
        if isinstance(event, EditAccepted):
            return []  # recorded by an import, after the events it vouches for
        if isinstance(event, Started | Finished):
            self._writable(event.type)
            return []
        if isinstance(event, Reopened):
            self._check_reopen()
            return []
        if isinstance(event, AnalysisEdited):
            self._check_edit(event.path, event.value)
            return []
        if isinstance(event, Undone) and self._finished:
            earlier = by_seq.get(event.target) if event.target < event.seq else None
            if isinstance(earlier, AnalysisEdited):
                self._check_undo_target(earlier, event.target)
                return []
        self._writable(event.type)
        if isinstance(event, Answered):
            def point(field: str, below: str) -> str:
                return jp.join(here, field) + below
            return list(self._answer_problems(event.item, event.value, event.status, event.note, point,
                                              views_differ=event.views_differ)[1])
        if isinstance(event, Cleared):
            if event.item not in self._graph.order:
                return [make("ANS-001", pointer=jp.join(here, "item"), found=event.item,
                             hint=did_you_mean(event.item, self._graph.items))]
        elif isinstance(event, NoteAdded):
            self._check_note(event.text, event.target)
        elif isinstance(event, Overridden):
            self._check_override(event.section, event.level, event.justification)
        elif isinstance(event, Undone):
            earlier = by_seq.get(event.target) if event.target < event.seq else None
            self._check_undo_target(earlier, event.target)
        elif isinstance(event, SectionEntered | SectionLeft) and event.section not in self._section_ids():
            raise UnknownTargetError(self._unknown(event.section), field="section", found=event.section,
                                     found_fi=event.section,
                                     expected="a section of the bank", expected_fi="kysymyspankin osio")
        return []

    def reload(self) -> None:
        """Read the log again from the store (picks up other writers' events); the position
        stays where it was while the section under discussion is the same."""
        section, cursor, on_item = self._section, self._cursor, self._on_item
        self._load(self.store.events(self.session_id))
        if self._section == section:
            self._cursor, self._on_item = cursor, on_item

    def _load(self, events: list[Event]) -> None:
        started = events[0]
        assert isinstance(started, Started)
        self.started = started
        self.variant: str | None = started.variant
        """The agenda variant the meeting follows (None: every item)."""
        self._outside = outside_variant(self._bank, started.variant)
        self.lang: str = started.lang
        self.author: str = self._author_given or started.advisor
        self._events: list[Event] = list(events)
        self._seq = events[-1].seq
        undone = {e.target for e in events if isinstance(e, Undone)}
        self._undone = undone
        self._answers: dict[str, Answered] = {}
        self._notes: dict[int, NoteAdded] = {}
        self._overrides: dict[str, Overridden] = {}
        self._written: dict[str, AnalysisEdited] = {}
        self._finished = False
        self._section: str | None = None
        self._last_section: str | None = None  # the section to resume in after a pause
        self._paused_at: str | None = None  # the question a pause stopped at
        self._entered_at: str | None = None
        self._seconds: dict[str, float] = {}
        for event in events:
            if event.seq in undone:
                continue
            self._apply(event)
        known = self._graph.order  # an imported log may name items the bank does not have
        self._live = LiveState(self.program, {name: (e.status, e.value) for name, e in self._answers.items()
                                              if name in known})
        self._cursor, self._on_item = self._resume_cursor()

    def _apply(self, event: Event) -> None:
        """Bring the bookkeeping up to date with one (not undone) event, as ``fold`` does."""
        if isinstance(event, Answered):
            self._answers[event.item] = event
        elif isinstance(event, Cleared):
            self._answers.pop(event.item, None)
        elif isinstance(event, NoteAdded):
            self._notes[event.seq] = event
        elif isinstance(event, Overridden):
            if event.level is None:
                self._overrides.pop(event.section, None)
            else:
                self._overrides[event.section] = event
        elif isinstance(event, AnalysisEdited):
            if event.value is None:
                self._written.pop(event.path, None)
            else:
                self._written[event.path] = event
        elif isinstance(event, SectionEntered):
            self._close_section(event.time)
            self._section, self._entered_at = event.section, event.time
            self._last_section, self._paused_at = event.section, None
        elif isinstance(event, SectionLeft):
            if self._section == event.section:
                self._close_section(event.time)
            self._section, self._entered_at = None, None
            self._paused_at = event.item
        elif isinstance(event, Finished):
            self._finished = True
        elif isinstance(event, Reopened):
            self._finished = False

    def _close_section(self, at: str) -> None:
        if self._section is not None and self._entered_at is not None:
            self._seconds[self._section] = (self._seconds.get(self._section, 0.0)
                                            + seconds_between(self._entered_at, at))

    # ---------------------------------------------------------------- reading

    @property
    def not_asked(self) -> frozenset[str]:
        """The items the session's agenda variant does not ask in the meeting (the extended
        ones of a core variant): the moves pass them by, a jump still reaches them."""
        return self._outside

    @property
    def finished(self) -> bool:
        """Whether the session is finished (reopen to change it)."""
        return self._finished

    @property
    def events(self) -> tuple[Event, ...]:
        """The log as this object knows it."""
        return tuple(self._events)

    @property
    def answers(self) -> dict[str, AnswerEntry]:
        """The current answers, keyed ``section.item`` (hidden items' answers included)."""
        return {name: AnswerEntry(value=e.value, status=e.status, note=e.note, time=e.time, author=e.author,
                                  views_differ=e.views_differ)
                for name, e in self._answers.items()}

    @property
    def state(self) -> SessionState:
        """The session state, equal to ``fold`` of the log."""
        return SessionState(
            started=self.started, answers=self.answers,
            answered_at={name: e.seq for name, e in self._answers.items()},
            notes=self.notes, overrides=self.overrides, current_section=self._section,
            seconds_in_section=dict(self._seconds), finished=self._finished, last_seq=self._seq,
            undone=set(self._undone), written=self.written)

    @property
    def notes(self) -> list[Note]:
        """The notes not undone, in order."""
        return [Note(e.seq, e.target, e.text, e.author, e.time) for e in self._notes.values()]

    @property
    def overrides(self) -> dict[str, Override]:
        """The advisor's section levels in force."""
        return {section: Override(e.seq, e.level, e.justification, e.author)
                for section, e in self._overrides.items() if e.level is not None}

    @property
    def written(self) -> WrittenAnalysis:
        """The advisor's edits of the written analysis in force."""
        return WrittenAnalysis({path: Edit(path, e.value, e.seq, e.author, e.time)
                                for path, e in self._written.items()})

    @property
    def live(self) -> LiveState:
        """The evaluated state (visible, required, calculated values, scores); read-only."""
        return self._live

    @property
    def position(self) -> Position:
        """The section under discussion and the current item."""
        if not self._on_item:
            return Position(self._section, None)
        item = self._graph.items[self._cursor]
        return Position(self._section, item, item not in self._live.hidden)

    def progress(self) -> Progress:
        """Visible items dealt with, and required ones still open. In an agenda variant that
        leaves items out, a visible item it does not ask counts only once dealt with."""
        live = self._live
        visible = live.visible_count()
        if self._outside:
            status, hidden = live.status, live.hidden
            visible -= sum(1 for name in self._outside
                           if name not in hidden and status.get(name) not in _RESPONDED)
        return Progress(live.responded, visible, len(live.required), len(live.open_required))

    def section_view(self, section: str) -> SectionView:
        """The live score of a scored section (raises UnknownTargetError for others)."""
        scores = self._live.scores.get(section)
        if scores is None or section == "":
            raise UnknownTargetError(f"{section!r} is not a scored section")
        return self._view(section, scores)

    def _view(self, section: str, scores: SectionScores) -> SectionView:
        """The view of a section's scores (cached while the scores and the override stay)."""
        override = self._overrides.get(section)
        level_override = override.level if override is not None else None
        cached = self._views.get(section)
        if cached is not None and cached[0] is scores and cached[1] == level_override:
            return cached[2]
        level = scores.level
        view = SectionView(section, scores.status.value, scores.score, level, self._level_name(level),
                           scores.level_before_gates, scores.completeness, scores.answered, scores.expected,
                           tuple(gate.id for gate, applied in scores.gates if applied), level_override)
        self._views[section] = (scores, level_override, view)
        return view

    def _level_name(self, level: int | None) -> str | None:
        return localized(self.program.parts.levels[level - 1].name, self.lang) if level else None

    def _overall_view(self) -> SectionView:
        overall: OverallScores = self._live.overall
        cached = self._views.get("")
        if cached is not None and cached[0] is overall:
            return cached[2]
        level = overall.level
        counts = self._live.tallies[""]  # answered and expected summed over the sections
        view = SectionView("overall", overall.status.value, overall.score, level, self._level_name(level),
                           overall.level_before_gates, overall.completeness, counts[2], counts[3],
                           tuple(gate.id for gate, applied in overall.gates if applied))
        self._views[""] = (overall, None, view)
        return view

    def _changes(self, delta: Delta) -> Changes:
        scores = self._live.scores
        views = self._view
        return Changes(delta.shown, delta.hidden, delta.required, delta.not_required, delta.calculated,
                       {sid: views(sid, scores[sid]) for sid in delta.sections} if delta.sections else {},
                       self._overall_view(), self.progress())

    # ---------------------------------------------------------------- writing

    def _writable(self, kind: str = "") -> None:
        if self._finished:
            raise SessionFinishedError(
                f"session {self.session_id} is finished; reopen it to change it",
                field="type" if kind else "",
                found=f"a {kind!r} event after 'finished'" if kind else "a change after 'finished'",
                found_fi=f"{kind!r}-tapahtuma 'finished'-tapahtuman jälkeen" if kind
                else "muutos 'finished'-tapahtuman jälkeen",
                expected="a 'reopened' event before it", expected_fi="'reopened'-tapahtuma ennen sitä")

    def _check_reopen(self) -> None:
        if not self._finished:
            raise InterviewError(f"session {self.session_id} is not finished", field="type",
                                 found="'reopened' while the session is not finished",
                                 found_fi="'reopened', vaikka istunto ei ole valmis",
                                 expected="a 'finished' event before it",
                                 expected_fi="'finished'-tapahtuma ennen sitä")

    def _check_undo_target(self, target: Event | None, seq: int) -> None:
        """An undo takes back an earlier answer, clearing, note or override not yet undone."""
        if target is None or target.type not in UNDOABLE or target.seq in self._undone:
            what = ("no such earlier event" if target is None else
                    "already undone" if target.seq in self._undone else f"a {target.type!r} event")
            what_fi = ("aiempaa tapahtumaa ei ole" if target is None else
                       "jo peruttu" if target.seq in self._undone else f"{target.type!r}-tapahtuma")
            raise NothingToUndoError(
                f"session {self.session_id}: event {seq} cannot be undone ({what})", field="target",
                found=f"target {seq}: {what}", found_fi=f"kohde {seq}: {what_fi}",
                expected="an earlier " + ", ".join(UNDOABLE) + " event not yet undone",
                expected_fi="aiempi " + ", ".join(UNDOABLE) + " -tapahtuma, jota ei ole peruttu")

    _valid_second = ""
    """The date and time to the second of the last reading found valid in the clock's own
    form (``2026-03-14T09:30:00.123456Z``)."""

    def _now(self) -> str:
        """The clock's reading for the next event (SES-015 when it is no valid time), never
        before the log's last time.

        A reading in the form of :func:`utc_now` within the second of a reading already
        found valid is valid too, and two times in that form compare by instant as text: the
        usual reading needs no parsing."""
        at = self._clock()
        last = self._events[-1].time
        if (type(at) is str and len(at) == 27 and at[26] == "Z" and at[19] == "."
                and at[:19] == self._valid_second and at[20:26].isascii() and at[20:26].isdigit()
                and len(last) == 27 and last[26] == "Z" and last[19] == "."):
            return last if at < last else at
        checked = _checked_reading(at, last)
        if type(at) is str and len(at) == 27 and at[26] == "Z" and at[19] == ".":
            self._valid_second = at[:19]
        return checked

    def _append(self, *events: Event) -> None:
        """Append ``events`` with the expected sequence number, several in one commit (all or
        none); on any failure take the live evaluation back, and on a conflict reload the
        log before re-raising."""
        try:
            if len(events) == 1:
                self.store.append(self.session_id, self._seq, events[0])
            else:
                self.store.append_many(self.session_id, self._seq, events)
        except ConflictError:
            self._live.rollback()
            self.reload()
            raise
        except BaseException:
            self._live.rollback()
            raise
        self._live.commit()
        self._seq = events[-1].seq
        self._events.extend(events)

    def _item_problem(self, item: str) -> Diagnostic:
        return make("ANS-001", pointer=_where(item), found=item,
                    hint=did_you_mean(item, self._graph.items))

    def answer(self, item: str, value: Any = None, status: AnswerStatus | str = _ANSWERED,
               note: str | None = None, *, views_differ: bool = False) -> AnswerOutcome:
        """Answer ``item`` (``section.item``) with ``value``, or mark it ``dont_know``,
        ``not_applicable`` or ``skipped``; ``note`` is kept with the answer, and so is
        ``views_differ`` (the owners or the board disagree: only on a rating question, ANS-009
        otherwise; shown in the advisor's appendix, never scored).

        A value the answers loader would refuse comes back as ANS-* problems and nothing is
        stored; otherwise the answer is stored and the outcome says what changed.
        """
        if self._finished:
            self._writable()
        checked, problems = self._answer_problems(item, value, status, note, _answer_pointer(item),
                                                  views_differ=views_differ)
        if checked is None:
            return AnswerOutcome(item, problems)
        status = checked
        at = self._now()
        author = self.author
        try:
            if ((value is None or (status is _ANSWERED and type(value) in _SCALARS
                                   and (type(value) is not int or -_INT_LIMIT < value < _INT_LIMIT)))
                    and (note is None or type(note) is str) and type(at) is str
                    and type(author) is str and 0 < len(author) <= _MAX_AUTHOR):
                # every field checked as the model checks it (the value by check_value)
                event = checked_answered(seq=self._seq + 1, time=at, author=author, item=item, value=value,
                                         status=status, note=note, views_differ=views_differ)
            else:
                event = Answered(seq=self._seq + 1, time=at, author=author, item=item,
                                 value=value, status=status, note=note, views_differ=views_differ)
        except ValidationError as exc:
            error = exc.errors()[0]
            return AnswerOutcome(item, (make("ANS-002", pointer=_where(item),
                                             expected=f"value: {error['msg']}", found=repr(value)[:60]),))
        warnings: tuple[Diagnostic, ...] = ()
        if item in self._live.hidden:
            warnings = (make("ANS-008", pointer=_where(item), found=item),)
        try:
            delta = self._live.set_entry(item, status, value)
        except BaseException:
            self._live.rollback()
            raise
        self._append(event)
        self._answers[item] = event
        return AnswerOutcome(item, (), warnings, event.seq, self._changes(delta))

    def _answer_problems(self, item: str, value: Any, status: AnswerStatus | str, note: str | None,
                         point: Callable[[str, str], str], *, views_differ: bool = False,
                         ) -> tuple[AnswerStatus | None, tuple[Diagnostic, ...]]:
        """The checks of an answer, as the answers-file loader makes them: the status it
        stands for (None when refused) and the ANS-* problems; ``point(field, below)`` gives
        the JSON pointer of a field (``item``, ``value``, ``status``, ``note``, ``views_differ``)."""
        compiled = self._items.get(item)
        if compiled is None:
            return None, (make("ANS-001", pointer=point("item", ""), found=item,
                               hint=did_you_mean(item, self._graph.items)),)
        if type(status) is not AnswerStatus:
            found = _STATUSES.get(str(status))
            if found is None:
                return None, (make("ANS-007", pointer=point("status", ""), found=status,
                                   expected=", ".join(_STATUSES)),)
            status = found
        if views_differ is not False and (views_differ is not True
                                          or compiled.item.type is not QuestionType.LIKERT):
            if views_differ is not True:
                return None, (make("ANS-002", pointer=point("views_differ", ""), expected="true or false",
                                   found=repr(views_differ)[:60]),)
            return None, (make("ANS-009", pointer=point("views_differ", ""),
                               found=f"{item} ({compiled.item.type.value})"),)
        if note is not None and (not isinstance(note, str) or len(note) > _MAX_TEXT):
            return None, (make("ANS-002", pointer=point("note", ""),
                               expected=f"note: text of at most {_MAX_TEXT} characters",
                               found=repr(note)[:60]),)
        if status is _ANSWERED:
            if value is None:
                return None, (make("ANS-002", pointer=point("value", ""), expected=compiled.item.type.value,
                                   found="null"),)
            accepted = self._graph.accepted.get(item)
            if accepted is not None and type(value) is accepted[0] and value in accepted[1]:
                return status, ()  # a scale's point, one of the choices: what check_value accepts
            problems = list(check_value(compiled.item, value, self._bank))
            if problems:
                return None, tuple(
                    make(p.code, pointer=point("value", p.pointer), expected=p.expected, found=p.found,
                         expected_fi=p.expected_fi, found_fi=p.found_fi,
                         hint=Hint(f"item {item}", f"kysymys {item}"))
                    for p in problems)
        return status, ()

    def clear(self, item: str) -> AnswerOutcome:
        """Remove ``item``'s answer (nothing is written when it has none)."""
        self._writable()
        if item not in self._graph.order:
            return AnswerOutcome(item, (self._item_problem(item),))
        if item not in self._answers:
            return AnswerOutcome(item, changes=self._changes(Delta((), (), (), (), {}, ())))
        event = Cleared(seq=self._seq + 1, time=self._now(), author=self.author, item=item)
        try:
            delta = self._live.set_entry(item, None)
        except BaseException:
            self._live.rollback()
            raise
        self._append(event)
        del self._answers[item]
        return AnswerOutcome(item, seq=event.seq, changes=self._changes(delta))

    def note(self, text: str, target: str | None = None) -> Note:
        """Add a note on an item (``section.item``), a section, or the session (None)."""
        self._writable()
        self._check_note(text, target)
        event = NoteAdded(seq=self._seq + 1, time=self._now(), author=self.author, target=target, text=text)
        self._append(event)
        self._notes[event.seq] = event
        return Note(event.seq, target, text, event.author, event.time)

    def _check_note(self, text: str, target: str | None) -> None:
        if target is not None and target not in self._graph.order and target not in self._section_ids():
            raise UnknownTargetError(self._unknown(target), field="target", found=target, found_fi=target,
                                     expected="an item (section.item), a section or null",
                                     expected_fi="kysymys (osio.kysymys), osio tai null")
        if not text or not text.strip() or len(text) > _MAX_TEXT:
            raise InterviewError.refusal(f"a note of {len(text or '')} characters",
                                         f"a note is text of 1 to {_MAX_TEXT} characters",
                                         found_fi=f"{len(text or '')} merkin muistiinpano",
                                         expected_fi=f"muistiinpano on 1–{_MAX_TEXT} merkkiä tekstiä",
                                         field="text")

    def override(self, section: str, level: int | None, justification: str) -> LevelComparison:
        """Set a scored section's level by judgement, with the justification (``level``
        None removes an earlier override)."""
        self._writable()
        self._check_override(section, level, justification)
        event = Overridden(seq=self._seq + 1, time=self._now(), author=self.author, section=section,
                           level=level, justification=justification)
        self._append(event)
        self._apply(event)
        return self._comparison(section)

    def _check_override(self, section: str, level: int | None, justification: str) -> None:
        if section not in self._graph.sections:
            scored = ", ".join(self._graph.sections)
            raise UnknownTargetError(f"{section!r} is not a scored section; expected one of {scored}",
                                     field="section", found=section, found_fi=section,
                                     expected=f"a scored section: {scored}",
                                     expected_fi=f"pisteytetty osio: {scored}")
        top = len(self.program.levels)
        if level is not None and (isinstance(level, bool) or not isinstance(level, int)
                                  or not 1 <= level <= top):
            raise InterviewError(f"a level is a whole number from 1 to {top}, or None to remove the override",
                                 field="level", found=f"level {level!r}", found_fi=f"taso {level!r}",
                                 expected=f"a whole number from 1 to {top}, or null",
                                 expected_fi=f"kokonaisluku 1–{top} tai null")
        if not justification or not justification.strip() or len(justification) > _MAX_JUSTIFICATION:
            raise InterviewError(f"an override needs a justification of 1 to {_MAX_JUSTIFICATION} characters",
                                 field="justification",
                                 found=f"a justification of {len(justification or '')} characters",
                                 found_fi=f"{len(justification or '')} merkin perustelu",
                                 expected=f"1 to {_MAX_JUSTIFICATION} characters",
                                 expected_fi=f"1–{_MAX_JUSTIFICATION} merkkiä")

    def edit(self, path: str, value: Any) -> Edit:
        """Set one field of the written analysis (see :mod:`asiakasarvo_engine.session.written`;
        ``value`` None takes the field back to the generated one). Allowed after ``finish``
        too: the analysis is written after the meeting."""
        self._check_edit(path, value)
        event = AnalysisEdited(seq=self._seq + 1, time=self._now(), author=self.author, path=path,
                               value=value)
        self._append(event)
        self._apply(event)
        return Edit(path, value, event.seq, event.author, event.time)

    @cached_property
    def catalogue(self) -> Catalogue:
        """What edits of the written analysis may name (the rule set's recommendations and metrics)."""
        rules = self.program.rules.rules.recommendations
        if rules is None:
            return Catalogue(frozenset(), frozenset(), len(self.program.levels))
        return Catalogue(frozenset(r.id for r in rules.items), frozenset(rules.metrics),
                         len(self.program.levels))

    def _check_edit(self, path: str, value: Any) -> None:
        problem = check_edit(path, value, self.catalogue)
        if problem is not None:
            raise InterviewError(f"cannot edit the written analysis: {problem.found}; "
                                 f"expected {problem.expected}", field=problem.field, found=problem.found,
                                 found_fi=problem.found_fi,
                                 expected=problem.expected, expected_fi=problem.expected_fi)

    def _comparison(self, section: str) -> LevelComparison:
        override = self._overrides.get(section)
        computed = self._live.scores[section].level
        if override is None:
            return LevelComparison(section, computed, None, None, None)
        return LevelComparison(section, computed, override.level, override.justification, override.author)

    def undo(self) -> UndoOutcome:
        """Take back the latest answer, clearing, note, override or analysis edit not yet
        undone (in a finished session, the latest analysis edit)."""
        kinds = ("analysis_edited",) if self._finished else UNDOABLE
        target = next((e for e in reversed(self._events) if e.type in kinds and e.seq not in self._undone),
                      None)
        if target is None and self._finished:
            self._writable()
        if target is None:
            raise NothingToUndoError(f"session {self.session_id}: nothing left to undo")
        event = Undone(seq=self._seq + 1, time=self._now(), author=self.author, target=target.seq)
        delta: Delta | None = None
        restored: Answered | None = None
        if isinstance(target, Answered | Cleared):
            restored = self._latest_answer(target.item, skip=target.seq)
            try:
                if restored is None:
                    delta = self._live.set_entry(target.item, None)
                else:
                    delta = self._live.set_entry(target.item, restored.status, restored.value)
            except BaseException:
                self._live.rollback()
                raise
        self._append(event)
        self._undone.add(target.seq)
        if isinstance(target, Answered | Cleared):
            if restored is None:
                self._answers.pop(target.item, None)
            else:
                self._answers[target.item] = restored
        elif isinstance(target, NoteAdded):
            self._notes.pop(target.seq, None)
        elif isinstance(target, Overridden | AnalysisEdited):
            self._restore(target)
        return UndoOutcome(event.seq, target, None if delta is None else self._changes(delta))

    def _restore(self, undone: Overridden | AnalysisEdited) -> None:
        """Bring back what the latest event of the same section (or path) not undone set,
        or nothing when there is none."""
        def key(event: Overridden | AnalysisEdited) -> str:
            return event.section if isinstance(event, Overridden) else event.path

        table: dict[str, Any] = self._overrides if isinstance(undone, Overridden) else self._written
        table.pop(key(undone), None)
        latest = next((e for e in reversed(self._events) if type(e) is type(undone)
                       and e.seq not in self._undone and key(e) == key(undone)), None)
        if latest is not None:
            self._apply(latest)

    def _latest_answer(self, item: str, skip: int) -> Answered | None:
        """The answer ``item`` has when event ``skip`` is undone too."""
        for event in reversed(self._events):
            if event.seq == skip or event.seq in self._undone:
                continue
            if isinstance(event, Answered) and event.item == item:
                return event
            if isinstance(event, Cleared) and event.item == item:
                return None
        return None

    # ---------------------------------------------------------------- moving

    def _section_ids(self) -> list[str]:
        return [section.id for section in self.program.bank.loaded.bank.bodies()]

    def _unknown(self, target: str) -> str:
        candidates = [*self._section_ids(), *self._graph.items]
        hint = did_you_mean(target, candidates)
        return f"no item or section {target!r}" + (f" ({hint})" if hint else "")

    def _resume_cursor(self) -> tuple[int, bool]:
        section = self._section or self._last_section
        if section is None:
            return -1, False
        items = self._graph.items
        paused = self._paused_at
        if self._section is None and paused in self._graph.item_section and paused not in self._live.hidden:
            return items.index(paused), True
        in_section = [i for i, name in enumerate(items) if self._graph.item_section[name] == section]
        visible = [i for i in in_section if items[i] not in self._live.hidden]
        asked = [i for i in visible if items[i] not in self._outside]
        visible = asked or visible
        for index in visible:
            if self._live.status.get(items[index]) not in _RESPONDED:
                return index, True
        if visible:
            return visible[0], True
        return self._before_section(section), False

    def _before_section(self, section: str) -> int:
        items = self._graph.items
        for index, name in enumerate(items):
            if self._graph.item_section[name] == section:
                return index - 1
        sections = self._section_ids()
        later = sections[sections.index(section) + 1:]
        for index, name in enumerate(items):
            if self._graph.item_section[name] in later:
                return index - 1
        return len(items) - 1

    def _enter(self, section: str | None, *, pausing_at: str | None = None, at: str | None = None) -> None:
        """Write the section left (at a pause, with the question it stopped at) and the
        section entered when the section changes (both at one reading of the clock)."""
        if section == self._section:
            return
        changes = self._section_events(section, pausing_at, at or self._now())
        self._append(*changes)  # one commit: a crash never leaves a section left and none entered
        for event in changes:
            self._apply(event)

    def _section_events(self, section: str | None, pausing_at: str | None, at: str) -> list[Event]:
        """The section left and the section entered that a move to ``section`` writes."""
        events: list[Event] = []
        if self._section is not None:
            events.append(SectionLeft(seq=self._seq + 1, time=at, author=self.author,
                                      section=self._section, item=pausing_at))
        if section is not None:
            events.append(SectionEntered(seq=self._seq + 1 + len(events), time=at, author=self.author,
                                         section=section))
        return events

    def _move(self, index: int | None, on_item: bool, section: str | None) -> Position:
        self._writable()
        if index is None:
            return self.position
        self._enter(section)
        self._cursor, self._on_item = index, on_item
        return self.position

    def next(self) -> Position:
        """Move to the next visible item the variant asks (into its section); past the last
        one the item is None."""
        items, hidden, outside = self._graph.items, self._live.hidden, self._outside
        for index in range(self._cursor + 1, len(items)):
            if items[index] not in hidden and items[index] not in outside:
                return self._move(index, True, self._graph.item_section[items[index]])
        return self._move(len(items), False, self._section)

    def back(self) -> Position:
        """Move to the previous visible item the variant asks (into its section); at the
        first one, stay."""
        items, hidden, outside = self._graph.items, self._live.hidden, self._outside
        start = self._cursor - 1 if self._on_item else min(self._cursor, len(items) - 1)
        for index in range(start, -1, -1):
            if items[index] not in hidden and items[index] not in outside:
                return self._move(index, True, self._graph.item_section[items[index]])
        return self._move(None, False, None)

    def go_to(self, target: str) -> Position:
        """Move to a section (its first visible item the variant asks) or an item
        (``section.item``, asked by the variant or not: an extended item can be answered)."""
        order = self._graph.order
        if target in order:
            return self._move(order[target], True, self._graph.item_section[target])
        if target not in self._section_ids():
            raise UnknownTargetError(self._unknown(target))
        items, hidden = self._graph.items, self._live.hidden
        in_target = [i for i, name in enumerate(items) if self._graph.item_section[name] == target
                     and name not in hidden]
        asked = [i for i in in_target if items[i] not in self._outside]
        if asked or in_target:
            return self._move((asked or in_target)[0], True, target)
        return self._move(self._before_section(target), False, target)

    # ---------------------------------------------------------------- the whole

    def agenda(self) -> Agenda:
        """Planned against spent minutes per section, with a warning for each section over."""
        return build_agenda(self.program.bank.loaded.bank, self._seconds, current=self._section,
                            entered_at=self._entered_at, now=self._now(), lang=self.lang,
                            variant=self.variant)

    def overview(self) -> Overview:
        """Every section with its progress, time and live score; the overall index."""
        live = self._live
        agenda = {line.section: line for line in self.agenda().lines}
        counts: dict[str, list[int]] = {}
        for name in self._graph.items:
            section = self._graph.item_section[name]
            count = counts.setdefault(section, [0, 0, 0])
            if name in live.hidden:
                continue
            count[0] += 1
            if live.status.get(name) in _RESPONDED:
                count[1] += 1
            if name in live.open_required:
                count[2] += 1
        sections = []
        for body in self.program.bank.loaded.bank.bodies():
            visible, answered, left = counts.get(body.id, [0, 0, 0])
            scores = live.scores.get(body.id)
            line = agenda[body.id]
            sections.append(SectionOverview(
                body.id, localized(body.title, self.lang), scores is not None,
                None if scores is None else self._view(body.id, scores), visible, answered, left,
                line.planned_minutes, line.spent_minutes, line.current))
        return Overview(tuple(sections), self._overall_view(), self.progress(), self.position)

    def result(self) -> Result:
        """The Result of the answers so far (scores, levels, recommendations); writes nothing."""
        if self._recommend is None and self.program.rules.rules.recommendations is not None:
            self._recommend = compile_recommendations(self.program.rules.rules.recommendations)
        started = self.started
        return analyse(self.program, self.answers, company=started.company,
                       date=meeting_date(started.time, started.zone), zone=started.zone,
                       advisor=started.advisor, recommendations=self._recommend,
                       plan_for=self.written.chosen)

    def finish(self) -> Finish:
        """Close the session (leaving the section under discussion) and return the Result
        with the advisor's overrides beside the computed levels."""
        self._writable()
        result = self.result()
        left = tuple(name for name in self._graph.items if name in self._live.open_required)
        at = self._now()
        changes = [] if self._section is None else self._section_events(None, None, at)
        event = Finished(seq=self._seq + 1 + len(changes), time=at, author=self.author)
        self._append(*changes, event)  # one commit: never a finish half written
        for change in (*changes, event):
            self._apply(change)
        levels = {sid: self._comparison(sid) for sid in self._graph.sections}
        return Finish(result, levels, left, event.seq)

    def pause(self) -> None:
        """Leave the section under discussion for a break or the end of a sitting, so the
        agenda clock stops; the next move (``go_to``, ``next``) enters a section again, and
        a session opened later resumes at the question the pause stopped at.
        Writes nothing when no section is entered or the session is finished."""
        if self._section is not None and not self._finished:
            self._enter(None, pausing_at=self.position.item)

    def reopen(self) -> None:
        """Open a finished session again."""
        self._check_reopen()
        event = Reopened(seq=self._seq + 1, time=self._now(), author=self.author)
        self._append(event)
        self._apply(event)
