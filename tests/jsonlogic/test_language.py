"""Unit tests of the expression language: semantics, extensions, errors, limits, infix."""

from __future__ import annotations

import math
import tracemalloc
from typing import Any

import pytest

from asiakasarvo_engine.errors import EngineError, SecurityError
from asiakasarvo_engine.jsonlogic import (
    OPERATIONS,
    CompiledRule,
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionLimitError,
    apply,
    compile,
    is_portable,
    parse,
    to_infix,
    validate,
    variables_of,
)
from asiakasarvo_engine.jsonlogic._astgen import UnfusableError
from asiakasarvo_engine.jsonlogic._compiler import compile_rule


def both(rule: Any, data: Any = None) -> Any:
    """Evaluate with apply and both compiled paths (fused and closures); they must agree."""
    result = apply(rule, data)
    compiled = compile(rule)(data)
    assert repr(result) == repr(compiled)
    assert repr(result) == repr(compile_rule(rule, fused=False)(data))
    try:
        fused = compile_rule(rule, fused=True)
    except UnfusableError:
        return result
    assert repr(result) == repr(fused(data))
    return result


# --- json-logic-js semantics ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"+": [1, 1]}, 2),
        ({"+": [0.1, 0.2]}, 0.30000000000000004),
        ({"*": [2, "3"]}, 6),
        ({"/": [1, 2]}, 0.5),
        ({"/": [4, 2]}, 2),
        ({"%": [-7, 2]}, -1),
        ({"-": ["5"]}, -5),
        ({"==": [1, "1"]}, True),
        ({"==": [[1], 1]}, True),
        ({"==": [[], ""]}, True),
        ({"==": [None, 0]}, False),
        ({"==": [None, None]}, True),
        ({"===": [1, 1.0]}, True),
        ({"===": [1, "1"]}, False),
        ({"<": ["10", "9"]}, True),
        ({"<": [1, "9"]}, True),
        ({"<=": [1, 2, 3]}, True),
        ({"<": [1, 5, 3]}, False),
        ({"!!": [[]]}, False),
        ({"!!": ["0"]}, True),
        ({"!": [{}]}, False),
        ({"cat": ["a", 1, None, 2.5, True]}, "a12.5true"),
        ({"cat": [[1, [2, 3]]]}, "1,2,3"),
        ({"substr": ["jsonlogic", -5, -2]}, "log"),
        ({"in": ["Spring", "Springfield"]}, True),
        ({"in": [1, ["1"]]}, False),
        ({"merge": [[1], 2, [[3]]]}, [1, 2, [3]]),
        ({"max": [1, "3", 2]}, 3),
        ({"min": []}, math.inf),
        ({"if": [False, 1]}, None),
        ({"?:": [True, "y", "n"]}, "y"),
        ({"and": []}, None),
        ({"or": [0, "", "x"]}, "x"),
    ],
)
def test_js_semantics(rule: Any, expected: Any) -> None:
    result = both(rule)
    assert result == expected
    assert type(result) is type(expected)


def test_nan_is_a_value() -> None:
    assert math.isnan(both({"+": ["abc", 1]}))
    assert math.isnan(both({"/": [0, 0]}))
    assert both({"/": [1, 0]}) == math.inf


def test_var_paths_indexes_defaults() -> None:
    data = {"a": {"b": [10, {"c": "deep"}]}, "n": None, "s": "text"}
    assert both({"var": "a.b.1.c"}, data) == "deep"
    assert both({"var": ["a.x", "dflt"]}, data) == "dflt"
    assert both({"var": ["n", "dflt"]}, data) is None  # present null is not missing
    assert both({"var": 1}, ["x", "y"]) == "y"
    assert both({"var": "s.length"}, data) == 4
    assert both({"var": ""}, 5) == 5
    assert both({"missing": ["a", "n", "zz"]}, data) == ["n", "zz"]
    assert both({"missing_some": [1, ["a", "zz"]]}, data) == []
    assert both({"missing_some": [2, ["a", "zz"]]}, data) == ["zz"]


