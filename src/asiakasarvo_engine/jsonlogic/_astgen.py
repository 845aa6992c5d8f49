"""Fuse a validated rule into one Python function built as an ``ast`` tree.

The "compiled rules" decision of issue 20: the tree is built from validated JSON Logic only
(never from text a user wrote); every literal is an ``ast.Constant`` of a JSON type (or a
list or set display of them); every name is ``data``, ``up``, a temporary ``_tN`` or an entry
of :data:`HELPERS`, our own functions, which are the generated function's only globals
(``__builtins__`` is empty). There is no attribute access, no import and no ``eval`` or
``exec``: the tree is compiled with :func:`compile` and the function is made from its code
object. A rule larger than :data:`MAX_FUSED_NODES` (or deeper than :data:`MAX_FUSED_DEPTH`),
or with a shape the generator does not take (a raw operation, an object literal), raises
:class:`UnfusableError`, and the caller keeps the closures.

The function gives exactly what the closures give: the same fast paths (a plain value tested
inline, the general JS operation otherwise), the same constant folding and the same JSON
pointer on an evaluation error (each generic operation is called through :func:`_values` or
:func:`_lazy`, which set it as the closures' generic nodes do).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import CodeType, FunctionType
from typing import Any, Final

from asiakasarvo_engine.jsonlogic._compiler import FOLDABLE
from asiakasarvo_engine.jsonlogic._errors import ExpressionError, ExpressionEvaluationError, escape_pointer
from asiakasarvo_engine.jsonlogic._ops import Arg, Up, get_path, prop, v_add
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

__all__ = ["HELPERS", "MAX_FUSED_DEPTH", "MAX_FUSED_NODES", "UnfusableError", "fuse", "tree"]

MAX_FUSED_NODES: Final = 400
"""Most JSON values (operations, lists, literals) of a rule fused into one function."""
MAX_FUSED_DEPTH: Final = 40
"""Deepest nesting of a rule fused into one function."""

_PRIMITIVES: Final = (str, int, float, bool, type(None))


class UnfusableError(Exception):
    """The rule is too large or of a shape the generator does not fuse: keep closures."""


# --- helpers: the only globals of generated code ----------------------------------------


def _lookup(data: Any, key: str, default: Any) -> Any:
    """``var`` of one plain key in data that is not a dict."""
    value = get_path(data, key)
    return default if value is UNDEFINED else value


def _path(data: Any, key: str, default: Any) -> Any:
    """``var`` of a dotted path (the general case)."""
    value = data
    for part in key.split("."):
        if type(value) is dict:
            value = value.get(part, UNDEFINED)
        elif value is None or value is UNDEFINED:
            return default
        else:
            value = prop(value, part)
        if value is UNDEFINED:
            return default
    return value


def _strictly_in(text: str, items: list[Any]) -> bool:
    """Some item is a ``str`` equal to ``text``."""
    return any(type(item) is str and item == text for item in items)


def _values(name: str, pointer: str, values: list[Any]) -> Any:
    """An eager operation on its argument values; an evaluation error gets ``pointer``."""
    try:
        return OPERATIONS[name].values(values)  # type: ignore[misc]
    except ExpressionEvaluationError as error:
        raise error.at(pointer) from None


def _lazy(name: str, pointer: str, args: Sequence[Arg], data: Any, up: Up) -> Any:
    """An operation on its argument evaluators; an evaluation error gets ``pointer``."""
    try:
        return OPERATIONS[name].evaluate(args, data, up)
    except ExpressionEvaluationError as error:
        raise error.at(pointer) from None


def _gt(a: Any, b: Any) -> bool:
    return less(b, a)


def _ge(a: Any, b: Any) -> bool:
    return less_equal(b, a)


HELPERS: Final[dict[str, Any]] = {
    "_type": type, "_int": int, "_float": float, "_str": str, "_list": list, "_dict": dict,
    "_get": dict.get, "_index": list.index,
    "_U": UNDEFINED, "_lookup": _lookup, "_path": _path, "_get_path": get_path,
    "_truthy": truthy, "_to_number": to_number, "_add": v_add, "_strictly_in": _strictly_in,
    "_values": _values, "_lazy": _lazy,
    "_loose_eq": loose_equal, "_strict_eq": strict_equal, "_less": less, "_less_eq": less_equal,
    "_gt": _gt, "_ge": _ge,
}
"""Every name generated code may use besides ``data``, ``up`` and its temporaries."""

_COMPARE: Final[dict[str, tuple[str, bool]]] = {  # name -> (helper, negate)
    "==": ("_loose_eq", False), "!=": ("_loose_eq", True),
    "===": ("_strict_eq", False), "!==": ("_strict_eq", True),
    "<": ("_less", False), "<=": ("_less_eq", False), ">": ("_gt", False), ">=": ("_ge", False),
}
_PY_COMPARE: Final[dict[str, Callable[[], ast.cmpop]]] = {
    "==": ast.Eq, "===": ast.Eq, "!=": ast.NotEq, "!==": ast.NotEq,
    "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE,
}
_ORDER: Final = frozenset({"<", "<=", ">", ">="})


# --- small AST builders ------------------------------------------------------------------


def _name(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Load())


def _const(value: Any) -> ast.expr:
    if type(value) is list:
        return ast.List(elts=[_const(item) for item in value], ctx=ast.Load())
    if type(value) not in _PRIMITIVES:
        raise UnfusableError("not a JSON literal")
    return ast.Constant(value=value)


def _call(helper: str, *args: ast.expr) -> ast.Call:
    assert helper in HELPERS
    return ast.Call(func=_name(helper), args=list(args), keywords=[])


def _is(left: ast.expr, right: str) -> ast.Compare:
    return ast.Compare(left=left, ops=[ast.Is()], comparators=[_name(right)])


def _type_is(value: ast.expr, cls: str) -> ast.Compare:
    return _is(_call("_type", value), cls)


def _and(*values: ast.expr) -> ast.expr:
    return values[0] if len(values) == 1 else ast.BoolOp(op=ast.And(), values=list(values))


def _or(*values: ast.expr) -> ast.expr:
    return values[0] if len(values) == 1 else ast.BoolOp(op=ast.Or(), values=list(values))


def _not(value: ast.expr) -> ast.expr:
    return ast.UnaryOp(op=ast.Not(), operand=value)


def _if(test: ast.expr, then: ast.expr, otherwise: ast.expr) -> ast.IfExp:
    return ast.IfExp(test=test, body=then, orelse=otherwise)


def _cmp(left: ast.expr, op: str, right: ast.expr) -> ast.Compare:
    return ast.Compare(left=left, ops=[_PY_COMPARE[op]()], comparators=[right])


def _is_number(value: Any) -> bool:
    cls = type(value)
    return cls is int or cls is float


@dataclass(slots=True)
class _Expr:
    """A generated expression and what the generator knows about its value."""

    node: ast.expr
    # "any"; "bool": a Python bool; "number": an int below 2**53 in magnitude or a float;
    # "const": the literal ``value``
    kind: str = "any"
    value: Any = None  # the literal, for "const"
    key: str | None = None  # a ``var`` of this literal path with a primitive default ...
    default: Any = None  # ... this default
    source: str = ""  # canonical JSON of the node, for an if-chain's common subject
    band: tuple[str, _Expr, int | float] | None = None  # (op, subject, n): subject <op> n


def _bool(expr: _Expr) -> bool:
    return expr.kind == "bool" or (expr.kind == "const" and type(expr.value) is bool)


def _number(expr: _Expr) -> bool:
    return expr.kind == "number" or (expr.kind == "const" and _is_number(expr.value))


class _Generator:
    """Builds the expression of one rule; ``temp`` names the temporaries."""

    def __init__(self) -> None:
        self.count = 0
        self.nodes = 0

    def temp(self) -> str:
        self.count += 1
        return f"_t{self.count}"

    def store(self, name: str, value: ast.expr) -> ast.NamedExpr:
        return ast.NamedExpr(target=ast.Name(id=name, ctx=ast.Store()), value=value)

    # The dict test of the data in scope: ``_d`` at the root, inline inside a lambda.
    def is_dict(self, root: bool) -> ast.expr:
        return _name("_d") if root else _type_is(_name("data"), "_dict")

    def gen(self, node: Any, pointer: str, root: bool, depth: int) -> _Expr:
        self.nodes += 1
        if self.nodes > MAX_FUSED_NODES or depth > MAX_FUSED_DEPTH:
            raise UnfusableError("rule too large to fuse")
        cls = type(node)
        if cls is list:
            items = [self.gen(item, f"{pointer}/{i}", root, depth + 1) for i, item in enumerate(node)]
            if all(item.kind == "const" and type(item.value) in _PRIMITIVES for item in items):
                values = [item.value for item in items]
                return _Expr(_const(values), "const", values)
            return _Expr(ast.List(elts=[item.node for item in items], ctx=ast.Load()))
        if cls is dict and len(node) == 1:
            return self.operation(node, pointer, root, depth)
        if cls is dict:
            raise UnfusableError("object literal")
        return _Expr(_const(node), "const", node)

    def operation(self, node: dict[str, Any], pointer: str, root: bool, depth: int) -> _Expr:
        ((name, raw),) = node.items()
        op = OPERATIONS[name]
        here = f"{pointer}/{escape_pointer(name)}"
        if op.raw:
            raise UnfusableError("raw operation")
        items = raw if type(raw) is list else [raw]
        paths = [f"{here}/{i}" for i in range(len(items))] if type(raw) is list else [here]
        if any(op.is_scoped(i) for i in range(len(items))):
            return self.lazy(name, here, items, paths, depth=depth)
        args = [self.gen(item, path, root, depth + 1) for item, path in zip(items, paths, strict=True)]
        folded = self.fold(name, args)
        if folded is not None:
            return folded
        if name in _COMPARE:  # an if-chain's tests are told apart by their subjects' source
            for arg, item in zip(args, items, strict=True):
                arg.source = json.dumps(item, sort_keys=True, separators=(",", ":"))
        special = getattr(self, _SPECIAL.get(name, ""), None)
        if special is not None:
            result: _Expr | None = special(name, args, root)
            if result is not None:
                return result
        values = ast.List(elts=[arg.node for arg in args], ctx=ast.Load())
        if op.values is not None:
            return _Expr(_call("_values", ast.Constant(name), ast.Constant(here), values))
        return self.lazy(name, here, items, paths, depth=depth, args=args)

    def lazy(self, name: str, here: str, items: list[Any], paths: list[str], *, depth: int,
             args: list[_Expr] | None = None) -> _Expr:
        """The operation called with its arguments as lambdas ``(data, up)``."""
        op = OPERATIONS[name]
        lambdas: list[ast.expr] = []
        for i, (item, path) in enumerate(zip(items, paths, strict=True)):
            arg = args[i] if args is not None and not op.is_scoped(i) else None
            if arg is None or _reads_root(arg.node):  # (re)built for the lambda's own data
                arg = self.gen(item, path, False, depth + 1)
            lambdas.append(ast.Lambda(
                args=ast.arguments(posonlyargs=[], args=[ast.arg("data"), ast.arg("up")],
                                   kwonlyargs=[], kw_defaults=[], defaults=[]),
                body=arg.node))
        call = _call("_lazy", ast.Constant(name), ast.Constant(here),
                     ast.Tuple(elts=lambdas, ctx=ast.Load()), _name("data"), _name("up"))
        return _Expr(call)

    def fold(self, name: str, args: list[_Expr]) -> _Expr | None:
        """An operation of ``FOLDABLE`` over literals: its value, as the closures fold."""
        if name not in FOLDABLE or not all(arg.kind == "const" for arg in args):
            return None
        consts = tuple(_constant_arg(arg.value) for arg in args)
        try:
            value = OPERATIONS[name].evaluate(consts, None, None)
        except ExpressionError:
            return None
        if type(value) not in _PRIMITIVES:
            return None
        return _Expr(_const(value), "const", value)

    # --- var ----------------------------------------------------------------------------

    def var(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        if not args or args[0].kind != "const" or len(args) > 2:
            return None
        key = args[0].value
        data = _name("data")
        if key is None or key == "":
            return _Expr(data)
        if type(key) not in (str, int, float):
            return None
        path = to_string(key)
        default = args[1] if len(args) == 2 else None
        if default is not None and not (default.kind == "const" and type(default.value) in _PRIMITIVES):
            value = self.temp()
            fetched = self.store(value, _call("_get_path", data, ast.Constant(path)))
            return _Expr(_if(_is(fetched, "_U"), default.node, _name(value)))
        literal = None if default is None else default.value
        return _Expr(self.lookup(path, literal, root), key=path, default=literal)

    def lookup(self, path: str, default: Any, root: bool) -> ast.expr:
        """The value at a literal path: ``dict.get`` steps, the general path otherwise."""
        data = _name("data")
        extra = [] if default is None else [ast.Constant(default)]
        if "." not in path:
            fast = _call("_get", data, ast.Constant(path), *extra)
            general = _call("_lookup", data, ast.Constant(path), ast.Constant(default))
            return _if(self.is_dict(root), fast, general)
        parts = path.split(".")
        tests: list[ast.expr] = [self.is_dict(root)]
        current: ast.expr = data
        for part in parts[:-1]:
            step = self.temp()
            tests.append(_type_is(self.store(step, _call("_get", current, ast.Constant(part))), "_dict"))
            current = _name(step)
        fast = _call("_get", current, ast.Constant(parts[-1]), *extra)
        general = _call("_path", data, ast.Constant(path), ast.Constant(default))
        return _if(_and(*tests), fast, general)

    # --- comparisons --------------------------------------------------------------------

    def compare(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        helper, negate = _COMPARE[name]
        if len(args) == 3:
            if name not in ("<", "<="):
                return None
            return self.between(name, args)
        if len(args) != 2:
            return None
        left, right = args
        if right.kind == "const" and left.kind != "const":
            fast = self.against_literal(name, left, right.value, literal_right=True)
            if fast is not None:
                if name in _ORDER and _is_number(right.value):
                    fast.band = (name, left, right.value)
                return fast
        if left.kind == "const" and right.kind != "const":
            fast = self.against_literal(name, right, left.value, literal_right=False)
            if fast is not None:
                return fast
        if name in _ORDER and _number(left) and _number(right):
            return _Expr(_cmp(left.node, name, right.node), "bool")
        general: ast.expr = _call(helper, left.node, right.node)
        return _Expr(_not(general) if negate else general, "bool")

    def against_literal(self, name: str, subject: _Expr, const: Any, *,
                        literal_right: bool) -> _Expr | None:
        """``subject <name> literal`` (or mirrored): plain Python when the value is plain."""
        helper, negate = _COMPARE[name]
        plain: tuple[str, ...]
        if _is_number(const):
            plain = ("_int", "_float")
        elif type(const) is str and name in ("==", "===", "!=", "!=="):
            plain = ("_str",)
        else:
            return None
        literal = ast.Constant(const)

        def pair(value: ast.expr) -> tuple[ast.expr, ast.expr]:
            return (value, literal) if literal_right else (literal, value)

        if subject.kind == "number" and plain[0] == "_int":
            return _Expr(_ordered(pair(subject.node), name), "bool")
        value = self.temp()
        kind = self.temp()
        stored = self.store(value, subject.node)
        if len(plain) == 2:
            test = _or(_is(self.store(kind, _call("_type", stored)), "_int"),
                       _is(_name(kind), "_float"))
        else:
            test = _type_is(stored, "_str")
        fast = _ordered(pair(_name(value)), name)
        general: ast.expr = _call(helper, *pair(_name(value)))
        if negate:
            general = _not(general)
        return _Expr(_if(test, fast, general), "bool")

    def between(self, name: str, args: list[_Expr]) -> _Expr:
        """``a < b < c`` (or ``<=``): the third is evaluated only when the first holds."""
        low, middle, high = args
        helper = _COMPARE[name][0]
        if low.kind == "const" and high.kind == "const" and _is_number(low.value) \
                and _is_number(high.value):
            value, kind = self.temp(), self.temp()
            stored = self.store(value, middle.node)
            test = _or(_is(self.store(kind, _call("_type", stored)), "_int"), _is(_name(kind), "_float"))
            op = _PY_COMPARE[name]
            fast = ast.Compare(left=low.node, ops=[op(), op()], comparators=[_name(value), high.node])
            general = _and(_call(helper, low.node, _name(value)), _call(helper, _name(value), high.node))
            return _Expr(_if(test, fast, general), "bool")
        value = self.temp()
        first = _call(helper, low.node, self.store(value, middle.node))
        return _Expr(_and(first, _call(helper, _name(value), high.node)), "bool")

    # --- logic --------------------------------------------------------------------------

    def negation(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        if len(args) != 1:
            return None
        (arg,) = args
        value = arg.node if _bool(arg) else _call("_truthy", arg.node)
        return _Expr(_not(value) if name == "!" else value, "bool")

    def and_or(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        if not args:
            return None
        if len(args) == 1:
            return args[0]
        if all(_bool(arg) for arg in args):
            nodes = [arg.node for arg in args]
            return _Expr(_and(*nodes) if name == "and" else _or(*nodes), "bool")
        # JS values: the first falsy (``and``) or truthy (``or``) value, else the last.
        result = args[-1].node
        for arg in reversed(args[:-1]):
            value = self.temp()
            test = _call("_truthy", self.store(value, arg.node))
            result = _if(test, result, _name(value)) if name == "and" else _if(test, _name(value), result)
        return _Expr(result)

    def if_chain(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        band = self.band(args)
        if band is not None:
            return band
        count = len(args)
        pairs = [(args[i], args[i + 1]) for i in range(0, count - 1, 2)]
        result: ast.expr = args[-1].node if count % 2 == 1 else ast.Constant(None)
        for test, then in reversed(pairs):
            condition = test.node if _bool(test) else _call("_truthy", test.node)
            result = _if(condition, then.node, result)
        branches = [then for _, then in pairs] + ([args[-1]] if count % 2 == 1 else [])
        kind = "any"
        if count % 2 == 1 and all(_bool(then) for then in branches):
            kind = "bool"
        elif count % 2 == 1 and all(_number(then) for then in branches):
            kind = "number"
        return _Expr(result, kind)

    def band(self, args: list[_Expr]) -> _Expr | None:
        """An if-chain comparing one subject with literal numbers: the subject once."""
        count = len(args)
        if count < 3 or count % 2 == 0:
            return None
        tests, results = args[0:-1:2], [*args[1:-1:2], args[-1]]
        if not all(r.kind == "const" for r in results):
            return None
        steps = []
        for test in tests:
            if test.band is None:
                return None
            steps.append(test.band)
        subjects = {subject.source for _, subject, _ in steps}
        if len(subjects) != 1 or "" in subjects or '"log"' in next(iter(subjects)):
            return None
        subject = steps[0][1]
        value, kind = self.temp(), self.temp()
        stored = self.store(value, subject.node)
        pairs = list(zip(steps, results, strict=False))

        def chain(helper: bool, first: ast.expr) -> ast.expr:
            result: ast.expr = _const(results[-1].value)
            for i, ((op, _, bound), branch) in reversed(list(enumerate(pairs))):
                left = first if i == 0 else _name(value)
                if helper:
                    test: ast.expr = _call(_COMPARE[op][0], left, ast.Constant(bound))
                else:
                    test = _cmp(left, op, ast.Constant(bound))
                result = _if(test, _const(branch.value), result)
            return result

        if subject.kind == "number":
            return _Expr(chain(False, stored))
        plain = _or(_is(self.store(kind, _call("_type", stored)), "_int"), _is(_name(kind), "_float"))
        return _Expr(_if(plain, chain(False, _name(value)), chain(True, _name(value))))

    # --- in -----------------------------------------------------------------------------

    def membership(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        if len(args) != 2:
            return None
        needle, haystack = args
        if haystack.kind == "const" and type(haystack.value) is list and haystack.value \
                and all(type(item) is str for item in haystack.value):
            value = self.temp()
            members = ast.Set(elts=[ast.Constant(item) for item in haystack.value])
            test = _type_is(self.store(value, needle.node), "_str")
            contained = ast.Compare(left=_name(value), ops=[ast.In()], comparators=[members])
            return _Expr(_and(test, contained), "bool")
        if needle.kind == "const" and type(needle.value) is str:
            text = ast.Constant(needle.value)
            value, kind = self.temp(), self.temp()
            stored = self.store(value, haystack.node)
            found = ast.Compare(left=text, ops=[ast.In()], comparators=[_name(value)])
            # ``in`` of a list compares with ==: make sure the item found is text.
            item = ast.Subscript(value=_name(value), slice=_call("_index", _name(value), text),
                                 ctx=ast.Load())
            strict = _or(_type_is(item, "_str"), _call("_strictly_in", text, _name(value)))
            in_list = _and(found, strict)
            in_text = _and(ast.Compare(left=_name(value), ops=[ast.NotEq()],
                                       comparators=[ast.Constant("")]), found)
            is_list = _is(self.store(kind, _call("_type", stored)), "_list")
            return _Expr(_if(is_list, in_list,
                             _if(_is(_name(kind), "_str"), in_text, ast.Constant(False))), "bool")
        return None

    # --- arithmetic ---------------------------------------------------------------------

    def add(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        """A sum of plain keys (null default) and literal integers: exact integers inline."""
        keys = [arg for arg in args if arg.kind != "const"]
        if len(keys) < 2 or not all(
            (arg.key is not None and "." not in arg.key and arg.default is None)
            or (arg.kind == "const" and type(arg.value) is int)
            for arg in args
        ):
            return None
        tests: list[ast.expr] = [self.is_dict(root)]
        terms: list[ast.expr] = []
        for arg in args:
            if arg.kind == "const":
                terms.append(ast.Constant(arg.value))
                continue
            value = self.temp()
            assert arg.key is not None
            fetched = self.store(value, _call("_get", _name("data"), ast.Constant(arg.key)))
            tests.append(_type_is(fetched, "_int"))
            terms.append(_name(value))
        total = terms[0]
        for term in terms[1:]:
            total = ast.BinOp(left=total, op=ast.Add(), right=term)
        result = self.temp()
        tests.append(ast.Compare(left=ast.Constant(-MAX_SAFE), ops=[ast.Lt(), ast.Lt()],
                                 comparators=[self.store(result, total), ast.Constant(MAX_SAFE)]))
        general = _call("_add", ast.List(elts=[arg.node for arg in args], ctx=ast.Load()))
        return _Expr(_if(_and(*tests), _name(result), general), "number")

    def divide(self, name: str, args: list[_Expr], root: bool) -> _Expr | None:
        """Division by a literal number (not zero), as the closures divide."""
        if len(args) != 2 or args[1].kind != "const" or not _is_number(args[1].value):
            return None
        divisor = float(args[1].value)
        if divisor == 0:
            return None
        value, quotient = self.temp(), self.temp()
        numerator: ast.expr
        if args[0].kind == "number":  # an int below 2**53 or a float: divides exactly as is
            numerator = args[0].node
        else:
            stored = self.store(value, args[0].node)
            exact = _and(_type_is(stored, "_int"),
                         ast.Compare(left=ast.Constant(-MAX_SAFE), ops=[ast.Lt(), ast.Lt()],
                                     comparators=[_name(value), ast.Constant(MAX_SAFE)]))
            numerator = _if(exact, _name(value), _call("_to_number", _name(value)))
        divided = self.store(quotient, ast.BinOp(left=numerator, op=ast.Div(), right=ast.Constant(divisor)))
        # ``q % 1.0 == 0.0`` is ``q.is_integer()`` for every float (NaN and infinities: false).
        whole = ast.Compare(left=ast.BinOp(left=divided, op=ast.Mod(), right=ast.Constant(1.0)),
                            ops=[ast.Eq()], comparators=[ast.Constant(0.0)])
        integral = _and(whole,
                        ast.Compare(left=ast.Constant(-MAX_SAFE), ops=[ast.Lt(), ast.Lt()],
                                    comparators=[_name(quotient), ast.Constant(MAX_SAFE)]))
        as_int = ast.Call(func=_name("_int"), args=[_name(quotient)], keywords=[])
        return _Expr(_if(integral, as_int, _name(quotient)), "number")


def _ordered(pair: tuple[ast.expr, ast.expr], name: str) -> ast.Compare:
    return _cmp(pair[0], name, pair[1])


def _constant_arg(value: Any) -> Arg:
    if type(value) is list:
        items = list(value)

        def fresh(data: Any, up: Up = None) -> Any:
            return list(items)

        return fresh

    def constant(data: Any, up: Up = None) -> Any:
        return value

    return constant


def _reads_root(node: ast.expr) -> bool:
    """The expression uses the root's ``_d`` (so it cannot move into a lambda)."""
    return any(isinstance(n, ast.Name) and n.id == "_d" for n in ast.walk(node))


