"""Incremental evaluation of a session: after an answer, only what depends on it runs again.

:class:`LiveGraph` is built once per scoring program from what every compiled expression
reads (``CompiledRule.variables``): for each item and calculated value, the conditions
(``visible_if``, ``required_if``), the calculated values and the scored sections (their
expression items and gates) that read it, and a topological rank over items and
calculated values. An item's value counts in the data only while the item is visible,
so visibility is part of that order: a condition depends on the items it reads being
visible.

:class:`LiveState` holds one session's evaluated state: the data the expressions see
(visible answered values nested ``{section: {item: value}}`` beside the calculated
values), the hidden and required items, and the live section and overall scores. Its
:meth:`LiveState.set_entry` changes one item's answer and propagates in rank order:
the calculated values downstream, the conditions reading anything that changed, the
required conditions, and the sections (and the overall index) whose inputs changed.
Answers to hidden items stay in the state but leave the data and the scores, and come
back when the item is visible again. Each scored item's part of its section (weight x
score, weight, counts) is kept with running totals, so a change updates the totals instead
of going through every item of the section (see :func:`item_part`).

The result equals a full evaluation (``CompiledBank.evaluate`` and the scoring engine's
``evaluate``). When the conditions depend on each other in a circle, or a bank rule reads
paths known only at run time, the visible set is a fixed point that an incremental pass
may not reach the same way, so such a bank is evaluated in full after every change
(``LiveGraph.incremental`` is False); the answer is then still exact, only slower.

Every change is journaled and is either committed or rolled back as a whole, so a caller
can evaluate first and store second, and undo the evaluation when the store refuses.
"""

from __future__ import annotations

import heapq
import math
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.expressions import NameIndex, known_names
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.errors import EvaluationError
from asiakasarvo_engine.jsonlogic import CompiledRule, ExpressionEvaluationError
from asiakasarvo_engine.jsonlogic._truthiness import truthy
from asiakasarvo_engine.scoring.engine import OverallScores, SectionScores, apply_gates, level_of
from asiakasarvo_engine.scoring.program import ItemProgram, ScoringProgram, SectionProgram, StateEffect
from asiakasarvo_engine.scoring.result import ItemState, SectionStatus

_ANSWERED = AnswerStatus.ANSWERED
_DONT_KNOW = AnswerStatus.DONT_KNOW
_NOT_APPLICABLE = AnswerStatus.NOT_APPLICABLE
_SKIPPED = AnswerStatus.SKIPPED
_RESPONDED = frozenset({_ANSWERED, _DONT_KNOW, _NOT_APPLICABLE})
"""Statuses that count as dealt with in progress (skipped does not)."""
_SCORED = SectionStatus.SCORED
_INSUFFICIENT = SectionStatus.INSUFFICIENT_DATA
_DIGITS = 2
_OVERALL = ""
"""The key of the overall index among the live scores."""
_GRAIN = 1024.0
_EXACT_BOUND = float(2**40)
"""Multiples of 1/1024 below 2**30 (2**40 grains) add up exactly in any order: every partial
sum of a few thousand of them needs fewer than the 53 bits of a float."""