def test_iteration() -> None:
    data = {"xs": [1, 2, 3]}
    assert both({"map": [{"var": "xs"}, {"*": [{"var": ""}, 2]}]}, data) == [2, 4, 6]
    assert both({"filter": [{"var": "xs"}, {">": [{"var": ""}, 1]}]}, data) == [2, 3]
    reduce_rule = {"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]}
    assert both(reduce_rule, data) == 6
    assert both({"all": [[], {"var": ""}]}) is False
    assert both({"some": [{"var": "xs"}, {"==": [{"var": ""}, 2]}]}, data) is True
    assert both({"none": [{"var": "xs"}, {"==": [{"var": ""}, 9]}]}, data) is True


def test_community_operations() -> None:
    assert both({"val": ["a", "b"]}, {"a": {"b": 1}}) == 1
    assert both({"exists": "a"}, {"a": None}) is True
    assert both({"??": [None, 0, 1]}) == 0
    assert both({"try": [{"throw": "oops"}, {"var": "type"}]}) == "oops"
    with pytest.raises(ExpressionEvaluationError) as caught:
        apply({"throw": "oops"})
    assert caught.value.error_type == "oops"
    assert caught.value.code == "EXPR-010"


# --- extensions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        ({"aa.answered": [{"var": "x"}]}, {"x": 0}, True),
        ({"aa.answered": [{"var": "x"}]}, {"x": ""}, False),
        ({"aa.answered": [{"var": "x"}]}, {"x": []}, False),
        ({"aa.answered": [{"var": "x"}]}, {}, False),
        ({"aa.count_answered": [{"var": "x"}, {"var": "y"}, {"var": "z"}]}, {"x": 1, "y": ""}, 1),
        ({"aa.count_answered": [{"var": "xs"}]}, {"xs": [1, None, "a", []]}, 2),
        ({"aa.sum": [{"var": "xs"}]}, {"xs": [1, None, 2.5, ""]}, 3.5),
        ({"aa.sum": [1, None, "2"]}, None, 3),
        ({"aa.avg": [{"var": "xs"}]}, {"xs": [1, None, 2]}, 1.5),
        ({"aa.avg": [[]]}, None, None),
        ({"aa.between": [5, 1, 5]}, None, True),
        ({"aa.between": [None, 1, 5]}, None, False),
        ({"aa.round": [2.5]}, None, 3),
        ({"aa.round": [-2.5]}, None, -3),
        ({"aa.round": [2.675, 2]}, None, 2.68),
        ({"aa.round": [1234, -2]}, None, 1200),
        ({"aa.round": [None, 1]}, None, None),
        ({"aa.clamp": [12, 0, 10]}, None, 10),
        ({"aa.clamp": [-1, 0, 10]}, None, 0),
        ({"aa.ratio": [1, 4]}, None, 0.25),
        ({"aa.ratio": [1, 0]}, None, None),
        ({"aa.ratio": [1, None]}, None, None),
        ({"aa.if_missing": [{"var": "x"}, "d"]}, {"x": ""}, "d"),
        ({"aa.if_missing": [{"var": "x"}, "d"]}, {"x": 0}, 0),
        ({"aa.len": [{"var": "x"}]}, {"x": [1, 2]}, 2),
        ({"aa.len": [{"var": "x"}]}, {}, 0),
    ],
)
def test_extensions(rule: Any, data: Any, expected: Any) -> None:
    result = both(rule, data)
    assert result == expected
    assert type(result) is type(expected)


def test_extension_sum_refuses_text() -> None:
    with pytest.raises(ExpressionEvaluationError):
        apply({"aa.sum": ["abc"]})


def test_portability() -> None:
    assert is_portable({"and": [{"==": [{"var": "a"}, 1]}, {"in": ["x", ["x"]]}]})
    assert not is_portable({"aa.answered": [{"var": "a"}]})
    assert not is_portable({"val": "a"})
    assert all(name.startswith("aa.") for name in OPERATIONS if "." in name)


# --- errors and validation -----------------------------------------------------------


def test_unknown_operation_has_pointer_and_suggestion() -> None:
    with pytest.raises(ExpressionError) as caught:
        validate({"and": [{"==": [1, 1]}, {"<": [{"vra": "x"}, 1]}]})
    error = caught.value
    assert error.code == "EXPR-002"
    assert error.pointer == "/and/1/</0"
    assert error.found == "vra"
    assert "did you mean 'var'" in str(error)
    assert isinstance(error, EngineError)


def test_unknown_extension_suggests_namespace() -> None:
    with pytest.raises(ExpressionError, match=r"aa\.round"):
        validate({"round": [1]})


@pytest.mark.parametrize(
    "rule",
    [
        {"==": [1]},
        {"==": 1},
        {"if": 5},
        {"aa.between": [1, 2]},
        {"missing_some": [1]},
        {"map": [[1]]},
    ],
)
def test_malformed_arguments(rule: Any) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile(rule)
    assert caught.value.code == "EXPR-008"
    with pytest.raises(ExpressionError):
        apply(rule)


def test_pointer_escapes() -> None:
    with pytest.raises(ExpressionError) as caught:
        validate({"/": [1, {"x~y": 1}]})
    assert caught.value.pointer == "/~1/1"


