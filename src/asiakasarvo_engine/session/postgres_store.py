"""The shared session store: PostgreSQL through psycopg 3, for many advisors at once.

``PostgresStore("postgresql://user@host/db")`` keeps the same event logs as
:class:`~asiakasarvo_engine.session.sqlite_store.SQLiteStore`, with the same semantics:

* an append names the sequence number it expects; one ``INSERT ... WHERE`` statement
  writes only if the log has exactly that many events, and ``PRIMARY KEY (session_id,
  seq)`` stops two writers that checked at the same moment: the stale one gets
  :class:`~asiakasarvo_engine.errors.ConflictError` and nothing is written. Every append
  is its own transaction, durable when the call returns (``synchronous_commit`` as the
  server is configured; the default is durable);
* an event's body is stored as the exact JSON text the SQLite store keeps
  (:func:`~asiakasarvo_engine.session.events.event_to_json`), so exports from either store
  are byte-identical; a row whose body cannot be read is
  :class:`~asiakasarvo_engine.errors.StoreError` (SES-003) naming the session and the
  event, and nothing is changed;
* ``delete`` is an erasure (GDPR): the rows go, and the table is rewritten
  (``VACUUM FULL``) so no page of the table file still holds them. It takes the table's
  lock in short tries (so writers wait at most a moment at a time); when other programs
  keep it busy for ``wait`` seconds it raises
  :class:`~asiakasarvo_engine.errors.ErasureIncompleteError` (SES-031), and
  :meth:`PostgresStore.compact` finishes the rewrite later. The server's write-ahead log
  and any backups are the database administrator's retention, not the table's.

The schema is versioned: the table ``asiakasarvo_schema`` holds the version, and
:data:`MIGRATIONS` are applied in order under an advisory lock, so many programs opening
the store at once migrate it once. A database of a newer schema version is refused.

A server that cannot be reached (down, restarting, the connection dropped) is
:class:`~asiakasarvo_engine.session.store.StoreUnavailableError` (SES-040) naming the URL
without its password; the next call connects again. Every insert notifies the channel
:data:`CHANNEL` with ``"SEQ SESSION_ID"`` (``"0 SESSION_ID"`` for an erasure): ids only, never
content; :meth:`PostgresStore.changes` listens to it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import psycopg
import psycopg.sql
from psycopg import errors as pg_errors
from pydantic import ValidationError

from asiakasarvo_engine.errors import (
    ConflictError,
    ErasureIncompleteError,
    ReadOnlyStoreError,
    SessionNotFoundError,
    StoreError,
)
from asiakasarvo_engine.session.clock import order_key
from asiakasarvo_engine.session.events import Event, Started, event_from_json, event_to_json
from asiakasarvo_engine.session.store import SessionSummary, StoreUnavailableError, check_new_log, redact

APPLICATION_ID = 0x41415256
"""The advisory-lock key of schema migrations: the bytes ``AARV``, as SQLite's application id."""

CHANNEL = "asiakasarvo_events"
"""The LISTEN/NOTIFY channel: a payload ``"SEQ SESSION_ID"`` per event written."""

ERASE_WAIT_S = 30.0
"""The longest ``delete`` and ``compact`` try by default to take the table for the rewrite."""

CONNECT_TIMEOUT_S = 5
"""How long a connection attempt waits for the server unless the URL says otherwise."""

_LOCK_TRY_MS = 200
"""One try at the table's lock for the rewrite; writers queue behind it at most this long."""

