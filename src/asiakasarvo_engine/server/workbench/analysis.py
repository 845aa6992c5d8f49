"""The written analysis the advisor finishes after the meeting (usable after finishing too).

The page shows what the report says now (the generated texts with every edit applied) and
saves one field, or one list, per request: each save is one ``analysis_edited`` event
through :meth:`Interview.edit`, with the session's sequence number as ``If-Match`` like every
other write of the workbench. An empty field, or one equal to the generated text, writes
``null`` (back to what the engine generates). A refused value is shown beside its field and
nothing is written; a stale ``If-Match`` is the conflict with a link to reload.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Request, Response
from pydantic import Field

from asiakasarvo_engine.report.build import build_report
from asiakasarvo_engine.report.build_recommendations import MAX_BODY, suggested_quarter
from asiakasarvo_engine.report.escape import clean
from asiakasarvo_engine.report.model import LevelOverride, Report
from asiakasarvo_engine.report.session_report import session_report
from asiakasarvo_engine.report.words import words
from asiakasarvo_engine.rules.models import Horizon, OwnerRole
from asiakasarvo_engine.server import models as m
from asiakasarvo_engine.server.deps import Ctx, Expected, Writer
from asiakasarvo_engine.server.problems import Problem, coded
from asiakasarvo_engine.server.service import etag
from asiakasarvo_engine.server.workbench import render
from asiakasarvo_engine.server.workbench.routes import (
    page_lang,
    redirect,
    session_page,
)
from asiakasarvo_engine.server.workbench.texts import localized
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.written import (
    MAX_LIST,
    MAX_TEXT,
    SUMMARY_LISTS,
    check_edit,
)

router = APIRouter(include_in_schema=False)
"""Included in the workbench's router (under ``/wb``)."""

PLAN_VERSION = "v0"
"""The plan version this page edits (the plan at the analysis)."""
_SUMMARY_FIELDS = ("overall", "level_reason", "level", *SUMMARY_LISTS)


class Refused(Exception):  # noqa: N818 - a form value the page refuses before any write
    """A value the page cannot turn into an edit (a number that is not one, too many picks)."""

    def __init__(self, fi: str, en: str) -> None:
        super().__init__(en)
        self.fi, self.en = fi, en

    def message(self, lang: str) -> str:
        """The reason in ``lang``."""
        return self.fi if lang == "fi" else self.en


def _url(session_id: str) -> str:
    return f"/wb/s/{quote(session_id, safe='')}/analysis"


def _number_text(value: float | None) -> str:
    """A number for an ``<input type=number>`` (no thousands separators, a dot)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _fired(interview: Interview) -> dict[str, Any]:
    recs = interview.result().recommendations
    return {} if recs is None else {rec.id: rec for rec in recs.items}


def _suggested_targets(interview: Interview) -> dict[str, float | None]:
    rules = interview.program.rules.rules.recommendations
    if rules is None:
        return {}
    return {mid: metric.suggested_target for mid, metric in rules.metrics.items()}


# ---------------------------------------------------------------------------- the page


def _summary_values(interview: Interview, report: Any, lang: str) -> dict[str, Any]:
    written = interview.written
    generated = report.summary.findings
    if report.summary.findings_by_advisor:  # the engine's findings, to show beside the advisor's
        generated = _generated_report(interview, lang).summary.findings
    lists = {name: "\n".join(written.summary(name) or []) for name in SUMMARY_LISTS}
    levels = [(info.level, localized(info.name, lang)) for info in interview.program.parts.levels]
    computed = report.overall.override.computed if report.overall.override else report.overall.level
    return {
        "overall_text": written.summary("overall") or "",
        "lists": lists,
        "generated_findings": "\n".join(generated),
        "level": written.summary("level"),
        "level_reason": written.summary("level_reason") or "",
        "levels": levels,
        "computed_level": f"{computed.number} {computed.name}" if computed else "–",
    }


def _generated_report(interview: Interview, lang: str) -> Report:
    """The report as the engine writes it, without the advisor's written analysis."""
    overrides = {section: LevelOverride(o.level, o.justification, o.author)
                 for section, o in interview.overrides.items()}
    return build_report(interview.result(), interview.answers, interview.program, lang=lang,
                        overrides=overrides)


