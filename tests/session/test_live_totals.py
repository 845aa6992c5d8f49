"""The live sections' running totals: after any sequence of answers, clearings and rollbacks
they are what summing every item's part afresh gives, exactly while every part is a multiple
of 1/1024, and the scores built from them are the scoring engine's (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_interview_live import pool, program

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.scoring.engine import evaluate
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.session import live as live_module
from asiakasarvo_engine.session.live import LiveGraph, LiveState, item_part, section_scores, tally

OPS = st.lists(st.tuples(st.sampled_from(["answer", "answer", "answer", "clear"]), st.booleans(),
                         st.integers(0, 10_000), st.integers(0, 10_000), st.booleans()),
               min_size=1, max_size=40)


def assert_totals_fresh(prog: ScoringProgram, live: LiveState) -> None:
    effects = LiveGraph.of(prog).effects
    answered = expected = 0
    for section in prog.sections:
        fresh = {item.name: item_part(item, effects, status=live.status, values=live.values,
                                      hidden=live.hidden, data=live.data) for item in section.items}
        assert live.parts[section.id] == fresh
        summed = tally(section, fresh)
        kept = live.tallies[section.id]
        assert kept[2:] == summed[2:]
        if not kept[4]:  # every part exact: the running sums are the sums, bit for bit
            assert kept[:2] == summed[:2]
        rebuilt = section_scores(prog, section, kept, live.parts[section.id], live.data)
        assert rebuilt == live.sections[section.id]
        answered += summed[2]
        expected += summed[3]
    assert live.tallies[""][2:4] == (answered, expected)


def _check(kind: str, ops: list[tuple[str, bool, int, int, bool]]) -> None:
    prog = program(kind)
    items, entries, read = pool(kind)
    live = LiveState(prog)
    answers: dict[str, AnswerEntry] = {}
    for op, from_read, pick, choice, kept in ops:
        names = read if from_read and read else items
        name = names[pick % len(names)]
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
        assert_totals_fresh(prog, live)
        scores = evaluate(prog, answers)
        assert live.sections == scores.sections
        assert live.overall == scores.overall


@settings(max_examples=60, deadline=None)
@given(OPS)
def test_running_totals_on_the_default_bank(ops: list[tuple[str, bool, int, int, bool]]) -> None:
    _check("default", ops)


@settings(max_examples=60, deadline=None)
@given(OPS)
def test_running_totals_on_the_synthetic_workload(ops: list[tuple[str, bool, int, int, bool]]) -> None:
    _check("synthetic", ops)


def test_the_default_bank_has_parts_of_both_kinds() -> None:
    """The shipped rules have items whose parts add exactly (scale points x whole or half
    weights) and inexact ones, so both ways above are exercised."""
    prog = program("default")
    _, entries, _ = pool("default")
    flags: set[bool] = set()
    for pick in range(3):
        answers = {name: (found[pick % len(found)].status, found[pick % len(found)].value)
                   for name, found in entries.items()}
        live = LiveState(prog, answers)
        flags |= {part[4] for parts in live.parts.values() for part in parts.values()}
        assert_totals_fresh(prog, live)
    assert flags == {True, False}


def test_exact_means_a_safe_multiple_of_a_1024th() -> None:
    exact: Any = live_module._exact
    assert exact(12.5) and exact(0.0) and exact(-37.75) and exact(2.0**29)
    assert not exact(1 / 3) and not exact(33.33) and not exact(0.1)
    assert not exact(float("nan")) and not exact(float("inf")) and not exact(2.0**31)
