"""An unbalanced bracket is reported where it stands, not at the parser's wrapping."""

from __future__ import annotations

import pytest

from asiakasarvo_engine.jsonlogic import ExpressionError, parse


@pytest.mark.parametrize(("text", "column", "found"), [
    ("a.b + (1", 7, "'(' is never closed"),
    ("a in [1, 2", 6, "'[' is never closed"),
    ('a.b == "(" and (b', 16, "'(' is never closed"),
    ("a)", 2, "')' closes nothing"),
    ("(a]", 3, "']' closes nothing"),
])
def test_unbalanced_brackets_point_at_the_bracket(text: str, column: int, found: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.code == "EXPR-001"
    assert caught.value.column == column
    assert found in str(caught.value)


@pytest.mark.parametrize("text", ['x == "it\\"s ("', "x == 'a(b'", "x in ['[', ')']"])
def test_brackets_inside_strings_do_not_count(text: str) -> None:
    assert parse(text)["==" if "==" in text else "in"]
