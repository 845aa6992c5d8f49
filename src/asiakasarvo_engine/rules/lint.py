"""Checks of a rule set against its bank: names, scales, bases, weights, levels, bands.

Every check yields located diagnostics; nothing stops at the first problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.expressions import (
    expression_span,
    finding_column,
    items_by_name,
    known_names,
    name_column,
    path_problem,
    resolve,
    to_json_logic,
    value_findings,
    var_refs,
)
from asiakasarvo_engine.bank.load import LoadedBank
from asiakasarvo_engine.bank.models import Item, QuestionType
from asiakasarvo_engine.diagnostics import Diagnostic, make
from asiakasarvo_engine.rules.models import ItemRule, RuleSet
from asiakasarvo_engine.sources import SourceDoc
from asiakasarvo_engine.suggest import did_you_mean


class LintContext:
    """A rule set, its source positions and its bank, for the checks."""

    def __init__(self, rules: RuleSet, doc: SourceDoc, bank: LoadedBank) -> None:
        self.rules = rules
        self.doc = doc
        self.bank = bank.bank
        self.sections = {s.id: s for s in bank.bank.bodies()}
        items, calculated = known_names(bank.bank)
        self.names = items | calculated
        self.items = items_by_name(bank.bank)

    def at(self, code: str, pointer: str, *, key: bool = False, **fields: Any) -> Diagnostic:
        return make(code, pointer=pointer, span=self.doc.span(pointer, key=key), **fields)

    def item(self, name: str) -> Item | None:
        """The bank item named ``section.item``, or None."""
        section_id, _, item_id = name.partition(".")
        section = self.sections.get(section_id)
        return next((i for i in section.items if i.id == item_id), None) if section else None

    def expression(self, source: Any, pointer: str, names: set[str] | None = None,
                   ) -> Iterator[Diagnostic]:
        from asiakasarvo_engine.jsonlogic import ExpressionError, validate

        try:
            rule = to_json_logic(source)
            validate(rule)
        except ExpressionError as exc:
            inner = self.doc.span(jp.join(pointer, *jp.parts(exc.pointer or "")))
            span = expression_span(self.doc.span(pointer), source, inner, exc.column,
                                   quoted=pointer in self.doc.quoted)
            yield make("RULE-011", pointer=pointer, span=span, found=str(exc), found_fi=exc.text("fi"))
            return
        known = self.names if names is None else names
        # The positions are read only for a finding (a clean document finds them on demand).
        text = source if isinstance(source, str) else None
        for ref in var_refs(rule):
            target = resolve(ref.name, known)
            if target is None:
                yield self.at("RULE-012", pointer, found=ref.name, hint=did_you_mean(ref.name, known))
            elif target != ref.name and target in self.items and (
                    problem := path_problem(self.items[target], target, ref.name)) is not None:
                inner = self.doc.span(jp.join(pointer, *jp.parts(ref.pointer)))
                span = expression_span(self.doc.span(pointer), source, inner,
                                       name_column(text, ref.name) if text else None,
                                       quoted=pointer in self.doc.quoted)
                yield make("RULE-012", pointer=pointer, span=span, found=ref.name, hint=problem)
        for finding in value_findings(rule, self.bank, self.items):
            inner = self.doc.span(jp.join(pointer, *jp.parts(finding.pointer)))
            span = expression_span(self.doc.span(pointer), source, inner,
                                   finding_column(text, finding) if text else None,
                                   quoted=pointer in self.doc.quoted)
            yield make("RULE-023" if finding.kind == "not_a_choice" else "RULE-024", pointer=pointer,
                       span=span, found=finding.found, expected=finding.expected, hint=finding.hint)


def _check_sections(ctx: LintContext) -> Iterator[Diagnostic]:
    rules = ctx.rules
    for section_id in [*rules.sections, *rules.descriptive_sections]:
        if section_id not in ctx.sections:
            where = "/sections/" if section_id in rules.sections else "/descriptive_sections/"
            yield ctx.at("RULE-003", where + jp.escape(section_id), key=True, found=section_id,
                         hint=did_you_mean(section_id, ctx.sections))
    for section_id in ctx.sections:
        if section_id not in rules.sections and section_id not in rules.descriptive_sections:
            yield ctx.at("RULE-009", "/sections", key=True, found=section_id)
        elif section_id in rules.sections and section_id in rules.descriptive_sections:
            yield ctx.at("RULE-015", jp.join("/descriptive_sections", section_id), key=True,
                         found=section_id)
    if sum(s.weight for s in rules.sections.values()) <= 0:
        yield ctx.at("RULE-010", "/sections", key=True, found="the sections")


def _check_items(ctx: LintContext) -> Iterator[Diagnostic]:
    for section_id, section_rule in ctx.rules.sections.items():
        section = ctx.sections.get(section_id)
        if section is None:
            continue
        base = jp.join("/sections", section_id)
        items = {item.id: item for item in section.items}
        for item_id, item_rule in section_rule.items.items():
            pointer = jp.join(base, "items", item_id)
            item = items.get(item_id)
            if item is None:
                yield ctx.at("RULE-002", pointer, key=True, found=item_id, expected=section_id,
                             hint=did_you_mean(item_id, items))
                continue
            if item_id in section_rule.unscored:
                yield ctx.at("RULE-015", jp.join(base, "unscored", item_id), key=True, found=item_id)
            yield from _check_basis(ctx, item, item_rule, pointer)
        for item_id in section_rule.unscored:
            if item_id not in items:
                yield ctx.at("RULE-002", jp.join(base, "unscored", item_id), key=True,
                             found=item_id, expected=section_id, hint=did_you_mean(item_id, items))
        for item in section.items:
            if item.id not in section_rule.items and item.id not in section_rule.unscored:
                yield ctx.at("RULE-007", jp.join(base, "items"), key=True, found=f"{section_id}.{item.id}")
        if section_rule.items and sum(r.weight for r in section_rule.items.values()) <= 0:
            yield ctx.at("RULE-010", jp.join(base, "items"), key=True, found=section_id)
        for index, gate in enumerate(section_rule.gates):
            yield from ctx.expression(gate.when, jp.join(base, "gates", index, "when"))


def _scale_fits(ctx: LintContext, rules_scale: str, bank_scale: str | None, pointer: str,
                ) -> Iterator[Diagnostic]:
    scores = ctx.rules.scales.get(rules_scale)
    if scores is None:
        yield ctx.at("RULE-004", pointer, found=rules_scale, hint=did_you_mean(rules_scale, ctx.rules.scales))
        return
    points = ctx.bank.scales.get(bank_scale or "")
    if points is not None and len(points.points) != len(scores.scores):
        yield ctx.at("RULE-005", pointer, found=f"{len(scores.scores)} scores for {rules_scale}",
                     expected=f"{len(points.points)} (the points of {bank_scale})")


def _check_basis(ctx: LintContext, item: Item, rule: ItemRule, pointer: str) -> Iterator[Diagnostic]:
    bases = [name for name in ("choices", "columns", "expression") if getattr(rule, name) is not None]
    kind = item.type
    if len(bases) > 1:
        yield ctx.at("RULE-006", pointer, found=" and ".join(bases), expected="one basis")
        return
    basis = bases[0] if bases else "scale"
    if basis == "expression":
        yield from ctx.expression(rule.expression, jp.join(pointer, "expression"))
    elif basis == "choices":
        yield from _check_choices(ctx, item, rule, jp.join(pointer, "choices"))
    elif basis == "columns":
        if kind is not QuestionType.MATRIX:
            yield ctx.at("RULE-006", jp.join(pointer, "columns"), found=f"columns on a {kind.value} item",
                         expected="a matrix item")
            return
        columns = {c.id: c for c in item.columns or []}
        for index, column in enumerate(rule.columns or []):
            if column not in columns:
                yield ctx.at("RULE-006", jp.join(pointer, "columns", index),
                             found=f"unknown column {column!r}", expected=", ".join(columns),
                             hint=did_you_mean(column, columns))
            else:
                yield from _scale_fits(ctx, rule.scale or columns[column].scale, columns[column].scale,
                                       jp.join(pointer, "columns", index))
    elif kind is QuestionType.LIKERT:
        yield from _scale_fits(ctx, rule.scale or item.scale or "", item.scale, pointer)
    elif kind is QuestionType.MATRIX:
        for matrix_column in item.columns or []:
            yield from _scale_fits(ctx, rule.scale or matrix_column.scale, matrix_column.scale, pointer)
    else:
        yield ctx.at("RULE-006", pointer, found=f"no basis for a {kind.value} item",
                     expected="choices, columns or expression (only Likert and matrix items "
                     "score from their scale)")


def _check_choices(ctx: LintContext, item: Item, rule: ItemRule, pointer: str) -> Iterator[Diagnostic]:
    table = rule.choices or {}
    if item.type is QuestionType.BOOLEAN:
        allowed = ["true", "false"]
    elif item.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE}:
        allowed = [c.value for c in choices_of(item, ctx.bank)]
    else:
        yield ctx.at("RULE-006", pointer, found=f"choices on a {item.type.value} item",
                     expected="a single choice, multi choice or boolean item")
        return
    for value in table:
        if value not in allowed:
            yield ctx.at("RULE-006", jp.join(pointer, value), key=True, found=f"unknown choice {value!r}",
                         expected=", ".join(allowed), hint=did_you_mean(value, allowed))
    missing = [value for value in allowed if value not in table]
    if missing:
        yield ctx.at("RULE-006", pointer, key=True, found=f"no score for {', '.join(missing)}",
                     expected="a score for every choice")


def _check_scales(ctx: LintContext) -> Iterator[Diagnostic]:
    for scale_id, scores in ctx.rules.scales.items():
        bank_scale = ctx.bank.scales.get(scale_id)
        if bank_scale is None:
            yield ctx.at("RULE-004", jp.join("/scales", scale_id), key=True, found=scale_id,
                         hint=did_you_mean(scale_id, ctx.bank.scales))
        elif len(bank_scale.points) != len(scores.scores):
            yield ctx.at("RULE-005", jp.join("/scales", scale_id, "scores"),
                         found=f"{len(scores.scores)} scores",
                         expected=f"{len(bank_scale.points)} (the points of {scale_id})")


def _check_levels(ctx: LintContext) -> Iterator[Diagnostic]:
    levels = ctx.rules.levels
    numbers = [level.level for level in levels]
    if numbers != list(range(1, len(levels) + 1)):
        yield ctx.at("RULE-008", "/levels", found=f"levels {numbers}", expected="1, 2, ... in order")
    if levels and levels[0].min_score != 0:
        yield ctx.at("RULE-008", "/levels/0/min_score", found=f"first cut-off {levels[0].min_score:g}",
                     expected="0")
    for index in range(1, len(levels)):
        if levels[index].min_score <= levels[index - 1].min_score:
            yield ctx.at("RULE-008", jp.join("/levels", index, "min_score"),
                         found=f"cut-off {levels[index].min_score:g} after {levels[index - 1].min_score:g}",
                         expected="cut-offs in rising order")
    gates = [(jp.join("/overall/gates", i), g) for i, g in enumerate(ctx.rules.overall.gates)]
    for section_id, section_rule in ctx.rules.sections.items():
        gates += [(jp.join("/sections", section_id, "gates", i), g) for i, g in enumerate(section_rule.gates)]
    for pointer, gate in gates:
        if gate.cap_level > len(levels):
            yield ctx.at("RULE-008", jp.join(pointer, "cap_level"), found=f"cap at level {gate.cap_level}",
                         expected=f"a level from 1 to {len(levels)}")
    for index, gate in enumerate(ctx.rules.overall.gates):
        yield from ctx.expression(gate.when, jp.join("/overall/gates", index, "when"))
    if ctx.rules.overall.min_sections > len(ctx.rules.sections):
        yield ctx.at("RULE-008", "/overall/min_sections", found=str(ctx.rules.overall.min_sections),
                     expected=f"at most {len(ctx.rules.sections)} (the scored sections)")



PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\}")
PRIORITY_NAMES = frozenset({"impact", "effort", "urgency", "gap", "section_score", "level"})


def result_names(rules: RuleSet, section_ids: Iterable[str]) -> set[str]:
    """The ``result.*`` names a trigger or text may read (scores, levels, indicators)."""
    names = {"result.overall.score", "result.overall.level", "result.size_class",
             "result.de_minimis.exceeds_ceiling", "result.de_minimis.headroom_after",
             "result.de_minimis.total_new_aid", "result.fiscal_year"}
    for section_id in section_ids:
        names.update(f"result.{kind}.{section_id}" for kind in ("scores", "levels", "completeness"))
    for ratio_id in rules.indicators.ratios if rules.indicators else ():
        names.update((f"result.ratios.{ratio_id}", f"result.bands.{ratio_id}"))
    return names


def _never_fires(ctx: LintContext, rule: Any) -> str | None:
    """Why a trigger can never be true, when that is visible without answers."""
    from asiakasarvo_engine.jsonlogic import apply
    from asiakasarvo_engine.jsonlogic._truthiness import truthy

    reads = any(op in {"var", "missing", "missing_some"} for op, _ in _walk(rule))
    if not reads and not truthy(apply(rule, {})):
        return "it is false whatever the answers"
    # A comparison with a value that is not a choice is RULE-023, found with every expression.
    if isinstance(rule, dict) and len(rule) == 1:
        (op, args), = rule.items()
        if op == "and" and isinstance(args, list):
            return next((reason for part in args if (reason := _never_fires(ctx, part))), None)
    return None


_LOW_SIDE = {"<": 0, "<=": 0, ">": 1, ">=": 1}  # which argument is the var when the other is a number


def _var_name(node: Any) -> str | None:
    if isinstance(node, dict) and set(node) == {"var"}:
        name = node["var"][0] if isinstance(node["var"], list) and node["var"] else node["var"]
        return name if isinstance(name, str) else None
    return None


def _walk(rule: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(rule, list):
        for part in rule:
            yield from _walk(part)
    elif isinstance(rule, dict) and len(rule) == 1:
        (op, args), = rule.items()
        yield op, args
        if op != "var":
            yield from _walk(args)


def unguarded_items(ctx: LintContext, rule: Any) -> list[str]:
    """Answers compared as 'at most' a number without a check that they are answered.

    JSON Logic reads a missing answer as 0 in ``<``, so ``x <= 2`` is true when x is not
    answered; the trigger should also say ``x != None`` (or ``aa.answered(x)``), or
    ``x == None or ...`` when firing on a missing answer is meant.
    """
    compared: list[str] = []
    guarded: set[str] = set()
    for op, raw_args in _walk(rule):
        args = raw_args if isinstance(raw_args, list) else [raw_args]
        if op in _LOW_SIDE and len(args) == 2:
            name = _var_name(args[_LOW_SIDE[op]])
            other = args[1 - _LOW_SIDE[op]]
            if name and isinstance(other, int | float) and not isinstance(other, bool) and ctx.item(name):
                compared.append(name)
        elif op in {"!=", "!==", "==", "==="} and len(args) == 2 and None in args:
            guarded.update(n for n in map(_var_name, args) if n)
        elif op in {"aa.answered", "missing", "missing_some"}:
            guarded.update(n for n in map(_var_name, args) if n)
            guarded.update(a for a in args if isinstance(a, str))
    return [name for name in dict.fromkeys(compared) if name not in guarded]


def _cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt] if nxt in path else [node, nxt]
            if state.get(nxt) is None and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return None

    for start in graph:
        if state.get(start) is None and (found := visit(start, [start])):
            return found
    return None


def _check_recommendations(ctx: LintContext) -> Iterator[Diagnostic]:
    from asiakasarvo_engine.jsonlogic import ExpressionError

    recs = ctx.rules.recommendations
    if recs is None:
        return
    yield from ctx.expression(recs.priority, "/recommendations/priority", names=set(PRIORITY_NAMES))
    for key in recs.modules:
        if key not in {"1", "2", "3", "4", "5"}:
            yield ctx.at("RULE-017", jp.join("/recommendations/modules", key), key=True, found=key,
                         expected="module (1-5)")
    names = ctx.names | result_names(ctx.rules, ctx.sections)
    for metric_id, metric in recs.metrics.items():
        if metric.baseline is not None:
            yield from ctx.expression(metric.baseline,
                                      jp.join("/recommendations/metrics", metric_id, "baseline"), names=names)
    ids = [rec.id for rec in recs.items]
    seen: set[str] = set()
    for index, rec in enumerate(recs.items):
        base = jp.join("/recommendations/items", index)
        if rec.id in seen:
            yield ctx.at("RULE-021", jp.join(base, "id"), found=rec.id)
        seen.add(rec.id)
        if rec.section not in ctx.sections:
            yield ctx.at("RULE-003", jp.join(base, "section"), found=rec.section,
                         hint=did_you_mean(rec.section, ctx.sections))
        problems = list(ctx.expression(rec.when, jp.join(base, "when"), names=names))
        yield from problems
        if not problems:
            try:
                reason = _never_fires(ctx, to_json_logic(rec.when))
            except ExpressionError:  # pragma: no cover - reported above
                reason = None
            if reason:
                yield ctx.at("RULE-020", jp.join(base, "when"), found=reason)
            for name in unguarded_items(ctx, to_json_logic(rec.when)):
                yield ctx.at("RULE-022", jp.join(base, "when"), found=name)
        relations = (("themes", recs.themes, "theme"), ("metrics", recs.metrics, "metric"),
                     ("supersedes", ids, "recommendation"), ("requires", ids, "recommendation"))
        for field, known, what in relations:
            for position, value in enumerate(getattr(rec, field)):
                if value not in known:
                    yield ctx.at("RULE-017", jp.join(base, field, position), found=value, expected=what,
                                 hint=did_you_mean(value, known))
        if rec.module is None and not rec.themes:  # a cross-cutting one is named by its theme
            yield ctx.at("RULE-017", jp.join(base, "themes"), found="[]", expected="theme")
        elif rec.module is not None and str(rec.module) not in recs.modules:
            yield ctx.at("RULE-017", jp.join(base, "module"), found=str(rec.module), expected="module")
        for field in ("title", "text", "first_step"):
            for lang, text in getattr(rec, field).items():
                for match in PLACEHOLDER.finditer(text):
                    name = match.group(1)
                    target = resolve(name, names)
                    if target is None:
                        yield ctx.at("RULE-019", jp.join(base, field, lang), found=name,
                                     hint=did_you_mean(name, names))
                    elif target != name and target in ctx.items and (
                            problem := path_problem(ctx.items[target], target, name)) is not None:
                        yield ctx.at("RULE-019", jp.join(base, field, lang), found=name, hint=problem)
    yield from _check_owner_roles(ctx, names)
    for index, limit in enumerate(recs.horizon_limits):
        yield from ctx.expression(limit.when, jp.join("/recommendations/horizon_limits", index, "when"),
                                  names=names)
    for relation in ("supersedes", "requires"):
        cycle = _cycle({rec.id: getattr(rec, relation) for rec in recs.items})
        if cycle:
            index = ids.index(cycle[0])
            yield ctx.at("RULE-018", jp.join("/recommendations/items", index, relation),
                         found=" -> ".join(cycle), expected=relation)


def _check_owner_roles(ctx: LintContext, names: set[str]) -> Iterator[Diagnostic]:
    recs = ctx.rules.recommendations
    assert recs is not None
    graph: dict[str, list[str]] = {}
    for index, fallback in enumerate(recs.owner_roles):
        base = jp.join("/recommendations/owner_roles", index)
        problems = list(ctx.expression(fallback.absent_if, jp.join(base, "absent_if"), names=names))
        yield from problems
        if not problems:
            for name in unguarded_items(ctx, to_json_logic(fallback.absent_if)):
                yield ctx.at("RULE-022", jp.join(base, "absent_if"), found=name)
        graph.setdefault(fallback.role.value, []).append(fallback.instead.value)
    cycle = _cycle(graph)
    if cycle:
        index = next(i for i, f in enumerate(recs.owner_roles) if f.role.value == cycle[0])
        yield ctx.at("RULE-018", jp.join("/recommendations/owner_roles", index, "instead"),
                     found=" -> ".join(cycle), expected="owner_roles")


def _check_verdict(ctx: LintContext) -> Iterator[Diagnostic]:
    """The financial verdict names ratios of the rules, bands of theirs and a label for each."""
    indicators = ctx.rules.indicators
    verdict = indicators.verdict if indicators is not None else None
    if indicators is None or verdict is None:
        return
    base = "/indicators/verdict"
    if verdict.section not in ctx.rules.sections:
        yield ctx.at("RULE-003", jp.join(base, "section"), found=verdict.section)
    for index, ratio_id in enumerate(verdict.ratios):
        ratio = indicators.ratios.get(ratio_id)
        if ratio is None:
            yield ctx.at("RULE-013", jp.join(base, "ratios", index), found=ratio_id,
                         expected=", ".join(indicators.ratios))
            continue
        for band in ratio.bands:
            if band.id not in verdict.order:
                yield ctx.at("RULE-017", jp.join(base, "order"), found=band.id, expected="band")
    for band_id in verdict.order:
        if band_id not in verdict.labels:
            yield ctx.at("RULE-017", jp.join(base, "labels"), found=band_id, expected="label")


CHECKS: tuple[Callable[[LintContext], Iterator[Diagnostic]], ...] = (
    _check_sections, _check_items, _check_scales, _check_levels, _check_recommendations, _check_verdict)


def lint_rules(rules: RuleSet, doc: SourceDoc, bank: LoadedBank) -> list[Diagnostic]:
    """Every problem of ``rules`` measured against ``bank``."""
    ctx = LintContext(rules, doc, bank)
    return [diagnostic for check in CHECKS for diagnostic in check(ctx)]
