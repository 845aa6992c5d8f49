"""Server mode's users: names, roles, argon2id password hashes, API tokens, session sharing.

The user store is its own SQLite file beside the session store (``sessions.sqlite3`` has
``sessions.users.sqlite3`` next to it; see :func:`users_path`), so the session store's
schema and its erasure (``sessions delete``) stay as they are, and a user list can be
backed up or removed on its own. Passwords are kept only as argon2id hashes (argon2-cffi);
an API token is shown once when made and only its SHA-256 is stored (the token has 256
random bits, so a fast hash is enough and a lookup by hash leaks nothing). Sharing rows say
which advisors besides the session's own may read and change a session.

A file that is not a SQLite database, is damaged or has another schema raises
:class:`UserStoreError` (AUTH-008) and is never modified.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from asiakasarvo_engine.codes import render
from asiakasarvo_engine.errors import EngineError
from asiakasarvo_engine.server.service import Principal
from asiakasarvo_engine.session.events import Started

Role = Literal["advisor", "coordinator"]
ROLES: tuple[Role, ...] = ("advisor", "coordinator")
SCHEMA_VERSION = 1
MIN_PASSWORD = 10
"""The shortest password accepted (characters)."""
TOKEN_PREFIX = "aa_"  # noqa: S105 - a visible prefix, not a secret
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('advisor', 'coordinator')),
    password TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    digest TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS shares (
    session_id TEXT NOT NULL,
    started TEXT NOT NULL,
    name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created TEXT NOT NULL,
    PRIMARY KEY (session_id, started, name)
);
"""
_TABLES = {"users", "tokens", "shares"}


class UserStoreError(EngineError):
    """The user store file is foreign, damaged or of another schema; it is left untouched."""

    code = "AUTH-008"

    def __init__(self, path: Path, en: str, fi: str) -> None:
        self.path = path
        self.reasons = {"en": en, "fi": fi}
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The error in ``fi`` or ``en``."""
        return render(
            "AUTH-008", lang, found=str(self.path), expected=self.reasons.get(lang, self.reasons["en"])
        )


class UserError(EngineError):
    """A user command was given a bad name, role or password, or names no user (AUTH-007)."""

    code = "AUTH-007"

    def __init__(self, found: str, expected: str, *, fi: tuple[str, str] | None = None) -> None:
        self.found = found
        self.expected = expected
        self.fi = fi or (found, expected)
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The error in ``fi`` or ``en``."""
        found, expected = self.fi if lang == "fi" else (self.found, self.expected)
        return render("AUTH-007", lang, found=found, expected=expected)


def no_user(name: str) -> UserError:
    """The error for a name that is no user."""
    return UserError(
        f"no user {name!r}",
        "a name from 'asiakasarvo users list'",
        fi=(f"käyttäjää {name!r} ei ole", "nimi listasta 'asiakasarvo users list'"),
    )


@dataclass(frozen=True, slots=True)
class User:
    """One user as listed (never the hash)."""

    name: str
    role: Role
    created: str
    tokens: int


def users_path(store_path: str | Path) -> Path:
    """The user store beside a session store: ``NAME.users.sqlite3`` next to ``NAME.sqlite3``."""
    path = Path(store_path).expanduser()
    return path.with_name(f"{path.stem}.users.sqlite3")


def token_digest(token: str) -> str:
    """What is stored of an API token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _inspect(path: Path) -> None:
    """Raise UserStoreError unless ``path`` is empty or a user store of this schema."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_MAGIC))
    except OSError as exc:
        raise UserStoreError(
            path, f"cannot read it ({exc.strerror or exc})", f"sitä ei voi lukea ({exc.strerror or exc})"
        ) from None
    if not head:
        return
    if head != _MAGIC:
        raise UserStoreError(path, "it is not a SQLite database", "se ei ole SQLite-tietokanta")
    try:
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = ro.execute("PRAGMA quick_check").fetchone()
            version = ro.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in ro.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            ro.close()
    except sqlite3.DatabaseError as exc:
        raise UserStoreError(path, f"it is corrupt ({exc})", f"se on vioittunut ({exc})") from None
    if check is None or check[0] != "ok":
        raise UserStoreError(path, f"it is corrupt ({check})", f"se on vioittunut ({check})")
    if not tables:
        return
    if version != SCHEMA_VERSION or not tables >= _TABLES:
        raise UserStoreError(
            path,
            f"not a user store of schema version {SCHEMA_VERSION} (version {version}, {sorted(tables)})",
            f"ei käyttäjärekisteri, skeemaversio {SCHEMA_VERSION} (versio {version}, {sorted(tables)})",
        )


