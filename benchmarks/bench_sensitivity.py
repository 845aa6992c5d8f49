"""The sensitivity analysis: 1,000 weight draws over 250 synthetic companies.

Run: .venv/bin/python benchmarks/bench_sensitivity.py [--companies N] [--draws D] [--rounds R]
Target (issue 18): 1,000 draws x 250 companies in at most 2 s on one core.

The corpus is ``research synth`` with seed 2026. The engine scores each analysis once
(``prepare``: item scores, gates, fired recommendations), timed on its own; then each
round runs every draw through the arrays (section and overall scores and levels, the
priorities and order of every company's recommendations, the level flips and Kendall's
tau) and the median round is printed against the target. Pin the process to one core
(``taskset -c 0``) for the one-core figure; NumPy's own threads are limited to one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from asiakasarvo_engine.research import sensitivity as sens  # noqa: E402
from asiakasarvo_engine.research.corpus import read_corpus  # noqa: E402
from asiakasarvo_engine.research.synth import synthesize  # noqa: E402
from asiakasarvo_engine.scoring.program import load_program  # noqa: E402

TARGET_S = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=250)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--perturb", type=float, default=0.1)
    args = parser.parse_args()
    program = load_program()
    with tempfile.TemporaryDirectory() as folder:
        synthesize(program, args.companies, 2026, Path(folder))
        corpus = read_corpus([folder], program.bank)
    started = time.perf_counter()
    prepared = sens.prepare(program, corpus)
    prepare_s = time.perf_counter() - started
    sens.sensitivity(program, corpus, perturb=args.perturb, draws=50, seed=0, prepared=prepared)  # warm up
    times = []
    for round_ in range(args.rounds):
        started = time.perf_counter()
        result = sens.sensitivity(program, corpus, perturb=args.perturb, draws=args.draws, seed=round_,
                                  prepared=prepared)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    width = max(len(recs) for recs in prepared.recommendations)
    print(f"corpus: {len(corpus)} synthetic companies, {len(program.items)} scored items, "
          f"{len(program.sections)} sections, up to {width} recommendations a company")
    print(f"prepare (the engine, once per analysis): {prepare_s:.2f} s")
    verdict = "met" if median <= TARGET_S else "NOT met"
    print(f"{args.draws} draws x {len(corpus)} companies, ±{100 * args.perturb:g} %: median {median:.2f} s "
          f"over {args.rounds} rounds (min {min(times):.2f}, max {max(times):.2f}); "
          f"target <= {TARGET_S:.1f} s: {verdict}")
    print(f"last round: mean tau {result['ranking']['mean_tau']}, flip shares "
          + ", ".join(f"{row['section']} {row['flip_share']}" for row in result["sections"]))


if __name__ == "__main__":
    main()
