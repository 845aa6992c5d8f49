"""The scoring program: a rule set compiled against its bank, once, for many evaluations.

``compile_program`` checks what only the scoring stage knows (financial ratio ids,
figure names, band order) and turns every item rule into a small lookup: the score of
each scale point, choice or matrix cell, or a compiled expression.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.compiled import CompiledBank, EvaluationPlan, compile_bank
from asiakasarvo_engine.bank.expressions import to_json_logic
from asiakasarvo_engine.bank.load import LoadedBank, load_bank
from asiakasarvo_engine.bank.models import Item, QuestionType
from asiakasarvo_engine.diagnostics import Diagnostic, has_errors, rank
from asiakasarvo_engine.errors import CompileError, LoadError
from asiakasarvo_engine.jsonlogic import CompiledRule, compile
from asiakasarvo_engine.jsonlogic._truthiness import is_number
from asiakasarvo_engine.rules.lint import LintContext
from asiakasarvo_engine.rules.load import LoadedRules, check_rules
from asiakasarvo_engine.rules.models import (
    Band,
    CompletenessEffect,
    Gate,
    IndicatorRules,
    ItemRule,
    Level,
    MissingDataPolicy,
    MissingEffect,
)
from asiakasarvo_engine.scoring.finance import FIGURE_NAMES, RATIOS_BY_ID, RatioFunction, compile_ratio
from asiakasarvo_engine.scoring.result import (
    ItemResult,
    ItemState,
    LevelInfo,
    Pin,
    SectionResult,
    SectionStatus,
)

_NUMERIC = {QuestionType.NUMBER, QuestionType.MONEY, QuestionType.INTEGER, QuestionType.PERCENT}


@dataclass(frozen=True, slots=True)
class ScaleLookup:
    """Scores of a scale's points, keyed by the point's value."""

    scale: str
    scores: Mapping[int, float]
    rounded: Mapping[int, float]
    """The scores as an item reports them (rounded to 4 decimals)."""


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

    def trace(self, value: Any, data: Any) -> tuple[float | None, dict[str, Any]]:
        """The 0-100 score of an answered value, and the inputs that gave it."""
        basis = self.basis
        if basis == "scale" and self.scale is not None:
            score = self.scale.scores.get(value) if isinstance(value, int) else None
            return score, {"scale": self.scale.scale, "point": value}
        if basis == "choices" and self.table is not None:
            if self.multi:
                chosen = [v for v in value if v in self.table] if isinstance(value, list) else []
                total = sum(self.table[v] for v in chosen)
                return min(100.0, total), {"chosen": chosen, "sum": total}
            key = ("true" if value else "false") if isinstance(value, bool) else value
            return self.table.get(key), {"choice": key}
        if basis == "columns":
            cells: dict[str, float] = {}
            if isinstance(value, dict):
                for row, row_cells in value.items():
                    if not isinstance(row_cells, dict):
                        continue
                    for column, lookup in self.columns:
                        point = row_cells.get(column)
                        score = lookup.scores.get(point) if isinstance(point, int) else None
                        if score is not None:
                            cells[f"{row}.{column}"] = score
            if not cells:
                return None, {"cells": {}}
            return sum(cells.values()) / len(cells), {"cells": cells}
        if basis == "expression" and self.rule is not None:
            result = self.rule(data)
            if not is_number(result):
                return None, {"expression_value": None}
            clamped = min(100.0, max(0.0, float(result)))
            return clamped, {"expression_value": result, "clamped": clamped != result}
        return None, {}

    def score(self, value: Any, data: Any) -> float | None:
        """The score of ``trace`` without building the trace: the same arithmetic in the
        same order, so the same float."""
        basis = self.basis
        scale = self.scale
        if basis == "scale" and scale is not None:
            return scale.scores.get(value) if isinstance(value, int) else None
        table = self.table
        if basis == "choices" and table is not None:
            if not self.multi:
                return table.get(("true" if value else "false") if isinstance(value, bool) else value)
            total: float = 0
            if isinstance(value, list):
                for chosen in value:
                    if chosen in table:
                        total += table[chosen]
            return min(100.0, total)
        if basis == "columns" and isinstance(value, dict):
            cells = 0
            cell_sum: float = 0
            for row, row_cells in value.items():
                if not isinstance(row_cells, dict):
                    continue
                if type(row) is not str or "." in row:  # "row.column" trace keys could collide
                    return self.trace(value, data)[0]
                for column, lookup in self.columns:
                    point = row_cells.get(column)
                    score = lookup.scores.get(point) if isinstance(point, int) else None
                    if score is not None:
                        cell_sum += score
                        cells += 1
            return cell_sum / cells if cells else None
        return self.trace(value, data)[0]

    def result_key(self, value: Any) -> int | str | None:
        """The key of an answered value among the prebuilt results (None: none prebuilt)."""
        if self.basis == "scale":
            return value if type(value) is int else None
        if self.basis == "choices" and not self.multi:
            key = ("true" if value else "false") if isinstance(value, bool) else value
            return key if type(key) is str else None
        return None


@dataclass(frozen=True, slots=True)
class PrebuiltItem:
    """An item's results for the finitely many cases (each missing state, each scale point
    or choice answered), validated once and shared by every Result."""

    hidden: ItemResult
    skipped: ItemResult
    dont_know: ItemResult
    not_applicable: ItemResult
    answered: Mapping[int | str, ItemResult]


STEP_SCALE = 0
"""An item step's kind: a scale item, its lookup the rounded score of each point."""
STEP_CHOICE = 1
"""A single choice (or yes/no) item, its lookup the rounded score of each choice."""
STEP_MULTI = 2
"""A multiple choice item, its lookup the choices' scores (summed, capped, then rounded)."""
STEP_OTHER = 3
"""A matrix or expression item, scored by ``ItemProgram.score`` (lookup None)."""

