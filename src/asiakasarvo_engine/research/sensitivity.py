"""Sensitivity of levels and rankings to the weights of the rules (``research sensitivity``).

Each draw multiplies every item weight and every section weight of the rules by its own
factor ``1 + u``, ``u`` uniform in ``[-perturb, perturb]`` (a weight stays positive, a zero
weight stays zero). The engine scores every analysis once (:func:`prepare`): each item's
score, whether it counts in its section's mean, which sections and the overall index are
scored, the level caps of the gates that hold, and the recommendations that fire. A draw is
then only arithmetic on arrays (NumPy, the ``research`` extra): the section score is the
weighted mean of the item scores, accumulated item by item in the engine's order and
rounded the same way, so a draw gives exactly the scores and levels that ``evaluate``
gives with the perturbed rules (:func:`perturbed_program` builds those rules; a property
test checks it). The priority of each fired recommendation follows its section's score
through the priority formula, and the order is the engine's (alerts first, priority, then
urgency, impact, effort and id; a prerequisite before its dependant).

Reported: per section (and overall) the share of companies whose level differs from the
baseline, on average over the draws, and the share that flip in at least one draw; for the
recommendations, Kendall's tau between each company's baseline order and its order in each
draw, and how often the key recommendations or the first one change.

Which recommendations fire is kept from the baseline: that is exact when no trigger reads
the scores, levels or overall index (weights change nothing else); a rule set whose
triggers do is refused (RES-022). The same corpus, perturbation, draws and seed give the
same numbers.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.recommend.engine import RecommendProgram, compile_recommendations, result_data
from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError, optional_module
from asiakasarvo_engine.research.progress import track
from asiakasarvo_engine.research.rescore import check_pin
from asiakasarvo_engine.rules.models import Recommendation
from asiakasarvo_engine.scoring.engine import evaluate, score
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company, SectionStatus

Row = dict[str, Any]

_WEIGHT_DEPENDENT = ("result.scores", "result.levels", "result.overall")
_NO_CAP = 1_000_000


_SHARE = {"fi": "osuus yli 0 ja alle 100 %, esim. 10% tai 0.1",
          "en": "a share above 0 and below 100 %, e.g. 10% or 0.1"}


def parse_perturb(text: str | float) -> float:
    """``10%``, ``10 %``, ``0.1`` or ``0,1`` as a share; RES-021 unless strictly between 0 and 1."""
    raw = str(text).strip()
    try:
        value = float(raw.rstrip("%").strip().replace(",", ".")) / (100 if raw.endswith("%") else 1)
    except ValueError:
        value = math.nan
    if not 0 < value < 1:
        raise CodedResearchError("RES-021", found=repr(str(text)), expected=_SHARE)
    return value


def _weight_dependent(compiled: RecommendProgram) -> None:
    for rec, trigger in compiled.triggers:
        if trigger.dynamic:
            raise CodedResearchError("RES-022", found=rec.id,
                                     expected={"fi": "ajon aikana nimetty muuttuja",
                                               "en": "a variable named at run time"})
        for name in sorted(trigger.variables):
            if name == "result" or name.startswith(_WEIGHT_DEPENDENT):
                raise CodedResearchError("RES-022", found=rec.id, expected=name)


@dataclass(frozen=True)
class Prepared:
    """What the engine computed once per analysis, as arrays (``C`` analyses, ``I`` scored
    items of the rules, ``S`` scored sections)."""

    program: ScoringProgram
    values: Any
    """(C, I) item scores, 0 where an item does not count."""
    counts: Any
    """(C, I) 1.0 where the item counts in its section's mean (a score and a positive weight)."""
    scored: Any
    """(C, S) whether the section is scored (fixed: weights stay positive)."""
    caps: Any
    """(C, S) the lowest cap of the section's gates that hold (a large number: none)."""
    overall_scored: Any
    """(C,) whether the overall index is scored."""
    overall_caps: Any
    """(C,)"""
    baseline_levels: Any
    """(C, S) the levels ``evaluate`` gave (0: not scored)."""
    baseline_overall: Any
    """(C,)"""
    recommendations: tuple[tuple[Recommendation, ...], ...]
    """Per analysis the fired recommendations that are kept (not superseded), in the order
    of the rules."""
    compiled: RecommendProgram | None


def _caps(gates: Sequence[tuple[Any, bool]]) -> int:
    return min((gate.cap_level for gate, _ in gates), default=_NO_CAP)


