"""Lint for question banks: named, ordered checks over a model-valid bank.

Each check yields diagnostics that carry a JSON pointer into the assembled bank;
:func:`lint` adds the source position. Checks never build locations themselves.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.models import (
    Bank,
    Choice,
    Item,
    QuestionType,
    SectionBody,
    Tier,
    section_minutes,
)
from asiakasarvo_engine.diagnostics import Diagnostic, make
from asiakasarvo_engine.suggest import did_you_mean

if TYPE_CHECKING:
    from asiakasarvo_engine.bank.load import LoadedBank

Check = Callable[["LoadedBank"], Iterator[Diagnostic]]

TEXT_KEYS = frozenset({"title", "intro", "text", "help", "prompt", "label", "unit", "description"})
RESERVED_IDS = frozenset({"value", "status", "note", "time", "author"})

_CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE}
_NUMERIC_TYPES = {QuestionType.INTEGER, QuestionType.NUMBER, QuestionType.MONEY,
                  QuestionType.PERCENT, QuestionType.YEAR}
_TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}


def _items(bank: Bank) -> Iterator[tuple[str, str, Item]]:
    """(section id, pointer, item) for every top-level item."""
    for s_index, section in enumerate(bank.bodies()):
        for i_index, item in enumerate(section.items):
            yield section.id, f"/sections/{s_index}/items/{i_index}", item


def _all_items(bank: Bank) -> Iterator[tuple[str, str, Item]]:
    """Like :func:`_items`, with repeat-group fields too."""
    for section_id, pointer, item in _items(bank):
        yield section_id, pointer, item
        for f_index, child in enumerate(item.items or []):
            yield section_id, f"{pointer}/items/{f_index}", child


def check_unique_ids(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Section ids unique; item and calculated ids unique within a section and group."""
    seen_sections: set[str] = set()
    for s_index, section in enumerate(loaded.bank.bodies()):
        if section.id in seen_sections:
            yield make("BANK-001", pointer=jp.join("/sections", s_index, "id"), found=section.id)
        seen_sections.add(section.id)
        seen: set[str] = set()
        entries = [("items", i, it.id) for i, it in enumerate(section.items)]
        entries += [("calculated", i, c.id) for i, c in enumerate(section.calculated)]
        for kind, index, ident in entries:
            if ident in seen:
                yield make("BANK-002", pointer=jp.join("/sections", s_index, kind, index, "id"),
                           found=ident, expected=section.id)
            seen.add(ident)
    for _, pointer, item in _items(loaded.bank):
        fields: set[str] = set()
        for f_index, child in enumerate(item.items or []):
            if child.id in fields:
                yield make("BANK-002", pointer=jp.join(pointer, "items", f_index, "id"),
                           found=child.id, expected=item.id)
            fields.add(child.id)


def _duplicate_choices(choices: list[Choice], pointer: str) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        if choice.value in seen:
            yield make("BANK-003", pointer=jp.join(pointer, index, "value"), found=choice.value)
        seen.add(choice.value)


def check_choices(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Choice values unique; choice lists exist."""
    for name, choices in loaded.bank.choice_lists.items():
        yield from _duplicate_choices(choices, jp.join("/choice_lists", name))
    for _, pointer, item in _all_items(loaded.bank):
        if item.choices:
            yield from _duplicate_choices(item.choices, jp.join(pointer, "choices"))
        if item.choices_from and item.choices_from not in loaded.bank.choice_lists:
            yield make("BANK-017", pointer=jp.join(pointer, "choices_from"),
                       found=item.choices_from,
                       hint=did_you_mean(item.choices_from, loaded.bank.choice_lists))


def check_scales(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Scales referenced exist, and each scale's points are unique and ascending."""
    scales = loaded.bank.scales
    for name, scale in scales.items():
        values = [p.value for p in scale.points]
        if values != sorted(set(values)):
            yield make("BANK-015", pointer=jp.join("/scales", name, "points"),
                       found=f"point values {values} are not unique and ascending")
    for _, pointer, item in _all_items(loaded.bank):
        refs = [(jp.join(pointer, "scale"), item.scale)] if item.scale else []
        refs += [(jp.join(pointer, "columns", i, "scale"), c.scale)
                 for i, c in enumerate(item.columns or [])]
        for ref_pointer, name in refs:
            if name not in scales:
                yield make("BANK-004", pointer=ref_pointer, found=name,
                           hint=did_you_mean(name, scales))


_NEEDS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.LIKERT: ("scale",),
    QuestionType.MATRIX: ("rows", "columns"),
    QuestionType.REPEAT_GROUP: ("items",),
}


