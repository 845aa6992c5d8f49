"""What every route needs: the server's context, who is asking, the expected sequence number.

The dependencies are ``async`` although they only look at memory: FastAPI runs a plain
function dependency in its thread pool, a thread hop per dependency per request."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from asiakasarvo_engine.report.branding import Branding
from asiakasarvo_engine.server.auth import CSRF_HEADER, SESSION_COOKIE, Auth, LoginLimiter
from asiakasarvo_engine.server.hub import Hub
from asiakasarvo_engine.server.problems import coded, language
from asiakasarvo_engine.server.service import Principal, SessionService

_SEQ = re.compile(r'^\s*"?(\d{1,12})"?\s*$')


@dataclass(frozen=True, slots=True)
class Context:
    """The parts of one running server."""

    service: SessionService
    auth: Auth
    hub: Hub
    limiter: LoginLimiter
    branding: Branding | None = None
    """The organisation's name and logo on every report (``serve --branding``)."""


def context(request: Request) -> Context:
    """The server's context."""
    ctx: Context = request.app.state.ctx
    return ctx


async def _context(request: Request) -> Context:
    return context(request)


async def lang(request: Request) -> str:
    """The request's language: ``fi`` or ``en`` from Accept-Language (default fi)."""
    return language(request.headers.get("accept-language"))


async def who(request: Request) -> Principal:
    """The signed-in principal (401 otherwise)."""
    ctx = context(request)
    principal, sid = ctx.auth.principal(
        request.cookies.get(SESSION_COOKIE), request.headers.get("authorization")
    )
    request.state.cookie_session = sid
    return principal


async def writer(request: Request, principal: Annotated[Principal, Depends(who)]) -> Principal:
    """The principal of a write: a cookie-authenticated one must send its CSRF token."""
    context(request).auth.check_csrf(request.state.cookie_session, request.headers.get(CSRF_HEADER))
    return principal


async def expected_seq(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='The session\'s last sequence number as its ETag gave it, e.g. "12".',
        ),
    ] = None,
) -> int:
    """The sequence number a write expects (428 when missing, 400 when malformed)."""
    if if_match is None:
        raise coded(428, "HTTP-007", expected='If-Match: "SEQ" (the ETag of the session state)')
    match = _SEQ.match(if_match)
    if match is None:
        raise coded(400, "HTTP-008", found=if_match[:40], expected='a quoted number such as "12"')
    return int(match.group(1))


Who = Annotated[Principal, Depends(who)]
Writer = Annotated[Principal, Depends(writer)]
Expected = Annotated[int, Depends(expected_seq)]
Ctx = Annotated[Context, Depends(_context)]
Lang = Annotated[str, Depends(lang)]
