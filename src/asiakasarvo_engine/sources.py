"""Reading YAML and JSON documents with a source position for every node.

YAML is read with YAML 1.2 core semantics on top of PyYAML's composer: only
``true``/``false`` are booleans, ``null``/``~``/empty are null, and plain integers
and floats are numbers. Everything else stays a string, so dates, ``no``/``yes``,
numbers with leading zeros (octal in YAML 1.1) and ``1:20`` never change meaning.
Duplicate keys, aliases (no alias bombs), foreign tags, oversized and over-deep
documents are diagnostics, never crashes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.diagnostics import Diagnostic, Hint, Span, make

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 250_000
MAX_DEPTH = 64

_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# The first characters for which SafeLoader's resolver has implicit types (bool, int, null...).
_RESOLVED_FIRST = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)


class _QuickResolver(yaml.resolver.Resolver):
    """SafeLoader's resolver, answering "text" at once for a scalar no implicit type can match.

    The composer asks for every node's tag; most scalars start with a letter no implicit
    resolver is registered for, so the answer is the default text tag without trying any
    pattern. Everything else goes to SafeLoader's own resolver (once per distinct text in
    a document), so the tags are the same.
    """

    def __init__(self) -> None:
        super().__init__()
        self._plain_tags: dict[str, Any] = {}  # keys such as "fi", "text" repeat a lot

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        if not (implicit[0] and value[:1] in _RESOLVED_FIRST):
            return _STR_TAG
        tag = self._plain_tags.get(value)
        if tag is None:
            # With no path resolvers, a plain scalar's tag depends on its text alone.
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            if tag == _STR_TAG and implicit[0] and _FLOAT.fullmatch(value) and _has_digit(value):
                # YAML 1.1 wants a dot and a signed exponent: 1e5 and 1.5e3 are floats in 1.2.
                tag = _FLOAT_TAG
            self._plain_tags[value] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track."""


def _libyaml_parser() -> Any:
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None
    return CParser


_CParser = _libyaml_parser()
_Loader: type[Any]
if _CParser is not None and None not in _RESOLVED_FIRST and not (
        yaml.resolver.Resolver.yaml_path_resolvers):

    class _CQuickLoader(_CParser, _QuickResolver):  # type: ignore[misc,valid-type]
        """libyaml's parser and composer with the quick resolver (no constructor needed)."""

        def __init__(self, stream: str | bytes) -> None:
            _CParser.__init__(self, stream)
            _QuickResolver.__init__(self)

    _Loader = _CQuickLoader
else:  # pragma: no cover - no libyaml, or SafeLoader's resolver was changed at run time
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# An alias is "*" and an anchor name (no whitespace or flow indicator): without a match
# the text has no alias, and the alias scan (a second parse) is skipped.
_ALIAS_LIKE = re.compile(r"\*[^\s,\[\]{}]")

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")  # octal in YAML 1.1: keep the text as written
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_QUOTES = frozenset({"'", '"'})
_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary")
)


class SourceDoc:
    """A parsed document with the position of every value and key.

    A document read without a diagnostic finds its positions only when first asked for
    (``locate``): reading the same text again with the position-keeping reader. The
    positions are then exactly those an eager reading gives.
    """

    __slots__ = ("_keys", "_locate", "_quoted", "_values", "data", "name")

    def __init__(self, name: str, data: Any,
                 values: Mapping[str, tuple[int, int]] | None = None,
                 keys: Mapping[str, tuple[int, int]] | None = None,
                 quoted: frozenset[str] = frozenset(), *,
                 locate: Callable[[], _Positions] | None = None) -> None:
        self.name = name
        self.data = data
        self._values: Mapping[str, tuple[int, int]] = values if values is not None else {}
        self._keys: Mapping[str, tuple[int, int]] = keys if keys is not None else {}
        self._quoted = quoted
        self._locate = locate

    def __repr__(self) -> str:
        return f"SourceDoc({self.name!r})"

    def _located(self) -> None:
        locate = self._locate
        if locate is not None:
            # Racing threads compute the same positions; the last assignment is the flag.
            self._values, self._keys, self._quoted = locate()
            self._locate = None

    @property
    def values(self) -> Mapping[str, tuple[int, int]]:
        """Pointer -> (line, column) of every value."""
        self._located()
        return self._values

    @property
    def keys(self) -> Mapping[str, tuple[int, int]]:
        """Pointer -> (line, column) of every mapping key."""
        self._located()
        return self._keys

    @property
    def quoted(self) -> frozenset[str]:
        """Pointers of the scalars written in quotes (YAML; empty for JSON)."""
        self._located()
        return self._quoted

    def span(self, pointer: str, *, key: bool = False) -> Span:
        """The position of the node at ``pointer`` (or of its key), else its nearest ancestor."""
        self._located()
        if key and pointer in self._keys:
            line, col = self._keys[pointer]
            return Span(self.name, line, col)
        values = self._values
        probe = pointer
        while True:
            if probe in values:
                line, col = values[probe]
                return Span(self.name, line, col)
            if not probe:
                return Span(self.name)
            probe = jp.parent(probe)


