"""Answers files checked against the shipped bank, and answer values against their items.

Each file in tests/data/bad_answers/ is a copy of ``_valid.yaml`` with one mistake and
starts with ``# expect: CODE line:column``. Errors stop the file from loading; warnings
(an answer to a hidden item, answers given to another bank version) do not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine.bank.answer_check import check_value
from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.answers_load import check_answers, load_answers
from asiakasarvo_engine.bank.compiled import CompiledBank, compile_bank
from asiakasarvo_engine.bank.load import load_bank
from asiakasarvo_engine.bank.models import Bank, Item, QuestionType
from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.errors import LoadError

BAD = Path(__file__).resolve().parents[1] / "data" / "bad_answers"
VALID = BAD / "_valid.yaml"
CASES = sorted(p for p in BAD.glob("*.yaml") if not p.name.startswith("_"))

def _param(path: Path) -> Any:
    return pytest.param(path, id=path.stem)


@pytest.fixture(scope="module")
def bank() -> CompiledBank:
    return compile_bank(load_bank())


def _expectation(path: Path) -> tuple[str, int, int]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    code, position = first.removeprefix("# expect:").split()
    line, column = position.split(":")
    return code, int(line), int(column)


def test_the_valid_base_answers_load_cleanly(bank: CompiledBank) -> None:
    loaded, diagnostics = check_answers(VALID, bank)
    assert diagnostics == (), [str(d) for d in diagnostics]
    assert loaded is not None
    assert len(loaded.answers) == 12
    assert loaded.answers["owner_strategy.role_boundary"].status is AnswerStatus.DONT_KNOW
    assert "owner_strategy.role_boundary" not in loaded.values()
    assert loaded.values()["owner_strategy.review_practice"] == 3


@pytest.mark.parametrize("path", [_param(p) for p in CASES])
def test_bad_answers_report_code_at_position(bank: CompiledBank, path: Path) -> None:
    code, line, column = _expectation(path)
    loaded, diagnostics = check_answers(path, bank)
    matching = [d for d in diagnostics if d.code == code and d.span is not None
                and (d.span.line, d.span.column) == (line, column)]
    assert matching, [str(d) for d in diagnostics]
    assert all(d.span is not None and d.span.file.endswith(path.name) for d in diagnostics)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        assert loaded is None  # errors block
    else:
        assert loaded is not None  # warnings do not
        assert loaded.warnings == diagnostics


def test_every_answer_code_has_a_fixture() -> None:
    covered = {p.name.split("_")[0] for p in CASES}
    assert covered >= {f"ANS-{n:03d}" for n in range(1, 9)}


@pytest.mark.parametrize(("stem", "severity"), [
    ("ANS-001_unknown_item", Severity.ERROR),
    ("ANS-002_text_for_likert", Severity.ERROR),
    ("ANS-002_bool_for_number", Severity.ERROR),
    ("ANS-003_not_a_choice", Severity.ERROR),
    ("ANS-003_matrix_point", Severity.ERROR),
    ("ANS-004_percent_over_100", Severity.ERROR),
    ("ANS-004_exclusive_none", Severity.ERROR),
    ("ANS-004_share_in_group", Severity.ERROR),
    ("ANS-005_check_digit", Severity.ERROR),
    ("ANS-006_wrong_bank", Severity.ERROR),
    ("ANS-006_other_bank_version", Severity.WARNING),
    ("ANS-008_hidden_item", Severity.WARNING),
])
def test_errors_block_and_warnings_do_not(bank: CompiledBank, stem: str, severity: Severity) -> None:
    path = BAD / f"{stem}.yaml"
    loaded, diagnostics = check_answers(path, bank)
    assert [(d.code, d.severity) for d in diagnostics] == [(_expectation(path)[0], severity)]
    if severity is Severity.ERROR:
        assert loaded is None
        with pytest.raises(LoadError) as raised:
            load_answers(path, bank)
        assert raised.value.diagnostics == diagnostics
    else:
        assert loaded is not None
        assert load_answers(path, bank).warnings == diagnostics


def test_unknown_item_gets_a_did_you_mean_hint(bank: CompiledBank) -> None:
    _, [diagnostic] = check_answers(BAD / "ANS-001_unknown_item.yaml", bank)
    assert diagnostic.found == "owner_strategy.documnted"
    assert diagnostic.hint == "did you mean 'owner_strategy.documented'?"
    assert diagnostic.pointer == "/answers/owner_strategy.documnted"


@pytest.mark.parametrize(("stem", "pointer", "expected", "found"), [
    ("ANS-002_text_for_likert", "/answers/owner_strategy.investment_willingness",
     "likert (a point of scale agree5)", "string"),
    ("ANS-002_bool_for_number", "/answers/basic_info.staff_headcount", "number (a number)", "boolean"),
    ("ANS-003_matrix_point", "/answers/business_model.canvas_clarity/channels/evidence",
     "1, 2, 3, 4, 5", "7"),
    ("ANS-004_percent_over_100", "/answers/basic_info.largest_customer_share", "0 .. 100", "120"),
    ("ANS-004_exclusive_none", "/answers/basic_info.social_media/1", "'none' alone", "'linkedin', 'none'"),
    ("ANS-004_share_in_group", "/answers/basic_info.owners/1/share", "0 .. 100", "140"),
    ("ANS-005_check_digit", "/answers/basic_info.business_id", "check digit is 3, expected 2", "0737546-3"),
    ("ANS-006_wrong_bank", "/bank/id", "'asiakasarvo'", "'palaute'"),
])
def test_diagnostic_details(bank: CompiledBank, stem: str, pointer: str, expected: str, found: str) -> None:
    _, [diagnostic] = check_answers(BAD / f"{stem}.yaml", bank)
    assert (diagnostic.pointer, diagnostic.expected, diagnostic.found) == (pointer, expected, found)


@pytest.mark.parametrize(("stem", "message"), [
    ("ANS-001_unknown_item", "vastaus tuntemattomaan kysymykseen 'owner_strategy.documnted' "
                             "(tarkoititko 'owner_strategy.documented'?)"),
    ("ANS-002_text_for_likert", "väärä vastaustyyppi (asteikkokysymys (asteikon agree5 arvo)): löytyi teksti "
                                "(kysymys owner_strategy.investment_willingness)"),
    ("ANS-002_bool_for_number", "väärä vastaustyyppi (luku): löytyi totuusarvo "
                                "(kysymys basic_info.staff_headcount)"),
    ("ANS-004_exclusive_none", "arvo 'linkedin', 'none' on sallittujen rajojen ulkopuolella; odotettiin "
                               "'none' yksinään (kysymys basic_info.social_media)"),
    ("ANS-005_check_digit", "virheellinen Y-tunnus '0737546-3': tarkistusnumero on 3, odotettiin 2 "
                            "(kysymys basic_info.business_id)"),
])
def test_answer_problems_read_in_finnish(bank: CompiledBank, stem: str, message: str) -> None:
    _, [diagnostic] = check_answers(BAD / f"{stem}.yaml", bank)
    assert diagnostic.message("fi") == message
    assert "item " in diagnostic.message("en") or "did you mean" in diagnostic.message("en")


def test_an_answer_to_a_hidden_item_is_kept_with_a_warning(bank: CompiledBank) -> None:
    loaded, [warning] = check_answers(BAD / "ANS-008_hidden_item.yaml", bank)
    assert loaded is not None
    assert warning.found == "owner_strategy.review_practice"
    assert warning.severity is Severity.WARNING
    assert loaded.answers["owner_strategy.review_practice"].value == 3


def test_several_mistakes_in_one_file_are_all_reported(bank: CompiledBank, tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    for old, new in (("staff_headcount: 12", "staff_headcount: twelve"),
                     ("growth_focus: profitable_growth", "growth_focus: fast"),
                     ("largest_customer_share: 35", "largest_customer_share: -5"),
                     ('business_id: "0737546-2"\n  basic_info.company_form',
                      'business_id: "0737546"\n  basic_info.company_form')):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, diagnostics = check_answers(path, bank)
    assert loaded is None
    assert [(d.code, d.span.line if d.span else None) for d in diagnostics] == [
        ("ANS-005", 8), ("ANS-002", 10), ("ANS-004", 11), ("ANS-003", 19)]


def test_unknown_field_in_a_group_entry_points_at_the_key(bank: CompiledBank, tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace("roles: [ceo], active: true}",
                                                     "roles: [ceo], colour: red}")
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    _, [diagnostic] = check_answers(path, bank)
    line = text.splitlines()[13]
    assert diagnostic.code == "ANS-001"
    assert diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.column) == (14, line.index("colour") + 1)


# --- check_value for every question type ---------------------------------------------

TEXT = {"fi": "Kysymys", "en": "Question"}
UNIT_BANK = Bank.model_validate({
    "schema_version": "1.0", "kind": "question_bank", "id": "unit", "version": "1.0.0", "title": TEXT,
    "scales": {
        "agree5": {"title": TEXT, "points": [{"value": v, "label": TEXT} for v in range(1, 6)]},
        "three": {"title": TEXT, "points": [{"value": v, "label": TEXT} for v in (-1, 0, 1)]},
    },
    "choice_lists": {"colours": [{"value": "red", "label": TEXT}, {"value": "blue", "label": TEXT}]},
    "sections": [{"id": "s", "title": TEXT, "items": [{"id": "x", "type": "boolean", "text": TEXT}]}],
})


def _choices(*values: str, exclusive: str | None = None) -> list[dict[str, Any]]:
    return [{"value": v, "label": TEXT, "exclusive": v == exclusive} for v in values]


def _item(kind: str, **fields: Any) -> Item:
    return Item.model_validate({"id": "q", "type": kind, "text": TEXT, **fields})


ITEMS: dict[str, Item] = {
    "single_choice": _item("single_choice", choices=_choices("a", "b")),
    "single_choice_list": _item("single_choice", choices_from="colours"),
    "multi_choice": _item("multi_choice", choices=_choices("a", "b", "c", "none", exclusive="none"),
                          validation={"min_count": 1, "max_count": 2}),
    "likert": _item("likert", scale="agree5"),
    "likert_negative": _item("likert", scale="three"),
    "matrix": _item("matrix", rows=[{"id": "r1", "label": TEXT}, {"id": "r2", "label": TEXT}],
                    columns=[{"id": "c1", "label": TEXT, "scale": "agree5"},
                             {"id": "c2", "label": TEXT, "scale": "three"}]),
    "integer": _item("integer", validation={"min": 0, "max": 10}),
    "number": _item("number"),
    "money": _item("money", validation={"min": 0}),
    "percent": _item("percent"),
    "percent_negative": _item("percent", validation={"min": -50}),
    "year": _item("year", validation={"min": 1800, "max": 2026}),
    "date": _item("date"),
    "short_text": _item("short_text", validation={"max_length": 5, "pattern": "^[0-9]{2,5}$"}),
    "long_text": _item("long_text", validation={"min_length": 3}),
    "long_text_free": _item("long_text"),
    "boolean": _item("boolean"),
    "business_id": _item("business_id"),
    "repeat_group": _item("repeat_group", validation={"min_count": 1, "max_count": 2}, items=[
        {"id": "name", "type": "short_text", "text": TEXT},
        {"id": "share", "type": "percent", "text": TEXT},
        {"id": "roles", "type": "multi_choice", "text": TEXT,
         "choices": _choices("ceo", "none", exclusive="none")},
        {"id": "active", "type": "boolean", "text": TEXT},
        {"id": "scores", "type": "matrix", "text": TEXT, "rows": [{"id": "r1", "label": TEXT}],
         "columns": [{"id": "c1", "label": TEXT, "scale": "agree5"}]},
    ]),
}

VALID_VALUES: list[tuple[str, Any]] = [
    ("single_choice", "a"), ("single_choice", "b"), ("single_choice_list", "blue"),
    ("multi_choice", ["a"]), ("multi_choice", ["a", "c"]), ("multi_choice", ["none"]),
    ("likert", 1), ("likert", 5), ("likert_negative", -1), ("likert_negative", 0),
    ("matrix", {}), ("matrix", {"r1": {"c1": 5, "c2": -1}}), ("matrix", {"r1": {"c1": None}, "r2": {}}),
    ("integer", 0), ("integer", 10),
    ("number", 6.5), ("number", -1e9), ("number", 0),
    ("money", 0), ("money", 1234.56),
    ("percent", 0), ("percent", 100), ("percent", 37.5), ("percent_negative", -50),
    ("year", 1800), ("year", 2026),
    ("date", "2024-02-29"), ("date", "2026-12-31"),
    ("short_text", "12"), ("short_text", "12345"),
    ("long_text", "abc"), ("long_text_free", ""), ("long_text_free", "ääkköset ja rivit\nkaksi"),
    ("boolean", True), ("boolean", False),
    ("business_id", "0737546-2"), ("business_id", "0967214-5"),
    ("repeat_group", [{"name": "A", "share": 60, "roles": ["ceo"], "active": True}]),
    ("repeat_group", [{"name": "A", "share": None}, {}]),
    ("repeat_group", [{"scores": {"r1": {"c1": 3}}}]),
]


@pytest.mark.parametrize(("key", "value"), VALID_VALUES, ids=lambda v: repr(v)[:40])
def test_a_valid_value_has_no_problem(key: str, value: Any) -> None:
    assert list(check_value(ITEMS[key], value, UNIT_BANK)) == []


INVALID_VALUES: list[tuple[str, Any, list[tuple[str, str]]]] = [
    ("single_choice", "c", [("", "ANS-003")]),
    ("single_choice", "A", [("", "ANS-003")]),
    ("single_choice", 1, [("", "ANS-002")]),
    ("single_choice", ["a"], [("", "ANS-002")]),
    ("single_choice_list", "green", [("", "ANS-003")]),
    ("multi_choice", "a", [("", "ANS-002")]),
    ("multi_choice", ["z"], [("/0", "ANS-003")]),
    ("multi_choice", ["a", 3], [("/1", "ANS-002")]),
    ("multi_choice", ["a", "a"], [("/1", "ANS-004")]),
    ("multi_choice", ["a", "none"], [("/1", "ANS-004")]),
    ("multi_choice", ["none", "b"], [("/0", "ANS-004")]),
    ("multi_choice", [], [("", "ANS-004")]),
    ("multi_choice", ["a", "b", "c"], [("", "ANS-004")]),
    ("likert", 0, [("", "ANS-003")]),
    ("likert", 6, [("", "ANS-003")]),
    ("likert", "3", [("", "ANS-002")]),
    ("likert", 3.0, [("", "ANS-002")]),
    ("likert", True, [("", "ANS-002")]),
    ("likert", None, [("", "ANS-002")]),
    ("likert_negative", 2, [("", "ANS-003")]),
    ("matrix", [1, 2], [("", "ANS-002")]),
    ("matrix", {"r3": {"c1": 1}}, [("/r3", "ANS-003")]),
    ("matrix", {"r1": 3}, [("/r1", "ANS-002")]),
    ("matrix", {"r1": {"c3": 3}}, [("/r1/c3", "ANS-003")]),
    ("matrix", {"r1": {"c1": 5, "c2": 5}}, [("/r1/c2", "ANS-003")]),
    ("matrix", {"r1": {"c1": "5"}, "r2": {"c1": 0}}, [("/r1/c1", "ANS-002"), ("/r2/c1", "ANS-003")]),
    ("integer", 11, [("", "ANS-004")]),
    ("integer", -1, [("", "ANS-004")]),
    ("integer", 5.5, [("", "ANS-002")]),
    ("integer", 5.0, [("", "ANS-002")]),
    ("integer", "5", [("", "ANS-002")]),
    ("integer", True, [("", "ANS-002")]),
    ("number", float("nan"), [("", "ANS-002")]),
    ("number", float("inf"), [("", "ANS-002")]),
    ("number", False, [("", "ANS-002")]),
    ("number", "6,5", [("", "ANS-002")]),
    ("money", -0.01, [("", "ANS-004")]),
    ("money", [100], [("", "ANS-002")]),
    ("percent", 120, [("", "ANS-004")]),
    ("percent", -0.1, [("", "ANS-004")]),
    ("percent", "50 %", [("", "ANS-002")]),
    ("percent_negative", -51, [("", "ANS-004")]),
    ("percent_negative", 100.5, [("", "ANS-004")]),
    ("year", 1799, [("", "ANS-004")]),
    ("year", 2027, [("", "ANS-004")]),
    ("year", 1994.0, [("", "ANS-002")]),
    ("date", "2023-02-29", [("", "ANS-004")]),
    ("date", "2024-13-01", [("", "ANS-004")]),
    ("date", "2024-1-1", [("", "ANS-002")]),
    ("date", "1.1.2024", [("", "ANS-002")]),
    ("date", 20240101, [("", "ANS-002")]),
    ("short_text", "1", [("", "ANS-004")]),
    ("short_text", "12a", [("", "ANS-004")]),
    ("short_text", "123456", [("", "ANS-004"), ("", "ANS-004")]),
    ("short_text", 12345, [("", "ANS-002")]),
    ("long_text", "ab", [("", "ANS-004")]),
    ("long_text_free", None, [("", "ANS-002")]),
    ("boolean", "yes", [("", "ANS-002")]),
    ("boolean", 1, [("", "ANS-002")]),
    ("boolean", "true", [("", "ANS-002")]),
    ("business_id", "0737546-3", [("", "ANS-005")]),
    ("business_id", "737546-2", [("", "ANS-005")]),
    ("business_id", " 0737546-2", [("", "ANS-005")]),
    ("business_id", "07375462", [("", "ANS-005")]),
    ("business_id", 7375462, [("", "ANS-002")]),
    ("repeat_group", {"name": "A"}, [("", "ANS-002")]),
    ("repeat_group", [], [("", "ANS-004")]),
    ("repeat_group", [{}, {}, {}], [("", "ANS-004")]),
    ("repeat_group", ["A"], [("/0", "ANS-002")]),
    ("repeat_group", [{"colour": "red"}], [("/0/colour", "ANS-001")]),
    ("repeat_group", [{"name": "A"}, {"share": 140}], [("/1/share", "ANS-004")]),
    ("repeat_group", [{"roles": ["ceo", "none"], "active": "yes"}],
     [("/0/roles/1", "ANS-004"), ("/0/active", "ANS-002")]),
    ("repeat_group", [{"roles": ["boss"]}], [("/0/roles/0", "ANS-003")]),
    ("repeat_group", [{"scores": {"r1": {"c1": 9}}}], [("/0/scores/r1/c1", "ANS-003")]),
]


@pytest.mark.parametrize(("key", "value", "expected"), INVALID_VALUES, ids=lambda v: repr(v)[:40])
def test_an_invalid_value_is_reported_where_it_stands(key: str, value: Any,
                                                      expected: list[tuple[str, str]]) -> None:
    found = [(p.pointer, p.code) for p in check_value(ITEMS[key], value, UNIT_BANK)]
    assert found == expected


def test_every_question_type_is_checked() -> None:
    kinds = {ITEMS[key].type for key, _ in VALID_VALUES} & {ITEMS[key].type for key, _, _ in INVALID_VALUES}
    assert kinds == set(QuestionType)


def test_pointers_start_at_the_given_pointer() -> None:
    problems = list(check_value(ITEMS["repeat_group"], [{"name": "A"}, {"active": "no"}], UNIT_BANK,
                                "/answers/basic_info.owners"))
    assert [(p.pointer, p.code) for p in problems] == [("/answers/basic_info.owners/1/active", "ANS-002")]
    problems = list(check_value(ITEMS["matrix"], {"r2": {"c2": 7}}, UNIT_BANK, "/value"))
    assert [(p.pointer, p.code) for p in problems] == [("/value/r2/c2", "ANS-003")]


@pytest.mark.parametrize(("key", "value", "expected", "found"), [
    ("percent", 120, "0 .. 100", "120"),
    ("integer", 11, "0 .. 10", "11"),
    ("money", -5, "0 .. +inf", "-5"),
    ("percent_negative", -51, "-50 .. 100", "-51"),
    ("single_choice", "c", "'a', 'b'", "c"),
    ("likert", 6, "1, 2, 3, 4, 5", "6"),
    ("boolean", "yes", "boolean (true or false)", "string"),
    ("integer", float("inf"), "integer (a whole number)", "non-finite number"),
    ("business_id", "0737546-3", "check digit is 3, expected 2", "0737546-3"),
    ("long_text", "ab", "at least 3 characters", "2 characters"),
    ("multi_choice", ["a", "b", "c"], "at most 2", "3"),
])
def test_problem_says_what_was_expected_and_found(key: str, value: Any, expected: str, found: str) -> None:
    [problem] = check_value(ITEMS[key], value, UNIT_BANK)
    assert (problem.expected, problem.found) == (expected, found)
