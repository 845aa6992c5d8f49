"""Loading, validating and linting the shipped bank and rules: median wall time.

Run: .venv/bin/python benchmarks/bench_load.py [--runs N]
Target (issue 2): loading, validating and compiling the shipped bank and rules takes at
most 100 ms in a running process (the last line); the bank alone aims at 50 ms or less.

Every run reads, parses, validates, lints (and compiles) every file again: only what
does not depend on the files (imports, compiled schemas) is warm. The first run, which
warms those, is reported on its own. The measures are timed in turns, so all medians see
the same machine load. Beside each wall-clock median the process's CPU time is given
(``time.process_time``): on a shared, loaded machine it moves much less than the wall time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from asiakasarvo_engine import load_bank, load_rules

Timing = tuple[float, float]  # wall seconds, CPU seconds


def _timed(work: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def bank_only() -> Timing:
    return _timed(load_bank)


def bank_and_rules() -> Timing:
    return _timed(lambda: load_rules(bank=load_bank()))


def program() -> Timing:
    from asiakasarvo_engine.scoring.program import load_program

    return _timed(load_program)


def _line(label: str, timings: list[Timing]) -> str:
    times = [wall for wall, _ in timings]
    cpu = statistics.median(c for _, c in timings)
    return (f"{label}, median of {len(times)}: {statistics.median(times) * 1000:.1f} ms "
            f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}; CPU {cpu * 1000:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    first, _ = program()  # imports, schema compilation and caches warm up here
    timings: dict[str, list[Timing]] = {"bank": [], "both": [], "program": []}
    measures: dict[str, Callable[[], Timing]] = {"bank": bank_only, "both": bank_and_rules,
                                                "program": program}
    for _ in range(args.runs):
        for name, measure in measures.items():
            timings[name].append(measure())
    print(f"first load (cold caches): {first * 1000:.1f} ms")
    print(_line("bank: load + validate + lint", timings["bank"]))
    print(_line("bank + rules: load + validate + lint", timings["both"]))
    print(_line("bank + rules: load + validate + lint + compile (load_program)",
                timings["program"]))


if __name__ == "__main__":
    main()
