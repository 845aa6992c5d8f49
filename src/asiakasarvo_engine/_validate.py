"""Schema and model validation of a parsed document, as located diagnostics."""

from __future__ import annotations

import numbers
import operator
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as ModelError

from asiakasarvo_engine import _schemas
from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.diagnostics import Diagnostic, Span, make
from asiakasarvo_engine.suggest import did_you_mean

if TYPE_CHECKING:  # jsonschema is imported only when a document fails the fast check
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

M = TypeVar("M", bound=BaseModel)


class Locator(Protocol):
    """Anything that maps a JSON pointer to a source span."""

    def span(self, pointer: str, *, key: bool = False) -> Span:
        """The source position of the node (or its key) at ``pointer``."""
        ...


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = _schemas.load(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# A fast yes/no check of a document against a schema.
#
# jsonschema is exact and explains every error, but walking a 20 KB section file costs it
# about 5 ms, and importing it (with the metaschema check of a schema) about 100 ms. Most
# documents are valid, so each schema is also compiled once into plain closures that only
# answer "valid?". They implement exactly the keywords the published schemas use, with
# jsonschema's semantics (types, ``re.search`` for patterns, ``len`` for lengths, keywords
# that ignore other types); a schema using any other validating keyword is not compiled and
# always takes the jsonschema path. A "no" (or any doubt) falls back to jsonschema, which
# then finds and explains the errors, so diagnostics never change. A valid document never
# imports jsonschema; the published schemas themselves are checked against the metaschema
# when jsonschema is first needed, and by tests/test_schemas.py.
# tests/bank/test_load_fast_schema.py checks both answers agree on mutated documents.

_Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({
    "title", "description", "default", "examples", "$comment", "deprecated", "readOnly",
    "writeOnly", "$defs", "$schema",
    # Without a format checker (none is configured above) jsonschema only annotates formats.
    "format",
})
_REF = re.compile(r"#/\$defs/([A-Za-z0-9_.-]+)")


class _UnsupportedError(Exception):
    """The schema uses something the fast check does not implement."""


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


def _all_of(checks: list[_Check]) -> _Check:
    """All checks pass (unrolled for the common short lists: this runs for every node)."""
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    if len(checks) == 3:
        first, second, third = checks
        return lambda v: first(v) and second(v) and third(v)
    return lambda v: all(c(v) for c in checks)


def _any_of(checks: list[_Check]) -> _Check:
    """Some check passes."""
    if not checks:
        return _never
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) or second(v)
    return lambda v: any(c(v) for c in checks)


def _one_of(allowed: frozenset[str]) -> _Check:
    return lambda v: isinstance(v, str) and v in allowed


def _bounded(test: Callable[[Any, Any], bool], bound: Any) -> _Check:
    return lambda v: not _is_number(v) or test(v, bound)


_TYPES: dict[str, _Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": _is_number,
}