Part = tuple[float, float, int, int, bool]
"""What one scored item adds to its section: weight x score, weight, answered, expected, and
whether the first two are exact multiples of 1/1024 (then running totals are exact)."""
Tally = tuple[float, float, int, int, int]
"""A section's running totals: the sums of its parts (weight x score, weight; meaningful
only while no part is inexact), answered, expected, and how many parts are inexact."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
"""Stands for "not in the data" (distinct from a null value)."""


def _same(old: Any, new: Any) -> bool:
    """Whether a value is unchanged (same type and equal; NaN is NaN)."""
    if old is new:
        return True
    if type(old) is not type(new):
        return False
    return bool(old == new) or (type(old) is float and math.isnan(old) and math.isnan(new))


@dataclass(frozen=True, slots=True)
class Readers:
    """What reads one item's or calculated value's value in the data."""

    conditions: tuple[str, ...]
    """Items whose ``visible_if`` reads it."""
    required: tuple[str, ...]
    """Items whose ``required_if`` reads it."""
    calculated: tuple[str, ...]
    """Calculated values that read it."""
    sections: frozenset[str]
    """Scored sections whose expression items or gates read it."""
    overall: bool
    """Whether an overall gate reads it."""


class _Node:
    """An item or calculated value as propagation needs it."""

    __slots__ = ("calculated", "condition", "key", "name", "pushes", "readers", "section")

    def __init__(self, name: str, calculated: CompiledRule | None, condition: CompiledRule | None,
                 readers: Readers, rank: Mapping[str, int]) -> None:
        self.name = name
        self.section, _, self.key = name.partition(".")
        self.calculated = calculated
        self.condition = condition
        self.readers = readers
        self.pushes: tuple[tuple[int, str], ...] = tuple(
            (rank[reader], reader) for reader in (*readers.conditions, *readers.calculated))
        """The readers to evaluate again when this value changes, with their ranks."""


@dataclass(frozen=True)
class LiveGraph:
    """The dependency graph of one scoring program (immutable, shared by its sessions).

    It holds parts of the program but not the program itself, so the cache of graphs
    lets a program go when nothing else holds it.
    """

    items: tuple[str, ...]
    """Every item, in bank order."""
    order: Mapping[str, int]
    """Item -> its place in bank order."""
    item_section: Mapping[str, str]
    conditions: Mapping[str, CompiledRule]
    required_if: Mapping[str, CompiledRule]
    """The ``required_if`` of items that are not plainly required."""
    always_required: frozenset[str]
    calculated: Mapping[str, CompiledRule]
    rank: Mapping[str, int]
    """A topological rank of items and calculated values: a node ranks after what it reads."""
    readers: Mapping[str, Readers]
    scored: Mapping[str, str]
    """Scored item -> its section."""
    sections: Mapping[str, SectionProgram]
    always_rescored: frozenset[str]
    """Scored sections that read paths known only at run time (re-scored after every change)."""
    incremental: bool
    """False when the bank must be evaluated in full after every change (see the module)."""
    nodes: Mapping[str, _Node]
    section_index: Mapping[str, int]
    """Scored section -> its place in rules order."""
    overall_weights: tuple[tuple[str, float], ...]
    """The scored sections with a weight, in bank order (what the overall index averages)."""
    scored_by: Mapping[str, tuple[tuple[str, ItemProgram], ...]]
    """Scored item -> every (section, item program) that scores it."""
    data_items: Mapping[str, tuple[ItemProgram, ...]]
    """Scored section -> its items whose score reads the data (expression items)."""
    effects: tuple[StateEffect, StateEffect, StateEffect, StateEffect, StateEffect]
    """The effects of answered, hidden, skipped, don't know and not applicable."""
    accepted: Mapping[str, tuple[type, frozenset[Any]]]
    """Rating and single choice items -> the type and the values an answer check surely
    accepts (a scale's points, the choices): the interview checks anything else in full."""

    @staticmethod
    def of(program: ScoringProgram) -> LiveGraph:
        """The graph of ``program``, built once and cached while the program lives."""
        key = id(program)
        cached = _GRAPHS.get(key)
        if cached is not None and cached[0]() is program:
            return cached[1]
        graph = _build(program)
        graphs = _GRAPHS  # still reachable from the callback while the interpreter shuts down

        def forget(_ref: weakref.ref[ScoringProgram]) -> None:
            graphs.pop(key, None)

        graphs[key] = (weakref.ref(program, forget), graph)
        return graph


_GRAPHS: dict[int, tuple[weakref.ref[ScoringProgram], LiveGraph]] = {}


