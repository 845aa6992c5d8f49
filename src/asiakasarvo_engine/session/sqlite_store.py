"""The embedded session store: one SQLite file in WAL mode, a durable commit per event.

Every append is its own ``BEGIN IMMEDIATE`` transaction that checks the current last
sequence number before it inserts, so two writers (threads, store objects or processes)
never lose each other's events: the loser gets :class:`ConflictError` and retries after
reloading. ``PRIMARY KEY (session_id, seq)`` is the last line of defence.

The file carries ``PRAGMA application_id`` (:data:`APPLICATION_ID`) and its schema version
in ``PRAGMA user_version``; older files are migrated step by step (:data:`MIGRATIONS`), and
a file of a newer version is refused. A file that is not SQLite, belongs to another
application, or is corrupt raises :class:`StoreError` and is never modified: it is first
inspected through a read-only connection.

``delete`` is an erasure (GDPR): the rows go, freed pages are zeroed (``secure_delete``),
the write-ahead log is checkpointed and truncated, and the file is vacuumed, so no byte of
the session remains in the database file or its ``-wal``/``-shm`` companions.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from asiakasarvo_engine.errors import ConflictError, SessionNotFoundError, StoreError
from asiakasarvo_engine.session.events import Event, Started, event_from_json, event_to_json
from asiakasarvo_engine.session.store import SessionSummary

APPLICATION_ID = 0x41415256
"""``PRAGMA application_id`` of a session store: the bytes ``AARV`` (AsiakasARVo)."""

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another writer's transaction before giving up."""

_MAGIC = b"SQLite format 3\x00"
_LAST_SEQ = "SELECT max(seq) FROM events WHERE session_id = ?"
_INSERT = "INSERT INTO events (session_id, seq, type, time, body) VALUES (?, ?, ?, ?, ?)"
_CHECKPOINT_ATTEMPTS = 3


def _v1(conn: sqlite3.Connection) -> None:
    """Version 1: the event log, one JSON body per event."""
    conn.execute(
        "CREATE TABLE events ("
        " session_id TEXT NOT NULL,"
        " seq INTEGER NOT NULL CHECK (seq >= 1),"
        " body TEXT NOT NULL,"
        " PRIMARY KEY (session_id, seq)"
        ") WITHOUT ROWID")


def _v2(conn: sqlite3.Connection) -> None:
    """Version 2: the event type and time beside the body, so listing needs no parsing."""
    conn.execute("ALTER TABLE events ADD COLUMN type TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE events ADD COLUMN time TEXT NOT NULL DEFAULT ''")
    rows = conn.execute("SELECT session_id, seq, body FROM events").fetchall()
    for session_id, seq, body in rows:
        try:
            data = json.loads(body)
            kind, when = str(data["type"]), str(data["time"])
        except (ValueError, TypeError, KeyError) as exc:
            raise _MigrationError(f"session {session_id!r} event {seq} is not a readable event "
                                  f"({exc})") from None
        conn.execute("UPDATE events SET type = ?, time = ? WHERE session_id = ? AND seq = ?",
                     (kind, when, session_id, seq))
    conn.execute("CREATE INDEX events_by_type ON events (type, session_id, seq)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)
"""Step ``n`` takes a store from schema version ``n`` to ``n + 1``; a new file runs them all."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes (``PRAGMA user_version``)."""

_KNOWN_TABLES: dict[int, frozenset[str]] = {1: frozenset({"events"}), 2: frozenset({"events"})}
"""The tables, views and triggers a store of each schema version holds."""


class _MigrationError(Exception):
    """A migration step found data it cannot carry over."""


@dataclass(frozen=True, slots=True)
class _Found:
    """What a database file holds, as far as deciding whether it is ours."""

    application_id: int
    version: int
    tables: frozenset[str]

    @property
    def empty(self) -> bool:
        return self.application_id == 0 and self.version == 0 and not self.tables


def _inspect(conn: sqlite3.Connection) -> _Found:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view', 'trigger')"
                        " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
    return _Found(int(app_id), int(version), frozenset(str(r[0]) for r in rows))


def _listing(names: frozenset[str]) -> str:
    return ", ".join(sorted(names)) if names else "none"


def _judge(path: Path, found: _Found) -> None:
    """Raise :class:`StoreError` unless ``found`` is empty or a store this code can use."""
    untouched = "the file was left untouched"
    if found.empty:
        return
    if found.application_id != APPLICATION_ID:
        raise StoreError(
            f"{path}: a SQLite database of another application (application_id "
            f"{found.application_id:#010x}, tables: {_listing(found.tables)}), not an asiakasarvo "
            f"session store (application_id {APPLICATION_ID:#010x}); {untouched}")
    if found.version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: a session store of schema version {found.version}, written by a newer "
            f"asiakasarvo-engine; this version reads schema versions up to {SCHEMA_VERSION}. "
            f"Upgrade asiakasarvo-engine; {untouched}")
    known = _KNOWN_TABLES.get(found.version)
    if known is None:
        raise StoreError(f"{path}: a session store without a valid schema version (found "
                         f"{found.version}); {untouched}")
    if found.tables != known:
        raise StoreError(
            f"{path}: a session store of schema version {found.version} with unexpected tables "
            f"(found: {_listing(found.tables)}; expected: {_listing(known)}); {untouched}")


