"""Compile a rule once: one generated function, or nested Python closures.

A rule runs as the closures below first; once it has been called ``FUSE_AFTER`` times it is
fused into one function built as an ``ast`` tree (see ``_astgen``: validated JSON Logic
only, JSON constants, our own helpers, no attribute access, no ``eval`` of text), unless it
is larger than ``MAX_FUSED_NODES`` values or of a shape the generator does not take: those
keep the closures. Both give exactly what ``apply`` gives.

Each node becomes a closure ``fn(data, up=None)``. Operations come from the table and are
called through their one signature; hot shapes are specialised at compile time:

- an operation of :data:`FOLDABLE` over literals is folded to its (primitive) value;
- ``var`` with a literal path: a plain key is one ``dict.get``, a dotted path is split
  once, a literal default is kept as it is;
- a comparison of such a ``var`` with a literal number or string (on either side, and
  ``<`` / ``<=`` between two literal numbers) tests the plain case (a number, a string)
  inline before the general JS comparison;
- ``and`` / ``or`` / ``!`` / ``if`` call their operands directly, without argument lists;
- an ``if`` chain comparing one subject with numbers evaluates the subject once;
- ``in`` with a literal list or a literal needle;
- a sum of plain keys (and literal integers) fetches the keys with one ``itemgetter`` and
  adds exact integers; other sums and products run their loop with a number fast path
  (see ``v_add`` / ``v_mul``);
- ``/`` by a literal number.

Specialised closures give exactly what the generic ones give; the property tests compare
``compile`` with ``apply`` on generated rules.
"""

from __future__ import annotations

import copy
import json
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import Any, Final

from asiakasarvo_engine.jsonlogic._analysis import dependencies
from asiakasarvo_engine.jsonlogic._errors import (
    ExpressionError,
    ExpressionEvaluationError,
    escape_pointer,
)
from asiakasarvo_engine.jsonlogic._ops import Arg, Operation, Up, get_path, prop, v_add
from asiakasarvo_engine.jsonlogic._registry import OPERATIONS
from asiakasarvo_engine.jsonlogic._truthiness import (
    MAX_SAFE,
    UNDEFINED,
    less,
    less_equal,
    loose_equal,
    strict_equal,
    to_number,
    to_string,
    truthy,
)
from asiakasarvo_engine.jsonlogic._validate import validate

__all__ = ["FOLDABLE", "FUSE_AFTER", "CompiledRule", "compile_rule"]

_PRIMITIVES: Final = (str, int, float, bool, type(None))


@dataclass(slots=True)
class _Node:
    """A compiled node and what the compiler knows about it."""

    fn: Arg
    const: bool = False
    value: Any = None
    is_bool: bool = False
    key: str | None = None  # a var reading one plain key (no dot) ...
    default: Any = None  # ... with this primitive default when it is absent
    source: str | None = None  # canonical JSON of the node (set for comparison operands)
    compare: tuple[str, _Node, int | float] | None = None  # (op, subject, n): subject <op> n


def _canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, separators=(",", ":"))


def _is_number(value: Any) -> bool:
    cls = type(value)
    return cls is int or cls is float


def _const(value: Any) -> _Node:
    if type(value) is list:
        items = list(value)

        def fresh_list(data: Any, up: Up = None) -> Any:
            return list(items)

        return _Node(fresh_list, const=True, value=value)

    def constant(data: Any, up: Up = None) -> Any:
        return value

    return _Node(constant, const=True, value=value, is_bool=type(value) is bool)


def _lookup(data: Any, key: str, default: Any = None) -> Any:
    """A ``var`` of ``key`` in data that is not a dict (the general path)."""
    value = get_path(data, key)
    return default if value is UNDEFINED else value


# --- folding -----------------------------------------------------------------------------

FOLDABLE: Final = frozenset({
    "+", "-", "*", "/", "%", "min", "max",
    "==", "!=", "===", "!==", "<", "<=", ">", ">=",
    "!", "!!", "and", "or", "if", "?:", "in", "cat", "substr",
})
"""Operations that depend only on their arguments: over literals they are folded."""