def _build(program: ScoringProgram) -> LiveGraph:
    bank = program.bank
    item_names, calc_names = known_names(bank.loaded.bank)
    names = item_names | calc_names
    index = NameIndex(names)  # what each data path reaches, without scanning every name
    conditions = dict(bank.conditions)
    required_if = dict(bank.required_if)
    calculated = dict(bank.calculated)
    reads_cond: dict[str, list[str]] = {n: [] for n in names}
    reads_req: dict[str, list[str]] = {n: [] for n in names}
    reads_calc: dict[str, list[str]] = {n: [] for n in names}
    reads_sections: dict[str, set[str]] = {n: set() for n in names}
    reads_overall: set[str] = set()
    dynamic = False

    def reads(rule: CompiledRule) -> set[str]:
        found: set[str] = set()
        for path in rule.variables:
            found |= index.matches(path)
        return found

    preds: dict[str, set[str]] = {n: set() for n in names}
    for owner, rule in conditions.items():
        dynamic = dynamic or rule.dynamic
        for name in reads(rule):
            reads_cond[name].append(owner)
            preds[owner].add(name)
    for owner, rule in required_if.items():
        dynamic = dynamic or rule.dynamic
        for name in reads(rule):
            reads_req[name].append(owner)
    for owner, rule in calculated.items():
        dynamic = dynamic or rule.dynamic
        for name in reads(rule):
            reads_calc[name].append(owner)
            preds[owner].add(name)
    always: set[str] = set()
    for section in program.sections:
        rules = [item.rule for item in section.items if item.rule is not None]
        rules += [rule for _, rule in section.gates]
        for rule in rules:
            if rule.dynamic:
                always.add(section.id)
            for name in reads(rule):
                reads_sections[name].add(section.id)
    overall_dynamic = False
    for _, rule in program.overall_gates:
        overall_dynamic = overall_dynamic or rule.dynamic
        reads_overall |= reads(rule)
    if overall_dynamic:
        reads_overall = set(names)
    rank, acyclic = _ranks(names, preds)
    readers = {name: Readers(tuple(reads_cond[name]), tuple(reads_req[name]), tuple(reads_calc[name]),
                             frozenset(reads_sections[name]), name in reads_overall)
               for name in names}
    weights = {section.id: section.weight for section in program.sections}
    scored_by: dict[str, list[tuple[str, ItemProgram]]] = {}
    for section in program.sections:
        for item in section.items:
            scored_by.setdefault(item.name, []).append((section.id, item))
    effects = program.effects
    accepted: dict[str, tuple[type, frozenset[Any]]] = {}
    loaded = bank.loaded.bank
    for name, compiled in bank.items.items():
        question = compiled.item
        if question.type is QuestionType.LIKERT:
            scale = loaded.scales.get(question.scale or "")
            if scale is not None:
                accepted[name] = (int, frozenset(p.value for p in scale.points if type(p.value) is int))
        elif question.type is QuestionType.SINGLE_CHOICE:
            choices = choices_of(question, loaded)
            accepted[name] = (str, frozenset(c.value for c in choices if type(c.value) is str))
    return LiveGraph(
        tuple(bank.items), {name: index for index, name in enumerate(bank.items)},
        {name: item.section for name, item in bank.items.items()},
        conditions, required_if, frozenset(bank.always_required), calculated, rank, readers,
        {item.name: section.id for section in program.sections for item in section.items},
        {section.id: section for section in program.sections}, frozenset(always),
        acyclic and not dynamic,
        {name: _Node(name, calculated.get(name), conditions.get(name), readers[name], rank)
         for name in names},
        {section.id: index for index, section in enumerate(program.sections)},
        tuple((sid, weights[sid]) for sid in program.section_order if sid in weights and weights[sid] > 0),
        {name: tuple(found) for name, found in scored_by.items()},
        {section.id: tuple(item for item in section.items if item.basis == "expression")
         for section in program.sections},
        (effects[ItemState.ANSWERED], effects[ItemState.HIDDEN], effects[ItemState.SKIPPED],
         effects[ItemState.DONT_KNOW], effects[ItemState.NOT_APPLICABLE]),
        accepted)


