"""The compiled bank: every condition and calculated value compiled once, in dependency order.

``CompiledBank.evaluate`` turns answers into the data the expressions see: answered
values nested as ``{section: {item: value}}``, the calculated values beside them, and
which items are hidden or required. An answer to a hidden item is kept by the caller
but left out of the data, so nothing that depends on it counts it; hiding cascades
(a question shown only after a hidden one is hidden too).

``CompiledBank.plan`` narrows that work for a caller that reads only some names (the
scoring engine): only the answers and calculated values that the conditions and the
caller's own expressions can read are nested and computed. What every expression reads
is known at compile time (``CompiledRule.variables``); a rule whose paths are only known
at run time makes the plan fall back to everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine.bank.expressions import NameIndex, known_names, resolve, to_json_logic
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


@dataclass(frozen=True, slots=True)
class EvaluationPlan:
    """Which answers to nest and which calculated values to compute, for one kind of caller.

    ``answers`` is None when every answer must be nested (some rule reads paths known only
    at run time). ``watched`` are the answers the conditions and the planned calculated
    values read (None: any may be); when an answer hidden by a condition is not among them,
    hiding it cannot change any condition or calculated value, so visibility has settled.
    """

    answers: tuple[str, ...] | None
    calculated: tuple[tuple[str, CompiledRule], ...]
    watched: frozenset[str] | None


@dataclass(frozen=True)
class CompiledBank:
    """A loaded bank with its expressions compiled; immutable and safe to share."""

    loaded: LoadedBank
    items: Mapping[str, CompiledItem]
    calculated: tuple[tuple[str, CompiledRule], ...]
    content_hash: str
    conditions: tuple[tuple[str, CompiledRule], ...] = ()
    """The items with a ``visible_if``, in bank order."""
    required_if: tuple[tuple[str, CompiledRule], ...] = ()
    """The items with a ``required_if`` and no plain ``required``, in bank order."""
    always_required: frozenset[str] = frozenset()
    """The items marked ``required``."""
    full_plan: EvaluationPlan | None = None
    """Every answer, every calculated value (what ``evaluate`` does)."""

    def evaluate(self, values: Mapping[str, Any]) -> BankState:
        """Conditions and calculated values for answered ``values`` keyed ``section.item``."""
        return self.settle(values, self.full_plan or self.plan((), (), everything=True))

    def settle(self, values: Mapping[str, Any], plan: EvaluationPlan) -> BankState:
        """Like ``evaluate``, nesting only the answers and computing only the calculated
        values of ``plan``; ``values`` may hold more answers than the plan needs."""
        if plan.answers is not None:
            values = {name: values[name] for name in plan.answers if name in values}
        hidden: frozenset[str] = frozenset()
        calculated: dict[str, Any] = {}
        settled = False
        for _ in range(_MAX_ROUNDS):
            data = _nest(values, hidden)
            if settled:
                # The answers hidden last round are read by no condition and no calculated
                # value, so this round would compute the same values and the same hidden set.
                for name, value in calculated.items():
                    section, _, key = name.partition(".")
                    data.setdefault(section, {})[key] = value
                break
            calculated = _calculate(plan.calculated, data)
            now_hidden = _hidden(self.conditions, data)
            changed = (now_hidden ^ hidden) & values.keys()
            hidden = now_hidden
            if not changed:
                break
            settled = plan.watched is not None and changed.isdisjoint(plan.watched)
        else:  # pragma: no cover - conditions that flip back and forth
            raise EvaluationError(f"visibility does not settle within {_MAX_ROUNDS} rounds")
        required = self.always_required - hidden
        if self.required_if:
            required |= frozenset(name for name, rule in self.required_if
                                  if name not in hidden and truthy(_run(rule, data, name)))
        return BankState(data, calculated, hidden, required)

    def plan(self, rules: Iterable[CompiledRule], paths: Iterable[str], *,
             every_calculated: bool = False, everything: bool = False) -> EvaluationPlan:
        """The plan for a caller whose own ``rules`` read the data and who looks up ``paths``
        (``section.id`` names) in it; with ``every_calculated`` all calculated values are
        computed, else only those something reads; ``everything`` nests every answer too."""
        item_names, calc_names = known_names(self.loaded.bank)
        names = NameIndex(item_names | calc_names)
        calc_rules = dict(self.calculated)
        bank_rules = [rule for _, rule in self.conditions + self.required_if]
        wanted: set[str] = set()
        dynamic = False
        for rule in [*bank_rules, *rules]:
            dynamic = dynamic or rule.dynamic
            wanted |= _reads(rule, names)
        for path in paths:
            wanted |= names.matches(path)
        if every_calculated or everything:
            wanted |= calc_rules.keys()
        pending = [name for name in wanted if name in calc_rules]
        while pending:
            rule = calc_rules[pending.pop()]
            dynamic = dynamic or rule.dynamic
            for name in _reads(rule, names) - wanted:
                wanted.add(name)
                if name in calc_rules:
                    pending.append(name)
        calculated = tuple((name, rule) for name, rule in self.calculated if name in wanted)
        if dynamic:
            return EvaluationPlan(None, calculated, None)
        watched: set[str] = set()
        for rule in [*bank_rules, *(rule for _, rule in calculated)]:
            watched |= _reads(rule, names) & item_names
        answers = None if everything else tuple(name for name in self.items if name in wanted)
        return EvaluationPlan(answers, calculated, frozenset(watched))


def _reads(rule: CompiledRule, names: NameIndex) -> set[str]:
    found: set[str] = set()
    for path in rule.variables:
        found |= names.matches(path)
    return found


def _calculate(rules: tuple[tuple[str, CompiledRule], ...], data: dict[str, dict[str, Any]],
               ) -> dict[str, Any]:
    results: dict[str, Any] = {}
    name = ""
    try:
        for name, rule in rules:
            value = rule(data)
            section, _, key = name.partition(".")
            data.setdefault(section, {})[key] = value
            results[name] = value
    except ExpressionEvaluationError as exc:
        raise EvaluationError(f"{name}: {exc}") from exc
    return results


def _hidden(conditions: tuple[tuple[str, CompiledRule], ...], data: Any) -> frozenset[str]:
    """The items whose ``visible_if`` does not hold."""
    hidden: list[str] = []
    name = ""
    try:
        for name, rule in conditions:
            shown = rule(data)
            if shown is not True and (shown is False or not truthy(shown)):
                hidden.append(name)
    except ExpressionEvaluationError as exc:
        raise EvaluationError(f"{name}: {exc}") from exc
    return frozenset(hidden)


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
            section_data = data.get(section)
            if section_data is None:
                data[section] = {key: value}
            else:
                section_data[key] = value
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
    bank = CompiledBank(
        loaded, items, tuple((name, rules[name]) for name in order), loaded.content_hash,
        conditions=tuple((name, item.visible_if) for name, item in items.items()
                         if item.visible_if is not None),
        required_if=tuple((name, item.required_if) for name, item in items.items()
                          if item.required_if is not None and not item.item.required),
        always_required=frozenset(name for name, item in items.items() if item.item.required))
    return CompiledBank(bank.loaded, bank.items, bank.calculated, bank.content_hash, bank.conditions,
                       bank.required_if, bank.always_required,
                       bank.plan((), (), everything=True))
