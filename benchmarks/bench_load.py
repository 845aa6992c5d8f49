"""Loading, validating and linting the shipped bank and rules: median wall time.

Run: .venv/bin/python benchmarks/bench_load.py [--runs N]
Target (issue 2): at most 100 ms in a running process.
"""

from __future__ import annotations

import argparse
import statistics
import time

from asiakasarvo_engine import load_bank, load_rules


def once() -> float:
    started = time.perf_counter()
    bank = load_bank()
    load_rules(bank=bank)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    first = once()  # imports, schema compilation and caches warm up here
    times = [once() for _ in range(args.runs)]
    print(f"first load (cold caches): {first * 1000:.1f} ms")
    print(f"load + validate + lint, median of {args.runs}: {statistics.median(times) * 1000:.1f} ms "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")


if __name__ == "__main__":
    main()
