"""One bad rule-set fixture per RULE code: the code and its line:column.

Each file in tests/data/bad_rules/ is a copy of ``_valid.yaml`` (a small rule set for the
shipped bank) with one mistake, and starts with ``# expect: CODE line:column``. RULE-013,
RULE-014 and RULE-016 are found when the rules are compiled into a scoring program; the
other codes when the rules are checked against the bank.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asiakasarvo_engine.bank.load import LoadedBank, load_bank
from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.diagnostics import Diagnostic
from asiakasarvo_engine.rules.load import check_rules
from asiakasarvo_engine.scoring.program import check_program

BAD = Path(__file__).resolve().parents[1] / "data" / "bad_rules"
VALID = BAD / "_valid.yaml"
CASES = sorted(p for p in BAD.glob("*.yaml") if not p.name.startswith("_"))
PROGRAM_CODES = {"RULE-013", "RULE-014", "RULE-016"}


@pytest.fixture(scope="module")
def bank() -> LoadedBank:
    return load_bank()


def _expectation(path: Path) -> tuple[str, int, int]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    code, position = first.removeprefix("# expect:").split()
    line, column = position.split(":")
    return code, int(line), int(column)


def _all_diagnostics(path: Path, bank: LoadedBank) -> tuple[bool, tuple[Diagnostic, ...]]:
    """Check the rules and, when they pass, compile them; (accepted?, every diagnostic)."""
    loaded, diagnostics = check_rules(path, bank)
    if loaded is None:
        return False, diagnostics
    program, problems = check_program(bank, loaded)
    return program is not None, diagnostics + problems


def _located(diagnostics: tuple[Diagnostic, ...]) -> list[tuple[str, int | None, int | None]]:
    return [(d.code, d.span.line if d.span else None, d.span.column if d.span else None)
            for d in diagnostics]


def test_the_valid_base_rules_are_clean(bank: LoadedBank) -> None:
    loaded, diagnostics = check_rules(VALID, bank)
    assert loaded is not None, [str(d) for d in diagnostics]
    assert diagnostics == ()
    program, problems = check_program(bank, loaded)
    assert program is not None
    assert problems == ()
    assert [s.id for s in program.sections] == ["owner_strategy", "financial_position"]


def test_the_shipped_rules_give_no_diagnostics(bank: LoadedBank) -> None:
    loaded, diagnostics = check_rules(None, bank)
    assert loaded is not None, [str(d) for d in diagnostics]
    assert diagnostics == ()
    assert loaded.rules.id == "asiakasarvo"
    program, problems = check_program(bank, loaded)
    assert program is not None
    assert problems == ()
    assert len(program.sections) == 8


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_rules_report_code_at_position(bank: LoadedBank, path: Path) -> None:
    code, line, column = _expectation(path)
    accepted, diagnostics = _all_diagnostics(path, bank)
    assert not accepted
    assert (code, line, column) in _located(diagnostics), [str(d) for d in diagnostics]
    assert all(d.severity is Severity.ERROR for d in diagnostics if d.code == code)
    assert all(d.span is not None and d.span.file.endswith(path.name) for d in diagnostics)


@pytest.mark.parametrize("path", [p for p in CASES if _expectation(p)[0] in PROGRAM_CODES],
                         ids=lambda p: p.stem)
def test_scoring_stage_codes_pass_the_rule_check_and_stop_the_compilation(
        bank: LoadedBank, path: Path) -> None:
    loaded, diagnostics = check_rules(path, bank)
    assert loaded is not None, [str(d) for d in diagnostics]
    assert diagnostics == ()
    program, problems = check_program(bank, loaded)
    assert program is None
    assert [d.code for d in problems] == [_expectation(path)[0]]


def test_every_rule_code_has_a_fixture() -> None:
    covered = {p.name.split("_")[0] for p in CASES}
    assert covered >= {f"RULE-{n:03d}" for n in range(1, 17)}


@pytest.mark.parametrize(("stem", "hint"), [
    ("RULE-002_unknown_item", "did you mean 'review_practice'?"),
    ("RULE-002_unknown_unscored", "did you mean 'solvency_target'?"),
    ("RULE-003_unknown_section", "did you mean 'management'?"),
    ("RULE-004_unknown_rules_scale", "did you mean 'agree5'?"),
    ("RULE-012_unknown_name", "did you mean 'owner_strategy.documented'?"),
])
def test_a_misspelt_name_gets_a_suggestion(bank: LoadedBank, stem: str, hint: str) -> None:
    path = BAD / f"{stem}.yaml"
    code = _expectation(path)[0]
    _, diagnostics = _all_diagnostics(path, bank)
    assert [d.hint for d in diagnostics if d.code == code] == [hint]


def test_a_misspelt_scored_item_is_also_reported_as_unscored(bank: LoadedBank) -> None:
    _, diagnostics = _all_diagnostics(BAD / "RULE-002_unknown_item.yaml", bank)
    assert sorted(d.code for d in diagnostics) == ["RULE-002", "RULE-007"]
    [missing] = [d for d in diagnostics if d.code == "RULE-007"]
    assert missing.found == "owner_strategy.review_practice"


def test_wrong_scale_length_is_reported_for_the_scale_and_every_item_using_it(bank: LoadedBank) -> None:
    _, diagnostics = _all_diagnostics(BAD / "RULE-005_scale_points.yaml", bank)
    assert {d.code for d in diagnostics} == {"RULE-005"}
    pointers = {d.pointer for d in diagnostics}
    assert "/scales/practice5/scores" in pointers
    assert "/sections/owner_strategy/items/review_practice" in pointers
    assert "/sections/financial_position/items/cash_flow_forecast" in pointers
    # agree5 items are not affected
    assert "/sections/owner_strategy/items/owners_aligned" not in pointers


def _mutate(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = VALID.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _position(path: Path, marker: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    index = text.index(marker)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def test_five_mistakes_are_all_reported(bank: LoadedBank, tmp_path: Path) -> None:
    path = _mutate(
        tmp_path,
        ("      role_boundary: {}\n", "      role_boundary: {}\n      successor_named: {}\n"),  # RULE-002
        ("      investment_willingness: {}\n", "      investment_willingness: {scale: agree7}\n"),  # -004
        ("        cap_level: 2\n", "        cap_level: 5\n"),  # RULE-008
        ("when: owner_strategy.documented in", "when: owner_strategy.documnted in"),  # RULE-012
        ("      exit_route: Describes the route.\n",
         "      exit_route: Describes the route.\n      advisor_rating: Also scored.\n"),  # RULE-015
    )
    accepted, diagnostics = _all_diagnostics(path, bank)
    assert not accepted
    expected = {
        ("RULE-002", *_position(path, "successor_named")),
        ("RULE-004", *_position(path, "{scale: agree7}")),
        ("RULE-008", *_position(path, "5\n        reason")),
        ("RULE-012", *_position(path, "owner_strategy.documnted")),
        ("RULE-015", *_position(path, "advisor_rating: Also")),
    }
    assert set(_located(diagnostics)) == expected, [str(d) for d in diagnostics]


@pytest.mark.parametrize(("old", "new", "code", "pointer"), [
    ("{level: 1, min_score: 0,", "{level: 1, min_score: 5,", "RULE-008", "/levels/0/min_score"),
    ("{level: 2, min_score: 40", "{level: 3, min_score: 40", "RULE-008", "/levels"),
    ("  min_sections: 2", "  min_sections: 3", "RULE-008", "/overall/min_sections"),
    ("  management: Not scored here.\n", "  management: Not scored here.\n  owner_strategy: Also.\n",
     "RULE-015", "/descriptive_sections/owner_strategy"),
    ("      owners_aligned: {}\n", "      owners_aligned: {choices: {a: 1}}\n",
     "RULE-006", "/sections/owner_strategy/items/owners_aligned/choices"),
    ("      owners_aligned: {}\n", "      owners_aligned: {expression: '50', choices: {a: 1}}\n",
     "RULE-006", "/sections/owner_strategy/items/owners_aligned"),
    ("      cash_flow_forecast: {}\n",
     "      cash_flow_forecast: {expression: 'financial_position.cash_flow_forcast * 25'}\n",
     "RULE-012", "/sections/financial_position/items/cash_flow_forecast/expression"),
    ("  min_sections: 2", "  min_sections: 2\n  gates:\n    - {id: g, when: basic_info.nonexistent > 1, "
     "cap_level: 2, reason: {fi: x, en: x}}", "RULE-012", "/overall/gates/0/when"),
])
def test_more_rule_checks(bank: LoadedBank, tmp_path: Path, old: str, new: str, code: str,
                          pointer: str) -> None:
    accepted, diagnostics = _all_diagnostics(_mutate(tmp_path, (old, new)), bank)
    assert not accepted
    assert [(d.code, d.pointer) for d in diagnostics] == [(code, pointer)]


def test_a_zero_weight_on_some_items_is_allowed(bank: LoadedBank, tmp_path: Path) -> None:
    path = _mutate(tmp_path,
                   ("      board_monthly_follow_up: {}\n", "      board_monthly_follow_up: {weight: 0}\n"),
                   ("      cash_flow_forecast: {}\n", "      cash_flow_forecast: {weight: 0}\n"))
    accepted, diagnostics = _all_diagnostics(path, bank)
    assert accepted, [str(d) for d in diagnostics]
    assert diagnostics == ()


def test_all_item_weights_zero_in_a_section(bank: LoadedBank, tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    start = text.index("  financial_position:")
    end = text.index("    unscored:", start)
    section = text[start:end]
    weighted = section
    for name in ("board_monthly_follow_up", "customer_profitability_known", "product_profitability_known",
                 "cash_flow_forecast", "advisor_rating"):
        weighted = weighted.replace(f"      {name}: {{}}", f"      {name}: {{weight: 0}}")
    for name in ("owner_targets_known", "budgeting_practice"):
        weighted = weighted.replace(f"      {name}:\n", f"      {name}:\n        weight: 0\n")
    path = tmp_path / "rules.yaml"
    path.write_text(text[:start] + weighted + text[end:], encoding="utf-8")
    accepted, diagnostics = _all_diagnostics(path, bank)
    assert not accepted
    assert [(d.code, d.pointer) for d in diagnostics] == [("RULE-010", "/sections/financial_position/items")]


@pytest.mark.parametrize(("old", "new", "code", "pointer"), [
    ("- {id: weak, max: 20,", "- {id: weak, min: 0, max: 20,",
     "RULE-014", "/indicators/ratios/equity_ratio/bands"),
    ("staff_headcount: basic_info.staff_headcount", "staff_headcount: basic_info.company_name",
     "RULE-016", "/indicators/size_class/staff_headcount"),
    ("year_field: year", "year_field: years", "RULE-016", "/indicators/figures/year_field"),
    ("      revenue: revenue\n", "      turnover: revenue\n",
     "RULE-013", "/indicators/figures/fields/turnover"),
    ("      revenue: revenue\n", "      revenue: revenu\n", "RULE-012", "/indicators/figures/fields/revenue"),
])
def test_more_indicator_checks(bank: LoadedBank, tmp_path: Path, old: str, new: str, code: str,
                               pointer: str) -> None:
    path = _mutate(tmp_path, (old, new))
    loaded, diagnostics = check_rules(path, bank)
    assert loaded is not None and diagnostics == ()
    program, problems = check_program(bank, loaded)
    assert program is None
    assert [(d.code, d.pointer) for d in problems] == [(code, pointer)]


def test_an_empty_band_is_reported(bank: LoadedBank, tmp_path: Path) -> None:
    path = _mutate(tmp_path, ("{id: satisfactory, min: 20, max: 40,", "{id: satisfactory, min: 20, max: 20,"),
                   ("{id: good, min: 40,", "{id: good, min: 20,"))
    accepted, diagnostics = _all_diagnostics(path, bank)
    assert not accepted
    assert [(d.code, d.found) for d in diagnostics] == [("RULE-014", "band 'satisfactory' is empty")]


def test_rules_pinned_to_another_bank_version_are_reported(bank: LoadedBank, tmp_path: Path) -> None:
    path = _mutate(tmp_path, ("bank: {id: asiakasarvo}", "bank: {id: asiakasarvo, version: 9.9.9}"))
    _, diagnostics = _all_diagnostics(path, bank)
    assert ("RULE-001", *_position(path, "9.9.9")) in _located(diagnostics)
