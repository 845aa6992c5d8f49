"""The expressions of a bank: where they are, what they read, and their checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.models import Bank
from asiakasarvo_engine.diagnostics import Diagnostic, Span, make
from asiakasarvo_engine.suggest import did_you_mean

if TYPE_CHECKING:
    from asiakasarvo_engine.bank.load import LoadedBank

# Operations whose later arguments run in an element's own scope.
_SCOPED = {"map": (1,), "filter": (1,), "all": (1,), "some": (1,), "none": (1,), "reduce": (1,)}


@dataclass(frozen=True, slots=True)
class VarRef:
    """A variable an expression reads, and where in the rule it stands."""

    name: str
    pointer: str


@dataclass(frozen=True, slots=True)
class ExpressionSite:
    """An expression in the bank: its pointer, the owning name and its source form."""

    pointer: str
    owner: str
    kind: str
    source: Any


def var_refs(rule: Any, pointer: str = "") -> Iterator[VarRef]:
    """Names read at the top scope of a JSON Logic rule, with their pointers."""
    if isinstance(rule, list):
        for index, value in enumerate(rule):
            yield from var_refs(value, jp.join(pointer, index))
        return
    if not isinstance(rule, dict) or len(rule) != 1:
        return
    (op, args), = rule.items()
    here = jp.join(pointer, op)
    if op == "var":
        name = args[0] if isinstance(args, list) and args else args
        if isinstance(name, str) and name:
            yield VarRef(name, here)
        elif isinstance(name, dict):
            yield from var_refs(name, jp.join(here, 0) if isinstance(args, list) else here)
        if isinstance(args, list) and len(args) > 1:
            yield from var_refs(args[1], jp.join(here, 1))
        return
    if op in {"missing", "missing_some"}:
        names = args[1] if op == "missing_some" and isinstance(args, list) and len(args) > 1 \
            else args
        names = names if isinstance(names, list) else [names]
        for index, name in enumerate(names):
            if isinstance(name, str):
                yield VarRef(name, jp.join(here, index))
        return
    scoped = _SCOPED.get(op, ())
    items = args if isinstance(args, list) else [args]
    for index, value in enumerate(items):
        if index not in scoped:
            yield from var_refs(value, jp.join(here, index) if isinstance(args, list) else here)


def sites(bank: Bank) -> Iterator[ExpressionSite]:
    """Every condition and calculated value of the bank."""
    for s_index, section in enumerate(bank.bodies()):
        base = jp.join("/sections", s_index)
        for i_index, item in enumerate(section.items):
            owner = f"{section.id}.{item.id}"
            for kind in ("visible_if", "required_if"):
                value = getattr(item, kind)
                if value is not None:
                    yield ExpressionSite(jp.join(base, "items", i_index, kind), owner, kind, value)
        for c_index, calc in enumerate(section.calculated):
            yield ExpressionSite(jp.join(base, "calculated", c_index, "expression"),
                                 f"{section.id}.{calc.id}", "calculated", calc.expression)


def known_names(bank: Bank) -> tuple[set[str], set[str]]:
    """(item names, calculated names), each ``section.id``."""
    items: set[str] = set()
    calculated: set[str] = set()
    for section in bank.bodies():
        items.update(f"{section.id}.{item.id}" for item in section.items)
        calculated.update(f"{section.id}.{c.id}" for c in section.calculated)
    return items, calculated


def resolve(name: str, names: set[str]) -> str | None:
    """The known name a var path reads (a path may go into a group, matrix or list)."""
    if name in names:
        return name
    parts = name.split(".")
    for end in range(len(parts) - 1, 1, -1):
        candidate = ".".join(parts[:end])
        if candidate in names:
            return candidate
    return None


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> Any:
    from asiakasarvo_engine.jsonlogic import parse

    return parse(text)


def to_json_logic(source: Any) -> Any:
    """The JSON Logic form of an expression given as infix text or JSON Logic.

    Parsed text is cached (the same condition is read by lint, hash and compile), so the
    result is shared: treat it as read-only (``compile`` takes its own copy).
    """
    return _parse_text(source) if isinstance(source, str) else source


def _infix_span(base: Span, text: str, column: int | None, style_offset: int) -> Span:
    if base.line is None or base.column is None or column is None or "\n" in text:
        return base
    return Span(base.file, base.line, base.column + style_offset + column - 1)


def _name_column(text: str, name: str) -> int | None:
    match = re.search(r"(?<![\w.])" + re.escape(name) + r"(?![\w])", text)
    return match.start() + 1 if match else None


def expression_diagnostics(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Parse errors, unknown names and cycles among calculated values."""
    from asiakasarvo_engine.jsonlogic import ExpressionError, validate

    bank = loaded.bank
    items, calculated = known_names(bank)
    names = items | calculated
    graph: dict[str, set[str]] = {name: set() for name in calculated}
    for site in sites(bank):
        base = loaded.locator.span(site.pointer)
        text = site.source if isinstance(site.source, str) else None
        offset = _quote_offset(loaded, site.pointer)
        try:
            rule = to_json_logic(site.source)
            validate(rule)
        except ExpressionError as exc:
            span = _infix_span(base, text, exc.column, offset) if text is not None else \
                loaded.locator.span(jp.join(site.pointer, *jp.parts(exc.pointer or "")))
            code = "BANK-016" if exc.code in {"EXPR-001", "EXPR-003", "EXPR-008"} else exc.code
            yield make(code, pointer=site.pointer, span=span, found=str(exc), found_fi=exc.text("fi"))
            continue
        for ref in var_refs(rule):
            target = resolve(ref.name, names)
            if target is None:
                if text is not None:
                    span = _infix_span(base, text, _name_column(text, ref.name), offset)
                else:
                    span = loaded.locator.span(jp.join(site.pointer, *jp.parts(ref.pointer)))
                yield make("BANK-007", pointer=site.pointer, span=span, found=ref.name,
                           hint=did_you_mean(ref.name, names))
            elif site.kind == "calculated" and target in calculated:
                graph[site.owner].add(target)
    yield from _cycles(loaded, graph)


def _quote_offset(loaded: LoadedBank, pointer: str) -> int:
    """1 when the expression text is written as a quoted scalar, else 0."""
    return 1 if loaded.locator.quoted(pointer) else 0


def _cycles(loaded: LoadedBank, graph: dict[str, set[str]]) -> Iterator[Diagnostic]:
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    pointers = {site.owner: site.pointer for site in sites(loaded.bank)
                if site.kind == "calculated"}

    def visit(node: str, path: list[str]) -> Iterator[Diagnostic]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt):], nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    yield make("BANK-008", pointer=pointers[nxt],
                               span=loaded.locator.span(pointers[nxt]),
                               found=" -> ".join(cycle))
            elif state.get(nxt) is None:
                yield from visit(nxt, path)
        path.pop()
        state[node] = 2

    for name in sorted(graph):
        if state.get(name) is None:
            yield from visit(name, [])
