"""Sessions behind the HTTP API: interviews opened from the store, one writer per session at a time.

The service keeps a small cache of open :class:`Interview` objects (by session and
author) and one lock per session, so requests on one session run one after another
and requests on different sessions run side by side. A write names the sequence number
it expects (``If-Match``): when it differs from the interview's, the interview is read
again from the store (another process may have written) and a still-differing number is
refused with 409 and the reloaded state. A read compares the store's log with the cached
interview by its first and last events, not only by their number, so a session erased and
started again under the same id elsewhere is opened anew. A store conflict (another writer got in between)
reloads the interview and is refused the same way. An interview that raised anything
unexpected is dropped from the cache, so the next request opens it afresh from the log.

The server never touches a store's tables: it calls the interview, export and store APIs.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from asiakasarvo_engine.codes import CODES
from asiakasarvo_engine.errors import ConflictError, SessionNotFoundError
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.server import models as m
from asiakasarvo_engine.server.problems import Problem, coded, from_engine
from asiakasarvo_engine.session.events import Event, Started
from asiakasarvo_engine.session.interview import (
    Changes,
    Clock,
    Interview,
    InterviewError,
    LevelComparison,
    NothingToUndoError,
    Position,
    Progress,
    SectionView,
    SessionFinishedError,
    UnknownTargetError,
)
from asiakasarvo_engine.session.store import SessionSummary, Store

T = TypeVar("T")
CACHE_SIZE = 64
"""Open interviews kept in memory (least recently used go first)."""


class SessionBusy(Exception):  # noqa: N818 - a signal to the caller, not an error
    """Another request holds the session (raised only when asked not to wait)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: the name that signs events, and the role."""

    name: str
    role: str
    """``local`` (the only user of a local server), ``advisor`` or ``coordinator``."""
    via: str = "cookie"
    """``cookie`` or ``token`` (a token-authenticated write needs no CSRF token)."""

    @property
    def local(self) -> bool:
        """True for the single user of a local server."""
        return self.role == "local"


Access = Callable[[Principal, Started, str, bool], bool]
"""Whether a principal may read (``write`` False) or change a session, given its Started event."""


def _anyone(_principal: Principal, _started: Started, _session_id: str, _write: bool) -> bool:
    return True


def interview_problem(exc: InterviewError) -> Problem:
    """An interview's refusal as a problem: 409 for a finished session or nothing to undo,
    404 for an unknown item or section, else 422; its diagnostic points at the request body's
    field at fault where the refusal names one."""
    status = 422
    if isinstance(exc, SessionFinishedError | NothingToUndoError):
        status = 409
    elif isinstance(exc, UnknownTargetError):
        status = 404
    diagnostic = exc.diagnostic(f"/{exc.field}" if exc.field else "") if exc.code in CODES else None
    return from_engine(status, exc.code, str(exc), diagnostic)


def _seq(interview: Interview) -> int:
    return interview.events[-1].seq


class SessionService:
    """The interview operations of the API over one store and program (thread-safe)."""

    def __init__(
        self,
        program: ScoringProgram,
        store: Store,
        *,
        clock: Clock | None = None,
        access: Access = _anyone,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.program = program
        self.store = store
        self.clock = clock
        self.access = access
        self._cache: OrderedDict[tuple[str, str | None], Interview] = OrderedDict()
        self._cache_size = cache_size
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.on_write: Callable[[str, int], None] = lambda _sid, _seq: None
        """Called after every accepted write with the session id and its new last seq."""

    # ---------------------------------------------------------------- plumbing

    def _lock(self, session_id: str) -> threading.Lock:
        with self._guard:
            lock = self._locks.get(session_id)
            if lock is None:
                lock = self._locks[session_id] = threading.Lock()
            return lock

    def _forget(self, session_id: str) -> None:
        with self._guard:
            for key in [k for k in self._cache if k[0] == session_id]:
                del self._cache[key]

    def _author(self, principal: Principal) -> str | None:
        return None if principal.local else principal.name

    def _open(self, session_id: str, principal: Principal) -> Interview:
        key = (session_id, self._author(principal))
        with self._guard:
            interview = self._cache.get(key)
            if interview is not None:
                self._cache.move_to_end(key)
        if interview is None:
            try:
                interview = Interview.open(
                    self.program, self.store, session_id, author=key[1], clock=self.clock
                )
            except SessionNotFoundError:
                raise coded(404, "HTTP-010", found=session_id) from None
            except InterviewError as exc:
                raise interview_problem(exc) from None
            with self._guard:
                self._cache[key] = interview
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        if not self.access(principal, interview.started, session_id, False):
            raise coded(404, "HTTP-010", found=session_id)
        return interview

    @contextmanager
    def _session(
        self, session_id: str, principal: Principal, *, fresh: bool, wait: bool = True
    ) -> Iterator[Interview]:
        """The session's interview under its lock; ``fresh`` reads the store first when the
        log changed elsewhere; ``wait`` False raises :class:`SessionBusy` at once when another
        request holds the session. Anything unexpected drops the interview from the cache."""
        lock = self._lock(session_id)
        if not lock.acquire(blocking=wait):
            raise SessionBusy(session_id)
        try:
            interview = self._open(session_id, principal)
            try:
                if fresh:
                    interview = self._fresh(interview, session_id, principal)
                yield interview
            except (Problem, InterviewError):
                raise
            except SessionNotFoundError:
                self._forget(session_id)
                raise coded(404, "HTTP-010", found=session_id) from None
            except BaseException:
                self._forget(session_id)
                raise
        finally:
            lock.release()

    def _fresh(self, interview: Interview, session_id: str, principal: Principal) -> Interview:
        """``interview`` as the store has it now. The same number of events is not enough: the
        session may have been erased and started again under the same id by another process,
        so the log's Started event and its last event must be the interview's too."""
        try:
            log = self.store.events(session_id)
        except SessionNotFoundError:
            self._forget(session_id)
            raise coded(404, "HTTP-010", found=session_id) from None
        if log[0] != interview.events[0]:  # another session under this id: open it as new
            self._forget(session_id)
            return self._open(session_id, principal)
        if log[-1] != interview.events[-1]:
            interview.reload()
        return interview

    def _conflict(self, interview: Interview, expected: int) -> Problem:
        state = state_out(interview)
        return coded(
            409,
            "HTTP-009",
            pointer="",
            found=expected + 1,
            expected=state.seq,
            headers={"ETag": etag(state.seq)},
            extra={"state": state.model_dump(mode="json")},
        )

    # ---------------------------------------------------------------- reading

    def read(self, session_id: str, principal: Principal, view: Callable[[Interview], T]) -> T:
        """``view`` of the session's current interview (read again when the log grew elsewhere)."""
        with self._session(session_id, principal, fresh=True) as interview:
            return view(interview)

    def summaries(self, principal: Principal) -> list[SessionSummary]:
        """The sessions this principal may read, newest first."""
        every = self.store.sessions()
        if principal.local:
            return every
        visible = []
        for summary in every:
            try:
                started = self.store.events(summary.id)[0]
            except SessionNotFoundError:
                continue
            if isinstance(started, Started) and self.access(principal, started, summary.id, False):
                visible.append(summary)
        return visible

    # ---------------------------------------------------------------- writing

    def write(
        self,
        session_id: str,
        principal: Principal,
        expected: int,
        change: Callable[[Interview], T],
        *,
        wait: bool = True,
    ) -> tuple[T, Interview]:
        """Run ``change`` on the session if its log is at ``expected``; 409 with the state if not.
        ``wait`` False raises :class:`SessionBusy` instead of waiting while another request
        holds the session (then nothing was run)."""
        with self._session(session_id, principal, fresh=False, wait=wait) as held:
            interview = held if expected == _seq(held) else self._fresh(held, session_id, principal)
            if not self.access(principal, interview.started, session_id, True):
                raise coded(
                    403,
                    "AUTH-006",
                    found=principal.role,
                    expected="the session's advisor or an advisor it is shared with",
                )
            if expected != _seq(interview):
                raise self._conflict(interview, expected)
            before = _seq(interview)
            try:
                outcome = change(interview)
            except ConflictError:
                raise self._conflict(interview, expected) from None
            except InterviewError as exc:
                raise interview_problem(exc) from None
            after = _seq(interview)
        if after != before:
            self.on_write(session_id, after)
        return outcome, interview

    def start(self, principal: Principal, body: m.SessionCreate, advisor: str) -> Interview:
        """Start a session (the advisor is the signed-in user in server mode)."""
        from asiakasarvo_engine.scoring.result import Company

        company = (
            Company(name=body.company.name, business_id=body.company.business_id) if body.company else None
        )
        try:
            interview = Interview.start(
                self.program,
                self.store,
                company=company,
                advisor=advisor,
                author=self._author(principal),
                lang=body.lang,
                clock=self.clock,
                session_id=body.id,
                zone=body.zone,
                variant=body.variant,
            )
        except ConflictError:
            raise coded(409, "HTTP-011", found=f"a session {body.id!r} exists already") from None
        except InterviewError as exc:
            raise interview_problem(exc) from None
        with self._guard:
            self._cache[(interview.session_id, self._author(principal))] = interview
        self.on_write(interview.session_id, 1)
        return interview

    def delete(self, session_id: str, principal: Principal, expected: int) -> None:
        """Erase a session if its log is at ``expected``."""

        def erase(interview: Interview) -> None:
            self.store.delete(session_id)

        self.write(session_id, principal, expected, erase)
        self._forget(session_id)
        self.on_write(session_id, 0)

    def imported(self, session_id: str) -> None:
        """Tell the listeners about an imported session."""
        self._forget(session_id)
        self.on_write(session_id, 0)