class _Compiler:
    """Compiles one schema document (with ``#/$defs/...`` references) into closures."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.defs: dict[str, _Check] = {}
        self.pending: list[str] = []

    def compile_root(self) -> _Check:
        check = self.compile(self.root, root=True)
        while self.pending:
            name = self.pending.pop()
            if name not in self.defs:
                definitions = self.root.get("$defs", {})
                if name not in definitions:
                    raise _UnsupportedError(f"$ref to a missing definition {name}")
                self.defs[name] = _always  # placeholder while compiling a recursive definition
                self.defs[name] = self.compile(definitions[name])
        return check

    def ref(self, target: Any) -> _Check:
        match = _REF.fullmatch(target) if isinstance(target, str) else None
        if match is None:
            raise _UnsupportedError(f"$ref {target!r}")
        name = match.group(1)
        self.pending.append(name)
        defs = self.defs

        def check(value: Any) -> bool:  # looked up late: definitions may be recursive
            return defs[name](value)

        return check

    def compile(self, schema: Any, *, root: bool = False) -> _Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise _UnsupportedError(repr(schema))
        checks: list[_Check] = []
        handled = set(_ANNOTATIONS)
        if root:
            handled.add("$id")
        if "type" in schema:
            handled.add("type")
            names = [schema["type"]] if isinstance(schema["type"], str) else list(schema["type"])
            if any(name not in _TYPES for name in names):
                raise _UnsupportedError(f"type {names}")
            tests = [_TYPES[name] for name in names]
            checks.append(_any_of(tests))
        for keyword in ("enum", "const"):
            if keyword in schema:
                handled.add(keyword)
                options = schema[keyword] if keyword == "enum" else [schema[keyword]]
                if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
                    raise _UnsupportedError(f"{keyword} with values other than text")
                checks.append(_one_of(frozenset(options)))
        handled |= {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
        checks.extend(self._numbers(schema))
        handled |= {"minLength", "maxLength", "pattern"}
        checks.extend(self._strings(schema))
        handled |= {"items", "minItems", "maxItems"}
        checks.extend(self._arrays(schema))
        handled |= {"properties", "required", "additionalProperties", "patternProperties",
                    "propertyNames", "minProperties", "maxProperties"}
        checks.extend(self._objects(schema))
        if "anyOf" in schema:
            handled.add("anyOf")
            checks.append(_any_of([self.compile(s) for s in schema["anyOf"]]))
        if "allOf" in schema:
            handled.add("allOf")
            checks.append(_all_of([self.compile(s) for s in schema["allOf"]]))
        if "$ref" in schema:
            handled.add("$ref")
            checks.append(self.ref(schema["$ref"]))
        unknown = set(schema) - handled
        if unknown:
            raise _UnsupportedError(f"keywords {sorted(unknown)}")
        return _all_of(checks)

    @staticmethod
    def _numbers(schema: dict[str, Any]) -> list[_Check]:
        checks: list[_Check] = []
        bounds: tuple[tuple[str, Callable[[Any, Any], bool]], ...] = (
            ("minimum", operator.ge), ("maximum", operator.le),
            ("exclusiveMinimum", operator.gt), ("exclusiveMaximum", operator.lt))
        for keyword, test in bounds:
            if keyword in schema:
                bound = schema[keyword]
                if not _is_number(bound):
                    raise _UnsupportedError(f"{keyword} {bound!r}")
                checks.append(_bounded(test, bound))
        return checks

    @staticmethod
    def _strings(schema: dict[str, Any]) -> list[_Check]:
        checks: list[_Check] = []
        low, high = schema.get("minLength"), schema.get("maxLength")
        if low is not None or high is not None:
            lo = low if low is not None else 0
            hi = high if high is not None else float("inf")
            checks.append(lambda v: not isinstance(v, str) or lo <= len(v) <= hi)
        if "pattern" in schema:
            rx = re.compile(schema["pattern"])
            checks.append(lambda v: not isinstance(v, str) or rx.search(v) is not None)
        return checks

    def _arrays(self, schema: dict[str, Any]) -> list[_Check]:
        checks: list[_Check] = []
        low, high = schema.get("minItems"), schema.get("maxItems")
        if low is not None or high is not None:
            lo = low if low is not None else 0
            hi = high if high is not None else float("inf")
            checks.append(lambda v: not isinstance(v, list) or lo <= len(v) <= hi)
        if "items" in schema:
            each = self.compile(schema["items"])
            checks.append(lambda v: not isinstance(v, list) or all(each(x) for x in v))
        return checks

    def _objects(self, schema: dict[str, Any]) -> list[_Check]:
        checks: list[_Check] = []
        low, high = schema.get("minProperties"), schema.get("maxProperties")
        if low is not None or high is not None:
            lo = low if low is not None else 0
            hi = high if high is not None else float("inf")
            checks.append(lambda v: not isinstance(v, dict) or lo <= len(v) <= hi)
        keys = ("properties", "required", "additionalProperties", "patternProperties",
                "propertyNames")
        if not any(k in schema for k in keys):
            return checks
        properties = {name: self.compile(s) for name, s in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        patterns = [(re.compile(p), self.compile(s))
                    for p, s in schema.get("patternProperties", {}).items()]
        additional = (self.compile(schema["additionalProperties"])
                      if "additionalProperties" in schema else None)
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name in required:
                if name not in value:
                    return False
            for key, item in value.items():
                known = False
                prop = properties.get(key)
                if prop is not None:
                    known = True
                    if not prop(item):
                        return False
                for rx, sub in patterns:
                    if rx.search(key) is not None:
                        known = True
                        if not sub(item):
                            return False
                if not known and additional is not None and not additional(item):
                    return False
                if names is not None and not names(key):
                    return False
            return True

        return [*checks, check]


@cache
def _fast_check(name: str) -> _Check | None:
    """The compiled yes/no check of the named schema, or None when it cannot be compiled."""
    try:
        return _Compiler(_schemas.load(name)).compile_root()
    except _UnsupportedError:
        return None


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "text", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "nothing"}
_TYPE_NAMES_FI = {"object": "avain–arvo-rakenne", "array": "lista", "string": "teksti",
                  "integer": "kokonaisluku", "number": "luku", "boolean": "true tai false",
                  "null": "tyhjä arvo"}


def _json_kind(value: Any) -> str:
    """The JSON Schema type name of ``value``."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _json_type(value: Any) -> str:
    return _TYPE_NAMES[_json_kind(value)]


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
        from jsonschema.exceptions import best_match

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
                   expected=" or ".join(_TYPE_NAMES.get(n, n) for n in names),
                   found_fi=_TYPE_NAMES_FI[_json_kind(error.instance)],
                   expected_fi=" tai ".join(_TYPE_NAMES_FI.get(n, n) for n in names))
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
    message = error.message
    whole = repr(error.instance)
    if len(whole) > 60 and whole in message:  # a huge value once, not pages of digits
        message = message.replace(whole, _short(error.instance))
    yield make("SCH-001", pointer=pointer, span=span, found=message, expected=f"{kind} {value!r}")


