"""GDPR erasure: after ``delete`` no byte of the session is left in the database files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from session_factory import answered, noted, started

from asiakasarvo_engine.errors import SessionNotFoundError
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
