"""The operation record and the operations of json-logic-js 2.0.5, one function each.

Every operation has one fixed signature, :data:`OpFn`: ``(args, data, up) -> value``.
``args`` are argument evaluators (``arg(data, up)`` gives the argument's value), ``data`` is
the current data and ``up`` the chain of enclosing scopes (``(parent_data, parent_up)`` or
``None``). Lazy operations (``if``, ``and``, ``map`` ...) call their evaluators when and
how they need; eager ones are written as a function of the argument values and wrapped by
:func:`eager`. Neither the interpreter nor the compiler knows any operation by name.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

from asiakasarvo_engine.jsonlogic._errors import ExpressionEvaluationError
from asiakasarvo_engine.jsonlogic._limits import check_items, check_string
from asiakasarvo_engine.jsonlogic._truthiness import (
    MAX_SAFE,
    UNDEFINED,
    js_add,
    less,
    less_equal,
    loose_equal,
    num,
    parse_float,
    strict_equal,
    to_number,
    to_string,
    truthy,
)

Up: TypeAlias = "tuple[Any, Up] | None"
"""The chain of enclosing scopes: ``(parent_data, parent_up)``, or ``None`` at the root."""
Arg: TypeAlias = Callable[[Any, Up], Any]
"""An argument evaluator: ``arg(data, up)`` returns the argument's value."""
OpFn: TypeAlias = Callable[[Sequence[Arg], Any, Up], Any]
"""The one signature of every operation."""
ValuesFn: TypeAlias = Callable[[list[Any]], Any]
"""The pure core of an eager operation: argument values in, result out."""

_log = logging.getLogger("asiakasarvo_engine.jsonlogic")


@dataclass(frozen=True, slots=True)
class Operation:
    """One entry of the operation table.

    ``min_args`` / ``max_args`` and ``list_only`` (arguments must be written as a JSON
    list) are checked statically by ``validate``. ``raw`` operations get the unevaluated
    argument node as their only argument. ``portable`` marks json-logic-js 2.0.5
    operations; ``infix`` is the name callable from infix syntax (``None``: not callable).
    ``scoped`` lists argument positions evaluated against another scope (iteration items,
    a caught error), not the data; ``scoped_after`` marks every position from it on.
    """

    name: str
    evaluate: OpFn
    summary: str
    values: ValuesFn | None = None
    min_args: int = 0
    max_args: int | None = None
    list_only: bool = False
    raw: bool = False
    portable: bool = False
    infix: str | None = None
    scoped: frozenset[int] = field(default_factory=frozenset)
    scoped_after: int | None = None

    def is_scoped(self, position: int) -> bool:
        """Whether the argument at ``position`` is evaluated in another scope."""
        return position in self.scoped or (
            self.scoped_after is not None and position >= self.scoped_after
        )


def eager(fn: ValuesFn) -> OpFn:
    """Wrap a function of argument values into the fixed operation signature."""

    def evaluate(args: Sequence[Arg], data: Any, up: Up) -> Any:
        return fn([arg(data, up) for arg in args])

    evaluate.__name__ = fn.__name__
    return evaluate


def at(values: Sequence[Any], index: int) -> Any:
    """The argument at ``index``, or :data:`UNDEFINED` when absent."""
    return values[index] if index < len(values) else UNDEFINED


def defined(value: Any) -> Any:
    """Map :data:`UNDEFINED` to ``None`` (JSON has no undefined)."""
    return None if value is UNDEFINED else value


# --- data access -------------------------------------------------------------------------


def _index(name: str) -> int | None:
    if 0 < len(name) < 16 and name.isascii() and name.isdigit() and (
        name == "0" or name[0] != "0"
    ):
        return int(name)
    return None


def prop(container: Any, name: str) -> Any:
    """JS ``container[name]`` for JSON values; :data:`UNDEFINED` when absent."""
    cls = type(container)
    if cls is dict:
        return container.get(name, UNDEFINED)
    if cls is list or cls is str:
        index = _index(name)
        if index is not None:
            return container[index] if index < len(container) else UNDEFINED
        if name == "length":
            return len(container)
    return UNDEFINED


def get_path(data: Any, key: Any) -> Any:
    """Resolve a ``var`` key (dotted path, index) in ``data``; UNDEFINED when absent."""
    if key is UNDEFINED or key is None or key == "":
        return data
    for part in to_string(key).split("."):
        if data is None or data is UNDEFINED:
            return UNDEFINED
        data = prop(data, part)
        if data is UNDEFINED:
            return UNDEFINED
    return data


