"""The SQLite session store: the store protocol, durability settings, conflicts between writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from session_factory import answered, finished, noted, reopened, sample_log, started

from asiakasarvo_engine.errors import ConflictError, SessionNotFoundError, StoreBusyError, StoreError
from asiakasarvo_engine.session.events import event_to_json
from asiakasarvo_engine.session.sqlite_store import APPLICATION_ID, SCHEMA_VERSION, SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore, Store

WORKER = Path(__file__).with_name("session_store_worker.py")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "sessions.sqlite3"


@pytest.fixture
def sqlite_store(db: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(db)
    yield store
    store.close()


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Both stores, so the SQLite store is held to the reference behaviour."""
    made: Store = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "s.sqlite3")
    yield made
    made.close()


def fill(store: Store, session: str, events: list) -> None:
    store.create(session, events[0])
    for event in events[1:]:
        store.append(session, event.seq - 1, event)


# The protocol, against both stores


def test_log_comes_back_in_order(store: Store) -> None:
    log = sample_log()
    fill(store, "a", log)
    assert store.events("a") == log
    assert [event_to_json(e) for e in store.events("a")] == [event_to_json(e) for e in log]


def test_create_twice_is_a_conflict(store: Store) -> None:
    store.create("a", started())
    with pytest.raises(ConflictError):
        store.create("a", started("Toinen Oy"))
    assert store.events("a")[0].company.name == "Testi Oy"  # type: ignore[union-attr]


def test_stale_or_future_expected_is_a_conflict_and_writes_nothing(store: Store) -> None:
    fill(store, "a", sample_log(3))
    before = store.events("a")
    n = len(before)
    for expected, seq in ((n - 1, n), (n + 1, n + 2), (n, n + 2), (n, n)):
        with pytest.raises(ConflictError) as caught:
            store.append("a", expected, answered(seq))
        assert caught.value.code == "SES-002"
        assert caught.value.actual == n
    assert store.events("a") == before


def test_unknown_session(store: Store) -> None:
    for call in (lambda: store.events("nope"), lambda: store.append("nope", 1, answered(2)),
                 lambda: store.delete("nope")):
        with pytest.raises(SessionNotFoundError):
            call()


def test_list_newest_first_with_status(store: Store) -> None:
    store.create("old", started("Vanha Oy", time="2024-01-01T09:00:00.000000Z"))
    store.create("new", started("Uusi Oy", business_id=None, time="2024-06-01T09:00:00.000000Z"))
    store.append("old", 1, finished(2))
    store.append("new", 1, finished(2))
    store.append("new", 2, reopened(3))
    listed = store.sessions()
    assert [s.id for s in listed] == ["new", "old"]
    assert [(s.company, s.business_id, s.events, s.finished) for s in listed] == [
        ("Uusi Oy", None, 3, False), ("Vanha Oy", "1234567-8", 2, True)]
    assert listed[0].advisor == "Anna Neuvoja"
    assert listed[0].started == "2024-06-01T09:00:00.000000Z"


def test_delete_removes_only_that_session(store: Store) -> None:
    fill(store, "a", sample_log())
    fill(store, "b", sample_log(company="Toinen Oy"))
    store.delete("a")
    with pytest.raises(SessionNotFoundError):
        store.events("a")
    assert [s.id for s in store.sessions()] == ["b"]
    store.create("a", started())  # the id is free again
    assert len(store.events("a")) == 1


# SQLite specifics


def test_file_settings(sqlite_store: SQLiteStore, db: Path) -> None:
    assert db.parent.is_dir()  # the folder was created
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    own = sqlite_store._conn
    assert own.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: fsync on every commit
    assert own.execute("PRAGMA secure_delete").fetchone()[0] == 1
    # SQLite's own busy handler is off: the store takes turns itself (see test_writer_fairness)
    assert own.execute("PRAGMA busy_timeout").fetchone()[0] == 0


def test_primary_key_is_the_last_line_of_defence(sqlite_store: SQLiteStore, db: Path) -> None:
    sqlite_store.create("a", started())
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO events (session_id, seq, type, time, body) VALUES ('a', 1, '', '', '')")
    finally:
        conn.close()


def test_survives_reopening(db: Path) -> None:
    log = sample_log()
    with SQLiteStore(db) as first:
        fill(first, "a", log)
    with SQLiteStore(db) as second:
        assert second.events("a") == log
        second.append("a", len(log), reopened(len(log) + 1))
    with SQLiteStore(db) as third:
        assert len(third.events("a")) == len(log) + 1


def test_closed_store_says_so(db: Path) -> None:
    store = SQLiteStore(db)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.events("a")


def test_create_log_is_all_or_nothing(sqlite_store: SQLiteStore) -> None:
    log = sample_log()
    sqlite_store.create_log("a", log)
    assert sqlite_store.events("a") == log
    with pytest.raises(ConflictError):
        sqlite_store.create_log("a", log)
    with pytest.raises(ValueError, match="seq"):
        sqlite_store.create_log("b", [log[0], log[2]])
    with pytest.raises(SessionNotFoundError):
        sqlite_store.events("b")


# Two writers