def _recommendation_values(interview: Interview, report: Any, lang: str) -> dict[str, Any]:
    written = interview.written
    fired = _fired(interview)
    body_ids = [view.id for view in report.body_recommendations]
    owner_words, horizon_words = words(lang)["owner"], words(lang)["horizon"]
    every = [{
        "id": view.id, "title": view.title, "module": view.module, "horizon": view.horizon,
        "owner": view.owner, "key": view.key, "chosen": view.id in body_ids,
        "position": body_ids.index(view.id) + 1 if view.id in body_ids else "",
    } for view in report.recommendations]
    chosen = []
    for view in report.body_recommendations:
        rec = fired.get(view.id)
        chosen.append({
            "id": view.id, "key": view.key,
            **{name: written.recommendation(view.id, name)
               or (localized(getattr(rec, name), lang) if rec else getattr(view, name))
               for name in ("title", "text", "first_step")},
            "owner": written.recommendation(view.id, "owner") or (rec.owner if rec else ""),
            "horizon": written.recommendation(view.id, "horizon") or (rec.horizon if rec else ""),
            "edited": {name: written.recommendation(view.id, name) is not None
                       for name in ("title", "text", "first_step", "owner", "horizon")},
        })
    return {
        "every": every, "chosen": chosen, "chosen_by_advisor": written.chosen is not None,
        "owners": [(role.value, str(owner_words[role.value])) for role in OwnerRole],
        "horizons": [(h.value, str(horizon_words[h.value])) for h in Horizon],
    }


def _plan_values(interview: Interview, report: Any, lang: str) -> list[dict[str, Any]]:
    written = interview.written
    recs = interview.result().recommendations
    entries = {} if recs is None else {entry.recommendation: entry for entry in recs.plan}
    suggested = _suggested_targets(interview)
    plan = []
    for view in report.plan:
        rec_id = view.recommendation.id
        entry = entries.get(rec_id)
        edits = written.plan(rec_id, PLAN_VERSION)
        generated_metrics = {metric.id: metric for metric in entry.metrics} if entry else {}
        metrics = []
        for shown in view.metrics:
            metric = generated_metrics.get(shown.id)
            generated = metric.target if metric is not None else None
            if generated is None:
                generated = suggested.get(shown.id)
            target = edits.metric_targets.get(shown.id, generated)
            metrics.append({"id": shown.id, "title": shown.title, "unit": shown.unit,
                            "baseline": shown.baseline, "target": _number_text(target),
                            "edited": shown.id in edits.metric_targets})
        plan.append({
            "id": rec_id, "title": view.recommendation.title,
            "goal": edits.goal or (localized(entry.goal, lang) if entry else view.goal),
            **{name: getattr(edits, name) or getattr(entry, name, None) or ""
               for name in ("responsible_person", "deadline")},
            "quarter": edits.quarter or view.quarter_key or "",
            "metrics": metrics,
            "edited": {name: getattr(edits, name) is not None
                       for name in ("goal", "responsible_person", "deadline", "quarter")},
        })
    return plan


def _values(interview: Interview, lang: str) -> dict[str, Any]:
    report = session_report(interview, lang=lang)
    return {
        "session_id": interview.session_id,
        "url": _url(interview.session_id),
        "company": interview.started.company.name or interview.session_id,
        "business_id": interview.started.company.business_id,
        "finished": interview.finished,
        "warnings": report.warnings,
        "summary": _summary_values(interview, report, lang),
        "recs": _recommendation_values(interview, report, lang),
        "plan": _plan_values(interview, report, lang),
        "max_body": MAX_BODY,
        "max_list": MAX_LIST,
        "max_text": MAX_TEXT,
        "seq": interview.events[-1].seq,
    }


@router.get("/s/{session_id}/analysis")
def analysis_page(request: Request, session_id: str) -> Response:
    """The written analysis: the summary for the board, the client's recommendations and their
    texts, the development plan (v0), the report's warnings and links."""
    return session_page(request, session_id, "analysis.html", _values)