def _check_existing(path: Path) -> None:
    """Inspect an existing file read-only; raise StoreError unless it is empty or ours."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the session store ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path}: is not a regular file, so it cannot be a session store")
    if info.st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the session store ({exc.strerror or exc})") from None
    if head != _MAGIC:
        raise StoreError(f"{path}: not a SQLite database (it starts with {head!r}); "
                         "the file was left untouched")
    # Without a write-ahead log beside it, the file is read as immutable: SQLite then takes
    # no locks and creates no -wal/-shm files. With one, it is read with its log (read-only).
    live = any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm"))
    mode = "mode=ro" if live else "mode=ro&immutable=1"
    try:
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the database read-only ({exc}); "
                         "the file was left untouched") from None
    try:
        found = _inspect(ro)
        _judge(path, found)
        if found.empty:
            return
        problems = [str(r[0]) for r in ro.execute("PRAGMA quick_check(5)").fetchall()]
        if problems != ["ok"]:
            raise StoreError(f"{path}: the session store is corrupt ({'; '.join(problems)}); "
                             "the file was left untouched")
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: corrupt or unreadable database ({exc}); "
                         "the file was left untouched") from None
    finally:
        ro.close()


class SQLiteStore:
    """Session logs in one SQLite file; thread-safe, and safe for many processes at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        _check_existing(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the folder ({exc.strerror or exc})") from None
        try:
            self._conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000,
                                         isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the session store ({exc})") from None
        self._cursor = self._conn.cursor()
        self._closed = False
        try:
            self._setup()
        except BaseException:
            self._conn.close()
            self._closed = True
            raise

    def _setup(self) -> None:
        conn = self._conn
        with self._guard("opening"):
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = _inspect(conn)
                _judge(self.path, found)
                if found.empty:
                    # A new file turns to WAL before its first write: a crash while it is being
                    # set up then leaves an empty database or an uncommitted log, both of which
                    # the next open sets up again. Existing files change mode only after they
                    # were judged and migrated, so a refused file keeps every byte.
                    conn.execute("ROLLBACK")
                    self._wal(conn)
                    conn.execute("BEGIN IMMEDIATE")
                    found = _inspect(conn)
                    _judge(self.path, found)
                if found.version < SCHEMA_VERSION:
                    for step in MIGRATIONS[found.version:]:
                        step(conn)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except _MigrationError as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"{self.path}: cannot migrate the session store to schema version "
                                 f"{SCHEMA_VERSION}: {exc}; the file was left as it was") from None
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            self._wal(conn)

    def _wal(self, conn: sqlite3.Connection) -> None:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{self.path}: cannot switch the store to WAL mode (got {mode!r})")

    @contextmanager
    def _guard(self, what: str) -> Iterator[sqlite3.Connection]:
        """Hold the lock; turn SQLite failures into StoreError naming the file."""
        with self._lock:
            if self._closed:
                raise StoreError(f"{self.path}: the session store is closed")
            try:
                yield self._conn
            except sqlite3.Error as exc:
                self._failed(exc, what)

    def _last_seq(self, conn: sqlite3.Connection, session_id: str) -> int | None:
        row = conn.execute(_LAST_SEQ, (session_id,)).fetchone()
        return None if row[0] is None else int(row[0])

    def _insert(self, conn: sqlite3.Connection, session_id: str, events: Sequence[Event]) -> None:
        conn.executemany(_INSERT, [(session_id, e.seq, e.type, e.time, event_to_json(e)) for e in events])

    def create(self, session_id: str, started: Started) -> None:
        """Create a session whose log starts with ``started`` (seq 1)."""
        self.create_log(session_id, [started])

    def create_log(self, session_id: str, events: Sequence[Event]) -> None:
        """Create a session with a whole log in one transaction (import); all or nothing.

        The log must start with a ``started`` event and number its events 1..n.
        """
        if not events or not isinstance(events[0], Started):
            raise ValueError("a session log starts with a 'started' event")
        for index, event in enumerate(events, start=1):
            if event.seq != index:
                raise ValueError(f"event {index} of the log has seq {event.seq}")
        with self._guard(f"creating session {session_id!r}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            last = self._last_seq(conn, session_id)
            if last is not None:
                conn.execute("ROLLBACK")
                raise ConflictError(session_id, 0, last)
            try:
                self._insert(conn, session_id, events)
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK")
                raise ConflictError(session_id, 0, 1) from None
            conn.execute("COMMIT")

    def append(self, session_id: str, expected: int, event: Event) -> None:
        """Append ``event`` if the log has exactly ``expected`` events (durable on return)."""
        body = event_to_json(event)
        with self._lock:  # the hot path: no context-manager helper, one reused cursor
            if self._closed:
                raise StoreError(f"{self.path}: the session store is closed")
            cur = self._cursor
            try:
                cur.execute("BEGIN IMMEDIATE")
                last = cur.execute(_LAST_SEQ, (session_id,)).fetchone()[0]
                if last != expected or event.seq != expected + 1:
                    cur.execute("ROLLBACK")
                    if last is None:
                        raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
                    raise ConflictError(session_id, expected, last)
                try:
                    cur.execute(_INSERT, (session_id, event.seq, event.type, event.time, body))
                except sqlite3.IntegrityError:
                    cur.execute("ROLLBACK")
                    raise ConflictError(session_id, expected, expected + 1) from None
                cur.execute("COMMIT")
            except sqlite3.Error as exc:
                self._failed(exc, f"appending to session {session_id!r}")

    def _failed(self, exc: sqlite3.Error, what: str) -> NoReturn:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        raise StoreError(f"{self.path}: {what} failed ({exc})") from None

    def events(self, session_id: str) -> list[Event]:
        """The whole log of a session, in order."""
        with self._guard(f"reading session {session_id!r}") as conn:
            rows = conn.execute("SELECT seq, body FROM events WHERE session_id = ? ORDER BY seq",
                                (session_id,)).fetchall()
        if not rows:
            raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
        log: list[Event] = []
        for seq, body in rows:
            try:
                event = event_from_json(body)
            except ValidationError as exc:
                raise StoreError(f"{self.path}: session {session_id!r} event {seq} cannot be read "
                                 f"({exc.error_count()} problems, first: {exc.errors()[0]['msg']})") from None
            if event.seq != seq:
                raise StoreError(f"{self.path}: session {session_id!r} event {seq} says it is event "
                                 f"{event.seq}")
            log.append(event)
        return log

    def sessions(self) -> list[SessionSummary]:
        """Every session, newest first."""
        with self._guard("listing sessions") as conn:
            conn.execute("BEGIN")
            # Index look-ups only (events_by_type and the primary key), never a scan of the bodies.
            starts = conn.execute("SELECT session_id, body FROM events WHERE type = 'started' AND seq = 1"
                                  ).fetchall()
            counts = {sid: conn.execute(_LAST_SEQ, (sid,)).fetchone()[0] for sid, _ in starts}
            status = conn.execute("SELECT session_id, type FROM events WHERE type IN ('finished', "
                                  "'reopened') ORDER BY session_id, seq").fetchall()
            conn.execute("COMMIT")
        finished: dict[str, bool] = {}
        for session_id, kind in status:
            finished[session_id] = kind == "finished"
        summaries = []
        for session_id, body in starts:
            try:
                started = event_from_json(body)
            except ValidationError:
                raise StoreError(f"{self.path}: session {session_id!r} event 1 cannot be read") from None
            if not isinstance(started, Started):
                raise StoreError(f"{self.path}: session {session_id!r} does not begin with 'started'")
            summaries.append(SessionSummary(
                session_id, started.company.name, started.company.business_id, started.advisor,
                started.time, int(counts.get(session_id, 0)), finished.get(session_id, False)))
        summaries.sort(key=lambda s: (s.started, s.id), reverse=True)
        return summaries

    def delete(self, session_id: str) -> None:
        """Erase every trace of a session: rows, freed pages, the write-ahead log (GDPR)."""
        with self._guard(f"deleting session {session_id!r}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            removed = conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,)).rowcount
            if removed == 0:
                conn.execute("ROLLBACK")
                raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
            conn.execute("COMMIT")
            self._scrub(conn)

    def compact(self) -> None:
        """Rebuild the file and empty the write-ahead log (``delete`` does this itself)."""
        with self._guard("compacting the store") as conn:
            self._scrub(conn)

    def _scrub(self, conn: sqlite3.Connection) -> None:
        """Fold the log into the file and empty it, rebuild the file, and empty the log again."""
        self._checkpoint(conn)
        conn.execute("VACUUM")
        self._checkpoint(conn)

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        for _ in range(_CHECKPOINT_ATTEMPTS):
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(0.1)
        raise StoreError(f"{self.path}: the write-ahead log could not be emptied because another "
                         "program is reading the store (deleted rows are already gone and their pages "
                         "zeroed); close the other programs and compact the store")

    def close(self) -> None:
        """Close the connection (SQLite then folds the write-ahead log into the file)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
