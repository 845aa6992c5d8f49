"""The events of a session: an append-only log, each event with its time and author.

``seq`` numbers the events of one session from 1 without gaps; an append names the
sequence number it expects to write, so two writers never overwrite each other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, TypeAdapter

from asiakasarvo_engine._model_base import Frozen, Identifier
from asiakasarvo_engine.bank.answers import AnswerStatus, AnswerValue
from asiakasarvo_engine.scoring.result import Company, Pin
from asiakasarvo_engine.session.clock import DEFAULT_ZONE, EXAMPLE, TIME_PATTERN, check_time, check_zone

ItemName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=130)]
EventTime = Annotated[str, Field(json_schema_extra={"pattern": TIME_PATTERN}, description=(
    f"ISO 8601 time of the event with its zone, e.g. {EXAMPLE}; compared by instant.")),
    AfterValidator(check_time)]
"""An event time: checked by :func:`~asiakasarvo_engine.session.clock.check_time` wherever an
event is built or read, so no log can hold a time the fold cannot read."""
ZoneName = Annotated[str, Field(min_length=1, max_length=64, description=(
    "The IANA time zone of the meeting (its date in reports is the start's date there).")),
    AfterValidator(check_zone)]



def check_figures(value: AnswerValue) -> AnswerValue:
    """``value`` unchanged, unless a number in it (at any depth) lies beyond the float range,
    which no answer check lets through and no score can use: a log holding one anyway (an
    old file) is then refused naming the event, as a bad time is."""
    stack: list[object] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, int) and not isinstance(node, bool):
            try:
                float(node)
            except OverflowError:
                raise ValueError("a number beyond the float range; "
                                 "expected a number within ±1.8e308") from None
    return value


AnswerFigures = Annotated[AnswerValue, AfterValidator(check_figures)]
"""An answer's value as an event holds it: any JSON value whose numbers a float can hold."""