def _ranks(names: set[str], preds: dict[str, set[str]]) -> tuple[dict[str, int], bool]:
    """A rank per node, each above its predecessors' (Kahn); False when there is a cycle."""
    succs: dict[str, list[str]] = {n: [] for n in names}
    waiting = {n: len(preds[n]) for n in names}
    for node, before in preds.items():
        for pred in before:
            succs[pred].append(node)
    ready = sorted(n for n, count in waiting.items() if count == 0)
    rank: dict[str, int] = {}
    while ready:
        node = ready.pop()
        rank[node] = len(rank)
        for succ in succs[node]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                ready.append(succ)
    if len(rank) < len(names):
        for node in sorted(names - rank.keys()):
            rank[node] = len(rank)
        return rank, False
    return rank, True


class Delta(NamedTuple):
    """What one change did to the evaluated state."""

    shown: tuple[str, ...]
    hidden: tuple[str, ...]
    required: tuple[str, ...]
    not_required: tuple[str, ...]
    calculated: Mapping[str, Any]
    """Calculated values that changed, with their new values."""
    sections: tuple[str, ...]
    """Scored sections that were scored again (their inputs changed), in rules order."""


def item_part(item: ItemProgram, effects: tuple[StateEffect, ...], *, status: Mapping[str, AnswerStatus],
              values: Mapping[str, Any], hidden: set[str] | frozenset[str], data: Any) -> Part:
    """What ``item`` adds to its section now, with the scoring engine's arithmetic: the
    product ``weight * score`` and the weight (0.0 when it adds no score), the answered and
    expected counts, and whether product and weight add up exactly (:func:`_exact`)."""
    answered_fx, hidden_fx, skipped_fx, dont_know_fx, not_applicable_fx = effects
    name = item.name
    weight = item.weight
    if name in hidden:
        fx = hidden_fx
    else:
        state = status.get(name)
        if state is None:
            fx = skipped_fx
        elif state is _ANSWERED:
            value = values[name]
            scale = item.scale
            score: float | None
            if scale is not None:
                score = scale.rounded.get(value) if isinstance(value, int) else None
            else:
                raw = item.score(value, data)
                score = None if raw is None else round(raw, 4)
            if score is not None:
                if weight > 0:
                    product = weight * score
                    return (product, weight, answered_fx.answered, answered_fx.expected,
                            _exact(product) and _exact(weight))
                return 0.0, 0.0, answered_fx.answered, answered_fx.expected, True
            fx = skipped_fx
        elif state is _DONT_KNOW:
            fx = dont_know_fx
        elif state is _NOT_APPLICABLE:
            fx = not_applicable_fx
        else:
            fx = skipped_fx
    missing_score = fx.score
    if missing_score is not None and weight > 0:
        product = weight * missing_score
        return product, weight, fx.answered, fx.expected, _exact(product) and _exact(weight)
    return 0.0, 0.0, fx.answered, fx.expected, True


def _exact(number: float) -> bool:
    """Whether ``number`` is a multiple of 1/1024 small enough to add exactly (False for
    NaN and infinities)."""
    grains = number * _GRAIN
    return -_EXACT_BOUND < grains < _EXACT_BOUND and grains == math.floor(grains)


def tally(section: SectionProgram, parts: Mapping[str, Part]) -> Tally:
    """A section's totals from its items' parts, summed in rules order as the scoring engine
    sums them (adding a part's 0.0 leaves a sum as it is)."""
    total = weights = 0.0
    answered = expected = inexact = 0
    for item in section.items:
        product, weight, item_answered, item_expected, exact = parts[item.name]
        total += product
        weights += weight
        answered += item_answered
        expected += item_expected
        if not exact:
            inexact += 1
    return total, weights, answered, expected, inexact


