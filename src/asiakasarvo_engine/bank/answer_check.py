"""Checking an answer value against its item: type, choices, scale points, bounds, business id.

Used by the answers-file loader and by the interview, so a wrong value is refused the
same way wherever it comes from. Each problem names the JSON pointer below the answer
where it stands (``""`` for the value itself, ``/2/share`` inside a repeat group).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.models import Bank, Choice, Item, QuestionType, Validation
from asiakasarvo_engine.bank.ytunnus import business_id_issue

_NUMERIC = {QuestionType.NUMBER, QuestionType.MONEY, QuestionType.PERCENT}
_WHOLE = {QuestionType.INTEGER, QuestionType.YEAR}
_TEXT = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class ValueProblem:
    """One problem with an answer value: where below the answer, the code, expected, found."""

    pointer: str
    code: str
    expected: str
    found: str
    at_key: bool = False
    expected_fi: str = ""
    """``expected`` in Finnish where it is words, not values."""
    found_fi: str = ""


def choices_of(item: Item, bank: Bank) -> list[Choice]:
    """The choices an item offers (its own or a bank-level list)."""
    if item.choices is not None:
        return item.choices
    if item.choices_from is not None:
        return bank.choice_lists.get(item.choices_from, [])
    return []


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number" if math.isfinite(value) else "non-finite number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


_KIND_FI = {"null": "tyhjä arvo (null)", "boolean": "totuusarvo", "integer": "kokonaisluku",
            "number": "luku", "non-finite number": "ääretön tai määrittelemätön luku", "string": "teksti",
            "list": "luettelo", "mapping": "avain-arvo-rakenne"}


def _wrong_type(pointer: str, expected: str, expected_fi: str, value: Any) -> ValueProblem:
    kind = _kind(value)
    return ValueProblem(pointer, "ANS-002", expected, kind, expected_fi=expected_fi,
                        found_fi=_KIND_FI.get(kind, kind))


_FLOAT_MAX = 1.7976931348623157e308


def _is_number(value: Any) -> bool:
    """An int or float that is finite (an int beyond the float range is not: see below)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) if isinstance(value, float) else True


def _beyond_float(value: int | float) -> bool:
    """True for an integer too large in size to be a float (a JSON number is a double)."""
    return isinstance(value, int) and abs(value) > _FLOAT_MAX


def _number_text(value: int | float) -> str:
    """A short text of a number, also for an integer beyond the float range."""
    if _beyond_float(value):
        digits = str(abs(value))
        return f"{'-' if value < 0 else ''}{digits[0]}.{digits[1:4]}e+{len(digits) - 1}"
    return f"{value:g}"


def _listing(values: list[Any], limit: int = 12) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (", ..." if len(values) > limit else "")


def check_value(item: Item, value: Any, bank: Bank, pointer: str = "") -> Iterator[ValueProblem]:
    """Every problem with ``value`` as an answer to ``item`` (nothing when it is fine)."""
    kind = item.type
    if kind is QuestionType.REPEAT_GROUP:
        yield from _check_group(item, value, bank, pointer)
    elif kind is QuestionType.MATRIX:
        yield from _check_matrix(item, value, bank, pointer)
    elif kind is QuestionType.MULTI_CHOICE:
        yield from _check_multi(item, value, bank, pointer)
    elif kind is QuestionType.SINGLE_CHOICE:
        allowed = [c.value for c in choices_of(item, bank)]
        if not isinstance(value, str):
            yield _wrong_type(pointer, "single_choice (a choice value)", "yksi valinta (vaihtoehdon arvo)",
                              value)
        elif value not in allowed:
            yield ValueProblem(pointer, "ANS-003", _listing(allowed), value)
    elif kind is QuestionType.LIKERT:
        yield from _check_point(value, item.scale, bank, pointer)
    elif kind is QuestionType.BOOLEAN:
        if not isinstance(value, bool):
            yield _wrong_type(pointer, "boolean (true or false)", "kyllä/ei (true tai false)", value)
    elif kind in _WHOLE or kind in _NUMERIC:
        yield from _check_number(item, value, pointer)
    elif kind in _TEXT:
        yield from _check_text(item.validation, value, pointer, kind.value)
    elif kind is QuestionType.DATE:
        yield from _check_date(value, pointer)
    elif kind is QuestionType.BUSINESS_ID:
        yield from check_business_id(value, pointer)


