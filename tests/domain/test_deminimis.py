"""De minimis arithmetic of the programme and the Regulation (EU) 2023/2831 ceiling."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiakasarvo_engine.scoring.deminimis import CEILING_EUR, de_minimis_statement
from asiakasarvo_engine.scoring.sme import SizeClass

SMES = [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM]


@pytest.mark.parametrize(
    ("size_class", "own_share", "path_aid", "total"),
    [
        (SizeClass.MICRO, 300, 3600, 4600),
        (SizeClass.SMALL, 600, 3300, 4300),
        (SizeClass.MEDIUM, 900, 3000, 4000),
    ],
)
def test_programme_arithmetic(
    size_class: SizeClass, own_share: int, path_aid: int, total: int
) -> None:
    s = de_minimis_statement(size_class, 0, include_path=True)
    assert s.eligible
    assert s.analysis_aid == Decimal(1000)
    assert s.path_market_price == Decimal(3900)
    assert s.path_own_share == Decimal(own_share)
    assert s.path_aid == Decimal(path_aid)
    assert s.total_new_aid == Decimal(total)
    assert s.headroom_before == Decimal(300_000)
    assert s.headroom_after == Decimal(300_000 - total)
    assert not s.exceeds_ceiling
    assert s.excess == 0
    assert s.warning_fi is None
    assert s.warning_en is None
    assert "2023/2831" in s.regulation


@pytest.mark.parametrize("size_class", SMES)
def test_analysis_only(size_class: SizeClass) -> None:
    s = de_minimis_statement(size_class, 10_000, include_path=False)
    assert s.total_new_aid == Decimal(1000)
    assert s.path_aid == 0
    assert s.path_own_share == 0
    assert not s.path_included
    assert s.headroom_before == Decimal(290_000)
    assert s.headroom_after == Decimal(289_000)


def test_exactly_at_the_ceiling_is_allowed() -> None:
    s = de_minimis_statement(SizeClass.MICRO, 300_000 - 4600, include_path=True)
    assert not s.exceeds_ceiling
    assert s.headroom_before == Decimal(4600)
    assert s.headroom_after == 0
    assert s.excess == 0
    assert s.warning_en is None


def test_one_cent_over_the_ceiling_warns() -> None:
    s = de_minimis_statement(SizeClass.MICRO, Decimal("295400.01"), include_path=True)
    assert s.exceeds_ceiling
    assert s.excess == Decimal("0.01")
    assert s.headroom_after == 0
    assert s.headroom_before == Decimal("4599.99")
    assert s.warning_fi is not None
    assert s.warning_en is not None
    assert "ylittäisi" in s.warning_fi
    assert "would exceed" in s.warning_en


def test_exceeding_with_analysis_only() -> None:
    s = de_minimis_statement(SizeClass.SMALL, 299_500, include_path=False)
    assert s.exceeds_ceiling
    assert s.excess == Decimal(500)
    assert s.headroom_before == Decimal(500)
    assert s.headroom_after == 0


def test_already_over_the_ceiling() -> None:
    s = de_minimis_statement(SizeClass.MEDIUM, 310_000, include_path=False)
    assert s.headroom_before == 0
    assert s.headroom_after == 0
    assert s.exceeds_ceiling
    assert s.excess == Decimal(11_000)


@pytest.mark.parametrize("include_path", [True, False])
def test_large_enterprise_is_not_eligible(include_path: bool) -> None:
    s = de_minimis_statement(SizeClass.LARGE, 1000, include_path=include_path)
    assert not s.eligible
    assert s.total_new_aid == 0
    assert s.analysis_aid == 0
    assert s.path_aid == 0
    assert not s.path_included
    assert not s.exceeds_ceiling
    assert s.headroom_before == s.headroom_after == Decimal(299_000)
    assert s.warning_fi is not None
    assert "Suuri yritys" in s.warning_fi
    assert s.warning_en is not None
    assert "not an SME" in s.warning_en


@pytest.mark.parametrize("bad", [-1, Decimal("-0.01"), Decimal("NaN"), Decimal("Infinity")])
def test_invalid_amounts_raise(bad: int | Decimal) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        de_minimis_statement(SizeClass.MICRO, bad, include_path=True)


@pytest.mark.parametrize("bad", [1000.0, math.nan, True, "1000"])
def test_floats_and_other_types_are_rejected(bad: object) -> None:
    with pytest.raises(TypeError):
        de_minimis_statement(SizeClass.MICRO, bad, include_path=True)  # type: ignore[arg-type]


_amounts = st.one_of(
    st.integers(0, 400_000),
    st.decimals(min_value=0, max_value=400_000, places=2, allow_nan=False, allow_infinity=False),
)


@given(st.sampled_from(list(SizeClass)), _amounts, st.booleans())
def test_invariants(size_class: SizeClass, received: int | Decimal, include_path: bool) -> None:
    s = de_minimis_statement(size_class, received, include_path=include_path)
    assert s.headroom_before >= 0
    assert s.headroom_after >= 0
    assert s.excess >= 0
    assert s.headroom_after <= s.headroom_before <= CEILING_EUR
    assert s.exceeds_ceiling == (s.excess > 0)
    assert (s.warning_en is None) == (s.warning_fi is None)
    if not s.eligible:
        assert not s.exceeds_ceiling
        assert s.total_new_aid == 0
    else:
        assert s.exceeds_ceiling == (s.aid_received + s.total_new_aid > CEILING_EUR)
        assert (s.warning_en is not None) == s.exceeds_ceiling
        assert s.total_new_aid == s.analysis_aid + s.path_aid
        assert s.path_aid + s.path_own_share == (s.path_market_price if include_path else 0)
        if not s.exceeds_ceiling:
            assert s.headroom_after == CEILING_EUR - s.aid_received - s.total_new_aid
