"""Canonical JSON and content hashes: the same content gives the same hash.

Expressions are content too, whichever way they are written: before hashing, infix text
is parsed to JSON Logic and JSON Logic is put in one canonical form (see
:func:`canonical_expression`), so ``"a.b == 'yes'"`` and ``{"==": [{"var": "a.b"}, "yes"]}``
hash the same.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any


def canonical_json(value: Any) -> str:
    """Serialize with sorted keys and no insignificant whitespace."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def content_hash(value: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``value``."""
    digest = hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


def _canonical_rule(rule: Any) -> Any:
    """JSON Logic with every operation's arguments as a list.

    json-logic-js (and ``jsonlogic.apply``) reads ``{"op": x}`` with a non-list ``x`` as
    ``{"op": [x]}``, so the two are one rule. ``preserve`` keeps its argument unevaluated,
    so it is left as written; so are mappings that are data (not exactly one key).
    """
    if isinstance(rule, list):
        return [_canonical_rule(item) for item in rule]
    if not isinstance(rule, dict) or len(rule) != 1:
        return rule
    ((name, args),) = rule.items()
    if name == "preserve":
        return rule
    items = args if isinstance(args, list) else [args]
    return {name: [_canonical_rule(item) for item in items]}


def canonical_expression(source: Any) -> Any:
    """The canonical JSON Logic form of an expression written as infix text or JSON Logic.

    Text that does not parse (a bank with such text never loads) is kept as written.
    Text is converted once per process (the result is shared: treat it as read-only).
    """
    if isinstance(source, str):
        return _canonical_text(source)
    return _canonical_rule(source)


@lru_cache(maxsize=8192)
def _canonical_text(text: str) -> Any:
    from asiakasarvo_engine.jsonlogic import ExpressionError, parse

    try:
        return _canonical_rule(parse(text))
    except ExpressionError:
        return text


_CONDITIONS = ("visible_if", "required_if")


def bank_hash_document(bank: dict[str, Any]) -> dict[str, Any]:
    """A dumped bank (``model_dump(mode="json")``) with every expression canonical.

    Conditions of items (and of repeat-group fields) and calculated values are rewritten
    in place; the same text is parsed once.
    """
    seen: dict[str, Any] = {}

    def canonical(source: Any) -> Any:
        if not isinstance(source, str):
            return canonical_expression(source)
        if source not in seen:
            seen[source] = canonical_expression(source)
        return seen[source]

    def items(entries: Any) -> None:
        for item in entries or ():
            for key in _CONDITIONS:
                if item.get(key) is not None:
                    item[key] = canonical(item[key])
            items(item.get("items"))

    for section in bank.get("sections") or ():
        items(section.get("items"))
        for calculated in section.get("calculated") or ():
            if "expression" in calculated:
                calculated["expression"] = canonical(calculated["expression"])
    return bank


def rules_hash_document(rules: dict[str, Any]) -> dict[str, Any]:
    """A dumped rule set with every expression canonical (item expressions, gates, figure
    sources, the priority formula, triggers and metric baselines)."""

    def gates(entries: Any) -> None:
        for gate in entries or ():
            gate["when"] = canonical_expression(gate["when"])

    for section in (rules.get("sections") or {}).values():
        for item in (section.get("items") or {}).values():
            if item.get("expression") is not None:
                item["expression"] = canonical_expression(item["expression"])
        gates(section.get("gates"))
    gates((rules.get("overall") or {}).get("gates"))
    figures = ((rules.get("indicators") or {}).get("figures") or {}).get("fields") or {}
    for name, source in figures.items():
        figures[name] = canonical_expression(source)
    recommendations = rules.get("recommendations")
    if recommendations:
        recommendations["priority"] = canonical_expression(recommendations["priority"])
        for rec in recommendations.get("items") or ():
            rec["when"] = canonical_expression(rec["when"])
        for metric in (recommendations.get("metrics") or {}).values():
            if metric.get("baseline") is not None:
                metric["baseline"] = canonical_expression(metric["baseline"])
    return rules