def section_scores(program: ScoringProgram, section: SectionProgram, totals: Tally,
                   parts: Mapping[str, Part], data: Any) -> SectionScores:
    """A section's scores from its running totals; while a part is inexact, the products
    and weights are summed again in rules order, so the float is the engine's."""
    total, weights, answered, expected, inexact = totals
    if inexact:
        total, weights = tally(section, parts)[:2]
    completeness = answered / expected if expected else None
    if completeness is None or completeness < section.min_share or weights <= 0:
        return SectionScores(_INSUFFICIENT, None, None, None,
                             None if completeness is None else round(completeness, 4), answered, expected, ())
    levels = program.levels
    section_score = round(total / weights, _DIGITS)
    level = level_of(levels, section_score)
    capped, gates = apply_gates(levels, level, section.gates, data) if section.gates else (level, ())
    return SectionScores(_SCORED, section_score, capped.level, level.level, round(completeness, 4),
                         answered, expected, gates)


def score_section(program: ScoringProgram, section: SectionProgram, *, status: Mapping[str, AnswerStatus],
                  values: Mapping[str, Any], hidden: set[str] | frozenset[str], data: Any) -> SectionScores:
    """One section's scores from scratch, with the arithmetic of the scoring engine in the
    same order."""
    effects = LiveGraph.of(program).effects
    parts = {item.name: item_part(item, effects, status=status, values=values, hidden=hidden, data=data)
             for item in section.items}
    return section_scores(program, section, tally(section, parts), parts, data)


def score_overall(program: ScoringProgram, sections: Mapping[str, SectionScores], data: Any, *,
                  weights: tuple[tuple[str, float], ...] | None = None,
                  counts: tuple[int, int] | None = None) -> OverallScores:
    """The overall index over the section scores, as the scoring engine computes it.

    ``sections`` may hold other keys than the scored sections' (they are not read);
    ``weights`` are ``LiveGraph.overall_weights`` (computed when not given); ``counts``
    the sections' answered and expected counts summed (summed here when not given).
    """
    if weights is None:
        by_id = {section.id: section.weight for section in program.sections}
        weights = tuple((sid, by_id[sid]) for sid in program.section_order if sid in by_id and by_id[sid] > 0)
    used = {sid: weight for sid, weight in weights if sections[sid].status is _SCORED}
    if counts is None:
        answered = expected = 0
        for section in program.sections:
            scores = sections[section.id]
            answered += scores.answered
            expected += scores.expected
    else:
        answered, expected = counts
    completeness = round(answered / expected, 4) if expected else None
    if len(used) < program.rules.rules.overall.min_sections:
        return OverallScores(_INSUFFICIENT, None, None, None, completeness, used, ())
    weight_sum = sum(used.values())
    score = round(sum(w * (sections[sid].score or 0.0) for sid, w in used.items()) / weight_sum, _DIGITS)
    level = level_of(program.levels, score)
    capped, gates = apply_gates(program.levels, level, program.overall_gates, data)
    return OverallScores(_SCORED, score, capped.level, level.level, completeness, used, gates)