@pytest.mark.parametrize("fused", [True, False])
def test_runtime_error_pointer_in_compiled_rule(fused: bool | None) -> None:
    with pytest.raises(ExpressionEvaluationError) as caught:
        compile_rule({"and": [True, {"aa.sum": ["x"]}]}, fused=fused)(None)
    assert caught.value.pointer == "/and/1/aa.sum"


def test_literal_subtrees_are_folded_but_fail_at_run_time() -> None:
    assert both({"+": [{"*": [2, 3]}, {"-": [1]}]}) == 5
    assert both({"<": [{"var": "x"}, {"-": [1]}]}, {"x": -2}) is True
    assert both({"if": [{"==": [1, "1"]}, [1, 2], 3]}) == [1, 2]
    rule = {"or": [{"var": "x"}, {"cat": ["x" * 10_000] * 11}]}
    compiled = compile(rule)  # the literal cat is too long: refused when evaluated
    assert compiled({"x": 1}) == 1
    with pytest.raises(ExpressionLimitError) as caught:
        compiled({"x": 0})
    assert caught.value.code == "EXPR-007"


def test_non_json_values_are_refused() -> None:
    with pytest.raises(ExpressionError) as caught:
        validate({"==": [{1, 2}, 1]})
    assert caught.value.code == "EXPR-003"


# --- limits: one test per bound ------------------------------------------------------


def _nested_ifs(levels: int) -> Any:
    rule: Any = 1
    for _ in range(levels):
        rule = {"if": [True, rule, 0]}
    return rule


def test_depth_bound_json() -> None:
    with pytest.raises(ExpressionLimitError) as caught:
        compile(_nested_ifs(10_000))
    assert caught.value.code == "EXPR-004"
    assert isinstance(caught.value, SecurityError)
    compile(_nested_ifs(30))


def test_depth_bound_infix() -> None:
    text = "1 if a else " * 10_000 + "0"
    with pytest.raises(ExpressionLimitError):
        parse(text)
    with pytest.raises(ExpressionLimitError) as caught:
        parse("(" * 100 + "x" + ")" * 100)
    assert caught.value.code == "EXPR-004"
    assert caught.value.column == 65


def test_node_count_bound() -> None:
    with pytest.raises(ExpressionLimitError) as caught:
        validate({"+": list(range(6000))})
    assert caught.value.code == "EXPR-005"


def test_cyclic_rule_is_refused() -> None:
    rule: dict[str, Any] = {"and": []}
    rule["and"].append(rule)
    with pytest.raises(ExpressionLimitError):
        validate(rule)


@pytest.mark.parametrize(
    "number",
    [10**16, -(10**16), 1e300, 10**5000, math.inf, math.nan],
    ids=["1e16", "-1e16", "1e300", "5000-digits", "inf", "nan"],
)
def test_number_bound(number: Any) -> None:
    with pytest.raises(ExpressionLimitError) as caught:
        validate({"+": [number, 1]})
    assert caught.value.code == "EXPR-006"


def test_number_bound_infix() -> None:
    with pytest.raises(ExpressionLimitError) as caught:
        parse("x < 10000000000000000")
    assert caught.value.code == "EXPR-006"
    assert caught.value.column == 5
    with pytest.raises(ExpressionError):
        parse("x < " + "9" * 5000)


def test_string_literal_bound() -> None:
    with pytest.raises(ExpressionLimitError) as caught:
        validate({"cat": ["x" * 20_000]})
    assert caught.value.code == "EXPR-007"


def test_computed_string_bound() -> None:
    rule = {"cat": [{"var": "s"}, {"var": "s"}, {"var": "s"}]}
    with pytest.raises(ExpressionLimitError) as caught:
        compile(rule)({"s": "x" * 40_000})
    assert caught.value.code == "EXPR-007"


def test_computed_list_bound() -> None:
    rule = {"merge": [{"var": "l"}, {"var": "l"}, {"var": "l"}]}
    with pytest.raises(ExpressionLimitError):
        apply(rule, {"l": list(range(40_000))})


def test_source_length_bound() -> None:
    with pytest.raises(ExpressionLimitError):
        parse("x + " * 10_000 + "1")


