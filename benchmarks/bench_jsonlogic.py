"""Benchmark: the 9 rules of shared/bench/bench_rules.json on 2000 answer objects.

Prints nanoseconds for one evaluation of all 9 rules (median of several runs) for
hand-written Python lambdas, compiled rules (``compile(rule)(data)`` once the rule is
fused into one function built as an ``ast`` tree), the same rules compiled into closures, and ``apply``,
with the ratios to the lambdas; then each rule on its own (lambda, fused, closures, and the
fused function called without its ``CompiledRule``), the median ratio over the rules against
the target (issue 20: at most 1.5x, stretch 1.2x), and what one call costs through a plain
function, a ``functools.partial`` subclass (the shape of ``CompiledRule``) and a bound
method, the fixed part of every compiled rule's overhead.
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
from asiakasarvo_engine.jsonlogic._compiler import compile_rule

SHARED = Path(os.environ.get("ASIAKASARVO_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
RULES_FILE = SHARED / "bench" / "bench_rules.json"
RUNS = 7
TARGET = 1.5
STRETCH = 1.2

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
    # compile() runs closures first and fuses a rule after FUSE_AFTER calls; fuse at once here.
    compiled = [compile_rule(rule, fused=True) for rule in rules.values()]
    closures = [compile_rule(rule, fused=False) for rule in rules.values()]
    not_fused = [name for name, rule in zip(rules, compiled, strict=True) if not rule.fused]
    if not_fused:
        print(f"not fused (closures): {', '.join(not_fused)}")
    lambdas = [LAMBDAS[name] for name in rules]
    applied = [lambda d, rule=rule: jsonlogic.apply(rule, d) for rule in rules.values()]
    for item in data:  # all must agree before they are timed
        for name, rule, closure, fast, slow in zip(
            rules, compiled, closures, lambdas, applied, strict=True
        ):
            expected = fast(item)
            assert rule(item) == closure(item) == expected == slow(item), (name, item)
    results = {
        "lambdas": _time(lambdas, data),
        "compiled": _time(compiled, data),
        "closures": _time(closures, data),
        "apply": _time(applied, data[:400]),
    }
    print(f"{len(rules)} rules x {len(data)} data objects, median of {RUNS} runs")
    for label, nanos in results.items():
        ratio = nanos / results["lambdas"]
        print(f"{label:>9}: {nanos:10.0f} ns per evaluation of all rules  ({ratio:5.1f} x lambdas)")
    print("per rule (ns): lambda, compiled (fused), closures, fused function alone; ratios")
    ratios, bare_ratios = [], []
    for name, fast, rule, closure in zip(rules, lambdas, compiled, closures, strict=True):
        lam, com = _time([fast], data), _time([rule], data)
        clo, bare = _time([closure], data), _time([rule.func], data)
        ratios.append(com / lam)
        bare_ratios.append(bare / lam)
        print(f"  {name:<14} {lam:6.0f} {com:6.0f} {clo:6.0f} {bare:6.0f}"
              f"   {com / lam:4.2f} x  {clo / lam:4.2f} x  {bare / lam:4.2f} x")
    median = statistics.median(ratios)
    verdict = "met" if median <= TARGET else "missed"
    stretch = "met" if median <= STRETCH else "missed"
    print(f"median over rules, compile(rule)(data): {median:4.2f} x lambdas; target at most "
          f"{TARGET} x: {verdict}; stretch {STRETCH} x: {stretch}")
    print(f"median over rules, fused function without its CompiledRule: "
          f"{statistics.median(bare_ratios):4.2f} x lambdas")
    print("one call of a do-nothing function, with the timing loop (ns), through a:")
    for label, nanos in _call_costs().items():
        print(f"  {label:<32} {nanos:6.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
