"""The embedded session store: one SQLite file in WAL mode, a durable commit per event.

Every append is its own short ``BEGIN IMMEDIATE`` transaction that checks the current last
sequence number before it inserts, so two writers (threads, store objects or processes)
never lose each other's events: the loser gets :class:`ConflictError` and retries after
reloading. ``PRIMARY KEY (session_id, seq)`` is the last line of defence. ``append_many``
writes events that belong together (leaving a section and finishing) in one commit.

Writers take turns: SQLite's own busy handler is off (``busy_timeout = 0``); a writer that
finds the lock taken retries with jittered short sleeps, says that it waits
(:mod:`~asiakasarvo_engine.session.writer_turns`), and a writer about to begin lets a
waiting one go first. A write that cannot get the lock within :data:`WRITE_WAIT_S` raises
:class:`~asiakasarvo_engine.errors.StoreBusyError` (SES-030) having written nothing.

``SQLiteStore(path, readonly=True)`` is for commands that only read: it opens the file
read-only, never creates a file or folder, never migrates, and refuses every write with
:class:`~asiakasarvo_engine.errors.ReadOnlyStoreError` (SES-032). Every open, for reading
or writing, checks the file the same way (:func:`_check_existing`): ours, not corrupt, and
every event body JSON whose ``seq`` and ``type`` match its row.

The file carries ``PRAGMA application_id`` (:data:`APPLICATION_ID`) and its schema version
in ``PRAGMA user_version``; older files are migrated step by step (:data:`MIGRATIONS`), and
a file of a newer version is refused. A file that is not SQLite, belongs to another
application, or is corrupt raises :class:`StoreError` and is never modified: it is first
inspected through a read-only connection.

``delete`` is an erasure (GDPR): the rows go, freed content is zeroed (``secure_delete``),
the write-ahead log is folded into the file and truncated (``wal_checkpoint(TRUNCATE)``),
and the file is vacuumed, so no byte of the session remains in the database file or its
``-wal``/``-shm`` companions. Another program in a read transaction that began before the
delete still sees the old pages, so the log cannot be folded while it reads: ``delete``
waits for it (up to ``wait`` seconds, telling ``on_wait`` why), and if it keeps reading
raises :class:`~asiakasarvo_engine.errors.ErasureIncompleteError` (SES-031): the rows are
gone for every new reader, the files still hold copies, and ``compact`` finishes the job.
"""

from __future__ import annotations

import json
import random
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

from pydantic import ValidationError

from asiakasarvo_engine.errors import (
    ConflictError,
    ErasureIncompleteError,
    ReadOnlyStoreError,
    SessionNotFoundError,
    StoreBusyError,
    StoreError,
)
from asiakasarvo_engine.session.clock import order_key
from asiakasarvo_engine.session.events import Event, Started, event_from_json, event_to_json
from asiakasarvo_engine.session.store import SessionSummary
from asiakasarvo_engine.session.writer_turns import WriterTurns

_T = TypeVar("_T")

APPLICATION_ID = 0x41415256
"""``PRAGMA application_id`` of a session store: the bytes ``AARV`` (AsiakasARVo)."""

WRITE_WAIT_S = 10.0
"""The longest a write waits for its turn at the write lock before SES-030 (nothing written)."""

ERASE_WAIT_S = 30.0
"""The longest ``delete`` and ``compact`` wait by default for other programs to stop reading."""

_RETRY_FIRST_S = 0.0005
_RETRY_MAX_S = 0.004
"""A waiting writer sleeps a random 50-100 % of this delay, which grows from the first to
the largest value: short enough to take the lock soon after it is free."""

_ERASE_STEP_S = 0.05
_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED (any extended code)
_READONLY_CODE = 8  # SQLITE_READONLY
_MAGIC = b"SQLite format 3\x00"
_LAST_SEQ = "SELECT max(seq) FROM events WHERE session_id = ?"
_INSERT = "INSERT INTO events (session_id, seq, type, time, body) VALUES (?, ?, ?, ?, ?)"
_BAD_BODY = {
    1: "SELECT session_id, seq, 'is not JSON' FROM events WHERE NOT json_valid(body) LIMIT 1",
    2: ("SELECT session_id, seq, CASE WHEN NOT json_valid(body) THEN 'is not JSON'"
        " WHEN json_extract(body, '$.seq') IS NOT seq THEN 'gives another seq'"
        " ELSE 'gives another type' END FROM events"
        " WHERE CASE WHEN json_valid(body) THEN json_extract(body, '$.seq') IS NOT seq"
        " OR json_extract(body, '$.type') IS NOT type ELSE 1 END LIMIT 1"),
}
"""Per schema version: the first event whose body is not JSON or disagrees with its row."""


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0)) & 0xFF


