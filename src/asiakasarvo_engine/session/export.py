"""Export and import of a whole session as JSON (``schemas/session.schema.json``).

An export is the session's id, its complete event log, each event exactly as stored
(seq, time, author and content), so an import into another store recreates the same
log, and the content hash of those events. Importing checks the whole file before
anything is stored, and refuses it whole:

* the document against the schema, and the log's shape: the first event is ``started``
  and the only one, events are numbered 1..n without gaps, times are ISO 8601 with a zone;
* the meaning, by replaying the events through the interview's own checks
  (:meth:`~asiakasarvo_engine.session.interview.Interview.check_log`): answers against the
  pinned bank (ANS-*), no change after ``finished`` without ``reopened`` (SES-011), undo
  targets (SES-013), items and sections (SES-012), times that never run backwards (SES-016);
* the content hash: events that do not hash to it were edited after export (SES-017);
  ``accept_edited`` takes them anyway and appends an ``edit_accepted`` event saying so.

Problems are diagnostics naming the JSON pointer (and line and column) of the bad event.
A file is read only up to the size bound of every source (SRC-003 beyond it), so a huge
file costs no more memory than the bound.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import Field, TypeAdapter, ValidationError

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine._model_base import Frozen
from asiakasarvo_engine.diagnostics import Diagnostic, Span, has_errors, make
from asiakasarvo_engine.errors import LoadError, SessionNotFoundError
from asiakasarvo_engine.hashing import content_hash
from asiakasarvo_engine.session.events import (
    EVENT_ADAPTER,
    EditAccepted,
    Event,
    Started,
    event_data,
    quiet_fields,
)
from asiakasarvo_engine.session.store import Store
from asiakasarvo_engine.sources import MAX_FILE_BYTES, parse_text
from asiakasarvo_engine.suggest import did_you_mean

if TYPE_CHECKING:
    from asiakasarvo_engine._validate import Locator
    from asiakasarvo_engine.scoring.program import ScoringProgram
    from asiakasarvo_engine.session.interview import Clock

SESSION_FORMAT_VERSIONS = ("1.0",)

SessionId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$",
                                 description="The session's id in its store.")]
_SESSION_ID: TypeAdapter[str] = TypeAdapter(SessionId)
EVENT_TYPES: tuple[str, ...] = tuple(str(cls.model_fields["type"].default)
                                     for cls in get_args(get_args(Event)[0]))
"""Every event type, in the order of the union."""
_EVENT_POINTER = re.compile(r"^/events/(\d+)(?:/|$)")


class SessionExport(Frozen):
    """One session's complete event log, as moved between stores."""

    schema_version: Literal["1.0"]
    kind: Literal["session"]
    id: SessionId
    content_hash: str | None = Field(default=None, pattern=r"^sha256:[0-9a-f]{64}$", description=(
        "sha256 of the canonical JSON of the events: an import refuses events that do not hash "
        "to it (the file was edited) unless told to accept them. Null or absent: not known."))
    events: list[Event] = Field(min_length=1, description="The log in order, starting with 'started'.")

    @classmethod
    def of(cls, session_id: str, events: list[Event]) -> SessionExport:
        """The export of ``events`` with their content hash."""
        return cls(schema_version="1.0", kind="session", id=session_id, content_hash=events_hash(events),
                   events=events)