ItemStep = tuple[str, int, Any, float, ItemProgram]
"""How the lean scoring loop scores one item: name, kind (``STEP_*``), lookup, weight,
program; flat, so the loop unpacks it instead of reading attributes."""


def item_step(item: ItemProgram) -> ItemStep:
    """The loop's step of ``item``: the same lookups ``ItemProgram.score`` makes, with each
    score already rounded as the item reports it (``round(score, 4)``)."""
    if item.basis == "scale" and item.scale is not None:
        return item.name, STEP_SCALE, item.scale.rounded, item.weight, item
    if item.basis == "choices" and item.table is not None:
        if item.multi:
            return item.name, STEP_MULTI, item.table, item.weight, item
        rounded = {key: round(score, 4) for key, score in item.table.items()}
        return item.name, STEP_CHOICE, rounded, item.weight, item
    return item.name, STEP_OTHER, None, item.weight, item


@dataclass(frozen=True, slots=True)
class SectionProgram:
    """A scored section: its items, weight, minimum answered share and gates."""

    id: str
    weight: float
    min_share: float
    items: tuple[ItemProgram, ...]
    gates: tuple[tuple[Gate, CompiledRule], ...]
    title: dict[str, str]
    steps: tuple[ItemStep, ...] = field(init=False, repr=False, compare=False)
    """``items`` as the lean loop's steps (``item_step``), parallel to ``items``; derived, so
    ``dataclasses.replace`` with other items derives them anew."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(item_step(item) for item in self.items))


@dataclass(frozen=True, slots=True)
class IndicatorProgram:
    """Where figures come from and which ratios are reported with which bands.

    A figure's source is a field name of the year's row (read directly) or a compiled
    expression over the row.
    """

    rules: IndicatorRules
    fields: tuple[tuple[str, str | CompiledRule], ...]
    paths: tuple[str, ...]
    """The ``section.id`` names the indicators read."""
    ratios: tuple[tuple[str, RatioFunction, tuple[Band, ...]], ...] = field(
        init=False, repr=False, compare=False)
    """Each ratio of the rules compiled (``compile_ratio``) with its bands, in the rules'
    order; derived from ``rules``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ratios", tuple(
            (ratio_id, compile_ratio(RATIOS_BY_ID[ratio_id]), tuple(rule.bands))
            for ratio_id, rule in self.rules.ratios.items()))


@dataclass(frozen=True, slots=True)
class DescriptiveSection:
    """A section that describes and does not score."""

    id: str
    title: dict[str, str]
    reason: str


@dataclass(frozen=True, slots=True)
class StateEffect:
    """What an item in one state adds to its section: the policy's score and completeness
    counts (``expected`` and ``answered`` are 0 or 1)."""

    state: ItemState
    effect: MissingEffect
    score: float | None
    expected: int
    answered: int


def state_effects(policy: MissingDataPolicy) -> dict[ItemState, StateEffect]:
    """The effect of every item state under ``policy``."""
    effects = {ItemState.ANSWERED: policy.answered, ItemState.DONT_KNOW: policy.dont_know,
               ItemState.NOT_APPLICABLE: policy.not_applicable, ItemState.SKIPPED: policy.skipped,
               ItemState.HIDDEN: policy.hidden}
    return {state: StateEffect(state, effect, effect.score,
                               int(effect.completeness is not CompletenessEffect.EXCLUDED),
                               int(effect.completeness is CompletenessEffect.ANSWERED))
            for state, effect in effects.items()}


@dataclass(frozen=True, slots=True)
class ResultParts:
    """Validated parts of a Result shared by every Result of a program (treat them, like
    the whole Result, as immutable)."""

    bank: Pin
    rules: Pin
    levels: tuple[LevelInfo, ...]
    descriptive: Mapping[str, SectionResult]
    items: tuple[PrebuiltItem, ...]
    """Parallel to ``ScoringProgram.item_names``."""


