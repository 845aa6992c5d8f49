"""Offline sync: a laptop's store and the shared store exchange events by (session, seq).

A session's log is append-only and numbered, so two copies of it agree on a common prefix.
For every session of either store :func:`sync` compares the two logs event by event (the
exact JSON of each event):

* one side only: the whole log is created on the other side, in one commit;
* one log is a prefix of the other: the missing tail is appended to the shorter one, in one
  commit, guarded by the expected sequence number like any append;
* equal: nothing to do;
* both changed after their common point: a **conflict**. Nothing is merged and neither log
  is changed; each side keeps its own version under the session's id and receives the
  other side's version as a separate session ``ID~XXXXXXXXXXXX`` (the first 12 hex digits
  of that version's content hash), so the advisor sees both and decides.

Every write is all or nothing and is decided from what the stores hold at that moment, so a
sync stopped midway (the network dropped, SES-040) is simply run again: what was written
is found equal and nothing is duplicated. A writer appending during the sync makes that
session's write a ConflictError; the session is compared again (a few times) before it is
given up as busy. A session the shared store does not let this user change (SES-043:
another advisor's, not shared) is reported and skipped, not written.

An erasure (GDPR) on a store that remembers erased ids (PostgreSQL keeps the ids alone, no
content) is carried to the other side: its copy is erased too, never pushed back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from asiakasarvo_engine.errors import ConflictError, EngineError, SessionNotFoundError, StoreError
from asiakasarvo_engine.session.events import Event, event_to_json
from asiakasarvo_engine.session.export import events_hash
from asiakasarvo_engine.session.store import Store

CONFLICT_MARK = "~"
"""Between a session's id and the hash of the other side's version, in a conflict copy's id."""

_ATTEMPTS = 5
"""How often a session is compared again when a writer keeps appending during the sync."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """A session changed on both sides after ``common`` shared events; both versions kept."""

    session_id: str
    common: int
    local_events: int
    remote_events: int
    local_copy: str
    """The id under which the local store now also holds the remote's version."""
    remote_copy: str
    """The id under which the remote store now also holds the local version."""


@dataclass(slots=True)
class SyncReport:
    """What one sync did: events written each way per session, and the conflicts."""

    pushed: dict[str, int] = field(default_factory=dict)
    """Session id -> events written to the remote store."""
    pulled: dict[str, int] = field(default_factory=dict)
    """Session id -> events written to the local store."""
    same: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)
    """Sessions that kept changing during the sync (run it again)."""
    erased: dict[str, str] = field(default_factory=dict)
    """Session id -> the side (``local`` or ``remote``) where its copy was erased because the
    other store erased the session (GDPR)."""
    unfinished: dict[str, EngineError] = field(default_factory=dict)
    """Session id -> why such an erasure is not finished (SES-031, SES-044: the rows are gone,
    copies remain in the store's files until ``sessions compact``)."""
    refused: dict[str, EngineError] = field(default_factory=dict)
    """Session id -> why a store refused this user's write to it (SES-043); nothing written."""

    @property
    def clean(self) -> bool:
        """True when no session conflicted, stayed busy or was refused, and every erasure
        carried over is finished."""
        return not (self.conflicts or self.busy or self.refused or self.unfinished)


def common_prefix(one: Sequence[Event], other: Sequence[Event]) -> int:
    """How many leading events two logs share, compared by their exact JSON."""
    shared = 0
    for left, right in zip(one, other, strict=False):
        if left.seq != right.seq or event_to_json(left) != event_to_json(right):
            break
        shared += 1
    return shared


def conflict_id(session_id: str, version: Sequence[Event]) -> str:
    """The id of the copy of ``version`` of a conflicting session: ``ID~`` + 12 hex digits."""
    digest = events_hash(list(version)).partition(":")[2][:12]
    return f"{session_id[:200 - 1 - len(digest)]}{CONFLICT_MARK}{digest}"