def op_var(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``var``: value at a dotted path, else the default (or null)."""
    key = args[0](data, up) if args else UNDEFINED
    value = get_path(data, key)
    if value is UNDEFINED:
        return None if len(args) < 2 else args[1](data, up)
    return value


def find_missing(data: Any, values: list[Any]) -> list[Any]:
    """The keys among ``values`` (or its first item, when a list) that are null or ""."""
    keys = values[0] if values and type(values[0]) is list else values
    missing = []
    for key in keys:
        value = get_path(data, key)
        if value is UNDEFINED or value is None or value == "":
            missing.append(key)
    return missing


def op_missing(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``missing``: the listed keys whose value is null, absent or ""."""
    return find_missing(data, [arg(data, up) for arg in args])


def op_missing_some(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``missing_some``: [] when at least ``need`` of the keys are present, else the missing."""
    need = args[0](data, up) if args else UNDEFINED
    options = args[1](data, up) if len(args) > 1 else UNDEFINED
    missing = find_missing(data, options if type(options) is list else [options])
    if type(options) is list or type(options) is str:
        present: float = float(len(options) - len(missing))
    elif options is None or options is UNDEFINED:
        raise ExpressionEvaluationError("TypeError")
    else:
        present = math.nan
    return [] if less_equal(need, present) else missing


# --- logic -------------------------------------------------------------------------------


def op_if(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``if`` / ``?:``: condition, then-value pairs and an optional else-value."""
    count = len(args)
    i = 0
    while i < count - 1:
        if truthy(args[i](data, up)):
            return args[i + 1](data, up)
        i += 2
    if count == i + 1:
        return args[i](data, up)
    return None


def op_and(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``and``: the first falsy value, else the last value."""
    current: Any = None
    for arg in args:
        current = arg(data, up)
        if not truthy(current):
            return current
    return current


def op_or(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``or``: the first truthy value, else the last value."""
    current: Any = None
    for arg in args:
        current = arg(data, up)
        if truthy(current):
            return current
    return current


def v_not(values: list[Any]) -> Any:
    """``!``: negated truthiness of the first argument."""
    return not truthy(at(values, 0))


def v_truthy(values: list[Any]) -> Any:
    """``!!``: truthiness of the first argument."""
    return truthy(at(values, 0))


# --- comparison --------------------------------------------------------------------------


def v_loose_eq(values: list[Any]) -> Any:
    """``==``: JS abstract equality."""
    return loose_equal(at(values, 0), at(values, 1))


def v_loose_ne(values: list[Any]) -> Any:
    """``!=``: negated JS abstract equality."""
    return not loose_equal(at(values, 0), at(values, 1))


def v_strict_eq(values: list[Any]) -> Any:
    """``===``: JS strict equality."""
    return strict_equal(at(values, 0), at(values, 1))


def v_strict_ne(values: list[Any]) -> Any:
    """``!==``: negated JS strict equality."""
    return not strict_equal(at(values, 0), at(values, 1))


def v_gt(values: list[Any]) -> Any:
    """``>``."""
    return less(at(values, 1), at(values, 0))


def v_ge(values: list[Any]) -> Any:
    """``>=``."""
    return less_equal(at(values, 1), at(values, 0))


def _between(args: Sequence[Arg], data: Any, up: Up, compare: Any) -> bool:
    a = args[0](data, up) if args else UNDEFINED
    b = args[1](data, up) if len(args) > 1 else UNDEFINED
    if len(args) < 3:
        return bool(compare(a, b))
    # The third argument is evaluated only when needed; json-logic-js evaluates it
    # eagerly, which no json-logic-js rule can observe (only ``throw`` could).
    return bool(compare(a, b)) and bool(compare(b, args[2](data, up)))


def op_lt(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``<``; with three arguments ``a < b < c``."""
    return _between(args, data, up, less)


def op_le(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``<=``; with three arguments ``a <= b <= c``."""
    return _between(args, data, up, less_equal)


# --- arithmetic --------------------------------------------------------------------------


def v_add(values: Sequence[Any]) -> Any:
    """``+``: sum after ``parseFloat`` of each argument (exact for integers below 2**53)."""
    exact = 0
    for value in values:
        if type(value) is not int:
            break
        exact += value
    else:
        if -MAX_SAFE < exact < MAX_SAFE:
            return exact
    total = 0.0
    for value in values:
        total += value if type(value) is float else parse_float(value)
    return num(total)


def v_mul(values: list[Any]) -> Any:
    """``*``: product after ``parseFloat``; one argument is returned as it is."""
    if not values:
        raise ExpressionEvaluationError("TypeError")
    if len(values) == 1:
        return values[0]
    product = 1.0  # 1.0 * x is x for every double, so this is parseFloat(values[0]) * ...
    for value in values:
        cls = type(value)
        if cls is float or (cls is int and -MAX_SAFE < value < MAX_SAFE):
            product *= value  # an int below 2**53 converts exactly, as parseFloat does
        else:
            product *= parse_float(value)
    return num(product)


def v_sub(values: list[Any]) -> Any:
    """``-``: difference of two numbers, or negation of one."""
    a, b = at(values, 0), at(values, 1)
    if b is UNDEFINED:
        return num(-to_number(a))
    return num(to_number(a) - to_number(b))


def divide(x: float, y: float) -> float:
    """JS division of two doubles."""
    if y == 0:
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def modulo(x: float, y: float) -> float:
    """JS remainder of two doubles."""
    if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
        return math.nan
    return math.fmod(x, y)


def v_div(values: list[Any]) -> Any:
    """``/``: quotient."""
    return num(divide(to_number(at(values, 0)), to_number(at(values, 1))))


def v_mod(values: list[Any]) -> Any:
    """``%``: remainder with the sign of the dividend."""
    return num(modulo(to_number(at(values, 0)), to_number(at(values, 1))))


def v_min(values: list[Any]) -> Any:
    """``min``: smallest number (NaN if any is not a number)."""
    numbers = [to_number(value) for value in values]
    if any(math.isnan(n) for n in numbers):
        return math.nan
    return num(min(numbers, default=math.inf))


def v_max(values: list[Any]) -> Any:
    """``max``: largest number (NaN if any is not a number)."""
    numbers = [to_number(value) for value in values]
    if any(math.isnan(n) for n in numbers):
        return math.nan
    return num(max(numbers, default=-math.inf))


# --- strings and arrays ------------------------------------------------------------------


def v_in(values: list[Any]) -> Any:
    """``in``: substring of a string, or strict member of an array."""
    needle, haystack = at(values, 0), at(values, 1)
    cls = type(haystack)
    if cls is str:
        return bool(haystack) and to_string(needle) in haystack
    if cls is list:
        return any(strict_equal(needle, item) for item in haystack)
    return False


def v_cat(values: list[Any]) -> Any:
    """``cat``: concatenation of the arguments as strings."""
    return check_string(
        "".join("" if value is None or value is UNDEFINED else to_string(value) for value in values)
    )


def _to_integer(value: Any) -> float:
    number = to_number(value)
    if math.isnan(number):
        return 0.0
    if math.isinf(number):
        return number
    return float(math.trunc(number))


def js_substr(text: str, start: Any, length: Any) -> str:
    """JS ``String.prototype.substr``."""
    size = len(text)
    begin = _to_integer(start)
    if begin < 0:
        begin = max(size + begin, 0.0)
    begin = min(begin, float(size))
    span = float(size) if length is UNDEFINED else _to_integer(length)
    end = min(begin + span, float(size))
    if begin >= end:
        return ""
    return text[int(begin) : int(end)]


def v_substr(values: list[Any]) -> Any:
    """``substr``: substring from ``start``; a negative ``length`` drops from the end."""
    source, start, length = at(values, 0), at(values, 1), at(values, 2)
    text = to_string(source)
    if length is not UNDEFINED and less(length, 0):
        rest = js_substr(text, start, UNDEFINED)
        return js_substr(rest, 0, js_add(len(rest), length))
    return js_substr(text, start, length)


def v_merge(values: list[Any]) -> Any:
    """``merge``: one flat list of the arguments (lists are spliced one level)."""
    merged: list[Any] = []
    for value in values:
        if type(value) is list:
            merged.extend(value)
        else:
            merged.append(value)
        check_items(len(merged))
    return merged


def v_log(values: list[Any]) -> Any:
    """``log``: the first argument, unchanged (logged at debug level)."""
    value = defined(at(values, 0))
    _log.debug("jsonlogic log: %r", value)
    return value


# --- iteration ---------------------------------------------------------------------------


def _items(args: Sequence[Arg], data: Any, up: Up) -> Any:
    return args[0](data, up) if args else UNDEFINED


def _scoped(args: Sequence[Arg]) -> Arg:
    if len(args) > 1:
        return args[1]
    return _undefined_arg


def _undefined_arg(data: Any, up: Up) -> Any:
    return None


def op_map(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``map``: the logic applied to each item of an array."""
    items = _items(args, data, up)
    if type(items) is not list:
        return []
    logic = _scoped(args)
    outer = (data, up)
    return [logic(item, ({"index": i}, outer)) for i, item in enumerate(items)]


def filter_items(args: Sequence[Arg], data: Any, up: Up) -> list[Any]:
    """The items for which the logic is truthy ([] when not given an array)."""
    items = _items(args, data, up)
    if type(items) is not list:
        return []
    logic = _scoped(args)
    outer = (data, up)
    return [item for i, item in enumerate(items) if truthy(logic(item, ({"index": i}, outer)))]


def op_filter(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``filter``: the items for which the logic is truthy."""
    return filter_items(args, data, up)


def op_reduce(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``reduce``: fold with ``{"current", "accumulator"}`` as data, from an initial value."""
    items = _items(args, data, up)
    accumulator = args[2](data, up) if len(args) > 2 else None
    if type(items) is not list:
        return accumulator
    logic = _scoped(args)
    outer = (data, up)
    for i, item in enumerate(items):
        accumulator = logic(
            {"current": item, "accumulator": accumulator}, ({"index": i}, outer)
        )
    return accumulator


def op_all(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``all``: true when the array is non-empty and the logic is truthy for every item."""
    items = _items(args, data, up)
    if type(items) is not list or not items:
        return False
    logic = _scoped(args)
    outer = (data, up)
    return all(truthy(logic(item, ({"index": i}, outer))) for i, item in enumerate(items))


def op_some(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``some``: true when the logic is truthy for at least one item."""
    return len(filter_items(args, data, up)) > 0


def op_none(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``none``: true when the logic is truthy for no item."""
    return len(filter_items(args, data, up)) == 0


_ITER: Final = frozenset({1})


def _op(
    name: str,
    fn: OpFn | ValuesFn,
    *,
    is_values: bool,
    min_args: int = 0,
    max_args: int | None = None,
    list_only: bool = False,
    infix: str | None = None,
    scoped: frozenset[int] = frozenset(),
) -> Operation:
    summary = (fn.__doc__ or "").strip().splitlines()[0]
    if is_values:
        values: ValuesFn = fn  # type: ignore[assignment]
        return Operation(
            name, eager(values), summary, values=values, min_args=min_args,
            max_args=max_args, list_only=list_only, portable=True, infix=infix, scoped=scoped,
        )
    return Operation(
        name, fn, summary, min_args=min_args, max_args=max_args,  # type: ignore[arg-type]
        list_only=list_only, portable=True, infix=infix, scoped=scoped,
    )


JS_OPERATIONS: Final[tuple[Operation, ...]] = (
    _op("var", op_var, is_values=False, max_args=2, infix="var"),
    _op("missing", op_missing, is_values=False, infix="missing"),
    _op("missing_some", op_missing_some, is_values=False, min_args=2, max_args=2,
        list_only=True, infix="missing_some"),
    _op("if", op_if, is_values=False, list_only=True),
    _op("?:", op_if, is_values=False, list_only=True),
    _op("and", op_and, is_values=False, list_only=True),
    _op("or", op_or, is_values=False, list_only=True),
    _op("!", v_not, is_values=True, max_args=1),
    _op("!!", v_truthy, is_values=True, max_args=1, infix="bool"),
    _op("==", v_loose_eq, is_values=True, min_args=2, max_args=2, list_only=True),
    _op("!=", v_loose_ne, is_values=True, min_args=2, max_args=2, list_only=True),
    _op("===", v_strict_eq, is_values=True, min_args=2, max_args=2, list_only=True),
    _op("!==", v_strict_ne, is_values=True, min_args=2, max_args=2, list_only=True),
    _op(">", v_gt, is_values=True, min_args=2, max_args=2, list_only=True),
    _op(">=", v_ge, is_values=True, min_args=2, max_args=2, list_only=True),
    _op("<", op_lt, is_values=False, min_args=2, max_args=3, list_only=True),
    _op("<=", op_le, is_values=False, min_args=2, max_args=3, list_only=True),
    _op("+", v_add, is_values=True),
    _op("*", v_mul, is_values=True, min_args=1),
    _op("-", v_sub, is_values=True, min_args=1, max_args=2),
    _op("/", v_div, is_values=True, min_args=1, max_args=2),
    _op("%", v_mod, is_values=True, min_args=2, max_args=2, list_only=True),
    _op("min", v_min, is_values=True, infix="min"),
    _op("max", v_max, is_values=True, infix="max"),
    _op("in", v_in, is_values=True, min_args=2, max_args=2),
    _op("cat", v_cat, is_values=True, infix="cat"),
    _op("substr", v_substr, is_values=True, min_args=1, max_args=3, infix="substr"),
    _op("merge", v_merge, is_values=True, infix="merge"),
    _op("log", v_log, is_values=True, max_args=1, infix="log"),
    _op("map", op_map, is_values=False, min_args=2, max_args=2, list_only=True,
        infix="map", scoped=_ITER),
    _op("filter", op_filter, is_values=False, min_args=2, max_args=2, list_only=True,
        infix="filter", scoped=_ITER),
    _op("reduce", op_reduce, is_values=False, min_args=2, max_args=3, list_only=True,
        infix="reduce", scoped=_ITER),
    _op("all", op_all, is_values=False, min_args=2, max_args=2, list_only=True,
        infix="all", scoped=_ITER),
    _op("some", op_some, is_values=False, min_args=2, max_args=2, list_only=True,
        infix="some", scoped=_ITER),
    _op("none", op_none, is_values=False, min_args=2, max_args=2, list_only=True,
        infix="none", scoped=_ITER),
)