def _fold(op: Operation, args: list[_Node]) -> _Node | None:
    if op.name not in FOLDABLE or not all(arg.const for arg in args):
        return None
    try:
        value = op.evaluate(tuple(arg.fn for arg in args), None, None)
    except ExpressionError:  # raised at run time instead, with its pointer
        return None
    if type(value) not in _PRIMITIVES:
        return None
    return _const(value)


# --- var ---------------------------------------------------------------------------------


def _whole_data(data: Any, up: Up = None) -> Any:
    return data


def _var_key(key: str, default: Any) -> _Node:
    def var_key(data: Any, up: Up = None) -> Any:
        if type(data) is dict:
            return data.get(key, default)
        return _lookup(data, key, default)

    return _Node(var_key, key=key, default=default)


def _var_parts(parts: list[str], default: Any) -> _Node:
    """A dotted path split once; each step is ``get_path``'s step."""

    def var_parts(data: Any, up: Up = None) -> Any:
        value = data
        for part in parts:
            if type(value) is dict:
                value = value.get(part, UNDEFINED)
            elif value is None or value is UNDEFINED:
                return default
            else:
                value = prop(value, part)
            if value is UNDEFINED:
                return default
        return value

    return _Node(var_parts)


def _var_path(key: str, default: _Node) -> _Node:
    """A literal path with a default that must be evaluated (only when absent)."""
    default_fn = default.fn

    def var_path(data: Any, up: Up = None) -> Any:
        value = get_path(data, key)
        if value is UNDEFINED:
            return default_fn(data, up)
        return value

    return _Node(var_path)


def _special_var(op: Operation, args: list[_Node]) -> _Node | None:
    if not args or not args[0].const or len(args) > 2:
        return None
    key = args[0].value
    if key is None or key == "":
        return _Node(_whole_data)
    if type(key) not in (str, int, float):
        return None
    path = to_string(key)
    default = args[1] if len(args) == 2 else None
    if default is not None and not (default.const and type(default.value) in _PRIMITIVES):
        return _var_path(path, default)
    literal = None if default is None else default.value
    if "." in path:
        return _var_parts(path.split("."), literal)
    return _var_key(path, literal)


# --- comparisons -------------------------------------------------------------------------

_Compare = Callable[[Any, Any], bool]
_Slow = Callable[[Any], bool]


def _gt(a: Any, b: Any) -> bool:
    return less(b, a)


def _ge(a: Any, b: Any) -> bool:
    return less_equal(b, a)


def _ne(a: Any, b: Any) -> bool:
    return not loose_equal(a, b)


def _sne(a: Any, b: Any) -> bool:
    return not strict_equal(a, b)


_COMPARE: Final[dict[str, _Compare]] = {
    "==": loose_equal, "!=": _ne, "===": strict_equal, "!==": _sne,
    "<": less, "<=": less_equal, ">": _gt, ">=": _ge,
}

_NUMERIC: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}

_MIRROR: Final = {
    "<": ">", "<=": ">=", ">": "<", ">=": "<=",
    "==": "==", "!=": "!=", "===": "===", "!==": "!==",
}
"""``a <op> b`` is ``b <mirror> a`` when both are numbers (or both strings)."""


