"""The appendix: every answer, with labels instead of codes, its status, note and author."""

from __future__ import annotations

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.models import SectionBody
from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.escape import clean
from asiakasarvo_engine.report.model import Answer, AppendixItem, AppendixSection, OpenSection


def _section(ctx: ReportContext, number: int, body: SectionBody) -> AppendixSection:
    items: list[AppendixItem] = []
    unanswered: list[str] = []
    for num, name, item in ctx.numbered_items(body, number):
        entry = ctx.answers.get(name)
        if name in ctx.hidden:
            continue
        if entry is None:
            unanswered.append(num)
            continue
        answered = entry.status is AnswerStatus.ANSWERED
        answer = ctx.answer_text.display(item, entry.value) if answered else Answer("")
        note = clean(entry.note) if entry.note and clean(entry.note) else None
        if entry.views_differ:  # the owners or the board disagree: said first, with the note
            differ = str(ctx.words["views_differ"])
            note = f"{differ} {note}" if note else differ
        items.append(AppendixItem(
            number=num, question=clean(ctx.text(item.text)),
            status=None if answered else str(ctx.words["status"][entry.status.value]),
            answer=answer, note=note, author=clean(entry.author) if entry.author else None))
    return AppendixSection(number, clean(ctx.text(body.title)), items, unanswered)


def appendix(ctx: ReportContext) -> list[AppendixSection]:
    """Every section's answers, in bank order."""
    return [_section(ctx, number, body) for number, body in ctx.sections()]


def extended_open(ctx: ReportContext, not_asked: frozenset[str]) -> list[OpenSection]:
    """The visible questions in ``not_asked`` (those a session's agenda variant leaves out of
    the meeting) not yet dealt with (no answer, or skipped), by section in bank order."""
    sections = []
    for number, body in ctx.sections():
        questions = [(num, clean(ctx.text(item.text))) for num, name, item in ctx.numbered_items(body, number)
                     if name in not_asked and name not in ctx.hidden
                     and ((entry := ctx.answers.get(name)) is None or entry.status is AnswerStatus.SKIPPED)]
        if questions:
            sections.append(OpenSection(number, clean(ctx.text(body.title)), questions))
    return sections