# ---------------------------------------------------------------------------- saving


def _texts_of(localized_text: Any) -> set[str]:
    """A generated text in every language it has, folded as the report folds it."""
    if not localized_text:
        return set()
    if isinstance(localized_text, str):
        return {clean(localized_text)}
    return {clean(text) for text in localized_text.values() if text}


def _number(text: str) -> float:
    compact = "".join(text.split()).replace(",", ".").replace("\u2212", "-")
    try:
        number = float(compact)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise Refused(f"{text[:60]!r} ei ole luku; anna luku, esim. 40 tai 4,8.",
                      f"{text[:60]!r} is not a number; give a number, e.g. 40 or 4.8.")
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _recommendation_value(interview: Interview, rec_id: str, name: str, text: str) -> Any:
    rec = _fired(interview).get(rec_id)
    if rec is None:
        return text
    if name in ("owner", "horizon"):
        return None if text == str(getattr(rec, name)) else text
    return None if clean(text) in _texts_of(getattr(rec, name, None)) else text


def _plan_value(interview: Interview, parts: list[str], text: str) -> Any:
    """A plan field's value (``parts``: the path split at ``/``), None when it is the generated one."""
    result = interview.result()
    recs = result.recommendations
    rec_id = parts[3]
    entry = next((e for e in recs.plan if e.recommendation == rec_id), None) if recs is not None else None
    if len(parts) == 7 and parts[4] == "metrics" and parts[6] == "target":
        number = _number(text)
        metric = next((x for x in entry.metrics if x.id == parts[5]), None) if entry else None
        generated = metric.target if metric is not None else None
        if generated is None:
            generated = _suggested_targets(interview).get(parts[5])
        return None if generated is not None and math.isclose(number, generated) else number
    name = parts[4] if len(parts) == 5 else ""
    if entry is None:
        return text
    if name == "goal":
        return None if clean(text) in _texts_of(entry.goal) else text
    if name == "quarter":
        text = text.upper()
        rec = _fired(interview).get(rec_id)
        horizon = interview.written.recommendation(rec_id, "horizon") or (rec.horizon if rec else "")
        return None if text == suggested_quarter(result.date, str(horizon)) else text
    if name in ("responsible_person", "deadline"):
        return None if text == (getattr(entry, name) or "") else text
    return text


def edit_value(interview: Interview, path: str, raw: str) -> Any:
    """The value a form field stands for at ``path``: None when it is empty or the generated
    one; a list of the lines of a list field; a number of a target. Raises :class:`Refused`."""
    parts = path.split("/")
    kind = parts[1] if len(parts) > 1 else ""
    text = raw.strip()
    if kind == "summary" and len(parts) == 3 and parts[2] in SUMMARY_LISTS:
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        return lines or None
    if not text:
        return None
    if kind == "summary" and parts[2:] == ["level"]:
        return int(text) if text.isdigit() else text
    if kind == "recommendations" and len(parts) == 4:
        return _recommendation_value(interview, parts[2], parts[3], text)
    if kind == "plan" and len(parts) >= 5:
        return _plan_value(interview, parts, text)
    return text


class EditForm(m._Request):
    """One field of the written analysis: its path and the form's text."""

    path: str = Field(max_length=300)
    value: str = Field(default="", max_length=20000)


def _status(request: Request, problems: list[str], status: int = 200, seq: int | None = None) -> Response:
    values = {"lang": page_lang(request), "problems": problems}
    response = render.fragment("status.html", values, status=status)
    if seq is not None:
        response.headers["ETag"] = etag(seq)
    return response


def _refused(request: Request, problem: Problem, session_id: str) -> Response:
    """A write the service refused, shown beside the field: the conflict with a reload link,
    else the engine's reason and code."""
    if problem.status >= 500:
        raise problem
    lang = page_lang(request)
    if problem.code == "HTTP-009":
        t = render.translator(lang)
        values = {"lang": lang, "text": t("conflict"), "reload": True, "here": _url(session_id),
                  "banner": True}
        return render.fragment("refusal.html", values, status=409)
    status = 409 if problem.status == 409 else 422
    return _status(request, [f"{problem.detail(lang)} ({problem.code})"], status=status)


