"""The path-selection part of the report: the modules ranked by the company's
recommendations, the closing block's answers, the advisor's proposal and the path's aid as
conditional on joining (``Result.path``, issue 16)."""

from __future__ import annotations

from asiakasarvo_engine.bank.models import Choice
from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.escape import clean
from asiakasarvo_engine.report.model import ModuleNeedView, PathChoiceView

_SECTION = "next_steps"
_CANDIDATES = "path_candidates"


def _choices(ctx: ReportContext, item_id: str, field_id: str | None = None) -> list[Choice]:
    """The choices of a closing-block item (or of a field of its repeat group)."""
    for section in ctx.bank.bodies():
        if section.id != _SECTION:
            continue
        for item in section.items:
            if item.id != item_id:
                continue
            if field_id is None:
                return list(item.choices or [])
            return next((list(f.choices or []) for f in item.items or [] if f.id == field_id), [])
    return []


def _label(ctx: ReportContext, value: str | None, item_id: str, field_id: str | None = None) -> str | None:
    """The bank's label of a chosen value (the value itself when the bank has no such choice)."""
    if value is None:
        return None
    found = next((c for c in _choices(ctx, item_id, field_id) if c.value == value), None)
    return ctx.text(found.label) if found is not None else clean(value)


def path_choice(ctx: ReportContext) -> PathChoiceView | None:
    """The report's view of ``Result.path`` (None when the result has none)."""
    path = ctx.result.path
    if path is None:
        return None
    candidates = []
    for person in path.candidates:
        role = _label(ctx, person.role, _CANDIDATES, "role")
        candidates.append(clean(person.name) + (f" ({role})" if role else ""))
    return PathChoiceView(
        section=_SECTION,
        modules=[ModuleNeedView(rank=m.rank, number=m.module, title=ctx.text(m.title),
                                recommendations=m.recommendations, key=m.key_recommendations,
                                chose=m.company_chose) for m in path.modules],
        will=_label(ctx, path.will, "path_will"),
        own_share=_label(ctx, path.own_share_affordable, "own_share_affordable"),
        five_days=_label(ctx, path.five_days_available, "five_days_available"),
        candidates=candidates,
        decision=_label(ctx, path.decision, "advisor_path_decision"),
        reason=clean(path.decision_reason) if path.decision_reason else None,
        aid_condition=ctx.text(path.aid_condition) if path.aid_condition else None,
        undertaking_note=ctx.text(path.undertaking_note) if path.undertaking_note else None,
    )
