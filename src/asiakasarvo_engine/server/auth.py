"""Who a request is: the local one-time token, cookie sessions, CSRF tokens, API tokens.

Local mode (the default): the server prints a URL with a one-time token; opening it
exchanges the token for a cookie session (HttpOnly, SameSite=Strict) and the token is
spent. Server mode: users sign in with a name and password (``users`` module) or send a
personal API token (``Authorization: Bearer ...``). Every write authenticated by a cookie
must carry ``X-CSRF-Token``, the session's CSRF token (``GET /api/v1/me`` gives it); a
cross-site page can neither read it nor send the header without the browser asking first.
Cookie sessions end after :attr:`Auth.idle_seconds` without a request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from asiakasarvo_engine.server.problems import Problem, coded
from asiakasarvo_engine.server.service import Principal


class TokenChecker(Protocol):
    """Where API tokens and signed-in users are looked up (server mode's user store)."""

    def check_token(self, token: str) -> Principal | None:
        """The principal a token belongs to (None: no such token)."""
        ...

    def current(self, principal: Principal) -> Principal | None:
        """The principal with its current role (None: the user was removed)."""
        ...


SESSION_COOKIE = "asiakasarvo_session"
CSRF_HEADER = "X-CSRF-Token"
LOCAL_USER = "local"
IDLE_SECONDS = 8 * 3600
"""A cookie session ends after this long without a request (a working day)."""


@dataclass(slots=True)
class _CookieSession:
    principal: Principal
    seen: float


class Auth:
    """The authentication of one server (local or server mode)."""

    def __init__(
        self,
        mode: str = "local",
        *,
        users: TokenChecker | None = None,
        secure_cookies: bool = False,
        idle_seconds: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.mode = mode
        self.users = users
        self.secure_cookies = secure_cookies
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._sessions: dict[str, _CookieSession] = {}
        self._lock = threading.Lock()
        self.local_token: str | None = secrets.token_urlsafe(32) if mode == "local" else None

    # ---------------------------------------------------------------- cookie sessions

    def open_session(self, principal: Principal) -> str:
        """A new cookie session for ``principal``; returns its id (the cookie's value)."""
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = _CookieSession(principal, self._clock())
        return sid

    def close_session(self, sid: str) -> None:
        """End a cookie session (sign out)."""
        with self._lock:
            self._sessions.pop(sid, None)

    def _session(self, sid: str) -> Principal | None:
        now = self._clock()
        with self._lock:
            found = self._sessions.get(sid)
            if found is None:
                return None
            if now - found.seen > self.idle_seconds:
                del self._sessions[sid]
                return None
            found.seen = now
            return found.principal

    def exchange(self, token: str) -> str | None:
        """Local mode: the one-time token for a cookie session id (None: wrong or spent)."""
        with self._lock:
            expected = self.local_token
            if expected is None or not secrets.compare_digest(token.encode(), expected.encode()):
                return None
            self.local_token = None
        return self.open_session(Principal(LOCAL_USER, "local"))

    def csrf_token(self, sid: str) -> str:
        """The CSRF token of a cookie session (derived, so nothing more is kept)."""
        return hmac.new(self._secret, sid.encode(), hashlib.sha256).hexdigest()

    # ---------------------------------------------------------------- requests

    def principal(self, cookie: str | None, authorization: str | None) -> tuple[Principal, str | None]:
        """Who sent a request with this cookie and Authorization header, and the cookie
        session id (None for a token); raises a 401 Problem otherwise."""
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise coded(
                    401,
                    "AUTH-002",
                    found="an Authorization header that is not 'Bearer TOKEN'",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            principal = self.users.check_token(token.strip()) if self.users is not None else None
            if principal is None:
                raise coded(401, "AUTH-002", found="API token", headers={"WWW-Authenticate": "Bearer"})
            return principal, None
        if cookie:
            principal = self._session(cookie)
            if principal is not None and self.users is not None:
                principal = self.users.current(principal)  # removed or re-roled since sign-in
                if principal is None:
                    self.close_session(cookie)
            if principal is None:
                raise coded(401, "AUTH-002", found="session cookie", expected=self._how())
            return principal, cookie
        raise coded(401, "AUTH-001", expected=self._how())

    def _how(self) -> str:
        if self.mode == "local":
            return "open the URL the server printed (it carries a one-time token)"
        return "POST /api/v1/login, or send Authorization: Bearer TOKEN"

    def check_csrf(self, sid: str | None, header: str | None) -> None:
        """Raise a 403 Problem unless a cookie-authenticated write carries its CSRF token."""
        if sid is None:
            return
        if not header or not hmac.compare_digest(header.encode(), self.csrf_token(sid).encode()):
            raise coded(403, "AUTH-003", expected=CSRF_HEADER)


class LoginLimiter:
    """Sign-in attempts per name and per client: at most ``attempts`` failures in ``window``
    seconds, then a pause until the oldest failure leaves the window."""

    def __init__(
        self, attempts: int = 5, window: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts = attempts
        self.window = window
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """Raise a 429 Problem when any key is over its attempts."""
        now = self._clock()
        with self._lock:
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if now - t < self.window]
                self._failures[key] = recent
                if len(recent) >= self.attempts:
                    wait = max(1, int(self.window - (now - recent[0])) + 1)
                    raise coded(
                        429,
                        "AUTH-005",
                        found=wait,
                        headers={"Retry-After": str(wait)},
                        extra={"retry_after": wait},
                    )

    def failed(self, *keys: str) -> None:
        """Count a failed attempt."""
        now = self._clock()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of a name after a successful sign-in."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


__all__ = ["CSRF_HEADER", "SESSION_COOKIE", "Auth", "LoginLimiter", "Problem"]