def test_stale_writer_gets_a_conflict_and_loses_nothing(db: Path) -> None:
    a, b = SQLiteStore(db), SQLiteStore(db)
    try:
        a.create("s", started())
        a.append("s", 1, answered(2, item="s1.q1"))
        seen_by_a, seen_by_b = len(a.events("s")), len(b.events("s"))
        assert seen_by_a == seen_by_b == 2
        a.append("s", seen_by_a, noted(3, "A:n muistiinpano"))
        with pytest.raises(ConflictError) as caught:
            b.append("s", seen_by_b, answered(3, item="s1.q2", value="B:n vastaus"))
        assert (caught.value.expected, caught.value.actual) == (2, 3)
        assert "reload" in str(caught.value)
        log = b.events("s")  # reload
        assert [e.type for e in log] == ["started", "answered", "note_added"]
        b.append("s", len(log), answered(len(log) + 1, item="s1.q2", value="B:n vastaus"))
        final = a.events("s")
        assert [e.seq for e in final] == [1, 2, 3, 4]
        assert final[2].text == "A:n muistiinpano"  # type: ignore[union-attr]
        assert final[3].value == "B:n vastaus"  # type: ignore[union-attr]
    finally:
        a.close()
        b.close()


def append_with_retry(store: Store, session: str, make: Callable[[int], object],
                      conflicts: list[int]) -> None:
    while True:
        seq = len(store.events(session))
        try:
            store.append(session, seq, make(seq + 1))  # type: ignore[arg-type]
            return
        except ConflictError:
            conflicts.append(1)


def check_every_note_once(events: list, expected_texts: set[str]) -> None:
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    texts = [e.text for e in events[1:]]
    assert len(texts) == len(set(texts))
    assert set(texts) == expected_texts


@pytest.mark.parametrize("shared", [False, True], ids=["store-per-thread", "shared-store"])
def test_threads_append_every_event_exactly_once(db: Path, shared: bool) -> None:
    workers, per_worker = 4, 15
    main = SQLiteStore(db)
    main.create("s", started())
    stores = [main] * workers if shared else [SQLiteStore(db) for _ in range(workers)]
    conflicts: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work(w: int) -> None:
        try:
            barrier.wait()
            for k in range(per_worker):
                append_with_retry(stores[w], "s", lambda seq, k=k: noted(seq, f"w{w}-{k}"), conflicts)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    check_every_note_once(main.events("s"), {f"w{w}-{k}" for w in range(workers) for k in range(per_worker)})
    if not shared:
        assert conflicts, "separate writers should have raced at least once"
    for s in set(stores):
        s.close()


def test_two_processes_append_every_event_exactly_once(db: Path) -> None:
    count = 40
    with SQLiteStore(db) as store:
        store.create("s", started())
    procs = [subprocess.Popen([sys.executable, str(WORKER), "race", str(db), "s", name, str(count)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for name in ("p", "q")]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n", proc.communicate()[1]
    for proc in procs:  # both start together
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:  # each reports how often it lost a race (usually a few times; not asserted)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.startswith("done ")
    with SQLiteStore(db) as store:
        check_every_note_once(store.events("s"), {f"{n}-{k}" for n in ("p", "q") for k in range(count)})


# Several events in one commit (issue 13, item 7: finish is one commit)


def test_append_many_writes_all_in_one_go(store: Store) -> None:
    store.create("a", started())
    store.append_many("a", 1, [answered(2), noted(3, "kaksi yhdessä"), finished(4)])
    assert [e.seq for e in store.events("a")] == [1, 2, 3, 4]
    assert store.sessions()[0].finished


@pytest.mark.parametrize(("expected", "seqs"), [(0, [1, 2]), (2, [3, 4]), (1, [2, 4]), (1, [3, 4])],
                         ids=["stale", "future", "gap", "wrong-start"])
def test_append_many_writes_none_on_a_conflict(store: Store, expected: int, seqs: list[int]) -> None:
    store.create("a", started())
    with pytest.raises(ConflictError):
        store.append_many("a", expected, [noted(seq, "ei kumpaakaan") for seq in seqs])
    assert [e.seq for e in store.events("a")] == [1]


def test_append_many_needs_an_existing_session_and_an_event(store: Store) -> None:
    with pytest.raises(SessionNotFoundError):
        store.append_many("nobody", 1, [noted(2, "x")])
    store.create("a", started())
    with pytest.raises(ValueError, match="at least one event"):
        store.append_many("a", 1, [])


def test_append_many_checks_the_log_before_it_writes(sqlite_store: SQLiteStore, db: Path) -> None:
    """A row the store did not write (seq 3) makes the whole batch a conflict: nothing is written."""
    sqlite_store.create("a", started())
    conn = sqlite3.connect(db, isolation_level=None)
    try:  # a row the store does not know of: the second insert of the batch hits it
        conn.execute("INSERT INTO events (session_id, seq, type, time, body) VALUES ('a', 3, 'x', 'x', "
                     "'{\"seq\": 3, \"type\": \"x\"}')")
    finally:
        conn.close()
    with pytest.raises(ConflictError):
        sqlite_store.append_many("a", 1, [noted(2, "ensimmäinen"), noted(3, "toinen")])
    conn = sqlite3.connect(db)
    try:
        assert [r[0] for r in conn.execute("SELECT seq FROM events ORDER BY seq")] == [1, 3]
    finally:
        conn.close()


# Bounded waiting for the write lock (issue 13, item 5)


def test_a_write_that_cannot_get_its_turn_is_ses_030_and_writes_nothing(db: Path) -> None:
    with SQLiteStore(db) as setup:
        setup.create("a", started())
    store = SQLiteStore(db, write_wait=0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program keeps the write lock
        with pytest.raises(StoreBusyError) as caught:
            store.append("a", 1, noted(2, "odottaa"))
        assert caught.value.code == "SES-030"
        assert "nothing was written" in str(caught.value)
        assert "mitään ei kirjoitettu" in caught.value.message("fi")
        holder.execute("ROLLBACK")
        store.append("a", 1, noted(2, "nyt"))  # the same call simply works once the lock is free
        assert [e.seq for e in store.events("a")] == [1, 2]
    finally:
        holder.close()
        store.close()
