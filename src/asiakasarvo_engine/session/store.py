"""Where session logs live: the store protocol and an in-memory store.

Every store appends with an expected sequence number: ``append(session_id, expected,
event)`` writes only when the log has exactly ``expected`` events and ``event.seq`` is
``expected + 1``; otherwise it raises :class:`ConflictError` and writes nothing.
``append_many`` writes several events that belong together (a section left and the next
entered, the last section left and ``finished``) in one commit: all of them or none.

:class:`MissingStore` stands for a store file that does not exist, opened by a command
that only reads: it lists no sessions and creates nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from asiakasarvo_engine.errors import ConflictError, ReadOnlyStoreError, SessionNotFoundError, StoreError
from asiakasarvo_engine.session.clock import order_key
from asiakasarvo_engine.session.events import Event, Started

URL_SCHEMES = ("postgresql://", "postgres://")
"""The URL prefixes that name a PostgreSQL store (``--store``, ``ASIAKASARVO_STORE``)."""


def is_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL store (a ``postgresql://`` URL), not a file."""
    return isinstance(target, str) and target.strip().lower().startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """``url`` without its password (in the user part or as a ``password=`` parameter)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "postgresql://..."
    fields = parse_qsl(parts.query, keep_blank_values=True)
    if ":" not in parts.netloc.rpartition("@")[0] and all(k.lower() != "password" for k, _ in fields):
        return url.strip()  # nothing to hide: the URL as given
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{host}"
    query = urlencode([(k, v) for k, v in fields if k.lower() != "password"], safe="/:")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class StoreUnavailableError(StoreError):
    """The database server of a store cannot be reached (down, refused, dropped the
    connection): nothing was written unless the write had been confirmed (SES-040).
    ``path`` is the store's URL without its password; the same call may be retried."""

    code = "SES-040"

    def __init__(self, path: str, found: str) -> None:
        self.path, self.found = path, found
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        from asiakasarvo_engine.codes import render

        return render(self.code, lang, path=self.path, found=self.found)


