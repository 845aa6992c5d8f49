"""The guide-value bands of the shipped rules on their edges, and every value in one band."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiakasarvo_engine.rules.models import RatioRule
from asiakasarvo_engine.scoring.program import load_program


def _ratios() -> dict[str, RatioRule]:
    indicators = load_program().rules.rules.indicators
    assert indicators is not None
    return indicators.ratios


RATIOS = _ratios()


@pytest.mark.parametrize(("ratio_id", "value", "band_id"), [
    ("equity_ratio", 40.0001, "good"), ("equity_ratio", 40.0, "satisfactory"),
    ("equity_ratio", 20.0, "satisfactory"), ("equity_ratio", 19.999, "weak"), ("equity_ratio", -10.0, "weak"),
    ("quick_ratio", 1.01, "good"), ("quick_ratio", 1.0, "satisfactory"), ("quick_ratio", 0.5, "satisfactory"),
    ("quick_ratio", 0.49, "weak"),
    ("current_ratio", 2.5, "good"), ("current_ratio", 2.0, "satisfactory"),
    ("current_ratio", 1.0, "satisfactory"), ("current_ratio", 0.99, "weak"),
    ("relative_indebtedness", 39.9, "good"), ("relative_indebtedness", 40.0, "satisfactory"),
    ("relative_indebtedness", 80.0, "satisfactory"), ("relative_indebtedness", 80.1, "weak"),
])
def test_band_edges(ratio_id: str, value: float, band_id: str) -> None:
    [band] = [band for band in RATIOS[ratio_id].bands if band.contains(value)]
    assert band.id == band_id


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_value_falls_in_exactly_one_band(value: float) -> None:
    for ratio in RATIOS.values():
        if ratio.bands:
            assert sum(band.contains(value) for band in ratio.bands) == 1


def test_industry_dependent_ratios_have_no_bands_and_say_why() -> None:
    for ratio_id in ("operating_margin", "ebitda_margin", "revenue_growth"):
        assert RATIOS[ratio_id].bands == []
        assert RATIOS[ratio_id].note is not None
