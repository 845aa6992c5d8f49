"""Financial ratios (brief section 3): values, missing figures, zero and negative denominators,
guide-value bands and their edges."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiakasarvo_engine.scoring.finance import (
    RATIOS,
    Computed,
    NotComputable,
    NotComputableReason,
    RatioOutcome,
    Unit,
    compute_all,
    compute_ratio,
    current_ratio,
    ebitda_margin,
    equity_ratio,
    gearing,
    operating_margin,
    quick_ratio,
    relative_indebtedness,
    return_on_equity,
    return_on_investment,
    revenue_growth,
)

R = NotComputableReason

BASE: dict[str, float] = {
    "revenue": 1_000_000.0,
    "revenue_previous": 800_000.0,
    "ebitda": 100_000.0,
    "operating_profit": 60_000.0,
    "equity": 300_000.0,
    "total_assets": 800_000.0,
    "advances_received": 50_000.0,
    "current_assets": 400_000.0,
    "inventories": 100_000.0,
    "current_liabilities": 250_000.0,
    "interest_bearing_debt": 200_000.0,
    "cash": 50_000.0,
    "total_liabilities": 500_000.0,
    "profit_before_appropriations_and_taxes": 50_000.0,
    "financial_expenses": 10_000.0,
    "income_taxes": 10_000.0,
}


def value(outcome: RatioOutcome) -> float:
    assert isinstance(outcome, Computed), outcome
    return outcome.value


def reason(outcome: RatioOutcome) -> NotComputableReason:
    assert isinstance(outcome, NotComputable), outcome
    return outcome.reason


def with_(**changes: float | None) -> dict[str, float | None]:
    figures: dict[str, float | None] = dict(BASE)
    figures.update(changes)
    return figures


def without(*names: str) -> dict[str, float]:
    return {k: v for k, v in BASE.items() if k not in names}


# ---------------------------------------------------------------- normal values


def test_normal_values() -> None:
    assert value(equity_ratio(BASE)) == pytest.approx(40.0)  # 300 / (800 - 50)
    assert value(quick_ratio(BASE)) == pytest.approx(1.5)  # (400 - 100) / (250 - 50)
    assert value(current_ratio(BASE)) == pytest.approx(1.6)  # 400 / 250
    assert value(operating_margin(BASE)) == pytest.approx(6.0)
    assert value(ebitda_margin(BASE)) == pytest.approx(10.0)
    assert value(revenue_growth(BASE)) == pytest.approx(25.0)
    assert value(relative_indebtedness(BASE)) == pytest.approx(45.0)  # (500 - 50) / 1000
    assert value(gearing(BASE)) == pytest.approx(50.0)  # (200 - 50) / 300
    assert value(return_on_investment(BASE)) == pytest.approx(12.0)  # 60 / 500
    assert value(return_on_equity(BASE)) == pytest.approx(40 / 3)  # (50 - 10) / 300


def test_units() -> None:
    assert isinstance(o := quick_ratio(BASE), Computed)
    assert o.unit is Unit.TIMES
    assert isinstance(o := equity_ratio(BASE), Computed)
    assert o.unit is Unit.PERCENT


def test_averages_used_when_previous_balances_given() -> None:
    figures = with_(equity_previous=200_000.0, interest_bearing_debt_previous=100_000.0)
    roi = return_on_investment(figures)
    assert value(roi) == pytest.approx(100 * 60_000 / 400_000)
    assert isinstance(roi, Computed)
    assert roi.notes == ()
    assert value(return_on_equity(figures)) == pytest.approx(100 * 40_000 / 250_000)


def test_year_end_used_with_note_when_previous_missing() -> None:
    roi = return_on_investment(BASE)
    assert isinstance(roi, Computed)
    assert {n.id for n in roi.notes} == {
        "assumed_equity_previous", "assumed_interest_bearing_debt_previous"
    }


def test_group_contribution_adds_to_roe() -> None:
    assert value(return_on_equity(with_(group_contribution=30_000.0))) == pytest.approx(
        100 * 70_000 / 300_000
    )


def test_advances_received_optional_with_note() -> None:
    figures = without("advances_received")
    outcome = equity_ratio(figures)
    assert value(outcome) == pytest.approx(37.5)  # 300 / 800
    assert isinstance(outcome, Computed)
    assert [n.id for n in outcome.notes] == ["assumed_advances_received"]
    assert outcome.notes[0].fi
    assert outcome.notes[0].en
    assert value(quick_ratio(figures)) == pytest.approx(1.2)
    assert value(relative_indebtedness(figures)) == pytest.approx(50.0)


def test_accepts_int_and_decimal() -> None:
    figures: dict[str, int | Decimal] = {
        "equity": 30, "total_assets": Decimal("80"), "advances_received": 0
    }
    assert value(equity_ratio(figures)) == pytest.approx(37.5)


# ---------------------------------------------------------------- negatives in numerators


def test_negative_equity_gives_negative_equity_ratio_with_note() -> None:
    outcome = equity_ratio(with_(equity=-75_000.0))
    assert value(outcome) == pytest.approx(-10.0)
    assert isinstance(outcome, Computed)
    assert "negative_equity" in {n.id for n in outcome.notes}


def test_losses_and_decline_give_negative_values() -> None:
    assert value(operating_margin(with_(operating_profit=-50_000.0))) == pytest.approx(-5.0)
    assert value(ebitda_margin(with_(ebitda=-20_000.0))) == pytest.approx(-2.0)
    assert value(revenue_growth(with_(revenue=600_000.0))) == pytest.approx(-25.0)
    assert value(gearing(with_(cash=350_000.0))) == pytest.approx(-50.0)  # net cash
    assert value(return_on_investment(with_(profit_before_appropriations_and_taxes=-70_000.0))) < 0


# ---------------------------------------------------------------- missing figures

REQUIRED = {
    "equity_ratio": {"equity", "total_assets"},
    "quick_ratio": {"current_assets", "inventories", "current_liabilities"},
    "current_ratio": {"current_assets", "current_liabilities"},
    "operating_margin": {"operating_profit", "revenue"},
    "ebitda_margin": {"ebitda", "revenue"},
    "revenue_growth": {"revenue", "revenue_previous"},
    "relative_indebtedness": {"total_liabilities", "revenue"},
    "gearing": {"interest_bearing_debt", "cash", "equity"},
    "return_on_investment": {
        "profit_before_appropriations_and_taxes", "financial_expenses", "equity",
        "interest_bearing_debt",
    },
    "return_on_equity": {"profit_before_appropriations_and_taxes", "income_taxes", "equity"},
}


def test_required_inputs_are_declared() -> None:
    assert {r.id: set(r.inputs) for r in RATIOS} == REQUIRED


@pytest.mark.parametrize(("ratio_id", "name"), [(r, n) for r, ns in REQUIRED.items() for n in ns])
def test_each_missing_figure_is_named(ratio_id: str, name: str) -> None:
    for figures in (without(name), with_(**{name: None})):
        outcome = compute_ratio(ratio_id, figures)
        assert reason(outcome) is R.MISSING_FIGURES
        assert isinstance(outcome, NotComputable)
        assert outcome.figures == (name,)
        assert name in outcome.message_en
        assert outcome.message_fi


def test_all_missing_figures_are_named() -> None:
    outcome = quick_ratio({})
    assert isinstance(outcome, NotComputable)
    assert outcome.figures == ("current_assets", "inventories", "current_liabilities")


# ---------------------------------------------------------------- zero denominators

ZERO_DENOMINATOR = [
    ("equity_ratio", {"total_assets": 50_000.0}),  # total assets == advances received
    ("equity_ratio", {"total_assets": 0.0, "advances_received": 0.0}),
    ("quick_ratio", {"current_liabilities": 50_000.0}),  # all current liabilities are advances
    ("current_ratio", {"current_liabilities": 0.0}),
    ("operating_margin", {"revenue": 0.0}),
    ("ebitda_margin", {"revenue": 0.0}),
    ("revenue_growth", {"revenue_previous": 0.0}),
    ("relative_indebtedness", {"revenue": 0.0}),
    ("gearing", {"equity": 0.0}),
    ("return_on_investment", {"equity": -200_000.0}),  # invested capital 0
    ("return_on_equity", {"equity": 0.0}),
]


@pytest.mark.parametrize(("ratio_id", "changes"), ZERO_DENOMINATOR)
def test_zero_denominator(ratio_id: str, changes: dict[str, float]) -> None:
    outcome = compute_ratio(ratio_id, with_(**changes))
    assert reason(outcome) is R.ZERO_DENOMINATOR
    assert isinstance(outcome, NotComputable)
    assert outcome.figures
    assert "zero" in outcome.message_en
    assert "nolla" in outcome.message_fi


# ---------------------------------------------------------------- negative denominators

NEGATIVE_DENOMINATOR = [
    ("quick_ratio", {"current_liabilities": 40_000.0}),  # advances exceed current liabilities
    ("operating_margin", {"revenue": -1.0}),
    ("ebitda_margin", {"revenue": -1.0}),
    ("revenue_growth", {"revenue_previous": -100.0}),
    ("relative_indebtedness", {"revenue": -5.0}),
    ("gearing", {"equity": -1.0}),  # negative equity: gearing is meaningless
    ("return_on_investment", {"equity": -300_000.0}),
    ("return_on_equity", {"equity": -1.0}),
]


@pytest.mark.parametrize(("ratio_id", "changes"), NEGATIVE_DENOMINATOR)
def test_negative_denominator(ratio_id: str, changes: dict[str, float]) -> None:
    outcome = compute_ratio(ratio_id, with_(**changes))
    assert reason(outcome) is R.NEGATIVE_DENOMINATOR
    assert isinstance(outcome, NotComputable)
    assert "negative" in outcome.message_en


def test_equity_ratio_denominator_negative_is_inconsistent() -> None:
    # advances received larger than total assets cannot happen in a real balance sheet
    outcome = equity_ratio(with_(total_assets=40_000.0))
    assert reason(outcome) is R.INCONSISTENT_FIGURES


def test_current_ratio_negative_liabilities_is_a_negative_figure() -> None:
    outcome = current_ratio(with_(current_liabilities=-1.0))
    assert reason(outcome) is R.NEGATIVE_FIGURES
    assert isinstance(outcome, NotComputable)
    assert outcome.figures == ("current_liabilities",)


# ---------------------------------------------------------------- other failures


def test_inconsistent_figures() -> None:
    assert reason(quick_ratio(with_(inventories=500_000.0))) is R.INCONSISTENT_FIGURES
    assert reason(relative_indebtedness(with_(advances_received=600_000.0))) is (
        R.INCONSISTENT_FIGURES
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "100", True, Decimal("NaN")])
def test_invalid_figures(bad: object) -> None:
    figures: dict[str, object] = dict(BASE)
    figures["equity"] = bad
    outcome = equity_ratio(figures)  # type: ignore[arg-type]
    assert reason(outcome) is R.INVALID_FIGURES
    assert isinstance(outcome, NotComputable)
    assert outcome.figures == ("equity",)


def test_overflow_is_not_finite() -> None:
    outcome = current_ratio({"current_assets": 1e308, "current_liabilities": 1e-308})
    assert reason(outcome) is R.NOT_FINITE


def test_compute_all_covers_every_ratio() -> None:
    results = compute_all(BASE)
    assert list(results) == [r.id for r in RATIOS]
    assert all(isinstance(o, Computed) for o in results.values())


def test_unknown_ratio_id() -> None:
    with pytest.raises(KeyError):
        compute_ratio("no_such_ratio", BASE)


def test_definitions_have_texts() -> None:
    for ratio in RATIOS:
        assert ratio.name_fi
        assert ratio.name_en
        assert ratio.formula
        assert ratio.formula_fi
        assert ratio.source
        assert set(ratio.denominator_inputs) <= set(ratio.all_inputs)


# ---------------------------------------------------------------- bands


# ---------------------------------------------------------------- properties

_finite = st.floats(allow_nan=False, allow_infinity=False)
_figure = st.one_of(st.none(), _finite, st.sampled_from([0.0, -0.0, -1.0, 1.0, 5e-324, 1e308]))
_NAMES = sorted({n for r in RATIOS for n in r.all_inputs})
_figures = st.fixed_dictionaries(dict.fromkeys(_NAMES, _figure))


@given(_figures)
def test_ratio_functions_never_raise(figures: dict[str, float | None]) -> None:
    for outcome in compute_all(figures).values():
        if isinstance(outcome, Computed):
            assert math.isfinite(outcome.value)
        else:
            assert outcome.reason in NotComputableReason
            assert outcome.message_fi
            assert outcome.message_en


@given(st.floats(0, 1e9), st.floats(1, 1e9), st.floats(1, 1e9))
def test_equity_ratio_monotone_in_equity(equity: float, extra: float, assets: float) -> None:
    low = value(equity_ratio({"equity": equity, "total_assets": assets, "advances_received": 0}))
    high = value(
        equity_ratio({"equity": equity + extra, "total_assets": assets, "advances_received": 0})
    )
    assert high >= low