def _kept(compiled: RecommendProgram, data: dict[str, Any]) -> list[Recommendation]:
    fired = [rec for rec, trigger in compiled.triggers if _truthy(trigger(data))]
    fired_ids = {rec.id for rec in fired}
    superseded = {other for rec in fired for other in rec.supersedes if other in fired_ids}
    return [rec for rec in fired if rec.id not in superseded]


def _truthy(value: Any) -> bool:
    from asiakasarvo_engine.jsonlogic._truthiness import truthy

    return truthy(value)


def prepare(program: ScoringProgram, corpus: Sequence[Analysis], *, progress: bool = False) -> Prepared:
    """Score every analysis once with ``program`` and keep what the draws need."""
    np = optional_module("numpy")
    if not corpus:
        raise CodedResearchError("RES-023", found="sensitivity")
    rules = program.rules.rules.recommendations
    compiled = compile_recommendations(rules) if rules is not None else None
    if compiled is not None:
        _weight_dependent(compiled)
    sections = program.sections
    n_items = len(program.items)
    weights = [item.weight for item in program.items]
    values = np.zeros((len(corpus), n_items))
    counts = np.zeros((len(corpus), n_items))
    scored = np.zeros((len(corpus), len(sections)), dtype=bool)
    caps = np.full((len(corpus), len(sections)), _NO_CAP, dtype=np.int64)
    levels = np.zeros((len(corpus), len(sections)), dtype=np.int64)
    overall_scored = np.zeros(len(corpus), dtype=bool)
    overall_caps = np.full(len(corpus), _NO_CAP, dtype=np.int64)
    overall_levels = np.zeros(len(corpus), dtype=np.int64)
    kept: list[tuple[Recommendation, ...]] = []
    for c, analysis in enumerate(track(corpus, total=len(corpus), label="scores", enabled=progress)):
        check_pin(program, analysis)
        scores = evaluate(program, analysis.answers)
        for i, item_score in enumerate(scores.scores):
            if item_score is not None and weights[i] > 0:
                values[c, i] = item_score
                counts[c, i] = 1.0
        for s, section in enumerate(sections):
            got = scores.sections[section.id]
            if got.status is SectionStatus.SCORED:
                scored[c, s] = True
                levels[c, s] = got.level or 0
                caps[c, s] = _caps(got.gates)
        overall = scores.overall
        if overall.status is SectionStatus.SCORED:
            overall_scored[c] = True
            overall_levels[c] = overall.level or 0
            overall_caps[c] = _caps(overall.gates)
        kept.append(_baseline_recommendations(program, compiled, analysis))
    return Prepared(program, values, counts, scored, caps, overall_scored, overall_caps, levels,
                    overall_levels, tuple(kept), compiled)


def _baseline_recommendations(program: ScoringProgram, compiled: RecommendProgram | None,
                              analysis: Analysis) -> tuple[Recommendation, ...]:
    if compiled is None:
        return ()
    result = score(program, analysis.answers,
                   company=Company(name=analysis.company_name, business_id=analysis.business_id),
                   date=analysis.date, zone=analysis.zone)
    values = {name: e.value for name, e in analysis.answers.items() if e.status is AnswerStatus.ANSWERED}
    state = program.bank.evaluate(values)
    return tuple(_kept(compiled, {**state.data, "result": result_data(result)}))


def base_weights(program: ScoringProgram) -> tuple[list[float], list[float]]:
    """The rules' item weights (parallel to ``program.items``) and section weights."""
    return [item.weight for item in program.items], [section.weight for section in program.sections]


def draw_weights(program: ScoringProgram, perturb: float, draws: int, seed: int) -> tuple[Any, Any]:
    """``draws`` perturbed weight sets: (draws, I) item weights and (draws, S) section weights,
    each the rules' weight times ``1 + u``, ``u`` uniform in ``[-perturb, perturb]``."""
    np = optional_module("numpy")
    items, sections = base_weights(program)
    rng = np.random.default_rng(seed)
    factors = 1.0 + rng.uniform(-perturb, perturb, size=(draws, len(items) + len(sections)))
    return np.asarray(items) * factors[:, :len(items)], np.asarray(sections) * factors[:, len(items):]


