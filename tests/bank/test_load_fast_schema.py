"""The fast schema check agrees with jsonschema, so skipping jsonschema never hides an error.

``_validate.check_schema`` asks compiled closures "valid?" first and only runs jsonschema
(which explains errors) on a "no". These tests mutate valid documents at random and check
both give the same answer, and that diagnostics of invalid documents are unchanged.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakasarvo_engine._resources import default_bank_path, default_rules_path
from asiakasarvo_engine._validate import _TYPES, _fast_check, _validator, check_schema
from asiakasarvo_engine.sources import SourceDoc, read_document

BASE = Path(__file__).resolve().parents[1] / "data" / "bad_banks" / "_valid.yaml"


def _data(path: Path) -> Any:
    doc, diagnostics = read_document(path)
    assert doc is not None, diagnostics
    return doc.data


def _documents() -> list[tuple[str, Any]]:
    sections = sorted((default_bank_path().parent / "sections").glob("*.yaml"))
    return [("question-bank", _data(BASE)), ("question-bank", _data(default_bank_path())),
            *[("question-bank-section", _data(p)) for p in sections[:3]]]


def _other_documents() -> list[tuple[str, Any]]:
    """Rules, rule tests and answers, when they read (their formats are still growing)."""
    examples = Path(__file__).resolve().parents[2] / "examples"
    paths = [("scoring-rules", default_rules_path()),
             *[("answers", p) for p in sorted(examples.glob("*.answers.yaml"))[:1]],
             *[("rule-tests", p) for p in sorted(examples.glob("*.tests.yaml"))[:1]]]
    found = []
    for name, path in paths:
        doc, _ = read_document(path)
        if doc is not None and _fast_check(name) is not None:
            found.append((name, doc.data))
    return found


DOCUMENTS = _documents()
ALL_DOCUMENTS = DOCUMENTS + _other_documents()

_WORDS = ["", "x", "abc", "abc\n", "Abc", "a-b", "1abc", "fi", "en", "fin", "1.0", "2.0", "1.0.0",
          "01.0.0", "1.0.0-rc.1", "single_choice", "likert", "matrix", "repeat_group",
          "question_bank", "question_bank_section", "meeting", "yes", "x" * 65, "ä" * 3,
          "owners.documented == 'yes'"]
_KEYS = ["id", "type", "text", "title", "label", "value", "items", "choices", "scale", "points",
         "sections", "include", "schema_version", "kind", "version", "languages", "agenda",
         "min_minutes", "agenda_minutes", "visible_if", "validation", "min", "max", "pattern",
         "phase", "provenance", "source", "fi", "en", "EN", "extra", "calculated", "expression"]
_SCALARS = (st.none() | st.booleans() | st.integers(-700, 700) | st.sampled_from([0.5, 10.0, -1e9])
            | st.floats(allow_nan=False) | st.sampled_from(_WORDS) | st.text(max_size=8))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*path, index))
    return found


def _twists(value: Any) -> list[Any]:
    """Values near ``value`` that sit on the edges of types, lengths, bounds and patterns."""
    if isinstance(value, bool):
        return [int(value), str(value).lower(), None]
    if isinstance(value, int):
        return [float(value), value + 1000, -value - 1, str(value), True]
    if isinstance(value, float):
        return [int(value), -value, str(value)]
    if isinstance(value, str):
        return [value + "\n", value.upper(), "", value * 300, f" {value}", value.replace("_", "-")]
    if isinstance(value, list):
        return [[], value[:1] * 12, {}]
    if isinstance(value, dict):
        return [{}, [], {**value, "extra": 1}]
    return ["", 0, False]


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, Any]:
    name, original = draw(st.sampled_from(ALL_DOCUMENTS))
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        action = draw(st.sampled_from(["replace", "twist", "twist", "delete", "add", "duplicate"]))
        if not path:
            continue
        parent, last = _at(data, path[:-1]), path[-1]
        if action == "replace":
            parent[last] = draw(_VALUES)
        elif action == "twist":
            parent[last] = draw(st.sampled_from(_twists(parent[last])))
        elif action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(_KEYS))] = draw(_VALUES)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return name, data


@pytest.mark.parametrize("value", [None, True, False, 0, 1, -3, 2**70, 0.0, 10.0, 0.5, float("inf"),
                                   "", "1", [], [1], {}, {"a": 1}])
def test_type_tests_are_those_of_jsonschema(value: Any) -> None:
    checker = _validator("question-bank").TYPE_CHECKER
    for name, test in _TYPES.items():
        assert test(value) == checker.is_type(value, name), name


@pytest.mark.parametrize("name", ["question-bank", "question-bank-section"])
def test_the_bank_schemas_compile_to_a_fast_check(name: str) -> None:
    assert _fast_check(name) is not None


@pytest.mark.parametrize(("name", "data"), DOCUMENTS)
def test_valid_documents_pass_both_checks(name: str, data: Any) -> None:
    fast = _fast_check(name)
    assert fast is not None
    assert fast(data)
    assert _validator(name).is_valid(data)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_mutated())
def test_fast_check_agrees_with_jsonschema(case: tuple[str, Any]) -> None:
    name, data = case
    fast = _fast_check(name)
    assert fast is not None
    assert fast(data) == _validator(name).is_valid(data)


@pytest.mark.parametrize("value", ["abc\n", "Abc", "a" * 65, 10.0, 10, -1, True, None, "10"])
@pytest.mark.parametrize("path", [("id",), ("sections", 0, "agenda_minutes"),
                                  ("scales", "agree5", "points", 0, "value")])
def test_edge_values_agree(path: tuple[Any, ...], value: Any) -> None:
    # "abc\n" matches ^[a-z][a-z0-9_]*$ under re.search; 10.0 is no integer to jsonschema 4.
    name, original = DOCUMENTS[0]
    data = copy.deepcopy(original)
    _at(data, path[:-1])[path[-1]] = value
    fast = _fast_check(name)
    assert fast is not None
    assert fast(data) == _validator(name).is_valid(data)


def test_diagnostics_are_those_of_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    from asiakasarvo_engine import _validate

    data = copy.deepcopy(DOCUMENTS[0][1])
    data["sections"][0]["items"][0]["type"] = "single_choise"
    data["sections"][0]["agenda_minutes"] = "ten"
    data["colour"] = "blue"
    doc = SourceDoc("t.yaml", data)
    found = check_schema(data, "question-bank", doc)
    monkeypatch.setattr(_validate, "_fast_check", lambda name: None)
    assert found == check_schema(data, "question-bank", doc)
    assert {d.code for d in found} == {"SCH-002", "SCH-004", "SCH-005"}