def _fast_number_compare(name: str, key: str, default: Any, const: Any, slow: _Slow) -> Arg:
    """``var(key) <name> number``: plain Python comparison when the value is a number."""
    if name == "<":
        def lt(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(v) is int or type(v) is float:
                return v < const
            return slow(v)
        return lt
    if name == "<=":
        def le(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(v) is int or type(v) is float:
                return v <= const
            return slow(v)
        return le
    if name == ">":
        def gt(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(v) is int or type(v) is float:
                return v > const
            return slow(v)
        return gt
    if name == ">=":
        def ge(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(v) is int or type(v) is float:
                return v >= const
            return slow(v)
        return ge
    if name in ("==", "==="):
        def eq(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(v) is int or type(v) is float:
                return v == const
            return slow(v)
        return eq

    def ne(data: Any, up: Up = None) -> Any:
        v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
        if type(v) is int or type(v) is float:
            return v != const
        return slow(v)
    return ne


def _fast_string_compare(name: str, key: str, default: Any, const: str, slow: _Slow) -> Arg:
    """``var(key) == "text"`` (and ``!=``, ``===``, ``!==``): plain when the value is text."""
    if name in ("==", "==="):
        def eq(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(v) is str:
                return v == const
            return slow(v)
        return eq

    def ne(data: Any, up: Up = None) -> Any:
        v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
        if type(v) is str:
            return v != const
        return slow(v)
    return ne


def _fast_between(name: str, low: Any, key: str, default: Any, high: Any) -> Arg:
    """``low < var(key) < high`` (or ``<=``) with literal number bounds."""
    general = _COMPARE[name]
    if name == "<":
        def between(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(v) is int or type(v) is float:
                return low < v < high
            return general(low, v) and general(v, high)
        return between

    def between_equal(data: Any, up: Up = None) -> Any:
        v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
        if type(v) is int or type(v) is float:
            return low <= v <= high
        return general(low, v) and general(v, high)
    return between_equal


def _keyed_compare(name: str, subject: _Node, const: Any, slow: _Slow) -> Arg | None:
    assert subject.key is not None
    if _is_number(const):
        return _fast_number_compare(name, subject.key, subject.default, const, slow)
    if type(const) is str and name in ("==", "===", "!=", "!=="):
        return _fast_string_compare(name, subject.key, subject.default, const, slow)
    return None


def _special_compare(op: Operation, args: list[_Node]) -> _Node | None:
    name = op.name
    general = _COMPARE[name]
    if len(args) == 3:
        return _special_between(name, args)
    left, right = args
    if left.key is not None and right.const:
        const = right.value

        def slow(v: Any) -> bool:
            return general(v, const)

        fn = _keyed_compare(name, left, const, slow)
        if fn is not None:
            numeric = name in _NUMERIC and _is_number(const)
            return _Node(fn, is_bool=True,
                         compare=(name, left, const) if numeric else None)
    if right.key is not None and left.const:
        const = left.value

        def slow_mirrored(v: Any) -> bool:
            return general(const, v)

        fn = _keyed_compare(_MIRROR[name], right, const, slow_mirrored)
        if fn is not None:
            return _Node(fn, is_bool=True)
    a, b = left.fn, right.fn
    if right.const and _is_number(right.value) and name in _NUMERIC:
        bound = right.value
        fast = _NUMERIC[name]

        def number_compare(data: Any, up: Up = None) -> Any:
            v = a(data, up)
            if type(v) is int or type(v) is float:
                return fast(v, bound)
            return general(v, bound)

        return _Node(number_compare, is_bool=True, compare=(name, left, bound))

    def compare(data: Any, up: Up = None) -> Any:
        return general(a(data, up), b(data, up))

    return _Node(compare, is_bool=True)


def _special_between(name: str, args: list[_Node]) -> _Node:
    low, middle, high = args
    if (
        low.const and _is_number(low.value) and high.const and _is_number(high.value)
        and middle.key is not None
    ):
        return _Node(
            _fast_between(name, low.value, middle.key, middle.default, high.value),
            is_bool=True,
        )
    general = _COMPARE[name]
    a, b, c = low.fn, middle.fn, high.fn

    def between(data: Any, up: Up = None) -> Any:
        x = a(data, up)
        y = b(data, up)
        return general(x, y) and general(y, c(data, up))

    return _Node(between, is_bool=True)


# --- logic -------------------------------------------------------------------------------


def _special_not(op: Operation, args: list[_Node]) -> _Node | None:
    if len(args) != 1:
        return None
    a = args[0].fn
    negate = op.name == "!"
    if args[0].is_bool:
        if not negate:
            return _Node(a, is_bool=True)

        def not_bool(data: Any, up: Up = None) -> Any:
            return not a(data, up)

        return _Node(not_bool, is_bool=True)
    if negate:
        def not_value(data: Any, up: Up = None) -> Any:
            return not truthy(a(data, up))

        return _Node(not_value, is_bool=True)

    def truthy_value(data: Any, up: Up = None) -> Any:
        return truthy(a(data, up))

    return _Node(truthy_value, is_bool=True)


def _special_and_or(op: Operation, args: list[_Node]) -> _Node | None:
    if not args:
        return None
    if len(args) == 1:
        return args[0]
    if all(arg.is_bool for arg in args):
        return _bool_and(args) if op.name == "and" else _bool_or(args)
    if len(args) != 2:
        return None
    a, b = args[0].fn, args[1].fn
    if op.name == "and":
        def and2(data: Any, up: Up = None) -> Any:
            x = a(data, up)
            return b(data, up) if truthy(x) else x

        return _Node(and2)

    def or2(data: Any, up: Up = None) -> Any:
        x = a(data, up)
        return x if truthy(x) else b(data, up)

    return _Node(or2)


def _bool_and(args: list[_Node]) -> _Node:
    fns = tuple(arg.fn for arg in args)
    if len(fns) == 2:
        a, b = fns

        def and2(data: Any, up: Up = None) -> Any:
            return a(data, up) and b(data, up)

        return _Node(and2, is_bool=True)
    if len(fns) == 3:
        a, b, c = fns

        def and3(data: Any, up: Up = None) -> Any:
            return a(data, up) and b(data, up) and c(data, up)

        return _Node(and3, is_bool=True)

    def all_of(data: Any, up: Up = None) -> Any:
        return all(f(data, up) for f in fns)

    return _Node(all_of, is_bool=True)


def _bool_or(args: list[_Node]) -> _Node:
    fns = tuple(arg.fn for arg in args)
    if len(fns) == 2:
        a, b = fns

        def or2(data: Any, up: Up = None) -> Any:
            return a(data, up) or b(data, up)

        return _Node(or2, is_bool=True)
    if len(fns) == 3:
        a, b, c = fns

        def or3(data: Any, up: Up = None) -> Any:
            return a(data, up) or b(data, up) or c(data, up)

        return _Node(or3, is_bool=True)

    def any_of(data: Any, up: Up = None) -> Any:
        return any(f(data, up) for f in fns)

    return _Node(any_of, is_bool=True)


def _special_if(op: Operation, args: list[_Node]) -> _Node | None:
    if len(args) < 3 or len(args) % 2 == 0:
        return None
    conditions = args[0:-1:2]
    results = [*args[1:-1:2], args[-1]]
    if all(c.is_bool for c in conditions):
        band = _band(conditions, results)
        if band is not None:
            return band
        tests = tuple(c.fn for c in conditions)
    else:
        tests = tuple(_as_bool(c) for c in conditions)
    if all(r.const and type(r.value) in _PRIMITIVES for r in results):
        pairs = tuple((test, r.value) for test, r in zip(tests, results, strict=False))
        otherwise = results[-1].value

        def chain_const(data: Any, up: Up = None) -> Any:
            for test, value in pairs:
                if test(data, up):
                    return value
            return otherwise

        return _Node(chain_const)
    fn_pairs = tuple((test, r.fn) for test, r in zip(tests, results, strict=False))
    else_fn = results[-1].fn

    def chain(data: Any, up: Up = None) -> Any:
        for test, then in fn_pairs:
            if test(data, up):
                return then(data, up)
        return else_fn(data, up)

    return _Node(chain)


def _as_bool(node: _Node) -> Arg:
    if node.is_bool:
        return node.fn
    fn = node.fn

    def test(data: Any, up: Up = None) -> Any:
        return truthy(fn(data, up))

    return test


def _band(conditions: list[_Node], results: list[_Node]) -> _Node | None:
    """An if-chain comparing one subject with numbers: evaluate the subject once."""
    compares = [c.compare for c in conditions]
    if any(c is None for c in compares) or not all(
        r.const and type(r.value) in _PRIMITIVES for r in results
    ):
        return None
    subjects = {c[1].source for c in compares if c is not None}
    if len(subjects) != 1 or None in subjects:
        return None
    first = compares[0]
    assert first is not None
    subject = first[1].fn
    names = {c[0] for c in compares if c is not None}
    pairs = tuple((c[2], r.value) for c, r in zip(compares, results, strict=False) if c)
    otherwise = results[-1].value
    general = tuple((_COMPARE[c[0]], c[2], r.value)
                    for c, r in zip(compares, results, strict=False) if c)

    def slow(v: Any) -> Any:
        for compare, bound, value in general:
            if compare(v, bound):
                return value
        return otherwise

    if names == {"<"}:
        def band_lt(data: Any, up: Up = None) -> Any:
            v = subject(data, up)
            if type(v) is int or type(v) is float:
                for bound, value in pairs:
                    if v < bound:
                        return value
                return otherwise
            return slow(v)

        return _Node(band_lt)
    if names == {">="}:
        def band_ge(data: Any, up: Up = None) -> Any:
            v = subject(data, up)
            if type(v) is int or type(v) is float:
                for bound, value in pairs:
                    if v >= bound:
                        return value
                return otherwise
            return slow(v)

        return _Node(band_ge)
    steps = tuple((_NUMERIC[c[0]], c[2], r.value)
                  for c, r in zip(compares, results, strict=False) if c)

    def band(data: Any, up: Up = None) -> Any:
        v = subject(data, up)
        if type(v) is int or type(v) is float:
            for fast, bound, value in steps:
                if fast(v, bound):
                    return value
            return otherwise
        return slow(v)

    return _Node(band)


# --- in ----------------------------------------------------------------------------------


def _special_in(op: Operation, args: list[_Node]) -> _Node | None:
    if len(args) != 2:
        return None
    needle, haystack = args
    if (
        haystack.const
        and type(haystack.value) is list
        and haystack.value
        and all(type(item) is str for item in haystack.value)
    ):
        return _in_strings(needle, frozenset(haystack.value))
    if needle.const and type(needle.value) is str:
        return _contains_text(needle.value, haystack)
    return None


def _in_strings(needle: _Node, members: frozenset[str]) -> _Node:
    """``x in ["a", "b"]``: strict membership is set membership for text."""
    key, default = needle.key, needle.default
    if key is not None:
        def in_set_key(data: Any, up: Up = None) -> Any:
            v = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            return type(v) is str and v in members

        return _Node(in_set_key, is_bool=True)
    get = needle.fn

    def in_set(data: Any, up: Up = None) -> Any:
        v = get(data, up)
        return type(v) is str and v in members

    return _Node(in_set, is_bool=True)


def _strictly_in(text: str, items: list[Any]) -> bool:
    """Some item is a ``str`` equal to ``text``, once ``text in items`` found a look-alike."""
    return any(type(item) is str and item == text for item in items)


def _contains_text(text: str, haystack: _Node) -> _Node:
    """``"a" in x``: an item of a list (strictly equal: text), or a substring."""
    key, default = haystack.key, haystack.default
    if key is not None:
        def contains_key(data: Any, up: Up = None) -> Any:
            h = data.get(key, default) if type(data) is dict else _lookup(data, key, default)
            if type(h) is list:  # ``in`` compares with ==: make sure the item is text
                return text in h and (type(h[h.index(text)]) is str or _strictly_in(text, h))
            if type(h) is str:
                return bool(h) and text in h
            return False

        return _Node(contains_key, is_bool=True)
    get = haystack.fn

    def contains(data: Any, up: Up = None) -> Any:
        h = get(data, up)
        if type(h) is list:
            return text in h and (type(h[h.index(text)]) is str or _strictly_in(text, h))
        if type(h) is str:
            return bool(h) and text in h
        return False

    return _Node(contains, is_bool=True)


# --- arithmetic --------------------------------------------------------------------------


def _special_add(op: Operation, args: list[_Node]) -> _Node | None:
    """A sum of plain keys (null default) and literal integers."""
    keys = tuple(arg.key for arg in args if not arg.const)
    if len(keys) < 2 or not all(
        (arg.key is not None and arg.default is None) or (arg.const and type(arg.value) is int)
        for arg in args
    ):
        return None
    offset = sum(arg.value for arg in args if arg.const)
    pick = itemgetter(*keys)
    fns = tuple(arg.fn for arg in args)

    def add_keys(data: Any, up: Up = None) -> Any:
        # All present and exact integers: their sum (what v_add gives), else v_add.
        if type(data) is dict:
            try:
                values = pick(data)
            except KeyError:
                pass
            else:
                total = offset
                for value in values:
                    if type(value) is not int:
                        break
                    total += value
                else:
                    if -MAX_SAFE < total < MAX_SAFE:
                        return total
        return v_add([f(data, up) for f in fns])

    return _Node(add_keys)


def _special_div(op: Operation, args: list[_Node]) -> _Node | None:
    if len(args) != 2 or not args[1].const or not _is_number(args[1].value):
        return None
    divisor = float(args[1].value)
    if divisor == 0:
        return None
    a = args[0].fn

    def div(data: Any, up: Up = None) -> Any:
        v = a(data, up)
        exact = type(v) is int and -MAX_SAFE < v < MAX_SAFE
        result = (v if exact else to_number(v)) / divisor
        if result.is_integer() and -MAX_SAFE < result < MAX_SAFE:
            return int(result)
        return result

    return _Node(div)


_Specialiser = Callable[[Operation, list[_Node]], "_Node | None"]

SPECIALISERS: Final[dict[str, _Specialiser]] = {
    "var": _special_var,
    **dict.fromkeys(_COMPARE, _special_compare),
    "!": _special_not,
    "!!": _special_not,
    "and": _special_and_or,
    "or": _special_and_or,
    "if": _special_if,
    "?:": _special_if,
    "in": _special_in,
    "+": _special_add,
    "/": _special_div,
}
"""Optional fast paths by operation name; an operation without one runs generically."""


# --- generic -----------------------------------------------------------------------------


def _generic(op: Operation, args: list[_Node], pointer: str) -> Arg:
    evaluate = op.evaluate
    fns: Sequence[Arg] = tuple(arg.fn for arg in args)
    values = op.values
    if values is not None:
        if len(fns) == 1:
            (a,) = fns

            def eager1(data: Any, up: Up = None) -> Any:
                try:
                    return values([a(data, up)])
                except ExpressionEvaluationError as error:
                    raise error.at(pointer) from None

            return eager1
        if len(fns) == 2:
            a, b = fns

            def eager2(data: Any, up: Up = None) -> Any:
                try:
                    return values([a(data, up), b(data, up)])
                except ExpressionEvaluationError as error:
                    raise error.at(pointer) from None

            return eager2

    def generic(data: Any, up: Up = None) -> Any:
        try:
            return evaluate(fns, data, up)
        except ExpressionEvaluationError as error:
            raise error.at(pointer) from None

    return generic


def _compile(node: Any, pointer: str) -> _Node:
    cls = type(node)
    if cls is list:
        items = [_compile(item, f"{pointer}/{i}") for i, item in enumerate(node)]
        if all(item.const and type(item.value) in _PRIMITIVES for item in items):
            return _const([item.value for item in items])
        fns = tuple(item.fn for item in items)

        def build_list(data: Any, up: Up = None) -> Any:
            return [f(data, up) for f in fns]

        return _Node(build_list)
    if cls is not dict or len(node) != 1:
        return _const(node)
    ((name, raw),) = node.items()
    op = OPERATIONS[name]
    here = f"{pointer}/{escape_pointer(name)}"
    if op.raw:
        value = copy.deepcopy(raw)
        return _Node(_preserve(op, value))
    if type(raw) is list:
        args = [_compile(item, f"{here}/{i}") for i, item in enumerate(raw)]
    else:
        args = [_compile(raw, here)]
    folded = _fold(op, args)
    if folded is not None:
        return folded
    if name in _COMPARE:
        for arg, item in zip(args, raw if type(raw) is list else [raw], strict=False):
            arg.source = _canonical(item)
    special = SPECIALISERS.get(name)
    if special is not None:
        result = special(op, args)
        if result is not None:
            return result
    return _Node(_generic(op, args, here))


def _preserve(op: Operation, value: Any) -> Arg:
    evaluate = op.evaluate

    def raw_arg(data: Any, up: Up = None) -> Any:
        return copy.deepcopy(value)

    args = (raw_arg,)

    def preserve(data: Any, up: Up = None) -> Any:
        return evaluate(args, data, up)

    return preserve


def _rooted(fn: Arg) -> Arg:
    def root(data: Any, up: Up = None) -> Any:
        return fn(data, up)

    return root


def _closures(rule: Any) -> Arg:
    """The rule as closures, its root callable as ``fn(data)``."""
    function = _compile(rule, "").fn
    if not getattr(function, "__defaults__", None):
        function = _rooted(function)
    return function


def _fused(rule: Any) -> Arg:
    """The rule fused into one function (``_astgen`` is imported only when a rule is)."""
    from asiakasarvo_engine.jsonlogic._astgen import fuse

    return fuse(rule)


def _switch(rule: CompiledRule, function: Arg) -> None:
    """Make ``function`` the one ``rule`` calls (partial's own state setter; same state)."""
    partial.__setstate__(rule, (function, (), {}, rule.__dict__))  # type: ignore[attr-defined]


def _tiered(rule: CompiledRule, closures: Arg) -> Arg:
    """The closures, counting calls; after ``FUSE_AFTER`` the rule switches to fused."""
    calls = 0

    def warming(data: Any, up: Up = None) -> Any:
        nonlocal calls
        calls += 1
        if calls == FUSE_AFTER:
            rule._fuse()
        return closures(data, up)

    return warming


FUSE_AFTER: Final = 1000
"""Calls after which a rule compiled with ``fused=None`` is fused into one function.

Fusing costs about as much as a thousand calls save (building and compiling the tree takes
0.3-0.6 ms; the fused function is 100-300 ns faster a call), so only the rules that run
often are fused: loading a bank stays as fast as closures make it.
"""


class CompiledRule(partial):  # type: ignore[type-arg]
    """A rule compiled once; call it with data to evaluate.

    It runs as closures first and, after :data:`FUSE_AFTER` calls, as one function fused
    from an ``ast`` tree (``fused``; closures stay for rules too large to fuse); both give
    exactly what ``apply`` gives. ``rule`` is a copy of the source rule, ``variables`` the
    data paths it can read (``var`` paths and the literal names in ``missing`` /
    ``missing_some``) and ``dynamic`` is true when some path is only known at run time (a
    computed ``var`` name, the whole data, or a scope climb), so ``variables`` may then be
    incomplete.

    It subclasses :class:`functools.partial` only so that a call costs no Python frame
    of its own; it is immutable (switching to the fused function is its only change).
    """

    __slots__ = ()

    def __new__(cls, rule: Any, *, fused: bool | None = None) -> CompiledRule:
        validate(rule)
        source = copy.deepcopy(rule)
        function: Arg = _fused(source) if fused else _closures(source)
        self = super().__new__(cls, function)
        deps = dependencies(source)
        state = self.__dict__
        state["_fused"] = bool(fused)
        state["_rule"] = source
        state["_variables"] = deps.variables
        state["_dynamic"] = deps.dynamic
        if fused is None:
            _switch(self, _tiered(self, function))
        return self

    def _fuse(self) -> None:
        """Switch to the fused function (or stay on closures when the rule cannot be fused)."""
        from asiakasarvo_engine.jsonlogic._astgen import UnfusableError

        state = self.__dict__
        try:
            function: Arg = _fused(state["_rule"])
        except UnfusableError:
            function = _closures(state["_rule"])
        else:
            state["_fused"] = True
        _switch(self, function)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("CompiledRule is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("CompiledRule is immutable")

    def __setstate__(self, state: Any) -> None:
        raise TypeError("CompiledRule cannot be unpickled; compile the rule again")

    def __reduce__(self) -> Any:
        return (CompiledRule, (self.__dict__["_rule"],))

    @property
    def rule(self) -> Any:
        """A copy of the compiled rule."""
        return copy.deepcopy(self.__dict__["_rule"])

    @property
    def variables(self) -> frozenset[str]:
        """Data paths the rule can read (see ``dynamic``)."""
        result: frozenset[str] = self.__dict__["_variables"]
        return result

    @property
    def fused(self) -> bool:
        """True when the rule runs as one generated function, false for closures."""
        result: bool = self.__dict__["_fused"]
        return result

    @property
    def dynamic(self) -> bool:
        """True when some path the rule reads is only known at run time."""
        result: bool = self.__dict__["_dynamic"]
        return result

    def __repr__(self) -> str:
        return f"CompiledRule({self.__dict__['_rule']!r})"


def compile_rule(rule: Any, *, fused: bool | None = None) -> CompiledRule:
    """Validate ``rule`` and compile it into a :class:`CompiledRule`.

    ``fused``: ``None`` fuses the rule into one generated function when it can and keeps
    closures otherwise; ``False`` always uses closures; ``True`` raises ``UnfusableError`` when
    the rule cannot be fused (the tests run both paths).
    """
    return CompiledRule(rule, fused=fused)
