"""Infix syntax: Python expression syntax, parsed by ``ast`` under a node whitelist.

``parse`` translates text to JSON Logic; ``to_infix`` writes JSON Logic back as text.
Only the node types handled in :func:`_convert` are accepted; everything else
(subscripts, lambdas, comprehensions, ``**``, f-strings, attribute access on values ...)
is refused with EXPR-003 and the 1-based column of the offending node.
"""

from __future__ import annotations

import ast
import difflib
import json
import keyword
import warnings
from collections.abc import Iterator
from typing import Any, Final

from asiakasarvo_engine.jsonlogic._errors import ExpressionError, ExpressionLimitError
from asiakasarvo_engine.jsonlogic._limits import (
    MAX_DEPTH,
    MAX_LITERAL_NUMBER,
    MAX_LITERAL_STRING,
    MAX_NODES,
    MAX_SOURCE_LENGTH,
)
from asiakasarvo_engine.jsonlogic._registry import INFIX_CALLS, OPERATIONS
from asiakasarvo_engine.jsonlogic._validate import validate
from asiakasarvo_engine.suggest import suggestion

__all__ = ["parse", "to_infix"]

_LITERAL_NAMES: Final[dict[str, Any]] = {
    "null": None, "None": None, "true": True, "True": True, "false": False, "False": False,
}
_BINARY: Final[dict[type[ast.operator], str]] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%",
}
_COMPARE: Final[dict[type[ast.cmpop], str]] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Is: "===", ast.IsNot: "!==", ast.In: "in",
}
_REFUSED: Final[dict[type[ast.AST], str]] = {
    ast.Subscript: "subscripts (use var('list.0') for an index)",
    ast.Lambda: "lambda", ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "generator expressions",
    ast.JoinedStr: "f-strings", ast.FormattedValue: "f-strings", ast.Dict: "dict literals",
    ast.Set: "set literals", ast.Starred: "starred arguments", ast.NamedExpr: "the := operator",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slices",
}
_OPERATOR_NAMES: Final[dict[type[ast.AST], str]] = {
    ast.Pow: "the ** operator", ast.FloorDiv: "the // operator", ast.MatMult: "the @ operator",
    ast.LShift: "the << operator", ast.RShift: "the >> operator", ast.BitOr: "the | operator",
    ast.BitAnd: "the & operator", ast.BitXor: "the ^ operator", ast.Invert: "the ~ operator",
}