def perturbed_program(program: ScoringProgram, item_weights: Sequence[float],
                      section_weights: Sequence[float]) -> ScoringProgram:
    """``program`` with other item weights (parallel to ``program.items``) and section
    weights: the rules a draw stands for, to score with ``evaluate`` or ``analyse``."""
    weights = iter(float(w) for w in item_weights)
    sections = tuple(
        dataclasses.replace(section, weight=float(section_weight),
                            items=tuple(dataclasses.replace(item, weight=next(weights))
                                        for item in section.items))
        for section, section_weight in zip(program.sections, section_weights, strict=True))
    return dataclasses.replace(program, sections=sections,
                               items=tuple(item for section in sections for item in section.items))


def _round(np: Any, values: Any, digits: int) -> Any:
    """``round(x, digits)`` of every element exactly as Python rounds a float (its exact
    binary value, ties to even). ``rint`` of the scaled value is right except where the
    scaled value lies so near a half that the scaling's own rounding could decide; those few
    are scaled again exactly, in extended precision (53 + 14 bits fit in its 64), or, where
    the machine has none, rounded by Python."""
    scale = 10.0 ** digits
    scaled = values * scale
    rounded = np.rint(scaled) / scale
    near = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    if near.any():
        index = np.nonzero(near)
        if np.finfo(np.longdouble).nmant >= 63 and digits <= 4:
            exact = np.rint(values[index].astype(np.longdouble) * np.longdouble(scale))
            rounded[index] = exact.astype(np.float64) / scale
        else:
            rounded[index] = [round(float(v), digits) for v in values[index]]
    return rounded


def _levels(np: Any, program: ScoringProgram, scores: Any, caps: Any, scored: Any) -> Any:
    levels = program.levels
    chosen = np.full(scores.shape, levels[0].level, dtype=np.int64)
    for level in levels:
        chosen = np.where(scores >= level.min_score, level.level, chosen)
    return np.where(scored, np.minimum(chosen, caps), 0)


@dataclass(frozen=True)
class Draws:
    """Scores and levels of a batch of draws (``D`` draws); NaN and level 0: not scored."""

    section_scores: Any
    """(D, C, S)"""
    section_levels: Any
    """(D, C, S)"""
    overall_scores: Any
    """(D, C)"""
    overall_levels: Any
    """(D, C)"""


def score_draws(prepared: Prepared, item_weights: Any, section_weights: Any) -> Draws:
    """Section and overall scores and levels of every analysis under each weight set: the
    engine's arithmetic in the engine's order, so equal to ``evaluate`` with those rules."""
    np = optional_module("numpy")
    program = prepared.program
    n_draws, n_analyses = item_weights.shape[0], prepared.values.shape[0]
    section_scores = np.empty((n_draws, n_analyses, len(program.sections)))
    start = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        for s, section in enumerate(program.sections):
            total = np.zeros((n_draws, n_analyses))
            weights = np.zeros((n_draws, n_analyses))
            for i in range(start, start + len(section.items)):
                weight = item_weights[:, i, None]
                total += weight * prepared.values[None, :, i]
                weights += weight * prepared.counts[None, :, i]
            start += len(section.items)
            section_scores[:, :, s] = np.where(prepared.scored[None, :, s], total / weights, np.nan)
        section_scores = _round(np, section_scores, 2)
        section_levels = _levels(np, program, section_scores, prepared.caps[None], prepared.scored[None])
        index = {section.id: s for s, section in enumerate(program.sections)}
        total = np.zeros((n_draws, n_analyses))
        weights = np.zeros((n_draws, n_analyses))
        for sid in program.section_order:
            at = index.get(sid)
            if at is None or program.sections[at].weight <= 0:
                continue
            used = prepared.scored[None, :, at]
            weight = section_weights[:, at, None]
            total = total + np.where(used, weight * section_scores[:, :, at], 0.0)
            weights = weights + np.where(used, weight, 0.0)
        overall = _round(np, np.where(prepared.overall_scored[None], total / weights, np.nan), 2)
    overall_levels = _levels(np, program, overall, prepared.overall_caps[None], prepared.overall_scored[None])
    return Draws(section_scores, section_levels, overall, overall_levels)


class _UnsupportedError(Exception):
    """The priority formula uses an operation the array evaluator does not know."""


