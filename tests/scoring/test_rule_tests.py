"""Every rule test shipped with the rules and the examples runs as a pytest case."""

from __future__ import annotations

from pathlib import Path

import pytest

from asiakasarvo_engine.recommend.rule_tests import load_test_file, rule_test_files, run_file
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

ROOT = Path(__file__).resolve().parents[2]
FILES = rule_test_files([ROOT / "scoring_rules" / "tests", ROOT / "examples"])


def _cases() -> list[tuple[Path, str]]:
    return [(path, test.name) for path in FILES for test in load_test_file(path)[0].tests]


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


def test_rule_test_files_are_found() -> None:
    assert len(FILES) >= 2


@pytest.mark.parametrize(("path", "name"), _cases(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_rule_test(program: ScoringProgram, path: Path, name: str) -> None:
    outcome = next(o for o in run_file(program, path) if o.name == name)
    problems = [str(m) for m in outcome.mismatches] + [str(d) for d in outcome.diagnostics]
    assert outcome.passed, f"{outcome.file}:{outcome.line}: {name}\n" + "\n".join(problems)


def test_a_wrong_expectation_fails_with_file_name_and_values(program: ScoringProgram, tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(
        'schema_version: "1.0"\nkind: rule_tests\nrules: asiakasarvo\ntests:\n'
        "  - name: wrong on purpose\n    answers:\n      basic_info.staff_headcount: 10\n"
        "      basic_info.turnover: 100\n      basic_info.balance_sheet_total: 100\n"
        "    expect:\n      indicators.size_class.size_class: micro\n      overall.nothing: 1\n",
        encoding="utf-8")
    [outcome] = run_file(program, path)
    assert not outcome.passed
    assert outcome.line == 5
    assert [str(m) for m in outcome.mismatches] == [
        "indicators.size_class.size_class: expected 'micro', got 'small'",
        "overall.nothing: expected 1, got '<no such field in the result>'"]


def test_invalid_inline_answers_are_diagnostics_with_positions(
        program: ScoringProgram, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        'schema_version: "1.0"\nkind: rule_tests\nrules: asiakasarvo\ntests:\n'
        "  - name: bad answers\n    answers:\n      management.strategy_status: maybe\n"
        "      management.nonexistent: 3\n    expect:\n      overall.score: null\n",
        encoding="utf-8")
    [outcome] = run_file(program, path)
    assert not outcome.passed
    found = sorted((d.code, d.span.line, d.span.column) for d in outcome.diagnostics if d.span)
    assert found == [("ANS-001", 8, 7), ("ANS-003", 7, 35)]