EVENTS = "asiakasarvo_events"

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the event log, one row per event; the body is the event's JSON as text, so it
    # comes back byte for byte (jsonb would reorder its keys).
    """
    CREATE TABLE asiakasarvo_events (
        session_id text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 200),
        seq integer NOT NULL CHECK (seq >= 1),
        type text NOT NULL,
        time text NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (session_id, seq)
    );
    CREATE INDEX asiakasarvo_events_by_type ON asiakasarvo_events (type, session_id, seq);
    """,
    # 1 -> 2: live changes: every inserted event and every erasure notifies the ids.
    """
    CREATE FUNCTION asiakasarvo_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('asiakasarvo_events', NEW.seq::text || ' ' || NEW.session_id);
        RETURN NULL;
    END $$;
    CREATE FUNCTION asiakasarvo_events_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('asiakasarvo_events', '0 ' || OLD.session_id);
        RETURN NULL;
    END $$;
    CREATE TRIGGER asiakasarvo_events_notify_insert AFTER INSERT ON asiakasarvo_events
        FOR EACH ROW EXECUTE FUNCTION asiakasarvo_events_inserted();
    CREATE TRIGGER asiakasarvo_events_notify_delete AFTER DELETE ON asiakasarvo_events
        FOR EACH ROW EXECUTE FUNCTION asiakasarvo_events_deleted();
    """,
    # 2 -> 3: owners and organisations, enforced by the database (row-level security) for
    # every role but the tables' owner: a session belongs to the advisor of its started event
    # (a database role of that name) and that member's organisation; advisors read and write
    # their own and shared sessions, a coordinator reads all; only the owner shares.
    """
    CREATE TABLE asiakasarvo_members (
        name text PRIMARY KEY,
        role text NOT NULL CHECK (role IN ('advisor', 'coordinator')),
        organisation text NOT NULL CHECK (organisation <> '')
    );
    CREATE TABLE asiakasarvo_shares (
        session_id text NOT NULL,
        advisor text NOT NULL REFERENCES asiakasarvo_members (name) ON DELETE CASCADE,
        PRIMARY KEY (session_id, advisor)
    );
    CREATE FUNCTION asiakasarvo_owner(sid text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path FROM CURRENT AS $$
        SELECT body::json ->> 'advisor' FROM asiakasarvo_events WHERE session_id = sid AND seq = 1 $$;
    CREATE FUNCTION asiakasarvo_may(sid text, actor text, writing boolean) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT asiakasarvo_owner(sid) = actor
            OR EXISTS (SELECT 1 FROM asiakasarvo_shares s WHERE s.session_id = sid AND s.advisor = actor)
            OR (NOT writing AND EXISTS (SELECT 1 FROM asiakasarvo_members m
                                        WHERE m.name = actor AND m.role = 'coordinator')) $$;
    ALTER TABLE asiakasarvo_events ENABLE ROW LEVEL SECURITY;
    CREATE POLICY asiakasarvo_read ON asiakasarvo_events FOR SELECT
        USING (asiakasarvo_may(session_id, current_user, false));
    CREATE POLICY asiakasarvo_write ON asiakasarvo_events FOR INSERT WITH CHECK (CASE WHEN seq = 1
        THEN body::json ->> 'advisor' = current_user
            AND EXISTS (SELECT 1 FROM asiakasarvo_members m WHERE m.name = current_user)
        ELSE asiakasarvo_may(session_id, current_user, true) END);
    CREATE POLICY asiakasarvo_erase ON asiakasarvo_events FOR DELETE
        USING (asiakasarvo_may(session_id, current_user, true));
    ALTER TABLE asiakasarvo_shares ENABLE ROW LEVEL SECURITY;
    CREATE POLICY asiakasarvo_shares_read ON asiakasarvo_shares FOR SELECT USING (true);
    CREATE POLICY asiakasarvo_shares_add ON asiakasarvo_shares FOR INSERT
        WITH CHECK (asiakasarvo_owner(session_id) = current_user);
    CREATE POLICY asiakasarvo_shares_remove ON asiakasarvo_shares FOR DELETE
        USING (asiakasarvo_owner(session_id) = current_user);
    """,
    # 3 -> 4: an append checks the access once, not once per row of the log: the last
    # sequence number of a session the caller may read (any, for the tables' owner).
    """
    CREATE FUNCTION asiakasarvo_last_seq(sid text, actor text) RETURNS integer LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT max(e.seq) FROM asiakasarvo_events e WHERE e.session_id = sid
            AND (asiakasarvo_may(sid, actor, false) OR EXISTS (
                SELECT 1 FROM pg_roles r, pg_class c WHERE r.rolname = actor
                AND c.oid = 'asiakasarvo_events'::regclass
                AND (r.rolsuper OR r.rolbypassrls OR pg_has_role(actor, c.relowner, 'USAGE')))) $$;
    """,
    # 4 -> 5: erasures are remembered by id alone (no content), so a laptop's sync removes
    # its copy instead of bringing the session back; creating the id again forgets it.
    """
    CREATE TABLE asiakasarvo_erasures (
        session_id text PRIMARY KEY,
        erased timestamptz NOT NULL DEFAULT now()
    );
    GRANT SELECT ON asiakasarvo_erasures TO PUBLIC;
    CREATE FUNCTION asiakasarvo_erased() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path FROM CURRENT AS $$
    BEGIN
        INSERT INTO asiakasarvo_erasures (session_id) VALUES (OLD.session_id)
            ON CONFLICT (session_id) DO UPDATE SET erased = now();
        RETURN NULL;
    END $$;
    CREATE FUNCTION asiakasarvo_recreated() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path FROM CURRENT AS $$
    BEGIN
        DELETE FROM asiakasarvo_erasures WHERE session_id = NEW.session_id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER asiakasarvo_events_erased AFTER DELETE ON asiakasarvo_events
        FOR EACH ROW WHEN (OLD.seq = 1) EXECUTE FUNCTION asiakasarvo_erased();
    CREATE TRIGGER asiakasarvo_events_recreated AFTER INSERT ON asiakasarvo_events
        FOR EACH ROW WHEN (NEW.seq = 1) EXECUTE FUNCTION asiakasarvo_recreated();
    """,
)
"""Step ``n`` takes the database from schema version ``n`` to ``n + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this code writes."""