def _array_eval(np: Any, rule: Any, inputs: dict[str, Any]) -> Any:
    """The priority formula over arrays, with json-logic-js's arithmetic in its order."""
    if isinstance(rule, bool) or rule is None or isinstance(rule, str | list):
        raise _UnsupportedError(repr(rule))
    if isinstance(rule, int | float):
        return rule
    if not isinstance(rule, dict) or len(rule) != 1:
        raise _UnsupportedError(repr(rule))
    (op, raw), = rule.items()
    args = raw if isinstance(raw, list) else [raw]
    if op == "var":
        name = args[0] if args else None
        if not isinstance(name, str) or name not in inputs:
            raise _UnsupportedError(f"var {name!r}")
        return inputs[name]
    values = [_array_eval(np, arg, inputs) for arg in args]
    if op == "+":
        total: Any = 0.0
        for value in values:
            total = total + value
        return total
    if op == "*" and values:
        if len(values) == 1:
            return values[0]
        product: Any = 1.0
        for value in values:
            product = product * value
        return product
    if op == "-" and len(values) in {1, 2}:
        return -values[0] if len(values) == 1 else values[0] - values[1]
    if op == "/" and len(values) == 2:
        return np.true_divide(values[0], values[1])
    if op in {"min", "max"} and values:
        combine = np.minimum if op == "min" else np.maximum
        result = values[0] * 1.0
        for value in values[1:]:
            result = combine(result, value)
        return result
    raise _UnsupportedError(op)


def _gaps(np: Any, compiled: RecommendProgram, scores: Any) -> Any:
    """The engine's gap of each section score (rounded as the engine rounds it)."""
    gap_rule = compiled.rules.gap
    target = gap_rule.target_score
    with np.errstate(divide="ignore", invalid="ignore"):
        return _round(np, np.maximum(gap_rule.minimum, np.minimum(1.0, (target - scores) / target)), 4)


def _priorities(np: Any, compiled: RecommendProgram, constants: dict[str, Any], scores: Any,
                levels: Any, *, gap: Any) -> Any:
    """The priority formula over arrays of section scores, levels and gaps (all scored), with
    ``impact``, ``effort`` and ``urgency`` from ``constants`` (arrays that broadcast)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inputs = {**constants, "gap": gap, "section_score": scores, "level": levels}
        try:
            value = _array_eval(np, compiled.priority.rule, inputs)
            return _round(np, np.broadcast_to(np.asarray(value, dtype=float), scores.shape).copy(), 4)
        except _UnsupportedError:
            pass
    out = np.empty(scores.shape)
    memo: dict[tuple[float, ...], float] = {}
    names = ("impact", "effort", "urgency")
    spread = [np.broadcast_to(constants[name], scores.shape).ravel() for name in names]
    flat_scores, flat_levels, flat_gaps = scores.ravel(), levels.ravel(), gap.ravel()
    for index in range(flat_scores.size):
        key = (float(flat_scores[index]), int(flat_levels[index]), float(flat_gaps[index]),
               *(float(values[index]) for values in spread))
        if key not in memo:
            memo[key] = _priority_of(compiled, dict(zip(names, key[3:], strict=True)), key[0], int(key[1]),
                                     key[2])
        out.flat[index] = memo[key]
    return out


def _priority_of(compiled: RecommendProgram, constants: dict[str, Any], section_score: float | None,
                 level: int | None, gap: float) -> float:
    from asiakasarvo_engine.jsonlogic._truthiness import is_number

    inputs = {**constants, "gap": gap, "section_score": section_score, "level": level}
    value = compiled.priority(inputs)
    return round(float(value) if is_number(value) else 0.0, 4)


def _constant_priority(compiled: RecommendProgram, rec: Recommendation, section_score: float | None,
                       level: int | None, gap: float) -> float:
    return _priority_of(compiled, {"impact": rec.impact, "effort": rec.effort, "urgency": rec.urgency},
                        section_score, level, gap)


def _tie_ranks(compiled: RecommendProgram) -> dict[str, int]:
    """Each recommendation's place among all by urgency, impact, lower effort and id."""
    ordered = sorted((rec for rec, _ in compiled.triggers),
                     key=lambda r: (-r.urgency, -r.impact, r.effort, r.id))
    return {rec.id: rank for rank, rec in enumerate(ordered)}


def _place_prerequisites(order: Sequence[int], recs: Sequence[Recommendation]) -> list[int]:
    """The engine's move of a prerequisite to just before its dependant, on indices."""
    by_id = {rec.id: k for k, rec in enumerate(recs)}
    placed: list[int] = []
    done: set[int] = set()

    def place(k: int, visiting: frozenset[int]) -> None:
        if k in done or k in visiting:
            return
        for required in recs[k].requires:
            if required in by_id:
                place(by_id[required], visiting | {k})
        done.add(k)
        placed.append(k)

    for k in order:
        place(int(k), frozenset())
    return placed


