"""The expressions of a bank: where they are, what they read, and their checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.models import Bank, Item, QuestionType
from asiakasarvo_engine.diagnostics import Diagnostic, Hint, Span, make
from asiakasarvo_engine.suggest import closest, did_you_mean, suggestion

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


class NameIndex:
    """The names (``section.id``) a data path can reach, looked up by the path's own parts.

    :meth:`matches` gives the name itself, the names that hold the path (a path into a group,
    a matrix or a list: ``a.b`` holds ``a.b.0``) and the names under it (``a`` for a whole
    section), in time of the path's length, not of the number of names: the dependency
    graph of a bank ten times the size is built ten times slower, not a hundred.
    """

    __slots__ = ("_names", "_under")

    def __init__(self, names: Iterable[str]) -> None:
        self._names = frozenset(names)
        self._under: dict[str, list[str]] = {}
        for name in self._names:
            parts = name.split(".")
            for end in range(1, len(parts)):
                self._under.setdefault(".".join(parts[:end]), []).append(name)

    def matches(self, path: str) -> set[str]:
        """Every name ``n`` with ``n == path``, ``path`` under ``n.`` or ``n`` under ``path.``."""
        parts = path.split(".")
        found = {prefix for end in range(1, len(parts) + 1)
                 if (prefix := ".".join(parts[:end])) in self._names}
        found.update(self._under.get(path, ()))
        return found


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


def items_by_name(bank: Bank) -> dict[str, Item]:
    """Every top-level item keyed ``section.item``."""
    return {f"{section.id}.{item.id}": item for section in bank.bodies() for item in section.items}


_SCALAR_KINDS = frozenset(QuestionType) - {QuestionType.MULTI_CHOICE, QuestionType.MATRIX,
                                           QuestionType.REPEAT_GROUP}


def _no_parts(item: Item, name: str, part: str) -> Hint:
    kind = item.type.value
    article = "an" if kind[0] in "aeiou" else "a"
    return Hint(f"{name} is {article} {kind} answer: it has no part {part!r}",
                f"kysymyksen {name} vastaus ({kind}) on yksi arvo: siinä ei ole osaa {part!r}")


def _not_among(name: str, part: str, known: list[str], word: str, word_fi: str) -> Hint:
    close = closest(part, known)
    listing = ", ".join(known)
    return Hint(f"{name} has no {word} {part!r}; "
                + (f"did you mean {close[0]!r}?" if close else f"{word}s: {listing}"),
                f"kysymyksessä {name} ei ole {word_fi} {part!r}; "
                + (f"tarkoititko {close[0]!r}?" if close else f"vaihtoehdot: {listing}"))


def path_problem(item: Item, target: str, name: str) -> Hint | None:
    """Why the var path ``name`` below the answer of ``item`` (named ``target``) names
    nothing (a path below a single value, a matrix row or column that does not exist, a
    group entry without an index or with an unknown field), else None. Such a path reads
    null, so the rule around it would never see the answer."""
    parts = name[len(target) + 1:].split(".")
    here = target
    current: Item | None = item
    while parts and current is not None:
        part = parts.pop(0)
        kind = current.type
        if kind in _SCALAR_KINDS:
            return _no_parts(current, here, part)
        if kind is QuestionType.MATRIX:
            rows = [row.id for row in current.rows or []]
            if part not in rows:
                return _not_among(here, part, rows, "row", "riviä")
            columns = [column.id for column in current.columns or []]
            if parts and parts[0] not in columns:
                return _not_among(here, parts[0], columns, "column", "saraketta")
            if len(parts) > 1:
                return Hint(f"{here}.{part}.{parts[0]} is a scale point: it has no part {parts[1]!r}",
                            f"{here}.{part}.{parts[0]} on asteikon arvo: siinä ei ole osaa {parts[1]!r}")
            return None
        if not part.isdigit():
            return Hint(f"{here} is a list: a path into it needs an index ({here}.0...)",
                        f"{here} on luettelo: polku sen sisään tarvitsee järjestysnumeron ({here}.0...)")
        here = f"{here}.{part}"
        if kind is QuestionType.MULTI_CHOICE:
            current = None
            if parts:
                return Hint(f"{here} is a choice value: it has no part {parts[0]!r}",
                            f"{here} on vaihtoehdon arvo: siinä ei ole osaa {parts[0]!r}")
            return None
        if not parts:  # a whole group entry
            return None
        fields = {field.id: field for field in current.items or []}
        field = parts.pop(0)
        if field not in fields:
            return _not_among(here, field, list(fields), "field", "kenttää")
        here = f"{here}.{field}"
        current = fields[field]
    return None


@dataclass(frozen=True, slots=True)
class ValueFinding:
    """A literal compared with an answer that can never hold it."""

    kind: str
    """``not_a_choice`` or ``list_for_scalar``."""
    name: str
    found: str
    expected: str
    hint: Hint
    pointer: str
    """Where the literal stands in the JSON Logic rule."""
    needle: str
    """The literal as infix text writes it (to find its column)."""


_EQUALITY = frozenset({"==", "===", "!=", "!=="})
_ORDER = frozenset({"<", "<=", ">", ">="})


def _choice_values(item: Item, bank: Bank) -> list[str] | None:
    if item.type not in {QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE}:
        return None
    if item.choices is not None:
        return [choice.value for choice in item.choices]
    return [choice.value for choice in bank.choice_lists.get(item.choices_from or "", [])]


def _var_item(node: Any, items: dict[str, Item]) -> tuple[str, Item] | None:
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        raw = node["var"]
        name = raw[0] if isinstance(raw, list) and raw else raw
        if isinstance(name, str) and name in items:
            return name, items[name]
    return None


def _literal_text(value: Any) -> str:
    return repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _not_a_choice(name: str, value: Any, choices: list[str], pointer: str) -> ValueFinding | None:
    if not isinstance(value, str) or value in choices:
        return None
    close = closest(value, choices)
    hint = suggestion(close[0]) if close else Hint(f"the choices are {', '.join(choices)}",
                                                   f"vaihtoehdot ovat {', '.join(choices)}")
    return ValueFinding("not_a_choice", name, value, name, hint, pointer, value)


def value_findings(rule: Any, bank: Bank, items: dict[str, Item], pointer: str = "",
                   ) -> Iterator[ValueFinding]:
    """Comparisons of an answer with a literal it can never equal: a value that is not one
    of the item's choices (``== 'tacitt'``, ``in ['tacit', 'tacitt']``, ``'x' in multi``),
    a single-value answer compared with a list (``== ['written']``)."""
    if isinstance(rule, list):
        for index, value in enumerate(rule):
            yield from value_findings(value, bank, items, jp.join(pointer, index))
        return
    if not isinstance(rule, dict) or len(rule) != 1:
        return
    (op, args), = rule.items()
    here = jp.join(pointer, op)
    if op == "var" or not isinstance(args, list):
        if op != "var":
            yield from value_findings(args, bank, items, here)
        return
    if op in _EQUALITY | _ORDER or op == "in":
        yield from _compared(op, args, bank, items, here)
    scoped = _SCOPED.get(op, ())
    for index, value in enumerate(args):
        if index not in scoped:
            yield from value_findings(value, bank, items, jp.join(here, index))


def _compared(op: str, args: list[Any], bank: Bank, items: dict[str, Item], here: str,
              ) -> Iterator[ValueFinding]:
    if op == "in":
        if len(args) < 2:
            return
        needle, haystack = _var_item(args[0], items), _var_item(args[1], items)
        if needle is not None and isinstance(args[1], list):
            choices = _choice_values(needle[1], bank)
            for index, value in enumerate(args[1] if choices is not None else []):
                finding = _not_a_choice(needle[0], value, choices or [], jp.join(here, 1, index))
                if finding is not None:
                    yield finding
        if haystack is not None and haystack[1].type is QuestionType.MULTI_CHOICE:
            finding = _not_a_choice(haystack[0], args[0], _choice_values(haystack[1], bank) or [],
                                    jp.join(here, 0))
            if finding is not None:
                yield finding
        return
    for side, node in enumerate(args):
        found = _var_item(node, items)
        if found is None:
            continue
        name, item = found
        choices = _choice_values(item, bank)
        for index, other in enumerate(args):
            if index == side or isinstance(other, dict):
                continue
            at = jp.join(here, index)
            if isinstance(other, list) and item.type in _SCALAR_KINDS:
                text = _literal_text(other)
                yield ValueFinding("list_for_scalar", name, text, name, Hint(
                    f"use 'in' to ask whether {name} is one of these values",
                    f"käytä 'in'-vertailua, kun kysyt, onko {name} jokin näistä arvoista"), at, text)
            elif choices is not None and op in _EQUALITY:
                values = other if isinstance(other, list) else [other]
                for position, value in enumerate(values):
                    spot = jp.join(at, position) if isinstance(other, list) else at
                    finding = _not_a_choice(name, value, choices, spot)
                    if finding is not None:
                        yield finding


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


def finding_column(text: str, finding: ValueFinding) -> int | None:
    """The column of a finding in infix text: the quoted literal, else the item's name."""
    if finding.kind == "not_a_choice":
        for quote in ("'", '"'):
            index = text.find(quote + finding.needle + quote)
            if index >= 0:
                return index + 1
    return name_column(text, finding.name)


