"""The expression language: JSON Logic with json-logic-js 2.0.5 semantics.

``apply`` interprets a rule; ``compile`` turns it once into closures, fused into one
function built as an ``ast`` tree once the rule runs often, that give the same results;
``parse`` / ``to_infix`` translate the infix syntax; ``validate`` checks a rule statically;
extension operations are namespaced ``aa.`` in :data:`OPERATIONS`.
See ``docs/expressions.md``.
"""

from __future__ import annotations

from typing import Any

from asiakasarvo_engine.jsonlogic._analysis import dependencies, portable
from asiakasarvo_engine.jsonlogic._compiler import CompiledRule as CompiledRule
from asiakasarvo_engine.jsonlogic._compiler import compile_rule
from asiakasarvo_engine.jsonlogic._errors import ExpressionError as ExpressionError
from asiakasarvo_engine.jsonlogic._errors import (
    ExpressionEvaluationError as ExpressionEvaluationError,
)
from asiakasarvo_engine.jsonlogic._errors import ExpressionLimitError as ExpressionLimitError
from asiakasarvo_engine.jsonlogic._infix import parse as parse
from asiakasarvo_engine.jsonlogic._infix import to_infix as to_infix
from asiakasarvo_engine.jsonlogic._interpreter import apply as apply
from asiakasarvo_engine.jsonlogic._ops import Operation as Operation
from asiakasarvo_engine.jsonlogic._registry import OPERATIONS as OPERATIONS
from asiakasarvo_engine.jsonlogic._validate import validate as validate

__all__ = [
    "OPERATIONS",
    "CompiledRule",
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionLimitError",
    "Operation",
    "apply",
    "compile",
    "is_portable",
    "parse",
    "to_infix",
    "validate",
    "variables_of",
]


def compile(rule: Any) -> CompiledRule:
    """Validate ``rule`` and compile it once into a reusable :class:`CompiledRule`."""
    return compile_rule(rule)


def variables_of(rule: Any) -> frozenset[str]:
    """Data paths ``rule`` can read: ``var`` paths and literal ``missing`` names.

    Paths computed at run time are not listed; ``compile(rule).dynamic`` tells whether
    there are any.
    """
    validate(rule)
    return dependencies(rule).variables


def is_portable(rule: Any) -> bool:
    """True when ``rule`` uses only json-logic-js 2.0.5 operations (no ``aa.*`` etc.)."""
    validate(rule)
    return portable(rule)
