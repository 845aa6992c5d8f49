"""Hard bounds on rules and on what evaluation may build; a violation is a SecurityError."""

from __future__ import annotations

from typing import Final

from asiakasarvo_engine.jsonlogic._errors import ExpressionLimitError

__all__ = [
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_LITERAL_NUMBER",
    "MAX_LITERAL_STRING",
    "MAX_NODES",
    "MAX_SOURCE_LENGTH",
    "MAX_STRING",
    "check_items",
    "check_string",
]

MAX_DEPTH: Final = 64
"""Deepest nesting of a rule (each list or operation is one level)."""
MAX_NODES: Final = 5000
"""Most values (operations, lists, literals) in one rule."""
MAX_LITERAL_NUMBER: Final = 1e15
"""Largest magnitude of a number literal."""
MAX_LITERAL_STRING: Final = 10_000
"""Longest string literal, in characters."""
MAX_STRING: Final = 100_000
"""Longest string an operation may build (``cat``, ``substr``)."""
MAX_ITEMS: Final = 100_000
"""Most items in a list an operation may build (``merge``, ``map``)."""
MAX_SOURCE_LENGTH: Final = 20_000
"""Longest infix text, in characters."""


def check_string(text: str) -> str:
    """Return ``text`` or raise EXPR-007 when it is longer than :data:`MAX_STRING`."""
    if len(text) > MAX_STRING:
        raise ExpressionLimitError("EXPR-007", found=len(text), expected=MAX_STRING)
    return text


def check_items(count: int) -> None:
    """Raise EXPR-005 when a built list would exceed :data:`MAX_ITEMS`."""
    if count > MAX_ITEMS:
        raise ExpressionLimitError("EXPR-005", found=count, expected=MAX_ITEMS)
