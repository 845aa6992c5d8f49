"""Operations of the community JSON Logic spec that json-logic-js 2.0.5 lacks.

``val``, ``exists``, ``??``, ``try``, ``throw`` and ``preserve`` (json-logic/compat-tables).
They add names only, so they never change what a json-logic-js rule means; a rule that
uses them is not portable (see ``is_portable``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

from asiakasarvo_engine.jsonlogic._errors import ExpressionEvaluationError
from asiakasarvo_engine.jsonlogic._ops import Arg, Operation, Up, eager, prop
from asiakasarvo_engine.jsonlogic._truthiness import UNDEFINED, to_number, to_string

__all__ = ["COMMUNITY_OPERATIONS"]


def _step(container: Any, key: Any) -> Any:
    if type(container) is list and type(key) is int:
        return container[key] if 0 <= key < len(container) else UNDEFINED
    if type(container) is dict:
        return container.get(to_string(key), UNDEFINED)
    if type(container) is list:
        return prop(container, to_string(key))
    return UNDEFINED


def _resolve(data: Any, up: Up, path: list[Any]) -> Any:
    if path and type(path[0]) is list:
        levels = path[0][0] if path[0] else 0
        number = to_number(levels)
        steps = 0 if math.isnan(number) or math.isinf(number) else abs(int(number))
        for _ in range(steps):
            if up is None:
                return UNDEFINED
            data, up = up
        path = path[1:]
    for key in path:
        data = _step(data, key)
        if data is UNDEFINED:
            return UNDEFINED
    return data


def op_val(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``val``: value at a path given as a list of keys (``[[n], ...]`` climbs n scopes)."""
    path = [arg(data, up) for arg in args]
    if len(path) == 1 and type(path[0]) is list and not (path[0] and type(path[0][0]) is list):
        path = path[0]
    value = _resolve(data, up, path)
    return None if value is UNDEFINED else value


def op_exists(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``exists``: true when the path is present in the data (even with a null value)."""
    path = [arg(data, up) for arg in args]
    if len(path) == 1 and type(path[0]) is list:
        path = path[0]
    return _resolve(data, up, path) is not UNDEFINED


def op_coalesce(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``??``: the first argument that is not null."""
    for arg in args:
        value = arg(data, up)
        if value is not None and value is not UNDEFINED:
            return value
    return None


def v_throw(values: list[Any]) -> Any:
    """``throw``: raise an error of the given type (a string or ``{"type": ...}``)."""
    value = values[0] if values else None
    if type(value) is dict:
        raise ExpressionEvaluationError(to_string(value.get("type")), payload=value)
    raise ExpressionEvaluationError(to_string(value))


def op_try(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``try``: the first argument that does not fail; later ones see the error as data."""
    error: ExpressionEvaluationError | None = None
    for arg in args:
        try:
            scope = (data, up) if error is None else (error.payload, ({}, (data, up)))
            value = arg(*scope)
        except ExpressionEvaluationError as caught:
            error = caught
            continue
        if type(value) is float and math.isnan(value):
            error = ExpressionEvaluationError("NaN")
            continue
        return value
    if error is not None:
        raise error
    return None


def op_preserve(args: Sequence[Arg], data: Any, up: Up) -> Any:
    """``preserve``: its argument as a literal, never evaluated."""
    return args[0](data, up)


COMMUNITY_OPERATIONS: Final[tuple[Operation, ...]] = (
    Operation("val", op_val, "value at a path given as a list of keys", infix="val"),
    Operation("exists", op_exists, "true when the path is present", infix="exists"),
    Operation("??", op_coalesce, "the first argument that is not null", infix="coalesce"),
    Operation("throw", eager(v_throw), "raise an error of the given type", values=v_throw,
              max_args=1, infix="throw"),
    Operation("try", op_try, "the first argument that does not fail", scoped_after=1),
    Operation("preserve", op_preserve, "its argument as a literal", raw=True,
              infix="preserve"),
)
