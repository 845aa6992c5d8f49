"""Compile a rule once into nested Python closures (never ``eval``/``exec``).

Each node becomes a closure ``fn(data, up)``. Operations come from the table and are
called through their one signature; a few hot shapes are specialised for speed (a
``var`` with a fixed path, comparisons with a literal operand, sums of plain variables,
``if`` chains with literal results). Specialised closures give exactly what the generic
ones give; the property tests compare ``compile`` with ``apply`` on generated rules.
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
from asiakasarvo_engine.jsonlogic._errors import ExpressionEvaluationError, escape_pointer
from asiakasarvo_engine.jsonlogic._ops import Arg, Operation, Up, get_path, v_add
from asiakasarvo_engine.jsonlogic._registry import OPERATIONS
from asiakasarvo_engine.jsonlogic._truthiness import (
    MAX_SAFE,
    UNDEFINED,
    less,
    less_equal,
    loose_equal,
    strict_equal,
    to_number,
    truthy,
)
from asiakasarvo_engine.jsonlogic._validate import validate

__all__ = ["CompiledRule", "compile_rule"]

_PRIMITIVES: Final = (str, int, float, bool, type(None))


@dataclass(slots=True)
class _Node:
    """A compiled node and what the compiler knows about it."""

    fn: Arg
    const: bool = False
    value: Any = None
    is_bool: bool = False
    key: str | None = None  # a var reading one plain key with a null default
    source: str | None = None  # canonical JSON of the node (set for comparison operands)
    compare: tuple[str, _Node, float] | None = None  # (op, subject, number): subject <op> n


def _canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, separators=(",", ":"))


def _is_number(value: Any) -> bool:
    cls = type(value)
    return cls is int or cls is float


def _const(value: Any) -> _Node:
    if type(value) is list:
        items = list(value)
        return _Node(lambda data, up: list(items), const=True, value=value)
    return _Node(lambda data, up: value, const=True, value=value,
                 is_bool=type(value) is bool)


# --- var ---------------------------------------------------------------------------------


def _var_key(key: str) -> _Node:
    def fn(data: Any, up: Up = None) -> Any:
        if type(data) is dict:
            return data.get(key)
        value = get_path(data, key)
        return None if value is UNDEFINED else value

    return _Node(fn, key=key)


def _var_path(key: Any, default: _Node | None) -> _Node:
    default_fn = default.fn if default is not None else None

    def fn(data: Any, up: Up = None) -> Any:
        value = get_path(data, key)
        if value is UNDEFINED:
            return None if default_fn is None else default_fn(data, up)
        return value

    return _Node(fn)


def _special_var(op: Operation, args: list[_Node]) -> _Node | None:
    if not args or not args[0].const or len(args) > 2:
        return None
    key = args[0].value
    if key is None or key == "":
        return _Node(lambda data, up: data)
    if type(key) is str and "." not in key and len(args) == 1:
        return _var_key(key)
    if type(key) in (str, int, float):
        return _var_path(key, args[1] if len(args) == 2 else None)
    return None


# --- comparisons -------------------------------------------------------------------------

_Compare = Callable[[Any, Any], bool]


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


_NUMERIC: Final[dict[str, Callable[[Any, float], bool]]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def _fast_number_compare(name: str, key: str, const: float, general: _Compare) -> Arg:
    """``var(key) <op> number`` with a numeric fast path."""
    if name == "<":
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is int or type(v) is float:
                return v < const
            return general(v, const)
    elif name == "<=":
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is int or type(v) is float:
                return v <= const
            return general(v, const)
    elif name == ">":
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is int or type(v) is float:
                return v > const
            return general(v, const)
    elif name == ">=":
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is int or type(v) is float:
                return v >= const
            return general(v, const)
    elif name in ("==", "==="):
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is int or type(v) is float:
                return v == const
            return general(v, const)
    else:
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is int or type(v) is float:
                return v != const
            return general(v, const)
    return fn


def _fast_string_compare(name: str, key: str, const: str, general: _Compare) -> Arg:
    """``var(key) == "text"`` (and ``!=``, ``===``, ``!==``) with a string fast path."""
    if name in ("==", "==="):
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is str:
                return v == const
            return general(v, const)
    else:
        def fn(data: Any, up: Up = None) -> Any:
            v = data.get(key) if type(data) is dict else _lookup(data, key)
            if type(v) is str:
                return v != const
            return general(v, const)
    return fn


def _lookup(data: Any, key: str) -> Any:
    value = get_path(data, key)
    return None if value is UNDEFINED else value


def _special_compare(op: Operation, args: list[_Node]) -> _Node | None:
    general = _COMPARE[op.name]
    if len(args) == 2:
        left, right = args
        if left.key is not None and right.const:
            if _is_number(right.value):
                return _Node(
                    _fast_number_compare(op.name, left.key, right.value, general),
                    is_bool=True,
                    compare=(op.name, left, float(right.value))
                    if op.name in _NUMERIC else None,
                )
            if type(right.value) is str and op.name in ("==", "===", "!=", "!=="):
                return _Node(
                    _fast_string_compare(op.name, left.key, right.value, general), is_bool=True
                )
        a, b = left.fn, right.fn
        if right.const and _is_number(right.value) and op.name in _NUMERIC:
            const = float(right.value)
            fast = _NUMERIC[op.name]

            def fn_num(data: Any, up: Up = None) -> Any:
                v = a(data, up)
                if type(v) is int or type(v) is float:
                    return fast(v, const)
                return general(v, const)

            return _Node(fn_num, is_bool=True, compare=(op.name, left, const))

        def fn(data: Any, up: Up = None) -> Any:
            return general(a(data, up), b(data, up))

        return _Node(fn, is_bool=True)
    if len(args) == 3 and op.name in ("<", "<="):
        a, b, c = (arg.fn for arg in args)

        def fn3(data: Any, up: Up = None) -> Any:
            x = a(data, up)
            y = b(data, up)
            return general(x, y) and general(y, c(data, up))

        return _Node(fn3, is_bool=True)
    return None


# --- logic -------------------------------------------------------------------------------


def _special_not(op: Operation, args: list[_Node]) -> _Node | None:
    if len(args) != 1:
        return None
    a = args[0].fn
    negate = op.name == "!"
    if args[0].is_bool:
        if negate:
            return _Node(lambda data, up: not a(data, up), is_bool=True)
        return _Node(a, is_bool=True)
    if negate:
        return _Node(lambda data, up: not truthy(a(data, up)), is_bool=True)
    return _Node(lambda data, up: truthy(a(data, up)), is_bool=True)


def _special_and_or(op: Operation, args: list[_Node]) -> _Node | None:
    if not args or not all(arg.is_bool for arg in args):
        return None
    fns = tuple(arg.fn for arg in args)
    if op.name == "and":
        if len(fns) == 2:
            a, b = fns
            return _Node(lambda data, up: a(data, up) and b(data, up), is_bool=True)
        if len(fns) == 3:
            a, b, c = fns
            return _Node(
                lambda data, up: a(data, up) and b(data, up) and c(data, up), is_bool=True
            )

        def all_of(data: Any, up: Up = None) -> Any:
            return all(f(data, up) for f in fns)

        return _Node(all_of, is_bool=True)
    if len(fns) == 2:
        a, b = fns
        return _Node(lambda data, up: a(data, up) or b(data, up), is_bool=True)

    def any_of(data: Any, up: Up = None) -> Any:
        return any(f(data, up) for f in fns)

    return _Node(any_of, is_bool=True)


def _special_if(op: Operation, args: list[_Node]) -> _Node | None:
    if len(args) < 3 or len(args) % 2 == 0:
        return None
    conditions = args[0:-1:2]
    results = [*args[1:-1:2], args[-1]]
    if not all(c.is_bool for c in conditions):
        return None
    band = _band(conditions, results)
    if band is not None:
        return band
    if all(r.const and type(r.value) in _PRIMITIVES for r in results):
        pairs = tuple((c.fn, r.value) for c, r in zip(conditions, results, strict=False))
        otherwise = results[-1].value

        def chain_const(data: Any, up: Up = None) -> Any:
            for condition, value in pairs:
                if condition(data, up):
                    return value
            return otherwise

        return _Node(chain_const)
    fn_pairs = tuple((c.fn, r.fn) for c, r in zip(conditions, results, strict=False))
    else_fn = results[-1].fn

    def chain(data: Any, up: Up = None) -> Any:
        for condition, then in fn_pairs:
            if condition(data, up):
                return then(data, up)
        return else_fn(data, up)

    return _Node(chain)


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
    general = {name: _COMPARE[name] for name in _NUMERIC}
    steps = tuple(
        (_NUMERIC[c[0]], general[c[0]], c[2], r.value)
        for c, r in zip(compares, results, strict=False)
        if c is not None
    )
    otherwise = results[-1].value

    def band(data: Any, up: Up = None) -> Any:
        v = subject(data, up)
        if type(v) is int or type(v) is float:
            for fast, _, bound, value in steps:
                if fast(v, bound):
                    return value
            return otherwise
        for _, slow, bound, value in steps:
            if slow(v, bound):
                return value
        return otherwise

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
        members = frozenset(haystack.value)
        get = needle.fn
        if needle.key is not None:
            key = needle.key

            def in_set_key(data: Any, up: Up = None) -> Any:
                v = data.get(key) if type(data) is dict else _lookup(data, key)
                return type(v) is str and v in members

            return _Node(in_set_key, is_bool=True)

        def in_set(data: Any, up: Up = None) -> Any:
            v = get(data, up)
            return type(v) is str and v in members

        return _Node(in_set, is_bool=True)
    if needle.const and type(needle.value) is str:
        text = needle.value
        get = haystack.fn

        def contains(data: Any, up: Up = None) -> Any:
            h = get(data, up)
            if type(h) is list:
                return text in h
            if type(h) is str:
                return bool(h) and text in h
            return False

        return _Node(contains, is_bool=True)
    return None


# --- arithmetic --------------------------------------------------------------------------


def _special_add(op: Operation, args: list[_Node]) -> _Node | None:
    if len(args) < 2 or not all(arg.key is not None for arg in args):
        return None
    keys = tuple(arg.key for arg in args)
    fns = tuple(arg.fn for arg in args)
    pick = itemgetter(*keys)

    def add_keys(data: Any, up: Up = None) -> Any:
        # The exact-integer case of ``+`` without a Python loop; else the general ``+``.
        if type(data) is dict:
            try:
                values = pick(data)
                total = sum(values)
            except (KeyError, TypeError):
                pass
            else:
                if (
                    type(total) is int
                    and -MAX_SAFE < total < MAX_SAFE
                    and bool not in map(type, values)
                ):
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
            return _const(node)
        fns = tuple(item.fn for item in items)
        return _Node(lambda data, up: [f(data, up) for f in fns])
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
    return lambda data, up: evaluate(args, data, up)


def _rooted(fn: Arg) -> Arg:
    def root(data: Any, up: Up = None) -> Any:
        return fn(data, up)

    return root


class CompiledRule(partial):  # type: ignore[type-arg]
    """A rule compiled once into closures; call it with data to evaluate.

    ``rule`` is a copy of the source rule, ``variables`` the data paths it can read
    (``var`` paths and the literal names in ``missing`` / ``missing_some``) and
    ``dynamic`` is true when some path is only known at run time (a computed ``var``
    name, the whole data, or a scope climb), so ``variables`` may then be incomplete.

    It subclasses :class:`functools.partial` only so that a call costs no Python frame
    of its own; it is immutable.
    """

    __slots__ = ()

    def __new__(cls, rule: Any) -> CompiledRule:
        validate(rule)
        source = copy.deepcopy(rule)
        function = _compile(source, "").fn
        if not getattr(function, "__defaults__", None):
            function = _rooted(function)
        self = super().__new__(cls, function)
        deps = dependencies(source)
        state = self.__dict__
        state["_rule"] = source
        state["_variables"] = deps.variables
        state["_dynamic"] = deps.dynamic
        return self

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
    def dynamic(self) -> bool:
        """True when some path the rule reads is only known at run time."""
        result: bool = self.__dict__["_dynamic"]
        return result

    def __repr__(self) -> str:
        return f"CompiledRule({self.__dict__['_rule']!r})"


def compile_rule(rule: Any) -> CompiledRule:
    """Validate ``rule`` and compile it into a :class:`CompiledRule`."""
    return CompiledRule(rule)
