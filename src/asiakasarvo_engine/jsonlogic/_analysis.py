"""What a rule reads (variables) and whether it is portable to json-logic-js."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine.jsonlogic._registry import OPERATIONS, PORTABLE
from asiakasarvo_engine.jsonlogic._truthiness import to_string

__all__ = ["Dependencies", "dependencies", "operations_of"]

_PATH_OPS = frozenset({"val", "exists"})
_NAME_OPS = frozenset({"missing", "missing_some"})


@dataclass(frozen=True, slots=True)
class Dependencies:
    """The data paths a rule can read; ``dynamic`` when some are known only at run time."""

    variables: frozenset[str]
    dynamic: bool


def _is_literal(node: Any) -> bool:
    if type(node) is list:
        return all(_is_literal(item) for item in node)
    return not (type(node) is dict and len(node) == 1)


class _Walker:
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.dynamic = False

    def walk(self, node: Any, scoped: bool) -> None:
        if type(node) is list:
            for item in node:
                self.walk(item, scoped)
            return
        if type(node) is not dict or len(node) != 1:
            return
        ((name, raw),) = node.items()
        op = OPERATIONS[name]
        if op.raw:
            return
        args = raw if type(raw) is list else [raw]
        if name == "var":
            self._var(args, scoped)
        elif name in _NAME_OPS:
            self._names(name, args, scoped)
        elif name in _PATH_OPS:
            self._path(args, scoped)
        for position, arg in enumerate(args):
            self.walk(arg, scoped or op.is_scoped(position))

    def _add(self, key: Any, scoped: bool) -> None:
        if scoped:
            return
        if key is None or key == "":
            self.dynamic = True  # the whole data
            return
        self.names.add(to_string(key))

    def _var(self, args: list[Any], scoped: bool) -> None:
        if not args:
            self.dynamic = self.dynamic or not scoped
        elif _is_literal(args[0]) and type(args[0]) is not list:
            self._add(args[0], scoped)
        elif not scoped:
            self.dynamic = True

    def _names(self, name: str, args: list[Any], scoped: bool) -> None:
        keys: list[Any] = args
        if name == "missing_some":
            keys = [args[1]] if len(args) > 1 else []
        if keys and type(keys[0]) is list:
            keys = keys[0]
        for key in keys:
            if _is_literal(key) and type(key) is not list:
                self._add(key, scoped)
            elif not scoped:
                self.dynamic = True

    def _path(self, args: list[Any], scoped: bool) -> None:
        path = args[0] if len(args) == 1 and type(args[0]) is list else args
        if path and type(path[0]) is list:
            self.dynamic = True  # climbs scopes
            return
        if scoped:
            return
        if not path:
            self.dynamic = True
            return
        keys = [to_string(key) for key in path if _is_literal(key) and type(key) is not list]
        if len(keys) != len(path) or any("." in key or key == "" for key in keys):
            self.dynamic = True
            return
        self.names.add(".".join(keys))


def dependencies(rule: Any) -> Dependencies:
    """The variables a (validated) rule reads."""
    walker = _Walker()
    walker.walk(rule, False)
    return Dependencies(frozenset(walker.names), walker.dynamic)


def operations_of(rule: Any) -> frozenset[str]:
    """Names of the operations a (validated) rule uses."""
    found: set[str] = set()
    stack = [rule]
    while stack:
        node = stack.pop()
        if type(node) is list:
            stack.extend(node)
        elif type(node) is dict and len(node) == 1:
            ((name, raw),) = node.items()
            found.add(name)
            if not OPERATIONS[name].raw:
                stack.append(raw)
    return frozenset(found)


def portable(rule: Any) -> bool:
    """Whether every operation of a (validated) rule is a json-logic-js 2.0.5 operation."""
    return operations_of(rule) <= PORTABLE