def _sorted(np: Any, table: Any, alerts: Any, tie: Any) -> Any:
    """Indices that sort each analysis's recommendations: alerts first, then by priority
    (highest first), then by the tie rank. The priorities are rounded to 4 decimals, so
    ``rint(10 000 p)`` tells them apart exactly and one integer key sorts all three at once;
    priorities too large for that key are sorted by ``lexsort``."""
    scaled = np.rint(table * 1e4)
    if np.isfinite(scaled).all() and np.abs(scaled).max(initial=0) < 2**39 and tie.max(initial=0) < 2**11:
        key = (alerts[None].astype(np.int64) << 52) | ((2**39 - scaled.astype(np.int64)) << 11) | tie[None]
        return np.argsort(key, axis=-1, kind="stable")
    return np.lexsort((np.broadcast_to(tie, table.shape), -table, np.broadcast_to(alerts, table.shape)),
                      axis=-1)


_MAX_PATHS = 4096


def _walk_keys(recs: Sequence[Recommendation]) -> tuple[int, tuple[tuple[int, int, int], ...]] | None:
    """:func:`_walk_keys_of` the recommendations' ids and prerequisites (computed once)."""
    return _walk_keys_of(tuple((rec.id, tuple(rec.requires)) for rec in recs))


@functools.lru_cache(maxsize=4096)
def _walk_keys_of(recs: tuple[tuple[str, tuple[str, ...]], ...],
                  ) -> tuple[int, tuple[tuple[int, int, int], ...]] | None:
    """The engine's placement of prerequisites as integer sort keys.

    The engine walks the ranked order and places each recommendation after, depth first,
    its prerequisites that fired (in the order its ``requires`` lists them), each once. So
    a recommendation reached from a root ranked at ``p`` along the prerequisite indices
    ``i1, ..., ik`` is placed by the tuple ``(p, i1, ..., ik, END)``, END above every index,
    and where it is reached first is the smallest of its tuples (its own root tuple among
    them). Each tuple is packed into an int64: ``(p << shift) | suffix``. Returns the shift
    and, per path, (root, recommendation, suffix); None when they do not fit."""
    kept = {rec_id: k for k, (rec_id, _) in enumerate(recs)}
    children = [[(kept[r], index) for index, r in enumerate(requires) if r in kept] for _, requires in recs]
    walks: list[tuple[int, int, tuple[int, ...]]] = []

    def walk(root: int, node: int, path: tuple[int, ...], visiting: frozenset[int]) -> bool:
        walks.append((root, node, path))
        if len(walks) > _MAX_PATHS:
            return False
        return all(walk(root, child, (*path, index), visiting | {node})
                   for child, index in children[node] if child not in visiting | {node})

    if not all(walk(k, k, (), frozenset()) for k in range(len(recs))):
        return None
    end = max(len(requires) for _, requires in recs) + 1
    bits = end.bit_length()
    slots = max(len(path) for _, _, path in walks) + 1
    shift = bits * slots
    if shift + len(recs).bit_length() > 62:
        return None
    paths = []
    for root, node, path in walks:
        suffix = end << (bits * (slots - len(path) - 1))
        for level, index in enumerate(path, start=1):
            suffix |= index << (bits * (slots - level))
        paths.append((root, node, suffix))
    return shift, tuple(paths)


