"""Export and import of sessions as JSON under schemas/session.schema.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from asiakasarvo_engine.errors import ConflictError, LoadError, SessionNotFoundError
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.events import Event, event_to_json
from asiakasarvo_engine.session.export import (
    SessionExport,
    events_hash,
    export_json,
    export_session,
    import_session,
    read_export,
)
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore, Store

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "session.schema.json").read_text(encoding="utf-8"))


@cache
def program() -> ScoringProgram:
    return load_program()


class Clock:
    """Event times a minute apart."""

    def __init__(self) -> None:
        self.at = datetime(2026, 10, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> str:
        self.at += timedelta(minutes=1)
        return self.at.isoformat(timespec="microseconds").replace("+00:00", "Z")


def rich_log() -> list[Event]:
    """Every kind of content worth carrying, written by the interview itself: unicode,
    nested values, notes, an undo (events: started, answered x2, undone, note, answered)."""
    store = MemoryStore()
    interview = Interview.start(program(), store, company=Company(name="Ääkkönen & Poika Oy"),
                                advisor="Anna Neuvoja", clock=Clock(), session_id="s-1")
    assert interview.answer("owner_strategy.documented", "written", note="<script>x</script>").ok
    assert interview.answer("basic_info.social_media", ["facebook", "linkedin"]).ok
    interview.undo()
    interview.note("Muistiinpano\nrivinvaihdolla")
    assert interview.answer("basic_info.staff_headcount", 3.75).ok
    return store.events("s-1")


def finished_log() -> list[Event]:
    """A session answered, finished, reopened, answered and finished again."""
    store = MemoryStore()
    interview = Interview.start(program(), store, advisor="Anna Neuvoja", clock=Clock(), session_id="f")
    interview.go_to("owner_strategy")
    assert interview.answer("owner_strategy.documented", "discussed").ok
    assert interview.answer("owner_strategy.owners_aligned", 4).ok
    interview.override("owner_strategy", 2, "Omistajat eivät ole samaa mieltä.")
    interview.finish()
    interview.reopen()
    assert interview.answer("owner_strategy.owners_aligned", 3).ok
    interview.finish()
    return store.events("f")


RICH = rich_log()


@pytest.fixture(params=["memory", "sqlite"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "to.sqlite3")
    yield made
    made.close()


@pytest.fixture
def source(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "from.sqlite3")
    store.create_log("s-1", RICH)
    yield store
    store.close()


def test_round_trip_keeps_every_event_identical(source: SQLiteStore, target: Store) -> None:
    text = export_json(source, "s-1")
    assert import_session(target, text) == "s-1"
    assert target.events("s-1") == source.events("s-1")
    assert [event_to_json(e) for e in target.events("s-1")] == [event_to_json(e) for e in RICH]
    assert export_json(target, "s-1") == text  # and back again, byte for byte


def test_export_matches_the_published_schema(source: SQLiteStore) -> None:
    data = json.loads(export_json(source, "s-1"))
    Draft202012Validator.check_schema(SCHEMA)
    errors = list(Draft202012Validator(SCHEMA).iter_errors(data))
    assert not errors, errors[0].message
    assert (data["schema_version"], data["kind"], data["id"]) == ("1.0", "session", "s-1")
    assert [e["seq"] for e in data["events"]] == list(range(1, 7))


def test_export_of_an_unknown_session(source: SQLiteStore) -> None:
    with pytest.raises(SessionNotFoundError):
        export_session(source, "nope")


def test_an_existing_id_is_a_conflict_unless_renamed(source: SQLiteStore) -> None:
    text = export_json(source, "s-1")
    before = source.events("s-1")
    with pytest.raises(ConflictError):
        import_session(source, text)
    assert source.events("s-1") == before
    assert import_session(source, text, new_id="s-2") == "s-2"
    assert source.events("s-2") == before
    with pytest.raises(ConflictError):
        import_session(source, text, new_id="s-2")


def test_import_from_a_model(target: Store) -> None:
    log = finished_log()
    assert import_session(target, SessionExport.of("m", log)) == "m"
    assert target.events("m") == log


def test_a_bad_new_id(source: SQLiteStore) -> None:
    with pytest.raises(LoadError):
        import_session(source, export_json(source, "s-1"), new_id="rivi\nvaihto")


# Bad documents name the JSON pointer (and line) of the problem


def document(source: SQLiteStore) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(export_json(source, "s-1"))
    return data


def problems(data: Any, name: str = "bad.json", *, accept_edited: bool = True) -> list:
    """The diagnostics of importing ``data`` (an edited file is taken unless told otherwise,
    so that a test sees the problem it made)."""
    text = data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)
    store = MemoryStore()
    with pytest.raises(LoadError) as caught:
        import_session(store, text, name=name, accept_edited=accept_edited)
    assert store.sessions() == [], "nothing is stored from a bad document"
    return list(caught.value.diagnostics)


def test_first_event_must_be_started(source: SQLiteStore) -> None:
    data = document(source)
    data["events"] = data["events"][1:]
    for n, event in enumerate(data["events"], start=1):
        event["seq"] = n
    found = problems(data)
    assert [(d.code, d.pointer) for d in found] == [("SCH-001", "/events/0/type")]
    assert found[0].span is not None and found[0].span.line is not None


def test_seqs_without_gaps(source: SQLiteStore) -> None:
    data = document(source)
    del data["events"][1]
    found = problems(data)
    assert [d.pointer for d in found] == ["/events/1/seq"]  # the first gap only
    assert "seq 3; expected seq 2" in found[0].message()


def test_only_one_started(source: SQLiteStore) -> None:
    data = document(source)
    second = dict(data["events"][0], seq=7)
    data["events"].append(second)
    assert [d.pointer for d in problems(data)] == ["/events/6/type"]


def test_undo_of_a_later_or_unknown_event(source: SQLiteStore) -> None:
    data = document(source)
    assert data["events"][3]["type"] == "undone"
    data["events"][3]["target"] = 6
    assert [(d.code, d.pointer) for d in problems(data)] == [("SES-013", "/events/3/target")]
    data["events"][3]["target"] = 1  # 'started' cannot be undone
    assert [(d.code, d.pointer) for d in problems(data)] == [("SES-013", "/events/3/target")]


def test_a_time_that_is_not_iso_8601(source: SQLiteStore) -> None:
    data = document(source)
    data["events"][3]["time"] = "eilen iltapäivällä"
    assert [(d.code, d.pointer) for d in problems(data)] == [("SCH-006", "/events/3/time")]


def test_a_malformed_event_is_located(source: SQLiteStore) -> None:
    data = document(source)
    data["events"][1]["item"] = "Not An Item"
    found = problems(data)
    assert found and all(d.pointer.startswith("/events/1") for d in found)
    assert found[0].span is not None and found[0].span.file == "bad.json"


def test_an_unknown_event_type_is_located(source: SQLiteStore) -> None:
    data = document(source)
    data["events"][2]["type"] = "answerd"
    found = problems(data)
    assert [(d.code, d.pointer) for d in found] == [("SCH-005", "/events/2/type")]
    assert "did you mean 'answered'" in found[0].message()


@pytest.mark.parametrize(("change", "expected"), [
    (lambda e: e.update(extra=1), [("SCH-002", "/events/1/extra")]),
    (lambda e: e.pop("seq"), [("SCH-003", "/events/1")]),
    (lambda e: e.pop("type"), [("SCH-003", "/events/1")]),
    (lambda e: e.update(status="maybe"), [("SCH-005", "/events/1/status")]),
], ids=["unknown-key", "missing-seq", "missing-type", "bad-status"])
def test_event_problems_are_judged_by_the_event_type(source: SQLiteStore, change: Any,
                                                     expected: list[tuple[str, str]]) -> None:
    """Not by whichever branch of the schema's union happened to match best."""
    data = document(source)
    change(data["events"][1])
    assert [(d.code, d.pointer) for d in problems(data)] == expected


