"""Benchmark: growth with the bank's size (issue 20: 10x the bank costs at most 12x).

Builds banks 1x, 3x and 10x the shipped one in a temporary folder: every section file is
repeated with its section ids renamed (``owner_strategy`` -> ``owner_strategy_r2``, and
every ``owner_strategy.`` reference inside the copy -> ``owner_strategy_r2.``), the agenda's
minutes are scaled with it, and the rule set gets the same copies of its section rules. An
example answers file is renamed the same way for every copy. A section's agenda minutes are
shared out among its copies (30 minutes in three copies: 10 each), so the meeting's length
and its limits stay those of the shipped bank. For each size it prints the
median of several runs of:

- load: ``load_bank`` (read, validate, lint, hash);
- ``load_program``: bank and rules loaded, checked and compiled;
- the first ``Interview.start`` on a freshly loaded program (the live dependency graph);
- per answer: the answers file replayed through ``Interview.answer`` (median of answers);

and the 10x/1x ratio of each against the 12x target. The sizes are timed in turns, run by
run, so that all medians see the same machine load (it is shared and noisy).
Run: ``.venv/bin/python benchmarks/bench_growth.py [--runs N] [--bank B --rules R --answers A]``.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from asiakasarvo_engine._resources import default_bank_path, default_rules_path
from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.load import load_bank
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1, 3, 10)
TARGET = 12.0


def _rename(value: Any, pattern: re.Pattern[str], suffix: str) -> Any:
    """Every string with each section id followed by '.' renamed (deeply); keys too."""
    if isinstance(value, str):
        return pattern.sub(lambda m: m.group(1) + suffix + ".", value)
    if isinstance(value, list):
        return [_rename(item, pattern, suffix) for item in value]
    if isinstance(value, dict):
        return {_rename(k, pattern, suffix): _rename(v, pattern, suffix) for k, v in value.items()}
    return value


def _dump(data: Any, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), "utf-8")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def _share(minutes: int, factor: int, copy: int) -> int:
    """Copy ``copy`` (1-based) of ``factor``'s share of ``minutes``; the shares add up."""
    return minutes // factor + (1 if copy <= minutes % factor else 0)


def _share_minutes(section: dict[str, Any], factor: int, copy: int) -> None:
    if isinstance(section.get("agenda_minutes"), int):
        section["agenda_minutes"] = _share(section["agenda_minutes"], factor, copy)
    if isinstance(section.get("variant_minutes"), dict):
        section["variant_minutes"] = {k: _share(v, factor, copy) if isinstance(v, int) else v
                                      for k, v in section["variant_minutes"].items()}


def build(bank_path: Path, rules_path: Path, answers_path: Path, factor: int,
          folder: Path) -> tuple[Path, Path, Path]:
    """The bank, rules and answers ``factor`` times the given ones, written to ``folder``."""
    manifest = _load(bank_path)
    includes = [entry["include"] for entry in manifest["sections"]]
    sections = {ref: _load(bank_path.parent / ref) for ref in includes}
    ids = [section["id"] for section in sections.values()]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, ids)) + r")\.")
    (folder / "sections").mkdir(parents=True)
    refs = []
    for copy in range(1, factor + 1):
        suffix = "" if copy == 1 else f"_r{copy}"
        for ref, section in sections.items():
            data = _rename(section, pattern, suffix)
            data["id"] = section["id"] + suffix
            _share_minutes(data, factor, copy)
            name = f"sections/{Path(ref).stem}{suffix}.yaml"
            _dump(data, folder / name)
            refs.append({"include": name})
    bank = dict(manifest)
    bank["sections"] = refs
    _dump(bank, folder / "bank.yaml")
    rules = _load(rules_path)
    scored = dict(rules.get("sections", {}))
    described = dict(rules.get("descriptive_sections", {}))
    for copy in range(2, factor + 1):
        suffix = f"_r{copy}"
        for sid, body in list(rules.get("sections", {}).items()):
            scored[sid + suffix] = _rename(body, pattern, suffix)
        for sid, body in list(rules.get("descriptive_sections", {}).items()):
            described[sid + suffix] = body
    rules["sections"] = scored
    if described:
        rules["descriptive_sections"] = described
    _dump(rules, folder / "rules.yaml")
    answers = _load(answers_path)
    given = answers["answers"]
    every = dict(given)
    for copy in range(2, factor + 1):
        suffix = f"_r{copy}"
        every.update({pattern.sub(lambda m, s=suffix: m.group(1) + s + ".", k): _rename(v, pattern, suffix)
                      for k, v in given.items()})
    answers["answers"] = every
    _dump(answers, folder / "answers.yaml")
    return folder / "bank.yaml", folder / "rules.yaml", folder / "answers.yaml"


