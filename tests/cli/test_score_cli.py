"""End-to-end runs of ``asiakasarvo score``, ``explain`` and ``rules test`` through click's CliRunner.

Successful runs invoke the click group; runs that must fail on bad input go through the
``main`` entry point (the console script), which turns diagnostics into ``file:line:column``
lines on stderr and exit code 1.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from asiakasarvo_engine._resources import default_rule_tests_path
from asiakasarvo_engine.cli.app import cli, main
from asiakasarvo_engine.recommend.rule_tests import load_test_file, rule_test_files
from asiakasarvo_engine.rules.load import load_rules

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.answers.yaml"))
SMALL = ROOT / "examples" / "small_manufacturer.answers.yaml"
BAD_ANSWERS = ROOT / "tests" / "data" / "bad_answers"
COMPANIES = {
    "medium_service_company": "Kidetieto Oy",
    "micro_family_firm": "Leipomo-Kahvila Koivikko Oy",
    "small_manufacturer": "Konepaja Lehtoranta Oy",
}


def invoke(*args: str | Path) -> Result:
    """Run the command group in-process; an unexpected exception fails the test with its traceback."""
    return CliRunner().invoke(cli, [str(a) for a in args], env={"ASIAKASARVO_LANG": None},
                              catch_exceptions=False)


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> tuple[int | str | None, str, str]:
    """Run the console-script entry point: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["asiakasarvo", *(str(a) for a in args)])
    with CliRunner().isolation(env={"ASIAKASARVO_LANG": None}) as (out, err, _):
        with pytest.raises(SystemExit) as exited:
            main()
        sys.stdout.flush()
        sys.stderr.flush()
        return exited.value.code, out.getvalue().decode(), err.getvalue().decode()


def _expectation(path: Path) -> tuple[str, int, int]:
    code, position = path.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("# expect:").split()
    line, column = position.split(":")
    return code, int(line), int(column)


def test_the_three_examples_are_found() -> None:
    assert [p.name.removesuffix(".answers.yaml") for p in EXAMPLES] == list(COMPANIES)


def test_score_examples_as_text_in_finnish() -> None:
    result = invoke("--lang", "fi", "score", *EXAMPLES)
    assert result.exit_code == 0, result.output
    out = result.stdout
    positions = [out.index(name) for name in COMPANIES.values()]
    assert positions == sorted(positions)  # in the order given
    assert out.count("Kokonaisindeksi") == 3
    assert out.count("Omistajastrategia") >= 3
    assert "Overall index" not in out
    assert re.search(r"Kokonaisindeksi: \d+,\d / 100, taso [1-5] ", out), out


def test_score_default_language_is_finnish() -> None:
    result = invoke("score", SMALL)
    assert result.exit_code == 0, result.output
    assert "Kokonaisindeksi" in result.stdout
    assert "Konepaja Lehtoranta Oy (0967214-5)  2026-10-21" in result.stdout


def test_score_examples_as_text_in_english() -> None:
    result = invoke("--lang", "en", "score", *EXAMPLES)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Overall index") == 3
    assert "Kokonaisindeksi" not in result.stdout
    assert all(name in result.stdout for name in COMPANIES.values())
    assert re.search(r"Overall index: \d+\.\d / 100, level [1-5] ", result.stdout), result.stdout


@pytest.fixture(scope="module")
def result_validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name.split(".")[0] for p in EXAMPLES])
def test_score_json_is_schema_valid_and_byte_identical(path: Path,
                                                       result_validator: Draft202012Validator) -> None:
    first = invoke("score", "--format", "json", path)
    second = invoke("score", "--format", "json", path)
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert first.stdout_bytes == second.stdout_bytes
    document = json.loads(first.stdout)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in result_validator.iter_errors(document)]
    assert errors == []
    assert document["kind"] == "result"
    assert document["company"]["name"] == COMPANIES[path.name.split(".")[0]]
    assert 0 <= document["overall"]["score"] <= 100


def test_score_json_of_several_files_is_a_list(result_validator: Draft202012Validator) -> None:
    result = invoke("score", "--format", "json", *EXAMPLES)
    assert result.exit_code == 0, result.output
    documents = json.loads(result.stdout)
    assert [d["company"]["name"] for d in documents] == list(COMPANIES.values())
    for document in documents:
        assert list(result_validator.iter_errors(document)) == []


def _error_fixtures() -> list[object]:
    cases = []
    for path in sorted(BAD_ANSWERS.glob("ANS-*.yaml")):
        if path.stem in {"ANS-008_hidden_item", "ANS-006_other_bank_version"}:
            continue  # warnings: these score
        cases.append(pytest.param(path, id=path.stem))
    return cases


