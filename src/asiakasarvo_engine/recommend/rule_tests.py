"""Rule tests as data: answers in, expected result values out, with tolerances.

A test file (``kind: rule_tests``) names its rule set; each test gives answers (a path
relative to the file, or inline) and ``expect``: result paths such as
``sections.owner_strategy.level`` or ``indicators.ratios.equity_ratio.band`` mapped to a
value or ``{value, tolerance}``. A level path compares the level number;
``recommended.<id>`` is the rank of a recommendation, null when it is not given, and
``owner.<id>`` who owns it at this company (``owners``, ``board``, ``ceo``,
``management_team``), null when it is not given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine._validate import validate
from asiakasarvo_engine.bank.answers_load import check_answers, check_entries
from asiakasarvo_engine.bank.load import _display
from asiakasarvo_engine.diagnostics import Diagnostic, has_errors, make, rank
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.rules.models import RULES_FORMAT_VERSIONS, RuleTest, RuleTestFile, Tolerance
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.sources import SourceDoc, read_document

_MISSING = object()


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation that did not hold."""

    path: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected!r}, got {self.got!r}"


@dataclass(frozen=True, slots=True)
class RuleTestOutcome:
    """The outcome of one rule test."""

    file: str
    name: str
    line: int | None
    mismatches: tuple[Mismatch, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def passed(self) -> bool:
        """True when every expectation held and the answers were valid."""
        return not self.mismatches and not has_errors(self.diagnostics)


def lookup(document: Any, path: str) -> Any:
    """The value at a dotted ``path`` (list indexes are numbers; item names with dots match whole)."""
    tokens = path.split(".")
    node = document
    index = 0
    while index < len(tokens):
        if isinstance(node, list):
            token = tokens[index]
            if not token.isdigit() or int(token) >= len(node):
                return _MISSING
            node = node[int(token)]
            index += 1
            continue
        if not isinstance(node, dict):
            return _MISSING
        for end in range(len(tokens), index, -1):
            key = ".".join(tokens[index:end])
            if key in node:
                node = node[key]
                index = end
                break
        else:
            return _MISSING
    return node


def _matches(expected: Any, got: Any) -> bool:
    if isinstance(expected, Tolerance):
        return isinstance(got, int | float) and not isinstance(got, bool) \
            and abs(got - expected.value) <= expected.tolerance
    if isinstance(expected, float) and isinstance(got, int | float) and not isinstance(got, bool):
        return math.isclose(expected, got, abs_tol=1e-9)
    return bool(expected == got and type(expected) is type(got)) or (
        isinstance(expected, int) and not isinstance(expected, bool)
        and isinstance(got, float) and expected == got)


def check_expectations(result_json: dict[str, Any], expect: dict[str, Any]) -> tuple[Mismatch, ...]:
    """Every expectation that does not hold against a result dumped as JSON data."""
    mismatches: list[Mismatch] = []
    for path, expected in expect.items():
        got = lookup(result_json, path)
        if isinstance(got, dict) and "level" in got and "min_score" in got:
            got = got["level"]
        if got is _MISSING:
            mismatches.append(Mismatch(path, _shown(expected), "<no such field in the result>"))
        elif not _matches(expected, got):
            mismatches.append(Mismatch(path, _shown(expected), got))
    return tuple(mismatches)


def _shown(expected: Any) -> Any:
    if isinstance(expected, Tolerance):
        return f"{expected.value:g} ± {expected.tolerance:g}"
    return expected


def _with_recommended(program: ScoringProgram, result_json: dict[str, Any]) -> dict[str, Any]:
    """Add ``recommended.<id>`` and ``owner.<id>``: the rank and the owner of each
    recommendation of the rules, null when absent."""
    rules = program.rules.rules.recommendations
    items = (result_json.get("recommendations") or {}).get("items", [])
    ranks = {item["id"]: item["rank"] for item in items}
    owners = {item["id"]: item["owner"] for item in items}
    ids = [rec.id for rec in (rules.items if rules else [])]
    return {**result_json, "recommended": {rec: ranks.get(rec) for rec in ids},
            "owner": {rec: owners.get(rec) for rec in ids}}


def load_test_file(path: Path) -> tuple[RuleTestFile, SourceDoc]:
    """Read and validate a rule-test file; raise LoadError with every problem."""
    doc, diagnostics = read_document(path, display=_display(path))
    if doc is None or has_errors(diagnostics):
        raise LoadError(diagnostics)
    tests, problems = validate(RuleTestFile, doc.data, "rule-tests", doc,
                               formats=RULES_FORMAT_VERSIONS, kind="rule_tests")
    if tests is None:
        raise LoadError(problems)
    return tests, doc


def _run_one(program: ScoringProgram, path: Path, doc: SourceDoc, index: int, test: RuleTest,
             ) -> RuleTestOutcome:
    here = jp.join("/tests", index)
    line = doc.span(here).line
    company = date = advisor = None
    if isinstance(test.answers, str):
        loaded, diagnostics = check_answers(path.parent / test.answers, program.bank)
        if loaded is None:
            return RuleTestOutcome(doc.name, test.name, line, (), diagnostics)
        answers = loaded.answers
        meta = loaded.file
        if meta.company is not None:
            company = Company(name=meta.company.name, business_id=meta.company.business_id)
        date, advisor = meta.date, meta.advisor
    else:
        answers, problems = check_entries(test.answers, program.bank, doc, jp.join(here, "answers"))
        diagnostics = rank(problems)
        if has_errors(diagnostics):
            return RuleTestOutcome(doc.name, test.name, line, (), diagnostics)
    result = analyse(program, answers, company=company, date=date, advisor=advisor)
    dumped = _with_recommended(program, result.model_dump(mode="json"))
    mismatches = check_expectations(dumped, test.expect)
    return RuleTestOutcome(doc.name, test.name, line, mismatches)


def run_file(program: ScoringProgram, path: Path) -> list[RuleTestOutcome]:
    """Run every test of one file against ``program``."""
    tests, doc = load_test_file(path)
    if tests.rules != program.rules.rules.id:
        raise LoadError([make("RULE-001", pointer="/rules", span=doc.span("/rules"),
                              found=repr(tests.rules), expected=repr(program.rules.rules.id))])
    return [_run_one(program, path, doc, index, test) for index, test in enumerate(tests.tests)]


def rule_test_files(paths: list[Path]) -> list[Path]:
    """The rule-test files named, with folders expanded to their ``*.yaml`` files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.yaml")
                                if "kind: rule_tests" in p.read_text(encoding="utf-8")))
        else:
            files.append(path)
    return files
