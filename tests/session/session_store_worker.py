"""A child process for the crash and multi-process tests (run as a script, not collected).

``crash PATH SESSION``: open the store, print ``ready``, wait for ``go`` on stdin, then
append answers forever, printing each seq after its append returned (the parent kills it).

``race PATH SESSION NAME COUNT``: open, print ``ready``, wait for ``go``, then append COUNT
notes ``NAME-k`` to an existing session, retrying on conflict; print ``done N`` (N conflicts).

``reader PATH``: another program's read transaction: open the file with plain sqlite3, begin,
read every body, print ``reading``, hold the transaction until a line on stdin, then end it,
close and print ``done``.

``waiter PATH``: say through :class:`WriterTurns` that this process waits for the write lock,
print ``waiting``, and stop waiting at a line on stdin (print ``done``).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from session_factory import answered, noted, started

from asiakasarvo_engine.errors import ConflictError, SessionNotFoundError
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.writer_turns import WriterTurns


def last_seq(store: SQLiteStore, session: str) -> int:
    return len(store.events(session))


def crash(path: str, session: str) -> None:
    store = SQLiteStore(path)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        seq = last_seq(store, session)
    except SessionNotFoundError:
        store.create(session, started("Kaatuva Oy"))
        seq = 1
        print(seq, flush=True)
    while True:
        try:
            store.append(session, seq, answered(seq + 1, item=f"s1.q{seq % 40 + 1}"))
        except ConflictError:
            seq = last_seq(store, session)
            continue
        seq += 1
        print(seq, flush=True)


def race(path: str, session: str, name: str, count: int) -> None:
    store = SQLiteStore(path)
    print("ready", flush=True)
    sys.stdin.readline()
    conflicts = 0
    for k in range(count):
        while True:
            seq = last_seq(store, session)
            try:
                store.append(session, seq, noted(seq + 1, f"{name}-{k}"))
                break
            except ConflictError:
                conflicts += 1
    store.close()
    print("done", conflicts, flush=True)


def reader(path: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    rows = conn.execute("SELECT body FROM events").fetchall()
    print("reading", len(rows), flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
    conn.close()
    print("done", flush=True)


def waiter(path: str) -> None:
    turns = WriterTurns(Path(path))
    assert turns.wait()
    print("waiting", flush=True)
    sys.stdin.readline()
    turns.done()
    print("done", flush=True)
    sys.stdin.readline()
    turns.close()


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "reader":
        reader(args[0])
    elif mode == "waiter":
        waiter(args[0])
    elif mode == "crash":
        crash(args[0], args[1])
    else:
        race(args[0], args[1], args[2], int(args[3]))
