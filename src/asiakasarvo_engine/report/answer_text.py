"""An answer value as a reader sees it: choice and scale labels, not codes; local number formats.

:func:`display` gives the full form for the appendix (paragraphs, entries, tables);
:func:`inline` gives one line for a table cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine.bank.models import Bank, Choice, Item, QuestionType
from asiakasarvo_engine.report.escape import clean, paragraphs
from asiakasarvo_engine.report.formats import Formats
from asiakasarvo_engine.report.model import Answer, Entry, Field, Table

_WIDE_TABLE = 6
"""A repeat group with more fields than this is shown transposed (fields as rows)."""
_TRANSPOSED_MAX = 5
"""At most this many entries go side by side in a transposed table."""


@dataclass(frozen=True)
class AnswerFormatter:
    """Formats answers of one bank in one language."""

    bank: Bank
    fmt: Formats
    words: Mapping[str, Any]

    @property
    def lang(self) -> str:
        """The report's language."""
        return self.fmt.lang

    def _choices(self, item: Item) -> list[Choice]:
        if item.choices is not None:
            return item.choices
        if item.choices_from is not None:
            return self.bank.choice_lists.get(item.choices_from, [])
        return []

    def _choice(self, item: Item, value: Any) -> str:
        for choice in self._choices(item):
            if choice.value == value:
                return clean(choice.label.get(self.lang, choice.value))
        return str(value)

    def _point(self, scale_id: str | None, value: Any) -> str:
        scale = self.bank.scales.get(scale_id or "")
        if scale is not None:
            for point in scale.points:
                if point.value == value:
                    return f"{point.value} – {clean(point.label.get(self.lang, ''))}"
        return str(value)

    def _unit(self, item: Item, text: str) -> str:
        if item.unit is None:
            return text
        return f"{text} {clean(item.unit.get(self.lang, ''))}".rstrip()

    def scalar(self, item: Item, value: Any) -> str:
        """One value of a simple type as text."""
        kind = item.type
        if value is None:
            return self.fmt.missing
        if kind is QuestionType.SINGLE_CHOICE:
            return self._choice(item, value)
        if kind is QuestionType.MULTI_CHOICE:
            values = value if isinstance(value, list) else [value]
            return "; ".join(self._choice(item, v) for v in values) or self.fmt.missing
        if kind is QuestionType.LIKERT:
            return self._point(item.scale, value)
        if kind is QuestionType.BOOLEAN:
            return str(self.words["answer_yes"] if value else self.words["answer_no"])
        if isinstance(value, bool):
            return str(value)
        if kind is QuestionType.MONEY and isinstance(value, int | float):
            return self.fmt.money(value)
        if kind is QuestionType.PERCENT and isinstance(value, int | float):
            return self.fmt.percent(value, 0 if float(value).is_integer() else 1)
        if kind in (QuestionType.INTEGER, QuestionType.NUMBER) and isinstance(value, int | float):
            return self._unit(item, self.fmt.plain(value))
        if kind is QuestionType.YEAR:
            return str(value)
        if kind is QuestionType.DATE and isinstance(value, str):
            return self.fmt.date(value)
        if isinstance(value, list | dict):
            return clean(str(value))
        return clean(str(value))

    def _matrix(self, item: Item, value: Mapping[str, Any]) -> Table:
        columns = item.columns or []
        headers = [""] + [clean(c.label.get(self.lang, c.id)) for c in columns]
        rows = []
        for row in item.rows or []:
            cells = value.get(row.id)
            if not isinstance(cells, Mapping):
                continue
            rows.append([clean(row.label.get(self.lang, row.id))]
                        + [self._point(c.scale, cells.get(c.id)) if c.id in cells else self.fmt.missing
                           for c in columns])
        return Table(headers, rows)

    def _entry(self, fields: list[Item], entry: Mapping[str, Any]) -> Entry:
        present = [f for f in fields if entry.get(f.id) is not None]
        if not present:
            return Entry(self.fmt.missing, [])
        first, *rest = present
        return Entry(self.scalar(first, entry[first.id]),
                     [Field(clean(f.text.get(self.lang, f.id)), self.scalar(f, entry[f.id])) for f in rest])

    def _group(self, item: Item, value: list[Any]) -> Answer:
        fields = item.items or []
        entries = [e for e in value if isinstance(e, Mapping)]
        count = f"{len(entries)} {self.words['entries']}"
        labels = [clean(f.text.get(self.lang, f.id)) for f in fields]
        has_long = any(f.type is QuestionType.LONG_TEXT for f in fields)
        if not has_long and len(fields) <= _WIDE_TABLE:
            rows = [[self.scalar(f, e.get(f.id)) for f in fields] for e in entries]
            return Answer(count, table=Table(labels, rows))
        if not has_long and len(entries) <= _TRANSPOSED_MAX:
            first, *rest = fields
            headers = [labels[0]] + [self.scalar(first, e.get(first.id)) for e in entries]
            rows = [[clean(f.text.get(self.lang, f.id))] + [self.scalar(f, e.get(f.id)) for e in entries]
                    for f in rest]
            return Answer(count, table=Table(headers, rows))
        return Answer(count, entries=[self._entry(fields, e) for e in entries])

    def _matrix_line(self, item: Item, value: Mapping[str, Any]) -> str:
        """``(column / column) row a/b; row c/d``: the points, with the columns named once."""
        columns = item.columns or []
        parts = []
        for row in item.rows or []:
            cells = value.get(row.id)
            if isinstance(cells, Mapping):
                points = "/".join(str(cells.get(c.id, self.fmt.missing)) for c in columns)
                parts.append(f"{clean(row.label.get(self.lang, row.id))} {points}")
        legend = " / ".join(clean(c.label.get(self.lang, c.id)) for c in columns)
        return f"({legend}) " + "; ".join(parts) if parts else self.fmt.missing

    def display(self, item: Item, value: Any) -> Answer:
        """The full form of an answer, for the appendix."""
        if item.type is QuestionType.MATRIX and isinstance(value, Mapping):
            return Answer(self._matrix_line(item, value), table=self._matrix(item, value))
        if item.type is QuestionType.REPEAT_GROUP and isinstance(value, list):
            return self._group(item, value)
        if item.type is QuestionType.LONG_TEXT and isinstance(value, str):
            paras = paragraphs(value)
            return Answer(" ".join(paras), paragraphs=paras)
        return Answer(self.scalar(item, value))

    def inline(self, item: Item, value: Any) -> str:
        """An answer on one line (for a table cell)."""
        return self.display(item, value).text
