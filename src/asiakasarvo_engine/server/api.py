"""The resources of ``/api/v1``: the program, sessions and what an advisor does in one.

Every write names the session's last sequence number in ``If-Match`` and answers with the
new one in ``ETag``; reads give the current one in ``ETag`` too.
"""

from __future__ import annotations

import asyncio
import getpass
import json
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from asiakasarvo_engine.errors import ConflictError, LoadError, SessionNotFoundError
from asiakasarvo_engine.report import render_docx, render_html, render_markdown
from asiakasarvo_engine.report.session_report import session_report
from asiakasarvo_engine.scoring.result import Result
from asiakasarvo_engine.server import models as m
from asiakasarvo_engine.server.deps import Context, Ctx, Expected, Lang, Who, Writer
from asiakasarvo_engine.server.problems import Problem, coded
from asiakasarvo_engine.server.service import (
    Principal,
    SessionBusy,
    changes_out,
    etag,
    events_since,
    interview_problem,
    level_out,
    live_out,
    position_out,
    state_out,
    view_out,
)
from asiakasarvo_engine.session.events import event_to_json
from asiakasarvo_engine.session.export import export_session, export_text, import_session, read_export
from asiakasarvo_engine.session.interview import Interview, InterviewError, UnknownTargetError

router = APIRouter(prefix="/api/v1")
T = TypeVar("T")

SessionId = Annotated[
    str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$", description="The session's id.")
]
ItemId = Annotated[
    str,
    Path(
        min_length=3,
        max_length=130,
        pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
        description="An item: section.item",
    ),
]
SectionId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
STREAM_KEEPALIVE_SECONDS = 15.0
STREAM_POLL_SECONDS = 2.0
"""A stream also looks at the store this often, for writes made by other processes."""

_MEDIA = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _seq_of(interview: Interview) -> int:
    return interview.events[-1].seq


# ---------------------------------------------------------------------------- the program


@router.get("/program", response_model=m.ProgramOut, tags=["program"])
def get_program(ctx: Ctx, _who: Who) -> m.ProgramOut:
    """The bank and rules this server scores with: ids, versions, content hashes, levels, sections."""
    program = ctx.service.program
    parts = program.parts
    scored = {section.id for section in program.sections}
    sections = [
        m.SectionInfo(
            id=body.id, title=dict(body.title), scored=body.id in scored, agenda_minutes=body.agenda_minutes
        )
        for body in program.bank.loaded.bank.bodies()
    ]
    levels = list(parts.levels)
    return m.ProgramOut(bank=parts.bank, rules=parts.rules, levels=levels, sections=sections)


@router.get("/program/bank", tags=["program"], response_model=dict[str, Any])
def get_bank(ctx: Ctx, _who: Who) -> Response:
    """The question bank (``schemas/question-bank.schema.json``): sections, items, texts, choices, scales."""
    data = ctx.service.program.bank.loaded.bank.model_dump(mode="json", exclude_none=True)
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


# ---------------------------------------------------------------------------- sessions


