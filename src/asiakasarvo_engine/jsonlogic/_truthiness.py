"""JavaScript value semantics used by json-logic-js: truthiness, coercions, equality, order.

Values are JSON values in their Python form: ``None`` (null), ``bool``, ``int`` / ``float``
(JS numbers), ``str``, ``list`` (arrays) and ``dict`` (objects). :data:`UNDEFINED` stands for
a missing argument (JS ``undefined``); it never leaves an operation.

Known, documented differences from JS: strings are indexed and ordered by code point, not by
UTF-16 code unit (they differ only for characters outside the Basic Multilingual Plane).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any, Final

__all__ = [
    "MAX_SAFE",
    "UNDEFINED",
    "js_add",
    "less",
    "less_equal",
    "loose_equal",
    "num",
    "parse_float",
    "strict_equal",
    "to_number",
    "to_primitive",
    "to_string",
    "truthy",
]


class _Undefined:
    """The JS ``undefined`` of a missing argument."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Final = _Undefined()
MAX_SAFE: Final = 2**53
_NAN: Final = math.nan

# JS StrWhiteSpaceChar: WhiteSpace and LineTerminator.
_JS_SPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_PREFIX: Final = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)", re.ASCII)
_RADIX: Final = re.compile(r"0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)", re.ASCII)


def is_number(value: object) -> bool:
    """True for JS numbers (``int`` or ``float``, never ``bool``)."""
    cls = type(value)
    return cls is int or cls is float


def num(value: float) -> int | float:
    """Return ``value`` as ``int`` when integral and inside the exact double range."""
    if value.is_integer() and -MAX_SAFE < value < MAX_SAFE:
        return int(value)
    return value


def truthy(value: object) -> bool:
    """json-logic-js truthiness: JS ``!!value``, except that ``[]`` is false."""
    cls = type(value)
    if cls is bool:
        return value is True
    if cls is int:
        return value != 0
    if cls is float:
        return value != 0 and not math.isnan(value)  # type: ignore[arg-type]
    if cls is str or cls is list:
        return len(value) > 0  # type: ignore[arg-type]
    return not (value is None or value is UNDEFINED)


def _number_to_string(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    sign = "-" if value < 0 else ""
    exact = Decimal(repr(abs(value))).normalize()
    _, digit_tuple, exponent = exact.as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = int(exponent) + k  # value = 0.digits * 10**n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        e = n - 1
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def to_string(value: object) -> str:
    """JS ``String(value)``."""
    cls = type(value)
    if cls is str:
        return value  # type: ignore[return-value]
    if cls is bool:
        return "true" if value else "false"
    if cls is int:
        if -MAX_SAFE < value < MAX_SAFE:  # type: ignore[operator]
            return str(value)
        return _number_to_string(_int_to_float(value))  # type: ignore[arg-type]
    if cls is float:
        return _number_to_string(value)  # type: ignore[arg-type]
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if cls is list:
        return ",".join(
            "" if item is None or item is UNDEFINED else to_string(item)
            for item in value  # type: ignore[attr-defined]
        )
    return "[object Object]"


def to_primitive(value: object) -> object:
    """JS ToPrimitive for arrays and objects (their string form); others unchanged."""
    if isinstance(value, list | dict):
        return to_string(value)
    return value


def _int_to_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _string_to_number(text: str) -> float:
    text = text.strip(_JS_SPACE)
    if not text:
        return 0.0
    if _DECIMAL.fullmatch(text):
        return float(text)  # float() of a decimal literal never overflows: it gives inf
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if _RADIX.fullmatch(text):
        return float(int(text, 0))
    return _NAN


def to_number(value: object) -> float:
    """JS ``Number(value)`` as a float (NaN when not a number)."""
    cls = type(value)
    if cls is float:
        return value  # type: ignore[return-value]
    if cls is int:
        return _int_to_float(value)  # type: ignore[arg-type]
    if cls is bool:
        return 1.0 if value else 0.0
    if value is None:
        return 0.0
    if cls is str:
        return _string_to_number(value)  # type: ignore[arg-type]
    if cls is list:
        return _string_to_number(to_string(value))
    return _NAN


def parse_float(value: object) -> float:
    """JS ``parseFloat(value)``: the longest numeric prefix of ``String(value)``."""
    cls = type(value)
    if cls is float:
        return value  # type: ignore[return-value]
    if cls is int:
        return _int_to_float(value)  # type: ignore[arg-type]
    text = to_string(value).lstrip(_JS_SPACE)
    match = _PREFIX.match(text)
    if match is None:
        return _NAN
    found = match.group()
    if found.endswith("Infinity"):
        return -math.inf if found.startswith("-") else math.inf
    return float(found)


def strict_equal(a: object, b: object) -> bool:
    """JS ``a === b``."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a == b
    if ta is not tb:
        return False
    if ta is list or ta is dict:
        return a is b
    return a == b


def loose_equal(a: object, b: object) -> bool:
    """JS ``a == b`` (abstract equality, with array and null coercions)."""
    while True:
        ta, tb = type(a), type(b)
        a_num = ta is int or ta is float
        b_num = tb is int or tb is float
        if a_num and b_num:
            return a == b
        if ta is tb:
            if ta is list or ta is dict:
                return a is b
            return a == b
        a_nullish = a is None or a is UNDEFINED
        b_nullish = b is None or b is UNDEFINED
        if a_nullish or b_nullish:
            return a_nullish and b_nullish
        if a_num and tb is str:
            return a == to_number(b)
        if ta is str and b_num:
            return to_number(a) == b
        if ta is bool:
            a = 1 if a else 0
            continue
        if tb is bool:
            b = 1 if b else 0
            continue
        a_obj = ta is list or ta is dict
        b_obj = tb is list or tb is dict
        if a_obj and (tb is str or b_num):
            a = to_string(a)
            continue
        if b_obj and (ta is str or a_num):
            b = to_string(b)
            continue
        return False


def _order(a: object, b: object) -> tuple[object, object, bool]:
    """Prepare JS relational comparison: (a, b, compare_as_strings)."""
    a = to_primitive(a)
    b = to_primitive(b)
    if type(a) is str and type(b) is str:
        return a, b, True
    return to_number(a), to_number(b), False


def less(a: object, b: object) -> bool:
    """JS ``a < b``."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a < b  # type: ignore[operator,no-any-return]
    x, y, _ = _order(a, b)
    return x < y  # type: ignore[operator,no-any-return]


def less_equal(a: object, b: object) -> bool:
    """JS ``a <= b`` (false when either side is NaN)."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a <= b  # type: ignore[operator,no-any-return]
    x, y, _ = _order(a, b)
    return x <= y  # type: ignore[operator,no-any-return]


def js_add(a: object, b: object) -> Any:
    """JS ``a + b``: string concatenation when either primitive is a string."""
    a = to_primitive(a)
    b = to_primitive(b)
    if type(a) is str or type(b) is str:
        return to_string(a) + to_string(b)
    return to_number(a) + to_number(b)
