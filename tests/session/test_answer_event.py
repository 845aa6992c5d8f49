"""The answer's event is built once its fields have passed their checks (issue 20): the
event built so equals the validated one, odd values still go through the model, and the
clock's usual readings are taken without parsing yet never let a bad time or a backwards
step through."""

from __future__ import annotations

import enum
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.session.events import Answered, checked_answered, event_from_json, event_to_json
from asiakasarvo_engine.session.interview import ClockError, Interview
from asiakasarvo_engine.session.store import MemoryStore

LIKERT = "owner_strategy.owners_aligned"
CHOICE = "owner_strategy.documented"


@cache
def program() -> ScoringProgram:
    return load_program()


FIELDS = st.fixed_dictionaries({
    "seq": st.integers(1, 10**6),
    "time": st.sampled_from(["2026-10-21T09:00:01.000000Z", "2026-10-21T12:30:00+03:00"]),
    "author": st.text(min_size=1, max_size=20),
    "item": st.sampled_from([LIKERT, CHOICE, "a.b"]),
    "value": st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                       st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20)),
    "status": st.sampled_from(list(AnswerStatus)),
    "note": st.one_of(st.none(), st.text(max_size=20)),
    "views_differ": st.booleans(),
})


@settings(max_examples=200, deadline=None)
@given(FIELDS)
def test_the_checked_event_is_the_validated_one(fields: dict[str, Any]) -> None:
    built, validated = checked_answered(**fields), Answered(**fields)
    assert built == validated
    assert repr(built) == repr(validated)
    assert event_to_json(built) == event_to_json(validated)
    assert event_from_json(event_to_json(built)) == validated
    assert built.model_fields_set == validated.model_fields_set


def test_the_checked_event_holds_every_field_of_the_model() -> None:
    """A field added to Answered must be added to checked_answered too."""
    built = checked_answered(seq=1, time="2026-10-21T09:00:01.000000Z", author="Anna", item=CHOICE,
                             value="written", status=AnswerStatus.ANSWERED, note=None, views_differ=False)
    assert list(built.__dict__) == list(Answered.model_fields)


class Point(enum.IntEnum):
    THREE = 3


class Text(str):
    __slots__ = ()


def _interview(clock: Any = None) -> Interview:
    interview = Interview.start(program(), MemoryStore(), advisor="Anna Neuvoja", clock=clock)
    interview.go_to("owner_strategy")
    return interview


@pytest.mark.parametrize(("item", "value"), [(LIKERT, 3), (LIKERT, Point.THREE), (CHOICE, "written"),
                                             (CHOICE, Text("written"))])
def test_an_answer_is_stored_in_plain_json_types(item: str, value: Any) -> None:
    interview = _interview()
    outcome = interview.answer(item, value, note=Text("huomio"))
    assert outcome.ok, outcome.problems
    event = interview.events[-1]
    assert isinstance(event, Answered)
    assert type(event.value) in (int, str) and type(event.note) is str
    assert event == event_from_json(event_to_json(event))
    assert interview.store.events(interview.session_id)[-1] == event


def test_a_value_beside_a_mark_is_still_validated() -> None:
    interview = _interview()
    outcome = interview.answer(CHOICE, object(), status="dont_know")
    assert [p.code for p in outcome.problems] == ["ANS-002"]
    assert outcome.problems[0].pointer == f"/answers/{CHOICE}"


class Readings:
    """The clock's readings, one by one."""

    def __init__(self, *readings: Any) -> None:
        self.readings = list(readings)

    def __call__(self) -> Any:
        return self.readings.pop(0) if len(self.readings) > 1 else self.readings[0]


def test_readings_within_one_second_are_checked_and_never_run_backwards() -> None:
    clock = Readings("2026-10-21T09:00:01.000000Z")
    interview = _interview(clock)
    clock.readings = ["2026-10-21T09:00:01.500000Z", "2026-10-21T09:00:01.700000Z",
                      "2026-10-21T09:00:01.200000Z"]
    for value in ("discussed", "written", "discussed"):
        assert interview.answer(CHOICE, value).ok
    times = [e.time for e in interview.events]
    assert times[-3:] == ["2026-10-21T09:00:01.500000Z", "2026-10-21T09:00:01.700000Z",
                          "2026-10-21T09:00:01.700000Z"]


@pytest.mark.parametrize("bad", ["2026-10-21T09:00:01.12345xZ", "2026-10-21T09:00:01.\uff11\uff12\uff13456Z",
                                 "2026-10-21T09:00:01.123456+", "2026-10-21T09:00:01 123456Z"])
def test_a_bad_reading_in_the_same_second_is_refused(bad: str) -> None:
    clock = Readings("2026-10-21T09:00:01.000000Z")
    interview = _interview(clock)
    clock.readings = ["2026-10-21T09:00:01.500000Z"]
    assert interview.answer(CHOICE, "written").ok
    before = interview.events
    clock.readings = [bad]
    with pytest.raises(ClockError):
        interview.answer(CHOICE, "discussed")
    assert interview.events == before


def test_what_the_quick_check_accepts_the_full_check_accepts() -> None:
    """The values an answer skips check_value for (a scale's points, the choices) are values
    check_value accepts; anything else still gets the full check and its ANS-* codes."""
    from asiakasarvo_engine.bank.answer_check import check_value
    from asiakasarvo_engine.session.live import LiveGraph

    prog = program()
    accepted = LiveGraph.of(prog).accepted
    bank = prog.bank.loaded.bank
    assert any(kind is int for kind, _ in accepted.values())
    assert any(kind is str for kind, _ in accepted.values())
    for name, (kind, values) in accepted.items():
        assert values
        for value in values:
            assert type(value) is kind
            assert not list(check_value(prog.bank.items[name].item, value, bank)), (name, value)
    interview = _interview()
    for value, code in ((True, "ANS-002"), (99, "ANS-003"), (3.0, "ANS-002")):
        outcome = interview.answer(LIKERT, value)
        assert [p.code for p in outcome.problems] == [code], (value, outcome.problems)
    outcome = interview.answer(CHOICE, "no such choice")
    assert [p.code for p in outcome.problems] == ["ANS-003"]