@pytest.mark.parametrize(("change", "code", "pointer"), [
    ({"kind": "answers"}, "FMT-002", "/kind"),
    ({"schema_version": "2.0"}, "FMT-001", "/schema_version"),
    ({"events": []}, "SCH-001", "/events"),
    ({"extra": 1}, "SCH-002", "/extra"),
])
def test_the_envelope(source: SQLiteStore, change: dict[str, Any], code: str, pointer: str) -> None:
    data = document(source)
    data.update(change)
    found = problems(data)
    assert (found[0].code, found[0].pointer) == (code, pointer)


def test_not_json() -> None:
    found = problems('{"schema_version": "1.0",\n  "kind": }', name="rikki.json")
    assert found[0].code == "SRC-007"
    assert (found[0].span.file, found[0].span.line) == ("rikki.json", 2)


def test_read_export_returns_the_model(source: SQLiteStore) -> None:
    export = read_export(export_json(source, "s-1"))
    assert export.id == "s-1"
    assert export.events == RICH
    assert export.content_hash == events_hash(RICH)


# The meaning: every event checked as the interview would have checked it


def finished_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SessionExport.of("f", finished_log()).model_dump_json())
    return data


@pytest.mark.parametrize(("value", "code", "pointer"), [
    (99, "ANS-003", "/events/3/value"),  # not a point of the scale
    ("banana", "ANS-002", "/events/3/value"),
    ({"a": 1}, "ANS-002", "/events/3/value"),
], ids=["likert-99", "banana", "dict"])
def test_an_answer_the_interview_would_refuse(value: Any, code: str, pointer: str) -> None:
    data = finished_document()
    assert data["events"][3]["item"] == "owner_strategy.owners_aligned"  # a likert item
    data["events"][3]["value"] = value
    found = problems(data)
    assert [(d.code, d.pointer) for d in found] == [(code, pointer)]
    assert found[0].span is not None and found[0].span.line is not None