class LiveState:
    """The evaluated state of one session, kept up to date change by change.

    ``status`` and ``values`` are the answers (every status; the values of answered
    items, hidden or not); ``data``, ``calculated``, ``hidden``, ``required`` and the
    scores are what a full evaluation of those answers gives. Treat them as read-only.
    """

    def __init__(self, program: ScoringProgram, answers: Mapping[str, tuple[AnswerStatus, Any]] | None = None,
                 ) -> None:
        """The state of ``answers`` (item -> (status, value)) under ``program``."""
        self.program = program
        self.graph = LiveGraph.of(program)
        self.status: dict[str, AnswerStatus] = {}
        self.values: dict[str, Any] = {}
        for name, (status, value) in (answers or {}).items():
            self.status[name] = status
            if status is _ANSWERED:
                self.values[name] = value
        self.data: dict[str, dict[str, Any]] = {}
        self.calculated: dict[str, Any] = {}
        self.hidden: set[str] = set()
        self.required: set[str] = set()
        self.scores: dict[str, Any] = {}
        """Section id -> SectionScores, and ``""`` -> OverallScores."""
        self.open_required: set[str] = set()
        """Visible required items not yet dealt with (no answer, or only skipped)."""
        self.responded = 0
        """Visible items answered, don't know or not applicable."""
        self.parts: dict[str, dict[str, Part]] = {}
        """Section id -> scored item -> what it adds to the section now (see :data:`Part`)."""
        self.tallies: dict[str, Tally] = {}
        """Section id -> its running totals; ``""`` -> answered and expected over all sections."""
        self._journal: list[tuple[Any, Any, Any]] = []
        self._full()
        self._journal.clear()

    # -------------------------------------------------------------- reading

    @property
    def sections(self) -> dict[str, SectionScores]:
        """The live section scores, in rules order."""
        return {sid: self.scores[sid] for sid in self.graph.sections}

    @property
    def overall(self) -> OverallScores:
        """The live overall index."""
        result: OverallScores = self.scores[_OVERALL]
        return result

    def visible_count(self) -> int:
        """How many items are visible."""
        return len(self.graph.items) - len(self.hidden)

    # -------------------------------------------------------------- journal

    def commit(self) -> None:
        """Keep every change since the last commit."""
        self._journal.clear()

    def rollback(self) -> None:
        """Take back every change since the last commit."""
        journal = self._journal
        while journal:
            target, key, old = journal.pop()
            if isinstance(target, set):
                if old:
                    target.add(key)
                else:
                    target.discard(key)
            elif isinstance(target, dict):
                if old is MISSING:
                    target.pop(key, None)
                else:
                    target[key] = old
            else:  # the responded counter
                self.responded = old

    def _put(self, target: dict[Any, Any], key: Any, value: Any) -> None:
        self._journal.append((target, key, target.get(key, MISSING)))
        target[key] = value

    def _drop(self, target: dict[Any, Any], key: Any) -> None:
        if key in target:
            self._journal.append((target, key, target.pop(key)))

    def _flag(self, target: set[Any], key: Any, on: bool) -> None:
        if (key in target) is not on:
            self._journal.append((target, key, not on))
            if on:
                target.add(key)
            else:
                target.discard(key)

    def _count(self, change: int) -> None:
        self._journal.append((None, None, self.responded))
        self.responded += change

    # -------------------------------------------------------------- changing

    def set_entry(self, name: str, status: AnswerStatus | None, value: Any = None) -> Delta:
        """Give item ``name`` a new answer (``status`` None: no answer) and propagate.

        Raises :class:`EvaluationError` when an expression fails; call :meth:`rollback`
        then (or :meth:`commit` to keep the change).
        """
        old_status = self.status.get(name)
        if status is None:
            self._drop(self.status, name)
        else:
            self._put(self.status, name, status)
        if status is _ANSWERED:
            self._put(self.values, name, value)
        else:
            self._drop(self.values, name)
        if name not in self.hidden:
            was, now = old_status in _RESPONDED, status in _RESPONDED
            if was is not now:
                self._count(1 if now else -1)
        if not self.graph.incremental:
            return self._full()
        return self._propagate(name)

    def _propagate(self, name: str) -> Delta:
        graph = self.graph
        nodes = graph.nodes
        hidden = self.hidden
        values = self.values
        calculated = self.calculated
        data = self.data
        shown_now: list[str] = []
        hidden_now: list[str] = []
        calc_changed: dict[str, Any] = {}
        touched = [name]
        """Items whose answer or visibility changed."""
        changed_nodes: list[_Node] = []
        heap: list[tuple[int, str]] = []
        queued: set[str] = set()
        owner = name
        try:
            node = nodes[name]
            if self._store_data(node, MISSING if name in hidden else values.get(name, MISSING)):
                changed_nodes.append(node)
                for entry in node.pushes:
                    queued.add(entry[1])
                    heapq.heappush(heap, entry)
            while heap:
                owner = heapq.heappop(heap)[1]
                node = nodes[owner]
                rule = node.calculated
                if rule is not None:
                    value = rule(data)
                    if _same(calculated.get(owner, MISSING), value):
                        continue
                    self._put(calculated, owner, value)
                    self._store_data(node, value)
                    calc_changed[owner] = value
                else:
                    condition = node.condition
                    if condition is not None:
                        shown = condition(data)
                        is_hidden = shown is not True and (shown is False or not truthy(shown))
                        if is_hidden is not (owner in hidden):
                            self._flag(hidden, owner, is_hidden)
                            (hidden_now if is_hidden else shown_now).append(owner)
                            touched.append(owner)
                            if self.status.get(owner) in _RESPONDED:
                                self._count(-1 if is_hidden else 1)
                    if not self._store_data(node, MISSING if owner in hidden else values.get(owner, MISSING)):
                        continue
                changed_nodes.append(node)
                for entry in node.pushes:
                    if entry[1] not in queued:
                        queued.add(entry[1])
                        heapq.heappush(heap, entry)
            owner = name
            required_check = set(touched)
            read = set(graph.always_rescored)
            """Sections whose expression items or gates read what changed."""
            overall = False
            for node in changed_nodes:
                readers = node.readers
                if readers.required:
                    required_check.update(readers.required)
                if readers.sections:
                    read |= readers.sections
                overall = overall or readers.overall
            required_on, required_off = self._check_required(required_check)
            for item in touched:
                self._check_open(item)
            sections = set(read)
            changed = set(read)
            """Sections to score again: their inputs changed; those whose totals changed too."""
            scored_by = graph.scored_by
            for item in touched:
                for sid, program_item in scored_by.get(item, ()):
                    sections.add(sid)
                    owner = sid
                    if self._repart(sid, program_item):
                        changed.add(sid)
            data_items = graph.data_items
            for sid in read:
                owner = sid
                for program_item in data_items[sid]:
                    self._repart(sid, program_item)
            if len(sections) > 1:
                rescored = tuple(sorted(sections, key=graph.section_index.__getitem__))
            else:
                rescored = tuple(sections)
            scores = self.scores
            tallies = self.tallies
            for sid in rescored:
                if sid not in changed:
                    continue  # the same totals and no gate read anything new: the same scores
                owner = sid
                new = section_scores(self.program, graph.sections[sid], tallies[sid], self.parts[sid], data)
                if not _same(scores[sid], new):
                    self._put(scores, sid, new)
                    overall = True
            if overall:
                owner = "overall"
                # A new object whenever a section changed (views are cached by identity).
                self._put(scores, _OVERALL, score_overall(self.program, scores, data,
                                                          weights=graph.overall_weights,
                                                          counts=tallies[_OVERALL][2:4]))
        except ExpressionEvaluationError as exc:
            raise EvaluationError(f"{owner}: {exc}") from exc
        if len(shown_now) > 1:
            shown_now.sort(key=graph.order.__getitem__)
        if len(hidden_now) > 1:
            hidden_now.sort(key=graph.order.__getitem__)
        return Delta(tuple(shown_now), tuple(hidden_now), required_on, required_off, calc_changed, rescored)

    def _repart(self, sid: str, item: ItemProgram) -> bool:
        """Bring ``item``'s part of section ``sid`` and the running totals up to date;
        False when the part is unchanged."""
        parts = self.parts[sid]
        name = item.name
        old = parts[name]
        new = item_part(item, self.graph.effects, status=self.status, values=self.values, hidden=self.hidden,
                        data=self.data)
        if old == new:
            return False
        self._put(parts, name, new)
        tallies = self.tallies
        total, weights, answered, expected, inexact = tallies[sid]
        more_answered, more_expected = new[2] - old[2], new[3] - old[3]
        inexact += (not new[4]) - (not old[4])
        if not inexact:
            if old[4]:  # every part a multiple of 1/1024 of a safe size: the sums are exact
                total += new[0] - old[0]
                weights += new[1] - old[1]
            else:
                total, weights = tally(self.graph.sections[sid], parts)[:2]
        self._put(tallies, sid, (total, weights, answered + more_answered, expected + more_expected, inexact))
        if more_answered or more_expected:
            counts = tallies[_OVERALL]
            self._put(tallies, _OVERALL, (0.0, 0.0, counts[2] + more_answered, counts[3] + more_expected, 0))
        return True

    def _store_data(self, node: _Node, value: Any) -> bool:
        """Put a node's value in the data (MISSING: take it out); False when it is unchanged."""
        bucket = self.data.get(node.section)
        old = MISSING if bucket is None else bucket.get(node.key, MISSING)
        if _same(old, value):
            return False
        if value is MISSING:
            assert bucket is not None
            self._journal.append((bucket, node.key, bucket.pop(node.key)))
            return True
        if bucket is None:
            bucket = {}
            self._put(self.data, node.section, bucket)
        self._journal.append((bucket, node.key, old))
        bucket[node.key] = value
        return True

    def _check_required(self, names: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        graph = self.graph
        on: list[str] = []
        off: list[str] = []
        for name in names:
            if name in self.hidden:
                needed = False
            elif name in graph.always_required:
                needed = True
            else:
                rule = graph.required_if.get(name)
                needed = rule is not None and truthy(rule(self.data))
            if needed is not (name in self.required):
                self._flag(self.required, name, needed)
                (on if needed else off).append(name)
                self._check_open(name)
        place = graph.order.__getitem__
        return tuple(sorted(on, key=place)), tuple(sorted(off, key=place))

    def _check_open(self, name: str) -> None:
        self._flag(self.open_required, name,
                   name in self.required and self.status.get(name) not in _RESPONDED)

    def _full(self) -> Delta:
        """Evaluate everything (first build, or a bank that cannot go incrementally) and diff."""
        graph = self.graph
        program = self.program
        state = program.bank.evaluate(self.values)
        old_hidden, old_required = set(self.hidden), set(self.required)
        old_calculated = dict(self.calculated)
        for section in list(self.data):
            self._drop(self.data, section)
        for section, bucket in state.data.items():
            self._put(self.data, section, dict(bucket))
        for name in graph.items:
            self._flag(self.hidden, name, name in state.hidden)
            self._flag(self.required, name, name in state.required)
        for name, value in state.calculated.items():
            self._put(self.calculated, name, value)
        responded = sum(1 for name, status in self.status.items()
                        if status in _RESPONDED and name not in self.hidden)
        if responded != self.responded:
            self._count(responded - self.responded)
        for name in graph.items:
            self._check_open(name)
        rescored: list[str] = []
        effects = graph.effects
        answered = expected = 0
        for program_section in program.sections:
            sid = program_section.id
            parts = {item.name: item_part(item, effects, status=self.status, values=self.values,
                                          hidden=self.hidden, data=self.data)
                     for item in program_section.items}
            totals = tally(program_section, parts)
            self._put(self.parts, sid, parts)
            self._put(self.tallies, sid, totals)
            answered += totals[2]
            expected += totals[3]
            scores = section_scores(program, program_section, totals, parts, self.data)
            if not _same(self.scores.get(sid, MISSING), scores):
                rescored.append(sid)
            self._put(self.scores, sid, scores)
        self._put(self.tallies, _OVERALL, (0.0, 0.0, answered, expected, 0))
        self._put(self.scores, _OVERALL, score_overall(program, self.scores, self.data,
                                                       weights=graph.overall_weights,
                                                       counts=(answered, expected)))
        rank = graph.order.__getitem__
        return Delta(
            tuple(sorted(old_hidden - self.hidden, key=rank)),
            tuple(sorted(self.hidden - old_hidden, key=rank)),
            tuple(sorted(self.required - old_required, key=rank)),
            tuple(sorted(old_required - self.required, key=rank)),
            {name: value for name, value in self.calculated.items()
             if not _same(old_calculated.get(name, MISSING), value)},
            tuple(rescored))
