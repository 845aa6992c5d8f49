"""Benchmark: the 9 rules of shared/bench/bench_rules.json on 2000 answer objects.

Prints nanoseconds for one evaluation of all 9 rules (median of several runs) for
hand-written Python lambdas, compiled rules (``compile(rule)(data)``) and ``apply``, and
the ratios to the lambdas; then each rule on its own, and what one call costs through a
plain function, a ``functools.partial`` subclass (the shape of ``CompiledRule``) and a
bound method, the fixed part of every compiled rule's overhead.
Run: ``.venv/bin/python benchmarks/bench_jsonlogic.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from asiakasarvo_engine import jsonlogic

SHARED = Path(os.environ.get("ASIAKASARVO_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
RULES_FILE = SHARED / "bench" / "bench_rules.json"
RUNS = 7

R = [f"r{i}" for i in range(1, 11)]


def _sum10(d: dict[str, Any]) -> Any:
    return d["r1"] + d["r2"] + d["r3"] + d["r4"] + d["r5"] + d["r6"] + d["r7"] + d["r8"] + d["r9"] + d["r10"]


def _band_of_sum10(d: dict[str, Any]) -> str:
    total = _sum10(d)
    return "low" if total < 20 else "mid" if total < 35 else "high"


def _band_if5(d: dict[str, Any]) -> int:
    total = d["total"]
    return 1 if total < 10 else 2 if total < 20 else 3 if total < 30 else 4 if total < 40 else 5


LAMBDAS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "eq_choice": lambda d: d.get("q1") == "c",
    "ge_rating": lambda d: d["r3"] >= 4,
    "and_or": lambda d: d["r1"] >= 3 and (d["q2"] == "b" or d["q3"] != "e") and d["age"] < 65,
    "in_list": lambda d: d["q4"] in ("a", "c", "e"),
    "in_checkbox": lambda d: "o3" in d["cb1"],
    "sum10": _sum10,
    "avg10": lambda d: _sum10(d) / 10,
    "band_if5": _band_if5,
    "band_of_sum10": _band_of_sum10,
}


def _time(functions: Sequence[Callable[[Any], Any]], data: list[Any]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter_ns()
        for item in data:
            for function in functions:
                function(item)
        samples.append((time.perf_counter_ns() - start) / len(data))
    return statistics.median(samples)


def _call_costs() -> dict[str, float]:
    """ns per call of a do-nothing function through each kind of callable (median of runs)."""
    import functools
    import types

    def nothing(data: Any, up: Any = None) -> Any:
        return data

    def nothing_bound(owner: Any, data: Any) -> Any:
        return data

    class Partial(functools.partial):  # type: ignore[type-arg]  # the shape of CompiledRule
        __slots__ = ()

    kinds: dict[str, Callable[[Any], Any]] = {
        "plain function": nothing, "partial subclass (CompiledRule)": Partial(nothing),
        "bound method": types.MethodType(nothing_bound, object())}
    return {name: _time([fn], list(range(200_000))) for name, fn in kinds.items()}


def main() -> int:
    if not RULES_FILE.is_file():
        print(f"benchmark data not found: {RULES_FILE}", file=sys.stderr)
        return 1
    spec = json.loads(RULES_FILE.read_text("utf-8"))
    rules: dict[str, Any] = spec["rules"]
    data: list[dict[str, Any]] = spec["data"]
    compiled = [jsonlogic.compile(rule) for rule in rules.values()]
    lambdas = [LAMBDAS[name] for name in rules]
    applied = [lambda d, rule=rule: jsonlogic.apply(rule, d) for rule in rules.values()]
    for item in data:  # the three must agree before they are timed
        for name, rule, fast, slow in zip(rules, compiled, lambdas, applied, strict=True):
            expected = fast(item)
            assert rule(item) == expected == slow(item), (name, item)
    results = {
        "lambdas": _time(lambdas, data),
        "compiled": _time(compiled, data),
        "apply": _time(applied, data[:400]),
    }
    print(f"{len(rules)} rules x {len(data)} data objects, median of {RUNS} runs")
    for label, nanos in results.items():
        ratio = nanos / results["lambdas"]
        print(f"{label:>9}: {nanos:10.0f} ns per evaluation of all rules  ({ratio:5.1f} x lambdas)")
    print("per rule (ns): lambda, compiled, ratio")
    for name, fast, rule in zip(rules, lambdas, compiled, strict=True):
        lam, com = _time([fast], data), _time([rule], data)
        print(f"  {name:<14} {lam:6.0f} {com:6.0f}  {com / lam:4.2f} x")
    print("one call of a do-nothing function, with the timing loop (ns), through a:")
    for label, nanos in _call_costs().items():
        print(f"  {label:<32} {nanos:6.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
