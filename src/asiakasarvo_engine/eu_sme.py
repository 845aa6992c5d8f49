"""The EU SME size class decision (Commission Recommendation 2003/361/EC, Annex, Article 2).

The one definition of the size class: the expression language offers it to banks as
``aa.sme_size_class(staff, turnover, balance)`` (the bank's calculated
``basic_info.size_class``), and the scoring builds its size-class result with its reasons
on it (``scoring.sme``). It sits below both, with no dependencies of its own.

A class holds when the staff limit holds AND at least one of the two financial limits
holds. Missing figures follow three-valued logic: a missing figure makes its own limit
unknown, and the class is decided when the figures present decide it (5 staff and a EUR
3 million balance sheet with no turnover: micro if the turnover is at most EUR 2 million,
else small, so undetermined; 300 staff: large whatever the money). Otherwise the class
is undetermined (None) and the classes still possible are known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class SizeClass(StrEnum):
    """Enterprise size class, smallest first."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def rank(self) -> int:
        """0 for micro up to 3 for large; larger is bigger."""
        return _ORDER.index(self)

    @property
    def label_fi(self) -> str:
        """Finnish label."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """English label."""
        return _LABELS[self][1]

    @property
    def is_sme(self) -> bool:
        """True for micro, small and medium."""
        return self is not SizeClass.LARGE


_ORDER: tuple[SizeClass, ...] = (
    SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE,
)
_LABELS: dict[SizeClass, tuple[str, str]] = {
    SizeClass.MICRO: ("mikroyritys", "micro enterprise"),
    SizeClass.SMALL: ("pieni yritys", "small enterprise"),
    SizeClass.MEDIUM: ("keskisuuri yritys", "medium-sized enterprise"),
    SizeClass.LARGE: ("suuri yritys (ei pk-yritys)", "large enterprise (not an SME)"),
}


@dataclass(frozen=True, slots=True)
class SizeLimits:
    """The ceilings of one SME class: staff strictly below, money at most."""

    size_class: SizeClass
    staff_fewer_than: int
    turnover_at_most_eur: int
    balance_sheet_at_most_eur: int

    def held(self, staff: float | None, turnover: float | None, balance: float | None,
             ) -> tuple[bool | None, bool | None, bool | None]:
        """Whether each of the three limits holds (None: the figure is missing)."""
        return (None if staff is None else staff < self.staff_fewer_than,
                None if turnover is None else turnover <= self.turnover_at_most_eur,
                None if balance is None else balance <= self.balance_sheet_at_most_eur)


LIMITS: tuple[SizeLimits, ...] = (
    SizeLimits(SizeClass.MICRO, 10, 2_000_000, 2_000_000),
    SizeLimits(SizeClass.SMALL, 50, 10_000_000, 10_000_000),
    SizeLimits(SizeClass.MEDIUM, 250, 50_000_000, 43_000_000),
)
"""Ceilings of micro, small and medium (Annex Art. 2), as plain data."""


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def qualifies(held: tuple[bool | None, bool | None, bool | None]) -> bool | None:
    """The staff limit and either money limit (three-valued: None is unknown)."""
    staff, turnover, balance = held
    return _and(staff, _or(turnover, balance))


def figure(name: str, value: float | None) -> float | None:
    """A figure as the decision reads it: None stays missing; a number must be finite and
    not negative (``ValueError``); anything else is a ``TypeError``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number or None, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the float range
        number = math.inf
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite non-negative number, got {value!r}")
    return number


def possible_classes(staff: float | None, turnover: float | None, balance: float | None,
                     ) -> tuple[SizeClass, ...]:
    """The classes the figures (read with :func:`figure`) leave possible, smallest first;
    exactly one when they decide the class."""
    possible: list[SizeClass] = []
    # Classes are nested (micro within small within medium), so the class is the
    # smallest one that qualifies, provided every smaller one surely does not.
    for limits in LIMITS:
        verdict = qualifies(limits.held(staff, turnover, balance))
        if verdict is True:
            possible.append(limits.size_class)
            return tuple(possible)
        if verdict is None:
            possible.append(limits.size_class)
    possible.append(SizeClass.LARGE)
    return tuple(possible)


def size_class(staff: float | None, turnover: float | None, balance: float | None) -> SizeClass | None:
    """The size class the figures decide, or None when they leave more than one possible."""
    possible = possible_classes(figure("staff_headcount", staff), figure("annual_turnover", turnover),
                                figure("balance_sheet_total", balance))
    return possible[0] if len(possible) == 1 else None
