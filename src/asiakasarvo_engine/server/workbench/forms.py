"""Form fields to answer values and answer values to the text a control shows, per item type.

The browser sends what the advisor typed or picked, as strings keyed by field name: ``v``
for a plain item (repeated for a multi choice), ``m.ROW.COLUMN`` for a matrix cell and
``r.INDEX.FIELD`` for a field of a repeat group's row. :func:`answer_value` turns them into
the value the answers format holds (numbers from Finnish notation such as ``1 234 567,50 €``,
choices by their value); the Interview API then checks that value against the bank as for
any other client. A text that is no number, or a choice that is not offered, is a
:class:`FieldError` naming the field, so nothing reaches the log.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.models import Bank, Item, QuestionType

FieldValues = Mapping[str, str | Sequence[str]]
"""The fields of one form as the browser sends them."""

NUMERIC = frozenset(
    {QuestionType.INTEGER, QuestionType.NUMBER, QuestionType.MONEY, QuestionType.PERCENT, QuestionType.YEAR}
)
_WHOLE = frozenset({QuestionType.INTEGER, QuestionType.YEAR})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
MAX_ROWS = 200
"""The most rows a repeat group form may send."""


class FieldError(ValueError):
    """A field whose text is not a value of its type."""

    def __init__(self, field: str, en: str, fi: str) -> None:
        super().__init__(en)
        self.field, self.en, self.fi = field, en, fi

    def message(self, lang: str) -> str:
        """The message in ``lang`` (fi or en)."""
        return self.fi if lang == "fi" else self.en


def parse_number(text: str, kind: QuestionType, field: str = "v") -> int | float | None:
    """A number from Finnish or plain notation: spaces group thousands, a comma or a point
    marks decimals, a trailing ``€`` or ``%`` and a leading minus sign (``-`` or ``−``) are
    allowed. Empty text is None. Whole-number types refuse decimals."""
    cleaned = _SPACES.sub("", text).replace("\u2212", "-").removesuffix("€").removesuffix("%")
    if not cleaned:
        return None
    if "," in cleaned:
        if "." in cleaned:  # 1.234,50: points group thousands
            cleaned = cleaned.replace(".", "")
        cleaned = cleaned.replace(",", ".")
    elif _GROUPED.match(cleaned):  # 1.234.567: points group thousands
        cleaned = cleaned.replace(".", "")
    if not _NUMBER.match(cleaned):
        raise FieldError(field, f"{text!r} is not a number (e.g. 1 234 567,50)",
                         f"{text!r} ei ole luku (esim. 1 234 567,50)")
    if kind in _WHOLE:
        if "." in cleaned.rstrip("0").rstrip("."):
            raise FieldError(field, f"{text!r} is not a whole number", f"{text!r} ei ole kokonaisluku")
        return int(cleaned.split(".")[0])
    number = float(cleaned)
    if not math.isfinite(number):
        raise FieldError(field, f"{text!r} is too large", f"{text!r} on liian suuri")
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def format_number(value: Any, kind: QuestionType) -> str:
    """A stored number as the Finnish control shows it (``1 234 567,50``; no unit)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    if kind in _WHOLE and kind is QuestionType.YEAR:
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        decimals = 2 if kind is QuestionType.MONEY else len(repr(value).split(".")[-1])
        text = f"{value:,.{min(decimals, 6)}f}"
    else:
        text = f"{int(value):,}"
    return text.replace(",", "\u00a0").replace(".", ",")


def money_text(value: Any) -> str:
    """A stored sum as Finnish money: ``1 234 567,50 €`` (whole euros without decimals)."""
    text = format_number(value, QuestionType.MONEY)
    return f"{text}\u00a0€" if text else ""


def _one(values: FieldValues, name: str) -> str:
    raw = values.get(name, "")
    if isinstance(raw, str):
        return raw
    return raw[-1] if raw else ""


def _many(values: FieldValues, name: str) -> list[str]:
    raw = values.get(name, [])
    return [raw] if isinstance(raw, str) else list(raw)


def _choice(item: Item, bank: Bank, text: str, field: str) -> str | None:
    if not text:
        return None
    offered = {choice.value for choice in choices_of(item, bank)}
    if text not in offered:
        raise FieldError(field, f"{text!r} is not one of the choices",
                         f"{text!r} ei ole vaihtoehtojen joukossa")
    return text


def _point(item: Item, bank: Bank, text: str, field: str, scale_id: str | None = None) -> int | None:
    if not text:
        return None
    scale = bank.scales.get(scale_id or item.scale or "")
    try:
        point = int(text)
    except ValueError:
        point = None
    if scale is None or point not in {p.value for p in scale.points}:
        raise FieldError(field, f"{text!r} is not a point of the scale", f"{text!r} ei ole asteikon kohta")
    return point


def scalar_value(item: Item, bank: Bank, values: FieldValues, field: str = "v") -> Any:
    """The value of one plain (not matrix, not group) item from its field(s); None when empty."""
    kind = item.type
    if kind is QuestionType.MULTI_CHOICE:
        picked = [c for c in (_choice(item, bank, text, field) for text in _many(values, field)) if c]
        return picked or None
    text = _one(values, field)
    if kind is QuestionType.SINGLE_CHOICE:
        return _choice(item, bank, text, field)
    if kind is QuestionType.LIKERT:
        return _point(item, bank, text, field)
    if kind is QuestionType.BOOLEAN:
        if text in ("", "true", "false"):
            return None if not text else text == "true"
        raise FieldError(field, f"{text!r} is not yes or no", f"{text!r} ei ole kyllä tai ei")
    if kind in NUMERIC:
        return parse_number(text, kind, field)
    if kind is QuestionType.BUSINESS_ID:
        return text.strip() or None
    return text if text.strip() else None


def _matrix(item: Item, bank: Bank, values: FieldValues) -> dict[str, dict[str, int]] | None:
    found: dict[str, dict[str, int]] = {}
    for row in item.rows or []:
        for column in item.columns or []:
            field = f"m.{row.id}.{column.id}"
            point = _point(item, bank, _one(values, field), field, column.scale)
            if point is not None:
                found.setdefault(row.id, {})[column.id] = point
    return found or None


def row_indexes(values: FieldValues) -> list[int]:
    """The row numbers a repeat group's form sent, in order."""
    seen: set[int] = set()
    for name in values:
        prefix, _, rest = name.partition(".")
        index, dot, _field = rest.partition(".")
        if prefix == "r" and dot and index.isdigit() and len(index) <= 4:
            seen.add(int(index))
    return sorted(seen)[:MAX_ROWS]


def _group(item: Item, bank: Bank, values: FieldValues) -> list[dict[str, Any]] | None:
    rows: list[dict[str, Any]] = []
    for index in row_indexes(values):
        entry: dict[str, Any] = {}
        for sub in item.items or []:
            value = scalar_value(sub, bank, values, f"r.{index}.{sub.id}")
            if value is not None:
                entry[sub.id] = value
        if entry:
            rows.append(entry)
    return rows or None


def answer_value(item: Item, bank: Bank, values: FieldValues) -> Any:
    """The answer the form's fields stand for (None: the form is empty, nothing to save)."""
    if item.type is QuestionType.MATRIX:
        return _matrix(item, bank, values)
    if item.type is QuestionType.REPEAT_GROUP:
        return _group(item, bank, values)
    return scalar_value(item, bank, values)


def field_text(item: Item, value: Any) -> str:
    """What a text or number control shows for a stored value."""
    if value is None:
        return ""
    if item.type in NUMERIC:
        return format_number(value, item.type)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
