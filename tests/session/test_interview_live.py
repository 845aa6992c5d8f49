"""Incremental evaluation equals a full evaluation, after any sequence of answers, clearings
and undos (hypothesis), on the default bank and on the synthetic 150-question workload."""

from __future__ import annotations

import importlib.util
import json
import math
import random
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.sample import sample_answers
from asiakasarvo_engine.errors import EvaluationError
from asiakasarvo_engine.scoring.engine import evaluate, score
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.live import LiveGraph, LiveState
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.state import fold
from asiakasarvo_engine.session.store import MemoryStore, Store

ROOT = Path(__file__).resolve().parents[2]


def _synthetic() -> Any:
    """``benchmarks/synthetic150.py``, the workload converter shared with the benchmark."""
    if "synthetic150" in sys.modules:
        return sys.modules["synthetic150"]
    spec = importlib.util.spec_from_file_location("synthetic150", ROOT / "benchmarks" / "synthetic150.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic150"] = module
    spec.loader.exec_module(module)
    return module


SYNTHETIC = _synthetic()


@cache
def program(kind: str) -> ScoringProgram:
    if kind == "default":
        return load_program()
    if not SYNTHETIC.available():
        pytest.skip(f"the shared workload is not at {SYNTHETIC.WORKLOAD}")
    workload: ScoringProgram = SYNTHETIC.load_workload().program
    return workload


@cache
def pool(kind: str) -> tuple[tuple[str, ...], dict[str, list[AnswerEntry]], tuple[str, ...]]:
    """Items, valid entries per item (sampled, with every status), and the items some
    condition or calculated value reads (answering them changes the most)."""
    prog = program(kind)
    bank = prog.bank.loaded.bank
    entries: dict[str, list[AnswerEntry]] = {name: [] for name in prog.bank.items}
    rng = random.Random(20260314)
    for _ in range(12):
        for name, entry in sample_answers(bank, rng, answered_share=1.0).items():
            entries[name].append(entry)
    for found in entries.values():
        if not found:
            found.append(AnswerEntry(status=AnswerStatus.SKIPPED))
    read: set[str] = set()
    for _, rule in (*prog.bank.conditions, *prog.bank.required_if, *prog.bank.calculated):
        for var in rule.variables:
            name = ".".join(var.split(".")[:2])
            if name in entries:
                read.add(name)
    return tuple(entries), entries, tuple(sorted(read))


