"""The workbench's pages and fragments under ``/wb``: server-rendered HTML for htmx.

Pages (GET) never write. Every change goes through the same :class:`SessionService` as the
JSON API, with the session's sequence number as ``If-Match`` and the CSRF header that
``workbench.js`` adds, so a change from another tab is a 409 shown on the page, never lost
or overwritten. A save answers with a status fragment and the live picture swapped out of
band; moves (go to, undo, marks) answer with ``HX-Redirect`` to the item's page, so a reload
always shows what the log holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field

from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.bank.ytunnus import business_id_issue
from asiakasarvo_engine.server import models as m
from asiakasarvo_engine.server.auth import SESSION_COOKIE
from asiakasarvo_engine.server.deps import Ctx, Expected, Writer, context
from asiakasarvo_engine.server.problems import Problem, coded, language
from asiakasarvo_engine.server.service import Principal, etag
from asiakasarvo_engine.server.workbench import render
from asiakasarvo_engine.server.workbench.forms import FieldError, FieldValues, answer_value
from asiakasarvo_engine.server.workbench.shown import showing
from asiakasarvo_engine.server.workbench.views import (
    first_open,
    group_row,
    item_view,
    live_picture,
    navigation,
    neighbours,
    phase_of,
)
from asiakasarvo_engine.session.interview import Interview

router = APIRouter(prefix="/wb", include_in_schema=False)

LANG_COOKIE = "asiakasarvo_lang"
_FIELD_LIMIT = 2000
"""The most fields one answer form may send (a repeat group of 200 rows has fewer)."""
_NOTE_LIMIT = 20000
"""The most characters of a note (the forms' maxlength)."""
MARKS = ("dont_know", "not_applicable", "skipped")
"""The statuses the item's buttons mark (with the answer form's note) instead of an answer."""
_RECORD_LIMIT = 500_000
"""The most characters of a register record (a company's record is a few kilobytes)."""


def page_lang(request: Request) -> str:
    """The workbench's language: the visitor's choice (a cookie), else Accept-Language."""
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in ("fi", "en") else language(request.headers.get("accept-language"))


def signed_in(request: Request) -> tuple[Principal | None, str | None]:
    """Who the visitor is, or (None, None) when not signed in (pages show the sign-in)."""
    ctx = context(request)
    try:
        principal, sid = ctx.auth.principal(
            request.cookies.get(SESSION_COOKIE), request.headers.get("authorization")
        )
    except Problem:
        return None, None
    request.state.cookie_session = sid
    return principal, sid


def page_values(request: Request, lang: str, principal: Principal | None, sid: str | None) -> dict[str, Any]:
    """What every page's frame shows: language, user, CSRF token, its own address."""
    ctx = context(request)
    return {
        "lang": lang,
        "user": principal.name if principal is not None and not principal.local else "",
        "csrf": ctx.auth.csrf_token(sid) if sid else "",
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "seq": None,
    }


def sign_in_page(request: Request, lang: str) -> HTMLResponse:
    """The sign-in page (server mode) or the hint to open the printed URL (local mode)."""
    ctx = context(request)
    values = page_values(request, lang, None, None) | {"mode": ctx.auth.mode}
    return render.page("signin.html", values, status=401)


def redirect(url: str) -> Response:
    """Tell htmx to load ``url`` as a whole page (after a move or a mark)."""
    return Response(status_code=204, headers={"HX-Redirect": url})


def session_page(request: Request, session_id: str, template: str,
                 values: Callable[[Interview, str], dict[str, Any]]) -> Response:
    """A signed-in page of one session: ``values`` of its interview, in the page's language
    (the sign-in page when not signed in; "no such analysis" when it cannot be read)."""
    lang = page_lang(request)
    principal, sid = signed_in(request)
    if principal is None:
        return sign_in_page(request, lang)
    try:
        data = context(request).service.read(session_id[:200], principal, lambda iv: values(iv, lang))
    except Problem as problem:
        return render.page("signin.html", page_values(request, lang, principal, sid) | {"mode": "missing"},
                           status=problem.status)
    response = render.page(template, page_values(request, lang, principal, sid) | data)
    response.headers["ETag"] = etag(data["seq"])
    return response


def _item_url(session_id: str, item: str | None, back: str | None = None) -> str:
    """The meeting view at ``item``; ``back`` is where a jump came from (a "back" button returns)."""
    url = f"/wb/s/{quote(session_id, safe='')}"
    if not item:
        return url
    return f"{url}?item={quote(item)}" + (f"&back={quote(back)}" if back and back != item else "")


# ---------------------------------------------------------------------------- front page


def _started_text(started: str) -> str:
    try:
        moment = datetime.fromisoformat(started.replace("Z", "+00:00"))
    except ValueError:
        return started
    return f"{moment.day}.{moment.month}.{moment.year}"


def _rows(request: Request, principal: Principal, q: str) -> list[dict[str, Any]]:
    ctx = context(request)
    needle = q.strip().casefold()
    rows = []
    for summary in ctx.service.summaries(principal):
        company = (summary.company or "").casefold()
        if needle and needle not in company and needle not in summary.id.casefold():
            continue
        rows.append({
            "id": summary.id, "company": summary.company, "business_id": summary.business_id,
            "advisor": summary.advisor, "started": summary.started,
            "started_text": _started_text(summary.started), "finished": summary.finished,
        })
    return rows


@router.get("/")
def front(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The sessions, searchable by company name, and the form that starts a new one."""
    lang = page_lang(request)
    principal, sid = signed_in(request)
    if principal is None:
        return sign_in_page(request, lang)
    values = page_values(request, lang, principal, sid) | {"sessions": _rows(request, principal, q), "q": q,
                                                           "variants": _variants(request, lang)}
    return render.page("front.html", values)


def _variants(request: Request, lang: str) -> list[dict[str, Any]]:
    """The bank's agenda variants for the start form (the first is the default)."""
    from asiakasarvo_engine.session.agenda import planned_minutes

    bank = context(request).service.program.bank.loaded.bank
    variants = bank.agenda.variants if bank.agenda is not None else []
    return [{"id": v.id, "title": v.title.get(lang) or v.title.get("fi") or v.id,
             "minutes": planned_minutes(bank, v.id)} for v in variants]


@router.get("/sessions")
def session_rows(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The table rows that match ``q`` (the search box's fragment)."""
    lang = page_lang(request)
    principal, _ = signed_in(request)
    if principal is None:
        return render.fragment("rows.html", {"lang": lang, "sessions": [], "q": q}, status=401)
    return render.fragment("rows.html", {"lang": lang, "sessions": _rows(request, principal, q), "q": q})


@router.get("/progress/{session_id}")
def progress_cell(request: Request, session_id: str) -> Response:
    """A session's progress for its row (loaded when the row is shown)."""
    principal, _ = signed_in(request)
    if principal is None:
        return HTMLResponse("", status_code=401)
    ctx = context(request)
    try:
        progress = ctx.service.read(session_id[:200], principal, lambda iv: iv.progress())
    except Problem:
        return HTMLResponse("–")
    share = round(100 * progress.answered / progress.visible) if progress.visible else 0
    return HTMLResponse(render.escape(f"{progress.answered}/{progress.visible} ({share} %)"))


@router.get("/check/business-id")
def check_business_id(request: Request, business_id: Annotated[str, Query(max_length=40)] = "") -> Response:
    """The Y-tunnus hint as the advisor types: valid, or what is wrong with it."""
    lang = page_lang(request)
    t = render.translator(lang)
    text = business_id.strip()
    if not text:
        return HTMLResponse(render.escape(t("business_id_hint")))
    issue = business_id_issue(text)
    if issue is None:
        return HTMLResponse(f'<span class="ok">{render.escape(t("business_id_ok"))}</span>')
    message = issue.fi if lang == "fi" else issue.en
    return HTMLResponse(f'<span class="error">{render.escape(message)}</span>')


class StartIn(m._Request):
    """The start form."""

    company_name: str = Field(default="", max_length=200)
    business_id: str = Field(default="", max_length=40)
    variant: str | None = Field(default=None, max_length=64)


@router.post("/sessions")
def start(request: Request, ctx: Ctx, principal: Writer, body: StartIn) -> Response:
    """Start a session for the company; the meeting view opens."""
    lang = page_lang(request)
    t = render.translator(lang)
    name, business_id = body.company_name.strip(), body.business_id.strip()
    problems = []
    if not name:
        problems.append(t("name_required"))
    issue = business_id_issue(business_id) if business_id else None
    if issue is not None:
        problems.append(f"{t('business_id')}: {issue.fi if lang == 'fi' else issue.en}")
    if problems:
        return render.fragment("status.html", {"lang": lang, "problems": problems}, status=422)
    create = m.SessionCreate(
        company=m.CompanyIn(name=name, business_id=business_id or None), lang="fi" if lang == "fi" else "en",
        id=uuid.uuid4().hex, variant=body.variant or None,
    )
    advisor = principal.name if not principal.local else _local_advisor()
    try:
        interview = ctx.service.start(principal, create, advisor)
    except Problem as problem:
        problems = [f"{problem.code}: {problem.detail(lang)}"]
        return render.fragment("status.html", {"lang": lang, "problems": problems}, status=422)
    prefill = _start_answers(interview, name, business_id)
    if prefill:
        ctx.service.write(interview.session_id, principal, interview.events[-1].seq,
                          lambda iv: [iv.answer(item, value) for item, value in prefill.items()])
    return redirect(_item_url(interview.session_id, None))


class RecordIn(m._Request):
    """A saved business-register record (PRH/YTJ open data, v3 JSON) as its text."""

    record: str = Field(min_length=1, max_length=_RECORD_LIMIT)


@router.post("/sessions/record")
def start_from_record(request: Request, ctx: Ctx, principal: Writer, body: RecordIn) -> Response:
    """Start a session from a saved register record: the company's name and business id
    from it, and everything else it holds answered as ``register`` (its warnings, such as a
    liquidation, kept as the session's note); a bad record changes nothing."""
    from asiakasarvo_engine.errors import LoadError
    from asiakasarvo_engine.prefill.record import parse_record
    from asiakasarvo_engine.prefill.write import prefill_session

    lang = page_lang(request)
    t = render.translator(lang)
    try:
        record = parse_record(body.record, name=t("record_file"))
    except LoadError as exc:
        problems = [f"{d.code} {d.pointer}: {d.message(lang)}" for d in exc.diagnostics]
        return render.fragment("status.html", {"lang": lang, "problems": problems}, status=422)
    create = m.SessionCreate(
        company=m.CompanyIn(name=(record.name or record.business_id)[:200], business_id=record.business_id),
        lang="fi" if lang == "fi" else "en", id=uuid.uuid4().hex,
    )
    advisor = principal.name if not principal.local else _local_advisor()
    interview = ctx.service.start(principal, create, advisor)
    summary, written = ctx.service.write(interview.session_id, principal, interview.events[-1].seq,
                                         lambda iv: prefill_session(iv, record))
    if summary.warnings:
        text = f"{t('record_warnings')}: " + " ".join(d.message(lang) for d in summary.warnings)
        ctx.service.write(interview.session_id, principal, written.events[-1].seq,
                          lambda iv: iv.note(text[:_NOTE_LIMIT]))
    return redirect(_item_url(interview.session_id, None))


def _start_answers(interview: Interview, name: str, business_id: str) -> dict[str, str]:
    """What the start form already told: the company's name and business id, as the answers
    of the bank's ``company_name`` item and its first business-id item (so nobody types them twice)."""
    items = interview.program.bank.items
    answers = {item: name for item, c in items.items()
               if c.item.id == "company_name" and c.item.type is QuestionType.SHORT_TEXT}
    ids = [item for item, c in items.items() if c.item.type is QuestionType.BUSINESS_ID]
    if business_id and ids:
        answers[ids[0]] = business_id
    return answers


def _local_advisor() -> str:
    import getpass

    try:
        return getpass.getuser() or "advisor"
    except (OSError, KeyError):
        return "advisor"


@router.get("/lang/{lang}")
def choose_language(lang: str, next: Annotated[str, Query(max_length=2000)] = "/wb/") -> Response:
    """Switch the workbench's language (a cookie) and go back to the page."""
    target = next if next.startswith("/wb/") and not urlsplit(next).netloc else "/wb/"
    response = RedirectResponse(target, status_code=303)
    if lang in ("fi", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True, path="/", max_age=31536000)
    return response


# ---------------------------------------------------------------------------- the meeting


def _notes(interview: Interview, name: str | None) -> list[dict[str, Any]]:
    """The notes on the section of item ``name`` (or on section ``name``), with any kept on
    the item itself, oldest first."""
    items = interview.program.bank.items
    if name is not None and name in items:
        targets = {name, items[name].section}
    elif name in interview.program.section_order:
        targets = {name}
    else:
        return []
    return [
        {"time": n.time, "time_text": _started_text(n.time), "author": n.author, "text": n.text,
         "section": n.target not in items}
        for n in interview.notes
        if n.target in targets
    ]


def _session_values(interview: Interview, item: str | None, lang: str) -> dict[str, Any]:
    started = interview.started
    prev, nxt = neighbours(interview, item) if item else (None, None)
    live, overall = live_picture(interview)
    notes = _notes(interview, item)
    return {
        "session_id": interview.session_id,
        "company": started.company.name or interview.session_id,
        "business_id": started.company.business_id,
        "finished": interview.finished,
        "item": item_view(interview, item, lang) if item else None,
        "prev": prev,
        "next": nxt,
        "back": None,
        "nav": navigation(interview, item, lang),
        "phase": phase_of(interview, item),
        "live": live,
        "overall": overall,
        "notes": notes,
        "left_out": bool(interview.not_asked),
        "seq": interview.events[-1].seq,
    }


@router.get("/s/{session_id}")
def meeting(
    request: Request,
    session_id: str,
    item: Annotated[str | None, Query(max_length=200)] = None,
    phase: Annotated[Literal["pre_meeting", "meeting", "assessment"] | None, Query()] = None,
    back: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The meeting view at ``item`` (default: where the session stands, in ``phase``): the
    advisor's preparation (pre_meeting), the meeting, and the advisor's assessment are
    separate tabs, so research stays apart from what the client says."""
    lang = page_lang(request)
    principal, sid = signed_in(request)
    if principal is None:
        return sign_in_page(request, lang)
    ctx = context(request)

    def view(interview: Interview) -> dict[str, Any]:
        target = item if item in interview.program.bank.items else first_open(interview, phase)
        values = _session_values(interview, target, lang)
        came_from = interview.program.bank.items.get(back or "")
        if came_from is not None and back != target:
            values["back"] = {"name": back, "text": came_from.item.text.get(lang) or back}
        return values

    try:
        values = ctx.service.read(session_id[:200], principal, view)
    except Problem as problem:
        return render.page("signin.html", page_values(request, lang, principal, sid) | {"mode": "missing"},
                           status=problem.status)
    if values["phase"] != "assessment":  # the advisor's own assessment never goes on the client's screen
        showing(request, session_id, values["item"].name if values["item"] else None)
    response = render.page("meeting.html", page_values(request, lang, principal, sid) | values)
    response.headers["ETag"] = etag(values["seq"])
    return response


def _field_values(body: dict[str, Any]) -> FieldValues:
    if len(body) > _FIELD_LIMIT:
        raise coded(413, "HTTP-002", found=f"{len(body)} fields", expected=f"at most {_FIELD_LIMIT}")
    values: dict[str, str | list[str]] = {}
    for key, raw in body.items():
        if isinstance(raw, str):
            values[key] = raw
        elif isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            values[key] = list(raw)
        else:
            raise coded(422, "HTTP-011", found=f"field {key[:60]!r}", expected="text or a list of texts")
    return values


def _answer_note(fields: FieldValues) -> str | None:
    """The answer form's note: one text of at most 20 000 characters; None when empty."""
    raw = fields.get("note", "")
    if not isinstance(raw, str):
        if len(raw) != 1:
            raise coded(422, "HTTP-011", pointer="/note", found=f"{len(raw)} note fields; expected one")
        raw = raw[0]
    if len(raw) > _NOTE_LIMIT:
        raise coded(413, "HTTP-002", pointer="/note", found=f"a note of {len(raw)} characters",
                    expected=f"{_NOTE_LIMIT} characters")
    return raw.strip() or None


def _views_differ(fields: FieldValues) -> bool:
    """The answer form's "views differ" checkbox: checked (``on``) or absent."""
    raw = fields.get("views_differ", "")
    values = [raw] if isinstance(raw, str) else raw
    if len(values) > 1 or any(v not in ("", "on", "true", "false") for v in values):
        raise coded(422, "HTTP-011", pointer="/views_differ", found=repr(raw)[:60],
                    expected="one checkbox value: on, or absent")
    return values[:1] in (["on"], ["true"])


def _save_response(
    request: Request, interview: Interview, problems: list[str], status: int = 200
) -> Response:
    lang = page_lang(request)
    live, overall = live_picture(interview)
    response = render.fragment(
        "status.html", {"lang": lang, "problems": problems, "live": live, "overall": overall}, status=status
    )
    response.headers["ETag"] = etag(interview.events[-1].seq)
    return response


def refusal(request: Request, problem: Problem, session_id: str, item: str | None) -> Response:
    """A change that was refused, nothing saved: when another tab or user wrote first, the
    conflict with a link to reload, else the engine's message and code (409 or 422). It goes to the
    banner, and when the request aimed elsewhere a short "not saved" goes there too."""
    if problem.status >= 500:
        raise problem
    lang = page_lang(request)
    t = render.translator(lang)
    conflict = problem.code == "HTTP-009"  # a stale If-Match; other 409s: finished, nothing to undo
    values = {
        "lang": lang,
        "text": t("conflict") if conflict else f"{t('not_saved')}: {problem.detail(lang)} ({problem.code})",
        "reload": conflict,
        "here": _item_url(session_id, item),
        "banner": request.headers.get("hx-target") == "banner",
    }
    return render.fragment("refusal.html", values, status=409 if problem.status == 409 else 422)


@router.put("/s/{session_id}/answer/{item}")
def save_answer(  # noqa: PLR0917 - FastAPI injects by name
    request: Request,
    ctx: Ctx,
    principal: Writer,
    session_id: str,
    item: str,
    expected: Expected,
    body: Annotated[dict[str, Any], Body()],
) -> Response:
    """Save the item's form: the answer it stands for, or a clearing when it was emptied."""
    lang = page_lang(request)
    fields = dict(_field_values(body))
    note = _answer_note(fields)
    differ = _views_differ(fields)
    fields.pop("note", None)
    fields.pop("views_differ", None)
    program = ctx.service.program
    compiled = program.bank.items.get(item)
    if compiled is None:
        raise coded(404, "ANS-001", found=item[:200])
    try:
        value = answer_value(compiled.item, program.bank.loaded.bank, fields)
    except FieldError as error:
        def current(iv: Interview) -> Interview:
            return iv

        interview = ctx.service.read(session_id, principal, current)
        return _save_response(request, interview, [error.message(lang)], status=422)

    def change(iv: Interview) -> list[str]:
        entry = iv.answers.get(item)
        if value is not None:
            outcome = iv.answer(item, value, note=note, views_differ=differ)
        elif entry is not None and entry.status in MARKS:
            if (entry.note or None) == note and entry.views_differ == differ:
                return []
            outcome = iv.answer(item, status=entry.status, note=note,  # the note (or flag) of a mark
                                views_differ=differ)
        elif entry is not None:
            outcome = iv.clear(item)
        elif note:
            return [render.translator(lang)("note_waits")]
        elif differ:
            return [render.translator(lang)("differ_waits")]
        else:
            return []
        return [f"{p.message(lang)} ({p.code})" for p in outcome.problems]

    try:
        problems, interview = ctx.service.write(session_id, principal, expected, change)
    except Problem as problem:
        return refusal(request, problem, session_id, item)
    return _save_response(request, interview, problems, status=422 if problems else 200)


@router.get("/s/{session_id}/row/{item}")
def new_row(
    request: Request, ctx: Ctx, session_id: str, item: str, index: Annotated[int, Query(ge=0, le=9999)] = 0
) -> Response:
    """An empty row for a repeat group's table (saved when a field of it changes)."""
    principal, _ = signed_in(request)
    if principal is None:
        return HTMLResponse("", status_code=401)
    lang = page_lang(request)
    program = ctx.service.program
    compiled = program.bank.items.get(item)
    if compiled is None or compiled.item.type is not QuestionType.REPEAT_GROUP:
        raise coded(404, "ANS-001", found=item[:200])
    controls = group_row(compiled.item, program.bank.loaded.bank, lang, index, {})
    return render.fragment("row.html", {"lang": lang, "index": index, "controls": controls})


def _move(  # noqa: PLR0917 - the route's parts and what to do
    request: Request, ctx: Ctx, principal: Principal, session_id: str, expected: int,
    change: Any, item_after: Any, *, back: str | None = None,
) -> Response:
    try:
        result, interview = ctx.service.write(session_id, principal, expected, change)
    except Problem as problem:
        return refusal(request, problem, session_id, None)
    response = redirect(_item_url(session_id, item_after(result, interview), back))
    response.headers["ETag"] = etag(interview.events[-1].seq)
    return response


@router.post("/s/{session_id}/goto/{target}")
def go_to(  # noqa: PLR0917 - FastAPI injects by name
    request: Request, ctx: Ctx, principal: Writer, session_id: str, target: str, expected: Expected,
    back: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Go to a section or an item (the agenda clock follows) and show it; a jump from the
    agenda names the item it left as ``back``, and the page offers the way back."""
    return _move(request, ctx, principal, session_id, expected, lambda iv: iv.go_to(target[:200]),
                 lambda position, iv: position.item, back=back)


@router.post("/s/{session_id}/mark/{item}/{status}")
def mark(  # noqa: PLR0917 - FastAPI injects by name
    request: Request,
    ctx: Ctx,
    principal: Writer,
    session_id: str,
    item: str,
    status: str,
    expected: Expected,
    body: Annotated[dict[str, Any] | None, Body()] = None,
) -> Response:
    """Mark the item don't know, not applicable or skipped (with the answer's note the form
    holds), or clear its answer."""
    if status not in (*MARKS, "clear"):
        raise coded(404, "HTTP-005", found=status[:40])
    fields = _field_values(body or {})
    note, differ = _answer_note(fields), _views_differ(fields)

    def change(iv: Interview) -> Any:
        if status == "clear":
            return iv.clear(item)
        return iv.answer(item, status=status, note=note, views_differ=differ)

    return _move(request, ctx, principal, session_id, expected, change, lambda _outcome, _iv: item)


@router.post("/s/{session_id}/undo")
def undo(request: Request, ctx: Ctx, principal: Writer, session_id: str, expected: Expected) -> Response:
    """Take back the latest answer, clearing, note or override, and show its item."""

    def target_item(undone: Any, _iv: Interview) -> str | None:
        taken_back = undone.target  # an answer, clearing, note or override
        name = getattr(taken_back, "item", None) or getattr(taken_back, "target", None)
        return name if isinstance(name, str) else None

    return _move(request, ctx, principal, session_id, expected, lambda iv: iv.undo(), target_item)


class NoteForm(m._Request):
    """A note on a section (a hypothesis, what the room said); an answer's note goes with the answer."""

    text: str = Field(default="", max_length=_NOTE_LIMIT)
    target: str | None = Field(default=None, max_length=200)


@router.post("/s/{session_id}/notes")
def add_note(  # noqa: PLR0917 - FastAPI injects by name
    request: Request, ctx: Ctx, principal: Writer, session_id: str, expected: Expected, body: NoteForm
) -> Response:
    """Keep a note on the section; the section's notes come back."""
    lang = page_lang(request)
    if not body.text.strip():
        return render.fragment("notes.html", {"lang": lang, "notes": []}, status=422)
    target = body.target
    try:
        _, interview = ctx.service.write(
            session_id, principal, expected, lambda iv: iv.note(body.text, target=target)
        )
    except Problem as problem:
        return refusal(request, problem, session_id, body.target)
    notes = _notes(interview, body.target)
    response = render.fragment("notes.html", {"lang": lang, "notes": notes})
    response.headers["ETag"] = etag(interview.events[-1].seq)
    return response
