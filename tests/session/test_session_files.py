"""Files that are not a usable session store are refused with StoreError and left byte for byte.

Also: the schema is migrated from version 1, and a file of a newer version is refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from session_factory import sample_log

from asiakasarvo_engine.errors import StoreError
from asiakasarvo_engine.session.events import event_to_json
from asiakasarvo_engine.session.sqlite_store import APPLICATION_ID, SCHEMA_VERSION, SQLiteStore


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def refuse(path: Path, *fragments: str) -> StoreError:
    """Opening ``path`` raises StoreError naming the path and ``fragments``; nothing changes."""
    before = snapshot(path.parent)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    assert caught.value.code == "SES-003"
    assert snapshot(path.parent) == before, "the refused file (or a companion) was changed"
    return caught.value


def filled_store(path: Path, answers: int = 200) -> None:
    with SQLiteStore(path) as store:
        log = sample_log(answers)
        store.create_log("a", log)


def raw(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


# Not SQLite at all


@pytest.mark.parametrize("content", [
    b"hello, this is a text file\n",
    b'{"schema_version": "1.0", "kind": "session"}',
    b"\x00" * 4096,
    b"SQLite format 2\x00" + b"\x00" * 100,
], ids=["text", "json", "zeros", "other-magic"])
def test_not_sqlite(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "sessions.sqlite3"
    path.write_bytes(content)
    refuse(path, "not a SQLite database")


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "sessions.sqlite3"
    folder.mkdir()
    with pytest.raises(StoreError, match="not a regular file"):
        SQLiteStore(folder)


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    path.touch()
    with SQLiteStore(path) as store:
        store.create_log("a", sample_log())
    with SQLiteStore(path) as store:
        assert len(store.events("a")) == len(sample_log())


def test_an_empty_sqlite_database_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    raw(path, "PRAGMA page_size = 4096", "VACUUM")
    assert path.stat().st_size > 0
    with SQLiteStore(path) as store:
        store.create_log("a", sample_log())


# Another application's database


def test_other_application_with_its_own_tables(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    raw(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO customers (name) VALUES ('Asiakas Oy')")
    refuse(path, "another application", "customers")


def test_other_application_id(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    raw(path, "PRAGMA application_id = 1234", "CREATE TABLE events (x)")
    refuse(path, "another application", "application_id 0x000004d2")


def test_other_application_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    raw(path, "PRAGMA journal_mode = WAL", "CREATE TABLE notes (t TEXT)", "INSERT INTO notes VALUES ('x')")
    refuse(path, "another application", "notes")


def test_other_application_open_right_now(tmp_path: Path) -> None:
    """The other program holds its WAL database open: its file and log keep every byte."""
    path = tmp_path / "sessions.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in ("PRAGMA journal_mode = WAL", "CREATE TABLE notes (t TEXT)",
                          "INSERT INTO notes VALUES ('not yet checkpointed')"):
            other.execute(statement)
        wal = path.with_name(path.name + "-wal")
        before = (path.read_bytes(), wal.read_bytes())
        assert before[1], "the other program's data should still be in its log"
        with pytest.raises(StoreError, match="another application"):
            SQLiteStore(path)
        assert (path.read_bytes(), wal.read_bytes()) == before
        assert other.execute("SELECT t FROM notes").fetchall() == [("not yet checkpointed",)]
    finally:
        other.close()


def test_a_foreign_table_in_our_file(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    filled_store(path, 3)
    raw(path, "CREATE TABLE extra (x)")
    refuse(path, "unexpected tables", "extra")


# Corrupt files


def corrupt_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096:8192] = b"\xa5" * 4096  # page 2: garbage
    path.write_bytes(bytes(data))


def truncate_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def bad_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[16:18] = b"\x00\x07"  # page size 7: impossible
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [corrupt_middle, truncate_half, bad_header],
                         ids=["garbage-page", "truncated", "bad-header"])
def test_corrupt_store(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    path = tmp_path / "sessions.sqlite3"
    filled_store(path)
    damage(path)
    refuse(path, "left untouched")


# Schema versions


def version_1_file(path: Path) -> list:
    """A store exactly as schema version 1 wrote it (independent of the current code)."""
    log = sample_log(4)
    raw(path, "PRAGMA journal_mode = WAL",
        "CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL CHECK (seq >= 1),"
        " body TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID",
        f"PRAGMA application_id = {APPLICATION_ID}", "PRAGMA user_version = 1")
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO events VALUES (?, ?, ?)",
                         [("v1", e.seq, event_to_json(e)) for e in log])
    conn.close()
    return log


def test_version_1_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    log = version_1_file(path)
    with SQLiteStore(path) as store:
        assert store.events("v1") == log
        [summary] = store.sessions()
        assert (summary.id, summary.events, summary.finished) == ("v1", len(log), True)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute("SELECT seq, type, time FROM events ORDER BY seq").fetchall()
        assert rows == [(e.seq, e.type, e.time) for e in log]
    finally:
        conn.close()
    with SQLiteStore(path) as store:  # a second open has nothing to migrate
        assert store.events("v1") == log


def test_unreadable_version_1_data_stops_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    version_1_file(path)
    raw(path, """INSERT INTO events VALUES ('bad', 1, '{"seq": 1}')""")  # JSON without type and time
    refuse(path, "cannot migrate", "'bad' event 1")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()


def test_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    filled_store(path, 3)
    raw(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    refuse(path, "newer", f"schema version {SCHEMA_VERSION + 1}", "Upgrade")


def test_missing_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    filled_store(path, 3)
    raw(path, "PRAGMA user_version = 0")
    refuse(path, "without a valid schema version")
