"""The section chapters: score, level, completeness, the advisor's texts, notes and key answers."""

from __future__ import annotations

import textwrap

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.models import Phase, QuestionType, SectionBody
from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.escape import clean, paragraphs
from asiakasarvo_engine.report.model import (
    Assessment,
    KeyAnswer,
    LevelView,
    Note,
    OverrideView,
    SectionView,
)
from asiakasarvo_engine.scoring.result import ItemState, SectionResult, SectionStatus

STRENGTHS_ITEM = "advisor_strengths"
GAPS_ITEM = "advisor_gaps"
KEY_ANSWERS_EACH_WAY = 3
"""A scored section shows its three highest- and three lowest-scored answers."""
_DESCRIPTIVE_TYPES = frozenset({QuestionType.LONG_TEXT, QuestionType.REPEAT_GROUP, QuestionType.MATRIX})
_SHORT_TITLE_WIDTH = 22


def short_title(title: str) -> str:
    """A chart label: the part before `` / `` or ``,``, wrapped to short lines."""
    head = title.split(" / ", maxsplit=1)[0].split(", ", maxsplit=1)[0]
    return "\n".join(textwrap.wrap(head, _SHORT_TITLE_WIDTH)) or title


def override_view(ctx: ReportContext, key: str, computed: LevelView | None) -> OverrideView | None:
    """The advisor's level for ``key`` (a section id or ``overall``), if one was given."""
    override = ctx.overrides.get(key)
    if override is None:
        return None
    return OverrideView(ctx.level_by_number(override.level), computed, clean(override.reason),
                        clean(override.author) if override.author else None)


def _key_answers(ctx: ReportContext, section: SectionBody, number: int) -> list[KeyAnswer]:
    scored = []
    for order, (num, name, item) in enumerate(ctx.numbered_items(section, number)):
        outcome = ctx.result.items.get(name)
        entry = ctx.answers.get(name)
        if outcome is None or outcome.state is not ItemState.ANSWERED or outcome.score is None \
                or entry is None or item.phase is Phase.ASSESSMENT:
            continue
        scored.append((outcome.score, -outcome.weight, order, num, item, entry.value))
    best = sorted(scored, key=lambda s: (-s[0], s[1], s[2]))[:KEY_ANSWERS_EACH_WAY]
    worst = sorted(scored, key=lambda s: (s[0], s[1], s[2]))[:KEY_ANSWERS_EACH_WAY]
    chosen = sorted({s[2]: s for s in best + worst}.values(), key=lambda s: (-s[0], s[2]))
    return [KeyAnswer(num, clean(ctx.text(item.text)), ctx.answer_text.inline(item, value),
                      ctx.fmt.number(score, 0))
            for score, _, _, num, item, value in chosen]


def _descriptive_answers(ctx: ReportContext, section: SectionBody, number: int) -> list[KeyAnswer]:
    shown = []
    for num, name, item in ctx.numbered_items(section, number):
        entry = ctx.answers.get(name)
        if entry is None or entry.status is not AnswerStatus.ANSWERED or item.type in _DESCRIPTIVE_TYPES \
                or name in ctx.hidden:
            continue
        answer = ctx.answer_text.inline(item, entry.value)
        shown.append(KeyAnswer(num, clean(ctx.text(item.text)), answer, ""))
    return shown


def _notes(ctx: ReportContext, section: SectionBody, number: int) -> list[Note]:
    notes = []
    for num, name, item in ctx.numbered_items(section, number):
        entry = ctx.answers.get(name)
        if entry is None or not entry.note or not clean(entry.note):
            continue
        notes.append(Note(num, clean(ctx.text(item.text)), clean(entry.note),
                          clean(entry.author) if entry.author else None))
    return notes


def _advisor_text(ctx: ReportContext, section: SectionBody, item_id: str) -> list[str]:
    entry = ctx.answers.get(f"{section.id}.{item_id}")
    if entry is None or entry.status is not AnswerStatus.ANSWERED or not isinstance(entry.value, str):
        return []
    return paragraphs(entry.value)


def _assessment(ctx: ReportContext, section: SectionBody, number: int) -> list[Assessment]:
    lines = []
    for _, name, item in ctx.numbered_items(section, number):
        if item.phase is not Phase.ASSESSMENT or item.id in (STRENGTHS_ITEM, GAPS_ITEM):
            continue
        entry = ctx.answers.get(name)
        if entry is None:
            continue
        shown = ctx.answer_text.inline(item, entry.value) if entry.status is AnswerStatus.ANSWERED \
            else str(ctx.words["status"][entry.status.value])
        lines.append(Assessment(clean(ctx.text(item.text)), shown,
                                rating=item.type is QuestionType.LIKERT))
    return lines


def _verdict(ctx: ReportContext, section_id: str) -> str | None:
    """The ratio-based financial verdict shown beside ``section_id``'s score, with the ratios
    that decide it."""
    indicators = ctx.result.indicators
    if indicators is None or indicators.verdict is None:
        return None
    verdict = indicators.verdict
    if verdict.section != section_id or verdict.label is None:
        return None
    ratios = indicators.ratios
    deciding = [clean(ctx.text(ratios[r].title)) for r in verdict.deciding if r in ratios]
    label = clean(ctx.text(verdict.label))
    return f"{label} ({', '.join(deciding)})" if deciding else label


def section_view(ctx: ReportContext, number: int, body: SectionBody, outcome: SectionResult) -> SectionView:
    """The chapter of one section."""
    computed = ctx.level(outcome.level)
    override = override_view(ctx, body.id, computed)
    descriptive = outcome.status is SectionStatus.DESCRIPTIVE
    title = clean(ctx.text(outcome.title) or ctx.text(body.title))
    return SectionView(
        number=number, id=body.id, title=title, short_title=short_title(title),
        status=outcome.status.value, status_label=str(ctx.words["section_status"][outcome.status.value]),
        score=ctx.fmt.number(outcome.score), score_value=outcome.score,
        level=override.level if override else computed,
        completeness=ctx.fmt.share(outcome.completeness), answered=outcome.answered,
        expected=outcome.expected,
        gates=[clean(ctx.text(g.reason)) for g in outcome.gates if g.applied],
        override=override,
        strengths=_advisor_text(ctx, body, STRENGTHS_ITEM),
        gaps=_advisor_text(ctx, body, GAPS_ITEM),
        assessment=_assessment(ctx, body, number),
        notes=_notes(ctx, body, number),
        key_answers=(_descriptive_answers if descriptive else _key_answers)(ctx, body, number),
        verdict=_verdict(ctx, body.id),
    )


def section_views(ctx: ReportContext) -> list[SectionView]:
    """Every section of the bank that the result holds, in bank order."""
    return [section_view(ctx, number, body, ctx.result.sections[body.id])
            for number, body in ctx.sections() if body.id in ctx.result.sections]
