"""Server mode's session sharing over HTTP: the session's advisor lets other advisors in.

``GET /api/v1/sessions/{id}/shares`` lists who a session is shared with (anyone who may read
it); ``PUT`` and ``DELETE /api/v1/sessions/{id}/shares/{name}`` add and take back an advisor,
and only the session's own advisor may do either (``asiakasarvo users share`` does the same
from the server's shell). A local server has no users, so these routes answer 404 there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from asiakasarvo_engine.server.api import SessionId
from asiakasarvo_engine.server.deps import Ctx, Who, Writer
from asiakasarvo_engine.server.models import _Response
from asiakasarvo_engine.server.problems import coded
from asiakasarvo_engine.server.service import Principal
from asiakasarvo_engine.server.users import UserError, UserStore
from asiakasarvo_engine.session.events import Started
from asiakasarvo_engine.session.interview import Interview

router = APIRouter(prefix="/api/v1", tags=["sessions"])
UserName = Annotated[str, Path(min_length=1, max_length=64, description="An advisor's user name.")]


class SharesOut(_Response):
    """Who a session belongs to and which other advisors may read and change it."""

    id: str
    advisor: str
    shared_with: list[str]


def _users(ctx: Ctx, path: str) -> UserStore:
    users = ctx.auth.users
    if ctx.auth.mode != "server" or not isinstance(users, UserStore):
        raise coded(404, "HTTP-005", found=path)
    return users


def _started(ctx: Ctx, session_id: str, principal: Principal) -> Started:
    def started(interview: Interview) -> Started:
        return interview.started

    return ctx.service.read(session_id, principal, started)  # 404 unless the principal may read it


def _owner(started: Started, principal: Principal) -> None:
    if started.advisor != principal.name:
        raise coded(403, "AUTH-006", found=principal.role, expected="the session's own advisor")


def _out(users: UserStore, session_id: str, started: Started) -> SharesOut:
    return SharesOut(
        id=session_id, advisor=started.advisor, shared_with=users.shared_with(session_id, started.time)
    )


@router.get("/sessions/{session_id}/shares", response_model=SharesOut)
def get_shares(ctx: Ctx, principal: Who, session_id: SessionId) -> SharesOut:
    """The session's advisor and the advisors it is shared with."""
    users = _users(ctx, f"/api/v1/sessions/{session_id}/shares")
    return _out(users, session_id, _started(ctx, session_id, principal))


@router.put("/sessions/{session_id}/shares/{name}", response_model=SharesOut)
def put_share(ctx: Ctx, principal: Writer, session_id: SessionId, name: UserName) -> SharesOut:
    """Share the session with advisor ``name`` (only the session's own advisor may)."""
    users = _users(ctx, f"/api/v1/sessions/{session_id}/shares/{name}")
    started = _started(ctx, session_id, principal)
    _owner(started, principal)
    try:
        users.share(session_id, started.time, name)
    except UserError as exc:
        raise coded(422, "AUTH-007", pointer="path:name", found=exc.found, expected=exc.expected) from None
    return _out(users, session_id, started)


@router.delete("/sessions/{session_id}/shares/{name}", status_code=204)
def delete_share(ctx: Ctx, principal: Writer, session_id: SessionId, name: UserName) -> Response:
    """Stop sharing the session with ``name`` (only the session's own advisor may)."""
    users = _users(ctx, f"/api/v1/sessions/{session_id}/shares/{name}")
    started = _started(ctx, session_id, principal)
    _owner(started, principal)
    if not users.unshare(session_id, name):
        raise coded(404, "HTTP-005", found=f"a share of {session_id} with {name}")
    return Response(status_code=204)
