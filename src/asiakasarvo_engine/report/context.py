"""What every part of the report builder reads: the result, the answers, the bank and the language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.models import Bank, Item, SectionBody
from asiakasarvo_engine.report.answer_text import AnswerFormatter
from asiakasarvo_engine.report.formats import Formats
from asiakasarvo_engine.report.model import LevelOverride, LevelView
from asiakasarvo_engine.report.words import words
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import LevelInfo, Result
from asiakasarvo_engine.session.written import WrittenAnalysis


@dataclass(frozen=True)
class ReportContext:
    """The inputs of one report and the helpers shared by its builders."""

    result: Result
    answers: Mapping[str, AnswerEntry]
    program: ScoringProgram
    lang: str
    overrides: Mapping[str, LevelOverride]
    written: WrittenAnalysis

    @cached_property
    def fmt(self) -> Formats:
        """Number and date formats of the language."""
        return Formats(self.lang)

    @cached_property
    def words(self) -> Mapping[str, Any]:
        """The word table of the language."""
        return words(self.lang)

    @property
    def bank(self) -> Bank:
        """The question bank's model."""
        return self.program.bank.loaded.bank

    @cached_property
    def answer_text(self) -> AnswerFormatter:
        """Answer values as text."""
        return AnswerFormatter(self.bank, self.fmt, self.words)

    @cached_property
    def hidden(self) -> frozenset[str]:
        """Items their conditions hide, given the answers."""
        values = {name: e.value for name, e in self.answers.items() if e.status is AnswerStatus.ANSWERED}
        return self.program.bank.evaluate(values).hidden

    def text(self, localized: Mapping[str, str] | None) -> str:
        """A bank or rules text in the report's language (English, then any, as fallback)."""
        if not localized:
            return ""
        return localized.get(self.lang) or localized.get("en") or next(iter(localized.values()), "")

    def sections(self) -> list[tuple[int, SectionBody]]:
        """The bank's sections with their numbers (1-based, bank order)."""
        return list(enumerate(self.bank.bodies(), start=1))

    def numbered_items(self, section: SectionBody, number: int) -> list[tuple[str, str, Item]]:
        """``(number, name, item)`` of a section's items; numbers follow the bank, not the answers."""
        return [(f"{number}.{index}", f"{section.id}.{item.id}", item)
                for index, item in enumerate(section.items, start=1)]

    def level(self, info: LevelInfo | None) -> LevelView | None:
        """A level for a reader."""
        if info is None:
            return None
        return LevelView(info.level, self.text(info.name), self.fmt.number(info.min_score, 0))

    def level_by_number(self, number: int) -> LevelView:
        """The level with this number (for an advisor's override)."""
        for info in self.result.levels:
            if info.level == number:
                view = self.level(info)
                assert view is not None
                return view
        known = ", ".join(str(info.level) for info in self.result.levels)
        msg = f"unknown level {number}; the rules define levels {known}"
        raise ValueError(msg)
