"""Static checks of a rule: known operations, argument shapes and every bound."""

from __future__ import annotations

import difflib
import math
from typing import Any

from asiakasarvo_engine.jsonlogic._errors import (
    ExpressionError,
    ExpressionLimitError,
    escape_pointer,
)
from asiakasarvo_engine.jsonlogic._limits import (
    MAX_DEPTH,
    MAX_LITERAL_NUMBER,
    MAX_LITERAL_STRING,
    MAX_NODES,
)
from asiakasarvo_engine.jsonlogic._registry import INFIX_CALLS, OPERATIONS
from asiakasarvo_engine.suggest import suggestion

__all__ = ["pointer_of", "suggest_operation", "validate"]


def pointer_of(path: tuple[object, ...]) -> str:
    """RFC 6901 pointer of a path of keys and indexes."""
    return "".join("/" + escape_pointer(token) for token in path)


def suggest_operation(name: str) -> str | None:
    """A "did you mean" hint for an unknown operation name."""
    candidates = list(OPERATIONS) + [f"aa.{short}" for short in INFIX_CALLS if "." not in short]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not close and "." not in name and f"aa.{name}" in OPERATIONS:
        close = [f"aa.{name}"]
    return suggestion(close[0]) if close else None


def _number_error(value: int | float, path: tuple[object, ...]) -> ExpressionLimitError:
    if isinstance(value, int) and value.bit_length() > 64:
        found: object = f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    else:
        found = value
    return ExpressionLimitError(
        "EXPR-006", found=found, expected=f"{MAX_LITERAL_NUMBER:g}", pointer=pointer_of(path)
    )


def _check_leaf(node: Any, path: tuple[object, ...]) -> None:
    cls = type(node)
    if cls is int:
        if abs(node) > MAX_LITERAL_NUMBER:
            raise _number_error(node, path)
    elif cls is float:
        if math.isnan(node) or abs(node) > MAX_LITERAL_NUMBER:
            raise _number_error(node, path)
    elif cls is str:
        if len(node) > MAX_LITERAL_STRING:
            raise ExpressionLimitError(
                "EXPR-007", found=len(node), expected=MAX_LITERAL_STRING,
                pointer=pointer_of(path),
            )
    elif not (node is None or cls is bool):
        raise ExpressionError(
            "EXPR-003", found=f"a value of Python type {cls.__name__!r} (not JSON)",
            pointer=pointer_of(path),
        )


def validate(rule: Any) -> None:
    """Raise :class:`ExpressionError` unless ``rule`` is a well-formed, bounded rule.

    Checks unknown operations (with a suggestion), argument shapes and counts, depth,
    node count, number magnitude and string length. The walk is iterative and stops at
    the first bound, so huge or cyclic inputs are refused quickly.
    """
    stack: list[tuple[Any, int, tuple[object, ...], bool]] = [(rule, 1, (), False)]
    count = 0
    while stack:
        node, depth, path, literal = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionLimitError(
                "EXPR-005", found=f"more than {MAX_NODES}", expected=MAX_NODES,
                pointer=pointer_of(path),
            )
        if depth > MAX_DEPTH:
            raise ExpressionLimitError(
                "EXPR-004", found=f"more than {MAX_DEPTH} levels", expected=MAX_DEPTH,
                pointer=pointer_of(path),
            )
        cls = type(node)
        if cls is list:
            stack.extend(
                (item, depth + 1, (*path, i), literal) for i, item in enumerate(node)
            )
            continue
        if cls is not dict:
            _check_leaf(node, path)
            continue
        if literal or len(node) != 1:
            for key, value in node.items():
                if type(key) is not str:
                    raise ExpressionError(
                        "EXPR-003", found=f"an object key of type {type(key).__name__!r}",
                        pointer=pointer_of(path),
                    )
                _check_leaf(key, path)
                stack.append((value, depth + 1, (*path, key), True))
            continue
        ((name, raw),) = node.items()
        op = OPERATIONS.get(name) if type(name) is str else None
        if op is None:
            raise ExpressionError(
                "EXPR-002", found=name, expected="a known operation",
                pointer=pointer_of(path), hint=suggest_operation(str(name)),
            )
        if op.raw:
            stack.append((raw, depth + 1, (*path, name), True))
            continue
        if op.list_only and type(raw) is not list:
            raise ExpressionError(
                "EXPR-008", found=name, expected="arguments written as a JSON list",
                pointer=pointer_of((*path, name)),
            )
        args = raw if type(raw) is list else [raw]
        if len(args) < op.min_args or (op.max_args is not None and len(args) > op.max_args):
            if op.max_args is None:
                wanted = f"at least {op.min_args} arguments"
            elif op.min_args == op.max_args:
                wanted = f"{op.min_args} arguments"
            else:
                wanted = f"{op.min_args} to {op.max_args} arguments"
            raise ExpressionError(
                "EXPR-008", found=name, expected=f"{wanted}, got {len(args)}",
                pointer=pointer_of((*path, name)),
            )
        if type(raw) is list:
            stack.extend(
                (item, depth + 1, (*path, name, i), False) for i, item in enumerate(raw)
            )
        else:
            stack.append((raw, depth + 1, (*path, name), False))