_APPEND = ("INSERT INTO asiakasarvo_events (session_id, seq, type, time, body) SELECT %s, %s, %s, %s, %s"
           " WHERE asiakasarvo_last_seq(%s, current_user) = %s")
_INSERT = "INSERT INTO asiakasarvo_events (session_id, seq, type, time, body) VALUES (%s, %s, %s, %s, %s)"
_LAST_SEQ = "SELECT max(seq) FROM asiakasarvo_events WHERE session_id = %s"
_LISTING = (
    "SELECT e.session_id, e.body, c.n, f.type FROM asiakasarvo_events e"
    " JOIN (SELECT session_id, max(seq) AS n FROM asiakasarvo_events GROUP BY session_id) c"
    " USING (session_id)"
    " LEFT JOIN LATERAL (SELECT x.type FROM asiakasarvo_events x WHERE x.session_id = e.session_id"
    " AND x.type IN ('finished', 'reopened') ORDER BY x.seq DESC LIMIT 1) f ON true"
    " WHERE e.seq = 1")


def _reason(exc: BaseException) -> str:
    """The first line of a driver error, without the connection string."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


@dataclass(frozen=True, slots=True)
class Change:
    """One notification: event ``seq`` of ``session_id`` was written (0: the session was erased)."""

    session_id: str
    seq: int


@dataclass(frozen=True, slots=True)
class Member:
    """A database role that may use the store: an advisor or a coordinator of an organisation."""

    name: str
    role: str
    organisation: str


ROLES = ("advisor", "coordinator")


class AccessDeniedError(StoreError):
    """The database refused a write for the connected user: the session is neither theirs
    nor shared with them, or a coordinator tried to change another's session (SES-043)."""

    code = "SES-043"

    def __init__(self, path: str, user: str, found: str) -> None:
        self.path, self.user, self.found = path, user, found
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        from asiakasarvo_engine.codes import render

        return render(self.code, lang, path=self.path, found=self.found, expected=self.user)


class ErasureNeedsOwnerError(StoreError):
    """The rows of an erased session are gone, but only the tables' owner may rewrite the
    table so no page keeps them: that role runs ``sessions compact`` (SES-044)."""

    code = "SES-044"

    def __init__(self, path: str, user: str, owner: str) -> None:
        self.path, self.user, self.owner = path, user, owner
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        from asiakasarvo_engine.codes import render

        return render(self.code, lang, path=self.path, found=self.user, expected=self.owner)


