"""The live picture of the whole meeting, and finishing it.

Every section with its score, computed level, the advisor's override and its reason,
coverage and the required questions still open; the agenda clock with its warnings and a
break; the finish (after the list of what is still missing) and the reopen.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from asiakasarvo_engine.server import models as m
from asiakasarvo_engine.server.deps import Ctx, Expected, Writer
from asiakasarvo_engine.server.problems import Problem
from asiakasarvo_engine.server.service import etag
from asiakasarvo_engine.server.workbench.routes import (
    redirect,
    refusal,
    session_page,
)
from asiakasarvo_engine.server.workbench.texts import localized
from asiakasarvo_engine.server.workbench.views import homework
from asiakasarvo_engine.session.interview import Interview

router = APIRouter(include_in_schema=False)
"""Included in the workbench's router (under ``/wb``)."""


def _values(interview: Interview, lang: str) -> dict[str, Any]:
    overview = interview.overview()
    agenda = interview.agenda()
    overrides = interview.overrides
    live = interview.live
    items = interview.program.bank.items
    missing: dict[str, list[tuple[str, str]]] = {}
    for name, compiled in items.items():
        if name in live.open_required:
            missing.setdefault(compiled.section, []).append((name, localized(compiled.item.text, lang)))
    sections = []
    for s in overview.sections:
        override = overrides.get(s.section)
        sections.append({
            "id": s.section, "title": s.title, "scored": s.scored,
            "score": s.view.score if s.view else None, "level": s.view.level if s.view else None,
            "level_name": (s.view.level_name or "") if s.view else "",
            "completeness": s.view.completeness if s.view else None,
            "override": override.level if override else None,
            "justification": override.justification if override else "",
            "answered": s.answered, "visible": s.visible,
            "planned": s.planned_minutes, "spent": s.spent_minutes, "current": s.current,
            "over": s.planned_minutes > 0 and s.spent_minutes > s.planned_minutes,
            "missing": missing.get(s.section, []),
        })
    levels = [(info.level, localized(info.name, lang)) for info in interview.program.parts.levels]
    o = overview.overall
    return {
        "session_id": interview.session_id,
        "company": interview.started.company.name or interview.session_id,
        "business_id": interview.started.company.business_id,
        "finished": interview.finished,
        "sections": sections,
        "levels": levels,
        "overall": {"score": o.score, "level": o.level, "level_name": o.level_name or ""},
        "progress": overview.progress,
        "warnings": [w.message for w in agenda.warnings],
        "planned": agenda.planned_minutes,
        "spent": agenda.spent_minutes,
        "in_section": overview.position.section is not None,
        "missing_count": sum(len(v) for v in missing.values()),
        "seq": interview.events[-1].seq,
        "homework": homework(interview, lang),
    }


@router.get("/s/{session_id}/overview")
def overview_page(request: Request, session_id: str) -> Response:
    """Every section live, the agenda clock, overrides, finish and reopen."""
    return session_page(request, session_id, "overview.html", _values)


class OverrideForm(m._Request):
    """The advisor's level for a section, with the reason (an empty level takes it back)."""

    level: str = Field(default="", max_length=2)
    justification: str = Field(default="", max_length=5000)


def _write(  # noqa: PLR0917 - the route's parts and the change
    request: Request, ctx: Ctx, principal: Any, session_id: str, expected: int, change: Any
) -> Response:
    try:
        _, interview = ctx.service.write(session_id, principal, expected, change)
    except Problem as problem:
        return refusal(request, problem, session_id, None)
    response = redirect(f"/wb/s/{session_id}/overview")
    response.headers["ETag"] = etag(interview.events[-1].seq)
    return response


@router.post("/s/{session_id}/override/{section}")
def override(  # noqa: PLR0917 - FastAPI injects by name
    request: Request,
    ctx: Ctx,
    principal: Writer,
    session_id: str,
    section: str,
    expected: Expected,
    body: OverrideForm,
) -> Response:
    """Set or take back the advisor's level of a section (a reason is required to set one)."""
    level = int(body.level) if body.level.isdigit() else None
    return _write(request, ctx, principal, session_id, expected,
                  lambda iv: iv.override(section[:100], level, body.justification))


@router.post("/s/{session_id}/pause")
def pause(request: Request, ctx: Ctx, principal: Writer, session_id: str, expected: Expected) -> Response:
    """A break: the agenda clock stops until the meeting view moves again."""
    return _write(request, ctx, principal, session_id, expected, lambda iv: iv.pause())


@router.post("/s/{session_id}/finish")
def finish(request: Request, ctx: Ctx, principal: Writer, session_id: str, expected: Expected) -> Response:
    """Close the analysis (the list of missing required answers was shown before)."""
    return _write(request, ctx, principal, session_id, expected, lambda iv: iv.finish())


@router.post("/s/{session_id}/reopen")
def reopen(request: Request, ctx: Ctx, principal: Writer, session_id: str, expected: Expected) -> Response:
    """Open a finished analysis again."""
    return _write(request, ctx, principal, session_id, expected, lambda iv: iv.reopen())