def _write_edit(  # noqa: PLR0917 - the route's parts and the edit
    request: Request, ctx: Ctx, principal: Any, session_id: str, expected: int, path: str, value: Any,
) -> tuple[Response | None, Interview | None]:
    def change(iv: Interview) -> bool:
        current = iv.written.value(path)
        if current == value and check_edit(path, value, iv.catalogue) is None:
            return False  # nothing to change: no event
        iv.edit(path, value)
        return True

    try:
        _, interview = ctx.service.write(session_id, principal, expected, change)
    except Problem as problem:
        return _refused(request, problem, session_id), None
    return None, interview


@router.post("/s/{session_id}/analysis")
def save_field(  # noqa: PLR0917 - FastAPI injects by name
    request: Request, ctx: Ctx, principal: Writer, session_id: str, expected: Expected, body: EditForm
) -> Response:
    """Save one field (or one list) of the written analysis; a status fragment comes back."""
    lang = page_lang(request)
    path = body.path

    def value_of(iv: Interview) -> tuple[Any, str | None]:
        try:
            return edit_value(iv, path, body.value), None
        except Refused as refused:
            return None, refused.message(lang)

    value, problem = ctx.service.read(session_id[:200], principal, value_of)
    if problem is not None:
        return _status(request, [problem], status=422)
    refusal, interview = _write_edit(request, ctx, principal, session_id, expected, path, value)
    if refusal is not None:
        return refusal
    assert interview is not None
    return _status(request, [], seq=interview.events[-1].seq)


def _chosen_ids(body: dict[str, Any], known: list[str]) -> list[str]:
    """The ticked recommendations in the order of their position numbers (then rank order)."""
    raw = body.get("chosen", [])
    ticked = [raw] if isinstance(raw, str) else raw
    if not isinstance(ticked, list) or not all(isinstance(v, str) for v in ticked):
        raise coded(422, "HTTP-011", pointer="/chosen", found="chosen",
                    expected="a list of recommendation ids")
    rank = {rid: index for index, rid in enumerate(known)}

    def order(rid: str) -> tuple[float, int]:
        position = body.get(f"pos_{rid}", "")
        try:
            number = float(str(position).replace(",", ".")) if str(position).strip() else math.inf
        except ValueError:
            number = math.inf
        return (number if math.isfinite(number) else math.inf, rank.get(rid, len(rank)))

    return sorted(dict.fromkeys(ticked), key=order)


@router.post("/s/{session_id}/analysis/chosen")
def save_chosen(  # noqa: PLR0917 - FastAPI injects by name
    request: Request,
    ctx: Ctx,
    principal: Writer,
    session_id: str,
    expected: Expected,
    body: Annotated[dict[str, Any], Body()],
) -> Response:
    """Save which recommendations go in the client's report and in which order (at most
    :data:`MAX_BODY`; none ticked goes back to the engine's choice); the page loads again."""
    lang = page_lang(request)
    if len(body) > 500:
        raise coded(413, "HTTP-002", found=f"{len(body)} fields", expected="at most 500")
    known = ctx.service.read(session_id[:200], principal, lambda iv: list(_fired(iv)))
    chosen = _chosen_ids(body, known)
    if len(chosen) > MAX_BODY:
        refused = Refused(
            f"Raporttiin voi valita enintään {MAX_BODY} suositusta; valittuna on {len(chosen)}. "
            "Poista valinta joistakin.",
            f"At most {MAX_BODY} recommendations can go in the report; {len(chosen)} are ticked. "
            "Untick some.")
        return _status(request, [refused.message(lang)], status=422)
    refusal, interview = _write_edit(request, ctx, principal, session_id, expected, "/chosen", chosen or None)
    if refusal is not None:
        return refusal
    assert interview is not None
    response = redirect(_url(session_id))
    response.headers["ETag"] = etag(interview.events[-1].seq)
    return response
