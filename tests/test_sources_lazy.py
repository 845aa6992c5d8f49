"""Positions read on demand: a clean document is read without them, and they are exactly
those of the eager reading once asked for (issue 20, cold start and load)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine import sources
from asiakasarvo_engine.sources import parse_json, parse_yaml

_WORDS = ["a", "yes", "No", "~", "null", "", "1", "-0", "012", "1e5", "1.", ".5", "1:20",
          "2024-01-01", ".inf", "=", "true", "a/b", "a~b", "x*y", "ä", "1.0.0", "- x", "#", "<<"]
_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(_WORDS) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(_WORDS) | st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


def _eager(text: str) -> tuple[Any, Any, Any, Any]:
    """What the position-keeping reader finds (no positions when it cannot read the text:
    JSON with a control character YAML refuses, as before)."""
    doc = sources._parse_clean(text, "t")
    if doc is None:
        doc, _ = sources._parse_composed(text, "t")
    if doc is None:
        return None, {}, {}, frozenset()
    return doc.data, dict(doc.values), dict(doc.keys), doc.quoted


@settings(max_examples=300, deadline=None)
@given(data=_DATA, flow=st.sampled_from([None, True, False]), indent=st.integers(2, 5))
def test_a_yaml_document_read_lazily_has_the_eager_data_and_positions(
        data: object, flow: bool | None, indent: int) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, indent=indent, allow_unicode=True)
    doc, diagnostics = parse_yaml(text, "t")
    eager_doc, eager_diagnostics = sources._parse_composed(text, "t")
    assert diagnostics == eager_diagnostics
    assert doc is not None and eager_doc is not None
    assert (doc.data, dict(doc.values), dict(doc.keys), doc.quoted) == _eager(text)


@settings(max_examples=300, deadline=None)
@given(data=_DATA, indent=st.sampled_from([None, 1, 2, 4]))
def test_a_json_document_read_lazily_has_the_data_and_the_yaml_reading_s_positions(
        data: object, indent: int | None) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    doc, diagnostics = parse_json(text, "t")
    assert diagnostics == [] and doc is not None
    assert doc.data == json.loads(text)
    _, values, keys, _ = _eager(text)
    assert (dict(doc.values), dict(doc.keys), doc.quoted) == (values, keys, frozenset())


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: &x 1\n", "a: !!str 1\n", "<<: {a: 1}\n",
    "? [a]\n: 1\n", "a: 1\n---\nb: 2\n", "", "a: =\n", "[" * 70 + "]" * 70, "a: [1,\n",
    "a: 1e400\n", "a: b\n\tc: d\n",
])
def test_the_plain_reader_leaves_what_the_quick_reader_leaves(text: str) -> None:
    assert sources._parse_clean(text, "t") is None
    assert sources._parse_plain(text) is sources._UNCLEAN


def test_positions_are_read_once_and_only_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = sources._parse_clean

    def counting(text: str, name: str) -> sources.SourceDoc | None:
        calls.append(name)
        return real(text, name)

    monkeypatch.setattr(sources, "_parse_clean", counting)
    doc, diagnostics = parse_yaml("a:\n  b: 'x'\n  c: [1, 2]\n", "t.yaml")
    assert diagnostics == [] and doc is not None and calls == []
    assert doc.data == {"a": {"b": "x", "c": [1, 2]}}
    span = doc.span("/a/c/1")
    assert (span.line, span.column) == (3, 10)
    assert doc.span("/a/b", key=True).line == 2 and doc.quoted == frozenset({"/a/b"})
    assert calls == ["t.yaml"]
    json_doc, _ = parse_json('{"a":\n [1, {"b": 2}]}', "t.json")
    assert json_doc is not None and calls == ["t.yaml"]
    assert (json_doc.span("/a/1/b").line, json_doc.span("/a/1/b").column) == (2, 12)
    assert calls == ["t.yaml", "t.json"]


def test_loading_the_shipped_bank_and_rules_reads_no_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    from asiakasarvo_engine.scoring.program import load_program

    asked: list[str] = []
    real = sources._yaml_positions

    def counting(text: str, name: str) -> Any:
        asked.append(name)
        return real(text, name)

    monkeypatch.setattr(sources, "_yaml_positions", counting)
    program = load_program()
    assert program is not None and asked == []


def test_a_json_file_beyond_the_node_bound_is_refused_as_the_yaml_reading_refuses_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_NODES", 10)
    text = json.dumps({"a": [1, 2, 3], "b": {"c": [4, 5, 6, 7, 8]}}, indent=1)
    doc, diagnostics = parse_json(text, "t.json")
    _, from_yaml = sources._parse_composed(text, "t.json")
    assert doc is None
    assert [(d.code, d.pointer, d.span) for d in diagnostics] == [
        (d.code, d.pointer, d.span) for d in from_yaml] != []
    assert diagnostics[0].code == "SRC-012"
    within, diagnostics = parse_json(json.dumps({"a": [1, 2, 3], "b": [4, 5]}), "t.json")
    assert within is not None and diagnostics == []


@pytest.mark.parametrize(("text", "code"), [
    ('{"a": 1,\n "a": 2}', "SRC-005"), ('{"a": [1,\n 1e400]}', "SRC-013"), ('{"a": }', "SRC-007"),
])
def test_a_json_text_with_something_to_report_is_read_with_positions(text: str, code: str) -> None:
    _, diagnostics = parse_json(text, "t.json")
    assert [d.code for d in diagnostics] == [code]
    span = diagnostics[0].span
    assert span is not None and span.line == (1 if code == "SRC-007" else 2)