def check_type_properties(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Each type has what it needs; properties a type ignores are warned about."""
    for _, pointer, item in _all_items(loaded.bank):
        kind = item.type
        if kind in _CHOICE_TYPES and not (item.choices or item.choices_from):
            yield make("BANK-010", pointer=pointer, found=str(kind),
                       expected="'choices' or 'choices_from'")
        for name in _NEEDS.get(kind, ()):
            if not getattr(item, name):
                yield make("BANK-010", pointer=pointer, found=str(kind), expected=repr(name))
        ignored = []
        if kind not in _CHOICE_TYPES and (item.choices or item.choices_from):
            ignored.append("choices")
        if kind != QuestionType.LIKERT and item.scale:
            ignored.append("scale")
        if kind != QuestionType.MATRIX and (item.rows or item.columns):
            ignored.append("rows/columns")
        if kind != QuestionType.REPEAT_GROUP and item.items:
            ignored.append("items")
        for name in ignored:
            yield make("BANK-011", pointer=jp.join(pointer, name.split("/")[0]), found=repr(name),
                       expected=str(kind))
        for r_index, row in enumerate(item.rows or []):
            if row.id in RESERVED_IDS:
                yield make("BANK-018", pointer=jp.join(pointer, "rows", r_index, "id"),
                           found=row.id)


def check_repeat_groups(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Repeat groups hold fields, no nested groups, and sane counts."""
    for _, pointer, item in _items(loaded.bank):
        if item.type != QuestionType.REPEAT_GROUP:
            continue
        for f_index, child in enumerate(item.items or []):
            if child.type == QuestionType.REPEAT_GROUP:
                yield make("BANK-009", pointer=jp.join(pointer, "items", f_index, "type"),
                           found="a repeat group inside a repeat group", expected="plain fields")
            if child.visible_if is not None or child.required_if is not None:
                yield make("BANK-009", pointer=jp.join(pointer, "items", f_index),
                           found="a condition on a group field",
                           expected="conditions on the whole group")


def check_bounds(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """min <= max for values, lengths and counts; patterns compile."""
    for _, pointer, item in _all_items(loaded.bank):
        rule = item.validation
        if rule is None:
            continue
        where = jp.join(pointer, "validation")
        for low, high in (("min", "max"), ("min_length", "max_length"),
                          ("min_count", "max_count")):
            lo, hi = getattr(rule, low), getattr(rule, high)
            if lo is not None and hi is not None and lo > hi:
                yield make("BANK-013", pointer=jp.join(where, low), found=f"{low} {lo} > {high} {hi}")
        if rule.pattern is not None:
            try:
                re.compile(rule.pattern)
            except re.error as exc:
                yield make("BANK-014", pointer=jp.join(where, "pattern"), found=rule.pattern,
                           expected=str(exc))


def _texts(node: Any, pointer: str, found: list[tuple[str, dict[str, Any]]]) -> None:
    """Append (pointer, text) for every localized text below ``node``, in document order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(value, dict | list):
                continue
            child = pointer + "/" + str(key).replace("~", "~0").replace("/", "~1")
            if key in TEXT_KEYS and isinstance(value, dict):
                found.append((child, value))
            else:
                _texts(value, child, found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                _texts(value, f"{pointer}/{index}", found)


def check_languages(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Every user-visible text is present in every language the bank declares."""
    languages = loaded.bank.languages
    texts: list[tuple[str, dict[str, Any]]] = []
    _texts(loaded.data, "", texts)
    for pointer, text in texts:
        for lang in languages:
            if not str(text.get(lang) or "").strip():
                yield make("BANK-005", pointer=pointer, expected=lang)


def check_agenda(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """The sections' planned minutes add up to the bank's declared range, each agenda
    variant's to at most its own limit; variant minutes name declared variants; a
    required item is core (a variant without the extended tier would never ask it)."""
    limits = loaded.bank.agenda
    if limits is None:
        return
    total = sum(section.agenda_minutes for section in loaded.bank.bodies()
                if hasattr(section, "agenda_minutes"))
    if not limits.min_minutes <= total <= limits.max_minutes:
        yield make("BANK-006", pointer="/agenda", found=total,
                   expected=f"{limits.min_minutes}-{limits.max_minutes}")
    known = [variant.id for variant in limits.variants]
    for index, variant in enumerate(limits.variants):
        planned = sum(section_minutes(section, variant.id) for section in loaded.bank.bodies())
        if planned > variant.max_minutes:
            yield make("BANK-021", pointer=f"/agenda/variants/{index}/max_minutes",
                       found=f"{variant.id!r}: {planned}", expected=f"at most {variant.max_minutes}",
                       expected_fi=f"enintään {variant.max_minutes}")
    for s_index, section in enumerate(loaded.bank.sections):
        if not isinstance(section, SectionBody):
            continue
        for name in section.variant_minutes:
            if name not in known:
                yield make("BANK-022", pointer=f"/sections/{s_index}/variant_minutes/{name}", found=name,
                           expected=", ".join(known) or "no variants (the bank declares none)",
                           hint=did_you_mean(name, known) or "")
        for i_index, item in enumerate(section.items):
            if not item.required or item.tier is Tier.CORE:
                continue
            for variant in limits.variants:
                if not variant.asks(item.tier):
                    yield make("BANK-023", pointer=f"/sections/{s_index}/items/{i_index}/tier",
                               found=f"{section.id}.{item.id}", expected=variant.id)


def check_expressions(loaded: LoadedBank) -> Iterator[Diagnostic]:
    """Conditions and calculated values parse, name known things, and have no cycles."""
    from asiakasarvo_engine.bank.expressions import expression_diagnostics

    yield from expression_diagnostics(loaded)


CHECKS: tuple[tuple[str, Check], ...] = (
    ("unique_ids", check_unique_ids),
    ("choices", check_choices),
    ("scales", check_scales),
    ("type_properties", check_type_properties),
    ("repeat_groups", check_repeat_groups),
    ("bounds", check_bounds),
    ("languages", check_languages),
    ("agenda", check_agenda),
    ("expressions", check_expressions),
)


def lint(loaded: LoadedBank, *, checks: tuple[tuple[str, Check], ...] = CHECKS,
         ) -> tuple[Diagnostic, ...]:
    """Run the named checks in order; every finding gets its source position."""
    found: list[Diagnostic] = []
    for _, check in checks:
        for diagnostic in check(loaded):
            located = diagnostic if diagnostic.span is not None else dataclasses.replace(
                diagnostic, span=loaded.locator.span(diagnostic.pointer))
            found.append(located)
    return tuple(found)
