"""The compiled bank: every condition and calculated value compiled once, in dependency order.

``CompiledBank.evaluate`` turns answers into the data the expressions see: answered
values nested as ``{section: {item: value}}``, the calculated values beside them, and
which items are hidden or required. An answer to a hidden item is kept by the caller
but left out of the data, so nothing that depends on it counts it; hiding cascades
(a question shown only after a hidden one is hidden too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine.bank.expressions import known_names, resolve, to_json_logic
from asiakasarvo_engine.bank.load import LoadedBank
from asiakasarvo_engine.bank.models import Item
from asiakasarvo_engine.errors import EvaluationError
from asiakasarvo_engine.jsonlogic import CompiledRule, ExpressionEvaluationError, compile
from asiakasarvo_engine.jsonlogic._truthiness import truthy

_MAX_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class CompiledItem:
    """An item with its full name and compiled conditions."""

    name: str
    section: str
    item: Item
    visible_if: CompiledRule | None
    required_if: CompiledRule | None


@dataclass(frozen=True, slots=True)
class BankState:
    """What the expressions see for one set of answers."""

    data: dict[str, dict[str, Any]]
    calculated: dict[str, Any]
    hidden: frozenset[str]
    required: frozenset[str]

    def value(self, name: str) -> Any:
        """The value of ``section.id`` (an answer or a calculated value), None when absent."""
        section, _, key = name.partition(".")
        return self.data.get(section, {}).get(key)


@dataclass(frozen=True)
class CompiledBank:
    """A loaded bank with its expressions compiled; immutable and safe to share."""

    loaded: LoadedBank
    items: Mapping[str, CompiledItem]
    calculated: tuple[tuple[str, CompiledRule], ...]
    content_hash: str

    def evaluate(self, values: Mapping[str, Any]) -> BankState:
        """Conditions and calculated values for answered ``values`` keyed ``section.item``."""
        hidden: frozenset[str] = frozenset()
        for _ in range(_MAX_ROUNDS):
            data = _nest(values, hidden)
            calculated = self._calculate(data)
            now_hidden = frozenset(name for name, item in self.items.items()
                                   if item.visible_if is not None
                                   and not truthy(_run(item.visible_if, data, name)))
            if now_hidden == hidden or not (now_hidden ^ hidden) & values.keys():
                hidden = now_hidden
                break
            hidden = now_hidden
        else:  # pragma: no cover - conditions that flip back and forth
            raise EvaluationError(f"visibility does not settle within {_MAX_ROUNDS} rounds")
        required = frozenset(
            name for name, item in self.items.items() if name not in hidden and (
                item.item.required or (item.required_if is not None
                                       and truthy(_run(item.required_if, data, name)))))
        return BankState(data, calculated, hidden, required)

    def _calculate(self, data: dict[str, dict[str, Any]]) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for name, rule in self.calculated:
            value = _run(rule, data, name)
            section, _, key = name.partition(".")
            data.setdefault(section, {})[key] = value
            results[name] = value
        return results


def _run(rule: CompiledRule, data: Any, owner: str) -> Any:
    try:
        return rule(data)
    except ExpressionEvaluationError as exc:
        raise EvaluationError(f"{owner}: {exc}") from exc


def _nest(values: Mapping[str, Any], hidden: frozenset[str]) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if name not in hidden:
            section, _, key = name.partition(".")
            data.setdefault(section, {})[key] = value
    return data


def _dependency_order(rules: dict[str, CompiledRule], names: set[str]) -> list[str]:
    """Calculated names so that each comes after those it reads (the bank has no cycles)."""
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        done.add(name)
        for var in sorted(rules[name].variables):
            target = resolve(var, names)
            if target in rules:
                visit(target)
        order.append(name)

    for name in rules:
        visit(name)
    return order


def compile_bank(loaded: LoadedBank) -> CompiledBank:
    """Compile every condition and calculated value of a checked bank."""
    items: dict[str, CompiledItem] = {}
    rules: dict[str, CompiledRule] = {}
    for section in loaded.bank.bodies():
        for item in section.items:
            name = f"{section.id}.{item.id}"
            items[name] = CompiledItem(
                name, section.id, item,
                None if item.visible_if is None else compile(to_json_logic(item.visible_if)),
                None if item.required_if is None else compile(to_json_logic(item.required_if)))
        for calc in section.calculated:
            rules[f"{section.id}.{calc.id}"] = compile(to_json_logic(calc.expression))
    item_names, calc_names = known_names(loaded.bank)
    order = _dependency_order(rules, item_names | calc_names)
    return CompiledBank(loaded, items, tuple((name, rules[name]) for name in order),
                        loaded.content_hash)
