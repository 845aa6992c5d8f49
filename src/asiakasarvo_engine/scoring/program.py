"""The scoring program: a rule set compiled against its bank, once, for many evaluations.

``compile_program`` checks what only the scoring stage knows (financial ratio ids,
figure names, band order) and turns every item rule into a small lookup: the score of
each scale point, choice or matrix cell, or a compiled expression.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.compiled import CompiledBank, compile_bank
from asiakasarvo_engine.bank.expressions import to_json_logic
from asiakasarvo_engine.bank.load import LoadedBank, load_bank
from asiakasarvo_engine.bank.models import Item, QuestionType
from asiakasarvo_engine.diagnostics import Diagnostic, has_errors, rank
from asiakasarvo_engine.errors import CompileError, LoadError
from asiakasarvo_engine.jsonlogic import CompiledRule, compile
from asiakasarvo_engine.rules.lint import LintContext
from asiakasarvo_engine.rules.load import LoadedRules, check_rules
from asiakasarvo_engine.rules.models import Band, Gate, IndicatorRules, ItemRule, Level, MissingDataPolicy
from asiakasarvo_engine.scoring.finance import FIGURE_NAMES, RATIOS_BY_ID

_NUMERIC = {QuestionType.NUMBER, QuestionType.MONEY, QuestionType.INTEGER, QuestionType.PERCENT}


@dataclass(frozen=True, slots=True)
class ScaleLookup:
    """Scores of a scale's points, keyed by the point's value."""

    scale: str
    scores: Mapping[int, float]


@dataclass(frozen=True, slots=True)
class ItemProgram:
    """How one item turns into a score."""

    name: str
    item_id: str
    weight: float
    basis: str
    scale: ScaleLookup | None = None
    table: Mapping[str, float] | None = None
    multi: bool = False
    columns: tuple[tuple[str, ScaleLookup], ...] = ()
    rule: CompiledRule | None = None


@dataclass(frozen=True, slots=True)
class SectionProgram:
    """A scored section: its items, weight, minimum answered share and gates."""

    id: str
    weight: float
    min_share: float
    items: tuple[ItemProgram, ...]
    gates: tuple[tuple[Gate, CompiledRule], ...]


@dataclass(frozen=True, slots=True)
class IndicatorProgram:
    """Where figures come from and which ratios are reported with which bands."""

    rules: IndicatorRules
    fields: tuple[tuple[str, CompiledRule], ...]


@dataclass(frozen=True)
class ScoringProgram:
    """A bank and a rule set compiled together; immutable, shared by every evaluation."""

    bank: CompiledBank
    rules: LoadedRules
    sections: tuple[SectionProgram, ...]
    levels: tuple[Level, ...]
    missing: MissingDataPolicy
    overall_gates: tuple[tuple[Gate, CompiledRule], ...]
    indicators: IndicatorProgram | None
    content_hash: str
    """The rule set's content hash, computed once."""


def _lookup(program_scale: str, scores: list[float], bank: LoadedBank, bank_scale: str,
            reverse: bool) -> ScaleLookup:
    points = [p.value for p in bank.bank.scales[bank_scale].points]
    ordered = list(reversed(scores)) if reverse else scores
    return ScaleLookup(program_scale, dict(zip(points, ordered, strict=True)))


def _item_program(name: str, item: Item, rule: ItemRule, loaded: LoadedRules, bank: LoadedBank,
                  ) -> ItemProgram:
    scales = loaded.rules.scales
    if rule.expression is not None:
        return ItemProgram(name, item.id, rule.weight, "expression",
                           rule=compile(to_json_logic(rule.expression)))
    if rule.choices is not None:
        return ItemProgram(name, item.id, rule.weight, "choices", table=dict(rule.choices),
                           multi=item.type is QuestionType.MULTI_CHOICE)
    if item.type is QuestionType.MATRIX:
        chosen = rule.columns or [c.id for c in item.columns or []]
        by_id = {c.id: c for c in item.columns or []}
        columns = tuple((cid, _lookup(rule.scale or by_id[cid].scale,
                                      scales[rule.scale or by_id[cid].scale].scores, bank,
                                      by_id[cid].scale, rule.reverse)) for cid in chosen)
        return ItemProgram(name, item.id, rule.weight, "columns", columns=columns)
    scale_id = rule.scale or item.scale or ""
    return ItemProgram(name, item.id, rule.weight, "scale",
                       scale=_lookup(scale_id, scales[scale_id].scores, bank, item.scale or "",
                                     rule.reverse))


def _gates(gates: list[Gate]) -> tuple[tuple[Gate, CompiledRule], ...]:
    return tuple((gate, compile(to_json_logic(gate.when))) for gate in gates)