class UserStore:
    """The users of one server, in SQLite (thread-safe: one connection, serialized)."""

    def __init__(self, path: str | Path, *, hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path).expanduser()
        self._hasher = hasher or PasswordHasher()
        self._lock = threading.Lock()
        if self.path.exists():
            _inspect(self.path)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserStoreError(
                    self.path,
                    f"cannot create its folder ({exc.strerror or exc})",
                    f"kansiota ei voi luoda ({exc.strerror or exc})",
                ) from None
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=10.0, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA foreign_keys = ON")
            tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                self._conn.executescript(
                    f"BEGIN IMMEDIATE;{_SCHEMA}PRAGMA user_version = {SCHEMA_VERSION};COMMIT;"
                )
        except sqlite3.DatabaseError as exc:
            raise UserStoreError(self.path, f"cannot open it ({exc})", f"sitä ei voi avata ({exc})") from None
        # A dummy hash verified for unknown names, so a wrong name costs what a wrong password does.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._conn.close()

    def _sql(self, sql: str, params: tuple[object, ...] = ()) -> tuple[list[Any], int]:
        """Run one statement under the lock: its rows and the rows it changed. A database
        error other than a constraint is AUTH-008 (the statement changed nothing)."""
        with self._lock:
            try:
                cursor = self._conn.execute(sql, params)
                return cursor.fetchall(), max(cursor.rowcount, 0)
            except sqlite3.IntegrityError:
                raise
            except sqlite3.DatabaseError as exc:
                raise UserStoreError(
                    self.path, f"a database error ({exc})", f"tietokantavirhe ({exc})"
                ) from None

    # ---------------------------------------------------------------- users

    def add(self, name: str, role: str, password: str) -> User:
        """Add a user; raises UserError for a bad or taken name, a bad role or a short password."""
        if not NAME.match(name):
            raise UserError(
                repr(name[:80]),
                "a name of 1-64 letters, digits or . _ @ - (no spaces)",
                fi=(
                    repr(name[:80]),
                    "1-64 merkin nimi kirjaimista, numeroista tai merkeistä . _ @ - (ei välilyöntejä)",
                ),
            )
        if role not in ROLES:
            raise UserError(
                f"role {role!r}", "advisor or coordinator", fi=(f"rooli {role!r}", "advisor tai coordinator")
            )
        if len(password) < MIN_PASSWORD:
            raise UserError(
                f"a password of {len(password)} characters",
                f"at least {MIN_PASSWORD}",
                fi=(f"{len(password)} merkin salasana", f"vähintään {MIN_PASSWORD} merkkiä"),
            )
        digest = self._hasher.hash(password)
        created = _now()
        try:
            self._sql(
                "INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?)",
                (name, role, digest, created),
            )
        except sqlite3.IntegrityError:
            raise UserError(
                f"{name!r} exists already", "a new name", fi=(f"{name!r} on jo olemassa", "uusi nimi")
            ) from None
        return User(name, role, created, 0)

    def remove(self, name: str) -> None:
        """Remove a user with their tokens and shares (their sessions stay in the store)."""
        if self._sql("DELETE FROM users WHERE name = ?", (name,))[1] == 0:
            raise no_user(name)

    def users(self) -> list[User]:
        """Every user, by name."""
        rows, _ = self._sql(
            "SELECT u.name, u.role, u.created, COUNT(t.digest) FROM users u "
            "LEFT JOIN tokens t ON t.name = u.name GROUP BY u.name ORDER BY u.name"
        )
        return [User(r[0], r[1], r[2], r[3]) for r in rows]

    def get(self, name: str) -> User | None:
        """One user by name."""
        rows, _ = self._sql(
            "SELECT u.name, u.role, u.created, COUNT(t.digest) FROM users u "
            "LEFT JOIN tokens t ON t.name = u.name WHERE u.name = ? GROUP BY u.name",
            (name,),
        )
        return User(rows[0][0], rows[0][1], rows[0][2], rows[0][3]) if rows else None

    def verify(self, name: str, password: str) -> Principal | None:
        """The principal when ``password`` is ``name``'s (None otherwise; same work either way)."""
        rows, _ = self._sql("SELECT role, password FROM users WHERE name = ?", (name,))
        row = rows[0] if rows else None
        stored = row[1] if row else self._dummy
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self._hasher.check_needs_rehash(stored):
            self._sql("UPDATE users SET password = ? WHERE name = ?", (self._hasher.hash(password), name))
        return Principal(name, row[0], via="cookie")

    def current(self, principal: Principal) -> Principal | None:
        """``principal`` as the store has it now: its current role, or None once removed (so a
        signed-in browser loses access when ``users remove`` runs, even in another process)."""
        rows, _ = self._sql("SELECT role FROM users WHERE name = ?", (principal.name,))
        return Principal(principal.name, rows[0][0], via=principal.via) if rows else None

    # ---------------------------------------------------------------- tokens

    def new_token(self, name: str) -> str:
        """A new personal API token for ``name`` (shown once: only its SHA-256 is kept)."""
        if self.get(name) is None:
            raise no_user(name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._sql(
            "INSERT INTO tokens (digest, name, created) VALUES (?, ?, ?)", (token_digest(token), name, _now())
        )
        return token

    def revoke_tokens(self, name: str) -> int:
        """Remove every API token of ``name``; returns how many."""
        return self._sql("DELETE FROM tokens WHERE name = ?", (name,))[1]

    def check_token(self, token: str) -> Principal | None:
        """The principal an API token belongs to (None: no such token)."""
        if len(token) > 200:
            return None
        rows, _ = self._sql(
            "SELECT u.name, u.role FROM tokens t JOIN users u ON u.name = t.name WHERE t.digest = ?",
            (token_digest(token),),
        )
        return Principal(rows[0][0], rows[0][1], via="token") if rows else None

    # ---------------------------------------------------------------- sharing

    def share(self, session_id: str, started: str, name: str) -> None:
        """Let advisor ``name`` read and change the session ``session_id`` started at ``started``
        (its Started event's time: a later session under an erased one's id is not shared)."""
        user = self.get(name)
        if user is None or user.role != "advisor":
            raise UserError(
                f"{name!r} is no advisor",
                "the name of an advisor from 'asiakasarvo users list'",
                fi=(f"{name!r} ei ole neuvoja", "neuvojan nimi listasta 'asiakasarvo users list'"),
            )
        self._sql(
            "INSERT OR IGNORE INTO shares (session_id, started, name, created) VALUES (?, ?, ?, ?)",
            (session_id, started, name, _now()),
        )

    def unshare(self, session_id: str, name: str) -> bool:
        """Take the sharing of ``session_id`` with ``name`` back; False when there was none."""
        return self._sql("DELETE FROM shares WHERE session_id = ? AND name = ?", (session_id, name))[1] > 0

    def shared_with(self, session_id: str, started: str) -> list[str]:
        """The advisors a session is shared with, by name."""
        rows, _ = self._sql(
            "SELECT name FROM shares WHERE session_id = ? AND started = ? ORDER BY name",
            (session_id, started),
        )
        return [r[0] for r in rows]

    def is_shared(self, session_id: str, started: str, name: str) -> bool:
        """Whether the session ``session_id`` started at ``started`` is shared with ``name``."""
        rows, _ = self._sql(
            "SELECT 1 FROM shares WHERE session_id = ? AND started = ? AND name = ?",
            (session_id, started, name),
        )
        return bool(rows)

    def may(self, principal: Principal, started: Started, session_id: str, write: bool) -> bool:
        """Access in server mode: the session's advisor and the advisors it is shared with read
        and change it; a coordinator reads every session and changes only their own."""
        if principal.local:
            return True
        if started.advisor == principal.name:
            return True
        if principal.role == "coordinator":
            return not write
        return principal.role == "advisor" and self.is_shared(session_id, started.time, principal.name)


__all__ = [
    "ROLES",
    "User",
    "UserError",
    "UserStore",
    "UserStoreError",
    "no_user",
    "token_digest",
    "users_path",
]