# ---------------------------------------------------------------------------- views


def etag(seq: int) -> str:
    """The ETag of a session at ``seq``: the number, quoted."""
    return f'"{seq}"'


def position_out(position: Position) -> m.PositionOut:
    """The API's form of a position."""
    return m.PositionOut(section=position.section, item=position.item, visible=position.visible)


def progress_out(progress: Progress) -> m.ProgressOut:
    """The API's form of the progress."""
    return m.ProgressOut(
        answered=progress.answered,
        visible=progress.visible,
        required=progress.required,
        required_left=progress.required_left,
    )


def view_out(view: SectionView) -> m.SectionViewOut:
    """The API's form of a live section view."""
    return m.SectionViewOut(
        section=view.section,
        status=view.status,
        score=view.score,
        level=view.level,
        level_name=view.level_name,
        level_before_gates=view.level_before_gates,
        completeness=view.completeness,
        answered=view.answered,
        expected=view.expected,
        gates=list(view.gates),
        override=view.override,
    )


def changes_out(changes: Changes | None) -> m.ChangesOut | None:
    """The API's form of what a write changed."""
    if changes is None:
        return None
    return m.ChangesOut(
        shown=list(changes.shown),
        hidden=list(changes.hidden),
        required=list(changes.required),
        not_required=list(changes.not_required),
        calculated=dict(changes.calculated),
        sections={k: view_out(v) for k, v in changes.sections.items()},
        overall=view_out(changes.overall),
        progress=progress_out(changes.progress),
    )