def now() -> str:
    """The current UTC time in ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class _Event(Frozen):
    seq: int = Field(ge=1)
    time: EventTime
    author: str = Field(min_length=1, max_length=200)


class Started(_Event):
    """The session begins with the company, the advisor and the pinned bank and rules."""

    type: Literal["started"] = "started"
    company: Company
    advisor: str = Field(min_length=1, max_length=200)
    bank: Pin
    rules: Pin
    lang: Literal["fi", "en"] = "fi"
    zone: ZoneName = DEFAULT_ZONE
    variant: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description=(
        "The bank's agenda variant the meeting follows (None: every item, each section at its "
        "own minutes, as a session started before variants)."))


class Answered(_Event):
    """An item was answered (or marked don't know, not applicable, skipped)."""

    type: Literal["answered"] = "answered"
    item: ItemName
    value: AnswerFigures = None
    status: AnswerStatus = AnswerStatus.ANSWERED
    note: str | None = Field(default=None, max_length=20000)
    views_differ: bool = Field(default=False, description=(
        "On a rating (Likert) question: the owners or board members disagree on it (kept with "
        "the answer, shown in the advisor's appendix, never scored). Stored only when true, so "
        "a log written before the flag keeps its bytes and content hash."))


_ANSWERED_FIELDS = frozenset({"seq", "time", "author", "item", "value", "status", "note", "views_differ"})
_new = object.__new__
_set = object.__setattr__


def checked_answered(*, seq: int, time: str, author: str, item: str, value: AnswerValue,
                     status: AnswerStatus, note: str | None, views_differ: bool) -> Answered:
    """The ``Answered`` event of fields the caller has already checked as the model checks
    them (a valid time, an item name, a scalar value within the float range, plain ``str``
    texts), built without validating them again: equal to ``Answered(...)`` of the same
    fields, in a fraction of the time. Anything not checked so belongs in ``Answered(...)``."""
    event = _new(Answered)
    _set(event, "__dict__", {"seq": seq, "time": time, "author": author, "type": "answered", "item": item,
                             "value": value, "status": status, "note": note, "views_differ": views_differ})
    _set(event, "__pydantic_fields_set__", set(_ANSWERED_FIELDS))
    _set(event, "__pydantic_extra__", None)
    _set(event, "__pydantic_private__", None)
    return event


class Cleared(_Event):
    """An item's answer was removed."""

    type: Literal["cleared"] = "cleared"
    item: ItemName


class NoteAdded(_Event):
    """A note on an item, a section, or the whole session (target null)."""

    type: Literal["note_added"] = "note_added"
    target: str | None = Field(default=None, max_length=130)
    text: str = Field(min_length=1, max_length=20000)


class SectionEntered(_Event):
    """The discussion moved into a section."""

    type: Literal["section_entered"] = "section_entered"
    section: Identifier


class SectionLeft(_Event):
    """The discussion left a section; at a pause, ``item`` is the question it stopped at."""

    type: Literal["section_left"] = "section_left"
    section: Identifier
    item: ItemName | None = Field(default=None, description=(
        "The question under discussion when the sitting paused: the session resumes there."))


class Overridden(_Event):
    """The advisor set a section's level by judgement, with a justification."""

    type: Literal["overridden"] = "overridden"
    section: Identifier
    level: int | None = Field(ge=1, le=5, description="null removes an earlier override.")
    justification: str = Field(min_length=1, max_length=5000)


class AnalysisEdited(_Event):
    """The advisor set one field of the written analysis (summary, the client's
    recommendations, their texts, the development plan); a null value takes the field back
    to what the engine generates. Paths and values: :mod:`asiakasarvo_engine.session.written`."""

    type: Literal["analysis_edited"] = "analysis_edited"
    path: str = Field(min_length=1, max_length=300, description=(
        "The field, e.g. /summary/overall, /chosen, /recommendations/{id}/title, "
        "/plan/{version}/{id}/deadline or /plan/{version}/{id}/metrics/{metric}/target."))
    value: AnswerFigures = None


class Undone(_Event):
    """An earlier answer, clearing, note, override or analysis edit is taken back."""

    type: Literal["undone"] = "undone"
    target: int = Field(ge=1, description="The seq of the event taken back.")


class Finished(_Event):
    """The advisor closed the session."""

    type: Literal["finished"] = "finished"


class Reopened(_Event):
    """A finished session was opened again."""

    type: Literal["reopened"] = "reopened"


class EditAccepted(_Event):
    """An import took an export whose events did not match its content hash (the file was
    edited after export), because the importer said so (``--accept-edited``)."""

    type: Literal["edit_accepted"] = "edit_accepted"
    declared_hash: str | None = Field(default=None, max_length=80, description=(
        "The content hash the file gave (null: it gave none)."))
    content_hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description=(
        "The hash of the events as imported (before this one)."))
    source: str | None = Field(default=None, max_length=1000, description="The file imported.")


Event = Annotated[
    Started | Answered | Cleared | NoteAdded | SectionEntered | SectionLeft | Overridden | Undone
    | Finished | Reopened | EditAccepted | AnalysisEdited,
    Field(discriminator="type"),
]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
UNDOABLE = ("answered", "cleared", "note_added", "overridden", "analysis_edited")


def quiet_fields(event: Event) -> set[str] | None:
    """The fields left out of an event's stored form: an answer's ``views_differ`` when false
    (a log from before the flag serializes, and hashes, as it always did)."""
    return {"views_differ"} if isinstance(event, Answered) and not event.views_differ else None


_QUIET_ANSWER = {"views_differ"}
"""What :func:`quiet_fields` leaves out of an answer without the flag (never changed)."""


def event_to_json(event: Event) -> str:
    """Compact canonical JSON of one event."""
    if type(event) is Answered and not event.views_differ:  # the usual event, without a call
        return event.model_dump_json(exclude=_QUIET_ANSWER)
    return event.model_dump_json(exclude=quiet_fields(event))


def event_data(event: Event) -> dict[str, Any]:
    """One event as JSON data, in its stored form (see :func:`quiet_fields`)."""
    return event.model_dump(mode="json", exclude=quiet_fields(event))


def event_from_json(text: str) -> Event:
    """An event from its JSON (raises pydantic.ValidationError when malformed)."""
    return EVENT_ADAPTER.validate_json(text)
