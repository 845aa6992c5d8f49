"""The operation table: json-logic-js operations, community operations, extensions."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from asiakasarvo_engine.jsonlogic._community import COMMUNITY_OPERATIONS
from asiakasarvo_engine.jsonlogic._ext import EXTENSION_OPERATIONS
from asiakasarvo_engine.jsonlogic._ops import JS_OPERATIONS, Operation

__all__ = ["INFIX_CALLS", "OPERATIONS", "PORTABLE"]

OPERATIONS: Final[Mapping[str, Operation]] = MappingProxyType(
    {op.name: op for op in (*JS_OPERATIONS, *COMMUNITY_OPERATIONS, *EXTENSION_OPERATIONS)}
)
"""Every operation by its JSON Logic name (read-only)."""

PORTABLE: Final[frozenset[str]] = frozenset(op.name for op in JS_OPERATIONS)
"""Names of the operations json-logic-js 2.0.5 evaluates the same way."""

INFIX_CALLS: Final[Mapping[str, str]] = MappingProxyType(
    {op.infix: op.name for op in OPERATIONS.values() if op.infix is not None}
)
"""Function names callable in infix syntax, mapped to operation names."""