def orders(prepared: Prepared, draws: Draws) -> Any:
    """The order of every analysis's kept recommendations in each draw: a (D, C, K) array of
    indices into ``prepared.recommendations[c]``, K the most any analysis has; an analysis
    with fewer has its own ``len(prepared.recommendations[c])`` first, then padding."""
    np = optional_module("numpy")
    compiled = prepared.compiled
    n_draws, n_analyses = draws.section_scores.shape[:2]
    width = max((len(recs) for recs in prepared.recommendations), default=0)
    if compiled is None or width == 0:
        return np.zeros((n_draws, n_analyses, 0), dtype=np.int64)
    index = {section.id: s for s, section in enumerate(prepared.program.sections)}
    ties = _tie_ranks(compiled)
    alerts = np.full((n_analyses, width), 2, dtype=np.int64)  # padding sorts last
    tie = np.full((n_analyses, width), len(ties), dtype=np.int64)
    slot_section = np.zeros((n_analyses, width), dtype=np.int64)
    varies = np.zeros((n_analyses, width), dtype=bool)
    constants = {name: np.ones((n_analyses, width)) for name in ("impact", "effort", "urgency")}
    fixed = np.zeros((n_analyses, width))
    unscored_gap = round(compiled.rules.gap.unscored, 4)
    for c, recs in enumerate(prepared.recommendations):
        for k, rec in enumerate(recs):
            alerts[c, k] = 0 if rec.alert else 1
            tie[c, k] = ties[rec.id]
            constants["impact"][c, k], constants["effort"][c, k] = rec.impact, rec.effort
            constants["urgency"][c, k] = rec.urgency
            s = index.get(rec.section)
            if s is not None and prepared.scored[c, s]:
                slot_section[c, k] = s
                varies[c, k] = True
            else:  # its section has no score: the inputs do not change
                fixed[c, k] = _constant_priority(compiled, rec, None, None, unscored_gap)
    shape = (n_draws, n_analyses, width)
    slots = np.broadcast_to(slot_section[None], shape)
    reads = compiled.priority.variables
    dynamic = compiled.priority.dynamic

    def spread(values: Any, stand_in: float, name: str | None) -> Any:
        """The slot's section value where it varies (a stand-in elsewhere; fixed below)."""
        if name is not None and name not in reads and not dynamic:  # the formula never reads it
            return np.broadcast_to(np.asarray(stand_in), shape)
        return np.where(varies[None], np.take_along_axis(values, slots, axis=-1), stand_in)

    computed = _priorities(np, compiled, {name: values[None] for name, values in constants.items()},
                           spread(draws.section_scores, 50.0, "section_score"),
                           spread(draws.section_levels, 1, "level"),
                           gap=spread(_gaps(np, compiled, draws.section_scores), 0.5, None))
    table = np.where(varies[None], computed, fixed[None])
    order = _sorted(np, table, alerts, tie)
    for c, recs in enumerate(prepared.recommendations):
        kept = {rec.id: k for k, rec in enumerate(recs)}
        pairs = [(kept[required], k) for k, rec in enumerate(recs) for required in rec.requires
                 if required in kept]
        if not pairs:
            continue
        own = order[:, c, :len(recs)]
        positions = _positions(np, own).astype(np.int64)
        late = np.zeros(n_draws, dtype=bool)
        for required, dependant in pairs:
            late |= positions[:, required] > positions[:, dependant]
        if not late.any():
            continue
        walk = _walk_keys(recs)
        if walk is None:  # too deep or too many paths for one integer key: the engine's walk, row by row
            distinct, inverse = np.unique(own[late], axis=0, return_inverse=True)
            placed = np.asarray([_place_prerequisites(row, recs) for row in distinct])
            order[late, c, :len(recs)] = placed[inverse.reshape(-1)]
            continue
        shift, paths = walk
        keys = np.full(positions.shape, np.iinfo(np.int64).max, dtype=np.int64)
        for root, node, suffix in paths:
            keys[:, node] = np.minimum(keys[:, node], (positions[:, root] << shift) | suffix)
        order[:, c, :len(recs)] = np.argsort(keys, axis=-1)
    return order


def _positions(np: Any, order: Any) -> Any:
    """Where each recommendation stands in ``order`` (the inverse permutation, last axis)."""
    positions = np.empty(order.shape, dtype=np.int16)
    np.put_along_axis(positions, order, np.arange(order.shape[-1], dtype=np.int16)
                      .reshape((1,) * (order.ndim - 1) + (-1,)), axis=-1)
    return positions


def _ranking(np: Any, counts: Any, base_positions: Any, order: Any, key_count: int) -> tuple[Any, ...]:
    """Per draw and analysis: Kendall's tau against the baseline (NaN below two
    recommendations; orders have no ties, so tau-a = tau-b), whether the key set changed and
    whether the first one changed.

    ``seq`` is each draw's order written in baseline places; padding keeps its own places at
    the end, so it adds no inversion."""
    width = order.shape[-1]
    seq = np.take_along_axis(np.broadcast_to(base_positions[None], order.shape), order, axis=-1)
    # An inverted pair is less than twice the largest displacement apart: look no further.
    reach = 2 * int(np.abs(seq - np.arange(width, dtype=seq.dtype)).max()) if width else 0
    inversions = np.zeros(order.shape[:-1], dtype=np.int64)
    for offset in range(1, min(reach, width)):
        inversions += (seq[..., :-offset] > seq[..., offset:]).sum(axis=-1)
    n_pairs = counts * (counts - 1) // 2
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = np.where(n_pairs[None] > 0, 1.0 - 2.0 * inversions / n_pairs[None], np.nan)
    top = np.minimum(key_count, counts)
    leading = np.arange(width)[None, :] < top[:, None]
    key_changed = ((seq >= top[None, :, None]) & leading[None]).any(axis=-1)
    first_changed = (seq[..., 0] != 0) & (counts > 0)[None]
    return tau, key_changed, first_changed


