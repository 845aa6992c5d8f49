"""Schema and model validation of a parsed document, as located diagnostics."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any, Protocol, TypeVar

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match
from pydantic import BaseModel
from pydantic import ValidationError as ModelError

from asiakasarvo_engine import _schemas
from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.diagnostics import Diagnostic, Span, make
from asiakasarvo_engine.suggest import did_you_mean

M = TypeVar("M", bound=BaseModel)


class Locator(Protocol):
    """Anything that maps a JSON pointer to a source span."""

    def span(self, pointer: str, *, key: bool = False) -> Span:
        """The source position of the node (or its key) at ``pointer``."""
        ...


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = _schemas.load(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "text", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "nothing"}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing"


def _branch_errors(error: SchemaError) -> list[SchemaError]:
    """The errors of the union branch the author most likely meant.

    The null branch of "X or null" never helps. Among the rest, the branch whose errors
    reach deepest into the instance is the one its shape matched best (a section with a
    bad item type, rather than "not an include").
    """
    branches: dict[object, list[SchemaError]] = {}
    for sub in error.context or []:
        if sub.validator == "type" and sub.validator_value == "null":
            continue
        branches.setdefault(sub.schema_path[0] if sub.schema_path else None, []).append(sub)
    if not branches:
        best = best_match(error.context or [])
        return [best] if best is not None else [error]

    def depth(errors: list[SchemaError]) -> tuple[int, int]:
        return (max(len(e.absolute_path) for e in errors), -len(errors))

    chosen = max(branches.values(), key=depth)
    if len(chosen) == 1 and not chosen[0].context:
        return chosen
    return [e for sub in chosen for e in (_branch_errors(sub) if sub.context else [sub])]


def _schema_diagnostics(error: SchemaError, where: Locator) -> Iterable[Diagnostic]:
    if error.context:
        for sub in _branch_errors(error):
            yield from _schema_diagnostics(sub, where)
        return
    pointer = jp.from_path(error.absolute_path)
    kind = error.validator
    value: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {}))
        for key in error.instance:
            if key in allowed or any(
                re.search(p, key) for p in schema.get("patternProperties", {})
            ):
                continue
            child = jp.join(pointer, key)
            yield make("SCH-002", pointer=child, span=where.span(child, key=True), found=key,
                       expected=", ".join(sorted(allowed)) or "no other keys",
                       hint=did_you_mean(key, allowed))
        return
    span = where.span(pointer)
    if kind == "required":
        instance: Any = error.instance
        present = instance if isinstance(instance, dict) else {}
        missing = [name for name in value if name not in present]
        for name in missing:
            yield make("SCH-003", pointer=pointer, span=span, expected=name)
        return
    if kind == "type":
        expected = value
        names = [expected] if isinstance(expected, str) else list(expected)
        yield make("SCH-004", pointer=pointer, span=span, found=_json_type(error.instance),
                   expected=" or ".join(_TYPE_NAMES.get(n, n) for n in names))
        return
    if kind in {"enum", "const"}:
        options = value if kind == "enum" else [value]
        hint = did_you_mean(str(error.instance), [str(o) for o in options])
        yield make("SCH-005", pointer=pointer, span=span, found=_short(error.instance),
                   expected=", ".join(repr(o) for o in options), hint=hint)
        return
    if kind == "pattern":
        yield make("SCH-006", pointer=pointer, span=span, found=_short(error.instance),
                   expected=f"the pattern {value}")
        return
    yield make("SCH-001", pointer=pointer, span=span, found=error.message,
               expected=f"{kind} {value!r}")


def check_schema(data: Any, schema_name: str, where: Locator) -> list[Diagnostic]:
    """Every violation of the named schema, located."""
    diagnostics: list[Diagnostic] = []
    for error in _validator(schema_name).iter_errors(data):
        diagnostics.extend(_schema_diagnostics(error, where))
    return diagnostics


def build_model(model: type[M], data: Any, where: Locator) -> tuple[M | None, list[Diagnostic]]:
    """Validate with pydantic; errors become located SCH-001 diagnostics."""
    try:
        return model.model_validate(data), []
    except ModelError as exc:
        diagnostics = []
        for err in exc.errors():
            path = [p for p in err["loc"] if isinstance(p, int) or not p[:1].isupper()]
            pointer = jp.from_path(path)
            diagnostics.append(make("SCH-001", pointer=pointer, span=where.span(pointer),
                                    found=err["msg"], expected=err["type"]))
        return None, diagnostics


def validate(
    model: type[M], data: Any, schema_name: str, where: Locator,
    *, formats: tuple[str, ...], kind: str,
) -> tuple[M | None, list[Diagnostic]]:
    """Check the format version and kind, then the schema, then build the model."""
    if not isinstance(data, dict):
        return None, [make("SRC-009", span=where.span(""), found=_json_type(data))]
    version = data.get("schema_version")
    if version not in formats:
        span = where.span("/schema_version") if "schema_version" in data else where.span("")
        return None, [make("FMT-001", pointer="/schema_version", span=span,
                           found=_short(version) if version is not None else "none",
                           expected=", ".join(repr(f) for f in formats))]
    if data.get("kind") != kind:
        return None, [make("FMT-002", pointer="/kind", span=where.span("/kind"),
                           found=_short(data.get("kind")), expected=repr(kind))]
    diagnostics = check_schema(data, schema_name, where)
    if diagnostics:
        return None, diagnostics
    return build_model(model, data, where)


