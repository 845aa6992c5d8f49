"""Events that belong together are one commit (issue 13, item 7): a crash between them can
never leave a finish without its section left, or a section left with none entered."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.events import Event
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore


class RecordingStore(MemoryStore):
    """A MemoryStore that records each write (one list of event types per commit) and can
    fail the next one, as a crash at that moment would."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[list[str]] = []
        self.fail = False

    def _write(self, events: Sequence[Event]) -> None:
        if self.fail:
            raise OSError("killed")
        self.writes.append([e.type for e in events])

    def append(self, session_id: str, expected: int, event: Event) -> None:
        self._write([event])
        super().append(session_id, expected, event)

    def append_many(self, session_id: str, expected: int, events: Sequence[Event]) -> None:
        self._write(events)
        super().append_many(session_id, expected, events)


@pytest.fixture(scope="module")
def program():  # type: ignore[no-untyped-def]
    return load_program()


def test_finish_is_one_commit(program) -> None:  # type: ignore[no-untyped-def]
    store = RecordingStore()
    interview = Interview.start(program, store, company="Yksi Oy", advisor="Anna")
    interview.next()
    store.writes.clear()
    interview.finish()
    assert store.writes == [["section_left", "finished"]]


def test_a_failed_finish_writes_nothing(program) -> None:  # type: ignore[no-untyped-def]
    store = RecordingStore()
    interview = Interview.start(program, store, company="Yksi Oy", advisor="Anna")
    interview.next()
    before = [e.type for e in store.events(interview.session_id)]
    store.fail = True
    with pytest.raises(OSError, match="killed"):
        interview.finish()
    assert [e.type for e in store.events(interview.session_id)] == before
    assert not interview.finished


def test_a_section_change_is_one_commit(program) -> None:  # type: ignore[no-untyped-def]
    store = RecordingStore()
    interview = Interview.start(program, store, company="Yksi Oy", advisor="Anna")
    interview.next()
    sections = list(program.bank.loaded.bank.bodies())
    store.writes.clear()
    interview.go_to(sections[1].id)
    assert store.writes == [["section_left", "section_entered"]]
