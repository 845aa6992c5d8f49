"""Scoring complete sessions on the default bank and rules: sessions per second.

Run: .venv/bin/python benchmarks/bench_scoring.py [--sessions N] [--rounds R]
Target (issue 20): the lean ``evaluate`` at least 10,000 complete sessions per second on
one core (issue 5 had asked 20,000 of it before the rules grew their gates, calculated
values and indicators).

The corpus is the three example companies plus generated complete sessions (valid
random answers to every item, about 90 % answered). Each round scores the whole
corpus; the median round gives the rate. Two paths are timed, each on its own rounds:

* ``evaluate -> Scores``: the lean core, every score, level, completeness, gate and
  indicator as plain data (what re-scoring a corpus needs);
* ``score -> Result``: the same core with every calculated value, then the validated
  Result model with its traces (what ``asiakasarvo score`` prints).

Then where the lean core's time goes: reading the answers, the conditions and calculated
values, the indicators and the item loop, each stage timed with those before it.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.sample import sample_answers
from asiakasarvo_engine.scoring.engine import evaluate, score
from asiakasarvo_engine.scoring.indicators import indicator_values
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

ROOT = Path(__file__).resolve().parents[1]
TARGET = 10_000
"""Sessions per second the lean ``evaluate`` must reach on one core (issue 20)."""


def _rates(run: Callable[[ScoringProgram, Mapping[str, AnswerEntry]], Any], program: ScoringProgram,
           corpus: list[dict[str, AnswerEntry]], rounds: int) -> list[float]:
    for answers in corpus[:20]:
        run(program, answers)  # warm up
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for answers in corpus:
            run(program, answers)
        rates.append(len(corpus) / (time.perf_counter() - started))
    return rates


def _line(label: str, rates: list[float]) -> str:
    median = statistics.median(rates)
    verdict = "met" if median >= TARGET else "missed"
    return (f"{label}: {median:,.0f} sessions/s ({1e6 / median:.0f} us per session; "
            f"min {min(rates):,.0f}, max {max(rates):,.0f}); target {TARGET:,}/s: "
            f"{median / TARGET:.0%}, {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=2000, help="generated sessions")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    program = load_program()
    bank = program.bank.loaded.bank
    corpus = [dict(load_answers(path, program.bank).answers)
              for path in sorted((ROOT / "examples").glob("*.answers.yaml"))]
    examples = len(corpus)
    rng = random.Random(20261127)
    corpus += [sample_answers(bank, rng) for _ in range(args.sessions)]
    gc.collect()
    print(f"corpus: {len(corpus)} complete sessions ({examples} examples, {args.sessions} generated); "
          f"target {TARGET:,} sessions/s on one core; median of {args.rounds} rounds")
    print(_line("evaluate -> Scores (lean core, plain data)", _rates(evaluate, program, corpus, args.rounds)))
    result_rates = _rates(score, program, corpus, args.rounds)
    median = statistics.median(result_rates)
    print(f"score -> Result (validated model with traces): {median:,.0f} sessions/s "
          f"({1e6 / median:.0f} us per session; min {min(result_rates):,.0f}, max {max(result_rates):,.0f}; "
          "no target of its own)")
    print("where the lean core's time goes (us per session, median round):")
    for label, part in _parts(program, corpus, args.rounds).items():
        print(f"  {label:<58} {part:6.1f}")


def _parts(program: ScoringProgram, corpus: list[dict[str, AnswerEntry]], rounds: int) -> dict[str, float]:
    """Cumulative stages of ``evaluate``: the answers it reads, then the conditions and calculated
    values (``settle``), then the indicators; the rest of ``evaluate`` is the item loop."""
    plan = program.plan
    answered = AnswerStatus.ANSWERED

    def values(answers: Mapping[str, AnswerEntry]) -> dict[str, Any]:
        names = plan.answers if plan.answers is not None else answers
        return {n: e.value for n in names if (e := answers.get(n)) is not None and e.status is answered}

    def settled(_: ScoringProgram, answers: Mapping[str, AnswerEntry]) -> Any:
        return program.bank.settle(values(answers), plan)

    def with_indicators(_: ScoringProgram, answers: Mapping[str, AnswerEntry]) -> Any:
        state = settled(program, answers)
        return indicator_values(program.indicators, state) if program.indicators is not None else state

    stages: dict[str, Callable[[ScoringProgram, Mapping[str, AnswerEntry]], Any]] = {
              "answers read": lambda _, a: values(a),
              "+ conditions and calculated values": settled,
              "+ indicators (ratios, size class, de minimis)": with_indicators,
              "+ item loop = evaluate": evaluate}
    return {label: 1e6 / statistics.median(_rates(run, program, corpus, rounds))
            for label, run in stages.items()}


if __name__ == "__main__":
    main()