def test_an_answer_to_an_unknown_item() -> None:
    data = finished_document()
    data["events"][3]["item"] = "owner_strategy.owners_alinged"
    found = problems(data)
    assert [(d.code, d.pointer) for d in found] == [("ANS-001", "/events/3/item")]
    assert "owner_strategy.owners_aligned" in found[0].message()


def test_an_answer_after_finished_without_reopened() -> None:
    data = finished_document()
    assert data["events"][7]["type"] == "reopened"
    data["events"][7] = dict(data["events"][8], seq=8)  # the answer, in place of the reopening
    data["events"][8] = dict(data["events"][8], seq=9, value=2)
    found = problems(data)
    assert [(d.code, d.pointer) for d in found][:2] == [("SES-011", "/events/7/type"),
                                                        ("SES-011", "/events/8/type")]
    assert "'reopened'" in found[0].message("en") and "'reopened'" in found[0].message("fi")


def test_a_reopening_of_a_session_not_finished() -> None:
    data = finished_document()
    data["events"][6] = dict(data["events"][7], seq=7)  # reopened twice, finished never
    found = problems(data)
    assert ("SES-010", "/events/7/type") in [(d.code, d.pointer) for d in found]


def test_a_second_undo_of_the_same_event(source: SQLiteStore) -> None:
    data = document(source)
    again = dict(data["events"][3], seq=7, time=data["events"][5]["time"])
    data["events"].append(again)
    found = problems(data)
    assert [(d.code, d.pointer) for d in found] == [("SES-013", "/events/6/target")]
    assert "already undone" in found[0].message("en") and "jo peruttu" in found[0].message("fi")


def test_times_that_run_backwards() -> None:
    data = finished_document()
    data["events"][4]["time"] = "2026-10-21T09:00:00.000000Z"  # before the answer above it
    found = problems(data)
    assert [(d.code, d.pointer) for d in found] == [("SES-016", "/events/4/time")]


def test_an_offset_time_is_compared_by_instant() -> None:
    data = finished_document()
    data["events"][4]["time"] = "2026-10-21T12:04:30+03:00"  # 09:04:30Z: after 09:04Z, not backwards
    assert import_session(MemoryStore(), json.dumps(data), accept_edited=True) == "f"
    data["events"][4]["time"] = "2026-10-21T11:04:30+03:00"  # 08:04:30Z: backwards
    assert [(d.code, d.pointer) for d in problems(data)] == [("SES-016", "/events/4/time")]


