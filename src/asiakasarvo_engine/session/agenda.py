"""The agenda clock: planned minutes per section against the minutes spent in it.

The plan is the bank's ``agenda_minutes`` per section, or its ``variant_minutes`` in the
session's agenda variant (a core meeting of 200 or 180 minutes asks only the core
items). The time spent comes from the session's section-entered and section-left events
(what ``fold`` adds up), plus the running time of the section under discussion. A
section that has planned minutes and has taken more gets a warning. Sections without
planned minutes (say, company basics filled in before the meeting) are not on the
meeting's agenda and never warn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from asiakasarvo_engine.bank.models import AgendaVariant, Bank, Item, section_minutes


def parse_time(text: str) -> datetime:
    """An event time (ISO 8601, ``Z`` for UTC) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def seconds_between(start: str, end: str) -> float:
    """Seconds from ``start`` to ``end`` (event times); never negative."""
    return max(0.0, (parse_time(end) - parse_time(start)).total_seconds())


def localized(text: Mapping[str, str] | None, lang: str) -> str:
    """The text in ``lang``, else Finnish, else English, else any language."""
    if not text:
        return ""
    return text.get(lang) or text.get("fi") or text.get("en") or next(iter(text.values()))


@dataclass(frozen=True, slots=True)
class AgendaWarning:
    """A section that has taken longer than planned."""

    section: str
    planned_minutes: int
    spent_minutes: float
    message: str
    """The warning in the session's language."""


@dataclass(frozen=True, slots=True)
class AgendaLine:
    """One section of the agenda."""

    section: str
    title: str
    planned_minutes: int
    spent_minutes: float
    current: bool
    """Whether the discussion is in this section now."""

    @property
    def over(self) -> bool:
        """Whether the section has planned minutes and has taken more."""
        return self.planned_minutes > 0 and self.spent_minutes > self.planned_minutes

    @property
    def remaining_minutes(self) -> float:
        """Planned minutes not yet used (negative when over)."""
        return self.planned_minutes - self.spent_minutes


@dataclass(frozen=True, slots=True)
class Agenda:
    """Planned against spent minutes, per section in bank order, with the over-run warnings."""

    lines: tuple[AgendaLine, ...]
    warnings: tuple[AgendaWarning, ...]
    variant: str | None = None
    """The agenda variant planned (None: every item at the sections' own minutes)."""

    @property
    def planned_minutes(self) -> int:
        """The whole meeting's planned minutes."""
        return sum(line.planned_minutes for line in self.lines)

    @property
    def spent_minutes(self) -> float:
        """Minutes spent in sections so far."""
        return sum(line.spent_minutes for line in self.lines)


_MESSAGES = {
    "fi": ("Osio {title} on ylittänyt suunnitellun aikansa: {spent:.0f} min käytetty, "
           "{planned} min suunniteltu."),
    "en": "Section {title} is over its planned time: {spent:.0f} min spent, {planned} min planned.",
}


def default_variant(bank: Bank) -> str | None:
    """The id of the bank's first agenda variant (a new session's default), None if it has none."""
    variants = bank.agenda.variants if bank.agenda is not None else []
    return variants[0].id if variants else None


def variant_ids(bank: Bank) -> list[str]:
    """The ids of the bank's agenda variants, in bank order."""
    return [variant.id for variant in bank.agenda.variants] if bank.agenda is not None else []


def asked(item: Item, variant: AgendaVariant | None) -> bool:
    """Whether a meeting of ``variant`` asks ``item`` (no variant asks every item)."""
    return variant is None or variant.asks(item.tier)


def outside_variant(bank: Bank, variant_id: str | None) -> frozenset[str]:
    """The items (``section.item``) a meeting of the variant does not ask: the extended ones
    when it asks the core only. They can still be answered (a jump to them, homework)."""
    variant = bank.variant(variant_id)
    if variant is None:
        return frozenset()
    return frozenset(f"{section.id}.{item.id}" for section in bank.bodies() for item in section.items
                     if not variant.asks(item.tier))


def planned_minutes(bank: Bank, variant_id: str | None) -> int:
    """The whole meeting's planned minutes in the variant."""
    return sum(section_minutes(section, variant_id) for section in bank.bodies())


def build_agenda(bank: Bank, seconds: Mapping[str, float], *, current: str | None, entered_at: str | None,
                 now: str, lang: str, variant: str | None = None) -> Agenda:
    """The agenda of a session: ``seconds`` spent per section in closed visits, the section
    under discussion (``current``, entered at ``entered_at``) running until ``now``; the
    planned minutes are those of agenda ``variant`` (see :func:`section_minutes`)."""
    lines: list[AgendaLine] = []
    warnings: list[AgendaWarning] = []
    template = _MESSAGES.get(lang, _MESSAGES["en"])
    for section in bank.bodies():
        spent = seconds.get(section.id, 0.0)
        if section.id == current and entered_at is not None:
            spent += seconds_between(entered_at, now)
        title = localized(section.title, lang)
        line = AgendaLine(section.id, title, section_minutes(section, variant), spent / 60,
                          section.id == current)
        lines.append(line)
        if line.over:
            warnings.append(AgendaWarning(section.id, line.planned_minutes, line.spent_minutes,
                                          template.format(title=title, spent=line.spent_minutes,
                                                          planned=line.planned_minutes)))
    return Agenda(tuple(lines), tuple(warnings), variant)