@router.get("/sessions", response_model=list[m.SessionSummaryOut], tags=["sessions"])
def list_sessions(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx,
    principal: Who,
    company: Annotated[str | None, Query(max_length=200, description="Part of the name")] = None,
    advisor: Annotated[str | None, Query(max_length=200)] = None,
    business_id: Annotated[str | None, Query(max_length=20)] = None,
    finished: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[m.SessionSummaryOut]:
    """The sessions the caller may read, newest first, filtered."""
    found = []
    needle = company.casefold() if company else None
    for s in ctx.service.summaries(principal):
        if needle and needle not in (s.company or "").casefold():
            continue
        if advisor is not None and s.advisor != advisor:
            continue
        if business_id is not None and s.business_id != business_id:
            continue
        if finished is not None and s.finished != finished:
            continue
        found.append(
            m.SessionSummaryOut(
                id=s.id,
                company=s.company,
                business_id=s.business_id,
                advisor=s.advisor,
                started=s.started,
                events=s.events,
                finished=s.finished,
            )
        )
        if len(found) >= limit:
            break
    return found


@router.post("/sessions", status_code=201, response_model=m.SessionStateOut, tags=["sessions"])
def create_session(
    ctx: Ctx, principal: Writer, body: m.SessionCreate, response: Response
) -> m.SessionStateOut:
    """Start a session pinned to the server's bank and rules."""
    if principal.local:
        advisor = body.advisor or _os_user()
    else:
        if body.advisor is not None and body.advisor != principal.name:
            raise coded(
                403,
                "AUTH-006",
                found=principal.role,
                expected="no advisor field: the signed-in user is the advisor",
            )
        advisor = principal.name
    interview = ctx.service.start(principal, body, advisor)
    state = state_out(interview)
    response.headers["ETag"] = etag(state.seq)
    response.headers["Location"] = f"/api/v1/sessions/{state.id}"
    return state


def _os_user() -> str:
    try:
        return getpass.getuser() or "advisor"
    except (OSError, KeyError):
        return "advisor"


@router.post(
    "/sessions/import",
    status_code=201,
    response_model=m.SessionStateOut,
    tags=["sessions"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "description": "A session export (schemas/session.schema.json).",
                    }
                }
            },
        }
    },
)
async def import_session_route(
    ctx: Ctx,
    principal: Writer,
    request: Request,
    response: Response,
    new_id: Annotated[str | None, Query(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")] = None,
) -> m.SessionStateOut:
    """Recreate an exported session (checked as ``asiakasarvo sessions import`` checks it)."""
    text = (await request.body()).decode("utf-8")
    return await run_in_threadpool(_import, ctx, principal, text, new_id, response)


def _import(ctx: Any, principal: Any, text: str, new_id: str | None, response: Response) -> m.SessionStateOut:
    try:
        export = read_export(text, "request body")
    except LoadError as exc:
        raise _load_problem(exc) from None
    started = export.events[0]
    if not principal.local and (
        getattr(started, "advisor", None) != principal.name or principal.role != "advisor"
    ):
        raise coded(403, "AUTH-006", found=principal.role, expected="the advisor the session names")
    try:
        sid = import_session(ctx.service.store, export, new_id=new_id)
    except ConflictError:
        raise coded(409, "HTTP-011", found=f"a session {new_id or export.id!r} exists already") from None
    except LoadError as exc:
        raise _load_problem(exc) from None
    ctx.service.imported(sid)
    state: m.SessionStateOut = ctx.service.read(sid, principal, state_out)
    response.headers["ETag"] = etag(state.seq)
    response.headers["Location"] = f"/api/v1/sessions/{sid}"
    return state


def _load_problem(exc: LoadError) -> Problem:
    """A refused input (an export, a register record) as 422 with its diagnostics."""
    first = exc.diagnostics[0] if exc.diagnostics else None
    return Problem(422, first.code if first else "SCH-001", diagnostics=exc.diagnostics,
                   detail={"en": str(exc), "fi": first.message("fi") if first else str(exc)})


@router.get("/sessions/{session_id}", response_model=m.SessionStateOut, tags=["sessions"])
def get_session(ctx: Ctx, principal: Who, session_id: SessionId, response: Response) -> m.SessionStateOut:
    """A session's state; its ``seq`` (and ETag) is what the next write names in If-Match."""
    state: m.SessionStateOut = ctx.service.read(session_id, principal, state_out)
    response.headers["ETag"] = etag(state.seq)
    return state


@router.delete("/sessions/{session_id}", status_code=204, tags=["sessions"])
def delete_session(ctx: Ctx, principal: Writer, session_id: SessionId, expected: Expected) -> Response:
    """Erase every trace of a session (GDPR)."""
    ctx.service.delete(session_id, principal, expected)
    return Response(status_code=204)


@router.get("/sessions/{session_id}/events", response_model=m.EventsOut, tags=["sessions"])
def get_events(
    ctx: Ctx,
    principal: Who,
    session_id: SessionId,
    response: Response,
    since: Annotated[int, Query(ge=0, description="Events after this seq")] = 0,
) -> m.EventsOut:
    """The log's events after ``since``."""
    out: m.EventsOut = ctx.service.read(
        session_id, principal, lambda iv: m.EventsOut(seq=_seq_of(iv), events=events_since(iv, since))
    )
    response.headers["ETag"] = etag(out.seq)
    return out


@router.get("/sessions/{session_id}/export", tags=["sessions"], response_model=dict[str, Any])
def get_export(ctx: Ctx, principal: Who, session_id: SessionId) -> Response:
    """The whole session as JSON (``schemas/session.schema.json``), for import elsewhere."""
    ctx.service.read(session_id, principal, _seq_of)  # the access check
    try:
        export = export_session(ctx.service.store, session_id)
    except SessionNotFoundError:
        raise coded(404, "HTTP-010", found=session_id) from None
    return Response(
        export_text(export),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{session_id}.session.json"'},
    )


# ---------------------------------------------------------------------------- reading a session


@router.get("/sessions/{session_id}/live", response_model=m.LiveOut, tags=["live"])
def get_live(ctx: Ctx, principal: Who, session_id: SessionId, response: Response) -> m.LiveOut:
    """Progress, visible and required items, live section scores and the agenda clock."""
    live: m.LiveOut = ctx.service.read(session_id, principal, live_out)
    response.headers["ETag"] = etag(live.seq)
    return live


@router.get("/sessions/{session_id}/score", response_model=Result, tags=["live"])
def get_score(ctx: Ctx, principal: Who, session_id: SessionId) -> Response:
    """The Result of the answers so far (``schemas/result.schema.json``); writes nothing."""
    seq, result = ctx.service.read(session_id, principal, lambda iv: (_seq_of(iv), iv.result()))
    return Response(result.to_json(), media_type="application/json", headers={"ETag": etag(seq)})


@router.get("/sessions/{session_id}/explain", response_model=m.ExplainOut, tags=["live"])
def get_explain(
    ctx: Ctx,
    principal: Who,
    session_id: SessionId,
    section: Annotated[str | None, Query(max_length=64)] = None,
) -> m.ExplainOut:
    """How every score came about (items with their scale points and weights, sections with
    their gates), and why each recommendation fired and ranks where it does."""
    seq, result = ctx.service.read(session_id, principal, lambda iv: (_seq_of(iv), iv.result()))
    if section is not None and section not in result.sections:
        raise interview_problem(
            UnknownTargetError(
                f"{section!r} is not a section; expected one of {', '.join(result.sections)}",
                found=section,
                found_fi=section,
                expected=", ".join(result.sections),
                expected_fi=", ".join(result.sections),
            )
        )
    sections = {k: v for k, v in result.sections.items() if section is None or k == section}
    items = {k: v for k, v in result.items.items() if section is None or v.section == section}
    fired = result.recommendations.items if result.recommendations is not None else []
    recommendations = [r for r in fired if section is None or r.section == section]
    return m.ExplainOut(
        seq=seq, overall=result.overall, sections=sections, items=items, recommendations=recommendations
    )


@router.get(
    "/sessions/{session_id}/report",
    tags=["reports"],
    responses={200: {"content": {media: {} for media in _MEDIA.values()}, "description": "The report"}},
)
def get_report(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx,
    principal: Who,
    session_id: SessionId,
    request_lang: Lang,
    format: Annotated[Literal["html", "md", "docx", "pdf"], Query()] = "html",
    lang: Annotated[Literal["fi", "en"] | None, Query(description="Default: Accept-Language")] = None,
    advisor_appendix: Annotated[bool, Query(
        description="Add the advisor's appendix: priorities, notes, all answers")] = False,
    final: Annotated[bool, Query(description="The final version: no draft mark on the pages")] = False,
) -> Response:
    """The written analysis as HTML (standalone, prints on A4), Markdown, DOCX or PDF (A4): the
    client version with the advisor's edits of the written analysis applied."""
    chosen = lang or request_lang
    seq, report = ctx.service.read(session_id, principal, lambda iv: (
        _seq_of(iv), session_report(iv, lang=chosen, advisor_appendix=advisor_appendix, final=final,
                                     branding=ctx.branding)))
    headers = {"ETag": etag(seq)}
    if format == "docx":
        headers["Content-Disposition"] = f'attachment; filename="{session_id}.{report.lang}.docx"'
        return Response(render_docx(report), media_type=_MEDIA["docx"], headers=headers)
    if format == "pdf":
        from asiakasarvo_engine.report.render_pdf import render_pdf  # WeasyPrint loads only when asked

        headers["Content-Disposition"] = f'attachment; filename="{session_id}.{report.lang}.pdf"'
        return Response(render_pdf(report), media_type=_MEDIA["pdf"], headers=headers)
    if format == "md":
        return Response(render_markdown(report), media_type=_MEDIA["md"], headers=headers)
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return Response(render_html(report), media_type=_MEDIA["html"], headers=headers)


# ---------------------------------------------------------------------------- writing


async def _write(
    ctx: Context, session_id: str, principal: Principal, expected: int, change: Callable[[Interview], T]
) -> tuple[T, Interview]:
    """A write on the event loop when the session is free: an answer is a short commit, and a
    hop to a worker thread and back would cost more than it; behind another request on the
    same session it waits in a worker thread, so the loop never waits for a session's lock."""
    try:
        return ctx.service.write(session_id, principal, expected, change, wait=False)
    except SessionBusy:
        return await run_in_threadpool(ctx.service.write, session_id, principal, expected, change)


def _wrote(response: Response, seq: int) -> None:
    response.headers["ETag"] = etag(seq)


@router.put("/sessions/{session_id}/answers/{item}", response_model=m.AnswerOutcomeOut, tags=["answers"])
async def put_answer(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx,
    principal: Writer,
    session_id: SessionId,
    item: ItemId,
    body: m.AnswerIn,
    expected: Expected,
) -> Response:
    """Answer an item (or mark it dont_know, not_applicable, skipped). A value the answers
    loader would refuse is 422 with its ANS-* diagnostics, and nothing is stored."""
    outcome, interview = await _write(
        ctx,
        session_id,
        principal,
        expected,
        lambda iv: iv.answer(item, body.value, body.status, body.note, views_differ=body.views_differ),
    )
    if outcome.problems:
        first = outcome.problems[0]
        raise Problem(
            404 if first.code == "ANS-001" else 422,
            first.code,
            diagnostics=outcome.problems,
            headers={"ETag": etag(_seq_of(interview))},
            detail={"en": first.message("en"), "fi": first.message("fi")},
        )
    seq = outcome.seq if outcome.seq is not None else _seq_of(interview)
    out = m.AnswerOutcomeOut(
        item=item,
        seq=seq,
        written=outcome.seq is not None,
        warnings=[_diag(d, "en") for d in outcome.warnings],
        changes=changes_out(outcome.changes),
    )
    return _json(out, seq)


def _json(out: BaseModel, seq: int, status: int = 200) -> Response:
    """``out`` as the response with the session's ETag (serialized once, not validated again)."""
    return Response(
        out.model_dump_json(), status_code=status, media_type="application/json", headers={"ETag": etag(seq)}
    )


def _diag(diag: Any, lang: str) -> m.DiagnosticOut:
    data = diag.to_dict()
    data["text"] = diag.message(lang)
    return m.DiagnosticOut(**data)


@router.delete("/sessions/{session_id}/answers/{item}", response_model=m.AnswerOutcomeOut, tags=["answers"])
def clear_answer(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx, principal: Writer, session_id: SessionId, item: ItemId, expected: Expected, response: Response
) -> m.AnswerOutcomeOut:
    """Remove an item's answer (nothing is written when it has none)."""
    outcome, interview = ctx.service.write(session_id, principal, expected, lambda iv: iv.clear(item))
    if outcome.problems:
        first = outcome.problems[0]
        raise Problem(
            404,
            first.code,
            diagnostics=outcome.problems,
            detail={"en": first.message("en"), "fi": first.message("fi")},
        )
    seq = outcome.seq if outcome.seq is not None else _seq_of(interview)
    _wrote(response, seq)
    return m.AnswerOutcomeOut(
        item=item, seq=seq, written=outcome.seq is not None, warnings=[], changes=changes_out(outcome.changes)
    )


@router.post("/sessions/{session_id}/notes", status_code=201, response_model=m.NoteWritten, tags=["answers"])
def post_note(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx, principal: Writer, session_id: SessionId, body: m.NoteIn, expected: Expected, response: Response
) -> m.NoteWritten:
    """A note on an item, a section or the whole session."""
    note, _ = ctx.service.write(session_id, principal, expected, lambda iv: iv.note(body.text, body.target))
    _wrote(response, note.seq)
    return m.NoteWritten(
        seq=note.seq,
        note=m.NoteOut(seq=note.seq, target=note.target, text=note.text, author=note.author, time=note.time),
    )


@router.put("/sessions/{session_id}/overrides/{section}", response_model=m.OverrideWritten, tags=["answers"])
def put_override(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx,
    principal: Writer,
    session_id: SessionId,
    section: SectionId,
    body: m.OverrideIn,
    expected: Expected,
    response: Response,
) -> m.OverrideWritten:
    """Set a scored section's level by judgement (``level`` null removes an override)."""
    level, interview = ctx.service.write(
        session_id, principal, expected, lambda iv: iv.override(section, body.level, body.justification)
    )
    seq = _seq_of(interview)
    _wrote(response, seq)
    return m.OverrideWritten(seq=seq, level=level_out(level))


def _analysis(interview: Interview) -> tuple[list[m.AnalysisEditOut], list[str]]:
    written = interview.written
    recs = interview.result().recommendations
    fired = [rec.id for rec in recs.items] if recs is not None else []
    edits = [m.AnalysisEditOut(path=e.path, value=e.value, seq=e.seq, author=e.author, time=e.time)
             for e in written.edits.values()]
    return sorted(edits, key=lambda e: e.path), [e.path for e in written.stale(fired)]


@router.get("/sessions/{session_id}/analysis", response_model=m.AnalysisOut, tags=["reports"])
def get_analysis(ctx: Ctx, principal: Who, session_id: SessionId, response: Response) -> m.AnalysisOut:
    """The advisor's edits of the written analysis in force (summary, the client's
    recommendations and their texts, the development plan), by path."""
    seq, (edits, stale) = ctx.service.read(session_id, principal, lambda iv: (_seq_of(iv), _analysis(iv)))
    _wrote(response, seq)
    return m.AnalysisOut(seq=seq, edits=edits, stale=stale)


@router.put("/sessions/{session_id}/analysis", response_model=m.AnalysisEditWritten, tags=["reports"])
def put_analysis(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx,
    principal: Writer,
    session_id: SessionId,
    body: m.AnalysisEditIn,
    expected: Expected,
    response: Response,
) -> m.AnalysisEditWritten:
    """Set one field of the written analysis; every report made later carries it. Allowed
    after finishing too. A path or value the rules refuse is 422 SES-010 at ``/path`` or
    ``/value``, and nothing is written."""
    edit, interview = ctx.service.write(
        session_id, principal, expected, lambda iv: iv.edit(body.path, body.value)
    )
    seq = _seq_of(interview)
    _wrote(response, seq)
    edits, stale = _analysis(interview)
    current = next((e for e in edits if e.path == edit.path), None)
    return m.AnalysisEditWritten(seq=seq, edit=current, stale=stale)


@router.post("/sessions/{session_id}/prefill", response_model=m.PrefillOut, tags=["answers"])
async def post_prefill(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx,
    principal: Writer,
    session_id: SessionId,
    request_lang: Lang,
    expected: Expected,
    request: Request,
    response: Response,
) -> m.PrefillOut:
    """Prefill the company's basics from a saved business-register record (the PRH/YTJ v3
    company JSON as the body): answered as ``register`` with the record's date, never over
    an answer already given. A malformed record, or one of another business id than the
    session's, is 422 with its REG code at the body's JSON pointer, and nothing is written."""
    from asiakasarvo_engine.prefill.record import parse_record
    from asiakasarvo_engine.prefill.write import prefill_session

    text = (await request.body()).decode("utf-8", errors="replace")
    try:
        record = parse_record(text, "request body")
        summary, interview = await run_in_threadpool(
            ctx.service.write, session_id, principal, expected, lambda iv: prefill_session(iv, record))
    except LoadError as exc:
        raise _load_problem(exc) from None
    seq = _seq_of(interview)
    _wrote(response, seq)
    return m.PrefillOut(seq=seq, written=summary.written, kept=list(summary.kept),
                        warnings=[_diag(d, request_lang) for d in summary.warnings])


@router.put("/sessions/{session_id}/position", response_model=m.PositionWritten, tags=["answers"])
def put_position(  # noqa: PLR0917 - FastAPI injects by name
    ctx: Ctx, principal: Writer, session_id: SessionId, body: m.GoToIn, expected: Expected, response: Response
) -> m.PositionWritten:
    """Go to a section or an item (writes section left/entered when the section changes)."""
    position, interview = ctx.service.write(session_id, principal, expected, lambda iv: iv.go_to(body.target))
    seq = _seq_of(interview)
    _wrote(response, seq)
    return m.PositionWritten(seq=seq, position=position_out(position))


@router.post("/sessions/{session_id}/undo", response_model=m.UndoOut, tags=["answers"])
def post_undo(
    ctx: Ctx, principal: Writer, session_id: SessionId, expected: Expected, response: Response
) -> m.UndoOut:
    """Take back the latest answer, clearing, note or override."""
    undone, _ = ctx.service.write(session_id, principal, expected, lambda iv: iv.undo())
    _wrote(response, undone.seq)
    return m.UndoOut(seq=undone.seq, target=undone.target, changes=changes_out(undone.changes))


@router.post("/sessions/{session_id}/finish", response_model=m.FinishOut, tags=["answers"])
def post_finish(
    ctx: Ctx, principal: Writer, session_id: SessionId, expected: Expected, response: Response
) -> m.FinishOut:
    """Close the session: the Result, with the advisor's overrides beside the computed levels."""
    finish, _ = ctx.service.write(session_id, principal, expected, lambda iv: iv.finish())
    _wrote(response, finish.seq)
    return m.FinishOut(
        seq=finish.seq,
        result=finish.result,
        levels={k: level_out(v) for k, v in finish.levels.items()},
        required_left=list(finish.required_left),
    )


@router.post("/sessions/{session_id}/reopen", response_model=m.SeqOut, tags=["answers"])
def post_reopen(
    ctx: Ctx, principal: Writer, session_id: SessionId, expected: Expected, response: Response
) -> m.SeqOut:
    """Open a finished session again."""
    _, interview = ctx.service.write(session_id, principal, expected, lambda iv: iv.reopen())
    seq = _seq_of(interview)
    _wrote(response, seq)
    return m.SeqOut(seq=seq)


# ---------------------------------------------------------------------------- live updates


@router.get(
    "/sessions/{session_id}/stream",
    tags=["live"],
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-sent events: one per log event (id = seq)",
        }
    },
)
async def stream(
    ctx: Ctx,
    principal: Who,
    request: Request,
    session_id: SessionId,
    since: Annotated[int | None, Query(ge=0, description="Default: Last-Event-ID, else now")] = None,
) -> StreamingResponse:
    """Every new event of the session as it is written (``id`` is its seq, ``event`` its type,
    ``data`` the event as JSON); ``event: deleted`` when the session is erased."""
    service = ctx.service
    now = await run_in_threadpool(service.read, session_id, principal, _seq_of)
    last_id = request.headers.get("last-event-id", "")
    start = since if since is not None else (int(last_id) if last_id.isdigit() else now)

    async def events() -> AsyncIterator[str]:
        sub = ctx.hub.subscribe(session_id)
        last = start
        try:
            yield f"retry: 1000\nevent: hello\ndata: {json.dumps({'seq': now})}\n\n"
            idle = 0.0
            while True:
                try:
                    log = await run_in_threadpool(service.store.events, session_id)
                except SessionNotFoundError:
                    yield f"event: deleted\ndata: {json.dumps({'id': session_id})}\n\n"
                    return
                for event in log:
                    if event.seq > last:
                        yield f"id: {event.seq}\nevent: {event.type}\ndata: {event_to_json(event)}\n\n"
                        last = event.seq
                woke = await sub.wait(STREAM_POLL_SECONDS)
                idle = 0.0 if woke else idle + STREAM_POLL_SECONDS
                if idle >= STREAM_KEEPALIVE_SECONDS:
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


__all__ = ["InterviewError", "router", "view_out"]
