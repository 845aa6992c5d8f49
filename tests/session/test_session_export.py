"""Export and import of sessions as JSON under schemas/session.schema.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from session_factory import answered, noted, sample_log, started

from asiakasarvo_engine.errors import ConflictError, LoadError, SessionNotFoundError
from asiakasarvo_engine.session.events import Undone, event_to_json, now
from asiakasarvo_engine.session.export import (
    SessionExport,
    export_json,
    export_session,
    import_session,
    read_export,
)
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore, Store

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "session.schema.json").read_text(encoding="utf-8"))


def rich_log() -> list:
    """Every kind of content worth carrying: unicode, nested values, notes, an undo."""
    log = [started("Ääkkönen & Poika Oy")]
    log.append(answered(2, value={"a": [1, 2.5, None, "ö"]}, item="s1.q1", note="<script>x</script>"))
    log.append(answered(3, value=["kyllä", "ei"], item="s1.q2"))
    log.append(noted(4, "Muistiinpano\nrivinvaihdolla", target=None))
    log.append(Undone(seq=5, time=now(), author="Anna Neuvoja", target=3))
    log.append(answered(6, value=3.75, item="s2.q1"))
    return log


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
    log = sample_log()
    export = SessionExport(schema_version="1.0", kind="session", id="m", events=log)
    assert import_session(target, export) == "m"
    assert target.events("m") == log


def test_a_bad_new_id(source: SQLiteStore) -> None:
    with pytest.raises(LoadError):
        import_session(source, export_json(source, "s-1"), new_id="rivi\nvaihto")


# Bad documents name the JSON pointer (and line) of the problem


def document(source: SQLiteStore) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(export_json(source, "s-1"))
    return data


def problems(data: Any, name: str = "bad.json") -> list:
    text = data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)
    store = MemoryStore()
    with pytest.raises(LoadError) as caught:
        import_session(store, text, name=name)
    assert store.sessions() == [], "nothing is stored from a bad document"
    return list(caught.value.diagnostics)


def test_first_event_must_be_started(source: SQLiteStore) -> None:
    data = document(source)
    data["events"] = data["events"][1:]
    for n, event in enumerate(data["events"], start=1):
        event["seq"] = n
    if data["events"][3]["type"] == "undone":
        data["events"][3]["target"] = 1
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
    data["events"][4]["target"] = 6
    assert [d.pointer for d in problems(data)] == ["/events/4/target"]
    data["events"][4]["target"] = 1  # 'started' cannot be undone
    assert [d.pointer for d in problems(data)] == ["/events/4/target"]


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
