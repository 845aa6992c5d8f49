"""Property tests: compile agrees with apply; infix round-trips (DESIGN: expression language).

Every comparison with ``apply`` runs on both compiled paths: the closures and the one
function fused from an ``ast`` tree.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakasarvo_engine import jsonlogic
from asiakasarvo_engine.jsonlogic import OPERATIONS, ExpressionError
from asiakasarvo_engine.jsonlogic._astgen import UnfusableError
from asiakasarvo_engine.jsonlogic._compiler import compile_rule

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = ["a", "b", "c", "a.b", "l", "l.0", "l.length", "s", "missing", ""]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-20, 20),
    st.integers(-(2**60), 2**60),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from(["", "0", "1", "2.5", " 3 ", "abc", "a", "1e3", "0x10", "[]", "true"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["a", "b", "x"]), inner, max_size=3),
    ),
    max_leaves=8,
)
data_strategy = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "a": json_values, "b": json_values, "c": json_values, "s": st.text(max_size=5),
            "l": st.lists(json_values, max_size=4),
        },
    ),
    json_values,
)

_ARITY = {
    name: (op.min_args, op.max_args if op.max_args is not None else max(op.min_args, 3))
    for name, op in OPERATIONS.items()
    if name not in ("log", "preserve")
}


def _op_node(draw: Any, children: st.SearchStrategy[Any]) -> Any:
    name = draw(st.sampled_from(sorted(_ARITY)))
    low, high = _ARITY[name]
    args = draw(st.lists(children, min_size=low, max_size=min(high, 4)))
    if len(args) == 1 and not OPERATIONS[name].list_only and draw(st.booleans()):
        return {name: args[0]}
    return {name: args}


@st.composite
def rules(draw: Any, depth: int = 0) -> Any:
    leaf = st.one_of(scalars, st.builds(lambda k: {"var": k}, st.sampled_from(KEYS)))
    if depth >= 3:
        return draw(leaf)
    children = rules(depth + 1)
    choice = draw(st.integers(0, 9))
    if choice < 3:
        return draw(leaf)
    if choice == 3:
        return draw(st.lists(children, max_size=3))
    if choice == 4:
        return {"var": [draw(st.sampled_from(KEYS)), draw(children)]}
    return _op_node(draw, children)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def outcome(run: Any, data: Any) -> tuple[str, Any]:
    try:
        return "value", run(data)
    except ExpressionError as error:
        return "error", error.code


def fuse_now(rule: Any) -> Any:
    """The rule fused at once (the default fuses a rule once it runs often), or closures
    for the few shapes that are not fused."""
    try:
        return compile_rule(rule, fused=True)
    except UnfusableError:
        return compile_rule(rule, fused=False)


COMPILERS: dict[str, Any] = {
    "closures": lambda rule: compile_rule(rule, fused=False),
    "fused": fuse_now,
}
both_paths = pytest.mark.parametrize("path", COMPILERS)


@both_paths
@SETTINGS
@given(rule=rules(), data=data_strategy)
def test_compile_gives_what_apply_gives(path: str, rule: Any, data: Any) -> None:
    compile_error = outcome(COMPILERS[path], rule)
    if compile_error[0] == "error":
        assert outcome(lambda d: jsonlogic.apply(rule, d), data) == compile_error
        return
    kind, value = outcome(COMPILERS[path](rule), data)
    expected_kind, expected_value = outcome(lambda d: jsonlogic.apply(rule, d), data)
    assert kind == expected_kind
    assert same(value, expected_value), (value, expected_value)


BENCH_SHAPES = [
    {"==": [{"var": "a"}, "x"]},
    {"!=": [{"var": "a"}, 1]},
    {">=": [{"var": "a"}, 4]},
    {"<": [{"var": "a"}, 2.5]},
    {"and": [{">=": [{"var": "a"}, 3]}, {"or": [{"==": [{"var": "b"}, "x"]}, {"<": [{"var": "c"}, 1]}]}]},
    {"in": [{"var": "a"}, ["x", "y"]]},
    {"in": ["x", {"var": "a"}]},
    {"+": [{"var": "a"}, {"var": "b"}, {"var": "c"}]},
    {"/": [{"+": [{"var": "a"}, {"var": "b"}]}, 2]},
    {"if": [{"<": [{"var": "a"}, 1]}, "low", {"<": [{"var": "a"}, 3]}, "mid", "high"]},
    {
        "if": [
            {"<": [{"+": [{"var": "a"}, {"var": "b"}]}, 1]}, 1,
            {"<=": [{"+": [{"var": "a"}, {"var": "b"}]}, 2]}, 2,
            3,
        ]
    },
    {"<": [0, {"var": "a"}, 10]},
    # constant folding, literal on the left, literal bounds, literal defaults, paths
    {"<": [{"var": "a"}, {"-": [1]}]},
    {"+": [{"*": [2, 3]}, {"var": "a"}]},
    {">": [3, {"var": "a"}]},
    {"==": ["x", {"var": "a"}]},
    {"!==": [2, {"var": "a"}]},
    {"<=": [1, {"var": "a"}, 5]},
    {"<": [{"var": "a"}, {"var": "b"}, 5]},
    {"==": [{"var": ["a", 0]}, 0]},
    {">=": [{"var": ["missing", 2]}, 2]},
    {"var": ["a.b", "d"]},
    {"var": "l.0"},
    {"var": ["l.length", {"var": "b"}]},
    {"in": [{"var": ["a", "x"]}, ["x", "y"]]},
    {"in": ["x", {"var": "s"}]},
    # arithmetic
    {"+": [{"var": "a"}, {"var": "b"}, 5]},
    {"+": [{"var": ["a", 0]}, {"var": "b"}]},
    {"+": [{"var": "a"}, {"var": "b"}, 0.5]},
    {"*": [{"var": "a"}, {"var": "b"}, 2]},
    {"/": [{"var": "a"}, 4]},
    # logic over values that are not booleans
    {"and": [{"var": "a"}, {"var": "b"}]},
    {"or": [{"var": "a"}, "x"]},
    {"or": [{"<": [{"var": "a"}, 1]}, {">": [{"var": "b"}, 2]}, {"==": [{"var": "c"}, "x"]}]},
    {"and": [{"var": "a"}]},
    {"!": [{"var": "a"}]},
    {"!!": [{"var": "a"}]},
    {"if": [{"var": "a"}, 1, {"var": "b"}, 2, 3]},
    {"if": [{"var": "a"}, {"var": "b"}, {"var": "c"}]},
    {"if": [{">=": [{"var": "a"}, 3]}, "A", {">=": [{"var": "a"}, 1]}, "B", "C"]},
    {"if": [{"<": [{"var": "a"}, 1]}, "x", {"<=": [{"var": "a"}, 2]}, "y", "z"]},
]


@both_paths
@SETTINGS
@given(data=data_strategy)
def test_specialised_shapes_agree_with_apply(path: str, data: Any) -> None:
    for rule in BENCH_SHAPES:
        compiled = outcome(COMPILERS[path](rule), data)
        assert compiled[0] == outcome(lambda d, r=rule: jsonlogic.apply(r, d), data)[0]
        if compiled[0] == "value":
            assert same(compiled[1], jsonlogic.apply(rule, data)), rule


# --- infix round trip ---------------------------------------------------------------

names = st.sampled_from(["x", "y", "owner.documented", "a_1.b2", "z"]).map(lambda n: {"var": n})
literals = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
)


def _not_first(op: str, args: list[Any]) -> bool:
    first = args[0]
    return not (isinstance(first, dict) and op in first)


@st.composite
def infix_rules(draw: Any, depth: int = 0) -> Any:
    atoms = st.one_of(names, literals)
    if depth >= 3:
        return draw(atoms)
    sub = infix_rules(depth + 1)
    kind = draw(st.integers(0, 12))
    if kind < 3:
        return draw(atoms)
    if kind == 3:
        op = draw(st.sampled_from(["==", "!=", "===", "!==", "<", "<=", ">", ">=", "in"]))
        return {op: [draw(sub), draw(sub)]}
    if kind == 4:
        return {draw(st.sampled_from(["<", "<="])): [draw(sub), draw(sub), draw(sub)]}
    if kind == 5:
        return {draw(st.sampled_from(["and", "or"])): draw(st.lists(sub, min_size=2, max_size=3))}
    if kind == 6:
        return {"!": [draw(sub)]}
    if kind == 7:
        op = draw(st.sampled_from(["+", "*"]))
        args = draw(st.lists(sub, min_size=2, max_size=3).filter(lambda a: _not_first(op, a)))
        return {op: args}
    if kind == 8:
        return {draw(st.sampled_from(["-", "/", "%"])): [draw(sub), draw(sub)]}
    if kind == 9:
        operand = draw(sub.filter(lambda r: not isinstance(r, int | float) or isinstance(r, bool)))
        return {"-": [operand]}
    if kind == 10:
        count = draw(st.sampled_from([3, 5]))
        args = draw(st.lists(sub, min_size=count, max_size=count))
        if isinstance(args[-1], dict) and "if" in args[-1]:
            args[-1] = None
        return {"if": args}
    if kind == 11:
        return draw(st.lists(sub, max_size=3))
    name = draw(st.sampled_from(["max", "cat", "aa.round", "aa.answered", "aa.if_missing"]))
    op = OPERATIONS[name]
    count = draw(st.integers(max(op.min_args, 1), op.max_args or 2))
    return {name: [draw(sub) for _ in range(count)]}


@SETTINGS
@given(rule=infix_rules())
def test_parse_to_infix_round_trip(rule: Any) -> None:
    text = jsonlogic.to_infix(rule)
    assert jsonlogic.parse(text) == rule, text


@both_paths
@SETTINGS
@given(rule=infix_rules(), data=data_strategy)
def test_parsed_rules_compile_like_apply(path: str, rule: Any, data: Any) -> None:
    compiled = outcome(COMPILERS[path](rule), data)
    applied = outcome(lambda d: jsonlogic.apply(rule, d), data)
    assert compiled[0] == applied[0]
    assert same(compiled[1], applied[1])