def _plain(value: Any) -> Any:
    """NaN compares equal to itself here (json-logic-js arithmetic gives NaN for missing values)."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not (isinstance(v, dict) and not v)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def assert_matches_full(prog: ScoringProgram, live: LiveState, answers: dict[str, AnswerEntry]) -> None:
    values = {name: e.value for name, e in answers.items() if e.status is AnswerStatus.ANSWERED}
    full = prog.bank.evaluate(values)
    assert live.hidden == set(full.hidden)
    assert live.required == set(full.required)
    assert _plain(live.calculated) == _plain(full.calculated)
    assert _plain(live.data) == _plain(full.data)
    scores = evaluate(prog, answers)
    assert live.sections == scores.sections
    assert live.overall == scores.overall
    visible = [n for n in prog.bank.items if n not in full.hidden]
    dealt = [n for n in visible if n in answers and answers[n].status is not AnswerStatus.SKIPPED]
    assert live.responded == len(dealt)
    assert live.open_required == {n for n in full.required if n not in dealt}


OPS = st.lists(st.tuples(st.sampled_from(["answer", "answer", "answer", "clear", "undo"]),
                         st.booleans(), st.integers(0, 10_000), st.integers(0, 10_000)),
               min_size=1, max_size=40)


PREFILL = st.one_of(st.none(), st.integers(0, 10_000))
"""None: start empty; else answer every item first (entries picked from this seed)."""


def _run(kind: str, prefill: int | None, ops: list[tuple[str, bool, int, int]]) -> None:
    prog = program(kind)
    items, entries, read = pool(kind)
    store = MemoryStore()
    interview = Interview.start(prog, store, advisor="Anna")
    if prefill is not None:
        rng = random.Random(prefill)
        for name in items:
            if rng.random() < 0.9:
                entry = rng.choice(entries[name])
                assert interview.answer(name, entry.value, status=entry.status).ok
        assert_matches_full(prog, interview.live, interview.answers)
    for op, from_read, pick, choice in ops:
        names = read if from_read and read else items
        name = names[pick % len(names)]
        if op == "answer":
            entry = entries[name][choice % len(entries[name])]
            outcome = interview.answer(name, entry.value, status=entry.status)
            assert outcome.ok, outcome.problems
        elif op == "clear":
            interview.clear(name)
        elif any(e.type in ("answered", "cleared") and e.seq not in interview.state.undone
                 for e in interview.events):
            interview.undo()
        assert_matches_full(prog, interview.live, interview.answers)
    assert interview.state == fold(store.events(interview.session_id))
    # The Result of a full scoring agrees with the live scores too.
    result = score(prog, interview.answers)
    for section_id, live in interview.live.sections.items():
        section = result.sections[section_id]
        assert (section.score, section.level.level if section.level else None, section.completeness) == (
            live.score, live.level, live.completeness)
    assert result.overall.score == interview.live.overall.score
    assert _plain(result.calculated) == _plain(interview.live.calculated)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PREFILL, OPS)
def test_incremental_equals_full_on_the_default_bank(prefill: int | None,
                                                     ops: list[tuple[str, bool, int, int]]) -> None:
    _run("default", prefill, ops)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PREFILL, OPS)
def test_incremental_equals_full_on_the_synthetic_workload(prefill: int | None,
                                                           ops: list[tuple[str, bool, int, int]]) -> None:
    _run("synthetic", prefill, ops)


@settings(max_examples=40, deadline=None)
@given(OPS, st.lists(st.booleans(), min_size=40, max_size=40))
def test_a_rolled_back_change_leaves_no_trace(ops: list[tuple[str, bool, int, int]], keep: list[bool],
                                              ) -> None:
    prog = program("default")
    items, entries, read = pool("default")
    live = LiveState(prog)
    answers: dict[str, AnswerEntry] = {}
    for (op, from_read, pick, choice), kept in zip(ops, keep, strict=False):
        names = read if from_read else items
        name = names[pick % len(names)]
        before = (set(live.hidden), set(live.required), dict(live.calculated), _plain(live.data),
                  dict(live.scores), set(live.open_required), live.responded)
        if op == "answer":
            entry = entries[name][choice % len(entries[name])]
            live.set_entry(name, entry.status, entry.value)
            if kept:
                answers[name] = entry
        else:
            live.set_entry(name, None)
            if kept:
                answers.pop(name, None)
        if kept:
            live.commit()
        else:
            live.rollback()
            after = (set(live.hidden), set(live.required), dict(live.calculated), _plain(live.data),
                     dict(live.scores), set(live.open_required), live.responded)
            assert _plain(after) == _plain(before)
        assert_matches_full(prog, live, answers)


def test_the_graph_cache_lets_a_program_go() -> None:
    import gc
    import weakref

    from asiakasarvo_engine.session import live as live_module

    prog = SYNTHETIC.load_workload().program if SYNTHETIC.available() else load_program()
    LiveState(prog)
    gone = weakref.ref(prog)
    key = id(prog)
    assert key in live_module._GRAPHS
    del prog
    gc.collect()
    assert gone() is None
    assert key not in live_module._GRAPHS


def test_both_banks_are_evaluated_incrementally() -> None:
    assert LiveGraph.of(program("default")).incremental
    assert LiveGraph.of(program("default")) is LiveGraph.of(program("default"))
    if SYNTHETIC.available():
        assert LiveGraph.of(program("synthetic")).incremental


def test_a_bank_whose_conditions_form_a_circle_is_evaluated_in_full(tmp_path: Path) -> None:
    bank, rules, _ = SYNTHETIC.documents({
        "sections": [{"id": "s1", "title": "Section 1"}],
        "questions": [
            {"id": "q001", "section": "s1", "type": "rating", "visible_if": {"!!": {"var": "q002"}}},
            {"id": "q002", "section": "s1", "type": "rating", "visible_if": {"!!": {"var": "q001"}}},
            {"id": "q003", "section": "s1", "type": "rating"},
        ],
        "calculated_values": [], "expressions": []})
    (tmp_path / "bank.json").write_text(json.dumps(bank), encoding="utf-8")
    (tmp_path / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    prog = load_program(tmp_path / "rules.json", tmp_path / "bank.json")
    graph = LiveGraph.of(prog)
    assert not graph.incremental
    interview = Interview.start(prog, MemoryStore(), advisor="Anna")
    answers: dict[str, AnswerEntry] = {}
    for name, value in (("s1.q001", 3), ("s1.q002", 4), ("s1.q003", 5)):
        interview.answer(name, value)
        answers[name] = AnswerEntry(value=value)
        assert_matches_full(prog, interview.live, answers)
    changes = interview.clear("s1.q001").changes
    assert changes is not None and changes.hidden == ("s1.q001", "s1.q002")
    assert_matches_full(prog, interview.live, interview.answers)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_an_answer_whose_evaluation_fails_stores_nothing(tmp_path: Path, kind: str) -> None:
    """The live evaluation runs before the append and must succeed first: an answer that
    makes an expression fail is refused with nothing in the log, so the log always opens.
    (This is what rules out evaluating while the commit is on the disk.)"""
    bank, rules, _ = SYNTHETIC.documents({
        "sections": [{"id": "s1", "title": "Section 1"}],
        "questions": [{"id": "q001", "section": "s1", "type": "rating"},
                      {"id": "q002", "section": "s1", "type": "rating"}],
        "calculated_values": [{"id": "cv_guard", "expression": {
            "if": [{"==": [{"var": "q001"}, 5]}, {"throw": "five"}, {"var": "q001"}]}}],
        "expressions": []})
    (tmp_path / "bank.json").write_text(json.dumps(bank), encoding="utf-8")
    (tmp_path / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    prog = load_program(tmp_path / "rules.json", tmp_path / "bank.json")
    store: Store = MemoryStore() if kind == "memory" else SQLiteStore(tmp_path / "sessions.sqlite3")
    try:
        interview = Interview.start(prog, store, advisor="Anna")
        assert interview.answer("s1.q001", 3).ok
        log = store.events(interview.session_id)
        with pytest.raises(EvaluationError, match="five"):
            interview.answer("s1.q001", 5)
        assert store.events(interview.session_id) == log
        assert interview.events == tuple(log)
        assert interview.state == fold(log)
        assert interview.live.calculated == {"s1.cv_guard": 3}
        assert_matches_full(prog, interview.live, interview.answers)
        reopened = Interview.open(prog, store, interview.session_id)
        assert reopened.state == interview.state
        outcome = interview.answer("s1.q002", 4)
        assert outcome.ok and outcome.seq == log[-1].seq + 1
    finally:
        store.close()