def _prebuilt(section: str, item: ItemProgram, effects: Mapping[ItemState, StateEffect]) -> PrebuiltItem:
    def missing(state: ItemState) -> ItemResult:
        effect = effects[state].effect
        return ItemResult(section=section, state=state, score=effect.score, weight=item.weight,
                          counts_as=effect.completeness,
                          basis="missing_data" if effect.score is not None else "none", detail={})

    keys: list[Any] = []
    if item.basis == "scale" and item.scale is not None:
        keys = [point for point in item.scale.scores if type(point) is int]
    elif item.basis == "choices" and item.table is not None and not item.multi:
        keys = list(item.table)
    answered: dict[int | str, ItemResult] = {}
    for key in keys:
        score, detail = item.trace(key, None)
        if score is not None and item.result_key(key) == key:
            answered[key] = ItemResult(
                section=section, state=ItemState.ANSWERED, score=round(score, 4), weight=item.weight,
                counts_as=effects[ItemState.ANSWERED].effect.completeness,
                basis=item.basis, detail=detail)  # type: ignore[arg-type]
    return PrebuiltItem(missing(ItemState.HIDDEN), missing(ItemState.SKIPPED),
                        missing(ItemState.DONT_KNOW), missing(ItemState.NOT_APPLICABLE), answered)


def result_parts(bank: CompiledBank, rules: LoadedRules, sections: tuple[SectionProgram, ...],
                 descriptive: tuple[DescriptiveSection, ...],
                 effects: Mapping[ItemState, StateEffect]) -> ResultParts:
    """Build the shared parts of a program's Results."""
    meta = bank.loaded.bank
    return ResultParts(
        Pin(id=meta.id, version=meta.version, hash=bank.content_hash),
        Pin(id=rules.rules.id, version=rules.rules.version, hash=rules.content_hash),
        tuple(LevelInfo(level=level.level, min_score=level.min_score, name=level.name)
              for level in rules.rules.levels),
        {d.id: SectionResult(status=SectionStatus.DESCRIPTIVE, title=d.title, score=None, level=None,
                             level_before_gates=None, completeness=None, answered=0, expected=0,
                             min_answered_share=None, weight=0.0, reason=d.reason)
         for d in descriptive},
        tuple(_prebuilt(section.id, item, effects) for section in sections for item in section.items))


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
    descriptive: tuple[DescriptiveSection, ...]
    section_order: tuple[str, ...]
    """Every section id of the bank, in bank order."""
    plan: EvaluationPlan
    """What the bank evaluates for the scores: the answers and calculated values they read."""
    full_plan: EvaluationPlan
    """As ``plan``, with every calculated value (a Result reports them all)."""
    item_names: tuple[str, ...]
    """The scored items (``section.item``), in the order of the sections and their rules."""
    items: tuple[ItemProgram, ...]
    """The scored items' programs, parallel to ``item_names``."""
    effects: Mapping[ItemState, StateEffect]
    """The missing-data policy's effect of each item state."""
    parts: ResultParts
    """The parts of every Result that do not depend on the answers."""


def _lookup(program_scale: str, scores: list[float], bank: LoadedBank, bank_scale: str,
            reverse: bool) -> ScaleLookup:
    points = [p.value for p in bank.bank.scales[bank_scale].points]
    ordered = list(reversed(scores)) if reverse else scores
    by_point = dict(zip(points, ordered, strict=True))
    return ScaleLookup(program_scale, by_point, {point: round(score, 4) for point, score in by_point.items()})


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
        if before.include_max == after.include_min:
            return (f"the bound {before.max:g} must belong to exactly one of {before.id!r} and "
                    f"{after.id!r} (include_max / include_min)")
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


def _field_source(source: Any) -> str | CompiledRule:
    """A bare field name as itself (``{"var": name}`` on a row is ``row.get(name)``), else
    the compiled expression."""
    if isinstance(source, str) and source.isidentifier():
        return source
    return compile(_field_rule(source))


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
                                       programs, _gates(section_rule.gates),
                                       sections_by_id[section_id].title))
    indicators = None
    if rules.rules.indicators is not None:
        spec = rules.rules.indicators
        fields = tuple((figure, _field_source(source)) for figure, source in spec.figures.fields.items())
        indicators = IndicatorProgram(spec, fields, (
            spec.figures.group, spec.size_class.staff_headcount, spec.size_class.annual_turnover,
            spec.size_class.balance_sheet_total, spec.de_minimis.aid_received))
    overall_gates = _gates(rules.rules.overall.gates)
    effects = state_effects(rules.rules.missing_data)
    scored = {section.id for section in sections}
    descriptive = tuple(DescriptiveSection(body.id, body.title, rules.rules.descriptive_sections[body.id])
                        for body in bank.bank.bodies()
                        if body.id in rules.rules.descriptive_sections and body.id not in scored)
    reads = [item.rule for section in sections for item in section.items if item.rule is not None]
    reads += [rule for section in sections for _, rule in section.gates]
    reads += [rule for _, rule in overall_gates]
    paths = indicators.paths if indicators is not None else ()
    program = ScoringProgram(compiled_bank, rules, tuple(sections), tuple(rules.rules.levels),
                             rules.rules.missing_data, overall_gates, indicators, rules.content_hash,
                             descriptive, tuple(body.id for body in bank.bank.bodies()),
                             compiled_bank.plan(reads, paths),
                             compiled_bank.plan(reads, paths, every_calculated=True),
                             tuple(item.name for section in sections for item in section.items),
                             tuple(item for section in sections for item in section.items),
                             effects,
                             result_parts(compiled_bank, rules, tuple(sections), descriptive, effects))
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