class _Source:
    """The text as parsed: wrapped as ``(`` text ``\\n)`` so that leading spaces and line
    breaks are allowed; columns are mapped back to the user's text (1-based characters)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.wrapped = f"({text}\n)"
        self.lines = self.wrapped.splitlines(keepends=True)

    def char_column(self, lineno: int, char_offset: int) -> int:
        column = char_offset + 1 - (1 if lineno == 1 else 0)
        if lineno >= len(self.lines):  # the closing bracket we added: the end of the text
            column = len(self.text.splitlines()[-1] if self.text.strip() else "") + 1
        return max(column, 1)

    def column(self, node: ast.AST) -> int | None:
        lineno = getattr(node, "lineno", None)
        offset = getattr(node, "col_offset", None)
        if lineno is None or offset is None or lineno > len(self.lines):
            return None
        prefix = self.lines[lineno - 1].encode("utf-8")[:offset]
        return self.char_column(lineno, len(prefix.decode("utf-8", errors="ignore")))

    def error(self, code: str, node: ast.AST, **fields: Any) -> ExpressionError:
        cls = ExpressionLimitError if code in ("EXPR-004", "EXPR-005", "EXPR-006",
                                               "EXPR-007") else ExpressionError
        return cls(code, column=self.column(node), **fields)


def _brackets(text: str) -> Iterator[tuple[str, int]]:
    """Each bracket outside string literals, with its 1-based column."""
    quote: str | None = None
    escaped = False
    for index, char in enumerate(text):
        if quote is not None:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "([{)]}":
            yield char, index + 1


def _bracket_depth(text: str) -> tuple[int, int]:
    """Deepest bracket nesting outside strings, and the column where it passes the bound."""
    depth = deepest = column = 0
    for char, at in _brackets(text):
        if char in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth == MAX_DEPTH + 1:
                    column = at
        else:
            depth -= 1
    return deepest, column


_PAIRS = {")": "(", "]": "[", "}": "{"}


def _unbalanced(text: str) -> tuple[str, int] | None:
    """The first bracket without its partner (outside strings): message and 1-based column.

    Checked before Python parses the text, because the text is parsed inside a wrapping
    pair of parentheses that Python would otherwise blame.
    """
    stack: list[tuple[str, int]] = []
    for char, at in _brackets(text):
        if char in "([{":
            stack.append((char, at))
        elif not stack or stack[-1][0] != _PAIRS[char]:
            return f"{char!r} closes nothing", at
        else:
            stack.pop()
    if stack:
        char, column = stack[-1]
        return f"{char!r} is never closed", column
    return None


def _check_tree(tree: ast.AST, source: _Source) -> None:
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise source.error("EXPR-005", node, found=f"more than {MAX_NODES}",
                               expected=MAX_NODES)
        if depth > MAX_DEPTH:
            raise source.error("EXPR-004", node, found=f"more than {MAX_DEPTH} levels",
                               expected=MAX_DEPTH)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def parse(text: str) -> Any:
    """Translate infix text such as ``a.b == 'yes' and c < 20`` into JSON Logic.

    Raises :class:`ExpressionError` (EXPR-001 syntax, EXPR-002 unknown function, EXPR-003
    refused syntax, EXPR-004..007 bounds, EXPR-008 wrong argument count) with ``column``.
    """
    if not isinstance(text, str):
        raise ExpressionError("EXPR-001", found=f"expected text, got {type(text).__name__}")
    if len(text) > MAX_SOURCE_LENGTH:
        raise ExpressionLimitError("EXPR-005", found=f"{len(text)} characters of text",
                                   expected=MAX_SOURCE_LENGTH, column=MAX_SOURCE_LENGTH + 1)
    deepest, column = _bracket_depth(text)
    if deepest > MAX_DEPTH:
        raise ExpressionLimitError("EXPR-004", found=f"{deepest} nested brackets",
                                   expected=MAX_DEPTH, column=column)
    if (problem := _unbalanced(text)) is not None:
        raise ExpressionError("EXPR-001", found=problem[0], column=problem[1])
    source = _Source(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source.wrapped, mode="eval")
    except SyntaxError as error:
        message = error.msg or "invalid syntax"
        if error.lineno is not None and error.offset is not None:
            error.offset = source.char_column(error.lineno, error.offset - 1)
        if "too many nested" in message or "too complex" in message:
            raise ExpressionLimitError("EXPR-004", found=message, expected=MAX_DEPTH,
                                       column=error.offset) from None
        if "Exceeds the limit" in message:
            raise ExpressionLimitError("EXPR-006", found="an integer with too many digits",
                                       expected=f"{MAX_LITERAL_NUMBER:g}",
                                       column=error.offset) from None
        raise ExpressionError("EXPR-001", found=message, column=error.offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionLimitError("EXPR-004", found="nesting too deep to parse",
                                   expected=MAX_DEPTH) from None
    except ValueError as error:  # e.g. null bytes, huge integer literals
        raise ExpressionError("EXPR-001", found=str(error)) from None
    _check_tree(tree, source)
    rule = _convert(tree.body, source)
    validate(rule)
    return rule


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _constant(node: ast.Constant, source: _Source) -> Any:
    value = node.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if not abs(value) <= MAX_LITERAL_NUMBER:
            raise source.error("EXPR-006", node, found=value if abs(value) < 1e300 else "inf",
                               expected=f"{MAX_LITERAL_NUMBER:g}")
        return value
    if isinstance(value, str):
        if len(value) > MAX_LITERAL_STRING:
            raise source.error("EXPR-007", node, found=len(value), expected=MAX_LITERAL_STRING)
        return value
    raise source.error("EXPR-003", node, found=f"{type(value).__name__} literals")


def _convert(node: ast.AST, source: _Source) -> Any:
    if isinstance(node, ast.Constant):
        return _constant(node, source)
    if isinstance(node, ast.Name):
        if node.id in _LITERAL_NAMES:
            return _LITERAL_NAMES[node.id]
        return {"var": node.id}
    if isinstance(node, ast.Attribute):
        name = _dotted(node)
        if name is None:
            raise source.error("EXPR-003", node, found="attribute access on a value")
        return {"var": name}
    if isinstance(node, ast.UnaryOp):
        return _unary(node, source)
    if isinstance(node, ast.BinOp):
        symbol = _BINARY.get(type(node.op))
        if symbol is None:
            raise source.error("EXPR-003", node,
                               found=_OPERATOR_NAMES.get(type(node.op), "this operator"))
        left = _convert(node.left, source)
        right = _convert(node.right, source)
        if (
            symbol in ("+", "*")
            and isinstance(node.left, ast.BinOp)
            and type(node.left.op) is type(node.op)
        ):
            return {symbol: [*left[symbol], right]}
        return {symbol: [left, right]}
    if isinstance(node, ast.BoolOp):
        name = "and" if isinstance(node.op, ast.And) else "or"
        return {name: [_convert(value, source) for value in node.values]}
    if isinstance(node, ast.Compare):
        return _compare(node, source)
    if isinstance(node, ast.IfExp):
        args = [_convert(node.test, source), _convert(node.body, source)]
        rest = node.orelse
        while isinstance(rest, ast.IfExp):
            args += [_convert(rest.test, source), _convert(rest.body, source)]
            rest = rest.orelse
        args.append(_convert(rest, source))
        return {"if": args}
    if isinstance(node, ast.List | ast.Tuple):
        return [_convert(item, source) for item in node.elts]
    if isinstance(node, ast.Call):
        return _call(node, source)
    found = _REFUSED.get(type(node)) or _OPERATOR_NAMES.get(type(node)) or type(node).__name__
    raise source.error("EXPR-003", node, found=found)


def _unary(node: ast.UnaryOp, source: _Source) -> Any:
    if isinstance(node.op, ast.Not):
        return {"!": [_convert(node.operand, source)]}
    if isinstance(node.op, ast.Invert):
        raise source.error("EXPR-003", node, found="the ~ operator")
    operand = node.operand
    negative = isinstance(node.op, ast.USub)
    if (
        negative
        and isinstance(operand, ast.Constant)
        and isinstance(operand.value, int | float)
        and not isinstance(operand.value, bool)
    ):
        return -_constant(operand, source)
    return {"-" if negative else "+": [_convert(operand, source)]}


def _compare(node: ast.Compare, source: _Source) -> Any:
    operands = [node.left, *node.comparators]
    pairs: list[Any] = []
    symbols: list[str] = []
    for op in node.ops:
        if isinstance(op, ast.NotIn):
            symbols.append("not in")
            continue
        symbols.append(_COMPARE[type(op)])
    converted = [_convert(operand, source) for operand in operands]
    if len(symbols) == 2 and symbols[0] == symbols[1] and symbols[0] in ("<", "<="):
        return {symbols[0]: converted}
    for index, symbol in enumerate(symbols):
        left, right = converted[index], converted[index + 1]
        if symbol == "not in":
            pairs.append({"!": [{"in": [left, right]}]})
        else:
            pairs.append({symbol: [left, right]})
    return pairs[0] if len(pairs) == 1 else {"and": pairs}


def _call(node: ast.Call, source: _Source) -> Any:
    name = _dotted(node.func)
    if name is None:
        raise source.error("EXPR-003", node, found="calling something that is not a name")
    if node.keywords:
        raise source.error("EXPR-003", node.keywords[0], found="keyword arguments")
    args = [_convert(arg, source) for arg in node.args]
    if name == "var":
        if not 1 <= len(args) <= 2:
            raise source.error("EXPR-008", node, found="var",
                               expected=f"1 or 2 arguments, got {len(args)}")
        return {"var": args[0] if len(args) == 1 else args}
    op_name = INFIX_CALLS.get(name)
    if op_name is None and name in OPERATIONS and "." in name:
        op_name = name
    if op_name is None:
        close = difflib.get_close_matches(name, [*INFIX_CALLS, "var"], n=1, cutoff=0.6)
        hint = suggestion(close[0]) if close else None
        raise ExpressionError("EXPR-002", found=name, expected="a known function",
                              column=source.column(node), hint=hint)
    op = OPERATIONS[op_name]
    if len(args) < op.min_args or (op.max_args is not None and len(args) > op.max_args):
        wanted = (f"at least {op.min_args}" if op.max_args is None
                  else f"{op.min_args} to {op.max_args}")
        raise source.error("EXPR-008", node, found=name,
                           expected=f"{wanted} arguments, got {len(args)}")
    return {op_name: args}


# --- back to text ------------------------------------------------------------------------

_ATOM: Final = 9
_LEVEL: Final[dict[str, int]] = {
    "==": 5, "!=": 5, "===": 5, "!==": 5, "<": 5, "<=": 5, ">": 5, ">=": 5, "in": 5,
    "+": 6, "-": 6, "*": 7, "/": 7, "%": 7,
}
_SYMBOL: Final[dict[str, str]] = {"===": "is", "!==": "is not"}


def _is_path(text: str) -> bool:
    parts = text.split(".")
    return all(
        part.isidentifier() and not keyword.iskeyword(part) for part in parts
    ) and parts[0] not in _LITERAL_NAMES


def _wrap(rendered: tuple[str, int], minimum: int) -> str:
    text, level = rendered
    return text if level >= minimum else f"({text})"


def _literal(value: Any) -> tuple[str, int]:
    if value is None:
        return "null", _ATOM
    if value is True:
        return "true", _ATOM
    if value is False:
        return "false", _ATOM
    if isinstance(value, int | float):
        text = repr(value)
        return text, 8 if text.startswith("-") else _ATOM
    if isinstance(value, str):
        return repr(value), _ATOM
    raise ExpressionError("EXPR-003", found=f"{json.dumps(value)} (an object literal) in infix")


def _render(node: Any) -> tuple[str, int]:
    if type(node) is list:
        return "[" + ", ".join(_wrap(_render(item), 1) for item in node) + "]", _ATOM
    if type(node) is not dict or len(node) != 1:
        return _literal(node)
    ((name, raw),) = node.items()
    args = raw if type(raw) is list else [raw]
    if name == "var" and type(raw) is str and _is_path(raw):
        return raw, _ATOM
    level = _LEVEL.get(name)
    if name in ("<", "<=") and len(args) == 3 and type(raw) is list:
        a, b, c = (_wrap(_render(arg), 6) for arg in args)
        return f"{a} {name} {b} {name} {c}", 5
    if level == 5 and len(args) == 2 and type(raw) is list:
        a, b = (_wrap(_render(arg), 6) for arg in args)
        return f"{a} {_SYMBOL.get(name, name)} {b}", 5
    if level in (6, 7) and type(raw) is list and len(args) >= 2 and (
        name in ("+", "*") or len(args) == 2
    ):
        first = _wrap(_render(args[0]), level)
        rest = [_wrap(_render(arg), level + 1) for arg in args[1:]]
        return f" {name} ".join([first, *rest]), level
    if name in ("-", "+") and len(args) == 1 and type(raw) is list:
        return f"{name}{_wrap(_render(args[0]), 8)}", 8
    if name == "!" and len(args) == 1 and type(raw) is list:
        return f"not {_wrap(_render(args[0]), 4)}", 4
    if name in ("and", "or") and len(args) >= 2 and type(raw) is list:
        minimum = 4 if name == "and" else 3
        return f" {name} ".join(_wrap(_render(arg), minimum) for arg in args), minimum - 1
    if name == "if" and len(args) >= 3 and len(args) % 2 == 1 and type(raw) is list:
        text = _wrap(_render(args[-1]), 1)
        for index in range(len(args) - 3, -1, -2):
            condition = _wrap(_render(args[index]), 2)
            then = _wrap(_render(args[index + 1]), 2)
            text = f"{then} if {condition} else {text}"
        return text, 1
    return _render_call(name, raw, args)


def _render_call(name: str, raw: Any, args: list[Any]) -> tuple[str, int]:
    op = OPERATIONS[name]
    function = op.infix
    if name == "var":
        function = "var"
    if function is None or (INFIX_CALLS.get(function, "var") != name and function != "var"):
        raise ExpressionError("EXPR-003", found=f"operation {name!r} in infix syntax")
    if op.raw:
        raise ExpressionError("EXPR-003", found=f"operation {name!r} in infix syntax")
    rendered = ", ".join(_wrap(_render(arg), 1) for arg in args)
    return f"{function}({rendered})", _ATOM


def to_infix(rule: Any) -> str:
    """Write a JSON Logic rule in infix syntax; ``parse(to_infix(r)) == r`` for canonical rules.

    Canonical: operations with list arguments (``var`` with a plain path may be a string),
    ``+``/``*`` without a first argument of the same operation, ``if`` with an odd
    number (>= 3) of arguments whose last is not an ``if``, and no negated number literal
    (``{"-": [5]}``). Raises EXPR-003 for what infix cannot express (object literals, ``?:``
    spelled as such is written as ``if``).
    """
    validate(rule)
    return _render(rule)[0]
