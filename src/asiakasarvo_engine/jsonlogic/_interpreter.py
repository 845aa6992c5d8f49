"""The interpreter behind ``apply``: walks the rule on every call."""

from __future__ import annotations

from functools import partial
from typing import Any

from asiakasarvo_engine.jsonlogic._ops import Up
from asiakasarvo_engine.jsonlogic._registry import OPERATIONS
from asiakasarvo_engine.jsonlogic._validate import validate

__all__ = ["apply"]


def _constant(value: Any, data: Any, up: Up) -> Any:
    return value


def _evaluate(node: Any, data: Any, up: Up) -> Any:
    cls = type(node)
    if cls is list:
        return [_evaluate(item, data, up) for item in node]
    if cls is not dict or len(node) != 1:
        return node
    ((name, raw),) = node.items()
    op = OPERATIONS[name]
    if op.raw:
        return op.evaluate((partial(_constant, raw),), data, up)
    items = raw if type(raw) is list else (raw,)
    return op.evaluate([partial(_evaluate, item) for item in items], data, up)


def apply(rule: Any, data: Any = None) -> Any:
    """Evaluate a JSON Logic ``rule`` against ``data`` (json-logic-js 2.0.5 semantics).

    The rule is validated first (see ``validate``), so an unknown operation or a broken
    bound raises :class:`ExpressionError` even in a branch that is not taken.
    """
    validate(rule)
    return _evaluate(rule, data, None)