_Positions = tuple[Mapping[str, tuple[int, int]], Mapping[str, tuple[int, int]], frozenset[str]]


class _Builder:
    """Turns composed YAML nodes into plain data, recording positions."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[str, tuple[int, int]] = {}
        self.keys: dict[str, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.quoted: set[str] = set()
        self.count = 0

    def _span(self, node: yaml.Node) -> Span:
        return Span(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        if id(node) in self.seen:
            self.diagnostics.append(make("SRC-006", pointer=pointer, span=self._span(node),
                                         found="an alias refers to an earlier node"))
            raise _StopError
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            what = f"{self.count} nodes" if self.count > MAX_NODES else f"depth {depth}"
            limit = f"{MAX_NODES} nodes" if self.count > MAX_NODES else f"depth {MAX_DEPTH}"
            self.diagnostics.append(make("SRC-012", pointer=pointer, span=self._span(node),
                                         found=what, expected=limit))
            raise _StopError
        mark = node.start_mark
        self.values[pointer] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        if tag not in _STANDARD_TAGS:
            self.diagnostics.append(make("SRC-011", pointer=pointer, span=self._span(node),
                                         found=tag))
            return None
        if isinstance(node, yaml.ScalarNode):
            style = node.style
            if style:
                if style in _QUOTES:
                    self.quoted.add(pointer)
                return node.value  # quoted or block scalars are always text
            value = _plain_scalar(node.value, tag)
            if type(value) is float and not math.isfinite(value):
                self.diagnostics.append(make("SRC-013", pointer=pointer, span=self._span(node),
                                             found=node.value))
                return None
            return value
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer, depth)
        prefix = pointer + "/"
        return [self.build(child, prefix + str(i), depth + 1) for i, child in enumerate(node.value)]

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        keys = self.keys
        prefix = pointer + "/"
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.diagnostics.append(make("SRC-010", pointer=pointer, span=self._span(key_node),
                                             found="a collection used as a key"))
                continue
            if key_node.tag == _MERGE_TAG:
                self.diagnostics.append(make("SRC-006", pointer=pointer,
                                             span=self._span(key_node), found="merge key '<<'"))
                continue
            key = str(key_node.value)
            child = prefix + key.replace("~", "~0").replace("/", "~1")
            if key in result:
                line, column = keys[child]
                self.diagnostics.append(make(
                    "SRC-005", pointer=child, span=self._span(key_node), found=key,
                    expected=f"{self.name}:{line}:{column}"))
                continue
            mark = key_node.start_mark
            keys[child] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        return result


class _StopError(Exception):
    """Abort building after a fatal structural problem."""


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _plain_scalar(text: str, tag: str) -> Any:
    """A plain scalar read with YAML 1.2 core rules."""
    if tag == _STR_TAG:
        # Either an explicit !!str, or text PyYAML's (wider, YAML 1.1) resolver also calls
        # text, which no core pattern below matches as anything but text either.
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _LEADING_ZERO.match(text):
        return text
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and _has_digit(text):
        return float(text)
    return text


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        found = f"byte 0x{raw[exc.start]:02x} at offset {exc.start}"
        return None, [make("SRC-002", span=Span(name, line, column), found=found,
                           expected="UTF-8 text")]


class _UncleanError(Exception):
    """The document needs the composer path: it has something to report, or is unusual."""


class _QuickBuilder:
    """Builds a clean document straight from the parser's events, without composing nodes.

    Clean means: one document, no anchors, aliases or explicit tags, only scalar keys, no
    duplicate or merge keys, standard implicit types, within the size and depth bounds.
    Anything else raises :class:`_UncleanError`, and the composer path (which finds and
    locates every problem) reads the text instead. For a clean document both paths give
    the same data and positions; this one is faster and leaves no node tree for the
    garbage collector to walk.
    """

    def __init__(self, loader: Any) -> None:
        self.get = loader.get_event
        self.resolve = loader.resolve
        self.values: dict[str, tuple[int, int]] = {}
        self.keys: dict[str, tuple[int, int]] = {}
        self.quoted: set[str] = set()
        self.count = 0

    def document(self) -> Any:
        get = self.get
        if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
            raise _UncleanError  # an empty stream
        data = self.node(get(), "", 0)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            raise _UncleanError  # more than one document
        return data

    def node(self, event: Any, pointer: str, depth: int) -> Any:
        kind = type(event)
        if event.anchor is not None or kind is yaml.AliasEvent or event.tag is not None:
            raise _UncleanError
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise _UncleanError
        mark = event.start_mark
        self.values[pointer] = (mark.line + 1, mark.column + 1)
        if kind is yaml.ScalarEvent:
            text = event.value
            style = event.style
            if style:
                if style in _QUOTES:
                    self.quoted.add(pointer)
                return text
            tag = self.resolve(yaml.ScalarNode, text, event.implicit)
            if tag not in _STANDARD_TAGS:
                raise _UncleanError
            value = _plain_scalar(text, tag)
            if type(value) is float and not math.isfinite(value):
                raise _UncleanError  # the composer path reports it with its position
            return value
        if kind is yaml.MappingStartEvent:
            return self.mapping(pointer, depth)
        if kind is yaml.SequenceStartEvent:
            get = self.get
            prefix = pointer + "/"
            items: list[Any] = []
            child: Any = get()
            while type(child) is not yaml.SequenceEndEvent:
                items.append(self.node(child, prefix + str(len(items)), depth + 1))
                child = get()
            return items
        raise _UncleanError

    def mapping(self, pointer: str, depth: int) -> dict[str, Any]:
        get = self.get
        keys = self.keys
        prefix = pointer + "/"
        result: dict[str, Any] = {}
        event: Any = get()
        while type(event) is not yaml.MappingEndEvent:
            if type(event) is not yaml.ScalarEvent or event.anchor is not None or (
                    event.tag is not None):
                raise _UncleanError
            key = event.value
            if key in result or (
                    self.resolve(yaml.ScalarNode, key, event.implicit) == _MERGE_TAG):
                raise _UncleanError
            child = prefix + key.replace("~", "~0").replace("/", "~1")
            mark: Any = event.start_mark
            keys[child] = (mark.line + 1, mark.column + 1)
            result[key] = self.node(get(), child, depth + 1)
            event = get()
        return result


def _parse_clean(text: str, name: str) -> SourceDoc | None:
    """The document when it is clean (see :class:`_QuickBuilder`), else None."""
    loader = _Loader(text)
    try:
        builder = _QuickBuilder(loader)
        data = builder.document()
    except (_UncleanError, yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    return SourceDoc(name, data, builder.values, builder.keys, frozenset(builder.quoted))


class _PlainBuilder:
    """Builds a clean document's data from the parser's events, and nothing else.

    The same data as :class:`_QuickBuilder`, for the same clean documents (anything else
    raises :class:`_UncleanError`), but no pointer, position or quoting is recorded: that
    is most of the reading's cost, and only a diagnostic needs it.
    """

    __slots__ = ("count", "get", "resolve")

    def __init__(self, loader: Any) -> None:
        self.get = loader.get_event
        self.resolve = loader.resolve
        self.count = 0

    def document(self) -> Any:
        get = self.get
        if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
            raise _UncleanError
        data = self.node(get(), 0)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            raise _UncleanError
        return data

    def node(self, event: Any, depth: int) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise _UncleanError  # an AliasEvent has an anchor too
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise _UncleanError
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.style:
                return event.value  # quoted or block scalars are always text
            text = event.value
            tag = self.resolve(yaml.ScalarNode, text, event.implicit)
            if tag not in _STANDARD_TAGS:
                raise _UncleanError
            value = _plain_scalar(text, tag)
            if type(value) is float and not math.isfinite(value):
                raise _UncleanError
            return value
        get = self.get
        if kind is yaml.MappingStartEvent:
            result: dict[str, Any] = {}
            key_event: Any = get()
            while type(key_event) is not yaml.MappingEndEvent:
                if type(key_event) is not yaml.ScalarEvent or key_event.anchor is not None or (
                        key_event.tag is not None):
                    raise _UncleanError
                key = key_event.value
                if key in result or (
                        self.resolve(yaml.ScalarNode, key, key_event.implicit) == _MERGE_TAG):
                    raise _UncleanError
                result[key] = self.node(get(), depth + 1)
                key_event = get()
            return result
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            child: Any = get()
            while type(child) is not yaml.SequenceEndEvent:
                items.append(self.node(child, depth + 1))
                child = get()
            return items
        raise _UncleanError


_UNCLEAN: Any = object()  # what the plain readers return for a document they leave to others


def _parse_plain(text: str) -> Any:
    """A clean YAML document's data (see :class:`_QuickBuilder`), else ``_UNCLEAN``."""
    loader = _Loader(text)
    try:
        return _PlainBuilder(loader).document()
    except (_UncleanError, yaml.YAMLError, RecursionError):
        return _UNCLEAN
    finally:
        loader.dispose()


