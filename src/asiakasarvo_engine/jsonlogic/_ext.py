"""Extension operations of this engine, namespaced ``aa.``; callable in infix by short name.

Values count as *unanswered* when they are null (or absent), ``""`` or ``[]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from asiakasarvo_engine.eu_sme import figure, size_class
from asiakasarvo_engine.jsonlogic._errors import ExpressionEvaluationError
from asiakasarvo_engine.jsonlogic._ops import Arg, Operation, Up, at, divide, eager
from asiakasarvo_engine.jsonlogic._truthiness import UNDEFINED, less_equal, num, to_number

__all__ = ["EXTENSION_OPERATIONS", "answered"]


def answered(value: Any) -> bool:
    """True unless ``value`` is null, absent, ``""`` or ``[]``."""
    if value is None or value is UNDEFINED:
        return False
    cls = type(value)
    if cls is str or cls is list:
        return len(value) > 0
    return True


def _items(values: list[Any]) -> list[Any]:
    if len(values) == 1 and type(values[0]) is list:
        return list(values[0])
    return values


def _numbers(values: list[Any], name: str) -> list[float]:
    numbers = []
    for value in _items(values):
        if not answered(value):
            continue
        number = to_number(value)
        if math.isnan(number) or type(value) is bool:
            raise ExpressionEvaluationError("NaN", payload={"type": "NaN", "operation": name})
        numbers.append(number)
    return numbers


def v_answered(values: list[Any]) -> Any:
    """``aa.answered(x)``: x is present (not null, not "", not [])."""
    return answered(at(values, 0))


def v_count_answered(values: list[Any]) -> Any:
    """``aa.count_answered(a, b, ...)`` or ``(list)``: how many values are answered."""
    return sum(1 for value in _items(values) if answered(value))


def v_sum(values: list[Any]) -> Any:
    """``aa.sum(a, b, ...)`` or ``(list)``: sum of the answered values (0 when none)."""
    total = 0.0
    for number in _numbers(values, "aa.sum"):
        total += number
    return num(total)


def v_avg(values: list[Any]) -> Any:
    """``aa.avg(a, b, ...)`` or ``(list)``: mean of the answered values (null when none)."""
    numbers = _numbers(values, "aa.avg")
    if not numbers:
        return None
    total = 0.0
    for number in numbers:
        total += number
    return num(total / len(numbers))


def v_between(values: list[Any]) -> Any:
    """``aa.between(x, lo, hi)``: lo <= x <= hi (false when x is unanswered)."""
    x, low, high = at(values, 0), at(values, 1), at(values, 2)
    if not answered(x):
        return False
    return less_equal(low, x) and less_equal(x, high)


def v_round(values: list[Any]) -> Any:
    """``aa.round(x, digits=0)``: rounded half away from zero (null stays null)."""
    x, digits = at(values, 0), at(values, 1)
    if not answered(x):
        return None
    number = to_number(x)
    places = 0.0 if digits is UNDEFINED else to_number(digits)
    if math.isnan(places) or not places.is_integer() or abs(places) > 15:
        raise ExpressionEvaluationError("Invalid Arguments")
    if math.isinf(number) or math.isnan(number) or abs(number) >= 1e15:
        return num(number)
    step = Decimal(1).scaleb(-int(places))
    rounded = Decimal(repr(number)).quantize(step, rounding=ROUND_HALF_UP)
    return num(float(rounded))


def v_clamp(values: list[Any]) -> Any:
    """``aa.clamp(x, lo, hi)``: x limited to [lo, hi] (null stays null)."""
    x, low, high = at(values, 0), at(values, 1), at(values, 2)
    if not answered(x):
        return None
    number, low_n, high_n = to_number(x), to_number(low), to_number(high)
    if math.isnan(number) or math.isnan(low_n) or math.isnan(high_n):
        return math.nan
    return num(min(max(number, low_n), high_n))


def v_ratio(values: list[Any]) -> Any:
    """``aa.ratio(a, b)``: a / b, or null when either is unanswered or b is zero."""
    a, b = at(values, 0), at(values, 1)
    if not answered(a) or not answered(b):
        return None
    denominator = to_number(b)
    if denominator == 0:
        return None
    return num(divide(to_number(a), denominator))


def op_if_missing(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``aa.if_missing(x, default)``: x when answered, else the default."""
    value = args[0](data, up) if args else None
    if answered(value):
        return value
    return args[1](data, up) if len(args) > 1 else None


def v_len(values: list[Any]) -> Any:
    """``aa.len(x)``: length of a string, list or object (0 for null)."""
    value = at(values, 0)
    if value is None or value is UNDEFINED:
        return 0
    if isinstance(value, str | list | dict):
        return len(value)
    raise ExpressionEvaluationError("TypeError")


def v_sme_size_class(values: list[Any]) -> Any:
    """``aa.sme_size_class(staff, turnover, balance)``: the EU SME size class (micro, small,
    medium, large) from the three figures, or null when those given do not decide it."""
    figures = [_figure(value) for value in (at(values, 0), at(values, 1), at(values, 2))]
    decided = size_class(*figures)
    return None if decided is None else decided.value


def _figure(value: Any) -> float | None:
    """A figure, or None (missing) for an unanswered value or one that is no figure at all
    (not a number, negative, beyond the float range), so that one odd value never stops the
    evaluation of a whole bank."""
    if not answered(value) or type(value) is bool or not isinstance(value, int | float):
        return None
    try:
        return figure("figure", value)
    except ValueError:
        return None


def _ext(name: str, fn: Any, *, lo: int, hi: int | None, values: bool = True) -> Operation:
    summary = (fn.__doc__ or "").strip().splitlines()[0]
    short = name.removeprefix("aa.")
    if values:
        return Operation(name, eager(fn), summary, values=fn, min_args=lo, max_args=hi,
                         infix=short)
    return Operation(name, fn, summary, min_args=lo, max_args=hi, infix=short)


EXTENSION_OPERATIONS: Final[tuple[Operation, ...]] = (
    _ext("aa.answered", v_answered, lo=1, hi=1),
    _ext("aa.count_answered", v_count_answered, lo=0, hi=None),
    _ext("aa.sum", v_sum, lo=0, hi=None),
    _ext("aa.avg", v_avg, lo=0, hi=None),
    _ext("aa.between", v_between, lo=3, hi=3),
    _ext("aa.round", v_round, lo=1, hi=2),
    _ext("aa.clamp", v_clamp, lo=3, hi=3),
    _ext("aa.ratio", v_ratio, lo=2, hi=2),
    _ext("aa.if_missing", op_if_missing, lo=2, hi=2, values=False),
    _ext("aa.len", v_len, lo=1, hi=1),
    _ext("aa.sme_size_class", v_sme_size_class, lo=3, hi=3),
)
