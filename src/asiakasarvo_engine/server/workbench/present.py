"""The client's screen: a second window that follows the advisor's meeting view.

The advisor's page says which item it shows (:mod:`.shown`); every write of the session and every
change of the shown item wakes the present window's event stream, which then fetches its
view again. The view holds the question, its choices and the live section scores, never
the advisor's notes, prompts or overrides.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, StreamingResponse

from asiakasarvo_engine.server.deps import context
from asiakasarvo_engine.server.problems import Problem
from asiakasarvo_engine.server.workbench import render
from asiakasarvo_engine.server.workbench.routes import page_lang, page_values, sign_in_page, signed_in
from asiakasarvo_engine.server.workbench.shown import shown
from asiakasarvo_engine.server.workbench.views import first_open, item_view, live_picture
from asiakasarvo_engine.session.interview import Interview

router = APIRouter(include_in_schema=False)
"""Included in the workbench's router (under ``/wb``)."""

KEEPALIVE_SECONDS = 15.0


def _values(request: Request, interview: Interview, lang: str) -> dict[str, Any]:
    item = shown(request).get(interview.session_id) or first_open(interview)
    live, overall = live_picture(interview)
    view = item_view(interview, item, lang) if item else None
    section = next(
        (s.title for s in interview.overview().sections if view is not None and s.section == view.section), ""
    )
    return {
        "session_id": interview.session_id,
        "company": interview.started.company.name or "",
        "item": view,
        "section_title": section,
        "live": live,
        "overall": overall,
    }


@router.get("/s/{session_id}/present")
def present(request: Request, session_id: str) -> Response:
    """The client's screen (open it on the shared display)."""
    lang = page_lang(request)
    principal, sid = signed_in(request)
    if principal is None:
        return sign_in_page(request, lang)
    try:
        values = context(request).service.read(
            session_id[:200], principal, lambda iv: _values(request, iv, lang)
        )
    except Problem as problem:
        return render.page("signin.html", page_values(request, lang, principal, sid) | {"mode": "missing"},
                           status=problem.status)
    return render.page("present.html", page_values(request, lang, principal, sid) | values)


@router.get("/s/{session_id}/present/view")
def present_view(request: Request, session_id: str) -> Response:
    """The client's screen's content, fetched again on every wake-up."""
    lang = page_lang(request)
    principal, _ = signed_in(request)
    if principal is None:
        return HTMLResponse("", status_code=401)
    values = context(request).service.read(session_id[:200], principal, lambda iv: _values(request, iv, lang))
    return render.fragment("present_view.html", {"lang": lang} | values)


@router.get("/s/{session_id}/present/stream")
async def present_stream(
    request: Request, session_id: str, poll: Annotated[float, Query(ge=0.05, le=5)] = 1.0
) -> Response:
    """``event: update`` whenever the session is written or the meeting view moves."""
    principal, _ = signed_in(request)
    if principal is None:
        return HTMLResponse("", status_code=401)
    ctx = context(request)
    await run_in_threadpool(ctx.service.read, session_id[:200], principal, lambda iv: None)

    async def events() -> AsyncIterator[str]:
        sub = ctx.hub.subscribe(session_id)
        idle = 0.0
        try:
            yield "retry: 1000\nevent: update\ndata: {}\n\n"
            while True:
                woke = await sub.wait(poll)
                if woke:
                    idle = 0.0
                    yield "event: update\ndata: {}\n\n"
                else:
                    idle += poll
                    if idle >= KEEPALIVE_SECONDS:
                        idle = 0.0
                        yield ": keep-alive\n\n"
                if await request.is_disconnected():
                    return
        except asyncio.CancelledError:
            return
        finally:
            ctx.hub.unsubscribe(sub)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
