"""One contract for every session store: memory, SQLite and PostgreSQL behave the same.

Each test runs against the three stores through a :class:`Backend`, which opens store
objects on one backing database (so two "programs" can share it) and, for the durable
stores, reaches under the store to count or damage rows as another program could.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from example_sessions import example_logs, program
from session_factory import answered, finished, noted, reopened, sample_log, started

from asiakasarvo_engine.errors import ConflictError, SessionNotFoundError, StoreError
from asiakasarvo_engine.session.events import Event, event_to_json
from asiakasarvo_engine.session.export import export_json, import_session
from asiakasarvo_engine.session.state import fold
from asiakasarvo_engine.session.store import MemoryStore, Store


class Backend:
    """A backing database and a way to open store objects on it."""

    name = "memory"
    durable = False

    def __init__(self) -> None:
        self._shared = MemoryStore()
        self.opened: list[Store] = []

    def open(self) -> Store:
        """A store object on the backing database (memory: the same object)."""
        return self._shared

    def store(self) -> Store:
        made = self.open()
        self.opened.append(made)
        return made

    def rows(self, session: str) -> list[tuple[int, str]]:
        """(seq, body) of a session's rows as stored, read around the store."""
        return [(e.seq, event_to_json(e)) for e in self._shared.events(session)]

    def damage(self, session: str, seq: int, body: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        for made in self.opened:
            made.close()


class SQLiteBackend(Backend):
    name = "sqlite"
    durable = True

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def open(self) -> Store:
        from asiakasarvo_engine.session.sqlite_store import SQLiteStore

        return SQLiteStore(self.path)

    def rows(self, session: str) -> list[tuple[int, str]]:
        with sqlite3.connect(self.path) as conn:
            return conn.execute("SELECT seq, body FROM events WHERE session_id = ? ORDER BY seq",
                                (session,)).fetchall()

    def damage(self, session: str, seq: int, body: str) -> None:
        conn = sqlite3.connect(self.path)
        with conn:
            conn.execute("UPDATE events SET body = ? WHERE session_id = ? AND seq = ?", (body, session, seq))
        conn.close()


class PostgresBackend(Backend):
    name = "postgres"
    durable = True

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def open(self) -> Store:
        from asiakasarvo_engine.session.postgres_store import PostgresStore

        return PostgresStore(self.url)

    def rows(self, session: str) -> list[tuple[int, str]]:
        import psycopg

        with psycopg.connect(self.url) as conn:
            return [(int(seq), str(body)) for seq, body in conn.execute(
                "SELECT seq, body FROM asiakasarvo_events WHERE session_id = %s ORDER BY seq",
                (session,)).fetchall()]

    def damage(self, session: str, seq: int, body: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("UPDATE asiakasarvo_events SET body = %s WHERE session_id = %s AND seq = %s",
                         (body, session, seq))


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    made: Backend
    if request.param == "memory":
        made = Backend()
    elif request.param == "sqlite":
        made = SQLiteBackend(tmp_path / "store" / "sessions.sqlite3")
    else:
        made = PostgresBackend(request.getfixturevalue("pg_url"))
    yield made
    made.close()


@pytest.fixture
def durable(backend: Backend) -> Backend:
    if not backend.durable:
        pytest.skip("the memory store has no rows to reopen or damage")
    return backend


@pytest.fixture
def store(backend: Backend) -> Store:
    return backend.store()


def fill(store: Store, session: str, events: list[Event]) -> None:
    store.create(session, events[0])  # type: ignore[arg-type]
    for event in events[1:]:
        store.append(session, event.seq - 1, event)


def as_json(events: list[Event]) -> list[str]:
    return [event_to_json(e) for e in events]


# ---------------------------------------------------------------- appending


def test_log_round_trips_byte_for_byte(store: Store, backend: Backend) -> None:
    log = sample_log(6)
    log.append(answered(len(log) + 1, value={"Kilpailija Oy": [1, 2.5, None, "ä \" \\ <script>"]},
                        item="s2.q1", note="rivi 1\nrivi 2 \u0001 😀"))
    fill(store, "s-1", log)
    assert as_json(store.events("s-1")) == as_json(log)
    assert backend.rows("s-1") == list(enumerate(as_json(log), start=1))


def test_create_twice_is_a_conflict(store: Store) -> None:
    store.create("s-1", started())
    with pytest.raises(ConflictError) as caught:
        store.create("s-1", started("Toinen Oy"))
    assert caught.value.code == "SES-002"
    assert [e.type for e in store.events("s-1")] == ["started"]
    assert store.events("s-1")[0].company.name == "Testi Oy"  # type: ignore[union-attr]


@pytest.mark.parametrize(("expected", "seq"), [(0, 1), (1, 2), (3, 4), (2, 4), (2, 2)])
def test_a_stale_or_future_writer_gets_a_conflict_and_writes_nothing(store: Store, expected: int,
                                                                     seq: int) -> None:
    log = sample_log(1)[:2]
    fill(store, "s-1", log)
    with pytest.raises(ConflictError) as caught:
        store.append("s-1", expected, answered(seq))
    assert caught.value.code == "SES-002"
    assert caught.value.actual == 2
    assert as_json(store.events("s-1")) == as_json(log)


def test_unknown_session_is_ses_001_everywhere(store: Store) -> None:
    for call in (lambda: store.events("nope"), lambda: store.append("nope", 1, answered(2)),
                 lambda: store.append_many("nope", 1, [answered(2)]), lambda: store.delete("nope")):
        with pytest.raises(SessionNotFoundError) as caught:
            call()
        assert caught.value.code == "SES-001"
    assert store.sessions() == []


def test_append_many_writes_all_in_one_go(store: Store) -> None:
    store.create("s-1", started())
    store.append_many("s-1", 1, [answered(2), noted(3, "x"), finished(4)])
    assert [e.seq for e in store.events("s-1")] == [1, 2, 3, 4]
    assert store.sessions()[0].finished


@pytest.mark.parametrize(("expected", "seqs"), [(2, [3, 4]), (0, [1, 2]), (1, [2, 4]), (1, [3, 4])])
def test_append_many_writes_none_on_a_conflict(store: Store, expected: int, seqs: list[int]) -> None:
    store.create("s-1", started())
    with pytest.raises(ConflictError):
        store.append_many("s-1", expected, [answered(n) for n in seqs])
    assert [e.seq for e in store.events("s-1")] == [1]
    with pytest.raises(ValueError, match="at least one"):
        store.append_many("s-1", 1, [])


def test_create_log_is_all_or_nothing(store: Store) -> None:
    create_log: Callable[[str, list[Event]], None] = store.create_log  # type: ignore[attr-defined]
    log = sample_log(3)
    create_log("s-1", log)
    assert as_json(store.events("s-1")) == as_json(log)
    with pytest.raises(ConflictError):
        create_log("s-1", sample_log(1))
    assert as_json(store.events("s-1")) == as_json(log)
    with pytest.raises(ValueError, match="seq"):
        create_log("s-2", [log[0], log[2]])
    with pytest.raises(ValueError, match="started"):
        create_log("s-2", log[1:])
    assert [s.id for s in store.sessions()] == ["s-1"]


# ---------------------------------------------------------------- two writers


def test_a_stale_writer_of_another_program_gets_a_conflict_and_loses_nothing(backend: Backend) -> None:
    first, second = backend.store(), backend.store()
    fill(first, "s-1", sample_log(2)[:3])
    seen = len(second.events("s-1"))
    first.append("s-1", 3, answered(4, item="s1.q9"))
    with pytest.raises(ConflictError) as caught:
        second.append("s-1", seen, answered(seen + 1, item="s1.q8"))
    assert (caught.value.expected, caught.value.actual) == (3, 4)
    log = second.events("s-1")
    assert [e.seq for e in log] == [1, 2, 3, 4]
    assert log[-1].item == "s1.q9"  # type: ignore[union-attr]


def test_threads_on_their_own_store_objects_append_every_event_exactly_once(backend: Backend) -> None:
    writers, each = 4, 25
    backend.store().create("s-1", started())
    conflicts = [0] * writers

    def write(index: int) -> None:
        mine = backend.store()
        for k in range(each):
            while True:
                seq = len(mine.events("s-1"))
                try:
                    mine.append("s-1", seq, noted(seq + 1, f"w{index}-{k}"))
                    break
                except ConflictError:
                    conflicts[index] += 1

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = backend.store().events("s-1")
    texts = [e.text for e in log[1:]]  # type: ignore[union-attr]
    assert [e.seq for e in log] == list(range(1, writers * each + 2))
    assert sorted(texts) == sorted(f"w{i}-{k}" for i in range(writers) for k in range(each))


# ---------------------------------------------------------------- listing, fold, export


def test_list_is_newest_first_with_counts_and_status(store: Store) -> None:
    fill(store, "old", [started("Vanha Oy", time="2026-03-01T09:00:00.000000+02:00"), answered(2)])
    fill(store, "new", [started("Uusi Oy", None, time="2026-03-02T08:00:00.000000Z"), finished(2)])
    fill(store, "again", [started("Auki Oy", time="2026-03-01T10:00:00.000000+02:00"), finished(2),
                          reopened(3)])
    listed = store.sessions()
    assert [(s.id, s.company, s.business_id, s.events, s.finished) for s in listed] == [
        ("new", "Uusi Oy", None, 2, True), ("again", "Auki Oy", "1234567-8", 3, False),
        ("old", "Vanha Oy", "1234567-8", 2, False)]


def test_fold_of_a_stored_log_equals_the_fold_of_the_log(store: Store) -> None:
    log = sample_log(4)
    fill(store, "s-1", log)
    assert fold(store.events("s-1")) == fold(log)


def test_export_and_import_are_the_same_in_every_store(backend: Backend) -> None:
    reference = MemoryStore()
    logs = example_logs()
    for sid, log in logs.items():
        reference.create_log(sid, list(log))
    store = backend.store()
    for sid in logs:
        text = export_json(reference, sid)
        assert import_session(store, text, program=program()) == sid
        assert export_json(store, sid) == text
        assert fold(store.events(sid)) == fold(list(logs[sid]))
        with pytest.raises(ConflictError):
            import_session(store, text, program=program())
        assert export_json(store, sid) == text
    assert sorted(s.id for s in store.sessions()) == sorted(logs)
    assert all(s.finished for s in store.sessions())


# ---------------------------------------------------------------- erasure, damage, reopening


def test_delete_leaves_no_row_of_that_session_and_keeps_the_others(backend: Backend) -> None:
    store = backend.store()
    fill(store, "gone", sample_log(3, company="Poistettava Oy"))
    fill(store, "kept", sample_log(2))
    store.delete("gone")
    assert [s.id for s in store.sessions()] == ["kept"]
    with pytest.raises(SessionNotFoundError):
        store.events("gone")
    if backend.durable:
        assert backend.rows("gone") == []
    assert len(store.events("kept")) == len(sample_log(2))
    fill(store, "gone", sample_log(1))  # the id may be used again
    assert len(store.events("gone")) == len(sample_log(1))


def test_a_damaged_row_is_ses_003_naming_session_and_event_and_changes_nothing(durable: Backend) -> None:
    store = durable.store()
    fill(store, "s-1", sample_log(3))
    fill(store, "s-2", sample_log(1))
    store.close()
    before = durable.rows("s-1")
    durable.damage("s-1", 3, '{"seq": 3, "type": "answered", "broken"')
    with pytest.raises(StoreError) as caught:
        durable.store().events("s-1")
    assert caught.value.code == "SES-003"
    assert "'s-1'" in str(caught.value)
    assert "event 3" in str(caught.value)
    assert [seq for seq, _ in durable.rows("s-1")] == [seq for seq, _ in before]
    assert durable.rows("s-2") != []


def test_a_row_that_says_it_is_another_event_is_ses_003(durable: Backend) -> None:
    store = durable.store()
    fill(store, "s-1", sample_log(2))
    store.close()
    durable.damage("s-1", 2, event_to_json(answered(5)))
    with pytest.raises(StoreError, match=r"'s-1' event 2") as caught:
        durable.store().events("s-1")
    assert caught.value.code == "SES-003"


def test_everything_survives_reopening(durable: Backend) -> None:
    log = sample_log(4)
    first = durable.store()
    fill(first, "s-1", log)
    first.close()
    again = durable.store()
    assert as_json(again.events("s-1")) == as_json(log)
    again.append("s-1", len(log), answered(len(log) + 1, item="s3.q1"))
    assert len(durable.store().events("s-1")) == len(log) + 1


def test_a_closed_store_says_so(durable: Backend) -> None:
    store = durable.store()
    store.create("s-1", started())
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.events("s-1")