def events_hash(events: list[Event]) -> str:
    """``sha256:<hex>`` of the canonical JSON of a log's events (key order and spacing of a
    file do not count; every value does)."""
    return content_hash([event_data(event) for event in events])


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import stored: the id, and for an edited export accepted, the event recording it."""

    id: str
    edited: EditAccepted | None = None
    """The ``edit_accepted`` event appended (None: the file was as exported)."""


def export_session(store: Store, session_id: str) -> SessionExport:
    """The export of one session (raises SessionNotFoundError when there is none)."""
    return SessionExport.of(session_id, store.events(session_id))


def export_json(store: Store, session_id: str) -> str:
    """The export of one session as indented JSON text, ending in a newline."""
    return export_text(export_session(store, session_id))


def export_text(export: SessionExport) -> str:
    """An export as indented JSON text ending in a newline, each event in its stored form
    (an answer's false ``views_differ`` left out: see
    :func:`~asiakasarvo_engine.session.events.quiet_fields`)."""
    quiet = {index: fields for index, event in enumerate(export.events)
             if (fields := quiet_fields(event)) is not None}
    return export.model_dump_json(indent=2, exclude={"events": quiet} if quiet else None) + "\n"


def check_log(events: list[Event], where: Locator | None = None, base: str = "/events") -> list[Diagnostic]:
    """What breaks the shape of a log: started first and once, seqs 1..n (the times are
    checked by the event models; the meaning by :func:`check_meaning`).

    ``where`` locates pointers in the source document (line and column), when there is one.
    """

    def problem(pointer: str, found: object, expected: str) -> Diagnostic:
        return make("SCH-001", pointer=pointer, span=where.span(pointer) if where else None,
                    found=found, expected=expected)

    problems: list[Diagnostic] = []
    if not events:
        return [problem(base, "no events", "a log that starts with a 'started' event")]
    if not isinstance(events[0], Started):
        problems.append(problem(jp.join(base, 0, "type"), f"a first event of type {events[0].type!r}",
                                "'started'"))
    gap_reported = False
    for index, event in enumerate(events):
        here = jp.join(base, index)
        if index > 0 and isinstance(event, Started):
            problems.append(problem(jp.join(here, "type"), "a second 'started' event",
                                    "only the first event to be 'started'"))
        if event.seq != index + 1 and not gap_reported:
            gap_reported = True
            problems.append(problem(jp.join(here, "seq"), f"seq {event.seq}",
                                    f"seq {index + 1} (events are numbered 1..n without gaps)"))
    return problems


def check_meaning(program: ScoringProgram, events: list[Event], where: Locator | None = None,
                  session_id: str = "<import>") -> list[Diagnostic]:
    """What the interview would have refused in a well-shaped log, replayed through its own
    checks (see :meth:`Interview.check_log`), located in the source document when given."""
    from asiakasarvo_engine.session.interview import Interview

    problems = Interview.check_log(program, events, session_id=session_id)
    if where is None:
        return problems
    return [dataclasses.replace(d, span=where.span(d.pointer)) for d in problems]


def check_hash(export: SessionExport, where: Locator | None = None) -> Diagnostic | None:
    """SES-017 when the events do not hash to the export's content hash (or it has none)."""
    found = events_hash(export.events)
    if export.content_hash == found:
        return None
    pointer = "/content_hash" if export.content_hash is not None else ""
    return make("SES-017", pointer=pointer, span=where.span(pointer) if where else None,
                found=found, expected=export.content_hash or "none")


def _event_problems(raw: Any, here: str, where: Locator) -> list[Diagnostic]:
    """The problems of one event, judged by its own type (the schema's union cannot say which)."""
    try:
        EVENT_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        found: list[Diagnostic] = []
        for error in exc.errors():
            kind, loc = error["type"], list(error["loc"][1:])
            at = jp.join(here, *loc)
            if kind == "union_tag_not_found":
                found.append(make("SCH-003", pointer=here, span=where.span(here), expected="type"))
            elif kind == "union_tag_invalid":
                tag = str(raw.get("type")) if isinstance(raw, dict) else ""
                at = jp.join(here, "type")
                found.append(make("SCH-005", pointer=at, span=where.span(at), found=repr(tag)[:60],
                                  expected=", ".join(repr(t) for t in EVENT_TYPES),
                                  hint=did_you_mean(tag, EVENT_TYPES)))
            elif kind == "extra_forbidden":
                found.append(make("SCH-002", pointer=at, span=where.span(at, key=True), found=loc[-1]))
            elif kind == "missing":
                parent = jp.join(here, *loc[:-1])
                found.append(make("SCH-003", pointer=parent, span=where.span(parent), expected=loc[-1]))
            else:
                message = error["msg"]
                found.append(make("SCH-001", pointer=at, span=where.span(at), found=repr(error["input"])[:60],
                                  expected=message[:1].lower() + message[1:]))
        return found
    return []


def _by_event_type(data: Any, problems: list[Diagnostic], where: Locator) -> list[Diagnostic]:
    """Replace schema diagnostics inside an event with ones judged by the event's own type."""
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return problems

    def index(diag: Diagnostic) -> int | None:
        match = _EVENT_POINTER.match(diag.pointer)
        return int(match.group(1)) if match and int(match.group(1)) < len(events) else None

    # The schema's explanation of a value is kept when it names the same place.
    by_place = {d.pointer: d for d in problems}
    precise: dict[int, list[Diagnostic]] = {}
    for i in sorted({i for i in map(index, problems) if i is not None}):
        found = _event_problems(events[i], jp.join("/events", i), where)
        if found:
            precise[i] = [by_place.get(d.pointer, d) if d.code == "SCH-001" else d for d in found]
    return [d for d in problems if index(d) not in precise] + [d for i in precise for d in precise[i]]


def read_export(text: str, name: str = "<session>", *, program: ScoringProgram | None = None,
                accept_edited: bool = False) -> SessionExport:
    """Parse and check an exported session; raises LoadError with located diagnostics.

    With ``program`` the events' meaning is checked too (:func:`check_meaning`), and so is
    the content hash, unless ``accept_edited``.
    """
    from asiakasarvo_engine._validate import validate  # imports the schemas, which import this module

    doc, diagnostics = parse_text(text, name, fmt="json")
    if doc is None or has_errors(diagnostics):
        raise LoadError(diagnostics)
    export, problems = validate(SessionExport, doc.data, "session", doc,
                                formats=SESSION_FORMAT_VERSIONS, kind="session")
    if export is None:
        raise LoadError(_by_event_type(doc.data, problems, doc))
    problems = check_log(export.events, doc)
    if problems:
        raise LoadError(problems)
    if program is not None:
        problems = check_meaning(program, export.events, doc, export.id)
        edited = None if accept_edited else check_hash(export, doc)
        if edited is not None:
            problems.insert(0, edited)
        if problems:
            raise LoadError(problems)
    return export


