"""Every refusal of an oversized or over-deep document names where (issue 13, item 10).

A file over the size limit is refused at the line and column where it crosses the limit;
a document nested too deeply is refused at the first node below the depth bound, with its
line, column and JSON pointer, in JSON as in YAML, also far beyond the JSON decoder's
recursion limit (5,000 levels, 10,000 nested ``if``).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.rules.load import check_rules
from asiakasarvo_engine.sources import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    json_too_deep,
    parse_json,
    parse_text,
    read_document,
)

VALID_RULES = Path(__file__).resolve().parent / "data" / "bad_rules" / "_valid.yaml"


def test_a_file_over_the_size_limit_is_refused_where_it_crosses_the_limit(tmp_path: Path) -> None:
    line = "# " + "x" * 97 + "\n"  # 100 bytes
    path = tmp_path / "huge.yaml"
    path.write_text("kind: answers\n" + line * (MAX_FILE_BYTES // 100 + 50), encoding="utf-8")
    doc, [problem] = read_document(path)
    assert doc is None
    assert problem.code == "SRC-003"
    assert problem.span is not None
    beyond = MAX_FILE_BYTES - len("kind: answers\n")
    assert (problem.span.line, problem.span.column) == (2 + beyond // 100, beyond % 100 + 1)


def test_text_over_the_size_limit_is_refused_with_its_position() -> None:
    text = "a: " + "é" * MAX_FILE_BYTES
    doc, [problem] = parse_text(text, "x.yaml")
    assert doc is None
    assert problem.code == "SRC-003"
    assert problem.span is not None
    assert (problem.span.line, problem.span.column) == (1, 4 + (MAX_FILE_BYTES - 3) // 2)


def _deep_answers(depth: int) -> str:
    return ('{"schema_version": "1.0", "kind": "answers", "bank": {"id": "asiakasarvo"},\n'
            ' "answers": {"basic_info.owners": ' + "[" * depth + "]" * depth + "}}")


def test_json_five_thousand_deep_is_refused_at_the_node_with_its_pointer(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(_deep_answers(5000), encoding="utf-8")
    doc, [problem] = read_document(path)
    assert doc is None
    assert problem.code == "SRC-012"
    # the root mapping is depth 0, "answers" 1, the owners list 2: the 63rd inner list is depth 65
    assert problem.pointer == "/answers/basic_info.owners" + "/0" * (MAX_DEPTH - 1)
    assert problem.span is not None
    assert (problem.span.line, problem.span.column) == (2, 35 + MAX_DEPTH - 1)


def test_json_moderately_deep_is_refused_as_the_yaml_reading_refuses_it() -> None:
    text = _deep_answers(100)
    [quick] = parse_json(text, "x.json")[1]
    assert json.loads(text)  # within the decoder's own limit
    assert json_too_deep(text, "x.json") == quick
    assert quick.pointer == "/answers/basic_info.owners" + "/0" * (MAX_DEPTH - 1)


def test_json_keys_with_quotes_commas_and_brackets_keep_the_pointer_right() -> None:
    inner = '{"k": ' * (MAX_DEPTH + 5) + "1" + "}" * (MAX_DEPTH + 5)
    text = '{"a\\"[,": [1, "x,]", {"b/c": 2}, ' + inner + "]}"
    problem = json_too_deep(text, "x.json")
    assert problem is not None
    assert problem.pointer == "/a\"[,/3" + "/k" * (MAX_DEPTH - 1)  # the object at depth 2, then 63 more
    assert json_too_deep('{"a": [1, {"b": 2}]}', "x.json") is None


def test_ten_thousand_nested_ifs_in_a_json_rule_set_are_refused_with_a_pointer(tmp_path: Path) -> None:
    rules = yaml.safe_load(VALID_RULES.read_text(encoding="utf-8"))
    rules["sections"]["owner_strategy"]["gates"][0]["when"] = "@WHEN@"
    nested = '{"if": [{"var": "owner_strategy.documented"}, 1, ' * 10000 + "0" + "]}" * 10000
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules).replace('"@WHEN@"', nested), encoding="utf-8")  # dumps would recurse
    loaded, diagnostics = check_rules(path, None)
    assert loaded is None
    [problem] = diagnostics
    assert problem.code == "SRC-012"
    assert problem.pointer.startswith("/sections/owner_strategy/gates/0/when/if/2/if/2")
    assert problem.span is not None and problem.span.line == 1 and problem.span.column is not None


def test_yaml_deeper_than_the_reader_allows_is_refused_at_its_position(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    doc, [problem] = read_document(path)
    assert doc is None
    assert problem.code == "SRC-012"
    assert problem.span is not None and problem.span.line == 1 and problem.span.column is not None


_KEYS = st.text(alphabet='ab,[]{}"\\/~ ', min_size=1, max_size=4)


def _nested(depth: int) -> st.SearchStrategy[object]:
    leaf = st.one_of(st.integers(-5, 5), st.text(alphabet='x,[]"\\', max_size=3), st.none())
    if depth == 0:
        return leaf
    inner = _nested(depth - 1)
    return st.one_of(leaf, st.lists(inner, min_size=1, max_size=2),
                     st.dictionaries(_KEYS, inner, min_size=1, max_size=2))


@settings(max_examples=60, deadline=None)
@given(st.integers(55, 75), _nested(3), st.lists(st.sampled_from(["list", "dict"]), min_size=75, max_size=75))
def test_the_json_scan_finds_the_node_the_yaml_reading_refuses(depth: int, tail: object,
                                                                 kinds: list[str]) -> None:
    value: object = tail
    for kind in kinds[:depth]:
        value = [value] if kind == "list" else {"k,[": value}
    text = json.dumps({"a": value}, indent=1 if depth % 2 else None)
    found = [d for d in parse_json(text, "x.json")[1] if d.code == "SRC-012"]
    scanned = json_too_deep(text, "x.json")
    assert found == ([scanned] if scanned is not None else [])