def _events(store: Store, session_id: str) -> list[Event] | None:
    try:
        return store.events(session_id)
    except SessionNotFoundError:
        return None


def _create(store: Store, session_id: str, events: Sequence[Event]) -> bool:
    """Create a session with a whole log (one commit where the store can); False when a
    session of that id already holds exactly this log, ConflictError when it holds another."""
    create_log: Callable[[str, Sequence[Event]], None] | None = getattr(store, "create_log", None)
    try:
        if create_log is not None:
            create_log(session_id, events)
        else:
            first = events[0]
            store.create(session_id, first)  # type: ignore[arg-type]  # a log starts with started
            if len(events) > 1:
                store.append_many(session_id, 1, events[1:])
        return True
    except ConflictError:
        held = _events(store, session_id)
        if held is not None and common_prefix(held, events) == len(events) == len(held):
            return False
        raise


def _keep_copy(store: Store, session_id: str, version: Sequence[Event]) -> str:
    """Store ``version`` of a conflicting session under its conflict id (once)."""
    copy = conflict_id(session_id, version)
    _create(store, copy, version)
    return copy


def _one(local: Store, remote: Store, session_id: str, report: SyncReport) -> None:
    mine, theirs = _events(local, session_id), _events(remote, session_id)
    if mine is None and theirs is None:  # erased meanwhile
        return
    if theirs is None:
        assert mine is not None
        if _create(remote, session_id, mine):
            report.pushed[session_id] = len(mine)
        return
    if mine is None:
        if _create(local, session_id, theirs):
            report.pulled[session_id] = len(theirs)
        return
    shared = common_prefix(mine, theirs)
    if shared == len(mine) == len(theirs):
        report.same.append(session_id)
    elif shared == len(theirs):
        remote.append_many(session_id, shared, mine[shared:])
        report.pushed[session_id] = len(mine) - shared
    elif shared == len(mine):
        local.append_many(session_id, shared, theirs[shared:])
        report.pulled[session_id] = len(theirs) - shared
    else:
        report.conflicts.append(Conflict(
            session_id, shared, len(mine), len(theirs),
            local_copy=_keep_copy(local, session_id, theirs),
            remote_copy=_keep_copy(remote, session_id, mine)))


def _erasures(store: Store) -> set[str]:
    """The ids a store remembers as erased (a store that keeps no such list: none)."""
    erasures: Callable[[], set[str]] | None = getattr(store, "erasures", None)
    return erasures() if erasures is not None else set()


def sync(local: Store, remote: Store, *, progress: Callable[[str], None] | None = None) -> SyncReport:
    """Push and pull every session between ``local`` and ``remote``; see the module text.

    Raises what a store raises when it fails (e.g. SES-040 when the database goes away);
    everything written until then stays consistent, and running it again finishes the job.
    """
    report = SyncReport()
    mine, theirs = {s.id for s in local.sessions()}, {s.id for s in remote.sessions()}
    gone_there, gone_here = _erasures(remote) - theirs, _erasures(local) - mine
    for session_id in sorted(mine | theirs):
        if progress is not None:
            progress(session_id)
        if session_id in gone_there or session_id in gone_here:
            side, store = ("local", local) if session_id in gone_there else ("remote", remote)
            try:
                store.delete(session_id)
            except SessionNotFoundError:
                pass
            except EngineError as exc:
                if exc.code == "SES-043":
                    report.refused[session_id] = exc
                    continue
                if exc.code not in {"SES-031", "SES-044"}:
                    raise
                report.unfinished[session_id] = exc
            report.erased[session_id] = side
            continue
        for attempt in range(_ATTEMPTS):
            try:
                _one(local, remote, session_id, report)
                break
            except ConflictError:
                if attempt == _ATTEMPTS - 1:
                    report.busy.append(session_id)
            except StoreError as exc:
                if exc.code != "SES-043":  # only a refusal for this user is the session's alone
                    raise
                report.refused[session_id] = exc
                break
    return report
