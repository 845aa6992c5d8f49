"""GDPR erasure: after ``delete`` no byte of the session is left in the database files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from session_factory import answered, noted, started

from asiakasarvo_engine.errors import ErasureIncompleteError, SessionNotFoundError
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

SECRETS = {
    "session id": "salainen-sessio-4f9a",
    "company": "Yksityinen Pähkinä Oy",
    "business id": "7654321-9",
    "advisor": "Ville Vaitelias",
    "note": "ERITYISEN-LUOTTAMUKSELLINEN-MUISTIINPANO-Q42",
    "answer": "vastaus: omistaja aikoo myydä yrityksen XYZZY-7",
    "answer note": "kertoi-velkasaneerauksesta-KV99",
}
KEPT = {"company": "Julkinen Yritys Oy", "note": "tavallinen-muistiinpano-JM11"}


def needles(text: str) -> list[bytes]:
    """The text as stored: UTF-8, and as a JSON string body with non-ASCII escaped."""
    return [text.encode("utf-8"), json.dumps(text)[1:-1].encode("ascii")]


def files_of(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def found(path: Path, text: str) -> list[str]:
    """The files (database, -wal, -shm) that contain ``text``."""
    return [name for name, data in files_of(path).items() if any(n in data for n in needles(text))]


def write_secret_session(store: SQLiteStore, rounds: int = 30) -> None:
    sid = SECRETS["session id"]
    store.create(sid, started(SECRETS["company"], SECRETS["business id"], advisor=SECRETS["advisor"]))
    seq = 1
    for n in range(rounds):  # enough events for many pages and log frames
        store.append(sid, seq, answered(seq + 1, value=f"{SECRETS['answer']} #{n}", item=f"s1.q{n + 1}",
                                        note=SECRETS["answer note"], author=SECRETS["advisor"]))
        store.append(sid, seq + 1, noted(seq + 2, f"{SECRETS['note']} {'x' * 500} #{n}"))
        seq += 2


def write_kept_session(store: SQLiteStore) -> None:
    store.create("julkinen", started(KEPT["company"]))
    store.append("julkinen", 1, noted(2, KEPT["note"]))


@pytest.mark.parametrize("other_reader", [False, True], ids=["alone", "with-idle-second-store"])
def test_delete_leaves_no_trace(tmp_path: Path, other_reader: bool) -> None:
    path = tmp_path / "sessions.sqlite3"
    store = SQLiteStore(path)
    second = SQLiteStore(path) if other_reader else None
    write_kept_session(store)
    write_secret_session(store)
    store.append("julkinen", 2, noted(3, "after the secret session"))
    if second is not None:
        assert len(second.events(SECRETS["session id"])) > 1
    for label, text in SECRETS.items():  # the search does find what is there
        assert found(path, text), f"{label} should be on disk before the delete"

    store.delete(SECRETS["session id"])

    for label, text in SECRETS.items():
        assert not found(path, text), f"{label} {text!r} survived the delete in {found(path, text)}"
    for text in KEPT.values():
        assert found(path, text), "the other session must stay"
    with pytest.raises(SessionNotFoundError):
        store.events(SECRETS["session id"])
    assert [s.id for s in store.sessions()] == ["julkinen"]
    if second is not None:
        assert [s.id for s in second.sessions()] == ["julkinen"]
        second.close()
    store.close()
    for label, text in SECRETS.items():  # closing (the final checkpoint) brings nothing back
        assert not found(path, text), f"{label} reappeared after close"
    with SQLiteStore(path) as reopened:
        assert len(reopened.events("julkinen")) == 3


def test_compact_on_a_clean_store_is_harmless(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite3") as store:
        write_kept_session(store)
        store.compact()
        assert len(store.events("julkinen")) == 2


# Another program holds a read transaction (issue 13, item 3)

WORKER = Path(__file__).with_name("session_store_worker.py")
ROOT = Path(__file__).resolve().parents[2]


class Reader:
    """Another process with a read transaction open on the store, until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, str(WORKER), "reader", str(path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.startswith("reading"), self.proc.communicate()[1]

        self.released = False

    def release(self) -> None:
        if not self.released and self.proc.stdin is not None:
            self.released = True
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()

    def finish(self) -> None:
        self.release()
        out, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err
        assert out.strip().endswith("done")


def secret_store(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    write_kept_session(store)
    write_secret_session(store)
    return store


def test_delete_under_a_reader_says_it_is_not_complete_and_compact_finishes(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    store = secret_store(path)
    reader = Reader(path)
    told: list[float] = []
    try:
        with pytest.raises(ErasureIncompleteError) as caught:
            store.delete(SECRETS["session id"], wait=0.3, on_wait=told.append)
        error = caught.value
        assert error.code == "SES-031" and told == [0.3]  # it said why it waited, once
        message = str(error)
        assert "not complete" in message and "sessions compact" in message and str(path) in message
        assert "ei ole valmis" in error.message("fi")
        # it claims no more than it did: the rows are gone for every new reader...
        with SQLiteStore(path, readonly=True) as fresh:
            assert [s.id for s in fresh.sessions()] == ["julkinen"]
        # ...and the files it names do still hold copies
        holding = {name for text in SECRETS.values() for name in found(path, text)}
        assert holding and holding <= {Path(f).name for f in error.remaining}
    finally:
        reader.finish()
    store.compact()  # the reader let go: compacting finishes the erasure
    for label, text in SECRETS.items():
        assert not found(path, text), f"{label} {text!r} survived the compact in {found(path, text)}"
    for text in KEPT.values():
        assert found(path, text)
    store.close()
    for text in SECRETS.values():
        assert not found(path, text)


def test_delete_waits_for_a_reader_that_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    store = secret_store(path)
    reader = Reader(path)
    told: list[float] = []

    def waiting(seconds: float) -> None:
        told.append(seconds)
        reader.release()  # the other program ends its read while the delete waits

    try:
        store.delete(SECRETS["session id"], wait=60, on_wait=waiting)
    finally:
        reader.finish()
    assert told == [60]
    for label, text in SECRETS.items():
        assert not found(path, text), f"{label} {text!r} survived the delete in {found(path, text)}"
    assert [s.id for s in store.sessions()] == ["julkinen"]
    store.close()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    environment.pop("ASIAKASARVO_STORE", None)
    return subprocess.run([sys.executable, "-m", "asiakasarvo_engine", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False, env=environment)


def test_cli_delete_under_a_reader_exits_1_saying_what_remains(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    secret_store(path).close()
    reader = Reader(path)
    try:
        result = cli("--lang", "en", "sessions", "delete", SECRETS["session id"], "--yes", "--wait", "0.2",
                     "--store", str(path))
        assert result.returncode == 1
        assert "Deleted session" not in result.stdout
        assert "Another program is reading the store; waiting up to 0.2 s" in result.stderr
        assert "error SES-031" in result.stderr and "sessions compact --store" in result.stderr
        assert "Traceback" not in result.stderr
        finnish = cli("sessions", "compact", "--wait", "0.2", "--store", str(path))
        assert finnish.returncode == 1 and "poisto ei ole valmis" in finnish.stderr
    finally:
        reader.finish()
    done = cli("--lang", "en", "sessions", "compact", "--store", str(path))
    assert done.returncode == 0, done.stderr
    assert "Store compacted" in done.stdout
    for label, text in SECRETS.items():
        assert not found(path, text), f"{label} {text!r} survived in {found(path, text)}"
    assert found(path, KEPT["note"])