class DriverMissingError(StoreError):
    """A PostgreSQL store was asked for but psycopg is not installed (SES-041)."""

    code = "SES-041"

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        from asiakasarvo_engine.codes import render

        return render(self.code, lang, path=self.path)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A line of the session list."""

    id: str
    company: str | None
    business_id: str | None
    advisor: str
    started: str
    events: int
    finished: bool


class Store(Protocol):
    """A durable or in-memory home for session logs."""

    def create(self, session_id: str, started: Started) -> None:
        """Create a session whose log starts with ``started`` (seq 1)."""
        ...

    def append(self, session_id: str, expected: int, event: Event) -> None:
        """Append ``event`` if the log has exactly ``expected`` events."""
        ...

    def append_many(self, session_id: str, expected: int, events: Sequence[Event]) -> None:
        """Append ``events`` (numbered ``expected + 1`` on) in one commit, all or none."""
        ...

    def events(self, session_id: str) -> list[Event]:
        """The whole log of a session, in order."""
        ...

    def sessions(self) -> list[SessionSummary]:
        """Every session, newest first."""
        ...

    def delete(self, session_id: str, *, wait: float | None = None,
               on_wait: Callable[[float], None] | None = None) -> None:
        """Erase every trace of a session; a store whose files may keep copies waits up to
        ``wait`` seconds for other readers (calling ``on_wait(seconds)`` once when it
        starts waiting) and raises ``ErasureIncompleteError`` if they keep it busy."""
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...


class MemoryStore:
    """Session logs in memory (embedding, tests, benchmarks); thread-safe."""

    def __init__(self) -> None:
        self._logs: dict[str, list[Event]] = {}
        self._lock = threading.Lock()

    def create(self, session_id: str, started: Started) -> None:
        """Create a session whose log starts with ``started`` (seq 1)."""
        with self._lock:
            if session_id in self._logs:
                raise ConflictError(session_id, 0, len(self._logs[session_id]))
            self._logs[session_id] = [started]

    def create_log(self, session_id: str, events: Sequence[Event]) -> None:
        """Create a session with a whole log at once (import, sync); all or nothing."""
        check_new_log(events)
        with self._lock:
            if session_id in self._logs:
                raise ConflictError(session_id, 0, len(self._logs[session_id]))
            self._logs[session_id] = list(events)

    def append(self, session_id: str, expected: int, event: Event) -> None:
        """Append ``event`` if the log has exactly ``expected`` events."""
        with self._lock:
            log = self._log(session_id)
            if len(log) != expected or event.seq != expected + 1:
                raise ConflictError(session_id, expected, len(log))
            log.append(event)

    def append_many(self, session_id: str, expected: int, events: Sequence[Event]) -> None:
        """Append ``events`` (numbered ``expected + 1`` on) at once, all or none."""
        if not events:
            raise ValueError("append_many needs at least one event")
        with self._lock:
            log = self._log(session_id)
            if len(log) != expected or [e.seq for e in events] != list(range(expected + 1,
                                                                             expected + 1 + len(events))):
                raise ConflictError(session_id, expected, len(log))
            log.extend(events)

    def events(self, session_id: str) -> list[Event]:
        """The whole log of a session, in order."""
        with self._lock:
            return list(self._log(session_id))

    def sessions(self) -> list[SessionSummary]:
        """Every session, newest first."""
        with self._lock:
            return sorted((summarize(sid, log) for sid, log in self._logs.items()),
                          key=lambda s: (order_key(s.started), s.id), reverse=True)

    def delete(self, session_id: str, *, wait: float | None = None,
               on_wait: Callable[[float], None] | None = None) -> None:
        """Erase every trace of a session (memory keeps no copies: nothing to wait for)."""
        with self._lock:
            self._log(session_id)
            del self._logs[session_id]

    def close(self) -> None:
        """Nothing to release."""

    def _log(self, session_id: str) -> list[Event]:
        log = self._logs.get(session_id)
        if log is None:
            raise SessionNotFoundError(f"no session {session_id!r}")
        return log


class MissingStore:
    """A store file that does not exist, opened to read: no sessions, and nothing created.

    Writing raises :class:`ReadOnlyStoreError`; reading a session raises SES-001 naming
    the missing file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _absent(self, session_id: str) -> SessionNotFoundError:
        return SessionNotFoundError(f"no session {session_id!r}: the store {self.path} does not exist")

    def _refuse(self) -> ReadOnlyStoreError:
        return ReadOnlyStoreError(str(self.path), "it does not exist and was opened for reading, "
                                  "so nothing was created")

    def create(self, session_id: str, started: Started) -> None:
        """Refused: the store was opened for reading."""
        raise self._refuse()

    def append(self, session_id: str, expected: int, event: Event) -> None:
        """Refused: the store was opened for reading."""
        raise self._refuse()

    def append_many(self, session_id: str, expected: int, events: Sequence[Event]) -> None:
        """Refused: the store was opened for reading."""
        raise self._refuse()

    def events(self, session_id: str) -> list[Event]:
        """Always SES-001: there is no store, so no session."""
        raise self._absent(session_id)

    def sessions(self) -> list[SessionSummary]:
        """No sessions."""
        return []

    def delete(self, session_id: str, *, wait: float | None = None,
               on_wait: Callable[[float], None] | None = None) -> None:
        """Always SES-001: there is no store, so no session."""
        raise self._absent(session_id)

    def close(self) -> None:
        """Nothing to release."""


class LogStore(Store, Protocol):
    """A store that also creates a session with its whole log in one commit (import, sync)."""

    def create_log(self, session_id: str, events: Sequence[Event]) -> None:
        """Create a session whose log is ``events`` (numbered 1..n, ``started`` first)."""
        ...


def check_new_log(events: Sequence[Event]) -> None:
    """Raise ValueError unless ``events`` start with ``started`` and number 1..n."""
    if not events or not isinstance(events[0], Started):
        raise ValueError("a session log starts with a 'started' event")
    for index, event in enumerate(events, start=1):
        if event.seq != index:
            raise ValueError(f"event {index} of the log has seq {event.seq}")


def summarize(session_id: str, log: list[Event]) -> SessionSummary:
    """The list line of a session from its log."""
    started = log[0]
    assert isinstance(started, Started)
    finished = False
    for event in log:
        if event.type == "finished":
            finished = True
        elif event.type == "reopened":
            finished = False
    return SessionSummary(session_id, started.company.name, started.company.business_id, started.advisor,
                          started.time, len(log), finished)