def test_huge_arithmetic_is_refused_with_bounded_memory() -> None:
    tracemalloc.start()
    try:
        for text in ['"a" * 10**9', "9**9**9"]:
            with pytest.raises(ExpressionError) as caught:
                parse(text)
            assert caught.value.code == "EXPR-003"
        assert math.isnan(apply({"*": ["a", 1e9]}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # either result would need about a gigabyte


# --- compiled rules ------------------------------------------------------------------


def test_compiled_rule_is_immutable_and_knows_its_variables() -> None:
    rule = {"and": [{"==": [{"var": "a.b"}, 1]}, {"missing": ["c", "d"]}]}
    compiled = compile(rule)
    assert isinstance(compiled, CompiledRule)
    assert compiled.variables == frozenset({"a.b", "c", "d"})
    assert compiled.dynamic is False
    rule["and"].clear()
    assert compiled.rule == {"and": [{"==": [{"var": "a.b"}, 1]}, {"missing": ["c", "d"]}]}
    with pytest.raises(AttributeError):
        compiled.rule = {}  # type: ignore[misc]
    with pytest.raises(AttributeError):
        compiled.func = print  # type: ignore[misc]


def test_dynamic_variables() -> None:
    assert compile({"var": {"cat": ["a", "b"]}}).dynamic
    assert compile({"var": ""}).dynamic
    assert not compile({"map": [{"var": "xs"}, {"var": "price"}]}).dynamic
    assert variables_of({"map": [{"var": "xs"}, {"var": "price"}]}) == frozenset({"xs"})
    assert variables_of({"missing_some": [1, ["p", "q"]]}) == frozenset({"p", "q"})


# --- infix -----------------------------------------------------------------------------


def test_parse_example_from_issue() -> None:
    text = "owner_strategy.documented == 'yes' and financial_position.equity_ratio < 20"
    assert parse(text) == {
        "and": [
            {"==": [{"var": "owner_strategy.documented"}, "yes"]},
            {"<": [{"var": "financial_position.equity_ratio"}, 20]},
        ]
    }


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("1 <= x <= 5", {"<=": [1, {"var": "x"}, 5]}),
        ("a < b <= c", {"and": [{"<": [{"var": "a"}, {"var": "b"}]}, {"<=": [{"var": "b"}, {"var": "c"}]}]}),
        ("x not in ['a', 'b']", {"!": [{"in": [{"var": "x"}, ["a", "b"]]}]}),
        ("x in ('a',)", {"in": [{"var": "x"}, ["a"]]}),
        ("not x", {"!": [{"var": "x"}]}),
        ("-x % 3", {"%": [{"-": [{"var": "x"}]}, 3]}),
        ("x == null or y is None", {"or": [{"==": [{"var": "x"}, None]}, {"===": [{"var": "y"}, None]}]}),
        ("true and False", {"and": [True, False]}),
        ("'a' if c else 'b'", {"if": [{"var": "c"}, "a", "b"]}),
        ("round(x, 1)", {"aa.round": [{"var": "x"}, 1]}),
        ("aa.round(x)", {"aa.round": [{"var": "x"}]}),
        ("answered(x.y)", {"aa.answered": [{"var": "x.y"}]}),
        ("var('a.b', 0)", {"var": ["a.b", 0]}),
        ("var('items.0')", {"var": "items.0"}),
        ("max(a, 2) * 2", {"*": [{"max": [{"var": "a"}, 2]}, 2]}),
    ],
)
def test_parse(text: str, rule: Any) -> None:
    assert parse(text) == rule


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("x[0]", 1),
        ("a and f(x).y", 7),
        ("lambda: 1", 1),
        ("[v for v in xs]", 1),
        ("x ** 2", 1),
        ("f'{x}'", 1),
        ("x // 2", 1),
        ("{'a': 1}", 1),
        ("max(a, key=b)", 8),
        ("'s'.upper()", 1),
        ("~x", 1),
    ],
)
def test_refused_syntax(text: str, column: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.code == "EXPR-003"
    assert caught.value.column == column


def test_syntax_error_and_unknown_function_columns() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("a == ")
    assert caught.value.code == "EXPR-001"
    assert caught.value.column is not None
    assert caught.value.column >= 1
    with pytest.raises(ExpressionError) as caught:
        parse("x and roundd(y)")
    assert caught.value.code == "EXPR-002"
    assert caught.value.column == 7
    assert "round" in str(caught.value)


def test_columns_count_characters_not_bytes() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("'ääkköset' == x[0]")
    assert caught.value.column == 15


def test_to_infix() -> None:
    assert to_infix({"<=": [1, {"var": "x"}, 5]}) == "1 <= x <= 5"
    assert to_infix({"var": "if"}) == "var('if')"
    assert to_infix({"!!": [{"var": "a"}]}) == "bool(a)"
    with pytest.raises(ExpressionError):
        to_infix({"==": [{"a": 1, "b": 2}, 1]})
