"""How commands reach the store's files (issue 13, item 7): commands that only read open the
store read-only and never create anything; every command checks a store the same way."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from session_factory import noted, sample_log, started

from asiakasarvo_engine.errors import ReadOnlyStoreError, SessionNotFoundError, StoreError
from asiakasarvo_engine.session.export import export_json
from asiakasarvo_engine.session.paths import open_store
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MissingStore

ROOT = Path(__file__).resolve().parents[2]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    environment.pop("ASIAKASARVO_STORE", None)
    return subprocess.run([sys.executable, "-m", "asiakasarvo_engine", "--lang", "en", *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
                          env=environment)


def filled(path: Path) -> Path:
    with SQLiteStore(path) as store:
        store.create_log("a", sample_log(3, company="Lukija Oy"))
    return path


# Reading creates nothing


def test_reading_a_missing_store_creates_no_folder_and_no_file(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "sessions.sqlite3"
    store = open_store(path, readonly=True)
    assert isinstance(store, MissingStore)
    assert store.sessions() == []
    with pytest.raises(SessionNotFoundError, match="does not exist"):
        store.events("a")
    with pytest.raises(ReadOnlyStoreError):
        store.create("a", started())
    assert not (tmp_path / "not").exists()


@pytest.mark.parametrize("command", [["sessions", "list"], ["sessions", "show", "abc"],
                                     ["sessions", "export", "abc"], ["sessions", "delete", "abc", "--yes"],
                                     ["score", "abc"], ["report", "abc", "-o", "-"]],
                         ids=["list", "show", "export", "delete", "score", "report"])
def test_commands_on_a_missing_store_create_nothing(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "no" / "such" / "sessions.sqlite3"
    result = cli(*command, "--store", str(path))
    assert "Traceback" not in result.stderr
    if command[-1] == "list":
        assert result.returncode == 0 and result.stdout == "No sessions.\n"
    else:
        assert result.returncode == 1 and "SES-001" in result.stderr, result.stderr
    assert not (tmp_path / "no").exists(), "a reading command created a folder or a store"


def test_a_read_only_open_leaves_every_byte_and_writes_nothing(tmp_path: Path) -> None:
    path = filled(tmp_path / "sessions.sqlite3")
    before = snapshot(tmp_path)
    with SQLiteStore(path, readonly=True) as store:
        assert [s.id for s in store.sessions()] == ["a"]
        assert len(store.events("a")) == 6
        assert json.loads(export_json(store, "a"))["id"] == "a"
        for write in (lambda: store.append("a", 6, noted(7, "ei")), lambda: store.create("b", started()),
                      lambda: store.append_many("a", 6, [noted(7, "ei")]), lambda: store.delete("a"),
                      store.compact):
            with pytest.raises(ReadOnlyStoreError) as caught:
                write()
            assert caught.value.code == "SES-032"
    assert snapshot(tmp_path) == before  # no -wal or -shm left behind either


def test_a_read_only_open_sees_a_live_writer(tmp_path: Path) -> None:
    path = filled(tmp_path / "sessions.sqlite3")
    with SQLiteStore(path, readonly=True) as reader:
        assert len(reader.events("a")) == 6
        with SQLiteStore(path) as writer:  # a writer turns up while the reader is open
            writer.create("b", started("Uusi Oy"))
            assert {s.id for s in reader.sessions()} == {"a", "b"}
        assert {s.id for s in reader.sessions()} == {"a", "b"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_store_in_a_read_only_folder_can_be_listed(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = filled(folder / "sessions.sqlite3")
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        result = cli("sessions", "list", "--format", "json", "--store", str(path))
        assert result.returncode == 0, result.stderr
        assert [s["id"] for s in json.loads(result.stdout)] == ["a"]
        result = cli("sessions", "delete", "a", "--yes", "--store", str(path))
        assert result.returncode == 1 and "SES-032" in result.stderr and "Traceback" not in result.stderr
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_a_store_of_an_older_schema_is_not_migrated_by_a_reader(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL CHECK (seq >= 1), "
                     "body TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID")
        conn.execute("PRAGMA application_id = 1094799958")
        conn.execute("PRAGMA user_version = 1")
    finally:
        conn.close()
    before = snapshot(tmp_path)
    with pytest.raises(StoreError, match="schema version 1"):
        SQLiteStore(path, readonly=True)
    assert snapshot(tmp_path) == before


# Every command checks a store the same way


def damage_a_body(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("UPDATE events SET body = 'tämä ei ole JSONia' WHERE session_id = 'a' AND seq = 3")
    finally:
        conn.close()


def test_a_body_that_is_not_json_is_refused_by_every_open(tmp_path: Path) -> None:
    path = filled(tmp_path / "sessions.sqlite3")
    damage_a_body(path)
    before = snapshot(tmp_path)
    for readonly in (False, True):
        with pytest.raises(StoreError) as caught:
            SQLiteStore(path, readonly=readonly)
        assert caught.value.code == "SES-003"
        assert "session 'a' event 3 is not JSON" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_a_body_that_disagrees_with_its_row_is_refused(tmp_path: Path) -> None:
    path = filled(tmp_path / "sessions.sqlite3")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("UPDATE events SET type = 'finished' WHERE session_id = 'a' AND seq = 2")
    finally:
        conn.close()
    with pytest.raises(StoreError, match="session 'a' event 2 gives another type"):
        SQLiteStore(path)


def test_list_and_import_refuse_a_damaged_store_alike(tmp_path: Path) -> None:
    path = filled(tmp_path / "sessions.sqlite3")
    with SQLiteStore(path) as store:
        exported = tmp_path / "a.json"
        exported.write_text(export_json(store, "a"), encoding="utf-8")
    damage_a_body(path)
    before = snapshot(tmp_path)
    listed = cli("sessions", "list", "--store", str(path))
    imported = cli("sessions", "import", str(exported), "--new-id", "b", "--store", str(path))
    for result in (listed, imported):
        assert result.returncode == 1, result.stdout
        assert "error SES-003" in result.stderr and "event 3 is not JSON" in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before  # the import stored nothing