def _quantile(np: Any, values: Any, q: float) -> float | None:
    return None if values.size == 0 else round(float(np.quantile(values, q)), 4)


def sensitivity(program: ScoringProgram, corpus: Sequence[Analysis], *, perturb: float = 0.1,
                draws: int = 1000, seed: int = 0, progress: bool = False,
                prepared: Prepared | None = None, chunk: int = 100) -> dict[str, Any]:
    """Level flips and ranking stability of ``corpus`` under ``draws`` weight sets perturbed by
    up to ``perturb`` (a share, e.g. 0.1), drawn with ``seed`` (see the module docstring).

    Returns plain data: ``sections`` (one row per section and overall: ``companies`` scored,
    ``flip_share`` the mean share of them whose level differs from the baseline,
    ``ever_flipped`` the share that flip in some draw, ``max_flip_share`` the worst draw) and
    ``ranking`` (Kendall's tau over companies with two or more recommendations, and the
    shares of company-draws whose key recommendations or first one change)."""
    np = optional_module("numpy")
    if not 0 < perturb < 1:
        raise CodedResearchError("RES-021", found=repr(perturb), expected=_SHARE)
    prep = prepared if prepared is not None else prepare(program, corpus, progress=progress)
    items, section_weights = base_weights(program)
    baseline_draw = score_draws(prep, np.asarray([items]), np.asarray([section_weights]))
    if not (np.array_equal(baseline_draw.section_levels[0], prep.baseline_levels)
            and np.array_equal(baseline_draw.overall_levels[0], prep.baseline_overall)):
        raise AssertionError("the array scores differ from the engine's at the rules' own weights")
    baseline = orders(prep, baseline_draw)[0]
    base_positions = _positions(np, baseline)
    key_count = prep.compiled.rules.key_count if prep.compiled is not None else 0
    all_items, all_sections = draw_weights(program, perturb, draws, seed)
    n_sections = len(program.sections)
    counts = np.asarray([len(recs) for recs in prep.recommendations])
    flips = np.zeros((draws, n_sections + 1))
    ever = np.zeros((prep.values.shape[0], n_sections + 1), dtype=bool)
    taus: list[Any] = []
    keys: list[Any] = []
    firsts: list[Any] = []
    starts = range(0, draws, chunk)
    for start in track(starts, total=len(starts), label="draws", enabled=progress):
        batch = score_draws(prep, all_items[start:start + chunk], all_sections[start:start + chunk])
        changed = (batch.section_levels != prep.baseline_levels[None]) & prep.scored[None]
        overall_changed = (batch.overall_levels != prep.baseline_overall[None]) & prep.overall_scored[None]
        flips[start:start + chunk, :n_sections] = changed.sum(axis=1)
        flips[start:start + chunk, n_sections] = overall_changed.sum(axis=1)
        ever[:, :n_sections] |= changed.any(axis=0)
        ever[:, n_sections] |= overall_changed.any(axis=0)
        if baseline.shape[-1]:
            tau, key_changed, first_changed = _ranking(np, counts, base_positions, orders(prep, batch),
                                                       key_count)
            taus.append(tau[:, counts >= 2].ravel())
            keys.append(key_changed[:, counts >= 1].ravel())
            firsts.append(first_changed[:, counts >= 1].ravel())
    companies = [*prep.scored.sum(axis=0).tolist(), int(prep.overall_scored.sum())]
    rows: list[Row] = []
    titles = [dict(section.title) for section in program.sections] + [{"fi": "Kokonaisuus", "en": "Overall"}]
    for s, sid in enumerate([*(section.id for section in program.sections), "overall"]):
        n = companies[s]
        rows.append({
            "section": sid, "title": titles[s], "companies": n,
            "flip_share": round(float(flips[:, s].sum() / (n * draws)), 4) if n else None,
            "ever_flipped": round(float(ever[:, s].sum() / n), 4) if n else None,
            "max_flip_share": round(float(flips[:, s].max() / n), 4) if n else None})
    tau_all = np.concatenate(taus) if taus else np.zeros(0)
    key_all = np.concatenate(keys) if keys else np.zeros(0, dtype=bool)
    first_all = np.concatenate(firsts) if firsts else np.zeros(0, dtype=bool)
    ranking = {
        "companies": int((counts >= 2).sum()), "key_count": key_count,
        "mean_tau": round(float(tau_all.mean()), 4) if tau_all.size else None,
        "median_tau": _quantile(np, tau_all, 0.5), "p05_tau": _quantile(np, tau_all, 0.05),
        "min_tau": round(float(tau_all.min()), 4) if tau_all.size else None,
        "key_changed": round(float(key_all.mean()), 4) if key_all.size else None,
        "first_changed": round(float(first_all.mean()), 4) if first_all.size else None}
    return {"analyses": prep.values.shape[0], "perturb": perturb, "draws": draws, "seed": seed,
            "rules": f"{program.rules.rules.id} {program.rules.rules.version}",
            "sections": rows, "ranking": ranking}