def check_schema(data: Any, schema_name: str, where: Locator) -> list[Diagnostic]:
    """Every violation of the named schema, located."""
    fast = _fast_check(schema_name)
    try:
        if fast is not None and fast(data):
            return []
    except RecursionError:  # pragma: no cover - the sources bound nesting well below this
        pass
    diagnostics: list[Diagnostic] = []
    for error in _validator(schema_name).iter_errors(data):
        diagnostics.extend(_schema_diagnostics(error, where))
    return diagnostics


def _best_branches(errors: list[Any]) -> list[Any]:
    """Of a union's branches (a capitalised model name in the error's location), only the
    one whose errors reach deepest: a section with one bad bound, not also "not an include"."""
    kept: list[tuple[int, Any]] = []
    unions: dict[tuple[Any, ...], dict[str, list[tuple[int, Any]]]] = {}
    for index, err in enumerate(errors):
        loc = err["loc"]
        tag = next((i for i, part in enumerate(loc) if isinstance(part, str) and part[:1].isupper()), None)
        if tag is None:
            kept.append((index, err))
        else:
            unions.setdefault(tuple(loc[:tag]), {}).setdefault(loc[tag], []).append((index, err))

    def reach(found: list[tuple[int, Any]]) -> tuple[int, int]:
        return max(len(e["loc"]) for _, e in found), -len(found)

    for branches in unions.values():
        best: list[tuple[int, Any]] | None = None
        for found in branches.values():
            if best is None or reach(found) > reach(best):
                best = found
        kept.extend(best or [])
    return [err for _, err in sorted(kept, key=lambda pair: pair[0])]


def build_model(model: type[M], data: Any, where: Locator) -> tuple[M | None, list[Diagnostic]]:
    """Validate with pydantic; errors become located SCH-001 diagnostics."""
    try:
        return model.model_validate(data), []
    except ModelError as exc:
        diagnostics = []
        for err in _best_branches(exc.errors()):
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
        return None, [make("SRC-009", span=where.span(""), found=_json_type(data),
                           found_fi=_TYPE_NAMES_FI[_json_kind(data)])]
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