def _bands_problem(bands: list[Band]) -> str | None:
    if not bands:
        return None
    if bands[0].min is not None or bands[-1].max is not None:
        return "the first band must start open (no min) and the last end open (no max)"
    for before, after in itertools.pairwise(bands):
        if before.max is None or after.min is None or before.max != after.min:
            return f"band {before.id!r} must end where {after.id!r} starts"
        if after.max is not None and after.max <= after.min:
            return f"band {after.id!r} is empty"
    return None


def indicator_diagnostics(ctx: LintContext) -> Iterator[Diagnostic]:
    """Checks of the indicator rules: ratio ids, bands, figure sources, input items."""
    indicators = ctx.rules.indicators
    if indicators is None:
        return
    for ratio_id, ratio in indicators.ratios.items():
        pointer = jp.join("/indicators/ratios", ratio_id)
        if ratio_id not in RATIOS_BY_ID:
            yield ctx.at("RULE-013", pointer, key=True, found=ratio_id, expected=", ".join(RATIOS_BY_ID))
        problem = _bands_problem(ratio.bands)
        if problem:
            yield ctx.at("RULE-014", jp.join(pointer, "bands"), found=problem)
    figures = indicators.figures
    group = ctx.item(figures.group)
    if group is None or group.type is not QuestionType.REPEAT_GROUP:
        yield ctx.at("RULE-016", "/indicators/figures/group", found=figures.group,
                     expected="a repeat group of fiscal years")
    else:
        fields = {f.id for f in group.items or []}
        if figures.year_field not in fields:
            yield ctx.at("RULE-016", "/indicators/figures/year_field", found=figures.year_field,
                         expected=f"a field of {figures.group}")
        for figure, source in figures.fields.items():
            pointer = jp.join("/indicators/figures/fields", figure)
            if figure not in FIGURE_NAMES:
                yield ctx.at("RULE-013", pointer, key=True, found=figure, expected=", ".join(FIGURE_NAMES))
            yield from ctx.expression(_field_rule(source), pointer, names=fields)
    size = indicators.size_class
    for pointer, name in (("/indicators/size_class/staff_headcount", size.staff_headcount),
                          ("/indicators/size_class/annual_turnover", size.annual_turnover),
                          ("/indicators/size_class/balance_sheet_total", size.balance_sheet_total),
                          ("/indicators/de_minimis/aid_received", indicators.de_minimis.aid_received)):
        item = ctx.item(name)
        if item is None or item.type not in _NUMERIC:
            yield ctx.at("RULE-016", pointer, found=name, expected="a number or money item of the bank")


def _field_rule(source: Any) -> Any:
    """A figure source: a bare field name reads that field, anything else is an expression."""
    if isinstance(source, str) and source.isidentifier():
        return {"var": source}
    return to_json_logic(source)


def check_program(bank: LoadedBank, rules: LoadedRules) -> tuple[ScoringProgram | None,
                                                                 tuple[Diagnostic, ...]]:
    """Compile ``rules`` against ``bank``, with the scoring-stage checks."""
    diagnostics = list(indicator_diagnostics(LintContext(rules.rules, rules.source, bank)))
    if has_errors(diagnostics):
        return None, rank(diagnostics)
    compiled_bank = compile_bank(bank)
    sections_by_id = {s.id: s for s in bank.bank.bodies()}
    sections: list[SectionProgram] = []
    for section_id, section_rule in rules.rules.sections.items():
        items = {item.id: item for item in sections_by_id[section_id].items}
        programs = tuple(
            _item_program(f"{section_id}.{item_id}", items[item_id], item_rule, rules, bank)
            for item_id, item_rule in section_rule.items.items())
        sections.append(SectionProgram(section_id, section_rule.weight, section_rule.min_answered_share,
                                       programs, _gates(section_rule.gates)))
    indicators = None
    if rules.rules.indicators is not None:
        fields = tuple((figure, compile(_field_rule(source)))
                       for figure, source in rules.rules.indicators.figures.fields.items())
        indicators = IndicatorProgram(rules.rules.indicators, fields)
    program = ScoringProgram(compiled_bank, rules, tuple(sections), tuple(rules.rules.levels),
                             rules.rules.missing_data, _gates(rules.rules.overall.gates), indicators,
                             rules.content_hash)
    return program, rank(diagnostics)


def load_program(rules_path: str | Path | None = None, bank_path: str | Path | None = None,
                 ) -> ScoringProgram:
    """Load, check and compile a bank and a rule set (the shipped ones by default)."""
    bank = load_bank(bank_path)
    loaded, diagnostics = check_rules(rules_path, bank)
    if loaded is None:
        raise LoadError(diagnostics)
    program, problems = check_program(bank, loaded)
    if program is None:
        raise CompileError(problems)
    return program