class PostgresStore:
    """Session logs in a PostgreSQL database; thread-safe, one connection per store object.

    ``readonly`` opens it for reading only: nothing is created or migrated, a database
    without the tables reads as a store without sessions, and every write is SES-032.
    """

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url.strip()
        self.path = redact(self.url)
        """The URL without its password: what messages show."""
        self.readonly = readonly
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._closed = False
        self._present = True
        conn = self._connection()
        try:
            if readonly:
                self._check_version(conn)
            else:
                self._migrate(conn)
        except BaseException:
            self.close()
            raise

    # ---------------------------------------------------------------- connecting

    def _connect(self, *, autocommit: bool = True) -> psycopg.Connection[Any]:
        params: dict[str, Any] = {"autocommit": autocommit, "application_name": "asiakasarvo"}
        try:
            given = psycopg.conninfo.conninfo_to_dict(self.url)
        except psycopg.ProgrammingError as exc:
            raise StoreError(f"{self.path}: not a valid PostgreSQL URL ({_reason(exc)})") from None
        if "connect_timeout" not in given:
            params["connect_timeout"] = CONNECT_TIMEOUT_S
        if self.readonly:
            extra = str(given.get("options", ""))
            params["options"] = f"{extra} -c default_transaction_read_only=on".strip()
        try:
            return psycopg.connect(self.url, **params)
        except psycopg.OperationalError as exc:
            raise StoreUnavailableError(self.path, _reason(exc)) from None
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot open the session store ({_reason(exc)})") from None

    def _connection(self) -> psycopg.Connection[Any]:
        """The open connection, connecting again after the server dropped the last one."""
        if self._closed:
            raise StoreError(f"{self.path}: the session store is closed")
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            if conn is not None:
                conn.close()
            self._conn = None
            conn = self._conn = self._connect()
        return conn

    def _check_version(self, conn: psycopg.Connection[Any]) -> int:
        """The schema version of the database (0: no tables); refuses a newer one."""
        try:
            exists = conn.execute("SELECT to_regclass('asiakasarvo_schema') IS NOT NULL").fetchone()
            version = 0
            if exists is not None and exists[0]:
                row = conn.execute("SELECT version FROM asiakasarvo_schema").fetchone()
                version = 0 if row is None else int(row[0])
        except psycopg.Error as exc:
            self._failed(exc, "reading the schema version")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: a session store of schema version {version}, written by a newer "
                f"asiakasarvo-engine; this version reads schema versions up to {SCHEMA_VERSION}. "
                "Upgrade asiakasarvo-engine; the database was left untouched")
        self._present = version > 0
        return version

    def _migrate(self, conn: psycopg.Connection[Any]) -> None:
        """Bring the schema to :data:`SCHEMA_VERSION`, one step at a time, under a lock."""
        if self._check_version(conn) == SCHEMA_VERSION:
            return
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (APPLICATION_ID,))
                conn.execute("CREATE TABLE IF NOT EXISTS asiakasarvo_schema ("
                             " one boolean PRIMARY KEY DEFAULT true CHECK (one),"
                             " version integer NOT NULL)")
                version = self._check_version(conn)
                for step in range(version, SCHEMA_VERSION):
                    conn.execute(MIGRATIONS[step].encode())
                conn.execute("INSERT INTO asiakasarvo_schema (version) VALUES (%s) ON CONFLICT (one)"
                             " DO UPDATE SET version = EXCLUDED.version", (SCHEMA_VERSION,))
        except psycopg.Error as exc:
            self._failed(exc, "creating or migrating the schema")
        self._present = True

    @contextmanager
    def _guard(self, what: str, *, write: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """Hold the lock; turn driver failures into coded errors naming the store."""
        with self._lock:
            if write and self.readonly:
                raise ReadOnlyStoreError(self.path, "it was opened for reading only")
            conn = self._connection()
            try:
                if not self._present:  # a reader opened before any writer created the tables
                    self._check_version(conn)
                yield conn
            except psycopg.Error as exc:
                self._failed(exc, what)

    def _failed(self, exc: psycopg.Error, what: str) -> NoReturn:
        conn = self._conn
        if (conn is not None and (conn.broken or conn.closed)) or isinstance(
                exc, pg_errors.AdminShutdown | pg_errors.CannotConnectNow | pg_errors.ConnectionFailure):
            if conn is not None:
                conn.close()
            self._conn = None
            raise StoreUnavailableError(self.path, f"{what}: {_reason(exc)}") from None
        if isinstance(exc, pg_errors.InsufficientPrivilege):  # row-level security or grants
            raise AccessDeniedError(self.path, self._user(), f"{what}: {_reason(exc)}") from None
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            raise ReadOnlyStoreError(self.path, f"{what}: {_reason(exc)}") from None
        raise StoreError(f"{self.path}: {what} failed ({_reason(exc)})") from None

    # ---------------------------------------------------------------- writing

    def _last_seq(self, conn: psycopg.Connection[Any], session_id: str) -> int | None:
        row = conn.execute(_LAST_SEQ, (session_id,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def _refused(self, conn: psycopg.Connection[Any], session_id: str, expected: int) -> NoReturn:
        last = self._last_seq(conn, session_id)
        if last is None:
            raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
        raise ConflictError(session_id, expected, last)

    def create(self, session_id: str, started: Started) -> None:
        """Create a session whose log starts with ``started`` (seq 1)."""
        self.create_log(session_id, [started])

    def create_log(self, session_id: str, events: Sequence[Event]) -> None:
        """Create a session with a whole log in one transaction (import, sync); all or nothing.

        The log must start with a ``started`` event and number its events 1..n.
        """
        check_new_log(events)
        rows = [(session_id, e.seq, e.type, e.time, event_to_json(e)) for e in events]
        with self._guard(f"creating session {session_id!r}", write=True) as conn:
            try:
                with conn.transaction(), conn.cursor() as cur:
                    cur.executemany(_INSERT, rows)
            except pg_errors.UniqueViolation:
                raise ConflictError(session_id, 0, self._last_seq(conn, session_id) or 1) from None

    def append(self, session_id: str, expected: int, event: Event) -> None:
        """Append ``event`` if the log has exactly ``expected`` events (durable on return)."""
        body = event_to_json(event)
        with self._guard(f"appending to session {session_id!r}", write=True) as conn:
            if event.seq != expected + 1:
                self._refused(conn, session_id, expected)
            try:
                cur = conn.execute(_APPEND, (session_id, event.seq, event.type, event.time, body,
                                             session_id, expected))
            except pg_errors.UniqueViolation:
                raise ConflictError(session_id, expected, self._last_seq(conn, session_id) or 0) from None
            if cur.rowcount != 1:
                self._refused(conn, session_id, expected)

    def append_many(self, session_id: str, expected: int, events: Sequence[Event]) -> None:
        """Append ``events`` (numbered ``expected + 1`` on) in one commit: all or none."""
        if not events:
            raise ValueError("append_many needs at least one event")
        rows = [(session_id, e.seq, e.type, e.time, event_to_json(e)) for e in events]
        numbered = [e.seq for e in events] == list(range(expected + 1, expected + 1 + len(events)))
        with self._guard(f"appending to session {session_id!r}", write=True) as conn:
            if not numbered:
                self._refused(conn, session_id, expected)
            try:
                with conn.transaction(), conn.cursor() as cur:
                    first = rows[0]
                    cur.execute(_APPEND, (*first, session_id, expected))
                    if cur.rowcount != 1:
                        raise _RefusedError
                    if len(rows) > 1:
                        cur.executemany(_INSERT, rows[1:])
            except _RefusedError:
                self._refused(conn, session_id, expected)
            except pg_errors.UniqueViolation:
                raise ConflictError(session_id, expected, self._last_seq(conn, session_id) or 0) from None

    # ---------------------------------------------------------------- reading

    def events(self, session_id: str) -> list[Event]:
        """The whole log of a session, in order."""
        with self._guard(f"reading session {session_id!r}") as conn:
            rows = [] if not self._present else conn.execute(
                "SELECT seq, type, body FROM asiakasarvo_events WHERE session_id = %s ORDER BY seq",
                (session_id,)).fetchall()
        if not rows:
            raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
        log: list[Event] = []
        for seq, kind, body in rows:
            log.append(self._read(session_id, int(seq), str(kind), str(body)))
        return log

    def _read(self, session_id: str, seq: int, kind: str, body: str) -> Event:
        try:
            event = event_from_json(body)
        except ValidationError as exc:
            raise StoreError(f"{self.path}: the session store is damaged: session {session_id!r} event "
                             f"{seq} cannot be read ({exc.error_count()} problems, first: "
                             f"{exc.errors()[0]['msg']}); nothing was changed") from None
        if event.seq != seq or event.type != kind:
            raise StoreError(f"{self.path}: the session store is damaged: session {session_id!r} event "
                             f"{seq} says it is event {event.seq} of type {event.type!r} (its row: "
                             f"{kind!r}); nothing was changed")
        return event

    def sessions(self) -> list[SessionSummary]:
        """Every session, newest first."""
        with self._guard("listing sessions") as conn:
            rows = conn.execute(_LISTING).fetchall() if self._present else []
        summaries = []
        for session_id, body, count, status in rows:
            started = self._read(str(session_id), 1, "started", str(body))
            if not isinstance(started, Started):
                raise StoreError(f"{self.path}: session {session_id!r} does not begin with 'started'")
            summaries.append(SessionSummary(
                str(session_id), started.company.name, started.company.business_id, started.advisor,
                started.time, int(count), status == "finished"))
        summaries.sort(key=lambda s: (order_key(s.started), s.id), reverse=True)
        return summaries

    # ---------------------------------------------------------------- erasure

    def delete(self, session_id: str, *, wait: float | None = None,
               on_wait: Callable[[float], None] | None = None) -> None:
        """Erase every trace of a session: its rows, then a rewrite of the table (GDPR).

        The rewrite needs the table to itself for a moment: it tries for up to ``wait``
        seconds (default :data:`ERASE_WAIT_S`), calling ``on_wait(seconds)`` once if it must
        wait, and raises :class:`ErasureIncompleteError` if others keep the table busy (the
        rows are gone for every reader; :meth:`compact` finishes the rewrite).
        """
        with self._guard(f"deleting session {session_id!r}", write=True) as conn:
            removed = conn.execute("DELETE FROM asiakasarvo_events WHERE session_id = %s",
                                   (session_id,)).rowcount if self._present else 0
            if removed == 0:
                raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
            self._rewrite(conn, session_id, ERASE_WAIT_S if wait is None else wait, on_wait)

    def compact(self, *, wait: float | None = None, on_wait: Callable[[float], None] | None = None) -> None:
        """Rewrite the event table so no page keeps deleted rows; finishes an erasure that
        others held up (``delete`` does it itself); waits and fails as ``delete`` does."""
        with self._guard("compacting the store", write=True) as conn:
            if self._present:
                self._rewrite(conn, None, ERASE_WAIT_S if wait is None else wait, on_wait)

    def _rewrite(self, conn: psycopg.Connection[Any], session_id: str | None, wait: float,
                 on_wait: Callable[[float], None] | None) -> None:
        row = conn.execute("SELECT pg_has_role(current_user, c.relowner, 'USAGE'),"
                           " pg_get_userbyid(c.relowner), current_user FROM pg_class c"
                           " WHERE c.oid = 'asiakasarvo_events'::regclass").fetchone()
        if row is not None and not row[0]:  # VACUUM would skip the table with a mere warning
            raise ErasureNeedsOwnerError(self.path, str(row[2]), str(row[1]))
        deadline = time.monotonic() + wait
        told = False
        conn.execute(f"SET lock_timeout = {_LOCK_TRY_MS}")
        try:
            while True:
                try:
                    conn.execute("VACUUM (FULL, ANALYZE) asiakasarvo_events")
                    return
                except pg_errors.LockNotAvailable:
                    pass
                if time.monotonic() >= deadline:
                    raise ErasureIncompleteError(self.path, (f"table {EVENTS}",),
                                                 session_id=session_id, seconds=wait)
                if not told and on_wait is not None:
                    on_wait(wait)
                    told = True
                time.sleep(0.05)
        finally:
            if not conn.broken and not conn.closed:
                conn.execute("RESET lock_timeout")

    def erasures(self) -> set[str]:
        """The ids of the sessions erased from this store (and not created again): ids only."""
        with self._guard("listing erasures") as conn:
            rows = (conn.execute("SELECT session_id FROM asiakasarvo_erasures").fetchall()
                    if self._present else [])
        return {str(r[0]) for r in rows}

    # ---------------------------------------------------------------- owners and organisations

    def _user(self) -> str:
        conn = self._conn
        try:
            return str(conn.info.user) if conn is not None else "?"
        except psycopg.Error:
            return "?"

    @property
    def user(self) -> str:
        """The database role this store acts as (the advisor whose sessions it writes)."""
        with self._guard("reading the user") as conn:
            row = conn.execute("SELECT current_user").fetchone()
        return "" if row is None else str(row[0])

    def add_member(self, name: str, role: str, organisation: str) -> None:
        """Let database role ``name`` use the store as an advisor or a coordinator of
        ``organisation`` (run as the tables' owner; the role itself is the DBA's to create)."""
        if role not in ROLES:
            raise ValueError(f"role {role!r}; expected one of {', '.join(ROLES)}")
        if not organisation.strip():
            raise ValueError("an organisation is needed")
        who = psycopg.sql.Identifier(name)
        grants = (
            "GRANT USAGE ON SCHEMA {schema} TO {who}",
            "GRANT SELECT ON asiakasarvo_schema, asiakasarvo_members TO {who}",
            "GRANT SELECT, INSERT, DELETE ON asiakasarvo_events, asiakasarvo_shares TO {who}",
        )
        with self._guard(f"adding the member {name!r}", write=True) as conn:
            row = conn.execute("SELECT current_schema()").fetchone()
            schema = psycopg.sql.Identifier(str(row[0] if row else "public"))
            try:
                with conn.transaction():
                    conn.execute("INSERT INTO asiakasarvo_members (name, role, organisation) VALUES"
                                 " (%s, %s, %s) ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role,"
                                 " organisation = EXCLUDED.organisation", (name, role, organisation))
                    for grant in grants:
                        conn.execute(psycopg.sql.SQL(grant).format(schema=schema, who=who))
            except pg_errors.UndefinedObject:
                raise StoreError(f"{self.path}: there is no database role {name!r}; create it first "
                                 "(CREATE ROLE ... LOGIN) and add it again") from None

    def members(self) -> list[Member]:
        """Who may use the store, by name."""
        with self._guard("listing the members") as conn:
            rows = conn.execute("SELECT name, role, organisation FROM asiakasarvo_members ORDER BY name"
                                ).fetchall() if self._present else []
        return [Member(str(n), str(r), str(o)) for n, r, o in rows]

    def owner(self, session_id: str) -> tuple[str, str | None]:
        """The advisor a session belongs to and their organisation (None: not a member)."""
        with self._guard(f"reading the owner of {session_id!r}") as conn:
            row = conn.execute("SELECT e.body::json ->> 'advisor', m.organisation FROM asiakasarvo_events e"
                               " LEFT JOIN asiakasarvo_members m ON m.name = e.body::json ->> 'advisor'"
                               " WHERE e.session_id = %s AND e.seq = 1", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFoundError(f"no session {session_id!r} in {self.path}")
        return str(row[0]), None if row[1] is None else str(row[1])

    def share(self, session_id: str, advisor: str) -> None:
        """Let ``advisor`` read and change the session (only its owner may share it)."""
        self.owner(session_id)
        with self._guard(f"sharing session {session_id!r}", write=True) as conn:
            conn.execute("INSERT INTO asiakasarvo_shares (session_id, advisor) VALUES (%s, %s)"
                         " ON CONFLICT DO NOTHING", (session_id, advisor))

    def unshare(self, session_id: str, advisor: str) -> None:
        """Take the session back from ``advisor``."""
        with self._guard(f"unsharing session {session_id!r}", write=True) as conn:
            conn.execute("DELETE FROM asiakasarvo_shares WHERE session_id = %s AND advisor = %s",
                         (session_id, advisor))

    def shared_with(self, session_id: str) -> list[str]:
        """The advisors a session is shared with."""
        with self._guard(f"reading the shares of {session_id!r}") as conn:
            rows = conn.execute("SELECT advisor FROM asiakasarvo_shares WHERE session_id = %s"
                                " ORDER BY advisor", (session_id,)).fetchall() if self._present else []
        return [str(r[0]) for r in rows]

    # ---------------------------------------------------------------- live changes

    def changes(self, timeout: float | None = None, stop: Callable[[], bool] | None = None,
                ) -> Iterator[Change]:
        """The ids written by anyone to this database from this call on, as they are committed.

        A connection of its own listens to :data:`CHANNEL` before this returns; the iterator
        ends after ``timeout`` seconds without a notification (None: never), or when
        ``stop()`` is true (checked at least once a second). SES-040 if the server goes away.
        """
        listener = self._connect()
        try:
            listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            listener.close()
            raise StoreUnavailableError(self.path, f"listening for changes: {_reason(exc)}") from None
        return self._follow(listener, timeout, stop)

    def _follow(self, listener: psycopg.Connection[Any], timeout: float | None,
                stop: Callable[[], bool] | None) -> Iterator[Change]:
        try:
            quiet_since = time.monotonic()
            while stop is None or not stop():
                left = None if timeout is None else timeout - (time.monotonic() - quiet_since)
                step = 1.0 if left is None else max(0.0, min(1.0, left))
                got = False
                for note in listener.notifies(timeout=step, stop_after=1):
                    got = True
                    seq, _, session_id = note.payload.partition(" ")
                    yield Change(session_id, int(seq))
                if got:
                    quiet_since = time.monotonic()
                elif timeout is not None and time.monotonic() - quiet_since >= timeout:
                    return
        except psycopg.OperationalError as exc:
            raise StoreUnavailableError(self.path, f"listening for changes: {_reason(exc)}") from None
        finally:
            listener.close()

    def watch(self, notify: Callable[[str, int], None]) -> Watcher:
        """Call ``notify(session_id, seq)`` from a thread of its own for every change anyone
        commits, until :meth:`Watcher.stop`; while the server is down it tries again every
        second (changes made meanwhile are not replayed: readers catch up by reading)."""
        return Watcher(self, notify)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Watcher:
    """A daemon thread that follows a store's live changes (see :meth:`PostgresStore.watch`)."""

    def __init__(self, store: PostgresStore, notify: Callable[[str, int], None]) -> None:
        self._store, self._notify = store, notify
        self._stopped = threading.Event()
        self.listening = threading.Event()
        """Set once the thread listens (again after an outage)."""
        self._thread = threading.Thread(target=self._run, name="asiakasarvo-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                stream = self._store.changes(stop=self._stopped.is_set)
                self.listening.set()
                for change in stream:
                    self._notify(change.session_id, change.seq)
            except StoreError:  # the server is away (SES-040), or the store was closed
                self.listening.clear()
                self._stopped.wait(1.0)

    def stop(self) -> None:
        """Stop following (returns once the thread has let go of its connection)."""
        self._stopped.set()
        self._thread.join(timeout=5)


class _RefusedError(Exception):
    """The guarded insert found another sequence number than expected."""
