"""The content hash counts expressions by their JSON Logic, not by how they are written."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakasarvo_engine import load_bank
from asiakasarvo_engine.hashing import canonical_expression
from asiakasarvo_engine.jsonlogic import parse

BASE = Path(__file__).resolve().parents[1] / "data" / "bad_banks" / "_valid.yaml"
ORIGINAL = load_bank(BASE).data


def _bank(tmp_path: Path, name: str, *, visible_if: Any = None, required_if: Any = None,
          calculated: Any = None) -> str:
    """The hash of the base bank with these expressions on its second item."""
    data = copy.deepcopy(ORIGINAL)
    item = data["sections"][0]["items"][1]
    item.pop("visible_if", None)
    if visible_if is not None:
        item["visible_if"] = visible_if
    if required_if is not None:
        item["required_if"] = required_if
    if calculated is not None:
        data["sections"][0]["calculated"] = [
            {"id": "review_score", "title": {"fi": "Pisteet", "en": "Score"},
             "expression": calculated}]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_bank(path).content_hash


def test_infix_and_json_logic_hash_the_same(tmp_path: Path) -> None:
    infix = _bank(tmp_path, "infix", visible_if="owners.documented == 'yes'",
                  required_if="owners.documented != 'no' and not owners.review",
                  calculated="owners.review * 2 + 1")
    logic = _bank(tmp_path, "logic",
                  visible_if={"==": [{"var": "owners.documented"}, "yes"]},
                  required_if={"and": [{"!=": [{"var": "owners.documented"}, "no"]},
                                       {"!": [{"var": "owners.review"}]}]},
                  calculated={"+": [{"*": [{"var": "owners.review"}, 2]}, 1]})
    # A lone argument may be written without its list: {"!": x} is {"!": [x]}.
    short = _bank(tmp_path, "short",
                  visible_if={"==": [{"var": ["owners.documented"]}, "yes"]},
                  required_if={"and": [{"!=": [{"var": "owners.documented"}, "no"]},
                                       {"!": {"var": "owners.review"}}]},
                  calculated={"+": [{"*": [{"var": "owners.review"}, 2]}, 1]})
    assert infix == logic == short


def test_a_changed_expression_changes_the_hash(tmp_path: Path) -> None:
    same = _bank(tmp_path, "a", visible_if="owners.documented == 'yes'")
    assert same == _bank(tmp_path, "b", visible_if={"==": [{"var": "owners.documented"}, "yes"]})
    assert same != _bank(tmp_path, "c", visible_if="owners.documented == 'no'")
    assert same != _bank(tmp_path, "d", visible_if={"==": [{"var": "owners.documented"}, "no"]})
    assert same != _bank(tmp_path, "e", visible_if="owners.documented != 'yes'")
    assert same != _bank(tmp_path, "f", required_if="owners.documented == 'yes'")
    assert same != _bank(tmp_path, "g", visible_if="owners.documented == 'yes'",
                         calculated="owners.review")


def test_preserve_and_data_mappings_stay_as_written() -> None:
    assert canonical_expression({"preserve": {"a": 1}}) == {"preserve": {"a": 1}}
    assert canonical_expression({"preserve": 5}) != canonical_expression({"preserve": [5]})
    assert canonical_expression({"in": [{"var": "x"}, ["a", "b"]]}) == {
        "in": [{"var": ["x"]}, ["a", "b"]]}
    assert canonical_expression("x.y ==") == "x.y =="  # never loads; kept as written


_ATOMS = st.sampled_from([
    "owners.documented == 'yes'", "owners.documented != 'no'", "owners.review > 1",
    "owners.review <= 2", "owners.review == null", "owners.documented in ['yes', 'no']",
    "owners.review", "true", "false",
])


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        _ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from([" and ", " or "]), inner).map(
                lambda t: f"({t[0]}{t[1]}{t[2]})"),
            inner.map(lambda e: f"not ({e})"),
        ),
        max_leaves=5,
    )


def _unwrapped(rule: Any, take: Any) -> Any:
    """``rule`` with some one-argument lists written without the list."""
    if isinstance(rule, list):
        return [_unwrapped(item, take) for item in rule]
    if not isinstance(rule, dict) or len(rule) != 1:
        return rule
    ((name, args),) = rule.items()
    args = [_unwrapped(arg, take) for arg in args] if isinstance(args, list) else args
    if isinstance(args, list) and len(args) == 1 and not isinstance(args[0], list) and take():
        return {name: args[0]}
    return {name: args}


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_expressions(), other=_expressions(), unwrap=st.lists(st.booleans(), max_size=20))
def test_any_condition_hashes_as_its_json_logic(tmp_path: Path, text: str, other: str,
                                                unwrap: list[bool]) -> None:
    flags = iter(unwrap)
    logic = _unwrapped(parse(text), lambda: next(flags, False))
    assert _bank(tmp_path, "infix", visible_if=text) == _bank(tmp_path, "logic", visible_if=logic)
    if canonical_expression(text) != canonical_expression(other):
        assert _bank(tmp_path, "infix", visible_if=text) != _bank(tmp_path, "other",
                                                                 visible_if=other)