def _per_answer(program: ScoringProgram, answers: list[tuple[str, Any, AnswerStatus]]) -> float:
    interview = Interview.start(program, MemoryStore(), company="Kasvu Oy", advisor="Anna Neuvoja")
    clock = time.perf_counter_ns
    times = []
    for name, value, status in answers:
        if interview.position.section != name.partition(".")[0]:
            interview.go_to(name)
        started = clock()
        if status is AnswerStatus.ANSWERED:
            outcome = interview.answer(name, value)
        else:
            outcome = interview.answer(name, status=status)
        times.append(clock() - started)
        if not outcome.ok:
            raise SystemExit(f"{name}: refused: {[str(p) for p in outcome.problems]}")
    return statistics.median(times) / 1e9


def _timed(run: Any) -> float:
    gc.collect()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(sizes: dict[int, tuple[Path, Path, Path]], runs: int) -> dict[int, dict[str, float]]:
    """Median seconds of each figure for each bank size; the sizes are timed in turns, run
    by run, so every median sees the same machine load."""
    samples: dict[int, dict[str, list[float]]] = {k: {} for k in sizes}
    replays = {}
    for factor, (bank, rules, answers_file) in sizes.items():
        program = load_program(rules, bank)
        loaded = load_answers(answers_file, program.bank)
        replays[factor] = [(name, entry.value, entry.status) for name, entry in loaded.answers.items()]
    for _ in range(runs):
        for factor, (bank, rules, _) in sizes.items():
            figures = samples[factor]
            figures.setdefault("load", []).append(_timed(lambda b=bank: load_bank(b)))
            made: list[ScoringProgram] = []
            figures.setdefault("load_program", []).append(
                _timed(lambda r=rules, b=bank, out=made: out.append(load_program(r, b))))
            figures.setdefault("first Interview.start", []).append(_timed(
                lambda p=made[0]: Interview.start(p, MemoryStore(), company="Kasvu Oy",
                                                  advisor="Anna Neuvoja")))
            figures.setdefault("per answer", []).append(_per_answer(made[0], replays[factor]))
    results = {}
    for factor, figures in samples.items():
        results[factor] = {name: statistics.median(values) for name, values in figures.items()}
        results[factor].update({f"{name} fastest": min(values) for name, values in figures.items()})
        results[factor]["items"] = float(len(load_program(sizes[factor][1], sizes[factor][0]).bank.items))
        results[factor]["answers"] = float(len(replays[factor]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bank", type=Path, default=default_bank_path())
    parser.add_argument("--rules", type=Path, default=default_rules_path())
    parser.add_argument("--answers", type=Path, default=ROOT / "examples" / "small_manufacturer.answers.yaml")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as temp:
        sizes = {factor: build(options.bank, options.rules, options.answers, factor,
                               Path(temp) / f"x{factor}") for factor in SIZES}
        results = measure(sizes, options.runs)
    for factor in SIZES:
        figures = results[factor]
        print(f"{factor:>2}x bank: {figures['items']:.0f} items, {figures['answers']:.0f} answers; "
              f"load {figures['load'] * 1e3:.1f} ms, "
              f"load_program {figures['load_program'] * 1e3:.1f} ms, "
              f"first Interview.start {figures['first Interview.start'] * 1e3:.1f} ms, "
              f"per answer {figures['per answer'] * 1e6:.1f} us")
    small, large = results[SIZES[0]], results[SIZES[-1]]
    print(f"10x / 1x (medians of {options.runs} runs each, and of the fastest runs; "
          f"target at most {TARGET:.0f}x):")
    for figure in ("load", "load_program", "first Interview.start", "per answer"):
        ratio = large[figure] / small[figure]
        fastest = large[f"{figure} fastest"] / small[f"{figure} fastest"]
        verdict = "met" if ratio <= TARGET else "missed"
        print(f"  {figure:<22} {ratio:5.1f}x  {verdict}   (fastest runs: {fastest:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