def _yaml_positions(text: str, name: str) -> _Positions:
    """Values, keys and quoted scalars of a YAML text, as the eager reading finds them."""
    doc = _parse_clean(text, name)
    if doc is None:
        doc, _ = _parse_composed(text, name)
    if doc is None:
        return {}, {}, frozenset()
    return doc.values, doc.keys, doc.quoted


def parse_yaml(text: str, name: str) -> tuple[SourceDoc | None, list[Diagnostic]]:
    """Parse YAML text; returns the document (None on fatal problems) and diagnostics.

    A clean document is read without positions, which are found when first asked for.
    """
    data = _parse_plain(text)
    if data is not _UNCLEAN:
        return SourceDoc(name, data, locate=partial(_yaml_positions, text, name)), []
    clean = _parse_clean(text, name)
    if clean is not None:
        return clean, []
    return _parse_composed(text, name)


def _parse_composed(text: str, name: str) -> tuple[SourceDoc | None, list[Diagnostic]]:
    """Parse YAML text through the node composer, finding and locating every problem."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # pragma: no cover - libyaml stops at its own limit first
        return None, [make("SRC-012", span=Span(name), found="nesting too deep",
                           expected=f"depth {MAX_DEPTH}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(name, mark.line + 1, mark.column + 1) if mark else Span(name)
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit, far beyond ours
            return None, [make("SRC-012", span=span, found="nesting deeper than the YAML reader allows",
                               expected=f"depth {MAX_DEPTH}")]
        hint: str = ""
        if "\t" in text and ("tab" in problem or "found character" in problem):
            hint = Hint("indent with spaces, not tabs", "sisennä välilyönneillä, ei sarkaimilla")
        return None, [make("SRC-004", span=span, found=problem, hint=hint)]
    except yaml.YAMLError as exc:  # a reader error (control characters)
        return None, [make("SRC-004", span=Span(name), found=str(exc).splitlines()[0])]
    if root is None:
        return SourceDoc(name, None), []
    if _ALIAS_LIKE.search(text):
        aliases = _find_aliases(text, name)
        if aliases:
            return None, aliases
    builder = _Builder(name)
    try:
        data = builder.build(root, "", 0)
    except _StopError:
        return None, builder.diagnostics
    except RecursionError:  # pragma: no cover - the depth bound stops building first
        return None, [make("SRC-012", span=Span(name), found="nesting too deep",
                           expected=f"depth {MAX_DEPTH}")]
    doc = SourceDoc(name, data, builder.values, builder.keys, frozenset(builder.quoted))
    return doc, builder.diagnostics


class _Open:
    """An open collection while reading events: its kind and the child being read."""

    __slots__ = ("index", "key", "mapping", "want_key")

    def __init__(self, mapping: bool) -> None:
        self.mapping = mapping
        self.want_key = mapping
        self.key = ""
        self.index = 0

    def token(self) -> str:
        return self.key if self.mapping else str(self.index)

    def advance(self) -> None:
        if self.mapping:
            self.want_key = True
        else:
            self.index += 1


def json_too_deep(text: str, name: str) -> Diagnostic | None:
    """SRC-012 at the first JSON value nested deeper than ``MAX_DEPTH`` (line, column and
    pointer), or None: the node the YAML reading of the same text would refuse. A scan of
    brackets, strings and commas: it stops there, long before the JSON decoder's recursion
    limit."""
    stack: list[_Open] = []
    index, length, line, line_start = 0, len(text), 1, 0
    while index < length:
        char = text[index]
        if char in " \t\r:":
            index += 1
            continue
        if char == "\n":
            line += 1
            index += 1
            line_start = index
            continue
        if char in ",]}":
            if stack:
                if char == ",":
                    stack[-1].advance()
                else:
                    stack.pop()
            index += 1
            continue
        if char == '"' and stack and stack[-1].want_key:
            end = _string_end(text, index)
            if end < 0:
                return None
            try:
                stack[-1].key = str(json.loads(text[index:end + 1]))
            except ValueError:
                return None
            stack[-1].want_key = False
            index = end + 1
            continue
        if len(stack) > MAX_DEPTH:  # a value starts here, below the bound
            pointer = "".join("/" + jp.escape(entry.token()) for entry in stack)
            return make("SRC-012", pointer=pointer, span=Span(name, line, index - line_start + 1),
                        found=f"depth {len(stack)}", expected=f"depth {MAX_DEPTH}")
        if char in "[{":
            stack.append(_Open(char == "{"))
            index += 1
        elif char == '"':
            end = _string_end(text, index)
            if end < 0:
                return None
            index = end + 1
        else:
            while index < length and text[index] not in ",]}: \t\r\n":
                index += 1
    return None


def _string_end(text: str, start: int) -> int:
    """The index of the quote closing the JSON string opened at ``start``, or -1."""
    end = start + 1
    while True:
        end = text.find('"', end)
        if end < 0:
            return -1
        backslashes = 0
        while text[end - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return end
        end += 1


def _find_aliases(text: str, name: str) -> list[Diagnostic]:
    """Every alias in the text, by its own position (anchors alone are harmless)."""
    found: list[Diagnostic] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            span = Span(name, mark.line + 1, mark.column + 1) if mark else Span(name)
            found.append(make("SRC-006", span=span,
                              found=f"alias *{event.anchor}"))
            if len(found) >= 20:
                break
    return found


def _parse_json_plain(text: str) -> Any:
    """JSON data when the text has nothing to report, else ``_UNCLEAN``: no syntax error,
    duplicate key or infinite number, within the node and depth bounds."""
    problems: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            problems.append(True)
        return result

    def number(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):
            problems.append(True)
        return value

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_float=number,
                          parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return _UNCLEAN
    if problems or not _within_bounds(data):
        return _UNCLEAN
    return data


def _within_bounds(data: Any) -> bool:
    """True when ``data`` has at most ``MAX_NODES`` values and none deeper than
    ``MAX_DEPTH``, counted as the YAML reader counts them (keys are no nodes)."""
    if type(data) is not dict and type(data) is not list:
        return True
    count = 1
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if type(value) is dict else value
        if not children:
            continue
        if depth >= MAX_DEPTH:  # its children are deeper than the bound
            return False
        count += len(children)
        if count > MAX_NODES:
            return False
        for child in children:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return True


def _json_positions(text: str, name: str) -> _Positions:
    """Values and keys of a JSON text from a YAML reading of it (JSON records no quoting)."""
    values, keys, _ = _yaml_positions(text, name)
    return values, keys, frozenset()


def parse_json(text: str, name: str) -> tuple[SourceDoc | None, list[Diagnostic]]:
    """Parse JSON text strictly; positions come from a YAML reading of the same text, made
    when first asked for if the text has nothing to report."""
    data = _parse_json_plain(text)
    if data is not _UNCLEAN:
        return SourceDoc(name, data, locate=partial(_json_positions, text, name)), []
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        return None, [make("SRC-007", span=Span(name, exc.lineno, exc.colno), found=exc.msg)]
    except ValueError as exc:
        return None, [make("SRC-007", span=Span(name), found=str(exc))]
    except RecursionError:
        deep = json_too_deep(text, name)
        return None, [deep or make("SRC-012", span=Span(name), found="nesting too deep",
                                   expected=f"depth {MAX_DEPTH}")]
    located, yaml_diags = parse_yaml(text, name)
    deep_nodes = [d for d in yaml_diags if d.code == "SRC-012"]
    if deep_nodes:  # the same bound as YAML, at the same node
        return None, deep_nodes
    values = located.values if located else {}
    keys = located.keys if located else {}
    doc = SourceDoc(name, data, values, keys)
    diagnostics = [make("SRC-005", span=Span(name), found=key, expected="unique keys")
                   for key in duplicates]
    diagnostics += [d for d in yaml_diags if d.code == "SRC-013"]  # 1e400: infinite, not a number
    if duplicates:
        # The YAML reading found the duplicates with their positions: prefer those.
        dup_with_pos = [d for d in yaml_diags if d.code == "SRC-005"]
        if dup_with_pos:
            diagnostics = dup_with_pos
    return doc, diagnostics


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_document(path: str | Path, *, display: str | None = None) -> tuple[SourceDoc | None,
                                                                             list[Diagnostic]]:
    """Read a ``.yaml``/``.yml``/``.json`` file with every safety bound applied."""
    path = Path(path)
    name = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        return None, [make("SRC-008", span=Span(name), found=suffix or "(none)",
                           expected=".yaml, .yml or .json")]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            with path.open("rb") as stream:
                head = stream.read(MAX_FILE_BYTES)
            return None, [make("SRC-003", span=_end_of(head, name), found=f"{size} bytes",
                               expected=f"{MAX_FILE_BYTES} bytes")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [make("SRC-001", span=Span(name), found=exc.strerror or str(exc))]
    text, diagnostics = _decode(raw, name)
    if text is None:
        return None, diagnostics
    if suffix == ".json":
        return parse_json(text, name)
    return parse_yaml(text, name)


def parse_text(text: str, name: str, *, fmt: str = "yaml") -> tuple[SourceDoc | None,
                                                                    list[Diagnostic]]:
    """Parse a document given as text (``fmt`` is ``yaml`` or ``json``)."""
    encoded = text.encode("utf-8", errors="surrogatepass")
    if len(encoded) > MAX_FILE_BYTES:
        return None, [make("SRC-003", span=_end_of(encoded[:MAX_FILE_BYTES], name),
                           found=f"{len(encoded)} bytes", expected=f"{MAX_FILE_BYTES} bytes")]
    return parse_json(text, name) if fmt == "json" else parse_yaml(text, name)



def _end_of(head: bytes, name: str) -> Span:
    """The line and column just after ``head``: where a file crosses the size limit."""
    start = head.rfind(b"\n") + 1
    last_line = head[start:].decode("utf-8", errors="ignore")
    return Span(name, head.count(b"\n") + 1, len(last_line) + 1)