def _busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and _code(exc) in _BUSY_CODES


def _jitter() -> float:
    """A random factor in [0.5, 1): spreads the retries of waiting writers apart."""
    return 0.5 + random.random() / 2  # noqa: S311 - timing jitter, not a secret


def _nap(delay: float) -> float:
    """Sleep a random 50-100 % of ``delay``; the next, longer delay."""
    time.sleep(delay * _jitter())
    return min(delay * 1.5, _RETRY_MAX_S)


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
        bad = ro.execute(_BAD_BODY[min(found.version, 2)]).fetchone()
        if bad is not None:
            raise StoreError(f"{path}: the session store is damaged: session {bad[0]!r} event {bad[1]} "
                             f"{bad[2]} (its body must be the event as JSON); the file was left untouched")
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: corrupt or unreadable database ({exc}); "
                         "the file was left untouched") from None
    finally:
        ro.close()


class SQLiteStore:
    """Session logs in one SQLite file; thread-safe, and safe for many processes at once.

    ``readonly`` opens an existing file for reading only (the file must exist);
    ``write_wait`` bounds how long a write waits for its turn (seconds).
    """

    def __init__(self, path: str | Path, *, readonly: bool = False,
                 write_wait: float = WRITE_WAIT_S) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._write_wait = write_wait
        self._lock = threading.RLock()
        self._closed = True
        self._immutable_state: tuple[int, int, bool] | None = None
        _check_existing(self.path)
        if readonly:
            self._conn = self._connect_readonly()
            self._turns: WriterTurns | None = None
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create the folder ({exc.strerror or exc})") from None
            try:
                self._conn = sqlite3.connect(str(self.path), timeout=write_wait, isolation_level=None,
                                             check_same_thread=False)
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot open the session store ({exc})") from None
            self._turns = WriterTurns(self.path)
        self._cursor = self._conn.cursor()
        self._closed = False
        try:
            if readonly:
                self._check_readable()
            else:
                self._setup()
        except BaseException:
            self.close()
            raise

    def _connect_readonly(self, *, immutable: bool | None = None) -> sqlite3.Connection:
        """A read-only connection. Without a write-ahead log beside the file no writer is
        connected, and the file is read as immutable: a read-only connection would otherwise
        create ``-wal`` and ``-shm`` files that it cannot remove (and cannot create at all in
        a read-only folder). :meth:`_retry_read` watches the file and reads again with locks
        if a writer turns up meanwhile."""
        if not self.path.exists():
            raise StoreError(f"{self.path}: no session store here; reading commands create none")
        uri = self.path.resolve().as_uri()
        state = self._file_state()
        if immutable is None:
            immutable = not state[2]
        self._immutable_state = state if immutable else None
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro{'&immutable=1' if immutable else ''}", uri=True,
                                   isolation_level=None, check_same_thread=False, timeout=0)
            conn.execute("PRAGMA trusted_schema = OFF")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the session store for reading ({exc})") from None
        return conn

    def _file_state(self) -> tuple[int, int, bool]:
        """(modification time, size, whether a -wal or -shm file exists) of the store file."""
        try:
            info = self.path.stat()
        except OSError:
            return (0, 0, True)
        companions = any(self.path.with_name(self.path.name + suffix).exists() for suffix in ("-wal", "-shm"))
        return (info.st_mtime_ns, info.st_size, companions)

    def _read_with_locks(self) -> None:
        """Leave immutable reading: a writer has opened the store since."""
        self._conn.close()
        self._conn = self._connect_readonly(immutable=False)
        self._cursor = self._conn.cursor()

    def _check_readable(self) -> None:
        with self._guard("opening for reading"):
            found = self._retry_read(lambda: _inspect(self._conn))
            _judge(self.path, found)
            if found.version < SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: a session store of schema version {found.version}, which this version "
                    f"upgrades to {SCHEMA_VERSION} when it first writes to it; it was opened for reading "
                    "only, so it was left as it is. Run a command that writes (e.g. `asiakasarvo "
                    "sessions compact`) once to upgrade it")

    def _setup(self) -> None:
        conn = self._conn
        with self._guard("opening"):
            # SQLite's busy handler waits only while the file is set up (two programs may
            # create it at once); afterwards writers take turns in :meth:`_begin`.
            conn.execute(f"PRAGMA busy_timeout = {int(self._write_wait * 1000)}")
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
            conn.execute("PRAGMA busy_timeout = 0")

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

    # ---------------------------------------------------------------- taking turns

    def _begin(self, cur: sqlite3.Cursor) -> None:
        """``BEGIN IMMEDIATE`` in turn: let a waiting writer of another process go first,
        then take the lock, retrying with jitter up to the write wait (SES-030 after it)."""
        if self.readonly:
            raise ReadOnlyStoreError(str(self.path), "it was opened for reading only")
        turns = self._turns
        if turns is not None:
            turns.let_others_go()
        try:
            cur.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        deadline = time.monotonic() + self._write_wait
        delay = _RETRY_FIRST_S
        try:
            while True:
                if turns is not None:
                    turns.wait()
                delay = _nap(delay)
                try:
                    cur.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _busy(exc):
                        raise
                if time.monotonic() >= deadline:
                    raise StoreBusyError(str(self.path), self._write_wait)
        finally:
            if turns is not None:
                turns.done()

    def _retry_read(self, read: Callable[[], _T]) -> _T:
        """Run ``read``; while the file is busy (a log being reset), retry with jitter. A
        store read as immutable is read again with locks if the file changed meanwhile."""
        if self._immutable_state is not None:
            if self._file_state() == self._immutable_state:
                result = read()
                if self._file_state() == self._immutable_state:
                    return result
            self._read_with_locks()
        deadline = time.monotonic() + self._write_wait
        delay = _RETRY_FIRST_S
        while True:
            try:
                return read()
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
            delay = _nap(delay)

    # ---------------------------------------------------------------- writing

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
            self._begin(self._cursor)
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
                self._begin(cur)
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

    def append_many(self, session_id: str, expected: int, events: Sequence[Event]) -> None:
        """Append ``events`` (numbered ``expected + 1`` on) in one commit: all or none."""
        if not events:
            raise ValueError("append_many needs at least one event")
        rows = [(session_id, e.seq, e.type, e.time, event_to_json(e)) for e in events]
        numbered = [e.seq for e in events] == list(range(expected + 1, expected + 1 + len(events)))
        with self._guard(f"appending to session {session_id!r}") as conn:
            cur = self._cursor
            self._begin(cur)
            last = cur.execute(_LAST_SEQ, (session_id,)).fetchone()[0]
            if last != expected or not numbered:
                cur.execute("ROLLBACK")
                if last is None:
                    raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
                raise ConflictError(session_id, expected, last)
            try:
                conn.executemany(_INSERT, rows)
            except sqlite3.IntegrityError:
                cur.execute("ROLLBACK")
                raise ConflictError(session_id, expected, expected + 1) from None
            cur.execute("COMMIT")

    def _failed(self, exc: sqlite3.Error, what: str) -> NoReturn:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        if _code(exc) == _READONLY_CODE:
            raise ReadOnlyStoreError(str(self.path), f"{what}: a read-only file or folder ({exc})") from None
        if _busy(exc):
            raise StoreBusyError(str(self.path), self._write_wait) from None
        raise StoreError(f"{self.path}: {what} failed ({exc})") from None

    # ---------------------------------------------------------------- reading

    def events(self, session_id: str) -> list[Event]:
        """The whole log of a session, in order."""
        with self._guard(f"reading session {session_id!r}"):
            rows = self._retry_read(lambda: self._conn.execute(
                "SELECT seq, body FROM events WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall())
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

    def _listing_rows(self, conn: sqlite3.Connection) -> tuple[list[tuple[str, str]], dict[str, int],
                                                               list[tuple[str, str]]]:
        conn.execute("BEGIN")
        # Index look-ups only (events_by_type and the primary key), never a scan of the bodies.
        starts = conn.execute("SELECT session_id, body FROM events WHERE type = 'started' AND seq = 1"
                              ).fetchall()
        counts = {sid: conn.execute(_LAST_SEQ, (sid,)).fetchone()[0] for sid, _ in starts}
        status = conn.execute("SELECT session_id, type FROM events WHERE type IN ('finished', "
                              "'reopened') ORDER BY session_id, seq").fetchall()
        conn.execute("COMMIT")
        return starts, counts, status

    def sessions(self) -> list[SessionSummary]:
        """Every session, newest first."""
        with self._guard("listing sessions"):
            starts, counts, status = self._retry_read(lambda: self._listing_rows(self._conn))
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
        summaries.sort(key=lambda s: (order_key(s.started), s.id), reverse=True)  # by instant
        return summaries

    def delete(self, session_id: str, *, wait: float | None = None,
               on_wait: Callable[[float], None] | None = None) -> None:
        """Erase every trace of a session: rows, freed content, the write-ahead log (GDPR).

        While another program reads the store from before the delete, the log cannot be
        emptied: this waits up to ``wait`` seconds (default :data:`ERASE_WAIT_S`), calling
        ``on_wait(seconds)`` once when it starts waiting, and then raises
        :class:`ErasureIncompleteError` if that program is still reading (the rows are gone
        for every new reader; :meth:`compact` later finishes the erasure).
        """
        with self._guard(f"deleting session {session_id!r}") as conn:
            self._begin(self._cursor)
            removed = conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,)).rowcount
            if removed == 0:
                conn.execute("ROLLBACK")
                raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
            conn.execute("COMMIT")
            self._scrub(conn, session_id, ERASE_WAIT_S if wait is None else wait, on_wait)

    def compact(self, *, wait: float | None = None, on_wait: Callable[[float], None] | None = None) -> None:
        """Fold the write-ahead log into the file, empty it and rebuild the file; this
        finishes an erasure that other readers held up (``delete`` does it itself). Waits
        for readers as ``delete`` does and raises :class:`ErasureIncompleteError` the same way."""
        with self._guard("compacting the store") as conn:
            if self.readonly:
                raise ReadOnlyStoreError(str(self.path), "it was opened for reading only")
            self._scrub(conn, None, ERASE_WAIT_S if wait is None else wait, on_wait)

    def _scrub(self, conn: sqlite3.Connection, session_id: str | None, wait: float,
               on_wait: Callable[[float], None] | None) -> None:
        """Empty the log into the file (waiting for readers), then rebuild the file.

        Once a truncating checkpoint after the delete has succeeded, the file holds every
        page in its latest version (with the deleted content zeroed) and the log is empty:
        the erasure is complete. ``VACUUM`` then only compacts, and the final checkpoint may
        find a new reader without leaving anything of the session behind.
        """
        deadline = time.monotonic() + wait
        told = False
        while not self._truncate(conn):
            if time.monotonic() >= deadline:
                self._incomplete(session_id, wait)
            if not told and on_wait is not None:
                on_wait(wait)
                told = True
            time.sleep(_ERASE_STEP_S * _jitter())
        self._retry_read(lambda: conn.execute("VACUUM"))
        self._truncate(conn)

    def _truncate(self, conn: sqlite3.Connection) -> bool:
        """One ``wal_checkpoint(TRUNCATE)``: True when the whole log reached the file and the
        log was emptied; False while another connection reads an older snapshot or writes."""
        try:
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                return False
            raise
        return not busy

    def _incomplete(self, session_id: str | None, waited: float) -> NoReturn:
        files = tuple(str(p) for p in (self.path, self.path.with_name(self.path.name + "-wal"))
                      if p.exists())
        raise ErasureIncompleteError(str(self.path), files, session_id=session_id, seconds=waited)

    def close(self) -> None:
        """Close the connection (SQLite then folds the write-ahead log into the file)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()
            turns = getattr(self, "_turns", None)
            if turns is not None:
                turns.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
