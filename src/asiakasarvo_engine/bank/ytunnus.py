"""Finnish business id (Y-tunnus): format and check digit.

A business id is seven digits, a hyphen and a check digit, e.g. ``0737546-2``. The check
digit comes from the weights 7, 9, 10, 5, 8, 4, 2 applied to the seven digits: the
weighted sum modulo 11 gives remainder 0 -> check digit 0; remainder 1 -> no valid id
exists for these seven digits (they are never issued); otherwise 11 - remainder.

The format is strict: exactly ``[0-9]{7}-[0-9]`` in ASCII, with no surrounding
whitespace, no missing hyphen and no short (six-digit) legacy form. Callers that accept
user input should strip whitespace themselves *before* validating, and show the user the
normalized value they stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2)
"""Weights of the seven digits, left to right."""

_FORMAT = re.compile(r"[0-9]{7}-[0-9]", re.ASCII)
_SEVEN = re.compile(r"[0-9]{7}", re.ASCII)


class BusinessIdIssueKind(StrEnum):
    """What is wrong with a business id."""

    FORMAT = "format"
    CHECK_DIGIT = "check_digit"
    REMAINDER_ONE = "remainder_one"


@dataclass(frozen=True, slots=True)
class BusinessIdIssue:
    """One problem with a business id, with a Finnish and an English text."""

    kind: BusinessIdIssueKind
    fi: str
    en: str


def check_digit(first_seven: str) -> int | None:
    """The check digit for seven ASCII digits, or None when remainder 1 forbids any.

    Raises ``ValueError`` when ``first_seven`` is not exactly seven ASCII digits.
    """
    if _SEVEN.fullmatch(first_seven) is None:
        raise ValueError(f"expected exactly 7 digits, got {first_seven!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first_seven, WEIGHTS, strict=True))
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def business_id_issue(text: str) -> BusinessIdIssue | None:
    """The problem with ``text`` as a business id (fi/en texts), or None when valid."""
    if _FORMAT.fullmatch(text) is None:
        return BusinessIdIssue(
            BusinessIdIssueKind.FORMAT,
            fi="odotettiin 7 numeroa, yhdysmerkki ja tarkistusnumero (1234567-8)",
            en="expected 7 digits, a hyphen and a check digit (1234567-8)",
        )
    expected = check_digit(text[:7])
    if expected is None:
        return BusinessIdIssue(
            BusinessIdIssueKind.REMAINDER_ONE,
            fi="jakojäännös 1: näille numeroille ei ole kelvollista tarkistusnumeroa",
            en="remainder 1: no valid check digit exists for these digits",
        )
    given = int(text[8])
    if given != expected:
        return BusinessIdIssue(
            BusinessIdIssueKind.CHECK_DIGIT,
            fi=f"tarkistusnumero on {given}, odotettiin {expected}",
            en=f"check digit is {given}, expected {expected}",
        )
    return None


def business_id_problem(text: str) -> str | None:
    """A short English reason why ``text`` is not a valid business id, or None when valid."""
    issue = business_id_issue(text)
    return None if issue is None else issue.en


def is_valid_business_id(text: str) -> bool:
    """True when ``text`` is a well-formed business id with a correct check digit."""
    return business_id_issue(text) is None
