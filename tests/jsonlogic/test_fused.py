"""The fused path (one function built as an ``ast`` tree): its rules and its fallback.

Issue 20's decision: the tree is built from validated JSON Logic only, every literal is a
JSON constant, names are only our own helpers, no attribute access, no imports, a bounded
size (closures beyond it), and the result is exactly what the closures and ``apply`` give,
down to the error's code and JSON pointer.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from test_properties import BENCH_SHAPES, SETTINGS, data_strategy, fuse_now, rules, same

from asiakasarvo_engine import jsonlogic
from asiakasarvo_engine.jsonlogic import ExpressionError
from asiakasarvo_engine.jsonlogic._astgen import (
    HELPERS,
    MAX_FUSED_NODES,
    UnfusableError,
    fuse,
    tree,
)
from asiakasarvo_engine.jsonlogic._compiler import FUSE_AFTER, compile_rule

SHARED = Path(os.environ.get("ASIAKASARVO_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
BENCH_RULES = SHARED / "bench" / "bench_rules.json"

_JSON_CONSTANTS = (str, int, float, bool, type(None))


def _check_tree(module: ast.Module) -> None:
    """Only our names, only JSON constants, no attributes, imports or definitions but one."""
    functions = [node for node in ast.walk(module) if isinstance(node, ast.FunctionDef)]
    assert len(functions) == 1
    for node in ast.walk(module):
        assert not isinstance(node, ast.Attribute | ast.Import | ast.ImportFrom | ast.Global
                              | ast.Nonlocal | ast.ClassDef | ast.AsyncFunctionDef
                              | ast.Starred | ast.JoinedStr), ast.dump(node)
        if isinstance(node, ast.Constant):
            assert type(node.value) in _JSON_CONSTANTS, node.value
        if isinstance(node, ast.Name):
            name = node.id
            local = name in ("data", "up", "_d") or (name.startswith("_t") and name[2:].isdigit())
            assert local or name in HELPERS, name
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in HELPERS, ast.dump(node)


def _bench_rules() -> list[Any]:
    if not BENCH_RULES.is_file():
        return []
    return list(json.loads(BENCH_RULES.read_text("utf-8"))["rules"].values())


@pytest.mark.parametrize("rule", BENCH_SHAPES + _bench_rules())
def test_bench_shapes_are_fused_from_a_clean_tree(rule: Any) -> None:
    assert compile_rule(rule, fused=True).fused
    _check_tree(tree(rule))


@SETTINGS
@given(rule=rules())
def test_every_fused_tree_is_clean(rule: Any) -> None:
    try:
        jsonlogic.validate(rule)
        module = tree(rule)
    except (ExpressionError, UnfusableError):
        return
    _check_tree(module)


def test_generated_code_sees_no_builtins() -> None:
    function = fuse({"==": [{"var": "a"}, 1]})
    assert function.__globals__["__builtins__"] == {}
    assert set(function.__globals__) == {"__builtins__", *HELPERS}
    assert function({"a": 1}) is True


@SETTINGS
@given(rule=rules(), data=data_strategy)
def test_fused_and_closures_fail_alike(rule: Any, data: Any) -> None:
    """Same value, or the same error code, error type and JSON pointer."""
    try:
        closures = compile_rule(rule, fused=False)
    except ExpressionError:
        return
    fused = fuse_now(rule)

    def run(compiled: Any) -> tuple[str, Any]:
        try:
            return "value", compiled(data)
        except ExpressionError as error:
            return "error", (error.code, error.pointer, getattr(error, "error_type", None))

    expected, got = run(closures), run(fused)
    assert expected[0] == got[0], (expected, got)
    if expected[0] == "error":
        assert expected == got
    else:
        assert same(expected[1], got[1])


def test_a_rule_fuses_once_it_runs_often() -> None:
    rule = {"if": [{"<": [{"var": "a"}, 2]}, "low", {"<": [{"var": "a"}, 5]}, "mid", "high"]}
    compiled = jsonlogic.compile(rule)
    assert not compiled.fused
    closures_func = compiled.func
    expected = [jsonlogic.apply(rule, {"a": a}) for a in range(8)]
    before = [compiled({"a": a % 8}) for a in range(FUSE_AFTER - 1)]
    assert not compiled.fused
    assert compiled.func is closures_func
    after = [compiled({"a": a % 8}) for a in range(FUSE_AFTER - 1, 2 * FUSE_AFTER)]
    assert compiled.fused
    assert compiled.func is not closures_func
    assert before + after == [expected[a % 8] for a in range(2 * FUSE_AFTER)]
    assert compiled.rule == rule
    assert compiled.variables == frozenset({"a"})
    assert not compile_rule(rule, fused=False).fused


def _run_often(compiled: Any, data: Any) -> Any:
    results = {repr(compiled(data)) for _ in range(FUSE_AFTER + 1)}
    assert len(results) == 1
    return compiled(data)


def test_a_rule_too_large_to_fuse_keeps_closures() -> None:
    rule = {"+": [{"var": f"k{i}"} for i in range(MAX_FUSED_NODES)]}
    data = {f"k{i}": i for i in range(MAX_FUSED_NODES)}
    compiled = jsonlogic.compile(rule)
    assert _run_often(compiled, data) == jsonlogic.apply(rule, data) == sum(range(MAX_FUSED_NODES))
    assert not compiled.fused
    with pytest.raises(UnfusableError):
        compile_rule(rule, fused=True)
    small = {"+": [{"var": f"k{i}"} for i in range(50)]}
    assert compile_rule(small, fused=True).fused


def test_raw_operations_and_object_literals_keep_closures() -> None:
    for rule in ({"preserve": {"a": 1}}, {"==": [{"a": 1, "b": 2}, 1]}):
        compiled = jsonlogic.compile(rule)
        assert repr(_run_often(compiled, None)) == repr(jsonlogic.apply(rule, None))
        assert not compiled.fused


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        ({"==": [{"var": "a.b.c"}, 1]}, {"a": {"b": {"c": 1}}}, True),
        ({"==": [{"var": "a.b.c"}, 1]}, {"a": {"b": [1]}}, False),
        ({"var": "l.1"}, {"l": [5, 6]}, 6),
        ({"var": ["a.b", 7]}, {"a": None}, 7),
        ({"var": "a"}, [1, 2], None),
        ({"var": "1"}, [1, 2], 2),
        ({"+": [{"var": "a"}, {"var": "b"}]}, {"a": True, "b": 1}, float("nan")),
        ({"+": [{"var": "a"}, {"var": "b"}]}, {"a": 2**53, "b": 1}, float(2**53 + 1)),
        ({"/": [{"var": "a"}, 4]}, {"a": 10}, 2.5),
        ({"/": [{"+": [{"var": "a"}, {"var": "b"}]}, 2]}, {"a": 3, "b": 1}, 2),
        ({"in": ["o3", {"var": "l"}]}, {"l": ["o1", "o3"]}, True),
        ({"in": ["o3", {"var": "l"}]}, {"l": "xo3x"}, True),
        ({"in": ["", {"var": "l"}]}, {"l": ""}, False),
        ({"if": [{"<": [{"var": "t"}, 1]}, "a", {"<": [{"var": "t"}, 2]}, "b", "c"]}, {"t": "1.5"}, "b"),
        ({"and": [{"var": "a"}, {"var": "b"}]}, {"a": [], "b": 1}, []),
        ({"or": [{"var": "a"}, {"var": "b"}]}, {"a": 0, "b": ""}, ""),
        ({"map": [{"var": "xs"}, {"*": [{"var": ""}, 2]}]}, {"xs": [1, 2]}, [2, 4]),
        ({"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]},
         {"xs": [1, 2, 3]}, 6),
    ],
)
def test_fused_edge_cases(rule: Any, data: Any, expected: Any) -> None:
    compiled = compile_rule(rule, fused=True)
    assert compiled.fused
    result = compiled(data)
    assert same(result, expected), result
    assert same(result, jsonlogic.apply(rule, data))
    assert same(result, compile_rule(rule, fused=False)(data))