_SPECIAL: Final[dict[str, str]] = {
    "var": "var",
    **dict.fromkeys(_COMPARE, "compare"),
    "!": "negation", "!!": "negation",
    "and": "and_or", "or": "and_or",
    "if": "if_chain", "?:": "if_chain",
    "in": "membership",
    "+": "add",
    "/": "divide",
}


def tree(rule: Any) -> ast.Module:
    """The module defining ``rule(data, up=None)`` for a validated rule (or :class:`UnfusableError`)."""
    generator = _Generator()
    expression = generator.gen(rule, "", True, 1)
    body: list[ast.stmt] = [
        ast.Assign(targets=[ast.Name(id="_d", ctx=ast.Store())],
                   value=_type_is(_name("data"), "_dict")),
        ast.Return(value=expression.node),
    ]
    function = ast.FunctionDef(
        name="rule",
        args=ast.arguments(posonlyargs=[], args=[ast.arg("data"), ast.arg("up")], kwonlyargs=[],
                           kw_defaults=[], defaults=[ast.Constant(None)]),
        body=body, decorator_list=[], returns=None, type_comment=None,
    )
    return ast.fix_missing_locations(ast.Module(body=[function], type_ignores=[]))


def fuse(rule: Any) -> Callable[..., Any]:
    """One function ``(data, up=None)`` for a validated ``rule``; :class:`UnfusableError` if not."""
    module = tree(rule)
    try:
        code = compile(module, "<jsonlogic>", "exec", dont_inherit=True)
    except (RecursionError, MemoryError, ValueError) as error:  # pragma: no cover - bounded
        raise UnfusableError(str(error)) from None
    (inner,) = (const for const in code.co_consts if isinstance(const, CodeType))
    namespace = {"__builtins__": {}, **HELPERS}
    return FunctionType(inner, namespace, "rule", (None,))