def _check_point(value: Any, scale_id: str | None, bank: Bank, pointer: str) -> Iterator[ValueProblem]:
    scale = bank.scales.get(scale_id or "")
    points = [p.value for p in scale.points] if scale else []
    if not isinstance(value, int) or isinstance(value, bool):
        yield _wrong_type(pointer, f"likert (a point of scale {scale_id})",
                          f"asteikkokysymys (asteikon {scale_id} arvo)", value)
    elif value not in points:
        yield ValueProblem(pointer, "ANS-003", _listing(points), str(value))


def _check_number(item: Item, value: Any, pointer: str) -> Iterator[ValueProblem]:
    whole = item.type in _WHOLE
    if not _is_number(value) or (whole and not isinstance(value, int)):
        wanted, wanted_fi = ("a whole number", "kokonaisluku") if whole else ("a number", "luku")
        yield _wrong_type(pointer, f"{item.type.value} ({wanted})", wanted_fi, value)
        return
    if _beyond_float(value):
        yield ValueProblem(pointer, "ANS-004", "a number within ±1.8e308", _number_text(value),
                           expected_fi="luku väliltä ±1,8e308")
        return
    if isinstance(value, float) and value == 0 and math.copysign(1.0, value) < 0:
        yield ValueProblem(pointer, "ANS-004", "0 without a minus sign (-0.0 is not a figure)", "-0.0",
                           expected_fi="0 ilman miinusmerkkiä (-0,0 ei ole luku)")
        return
    low = item.validation.min if item.validation else None
    high = item.validation.max if item.validation else None
    if item.type is QuestionType.PERCENT:
        low = 0.0 if low is None else low
        high = 100.0 if high is None else high
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{'-inf' if low is None else f'{low:g}'} .. {'+inf' if high is None else f'{high:g}'}"
        yield ValueProblem(pointer, "ANS-004", bounds, _number_text(value), expected_fi=_bounds_fi(low, high),
                           found_fi=_number_fi(value))


def _number_fi(value: float) -> str:
    """A number as a Finnish reader writes it: a decimal comma, no exponent."""
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", ",")


def _bounds_fi(low: float | None, high: float | None) -> str:
    if low is None:
        return f"enintään {_number_fi(high or 0)}"
    if high is None:
        return f"vähintään {_number_fi(low)}"
    return f"{_number_fi(low)}–{_number_fi(high)}"


def _check_text(validation: Validation | None, value: Any, pointer: str, kind: str,
                ) -> Iterator[ValueProblem]:
    if not isinstance(value, str):
        yield _wrong_type(pointer, f"{kind} (text)", f"{kind} (teksti)", value)
        return
    if validation is None:
        return
    if validation.min_length is not None and len(value) < validation.min_length:
        yield ValueProblem(pointer, "ANS-004", f"at least {validation.min_length} characters",
                           f"{len(value)} characters", found_fi=f"{len(value)} merkkiä",
                           expected_fi=f"vähintään {validation.min_length} merkkiä")
    if validation.max_length is not None and len(value) > validation.max_length:
        yield ValueProblem(pointer, "ANS-004", f"at most {validation.max_length} characters",
                           f"{len(value)} characters", found_fi=f"{len(value)} merkkiä",
                           expected_fi=f"enintään {validation.max_length} merkkiä")
    if validation.pattern is not None and re.fullmatch(validation.pattern, value) is None:
        yield ValueProblem(pointer, "ANS-004", f"text matching {validation.pattern}", repr(value[:60]),
                           expected_fi=f"muotoa {validation.pattern} vastaava teksti")


def _check_date(value: Any, pointer: str) -> Iterator[ValueProblem]:
    if not isinstance(value, str) or _DATE.match(value) is None:
        yield _wrong_type(pointer, "date (YYYY-MM-DD)", "päivämäärä (VVVV-KK-PP)", value)
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        yield ValueProblem(pointer, "ANS-004", "a calendar date", value, expected_fi="kalenteripäivä")


def _check_count(validation: Validation | None, count: int, pointer: str) -> Iterator[ValueProblem]:
    if validation is None:
        return
    if validation.min_count is not None and count < validation.min_count:
        yield ValueProblem(pointer, "ANS-004", f"at least {validation.min_count}", str(count),
                           expected_fi=f"vähintään {validation.min_count}")
    if validation.max_count is not None and count > validation.max_count:
        yield ValueProblem(pointer, "ANS-004", f"at most {validation.max_count}", str(count),
                           expected_fi=f"enintään {validation.max_count}")


