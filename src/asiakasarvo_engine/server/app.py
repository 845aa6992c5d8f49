"""The FastAPI application: routes, the body gate, problem+json for every error, sign-in.

:func:`create_app` builds one server over a store and a compiled program. Every error a
client can cause is a coded 4xx ``application/problem+json`` in the request's language;
anything else is a 500 problem naming an incident id (the traceback goes to the server's
log, never to the client).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine._version import __version__
from asiakasarvo_engine.diagnostics import Diagnostic, make
from asiakasarvo_engine.report.branding import Branding
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.server import models as m
from asiakasarvo_engine.server.api import router as api_router
from asiakasarvo_engine.server.auth import SESSION_COOKIE, Auth, LoginLimiter
from asiakasarvo_engine.server.deps import Context, Ctx, Who, Writer
from asiakasarvo_engine.server.headers import SecurityHeaders
from asiakasarvo_engine.server.hub import Hub
from asiakasarvo_engine.server.limits import MAX_BODY_BYTES, BodyGuard
from asiakasarvo_engine.server.problems import PROBLEM_JSON, Problem, coded, language
from asiakasarvo_engine.server.service import Principal, SessionService
from asiakasarvo_engine.server.sharing import router as sharing_router
from asiakasarvo_engine.server.users import UserStore
from asiakasarvo_engine.server.workbench import router as workbench_router
from asiakasarvo_engine.server.workbench import static_router as workbench_static
from asiakasarvo_engine.session.interview import Clock
from asiakasarvo_engine.session.store import Store

log = logging.getLogger("asiakasarvo.server")

Mode = Literal["local", "server"]


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """What one server runs on."""

    program: ScoringProgram
    store: Store
    mode: Mode = "local"
    """``local`` (one user on loopback, a one-time token URL) or ``server`` (users sign in)."""
    users: UserStore | None = None
    """Server mode's users, API tokens and session sharing (required in server mode)."""
    secure_cookies: bool = False
    """Mark cookies Secure (set when the server is behind TLS)."""
    clock: Clock | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    branding: Branding | None = None
    """The organisation's name and logo on every report."""


def _access(principal: Principal, started: Any, _session_id: str, write: bool) -> bool:
    """Who may read or change a session: the local user every one; others their own, and a
    coordinator reads all."""
    if principal.local or started.advisor == principal.name:
        return True
    return principal.role == "coordinator" and not write


def _access_of(config: ServerConfig) -> Callable[[Principal, Any, str, bool], bool]:
    """Server mode asks the user store (owner, shared with, coordinator reads); local: :func:`_access`."""
    users = config.users
    if config.mode != "server" or users is None:
        return _access

    def access(principal: Principal, started: Any, session_id: str, write: bool) -> bool:
        return users.may(principal, started, session_id, write)

    return access


@asynccontextmanager
async def _follow_store(app: FastAPI) -> AsyncIterator[None]:
    """While the app runs, a store with live changes (PostgreSQL) wakes the streams on every
    change anyone commits to it, not only on this server's own writes."""
    watch = getattr(app.state.config.store, "watch", None)
    watcher = watch(app.state.ctx.hub.notify) if callable(watch) else None
    app.state.watcher = watcher
    try:
        yield
    finally:
        if watcher is not None:
            watcher.stop()


