"""The interview's clock: every reading is checked before an event is built; a bad one is
SES-015 with nothing written, and a log holding a bad time (an old file) opens with a
coded error naming the event, never a traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from asiakasarvo_engine.errors import EngineError
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.session.clock import check_time, instant, meeting_date, order_key, time_problem
from asiakasarvo_engine.session.events import Finished, event_from_json
from asiakasarvo_engine.session.interview import ClockError, Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore

ITEM = "owner_strategy.documented"
BAD_READINGS = ["2026-12-31T23:59:60Z", "2026-12-31T23:59:59", "2026-12-31T23:59:59.5",
                "2026-02-30T10:00:00Z",
                "2026-12-31 23:59:59Z", "2026-12-31T24:00:00Z", "", 1767225600, None, b"2026-12-31T10:00:00Z"]


@cache
def program() -> ScoringProgram:
    return load_program()


class Clock:
    """Good readings a second apart until told to give ``bad``."""

    def __init__(self) -> None:
        self.seconds = 0
        self.bad: Any = None
        self.broken = False

    def __call__(self) -> Any:
        if self.broken:
            return self.bad
        self.seconds += 1
        return f"2026-10-21T09:00:{self.seconds:02d}.000000Z"


def started(store: MemoryStore | SQLiteStore, clock: Clock) -> Interview:
    interview = Interview.start(program(), store, advisor="Anna Neuvoja", clock=clock)
    interview.go_to("owner_strategy")
    assert interview.answer(ITEM, "discussed").ok
    return interview


WRITES: dict[str, Callable[[Interview], object]] = {
    "answer": lambda i: i.answer(ITEM, "written"),
    "answer-dont-know": lambda i: i.answer(ITEM, status="dont_know"),
    "clear": lambda i: i.clear(ITEM),
    "note": lambda i: i.note("Muistiinpano"),
    "override": lambda i: i.override("owner_strategy", 2, "Perustelu"),
    "undo": lambda i: i.undo(),
    "go_to": lambda i: i.go_to("business_model"),
    "pause": lambda i: i.pause(),
    "finish": lambda i: i.finish(),
    "agenda": lambda i: i.agenda(),
}


@pytest.mark.parametrize("bad", BAD_READINGS, ids=repr)
@pytest.mark.parametrize("write", list(WRITES), ids=str)
def test_a_bad_reading_is_refused_with_nothing_written(write: str, bad: Any) -> None:
    store, clock = MemoryStore(), Clock()
    interview = started(store, clock)
    before = store.events(interview.session_id)
    clock.bad, clock.broken = bad, True
    with pytest.raises(ClockError) as caught:
        WRITES[write](interview)
    assert caught.value.code == "SES-015"
    assert store.events(interview.session_id) == before
    assert interview.events == tuple(before)
    clock.broken = False  # the session goes on, and opens again
    assert interview.answer(ITEM, "written").ok
    again = Interview.open(program(), store, interview.session_id)
    assert again.answers[ITEM].value == "written"


def test_a_bad_reading_when_reopening_writes_nothing() -> None:
    store, clock = MemoryStore(), Clock()
    interview = started(store, clock)
    interview.finish()
    clock.bad, clock.broken = "2026-12-31T23:59:60Z", True
    with pytest.raises(ClockError):
        interview.reopen()
    assert interview.finished and store.events(interview.session_id)[-1].type == "finished"


def test_a_clock_set_back_never_makes_the_log_run_backwards() -> None:
    store, clock = MemoryStore(), Clock()
    interview = started(store, clock)
    last = store.events(interview.session_id)[-1].time
    clock.broken, clock.bad = True, "2026-10-21T08:00:00Z"  # an hour back (NTP, a laptop's battery)
    assert interview.answer(ITEM, "written").ok
    assert store.events(interview.session_id)[-1].time == last
    clock.bad = "2026-10-21T12:30:00+03:00"  # 09:30Z, later: taken as given, offset and all
    interview.note("Myöhemmin")
    times = [e.time for e in store.events(interview.session_id)]
    assert times[-1] == "2026-10-21T12:30:00+03:00"
    assert [instant(t) for t in times] == sorted(instant(t) for t in times)


@pytest.mark.parametrize("bad", BAD_READINGS[:6])
def test_no_event_can_be_built_with_a_bad_time(bad: str) -> None:
    with pytest.raises(ValidationError):
        Finished(seq=2, time=bad, author="A")
    with pytest.raises(ValidationError):
        event_from_json(Finished(seq=2, time="2026-10-21T09:00:00Z", author="A").model_dump_json()
                        .replace("2026-10-21T09:00:00Z", bad))


@settings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.timezones()))
def test_every_aware_time_in_iso_form_is_an_event_time(moment: Any) -> None:
    text = moment.isoformat(timespec="microseconds")
    if moment.utcoffset().seconds % 60 or moment.year < 1000:  # offsets of seconds, short years: no
        return
    assert time_problem(text) is None, text
    assert check_time(text) == text
    parsed = instant(text)
    assert (parsed.replace(tzinfo=None), parsed.utcoffset()) == \
        (moment.replace(tzinfo=None), moment.utcoffset())
    assert order_key(text) == (1, parsed)


# A log that holds a bad time anyway (written by an older version) opens with a coded error


def old_store(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "old.sqlite3"
    store = SQLiteStore(path)
    interview = started(store, Clock())
    assert interview.answer("owner_strategy.owners_aligned", 4).ok
    session_id = interview.session_id
    store.close()
    good = "2026-10-21T09:00:04.000000Z"
    with sqlite3.connect(path) as conn:
        body = conn.execute("SELECT body FROM events WHERE session_id = ? AND seq = 4",
                            (session_id,)).fetchone()[0]
        assert good in body
        conn.execute("UPDATE events SET body = ?, time = ? WHERE session_id = ? AND seq = 4",
                     (body.replace(good, "2026-12-31T23:59:60Z"), "2026-12-31T23:59:60Z", session_id))
    conn.close()
    return path, session_id


def test_a_log_with_a_bad_time_opens_with_a_coded_error_naming_the_event(tmp_path: Path) -> None:
    path, session_id = old_store(tmp_path)
    with SQLiteStore(path) as store:
        with pytest.raises(EngineError) as caught:
            Interview.open(program(), store, session_id)
        assert caught.value.code.startswith("SES-")
        assert "event 4" in str(caught.value) and "23:59:60" in str(caught.value)
        assert [s.id for s in store.sessions()] == [session_id]  # the list still reads


def test_the_meeting_date_is_the_start_date_in_the_meeting_zone() -> None:
    assert meeting_date("2026-10-24T22:30:00Z") == "2026-10-25"  # 01.30 in Helsinki
    assert meeting_date("2026-10-24T22:30:00Z", "UTC") == "2026-10-24"
    assert meeting_date("2026-10-25T01:30:00+03:00", "America/New_York") == "2026-10-24"