def level_out(level: LevelComparison) -> m.LevelOut:
    """The API's form of a computed level beside its override."""
    return m.LevelOut(
        section=level.section,
        computed=level.computed,
        override=level.override,
        justification=level.justification,
        author=level.author,
        final=level.final,
    )


def state_out(interview: Interview) -> m.SessionStateOut:
    """A session's state as the API gives it."""
    started = interview.started
    answers = {
        name: m.AnswerOut(
            value=entry.value, status=str(entry.status), note=entry.note, time=entry.time,
            author=entry.author, views_differ=entry.views_differ,
        )
        for name, entry in interview.answers.items()
    }
    return m.SessionStateOut(
        id=interview.session_id,
        seq=_seq(interview),
        company=m.CompanyOut(name=started.company.name, business_id=started.company.business_id),
        advisor=started.advisor,
        lang=started.lang,
        zone=started.zone,
        started=started.time,
        bank=started.bank,
        rules=started.rules,
        variant=started.variant,
        finished=interview.finished,
        position=position_out(interview.position),
        progress=progress_out(interview.progress()),
        answers=answers,
        notes=[
            m.NoteOut(seq=n.seq, target=n.target, text=n.text, author=n.author, time=n.time)
            for n in interview.notes
        ],
        overrides={
            s: m.OverrideOut(seq=o.seq, level=o.level, justification=o.justification, author=o.author)
            for s, o in interview.overrides.items()
        },
    )


def live_out(interview: Interview) -> m.LiveOut:
    """The live view of a session."""
    live = interview.live
    items = live.graph.items
    overview = interview.overview()
    agenda = interview.agenda()
    sections = {s.section: view_out(s.view) for s in overview.sections if s.view is not None}
    return m.LiveOut(
        seq=_seq(interview),
        position=position_out(interview.position),
        progress=progress_out(overview.progress),
        visible=[name for name in items if name not in live.hidden],
        required=[name for name in items if name in live.required and name not in live.hidden],
        required_left=[name for name in items if name in live.open_required],
        calculated=_json_ready(dict(live.calculated)),
        sections=sections,
        overall=view_out(overview.overall),
        agenda=m.AgendaOut(
            lines=[
                m.AgendaLineOut(
                    section=line.section,
                    title=line.title,
                    planned_minutes=line.planned_minutes,
                    spent_minutes=line.spent_minutes,
                    current=line.current,
                    over=line.over,
                )
                for line in agenda.lines
            ],
            warnings=[
                m.AgendaWarningOut(
                    section=w.section,
                    planned_minutes=w.planned_minutes,
                    spent_minutes=w.spent_minutes,
                    message=w.message,
                )
                for w in agenda.warnings
            ],
            planned_minutes=agenda.planned_minutes,
            spent_minutes=agenda.spent_minutes,
        ),
    )


def _json_ready(value: Any) -> Any:
    """Calculated values as JSON can carry them (non-finite numbers become null)."""
    if isinstance(value, float):
        return value if not math.isnan(value) and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def events_since(interview: Interview, since: int) -> list[Event]:
    """The events after seq ``since``."""
    return [e for e in interview.events if e.seq > since]