@pytest.mark.parametrize("path", _error_fixtures())
def test_score_on_bad_answers_prints_position_and_code(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    code, line, column = _expectation(path)
    exit_code, out, err = run_main(monkeypatch, "--lang", "en", "score", path)
    assert exit_code == 1
    assert out == ""
    assert "Traceback" not in err
    assert re.search(rf"{re.escape(path.name)}:{line}:{column}\b.*: error {code}: ", err), err


def test_score_error_messages_follow_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    path = BAD_ANSWERS / "ANS-004_percent_over_100.yaml"
    _, _, english = run_main(monkeypatch, "--lang", "en", "score", path)
    _, _, finnish = run_main(monkeypatch, "--lang", "fi", "score", path)
    assert "out of bounds" in english
    assert "sallittujen rajojen ulkopuolella" in finnish


def test_score_stops_before_printing_anything_when_one_file_is_bad(monkeypatch: pytest.MonkeyPatch) -> None:
    exit_code, out, err = run_main(monkeypatch, "score", SMALL, BAD_ANSWERS / "ANS-003_not_a_choice.yaml")
    assert exit_code == 1
    assert out == ""
    assert "ANS-003_not_a_choice.yaml:19:32" in err


def test_score_on_a_missing_file_is_a_diagnostic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exit_code, out, err = run_main(monkeypatch, "score", tmp_path / "nothing.answers.yaml")
    assert out == ""
    assert exit_code == 1
    assert "SRC-001" in err
    assert "Traceback" not in err


def test_an_answer_to_a_hidden_item_does_not_stop_scoring() -> None:
    result = invoke("--lang", "en", "score", BAD_ANSWERS / "ANS-008_hidden_item.yaml")
    assert result.exit_code == 0, result.output
    assert "Testi Oy (0737546-2)" in result.stdout


def test_score_shows_the_warnings_of_the_answers_file() -> None:
    result = invoke("--lang", "en", "score", BAD_ANSWERS / "ANS-008_hidden_item.yaml")
    assert result.exit_code == 0
    assert "ANS-008" in result.output or "hidden" in result.output


def test_explain_one_section_shows_items_weights_and_cut_offs() -> None:
    rules = load_rules().rules
    result = invoke("--lang", "en", "explain", SMALL, "--section", "owner_strategy")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for item_id, rule in rules.sections["owner_strategy"].items.items():
        assert re.search(rf"^\s+{item_id}\s+w={rule.weight:g}\s", out, re.MULTILINE), item_id
    # 'discussed' scores by the size class's documentation norm (issue 16): 45 in a small firm
    assert re.search(r"^\s+documented\s+w=2\s+expression -> 45 -> 45$", out, re.MULTILINE), out
    cut_offs = ", ".join(f"{level.level}>={level.min_score:g}" for level in rules.levels)
    assert f"(cut-offs: {cut_offs})" in out
    assert cut_offs == "1>=0, 2>=20, 3>=40, 4>=60, 5>=80"
    # only that section: no other section's items, no overall line
    assert "pricing_basis" not in out
    assert "Overall index" not in out
    assert "Owner strategy" in out
    # unscored items are not listed
    assert "advisor_strengths" not in out


def test_explain_unknown_section_is_a_usage_error() -> None:
    result = invoke("explain", SMALL, "--section", "nope")
    assert result.exit_code == 2
    assert "--section" in result.stderr
    assert "'nope'" in result.stderr
    assert result.stdout == ""


def _shipped_test_count() -> int:
    return sum(len(load_test_file(p)[0].tests) for p in rule_test_files([default_rule_tests_path()]))


def test_rules_test_passes_and_prints_the_count() -> None:
    count = _shipped_test_count()
    assert count > 0
    result = invoke("--lang", "en", "rules", "test")
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.stdout
    files = len(rule_test_files([default_rule_tests_path()]))
    assert result.stdout.strip().endswith(f"{count} passed, 0 failed ({files} files)")


def test_rules_test_in_finnish() -> None:
    result = invoke("rules", "test")
    assert result.exit_code == 0, result.output
    assert f"{_shipped_test_count()} läpäisi, 0 epäonnistui" in result.stdout


def test_rules_test_with_a_wrong_expectation_fails(tmp_path: Path) -> None:
    path = tmp_path / "wrong.tests.yaml"
    path.write_text(
        'schema_version: "1.0"\nkind: rule_tests\nrules: asiakasarvo\ntests:\n'
        "  - name: right\n    answers:\n      basic_info.staff_headcount: 10\n"
        "      basic_info.turnover: 100\n      basic_info.balance_sheet_total: 100\n"
        "    expect:\n      indicators.size_class.size_class: small\n"
        "  - name: wrong on purpose\n    answers:\n      basic_info.staff_headcount: 10\n"
        "      basic_info.turnover: 100\n      basic_info.balance_sheet_total: 100\n"
        "    expect:\n      indicators.size_class.size_class: micro\n",
        encoding="utf-8")
    result = invoke("--lang", "en", "rules", "test", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    [fail] = [line for line in lines if line.startswith("FAIL ")]
    assert re.fullmatch(r"FAIL .*wrong\.tests\.yaml:12: wrong on purpose", fail), fail
    assert "    indicators.size_class.size_class: expected 'micro', got 'small'" in lines
    assert lines[-1] == "1 passed, 1 failed (1 files)"


def test_rules_test_counts_its_files_in_finnish() -> None:
    result = invoke("--lang", "fi", "rules", "test")
    assert result.exit_code == 0, result.output
    files = len(rule_test_files([default_rule_tests_path()]))
    assert result.stdout.strip().endswith(f"epäonnistui ({files} tiedostoa)")
    assert "files" not in result.stdout
