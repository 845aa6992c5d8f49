"""Export and import of a whole session as JSON (``schemas/session.schema.json``).

An export is the session's id and its complete event log, each event exactly as stored
(seq, time, author and content), so an import into another store recreates the same
log. Importing checks the document against the schema and the log's own rules: the
first event is ``started`` and the only one, events are numbered 1..n without gaps, times
are ISO 8601, and an ``undone`` takes back an earlier undoable event. Problems are reported as diagnostics
naming the JSON pointer (and line and column) of the bad event.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import Field, TypeAdapter, ValidationError

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine._model_base import Frozen
from asiakasarvo_engine.diagnostics import Diagnostic, Span, has_errors, make
from asiakasarvo_engine.errors import LoadError, SessionNotFoundError
from asiakasarvo_engine.session.events import EVENT_ADAPTER, UNDOABLE, Event, Started, Undone
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import Store
from asiakasarvo_engine.sources import parse_text
from asiakasarvo_engine.suggest import did_you_mean

if TYPE_CHECKING:
    from asiakasarvo_engine._validate import Locator

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
    events: list[Event] = Field(min_length=1, description="The log in order, starting with 'started'.")


def export_session(store: Store, session_id: str) -> SessionExport:
    """The export of one session (raises SessionNotFoundError when there is none)."""
    return SessionExport(schema_version="1.0", kind="session", id=session_id,
                         events=store.events(session_id))


def export_json(store: Store, session_id: str) -> str:
    """The export of one session as indented JSON text, ending in a newline."""
    return export_session(store, session_id).model_dump_json(indent=2) + "\n"


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_log(events: list[Event], where: Locator | None = None, base: str = "/events") -> list[Diagnostic]:
    """What breaks the rules of a log: started first and once, seqs 1..n, times, undo targets.

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
    kinds: dict[int, str] = {}
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
        if not _is_time(event.time):
            problems.append(problem(jp.join(here, "time"), repr(event.time)[:60],
                                    "an ISO 8601 time such as 2025-03-14T09:30:00.000000Z"))
        if isinstance(event, Undone):
            target = kinds.get(event.target)
            if event.target >= event.seq or target is None:
                problems.append(problem(jp.join(here, "target"), f"target {event.target}",
                                        f"the seq of an earlier event (below {event.seq})"))
            elif target not in UNDOABLE:
                problems.append(problem(jp.join(here, "target"),
                                        f"target {event.target}, a {target!r} event",
                                        "an event of type " + ", ".join(UNDOABLE)))
        kinds[event.seq] = event.type
    return problems


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


def read_export(text: str, name: str = "<session>") -> SessionExport:
    """Parse and check an exported session; raises LoadError with located diagnostics."""
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
    return export


def import_session(store: Store, data: str | SessionExport, *, new_id: str | None = None,
                   name: str = "<session>") -> str:
    """Recreate an exported session in ``store``; returns the id it was stored under.

    ``data`` is the export's JSON text (``name`` names it in diagnostics) or a model.
    The session keeps its id unless ``new_id`` is given; an id that the store already
    holds raises ConflictError and changes nothing. Invalid data raises LoadError.
    """
    if isinstance(data, SessionExport):
        problems = check_log(data.events)
        if problems:
            raise LoadError(problems)
        export = data
    else:
        export = read_export(data, name)
    target = export.id
    if new_id is not None:
        try:
            target = _SESSION_ID.validate_python(new_id)
        except ValidationError:
            raise LoadError([make("SCH-006", span=Span("new session id"), found=repr(new_id)[:60],
                                  expected="1 to 200 characters without control characters")]) from None
    events = export.events
    if isinstance(store, SQLiteStore):
        store.create_log(target, events)
        return target
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
    return target