def _check_multi(item: Item, value: Any, bank: Bank, pointer: str) -> Iterator[ValueProblem]:
    if not isinstance(value, list):
        yield _wrong_type(pointer, "multi_choice (a list of choice values)",
                          "monivalinta (luettelo vaihtoehtojen arvoista)", value)
        return
    choices = {c.value: c for c in choices_of(item, bank)}
    seen: set[str] = set()
    for index, chosen in enumerate(value):
        here = jp.join(pointer, index)
        if not isinstance(chosen, str):
            yield _wrong_type(here, "a choice value", "vaihtoehdon arvo", chosen)
        elif chosen not in choices:
            yield ValueProblem(here, "ANS-003", _listing(list(choices)), chosen)
        elif chosen in seen:
            yield ValueProblem(here, "ANS-004", "each choice at most once", chosen,
                               expected_fi="kukin vaihtoehto enintään kerran")
        else:
            seen.add(chosen)
            if choices[chosen].exclusive and len(value) > 1:
                yield ValueProblem(here, "ANS-004", f"{chosen!r} alone", _listing(value),
                                   expected_fi=f"{chosen!r} yksinään")
    yield from _check_count(item.validation, len(value), pointer)


def _check_matrix(item: Item, value: Any, bank: Bank, pointer: str) -> Iterator[ValueProblem]:
    if not isinstance(value, dict):
        yield _wrong_type(pointer, "matrix (a mapping of rows to columns)",
                          "taulukko (rivit ja niiden sarakkeet)", value)
        return
    rows = [r.id for r in item.rows or []]
    columns = {c.id: c for c in item.columns or []}
    for row_id, cells in value.items():
        here = jp.join(pointer, row_id)
        if row_id not in rows:
            yield ValueProblem(here, "ANS-003", _listing(rows), row_id, at_key=True)
            continue
        if not isinstance(cells, dict):
            yield _wrong_type(here, "a mapping of columns to scale points",
                              "sarakkeet ja niiden asteikon arvot", cells)
            continue
        for column_id, point in cells.items():
            cell = jp.join(here, column_id)
            if column_id not in columns:
                yield ValueProblem(cell, "ANS-003", _listing(list(columns)), column_id, at_key=True)
            elif point is not None:
                yield from _check_point(point, columns[column_id].scale, bank, cell)


def _check_group(item: Item, value: Any, bank: Bank, pointer: str) -> Iterator[ValueProblem]:
    if not isinstance(value, list):
        yield _wrong_type(pointer, "repeat_group (a list of entries)", "toistuva ryhmä (luettelo riveistä)",
                          value)
        return
    fields = {f.id: f for f in item.items or []}
    for index, entry in enumerate(value):
        here = jp.join(pointer, index)
        if not isinstance(entry, dict):
            yield _wrong_type(here, "an entry (a mapping of fields)", "rivi (kentät ja niiden arvot)", entry)
            continue
        for field_id, field_value in entry.items():
            if field_id not in fields:
                yield ValueProblem(jp.join(here, field_id), "ANS-001", _listing(list(fields)), field_id,
                                   at_key=True)
            elif field_value is not None:
                yield from check_value(fields[field_id], field_value, bank, jp.join(here, field_id))
    yield from _check_count(item.validation, len(value), pointer)


def check_business_id(value: Any, pointer: str = "") -> Iterator[ValueProblem]:
    """Problems with ``value`` as a Finnish business id (text with a valid check digit)."""
    if not isinstance(value, str):
        yield _wrong_type(pointer, "business_id (text such as 1234567-1)",
                          "Y-tunnus (teksti, esim. 1234567-1)", value)
    elif (issue := business_id_issue(value)) is not None:
        yield ValueProblem(pointer, "ANS-005", issue.en, value, expected_fi=issue.fi)


def check_meta(business_id: str | None, date: str | None) -> Iterator[ValueProblem]:
    """Problems with who and when an analysis is about: the company's business id and the
    meeting date (pointers as in an answers file: ``/company/business_id``, ``/date``).
    None means not given and is fine."""
    if business_id is not None:
        yield from check_business_id(business_id, "/company/business_id")
    if date is not None:
        yield from _check_date(date, "/date")