_WORDS = {
    "fi": {"title": "Herkkyysanalyysi",
           "of": "Painoja vaihdeltu ±{p} %, {d} arvontaa, siemen {s}, {n} analyysia",
           "section": "osio", "companies": "yrityksiä", "flip": "taso vaihtuu keskimäärin",
           "ever": "vaihtuu jossain arvonnassa", "max": "pahimmassa arvonnassa",
           "ranking": "Suositusten järjestyksen pysyvyys",
           "tau": "Kendallin tau perus- ja arvontajärjestyksen välillä",
           "mean": "keskiarvo", "median": "mediaani", "p05": "5 %:n alaraja", "min": "pienin",
           "key": "Avainsuositukset ({k}) muuttuvat", "first": "ensimmäinen suositus vaihtuu",
           "ranked": "yritystä, joilla vähintään kaksi suositusta", "overall": "kokonaisuus"},
    "en": {"title": "Sensitivity analysis",
           "of": "Weights perturbed by ±{p} %, {d} draws, seed {s}, {n} analyses",
           "section": "section", "companies": "companies", "flip": "level flips on average",
           "ever": "flips in some draw", "max": "in the worst draw",
           "ranking": "Stability of the recommendation order",
           "tau": "Kendall's tau between the baseline and the perturbed order",
           "mean": "mean", "median": "median", "p05": "5th percentile", "min": "minimum",
           "key": "The key recommendations ({k}) change", "first": "the first one changes",
           "ranked": "companies with two or more recommendations", "overall": "overall"},
}


def _share(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{100 * value:.1f} %"
    return text.replace(".", ",") if lang == "fi" else text


def _decimal(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.3f}"
    return text.replace(".", ",") if lang == "fi" else text


def summary_markdown(data: dict[str, Any], lang: str = "fi", *, markdown: bool = True) -> str:
    """The result of :func:`sensitivity` as Markdown (or aligned plain text) in ``fi`` or ``en``."""
    from asiakasarvo_engine.research.compare import _table

    words = _WORDS["fi" if lang == "fi" else "en"]
    percent = f"{100 * data['perturb']:g}"
    heading, sub = ("# ", "## ") if markdown else ("", "")
    lines = [f"{heading}{words['title']}: {data['rules']}", "",
             words["of"].format(p=percent.replace(".", ",") if lang == "fi" else percent, d=data["draws"],
                                s=data["seed"], n=data["analyses"]) + ".", ""]
    body = [[row.get("title", {}).get(lang) or row["section"], str(row["companies"]),
             _share(row["flip_share"], lang), _share(row["ever_flipped"], lang),
             _share(row["max_flip_share"], lang)] for row in data["sections"]]
    lines += _table([words["section"], words["companies"], words["flip"], words["ever"], words["max"]],
                    body, markdown)
    ranking = data["ranking"]
    lines += ["", f"{sub}{words['ranking']}", "",
              f"{words['tau']} ({ranking['companies']} {words['ranked']}):", ""]
    lines += _table([words["mean"], words["median"], words["p05"], words["min"]],
                    [[_decimal(ranking[name], lang)
                      for name in ("mean_tau", "median_tau", "p05_tau", "min_tau")]],
                    markdown)
    lines += ["", f"{words['key'].format(k=ranking['key_count'])}: {_share(ranking['key_changed'], lang)}; "
              f"{words['first']}: {_share(ranking['first_changed'], lang)}"]
    return "\n".join(lines) + "\n"