def test_unknown_sections_levels_and_note_targets() -> None:
    data = finished_document()
    data["events"][1]["section"] = "owner_strategi"
    data["events"][4]["level"] = 5
    data["events"][4]["section"] = "basic_info"  # not scored
    found = problems(data)
    assert [(d.code, d.pointer) for d in found] == [("SES-012", "/events/1/section"),
                                                    ("SES-012", "/events/4/section")]


def test_a_session_pinned_to_another_bank() -> None:
    data = finished_document()
    data["events"][0]["bank"]["hash"] = "sha256:" + "1" * 64
    assert [(d.code, d.pointer) for d in problems(data)] == [("SES-014", "/events/0/bank/hash")]


def test_every_problem_of_a_file_is_reported_and_nothing_stored() -> None:
    data = finished_document()
    data["events"][2]["value"] = "banana"
    data["events"][3]["value"] = 99
    data["events"][8]["time"] = "2026-10-21T09:00:00.000000Z"
    found = [(d.code, d.pointer) for d in problems(data, accept_edited=False)]
    assert sorted(found) == [("ANS-003", "/events/2/value"), ("ANS-003", "/events/3/value"),
                             ("SES-016", "/events/8/time"), ("SES-017", "/content_hash")]


# The content hash: an edited file is refused unless accepted, and then the log says so


def test_an_export_carries_the_hash_of_its_events(source: SQLiteStore) -> None:
    data = document(source)
    assert data["content_hash"] == events_hash(RICH)
    assert list(data) == ["schema_version", "kind", "id", "content_hash", "events"]


def test_an_edited_file_is_refused_and_says_so(source: SQLiteStore) -> None:
    data = document(source)
    data["events"][5]["value"] = 4  # a plausible edit: the interview would take it
    found = problems(data, accept_edited=False)
    assert [(d.code, d.pointer) for d in found] == [("SES-017", "/content_hash")]
    assert "--accept-edited" in found[0].message("en") and "muokattu" in found[0].message("fi")
    data.pop("content_hash")  # dropping the hash does not get past the check
    assert [d.code for d in problems(data, accept_edited=False)] == ["SES-017"]


def test_formatting_is_not_an_edit(source: SQLiteStore) -> None:
    data = document(source)
    text = json.dumps(data, indent=None, sort_keys=True, ensure_ascii=True)
    assert import_session(MemoryStore(), text) == "s-1"


def test_an_accepted_edit_is_recorded_as_an_event(source: SQLiteStore, target: Store) -> None:
    data = document(source)
    data["events"][5]["value"] = 4
    text = json.dumps(data)
    stored = import_session(target, text, accept_edited=True, author="Tutkija", name="muokattu.json",
                            clock=lambda: "2026-10-21T08:00:00Z")  # a clock behind the log
    log = target.events(stored)
    assert len(log) == len(RICH) + 1
    record = log[-1]
    assert record.type == "edit_accepted" and record.author == "Tutkija"
    assert (record.declared_hash, record.source) == (data["content_hash"], "muokattu.json")
    assert record.content_hash == events_hash(log[:-1]) != data["content_hash"]
    assert record.time == log[-2].time  # never before the last event
    again = export_json(target, stored)  # the new export vouches for the whole log, record included
    assert import_session(MemoryStore(), again) == stored


# Size: a huge file is refused at the bound without being read whole


def test_a_huge_file_is_refused_within_the_bound(tmp_path: Path) -> None:
    import tracemalloc

    from asiakasarvo_engine.session.export import read_export_file
    from asiakasarvo_engine.sources import MAX_FILE_BYTES

    huge = tmp_path / "huge.json"
    with huge.open("wb") as stream:
        stream.write(b'{"schema_version": "1.0", "kind": "session", "id": "x", "events": [')
        stream.truncate(100 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(LoadError) as caught:
            read_export_file(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.code for d in caught.value.diagnostics] == ["SRC-003"]
    assert str(100 * 1024 * 1024) in caught.value.diagnostics[0].message()
    assert peak < 3 * MAX_FILE_BYTES, f"peak {peak} bytes for a 100 MB file"
