"""The state of a session is a fold of its events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.session.events import (
    AnalysisEdited,
    Answered,
    Cleared,
    Event,
    Finished,
    NoteAdded,
    Overridden,
    Reopened,
    SectionEntered,
    SectionLeft,
    Started,
    Undone,
)
from asiakasarvo_engine.session.written import Edit, WrittenAnalysis, fold_edits


@dataclass(frozen=True, slots=True)
class Note:
    """A note with its target (an item, a section, or None for the session)."""

    seq: int
    target: str | None
    text: str
    author: str
    time: str


@dataclass(frozen=True, slots=True)
class Override:
    """An advisor's level for a section, with the justification."""

    seq: int
    level: int
    justification: str
    author: str


@dataclass
class SessionState:
    """Everything the events say: answers, notes, overrides, position, time, status and the
    advisor's edits of the written analysis."""

    started: Started
    answers: dict[str, AnswerEntry] = field(default_factory=dict)
    answered_at: dict[str, int] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    overrides: dict[str, Override] = field(default_factory=dict)
    current_section: str | None = None
    seconds_in_section: dict[str, float] = field(default_factory=dict)
    finished: bool = False
    last_seq: int = 0
    undone: set[int] = field(default_factory=set)
    written: WrittenAnalysis = field(default_factory=WrittenAnalysis)


def _seconds(start: str, end: str) -> float:
    return max(0.0, (datetime.fromisoformat(end.replace("Z", "+00:00"))
                     - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds())


def fold(events: Iterable[Event]) -> SessionState:
    """Replay events in order; undone events have no effect (the log keeps them)."""
    log = list(events)
    if not log or not isinstance(log[0], Started):
        raise ValueError("a session log starts with a 'started' event")
    undone = {e.target for e in log if isinstance(e, Undone)}
    state = SessionState(started=log[0], undone=undone)
    entered_at: str | None = None
    edits: list[Edit] = []
    for event in log:
        state.last_seq = event.seq
        if event.seq in undone:
            continue
        if isinstance(event, Answered):
            state.answers[event.item] = AnswerEntry(value=event.value, status=event.status, note=event.note,
                                                    time=event.time, author=event.author,
                                                    views_differ=event.views_differ)
            state.answered_at[event.item] = event.seq
        elif isinstance(event, Cleared):
            state.answers.pop(event.item, None)
            state.answered_at.pop(event.item, None)
        elif isinstance(event, NoteAdded):
            state.notes.append(Note(event.seq, event.target, event.text, event.author, event.time))
        elif isinstance(event, Overridden):
            if event.level is None:
                state.overrides.pop(event.section, None)
            else:
                state.overrides[event.section] = Override(event.seq, event.level, event.justification,
                                                          event.author)
        elif isinstance(event, AnalysisEdited):
            edits.append(Edit(event.path, event.value, event.seq, event.author, event.time))
        elif isinstance(event, SectionEntered):
            if state.current_section is not None and entered_at is not None:
                _add_time(state, state.current_section, entered_at, event.time)
            state.current_section, entered_at = event.section, event.time
        elif isinstance(event, SectionLeft):
            if state.current_section == event.section and entered_at is not None:
                _add_time(state, event.section, entered_at, event.time)
            state.current_section, entered_at = None, None
        elif isinstance(event, Finished):
            state.finished = True
        elif isinstance(event, Reopened):
            state.finished = False
    state.written = fold_edits(edits)
    return state


def _add_time(state: SessionState, section: str, start: str, end: str) -> None:
    state.seconds_in_section[section] = state.seconds_in_section.get(section, 0.0) + _seconds(start, end)
