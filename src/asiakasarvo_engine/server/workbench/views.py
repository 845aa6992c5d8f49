"""What the workbench's templates show, built from the bank and the interview state.

Templates get plain objects with texts in the page's language, so they hold no lookups of
their own: an item's control (its kind, choices, scale points, matrix cells, group rows with
the stored values), the sections in agenda order with time planned and spent, and the live
picture of every section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.models import Bank, Item, QuestionType
from asiakasarvo_engine.server.workbench.forms import NUMERIC, field_text
from asiakasarvo_engine.server.workbench.texts import localized
from asiakasarvo_engine.session.interview import Interview

LONG_LIST = 8
"""A single choice with more options than this is a filterable list instead of buttons."""


@dataclass(frozen=True, slots=True)
class Option:
    """A choice or scale point: the value sent and the label shown."""

    value: str
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Control:
    """One input of a form: a plain item, a matrix cell's scale or a group's field."""

    name: str
    """The form field (``v``, ``r.0.name``)."""
    kind: str
    label: str
    options: tuple[Option, ...] = ()
    text: str = ""
    """What a text or number input shows."""
    chosen: tuple[str, ...] = ()
    """The option values that are selected."""
    unit: str = ""
    long_list: bool = False


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One cell of a matrix: its row, column and scale."""

    control: Control
    column: str


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item with its texts, its control and its stored answer."""

    name: str
    section: str
    kind: str
    text: str
    help: str
    prompt: str
    required: bool
    status: str
    """The stored answer's status (``answered``, ``dont_know``...) or empty."""
    note: str
    control: Control | None = None
    matrix_columns: tuple[str, ...] = ()
    matrix_rows: tuple[tuple[str, tuple[MatrixCell, ...]], ...] = ()
    group_fields: tuple[str, ...] = ()
    group_rows: tuple[tuple[int, tuple[Control, ...]], ...] = ()
    allow_dont_know: bool = True
    allow_not_applicable: bool = True
    views_differ: bool = False
    """The stored answer says the owners' or the board's views differ (rating questions only)."""


@dataclass(frozen=True, slots=True)
class NavItem:
    """An item in the section's list: answered or not, the current one."""

    name: str
    text: str
    done: bool
    current: bool
    required_open: bool


@dataclass(frozen=True, slots=True)
class NavSection:
    """A section in agenda order with its time and, when current, its items."""

    id: str
    title: str
    planned: int
    spent: float
    over: bool
    current: bool
    answered: int
    visible: int
    items: tuple[NavItem, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class LiveSection:
    """A section's live score and level in the live picture."""

    id: str
    title: str
    scored: bool
    score: float | None
    level: int | None
    level_name: str
    override: int | None
    answered: int
    visible: int
    required_left: int


def _options(item: Item, bank: Bank, lang: str) -> tuple[Option, ...]:
    if item.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE):
        return tuple(Option(c.value, localized(c.label, lang)) for c in choices_of(item, bank))
    return _scale(bank, item.scale, lang)


def _scale(bank: Bank, scale_id: str | None, lang: str) -> tuple[Option, ...]:
    scale = bank.scales.get(scale_id or "")
    if scale is None:
        return ()
    return tuple(
        Option(str(p.value), localized(p.label, lang), localized(p.description, lang)) for p in scale.points
    )