def read_export_file(path: str | Path, *, name: str | None = None, program: ScoringProgram | None = None,
                     accept_edited: bool = False) -> SessionExport:
    """:func:`read_export` of a file, read only up to the size bound (SRC-003 beyond it,
    without reading the rest); SRC-001 when it cannot be read, SRC-002 when not UTF-8."""
    path = Path(path)
    shown = name or str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
            size = os.fstat(stream.fileno()).st_size
    except OSError as exc:
        raise LoadError([make("SRC-001", span=Span(shown), found=exc.strerror or str(exc))]) from None
    if len(raw) > MAX_FILE_BYTES:
        lines = raw.count(b"\n", 0, MAX_FILE_BYTES) + 1
        raise LoadError([make("SRC-003", span=Span(shown, lines), found=f"{max(size, len(raw))} bytes",
                              expected=f"{MAX_FILE_BYTES} bytes")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError([make("SRC-002", span=Span(shown), found=f"byte {exc.start}")]) from None
    del raw
    return read_export(text, shown, program=program, accept_edited=accept_edited)


def import_session(store: Store, data: str | SessionExport, *, new_id: str | None = None,
                   name: str = "<session>", program: ScoringProgram | None = None,
                   accept_edited: bool = False, author: str = "import", clock: Clock | None = None) -> str:
    """Recreate an exported session in ``store``; returns the id it was stored under
    (see :func:`import_export`)."""
    return import_export(store, data, new_id=new_id, name=name, program=program,
                         accept_edited=accept_edited, author=author, clock=clock).id


def import_export(store: Store, data: str | SessionExport | Path, *, new_id: str | None = None,
                  name: str = "<session>", program: ScoringProgram | None = None,
                  accept_edited: bool = False, author: str = "import", clock: Clock | None = None,
                  ) -> Imported:
    """Recreate an exported session in ``store`` after checking all of it.

    ``data`` is the export's JSON text (``name`` names it in diagnostics), a file, or a
    model. The events are checked as the interview would have checked them against
    ``program`` (default: the shipped bank and rules; a session pinned to others is
    SES-014), and against the content hash: an edited file is refused (SES-017) unless
    ``accept_edited``, and then an ``edit_accepted`` event signed by ``author`` (at the
    ``clock``'s time, never before the last event) is appended. The session keeps its id
    unless ``new_id`` is given; an id that the store already holds raises ConflictError and
    changes nothing. Invalid data raises LoadError; nothing is stored.
    """
    if program is None:
        from asiakasarvo_engine.scoring.program import load_program

        program = load_program()
    if isinstance(data, SessionExport):
        problems = check_log(data.events)
        if not problems:
            problems = check_meaning(program, data.events, session_id=data.id)
            edited = None if accept_edited else check_hash(data)
            problems = ([edited] if edited is not None else []) + problems
        if problems:
            raise LoadError(problems)
        export = data
    elif isinstance(data, Path):
        export = read_export_file(data, name=None if name == "<session>" else name, program=program,
                                  accept_edited=accept_edited)
    else:
        export = read_export(data, name, program=program, accept_edited=accept_edited)
    target = export.id
    if new_id is not None:
        try:
            target = _SESSION_ID.validate_python(new_id)
        except ValidationError:
            raise LoadError([make("SCH-006", span=Span("new session id"), found=repr(new_id)[:60],
                                  expected="1 to 200 characters without control characters")]) from None
    events = list(export.events)
    record: EditAccepted | None = None
    found = events_hash(events)
    if found != export.content_hash:  # accepted (a refusal was raised above)
        from asiakasarvo_engine.session.interview import checked_time, utc_now

        record = EditAccepted(seq=len(events) + 1, time=checked_time(clock or utc_now, events[-1].time),
                              author=author or "import", declared_hash=export.content_hash,
                              content_hash=found, source=None if name == "<session>" else name[:1000])
        events.append(record)
    create_log = getattr(store, "create_log", None)  # SQLite, PostgreSQL, memory: one commit
    if callable(create_log):
        create_log(target, events)
        return Imported(target, record)
    first = events[0]
    assert isinstance(first, Started)  # check_log made sure
    store.create(target, first)
    try:
        for event in events[1:]:
            store.append(target, event.seq - 1, event)
    except BaseException:
        with contextlib.suppress(SessionNotFoundError):
            store.delete(target)
        raise
    return Imported(target, record)