def create_app(config: ServerConfig) -> FastAPI:
    """The HTTP API over ``config.store`` with ``config.program``."""
    if config.mode == "server" and config.users is None:
        raise ValueError("server mode needs a user store")
    app = FastAPI(
        title="asiakasarvo-engine",
        version=__version__,
        description=(
            "HTTP API of the customer-value analysis engine: the program, sessions (interview, live "
            "view, scores, reports) and live updates. Writes carry If-Match with the session's last "
            "sequence number; errors are application/problem+json (RFC 9457) with the engine's codes."
        ),
        docs_url="/docs",
        redoc_url=None,
        lifespan=_follow_store,
    )
    service = SessionService(config.program, config.store, clock=config.clock, access=_access_of(config))
    hub = Hub()
    service.on_write = hub.notify
    auth = Auth(config.mode, users=config.users, secure_cookies=config.secure_cookies)
    app.state.ctx = Context(service, auth, hub, LoginLimiter(), config.branding)
    app.state.config = config
    app.include_router(api_router)
    app.include_router(sharing_router)
    app.include_router(_account)
    app.include_router(_pages)
    app.include_router(workbench_router)
    app.include_router(workbench_static)
    _handlers(app)
    app.add_middleware(BodyGuard, max_bytes=config.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


# ---------------------------------------------------------------------------- errors


def _problem_response(request: Request, problem: Problem) -> JSONResponse:
    lang = language(request.headers.get("accept-language"))
    headers = {"Content-Language": lang, **problem.headers}
    return JSONResponse(
        problem.body(lang, request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _validation_diagnostics(errors: list[Any]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for error in errors[:50]:
        loc = [str(part) for part in error.get("loc", ())]
        where, rest = (loc[0], loc[1:]) if loc else ("body", [])
        kind = str(error.get("type", ""))
        if where in {"path", "query", "header", "cookie"}:
            pointer = f"{where}:{'.'.join(rest)}"
        else:
            pointer = jp.join("", *rest) if rest else ""
        if kind == "extra_forbidden":
            found.append(make("SCH-002", pointer=pointer, found=rest[-1] if rest else ""))
        elif kind == "missing":
            parent = jp.join("", *rest[:-1]) if where == "body" and rest else pointer
            found.append(make("SCH-003", pointer=parent, expected=rest[-1] if rest else where))
        else:
            value = error.get("input")
            text = repr(value)[:60] if not isinstance(value, dict | list) else type(value).__name__
            message = str(error.get("msg", "invalid"))
            found.append(
                make("SCH-001", pointer=pointer, found=text, expected=message[:1].lower() + message[1:])
            )
    return found


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        return _problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        diagnostics = _validation_diagnostics(list(exc.errors()))
        code = diagnostics[0].code if diagnostics else "SCH-001"
        first = diagnostics[0] if diagnostics else None
        detail = {"en": first.message("en"), "fi": first.message("fi")} if first else None
        return _problem_response(request, Problem(422, code, diagnostics=diagnostics, detail=detail))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 405:
            allow = (exc.headers or {}).get("Allow", "")
            return _problem_response(
                request,
                coded(
                    405,
                    "HTTP-006",
                    found=request.method,
                    expected=allow or "?",
                    headers={"Allow": allow} if allow else None,
                ),
            )
        if exc.status_code == 404:
            return _problem_response(request, coded(404, "HTTP-005", found=request.url.path[:200]))
        return _problem_response(request, coded(exc.status_code, "HTTP-011", found=str(exc.detail)[:200]))

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        incident = secrets.token_hex(6)
        log.error("incident %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
        return _problem_response(request, coded(500, "HTTP-012", found=incident))


# ---------------------------------------------------------------------------- sign-in

_account = APIRouter(prefix="/api/v1", tags=["account"])


def _set_session_cookie(response: Response, auth: Auth, sid: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, sid, httponly=True, samesite="strict", secure=auth.secure_cookies, path="/"
    )


@_account.get("/me", response_model=m.MeOut)
def me(ctx: Ctx, principal: Who, request: Request) -> m.MeOut:
    """Who the request is signed in as, and the CSRF token its cookie writes must send."""
    sid = request.state.cookie_session
    return m.MeOut(
        user=principal.name,
        role=principal.role,
        mode="local" if principal.local else "server",
        csrf_token=ctx.auth.csrf_token(sid) if sid else None,
    )


class LoginIn(m._Request):
    """Server mode's sign-in."""

    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


@_account.post(
    "/login",
    status_code=204,
    responses={401: {"description": "AUTH-004"}, 429: {"description": "AUTH-005 (Retry-After)"}},
)
def login(ctx: Ctx, body: LoginIn, request: Request) -> Response:
    """Server mode: sign in with a name and password; sets the session cookie (HttpOnly,
    SameSite=Strict, Secure behind TLS). Failures are counted per name and per client address."""
    users = ctx.auth.users
    if ctx.auth.mode != "server" or not isinstance(users, UserStore):
        raise coded(404, "HTTP-005", found=request.url.path)
    client = request.client.host if request.client else "?"
    keys = (f"name:{body.name.casefold()}", f"addr:{client}")
    ctx.limiter.check(*keys)
    principal = users.verify(body.name, body.password)
    if principal is None:
        ctx.limiter.failed(*keys)
        raise coded(401, "AUTH-004")
    ctx.limiter.succeeded(keys[0])
    response = Response(status_code=204)
    _set_session_cookie(response, ctx.auth, ctx.auth.open_session(principal))
    return response


@_account.post("/logout", status_code=204)
def logout(ctx: Ctx, _principal: Writer, request: Request) -> Response:
    """End the cookie session."""
    sid = request.state.cookie_session
    if sid:
        ctx.auth.close_session(sid)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---------------------------------------------------------------------------- the front page

_pages = APIRouter(include_in_schema=False)


@_pages.get("/")
def front(ctx: Ctx, request: Request, token: str | None = None) -> Response:
    """The page the printed URL opens: spends the one-time token for a session cookie and
    opens the workbench."""
    if token is not None:
        sid = ctx.auth.exchange(token[:200])
        if sid is None:
            raise coded(401, "AUTH-002", found="one-time token (wrong, or already used)")
        response = RedirectResponse("/wb/", status_code=303)
        _set_session_cookie(response, ctx.auth, sid)
        return response
    return RedirectResponse("/wb/", status_code=303)