def expression_span(base: Span, source: Any, inner: Span, column: int | None, *, quoted: bool) -> Span:
    """Where something inside an expression stands: for infix text ``column`` within the
    text (``base`` is the text's own position), for JSON Logic ``inner`` (the node's own)."""
    if isinstance(source, str):
        return _infix_span(base, source, column, 1 if quoted else 0)
    return inner


def _infix_span(base: Span, text: str, column: int | None, style_offset: int) -> Span:
    if base.line is None or base.column is None or column is None or "\n" in text:
        return base
    return Span(base.file, base.line, base.column + style_offset + column - 1)


def name_column(text: str, name: str) -> int | None:
    match = re.search(r"(?<![\w.])" + re.escape(name) + r"(?![\w])", text)
    return match.start() + 1 if match else None


def expression_diagnostics(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Parse errors, unknown names and cycles among calculated values."""
    from asiakasarvo_engine.jsonlogic import ExpressionError, validate

    bank = loaded.bank
    items, calculated = known_names(bank)
    names = items | calculated
    by_name = items_by_name(bank)
    graph: dict[str, set[str]] = {name: set() for name in calculated}
    for site in sites(bank):
        text = site.source if isinstance(site.source, str) else None
        try:
            rule = to_json_logic(site.source)
            validate(rule)
        except ExpressionError as exc:
            base, offset = _site_base(loaded, site.pointer)
            span = _infix_span(base, text, exc.column, offset) if text is not None else \
                loaded.locator.span(jp.join(site.pointer, *jp.parts(exc.pointer or "")))
            code = "BANK-016" if exc.code in {"EXPR-001", "EXPR-003", "EXPR-008"} else exc.code
            yield make(code, pointer=site.pointer, span=span, found=str(exc), found_fi=exc.text("fi"))
            continue
        for ref in var_refs(rule):
            target = resolve(ref.name, names)
            if target is None:
                if text is not None:
                    base, offset = _site_base(loaded, site.pointer)
                    span = _infix_span(base, text, name_column(text, ref.name), offset)
                else:
                    span = loaded.locator.span(jp.join(site.pointer, *jp.parts(ref.pointer)))
                yield make("BANK-007", pointer=site.pointer, span=span, found=ref.name,
                           hint=did_you_mean(ref.name, names))
            elif site.kind == "calculated" and target in calculated:
                graph[site.owner].add(target)
            elif target != ref.name and target in by_name and (
                    hint := path_problem(by_name[target], target, ref.name)) is not None:
                inner = loaded.locator.span(jp.join(site.pointer, *jp.parts(ref.pointer)))
                base, offset = _site_base(loaded, site.pointer)
                span = expression_span(base, site.source, inner,
                                       name_column(text, ref.name) if text else None, quoted=offset == 1)
                yield make("BANK-007", pointer=site.pointer, span=span, found=ref.name, hint=hint)
        for finding in value_findings(rule, bank, by_name):
            inner = loaded.locator.span(jp.join(site.pointer, *jp.parts(finding.pointer)))
            base, offset = _site_base(loaded, site.pointer)
            span = expression_span(base, site.source, inner, finding_column(text, finding) if text else None,
                                   quoted=offset == 1)
            yield make("BANK-019" if finding.kind == "not_a_choice" else "BANK-020", pointer=site.pointer,
                       span=span, found=finding.found, expected=finding.expected, hint=finding.hint)
    yield from _cycles(loaded, graph)


def _site_base(loaded: LoadedBank, pointer: str) -> tuple[Span, int]:
    """An expression's position and quote offset, read only for a finding (a clean
    document finds its positions on demand)."""
    return loaded.locator.span(pointer), _quote_offset(loaded, pointer)


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