def _chosen(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def control(item: Item, bank: Bank, lang: str, name: str, value: Any) -> Control:
    """The control of a plain item (or a group's field) showing ``value``."""
    options = _options(item, bank, lang)
    unit = localized(item.unit, lang) if item.unit else ("€" if item.type is QuestionType.MONEY else "")
    if item.type is QuestionType.PERCENT and not unit:
        unit = "%"
    return Control(
        name=name,
        kind=item.type.value,
        label=localized(item.text, lang),
        options=options,
        text=field_text(item, value) if item.type in NUMERIC or isinstance(value, str) else "",
        chosen=_chosen(value),
        unit=unit,
        long_list=item.type is QuestionType.SINGLE_CHOICE and len(options) > LONG_LIST,
    )


def item_view(interview: Interview, name: str, lang: str) -> ItemView:
    """The item ``name`` (``section.item``) with the interview's stored answer."""
    compiled = interview.program.bank.items[name]
    bank = interview.program.bank.loaded.bank
    item = compiled.item
    entry = interview.answers.get(name)
    value = entry.value if entry is not None and entry.status == "answered" else None
    scale = bank.scales.get(item.scale or "")
    view = ItemView(
        name=name,
        section=compiled.section,
        kind=item.type.value,
        text=localized(item.text, lang),
        help=localized(item.help, lang),
        prompt=localized(item.prompt, lang),
        required=name in interview.live.required,
        status=entry.status.value if entry is not None else "",
        note=(entry.note or "") if entry is not None else "",
        allow_dont_know=scale.allow_dont_know if scale is not None else True,
        allow_not_applicable=scale.allow_not_applicable if scale is not None else True,
        views_differ=entry is not None and entry.views_differ,
    )
    if item.type is QuestionType.MATRIX:
        cells = value if isinstance(value, dict) else {}
        rows = []
        for row in item.rows or []:
            found = cells.get(row.id)
            stored: dict[str, Any] = found if isinstance(found, dict) else {}
            rows.append((localized(row.label, lang), tuple(
                MatrixCell(
                    Control(f"m.{row.id}.{col.id}", "likert",
                            f"{localized(row.label, lang)}: {localized(col.label, lang)}",
                            _scale(bank, col.scale, lang), chosen=_chosen(stored.get(col.id))),
                    col.id,
                )
                for col in item.columns or []
            )))
        return _replace(view, matrix_columns=tuple(localized(c.label, lang) for c in item.columns or []),
                        matrix_rows=tuple(rows))
    if item.type is QuestionType.REPEAT_GROUP:
        entries = value if isinstance(value, list) else []
        return _replace(
            view,
            group_fields=tuple(localized(sub.text, lang) for sub in item.items or []),
            group_rows=tuple(
                (index, group_row(item, bank, lang, index, e if isinstance(e, dict) else {}))
                for index, e in enumerate(entries)
            ),
        )
    return _replace(view, control=control(item, bank, lang, "v", value))


def group_row(item: Item, bank: Bank, lang: str, index: int, entry: dict[str, Any]) -> tuple[Control, ...]:
    """The controls of one row of a repeat group."""
    return tuple(
        control(sub, bank, lang, f"r.{index}.{sub.id}", entry.get(sub.id)) for sub in item.items or []
    )


def _replace(view: ItemView, **changes: Any) -> ItemView:
    from dataclasses import replace

    return replace(view, **changes)


def phase_of(interview: Interview, item: str | None) -> str:
    """The phase of ``item`` (``pre_meeting``, ``meeting``, ``assessment``); meeting when none."""
    if item is None or item not in interview.program.bank.items:
        return "meeting"
    return interview.program.bank.items[item].item.phase.value


def navigation(interview: Interview, current: str | None, lang: str) -> tuple[NavSection, ...]:
    """The sections in agenda order that have items of the current item's phase; the
    current item's section lists its visible items of that phase."""
    overview = interview.overview()
    live = interview.live
    phase = phase_of(interview, current)
    section_of = interview.program.bank.items[current].section if current else None
    answers = interview.answers
    in_phase: dict[str, list[str]] = {}
    outside = interview.not_asked
    for name, compiled in interview.program.bank.items.items():
        if (compiled.item.phase.value == phase and name not in live.hidden
                and (name not in outside or name == current)):
            in_phase.setdefault(compiled.section, []).append(name)
    sections = []
    for line in overview.sections:
        names = in_phase.get(line.section)
        if not names:
            continue
        done = [name in answers and answers[name].status != "skipped" for name in names]
        items: tuple[NavItem, ...] = ()
        if line.section == section_of:
            items = tuple(
                NavItem(
                    name,
                    localized(interview.program.bank.items[name].item.text, lang),
                    is_done,
                    name == current,
                    name in live.open_required,
                )
                for name, is_done in zip(names, done, strict=True)
            )
        sections.append(NavSection(
            line.section, line.title, line.planned_minutes, line.spent_minutes,
            line.planned_minutes > 0 and line.spent_minutes > line.planned_minutes,
            line.section == section_of, sum(done), len(names), items,
        ))
    return tuple(sections)


def live_picture(interview: Interview) -> tuple[tuple[LiveSection, ...], LiveSection]:
    """Every section's live score and level, and the overall."""
    overview = interview.overview()
    sections = tuple(
        LiveSection(
            s.section, s.title, s.scored,
            s.view.score if s.view else None, s.view.level if s.view else None,
            (s.view.level_name or "") if s.view else "", s.view.override if s.view else None,
            s.answered, s.visible, s.required_left,
        )
        for s in overview.sections
    )
    o = overview.overall
    progress = overview.progress
    overall = LiveSection("overall", "", True, o.score, o.level, o.level_name or "", None,
                          progress.answered, progress.visible, progress.required_left)
    return sections, overall


def visible_items(interview: Interview, phase: str | None = None, keep: str | None = None) -> list[str]:
    """Every visible item in bank order (of ``phase`` only, when given) that the session's
    agenda variant asks, and ``keep`` (an extended item reached by a jump) where it stands."""
    hidden = interview.live.hidden
    outside = interview.not_asked
    items = interview.program.bank.items
    return [
        name for name, compiled in items.items()
        if name not in hidden and (name not in outside or name == keep)
        and (phase is None or compiled.item.phase.value == phase)
    ]


def neighbours(interview: Interview, current: str) -> tuple[str | None, str | None]:
    """The visible items of the same phase before and after ``current``."""
    order = visible_items(interview, phase_of(interview, current), keep=current)
    if current not in order:
        return None, order[0] if order else None
    index = order.index(current)
    return (order[index - 1] if index else None, order[index + 1] if index + 1 < len(order) else None)


def first_open(interview: Interview, phase: str | None = None) -> str | None:
    """Where work resumes: the current position's item (when of ``phase``), else the first
    item of ``phase`` not yet dealt with, else its first item."""
    position = interview.position.item
    if (position is not None and position not in interview.live.hidden
            and (phase is None or phase_of(interview, position) == phase)):
        return position
    answers = interview.answers
    order = visible_items(interview, phase)
    for name in order:
        if name not in answers:
            return name
    return order[0] if order else None


@dataclass(frozen=True, slots=True)
class HomeworkItem:
    """An extended item the session's agenda variant leaves out of the meeting."""

    name: str
    text: str
    status: str
    """``answered``, ``dont_know``, ``not_applicable`` or ``open`` (not yet dealt with, or skipped)."""


@dataclass(frozen=True, slots=True)
class HomeworkSection:
    """A section's items for before the meeting or module homework."""

    id: str
    title: str
    items: tuple[HomeworkItem, ...]
    open: int


def homework(interview: Interview, lang: str) -> tuple[HomeworkSection, ...]:
    """The visible items the session's agenda variant does not ask in the meeting (the
    extended ones of a core variant), by section in agenda order, each with its status;
    empty when the variant asks everything."""
    outside = interview.not_asked
    if not outside:
        return ()
    hidden = interview.live.hidden
    answers = interview.answers
    by_section: dict[str, list[HomeworkItem]] = {}
    for name, compiled in interview.program.bank.items.items():
        if name not in outside or name in hidden:
            continue
        entry = answers.get(name)
        status = "open" if entry is None or entry.status.value == "skipped" else entry.status.value
        by_section.setdefault(compiled.section, []).append(
            HomeworkItem(name, localized(compiled.item.text, lang), status))
    return tuple(
        HomeworkSection(line.section, line.title, tuple(items), sum(i.status == "open" for i in items))
        for line in interview.overview().sections
        if (items := by_section.get(line.section))
    )
