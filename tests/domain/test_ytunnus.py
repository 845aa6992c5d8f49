"""Behaviour of the Finnish business id (Y-tunnus) check.

Hand calculations (weights 7, 9, 10, 5, 8, 4, 2; sum mod 11):
- 0737546: 0+63+30+35+40+16+12 = 196; 196 mod 11 = 9; check 11-9 = 2 -> 0737546-2
- 1572860: 7+45+70+10+64+24+0 = 220; 220 mod 11 = 0; check 0 -> 1572860-0
- 1234567: 7+18+30+20+40+24+14 = 153; 153 mod 11 = 10; check 1 -> 1234567-1
- 0000006: 6*2 = 12; 12 mod 11 = 1 -> no valid check digit
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiakasarvo_engine.bank.ytunnus import (
    BusinessIdIssueKind,
    business_id_issue,
    business_id_problem,
    check_digit,
    is_valid_business_id,
)

FORMAT_REASON = "expected 7 digits, a hyphen and a check digit (1234567-8)"


@pytest.mark.parametrize("text", ["0737546-2", "1572860-0", "1234567-1", "0000000-0"])
def test_valid_ids(text: str) -> None:
    assert is_valid_business_id(text)
    assert business_id_problem(text) is None
    assert business_id_issue(text) is None


@pytest.mark.parametrize(
    ("first_seven", "expected"),
    [("0737546", 2), ("1572860", 0), ("1234567", 1), ("0000006", None), ("0000030", None)],
)
def test_check_digit(first_seven: str, expected: int | None) -> None:
    assert check_digit(first_seven) == expected


def test_wrong_check_digit() -> None:
    assert business_id_problem("0737546-3") == "check digit is 3, expected 2"
    issue = business_id_issue("1572860-8")
    assert issue is not None
    assert issue.kind is BusinessIdIssueKind.CHECK_DIGIT
    assert issue.en == "check digit is 8, expected 0"
    assert issue.fi == "tarkistusnumero on 8, odotettiin 0"
    assert not is_valid_business_id("0737546-3")


@pytest.mark.parametrize("digit", list("0123456789"))
def test_remainder_one_has_no_valid_check_digit(digit: str) -> None:
    text = f"0000006-{digit}"
    assert business_id_problem(text) == "remainder 1: no valid check digit exists for these digits"
    issue = business_id_issue(text)
    assert issue is not None
    assert issue.kind is BusinessIdIssueKind.REMAINDER_ONE


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 0737546-2",
        "0737546-2 ",
        "0737546-2\n",
        "0737546 -2",
        "07375462",
        "0737546_2",
        "0737546–2",  # en dash
        "073754A-2",
        "0737546-X",
        "07375460-2",
        "737546-2",
        "0737546-22",
        "FI07375462",
        "٠٧٣٧٥٤٦-٢",  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_malformed_strings(text: str) -> None:
    assert business_id_problem(text) == FORMAT_REASON
    issue = business_id_issue(text)
    assert issue is not None
    assert issue.kind is BusinessIdIssueKind.FORMAT
    assert issue.fi.startswith("odotettiin 7 numeroa")
    assert not is_valid_business_id(text)


@pytest.mark.parametrize("bad", ["123456", "12345678", "123456a", " 123456"])
def test_check_digit_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError, match="7 digits"):
        check_digit(bad)


@given(st.from_regex(r"\A[0-9]{7}\Z"))
def test_exactly_one_check_digit_or_none(first_seven: str) -> None:
    digit = check_digit(first_seven)
    valid = [d for d in range(10) if is_valid_business_id(f"{first_seven}-{d}")]
    assert valid == ([] if digit is None else [digit])


@given(st.text(max_size=12))
def test_never_raises_on_any_text(text: str) -> None:
    problem = business_id_problem(text)
    assert problem is None or isinstance(problem, str)
    assert is_valid_business_id(text) is (problem is None)
