"""Expressions that compare an answer with what it can never be, or read below it (issue 13, item 8).

One mechanism (``value_findings``, ``path_problem`` in ``bank.expressions``) serves the
bank's conditions and calculated values (BANK-019, BANK-020, BANK-007) and every
expression of a rule set (RULE-023, RULE-024, RULE-012), each at its line and column with
a did-you-mean where one fits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from asiakasarvo_engine.bank.expressions import items_by_name, path_problem, value_findings
from asiakasarvo_engine.bank.load import check_bank, load_bank
from asiakasarvo_engine.bank.models import Bank
from asiakasarvo_engine.rules.load import check_rules
from asiakasarvo_engine.scoring.program import check_program

TEXT = {"fi": "Kysymys", "en": "Question"}
RULES = Path(__file__).resolve().parents[1] / "data" / "bad_rules" / "_valid.yaml"


def _choices(*values: str) -> list[dict[str, Any]]:
    return [{"value": v, "label": TEXT} for v in values]


BANK = Bank.model_validate({
    "schema_version": "1.0", "kind": "question_bank", "id": "unit", "version": "1.0.0", "title": TEXT,
    "scales": {"agree5": {"title": TEXT, "points": [{"value": v, "label": TEXT} for v in range(1, 6)]}},
    "choice_lists": {"colours": _choices("red", "blue")},
    "sections": [{"id": "s", "title": TEXT, "items": [
        {"id": "one", "type": "single_choice", "text": TEXT, "choices": _choices("tacit", "written")},
        {"id": "colour", "type": "single_choice", "text": TEXT, "choices_from": "colours"},
        {"id": "many", "type": "multi_choice", "text": TEXT, "choices": _choices("web", "shop")},
        {"id": "count", "type": "integer", "text": TEXT},
        {"id": "grid", "type": "matrix", "text": TEXT, "rows": [{"id": "price", "label": TEXT}],
         "columns": [{"id": "importance", "label": TEXT, "scale": "agree5"}]},
        {"id": "owners", "type": "repeat_group", "text": TEXT, "items": [
            {"id": "share", "type": "percent", "text": TEXT},
            {"id": "roles", "type": "multi_choice", "text": TEXT, "choices": _choices("ceo")}]},
    ]}],
})
ITEMS = items_by_name(BANK)
ONE = {"var": "s.one"}


@pytest.mark.parametrize(("rule", "found"), [
    ({"==": [ONE, "tacitt"]}, [("not_a_choice", "tacitt", "/==/1", "did you mean 'tacit'?")]),
    ({"!==": ["writen", ONE]}, [("not_a_choice", "writen", "/!==/0", "did you mean 'written'?")]),
    ({"in": [ONE, ["tacit", "tacitt"]]}, [("not_a_choice", "tacitt", "/in/1/1", "did you mean 'tacit'?")]),
    ({"in": ["webb", {"var": "s.many"}]}, [("not_a_choice", "webb", "/in/0", "did you mean 'web'?")]),
    ({"==": [{"var": "s.colour"}, "green"]},
     [("not_a_choice", "green", "/==/1", "the choices are red, blue")]),
    ({"or": [{"==": [{"var": "s.count"}, 1]}, {"==": [ONE, "x"]}]},
     [("not_a_choice", "x", "/or/1/==/1", "the choices are tacit, written")]),
    ({"if": [{"==": [ONE, ["written"]]}, 1, 0]},
     [("list_for_scalar", '["written"]', "/if/0/==/1",
       "use 'in' to ask whether s.one is one of these values")]),
    ({"<": [{"var": "s.count"}, [3]]}, [("list_for_scalar", "[3]", "/</1",
                                         "use 'in' to ask whether s.count is one of these values")]),
], ids=lambda v: str(v)[:40])
def test_a_comparison_that_cannot_hold_is_found(rule: Any, found: list[tuple[str, str, str, str]]) -> None:
    findings = [(f.kind, f.found, f.pointer, str(f.hint)) for f in value_findings(rule, BANK, ITEMS)]
    assert findings == found


@pytest.mark.parametrize("rule", [
    {"==": [ONE, "tacit"]},
    {"in": [ONE, ["tacit", "written"]]},
    {"in": ["web", {"var": "s.many"}]},
    {"in": [{"var": "s.one"}, "tacit written"]},  # a text search, not membership
    {"==": [{"var": "s.many"}, ["web"]]},  # a list answer compared with a list
    {"==": [ONE, {"var": "s.colour"}]},
    {"==": [ONE, None]},
    {"some": [{"var": "s.owners"}, {"==": [{"var": "one"}, "zzz"]}]},  # an entry's own scope
    {"==": [{"var": "s.unknown"}, "x"]},
], ids=lambda v: str(v)[:40])
def test_a_comparison_that_can_hold_is_left_alone(rule: Any) -> None:
    assert list(value_findings(rule, BANK, ITEMS)) == []


@pytest.mark.parametrize(("name", "hint"), [
    ("s.one.__class__.__name__", "s.one is a single_choice answer: it has no part '__class__'"),
    ("s.count.foo", "s.count is an integer answer: it has no part 'foo'"),
    ("s.grid.prize", "s.grid has no row 'prize'; did you mean 'price'?"),
    ("s.grid.price.importanse", "s.grid has no column 'importanse'; did you mean 'importance'?"),
    ("s.grid.price.importance.x", "s.grid.price.importance is a scale point: it has no part 'x'"),
    ("s.many.web", "s.many is a list: a path into it needs an index (s.many.0...)"),
    ("s.many.0.x", "s.many.0 is a choice value: it has no part 'x'"),
    ("s.owners.share", "s.owners is a list: a path into it needs an index (s.owners.0...)"),
    ("s.owners.0.shares", "s.owners.0 has no field 'shares'; did you mean 'share'?"),
    ("s.owners.0.share.x", "s.owners.0.share is a percent answer: it has no part 'x'"),
    ("s.owners.1.roles.x",
     "s.owners.1.roles is a list: a path into it needs an index (s.owners.1.roles.0...)"),
])
def test_a_path_below_an_answer_that_names_nothing_is_explained(name: str, hint: str) -> None:
    target = ".".join(name.split(".")[:2])
    assert path_problem(ITEMS[target], target, name) == hint


@pytest.mark.parametrize("name", ["s.grid.price", "s.grid.price.importance", "s.many.0", "s.owners.0",
                                  "s.owners.0.share", "s.owners.2.roles.0"])
def test_a_path_that_names_a_part_is_fine(name: str) -> None:
    target = ".".join(name.split(".")[:2])
    assert path_problem(ITEMS[target], target, name) is None


def _rules_with_gate(tmp_path: Path, when: Any) -> Path:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    data["sections"]["owner_strategy"]["gates"][0]["when"] = when
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_json_logic_in_rules_is_located_at_the_literal(tmp_path: Path) -> None:
    when = {"in": [{"var": "owner_strategy.documented"}, ["not_formed", "tacitt"]]}
    path = _rules_with_gate(tmp_path, when)
    _, [problem] = check_rules(path, load_bank())
    assert (problem.code, problem.found, problem.hint) == ("RULE-023", "tacitt", "did you mean 'tacit'?")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.span is not None and problem.span.line is not None and problem.span.column is not None
    assert lines[problem.span.line - 1][problem.span.column - 1:].startswith("tacitt")
    assert problem.message("fi") == ("'tacitt' ei ole kysymyksen owner_strategy.documented vaihtoehto "
                                     "(tarkoititko 'tacit'?)")


def test_a_path_below_a_scalar_in_rules_is_an_unknown_name(tmp_path: Path) -> None:
    path = _rules_with_gate(tmp_path, "owner_strategy.documented.foo == 'x'")
    _, [problem] = check_rules(path, load_bank())
    assert (problem.code, problem.found) == ("RULE-012", "owner_strategy.documented.foo")
    assert "single_choice" in problem.hint


def test_the_shipped_bank_and_rules_have_none() -> None:
    bank, bank_problems = check_bank()
    assert bank is not None
    rules, rule_problems = check_rules(None, bank)
    assert [d.code for d in (*bank_problems, *rule_problems)] == []
    assert rules is not None
    assert check_program(bank, rules)[1] == ()


def test_an_invalid_rule_expression_is_located_where_it_goes_wrong(tmp_path: Path) -> None:
    path = _rules_with_gate(tmp_path, "1 if owner_strategy.documented == 'tacit' else " * 10000 + "0")
    _, [problem] = check_rules(path, load_bank())
    assert problem.code == "RULE-011"
    assert problem.pointer == "/sections/owner_strategy/gates/0/when"
    assert problem.span is not None and problem.span.line is not None
    line = path.read_text(encoding="utf-8").splitlines()[problem.span.line - 1]
    assert problem.span.column == line.index("1 if") + 20001  # the text's own limit, 20,000 characters


def test_a_text_placeholder_below_a_scalar_answer_names_nothing(tmp_path: Path) -> None:
    shipped = RULES.parents[3] / "scoring_rules" / "asiakasarvo" / "rules.yaml"
    data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    item = data["recommendations"]["items"][0]
    item["text"] = {"fi": "Tila: {owner_strategy.documented.label}",
                    "en": "State: {owner_strategy.documented}"}
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _, diagnostics = check_rules(path, load_bank())
    assert [(d.code, d.found, d.pointer) for d in diagnostics] == [
        ("RULE-019", "owner_strategy.documented.label", "/recommendations/items/0/text/fi")]
    assert "single_choice" in diagnostics[0].hint
