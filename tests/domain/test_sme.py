"""EU SME size class (Recommendation 2003/361/EC): edges, missing figures, monotonicity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiakasarvo_engine.scoring.sme import LIMITS, SizeClass, sme_size_class

M = 1_000_000
MICRO, SMALL, MEDIUM, LARGE = SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE


@pytest.mark.parametrize(
    ("staff", "turnover", "balance", "expected"),
    [
        # micro edges
        (9, 2 * M, 2 * M, MICRO),
        (9, 2 * M, 5 * M, MICRO),  # exactly 2 MEUR turnover is within the limit
        (9, 5 * M, 2 * M, MICRO),  # exactly 2 MEUR balance sheet is within the limit
        (10, 1 * M, 1 * M, SMALL),  # exactly 10 staff is not "fewer than 10"
        (9.99, 1 * M, 1 * M, MICRO),  # AWU may be fractional
        (9, 2 * M + 1, 2 * M + 1, SMALL),  # both financial limits exceeded -> not micro
        (9, 2 * M + 1, 1 * M, MICRO),  # only turnover exceeded -> still micro
        (9, 1 * M, 30 * M, MICRO),  # only balance sheet exceeded -> still micro
        (0, 0, 0, MICRO),
        # small edges
        (49, 10 * M, 10 * M, SMALL),
        (50, 10 * M, 10 * M, MEDIUM),
        (49, 10 * M + 1, 10 * M + 1, MEDIUM),
        (49, 10 * M + 1, 10 * M, SMALL),
        # medium edges: 50 MEUR turnover vs 43 MEUR balance sheet
        (249, 50 * M, 43 * M, MEDIUM),
        (250, 1 * M, 1 * M, LARGE),
        (249, 50 * M, 90 * M, MEDIUM),  # turnover at its limit
        (249, 90 * M, 43 * M, MEDIUM),  # balance sheet at its limit
        (249, 50 * M + 1, 43 * M + 1, LARGE),  # both exceeded
        (100, 45 * M, 45 * M, MEDIUM),  # 45 MEUR balance sheet is over 43 but turnover holds
        (100, 51 * M, 44 * M, LARGE),
    ],
)
def test_size_class_edges(
    staff: float, turnover: float, balance: float, expected: SizeClass
) -> None:
    result = sme_size_class(staff, turnover, balance)
    assert result.size_class is expected
    assert result.determined
    assert result.possible_classes == (expected,)
    assert result.missing == ()
    assert result.label_fi == expected.label_fi
    assert result.label_en == expected.label_en
    assert result.reason_fi
    assert result.reason_en


def test_labels_are_finnish_and_english() -> None:
    assert MICRO.label_fi == "mikroyritys"
    assert LARGE.label_en == "large enterprise (not an SME)"
    assert not LARGE.is_sme
    assert MEDIUM.is_sme


def test_reason_names_the_limits() -> None:
    result = sme_size_class(10, 1 * M, 1 * M)
    assert "staff 10 >= 10" in result.reason_en
    assert "henkilöstö 10 >= 10" in result.reason_fi
    assert "small enterprise: limits held" in result.reason_en


def test_checks_record_each_limit() -> None:
    result = sme_size_class(9, 2 * M, 5 * M)
    micro = [c for c in result.checks if c.size_class is MICRO]
    assert [(c.figure, c.held) for c in micro] == [
        ("staff_headcount", True),
        ("annual_turnover", True),
        ("balance_sheet_total", False),
    ]


def test_limits_data() -> None:
    assert [(lim.staff_fewer_than, lim.turnover_at_most_eur, lim.balance_sheet_at_most_eur)
            for lim in LIMITS] == [(10, 2 * M, 2 * M), (50, 10 * M, 10 * M), (250, 50 * M, 43 * M)]


def test_limitation_and_source_are_stated() -> None:
    result = sme_size_class(5, 1 * M, 1 * M)
    assert "2003/361/EC" in result.source
    assert "partner" in result.limitation_en
    assert "kumppaniyritys" in result.limitation_fi


# Missing figures: decided when the present figures decide it.


def test_missing_turnover_but_balance_sheet_decides_micro() -> None:
    result = sme_size_class(5, None, 1.5 * M)
    assert result.size_class is MICRO
    assert result.missing == ("annual_turnover",)


def test_missing_financials_with_large_staff_is_large() -> None:
    result = sme_size_class(300, None, None)
    assert result.size_class is LARGE


def test_missing_staff_with_both_financials_over_medium_is_large() -> None:
    result = sme_size_class(None, 60 * M, 50 * M)
    assert result.size_class is LARGE


def test_missing_staff_is_undetermined() -> None:
    result = sme_size_class(None, 1 * M, 1 * M)
    assert result.size_class is None
    assert not result.determined
    assert result.possible_classes == (MICRO, SMALL, MEDIUM, LARGE)
    assert result.missing == ("staff_headcount",)
    assert "missing: staff" in result.reason_en
    assert "puuttuu: henkilöstö" in result.reason_fi
    assert result.label_en.startswith("undetermined")
    assert result.label_fi.startswith("ei määritettävissä")


def test_missing_financials_with_micro_staff_gives_range() -> None:
    result = sme_size_class(5, None, None)
    assert result.size_class is None
    assert result.possible_classes == (MICRO, SMALL, MEDIUM, LARGE)
    assert result.missing == ("annual_turnover", "balance_sheet_total")


def test_one_financial_over_micro_other_missing_is_micro_or_small() -> None:
    result = sme_size_class(5, 3 * M, None)
    assert result.size_class is None
    assert result.possible_classes == (MICRO, SMALL)


def test_all_missing() -> None:
    result = sme_size_class(None, None, None)
    assert result.size_class is None
    assert len(result.missing) == 3


@pytest.mark.parametrize(
    "args",
    [(-1, 1, 1), (1, -1, 1), (1, 1, -0.5), (math.nan, 1, 1), (1, math.inf, 1)],
)
def test_invalid_figures_raise(args: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError, match="finite non-negative"):
        sme_size_class(*args)


def test_bool_is_not_a_number() -> None:
    with pytest.raises(TypeError):
        sme_size_class(True, 1, 1)


# Properties

_staff = st.one_of(st.integers(0, 400), st.floats(0, 400, allow_nan=False))
_money = st.one_of(
    st.integers(0, 80 * M),
    st.sampled_from([2 * M, 10 * M, 43 * M, 50 * M, 2 * M + 1, 10 * M + 1, 43 * M + 1, 50 * M + 1]),
)
_delta = st.integers(0, 30 * M)


@given(_staff, _money, _money, st.integers(0, 300), _delta, _delta)
def test_monotone_in_every_input(
    staff: float, turnover: int, balance: int, d_staff: int, d_turn: int, d_bal: int
) -> None:
    base = sme_size_class(staff, turnover, balance).size_class
    assert base is not None
    for bigger in (
        sme_size_class(staff + d_staff, turnover, balance),
        sme_size_class(staff, turnover + d_turn, balance),
        sme_size_class(staff, turnover, balance + d_bal),
    ):
        assert bigger.size_class is not None
        assert bigger.size_class.rank >= base.rank


@given(_staff, _money, _money, st.sets(st.sampled_from([0, 1, 2])))
def test_missing_figures_never_contradict_full_data(
    staff: float, turnover: int, balance: int, drop: set[int]
) -> None:
    full = sme_size_class(staff, turnover, balance).size_class
    assert full is not None
    values: list[float | None] = [staff, turnover, balance]
    for index in drop:
        values[index] = None
    partial = sme_size_class(*values)
    assert full in partial.possible_classes
    if partial.size_class is not None:
        assert partial.size_class is full
