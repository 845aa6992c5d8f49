"""Scoring complete sessions on the default bank and rules: sessions per second.

Run: .venv/bin/python benchmarks/bench_scoring.py [--sessions N] [--rounds R]
Target (issue 5): at least 20,000 complete sessions per second on one core.

The corpus is the three example companies plus generated complete sessions (valid
random answers to every item, about 90 % answered). Each round scores the whole
corpus; the median round gives the rate. ``score`` builds the full Result model.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.sample import sample_answers
from asiakasarvo_engine.scoring.engine import score
from asiakasarvo_engine.scoring.program import load_program

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=2000, help="generated sessions")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    program = load_program()
    bank = program.bank.loaded.bank
    corpus = [load_answers(path, program.bank).answers
              for path in sorted((ROOT / "examples").glob("*.answers.yaml"))]
    rng = random.Random(20261127)
    corpus += [sample_answers(bank, rng) for _ in range(args.sessions)]
    for answers in corpus[:20]:
        score(program, answers)  # warm up
    rates = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for answers in corpus:
            score(program, answers)
        rates.append(len(corpus) / (time.perf_counter() - started))
    median = statistics.median(rates)
    print(f"corpus: {len(corpus)} complete sessions ({len(corpus) - args.sessions} examples)")
    print(f"score -> Result, median of {args.rounds} rounds: {median:,.0f} sessions/s "
          f"({1e6 / median:.0f} us per session; min {min(rates):,.0f}, max {max(rates):,.0f})")


if __name__ == "__main__":
    main()
