"""Key financial ratios of Finnish financial-statement analysis and their guide-value bands.

Formulas follow the brief (section 3.1, YTN / Yritystutkimus ry conventions); guide values
(section 3.2) are plain data with their source, so they can move into rule files.

Numbers: statement figures are EUR amounts for one fiscal year, given as a mapping from
the snake_case figure names below to ``float`` (``int`` and ``Decimal`` are accepted and
converted to float); ratios are ``float``. Percentage ratios are in percent (45.0 means
45 %), the liquidity ratios are plain multiples.

Policies (every ratio, checked in this order; the first failing check is reported):

1. A required figure that is absent or None -> ``MISSING_FIGURES`` naming all of them.
   Optional figures (``advances_received``, ``group_contribution``, the ``*_previous``
   balances for averages) default as documented and add a note to the result.
2. A figure that is not a finite number -> ``INVALID_FIGURES``.
3. A figure that cannot be negative by its accounting definition (assets, liabilities,
   advances, inventories, cash, financial expenses, ...) but is -> ``NEGATIVE_FIGURES``.
4. A figure that exceeds the total it is part of (inventories > current assets,
   advances received > total liabilities) -> ``INCONSISTENT_FIGURES``.
5. Denominator exactly 0 -> ``ZERO_DENOMINATOR``; below 0 -> ``NEGATIVE_DENOMINATOR``.
   Every denominator here (revenue, assets, liabilities, equity, invested capital) must
   be positive for the ratio to mean anything: a negative equity makes gearing and ROE
   meaningless, a negative revenue makes margins meaningless.
6. A result that overflows to infinity -> ``NOT_FINITE``.

Numerators may be negative: a negative equity gives a negative equity ratio (weak, and a
note says so), losses give negative margins and returns, net cash gives negative gearing.
The functions never raise on any finite inputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

Number: TypeAlias = float | int | Decimal
Figures: TypeAlias = Mapping[str, Number | None]
"""Statement figures of one fiscal year by name (EUR); None or absent means missing."""

FIGURE_NAMES: tuple[str, ...] = (
    "revenue",
    "revenue_previous",
    "ebitda",
    "operating_profit",
    "net_profit",
    "profit_before_appropriations_and_taxes",
    "financial_expenses",
    "income_taxes",
    "group_contribution",
    "equity",
    "equity_previous",
    "total_assets",
    "advances_received",
    "current_assets",
    "inventories",
    "current_liabilities",
    "interest_bearing_debt",
    "interest_bearing_debt_previous",
    "cash",
    "total_liabilities",
)
"""Every figure name the ratios read."""

NON_NEGATIVE_FIGURES: frozenset[str] = frozenset({
    "total_assets",
    "advances_received",
    "current_assets",
    "inventories",
    "current_liabilities",
    "interest_bearing_debt",
    "interest_bearing_debt_previous",
    "cash",
    "total_liabilities",
    "financial_expenses",
})
"""Figures that cannot be negative by their accounting definition."""


class Unit(StrEnum):
    """Unit of a ratio value."""

    PERCENT = "percent"
    TIMES = "times"


class NotComputableReason(StrEnum):
    """Why a ratio has no value."""

    MISSING_FIGURES = "missing_figures"
    INVALID_FIGURES = "invalid_figures"
    NEGATIVE_FIGURES = "negative_figures"
    INCONSISTENT_FIGURES = "inconsistent_figures"
    ZERO_DENOMINATOR = "zero_denominator"
    NEGATIVE_DENOMINATOR = "negative_denominator"
    NOT_FINITE = "not_finite"


@dataclass(frozen=True, slots=True)
class Note:
    """A remark on a computed value (an assumption made or a warning sign), fi/en."""

    id: str
    fi: str
    en: str


@dataclass(frozen=True, slots=True)
class Computed:
    """A ratio value with its unit and any notes."""

    ratio_id: str
    value: float
    unit: Unit
    notes: tuple[Note, ...] = ()

    @property
    def computable(self) -> bool:
        """Always True; lets callers branch without isinstance."""
        return True


@dataclass(frozen=True, slots=True)
class NotComputable:
    """A ratio that has no value, the reason, the figures concerned and fi/en texts."""

    ratio_id: str
    reason: NotComputableReason
    figures: tuple[str, ...]
    message_fi: str
    message_en: str

    @property
    def computable(self) -> bool:
        """Always False."""
        return False


RatioOutcome: TypeAlias = Computed | NotComputable

_Values: TypeAlias = Mapping[str, float]


@dataclass(frozen=True, slots=True)
class OptionalFigure:
    """A figure a ratio uses when present; when missing, the note says what was assumed."""

    name: str
    note_fi: str
    note_en: str


@dataclass(frozen=True, slots=True)
class RatioDefinition:
    """One ratio: names, formula text, inputs and a pure computation.

    ``numerator`` and ``denominator`` receive the present figures as floats (optional
    figures only when present); the value is ``scale * numerator / denominator``.
    ``at_most`` lists (part, whole) pairs where the part must not exceed the whole.
    """

    id: str
    name_fi: str
    name_en: str
    formula: str
    formula_fi: str
    inputs: tuple[str, ...]
    optional_inputs: tuple[OptionalFigure, ...]
    unit: Unit
    source: str
    numerator: Callable[[_Values], float]
    denominator: Callable[[_Values], float]
    denominator_inputs: tuple[str, ...]
    scale: float = 100.0
    at_most: tuple[tuple[str, str], ...] = ()
    notes: Callable[[_Values], tuple[Note, ...]] | None = None

    @property
    def all_inputs(self) -> tuple[str, ...]:
        """Required and optional figure names."""
        return self.inputs + tuple(opt.name for opt in self.optional_inputs)

    def compute(self, figures: Figures) -> RatioOutcome:
        """Compute this ratio from statement figures; never raises on finite inputs."""
        return _evaluate(self, figures)


# ----------------------------------------------------------------------------- texts

_FIGURE_FI: dict[str, str] = {
    "revenue": "liikevaihto",
    "revenue_previous": "edellisen tilikauden liikevaihto",
    "ebitda": "käyttökate",
    "operating_profit": "liikevoitto",
    "net_profit": "tilikauden voitto",
    "profit_before_appropriations_and_taxes": "voitto ennen tilinpäätössiirtoja ja veroja",
    "financial_expenses": "korkokulut ja muut rahoituskulut",
    "income_taxes": "tuloverot",
    "group_contribution": "konserniavustus",
    "equity": "oma pääoma",
    "equity_previous": "edellisen tilikauden oma pääoma",
    "total_assets": "taseen loppusumma",
    "advances_received": "saadut ennakot",
    "current_assets": "vaihtuvat vastaavat",
    "inventories": "vaihto-omaisuus",
    "current_liabilities": "lyhytaikainen vieras pääoma",
    "interest_bearing_debt": "korolliset velat",
    "interest_bearing_debt_previous": "edellisen tilikauden korolliset velat",
    "cash": "rahat ja pankkisaamiset",
    "total_liabilities": "vieras pääoma",
}


def _names_fi(names: Sequence[str]) -> str:
    return ", ".join(_FIGURE_FI.get(name, name) for name in names)


def _names_en(names: Sequence[str]) -> str:
    return ", ".join(names)


_ADVANCES_NOTE = OptionalFigure(
    "advances_received",
    "saatuja ennakoita ei annettu; oletettu 0",
    "advances_received not given; assumed 0",
)


# ----------------------------------------------------------------------------- evaluation


def _not(
    definition: RatioDefinition,
    reason: NotComputableReason,
    figures: Sequence[str],
    fi: str,
    en: str,
) -> NotComputable:
    return NotComputable(definition.id, reason, tuple(figures), fi, en)


def _as_float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _evaluate(definition: RatioDefinition, figures: Figures) -> RatioOutcome:
    name_fi = definition.name_fi
    name_en = definition.name_en

    missing = [name for name in definition.inputs if figures.get(name) is None]
    if missing:
        return _not(
            definition, NotComputableReason.MISSING_FIGURES, missing,
            f"{name_fi}: puuttuu {_names_fi(missing)}",
            f"{name_en}: missing {_names_en(missing)}",
        )

    values: dict[str, float] = {}
    invalid: list[str] = []
    for name in definition.all_inputs:
        raw = figures.get(name)
        if raw is None:
            continue
        number = _as_float(raw)
        if number is None:
            invalid.append(name)
        else:
            values[name] = number
    if invalid:
        return _not(
            definition, NotComputableReason.INVALID_FIGURES, invalid,
            f"{name_fi}: ei kelvollinen luku: {_names_fi(invalid)}",
            f"{name_en}: not a finite number: {_names_en(invalid)}",
        )

    negative = [
        name for name in definition.all_inputs
        if name in NON_NEGATIVE_FIGURES and values.get(name, 0.0) < 0
    ]
    if negative:
        return _not(
            definition, NotComputableReason.NEGATIVE_FIGURES, negative,
            f"{name_fi}: ei voi olla negatiivinen: {_names_fi(negative)}",
            f"{name_en}: cannot be negative: {_names_en(negative)}",
        )

    for part, whole in definition.at_most:
        if part in values and whole in values and values[part] > values[whole]:
            return _not(
                definition, NotComputableReason.INCONSISTENT_FIGURES, (part, whole),
                f"{name_fi}: {_FIGURE_FI[part]} on suurempi kuin {_FIGURE_FI[whole]}",
                f"{name_en}: {part} exceeds {whole}",
            )

    denominator_inputs = definition.denominator_inputs
    denominator = definition.denominator(values)
    if denominator == 0:
        return _not(
            definition, NotComputableReason.ZERO_DENOMINATOR, denominator_inputs,
            f"{name_fi}: jakaja on nolla ({_names_fi(denominator_inputs)})",
            f"{name_en}: denominator is zero ({_names_en(denominator_inputs)})",
        )
    if denominator < 0:
        return _not(
            definition, NotComputableReason.NEGATIVE_DENOMINATOR, denominator_inputs,
            f"{name_fi}: jakaja on negatiivinen, tunnusluku ei ole mielekäs "
            f"({_names_fi(denominator_inputs)})",
            f"{name_en}: denominator is negative, the ratio is not meaningful "
            f"({_names_en(denominator_inputs)})",
        )

    value = definition.scale * (definition.numerator(values) / denominator)
    if not math.isfinite(value):
        return _not(
            definition, NotComputableReason.NOT_FINITE, definition.inputs,
            f"{name_fi}: tulos ei ole äärellinen luku",
            f"{name_en}: the result is not a finite number",
        )

    notes = [
        Note(f"assumed_{opt.name}", opt.note_fi, opt.note_en)
        for opt in definition.optional_inputs
        if opt.name not in values
    ]
    if definition.notes is not None:
        notes.extend(definition.notes(values))
    return Computed(definition.id, value + 0.0, definition.unit, tuple(notes))


# ----------------------------------------------------------------------------- ratios


def _avg_capital(v: _Values, year_end: tuple[str, ...], previous: tuple[str, ...]) -> float:
    end = sum(v[name] for name in year_end)
    if all(name in v for name in previous):
        return (end + sum(v[name] for name in previous)) / 2
    return end


def _equity_notes(v: _Values) -> tuple[Note, ...]:
    if v["equity"] < 0:
        return (Note("negative_equity", "oma pääoma on negatiivinen", "equity is negative"),)
    return ()


_NAVITA = (
    "https://support.navita.fi/fi/support/solutions/articles/75000022890-rahoituksen-tunnusluvut"
)
_KSOY = "https://raportit.ksoy.fi/fin/julkaisut/?act=view&id=699"

EQUITY_RATIO = RatioDefinition(
    id="equity_ratio",
    name_fi="Omavaraisuusaste",
    name_en="Equity ratio",
    formula="100 * equity / (total_assets - advances_received)",
    formula_fi="100 × oma pääoma / (taseen loppusumma − saadut ennakot)",
    inputs=("equity", "total_assets"),
    optional_inputs=(_ADVANCES_NOTE,),
    unit=Unit.PERCENT,
    source=f"YTN formula as in {_KSOY} and "
    "https://www.yritysluotto.fi/julkaisut/omavaraisuusaste-pahkinankuoressa; equity is the "
    "adjusted equity (incl. depreciation difference and voluntary reserves net of deferred tax)",
    numerator=lambda v: v["equity"],
    denominator=lambda v: v["total_assets"] - v.get("advances_received", 0.0),
    denominator_inputs=("total_assets", "advances_received"),
    at_most=(("advances_received", "total_assets"),),
    notes=_equity_notes,
)

QUICK_RATIO = RatioDefinition(
    id="quick_ratio",
    name_fi="Happotesti (quick ratio)",
    name_en="Quick ratio",
    formula="(current_assets - inventories) / (current_liabilities - advances_received)",
    formula_fi="rahoitusomaisuus / (lyhytaikainen vieras pääoma − saadut ennakot); "
    "rahoitusomaisuus = vaihtuvat vastaavat − vaihto-omaisuus",
    inputs=("current_assets", "inventories", "current_liabilities"),
    optional_inputs=(_ADVANCES_NOTE,),
    unit=Unit.TIMES,
    source="https://www.capitalbox.fi/blog/quick-ratio-maksuvalmiussuhde ; " + _NAVITA
    + "; advances_received are taken to be short-term (usual in SME accounts)",
    numerator=lambda v: v["current_assets"] - v["inventories"],
    denominator=lambda v: v["current_liabilities"] - v.get("advances_received", 0.0),
    denominator_inputs=("current_liabilities", "advances_received"),
    scale=1.0,
    at_most=(("inventories", "current_assets"),),
)

CURRENT_RATIO = RatioDefinition(
    id="current_ratio",
    name_fi="Current ratio",
    name_en="Current ratio",
    formula="current_assets / current_liabilities",
    formula_fi="(vaihto-omaisuus + rahoitusomaisuus) / lyhytaikainen vieras pääoma",
    inputs=("current_assets", "current_liabilities"),
    optional_inputs=(),
    unit=Unit.TIMES,
    source="https://fi.m.wikipedia.org/wiki/Toiminnot:MobileLanguages/Current_ratio ; " + _NAVITA,
    numerator=lambda v: v["current_assets"],
    denominator=lambda v: v["current_liabilities"],
    denominator_inputs=("current_liabilities",),
    scale=1.0,
)

OPERATING_MARGIN = RatioDefinition(
    id="operating_margin",
    name_fi="Liikevoitto-%",
    name_en="Operating margin",
    formula="100 * operating_profit / revenue",
    formula_fi="100 × liikevoitto / liikevaihto",
    inputs=("operating_profit", "revenue"),
    optional_inputs=(),
    unit=Unit.PERCENT,
    source=_KSOY,
    numerator=lambda v: v["operating_profit"],
    denominator=lambda v: v["revenue"],
    denominator_inputs=("revenue",),
)

EBITDA_MARGIN = RatioDefinition(
    id="ebitda_margin",
    name_fi="Käyttökate-%",
    name_en="EBITDA margin",
    formula="100 * ebitda / revenue",
    formula_fi="100 × käyttökate / liikevaihto; käyttökate = liikevoitto + poistot ja "
    "arvonalentumiset",
    inputs=("ebitda", "revenue"),
    optional_inputs=(),
    unit=Unit.PERCENT,
    source="https://support.navita.fi/fi/support/solutions/articles/"
    "75000114537-etusivun-tunnusluvut",
    numerator=lambda v: v["ebitda"],
    denominator=lambda v: v["revenue"],
    denominator_inputs=("revenue",),
)

REVENUE_GROWTH = RatioDefinition(
    id="revenue_growth",
    name_fi="Liikevaihdon kasvu-%",
    name_en="Revenue growth",
    formula="100 * (revenue - revenue_previous) / revenue_previous",
    formula_fi="100 × (liikevaihto − edellisen tilikauden liikevaihto) / edellisen tilikauden "
    "liikevaihto",
    inputs=("revenue", "revenue_previous"),
    optional_inputs=(),
    unit=Unit.PERCENT,
    source="standard definition; compare fiscal years of equal length",
    numerator=lambda v: v["revenue"] - v["revenue_previous"],
    denominator=lambda v: v["revenue_previous"],
    denominator_inputs=("revenue_previous",),
)

RELATIVE_INDEBTEDNESS = RatioDefinition(
    id="relative_indebtedness",
    name_fi="Suhteellinen velkaantuneisuus",
    name_en="Relative indebtedness",
    formula="100 * (total_liabilities - advances_received) / revenue (12 months)",
    formula_fi="100 × (vieras pääoma − saadut ennakot) / liikevaihto (12 kk)",
    inputs=("total_liabilities", "revenue"),
    optional_inputs=(_ADVANCES_NOTE,),
    unit=Unit.PERCENT,
    source="formula not verified against a source (brief 3.1: ✘); ratio named in " + _NAVITA,
    numerator=lambda v: v["total_liabilities"] - v.get("advances_received", 0.0),
    denominator=lambda v: v["revenue"],
    denominator_inputs=("revenue",),
    at_most=(("advances_received", "total_liabilities"),),
)

GEARING = RatioDefinition(
    id="gearing",
    name_fi="Nettovelkaantumisaste",
    name_en="Gearing (net debt to equity)",
    formula="100 * (interest_bearing_debt - cash) / equity",
    formula_fi="100 × (korolliset velat − rahavarat) / oma pääoma",
    inputs=("interest_bearing_debt", "cash", "equity"),
    optional_inputs=(),
    unit=Unit.PERCENT,
    source="http://vuosikertomus2016.terrafame.fi/tilinpaatos/tunnuslukujen-laskentakaavat.html",
    numerator=lambda v: v["interest_bearing_debt"] - v["cash"],
    denominator=lambda v: v["equity"],
    denominator_inputs=("equity",),
)

_PREV_NOTE_FI = (
    "edellisen tilikauden tase puuttuu; käytetty tilikauden lopun lukua keskiarvon sijaan"
)
_PREV_NOTE_EN = "previous year's balance missing; year-end figure used instead of the average"

RETURN_ON_INVESTMENT = RatioDefinition(
    id="return_on_investment",
    name_fi="Sijoitetun pääoman tuotto-%",
    name_en="Return on investment (ROI)",
    formula="100 * (profit_before_appropriations_and_taxes + financial_expenses) / "
    "average(equity + interest_bearing_debt)",
    formula_fi="100 × (tulos ennen tilinpäätössiirtoja ja veroja + korkokulut ja muut "
    "rahoituskulut) / sijoitettu pääoma keskimäärin; sijoitettu pääoma = oma pääoma + "
    "korollinen vieras pääoma",
    inputs=(
        "profit_before_appropriations_and_taxes", "financial_expenses", "equity",
        "interest_bearing_debt",
    ),
    optional_inputs=(
        OptionalFigure("equity_previous", _PREV_NOTE_FI, _PREV_NOTE_EN),
        OptionalFigure("interest_bearing_debt_previous", _PREV_NOTE_FI, _PREV_NOTE_EN),
    ),
    unit=Unit.PERCENT,
    source=f"{_KSOY} ; https://fi.wikipedia.org/wiki/Sijoitetun_p%C3%A4%C3%A4oman_tuottoaste",
    numerator=lambda v: v["profit_before_appropriations_and_taxes"] + v["financial_expenses"],
    denominator=lambda v: _avg_capital(
        v,
        ("equity", "interest_bearing_debt"),
        ("equity_previous", "interest_bearing_debt_previous"),
    ),
    denominator_inputs=("equity", "interest_bearing_debt"),
)

RETURN_ON_EQUITY = RatioDefinition(
    id="return_on_equity",
    name_fi="Oman pääoman tuotto-%",
    name_en="Return on equity (ROE)",
    formula="100 * (profit_before_appropriations_and_taxes + group_contribution - income_taxes) "
    "/ average(equity)",
    formula_fi="100 × (voitto ennen tilinpäätössiirtoja + konserniavustus − verot) / oma pääoma "
    "keskimäärin",
    inputs=("profit_before_appropriations_and_taxes", "income_taxes", "equity"),
    optional_inputs=(
        OptionalFigure(
            "group_contribution", "konserniavustusta ei annettu; oletettu 0",
            "group_contribution not given; assumed 0",
        ),
        OptionalFigure("equity_previous", _PREV_NOTE_FI, _PREV_NOTE_EN),
    ),
    unit=Unit.PERCENT,
    source=_KSOY,
    numerator=lambda v: (
        v["profit_before_appropriations_and_taxes"] + v.get("group_contribution", 0.0)
        - v["income_taxes"]
    ),
    denominator=lambda v: _avg_capital(v, ("equity",), ("equity_previous",)),
    denominator_inputs=("equity",),
)

RATIOS: tuple[RatioDefinition, ...] = (
    EQUITY_RATIO,
    QUICK_RATIO,
    CURRENT_RATIO,
    OPERATING_MARGIN,
    EBITDA_MARGIN,
    REVENUE_GROWTH,
    RELATIVE_INDEBTEDNESS,
    GEARING,
    RETURN_ON_INVESTMENT,
    RETURN_ON_EQUITY,
)
"""Every ratio, in report order."""

RATIOS_BY_ID: Mapping[str, RatioDefinition] = {ratio.id: ratio for ratio in RATIOS}



def equity_ratio(figures: Figures) -> RatioOutcome:
    """Omavaraisuusaste-%: 100 × equity / (total_assets − advances_received)."""
    return EQUITY_RATIO.compute(figures)


def quick_ratio(figures: Figures) -> RatioOutcome:
    """Quick ratio: (current_assets − inventories) / (current_liabilities − advances_received)."""
    return QUICK_RATIO.compute(figures)


def current_ratio(figures: Figures) -> RatioOutcome:
    """Current ratio: current_assets / current_liabilities."""
    return CURRENT_RATIO.compute(figures)


def operating_margin(figures: Figures) -> RatioOutcome:
    """Liikevoitto-%: 100 × operating_profit / revenue."""
    return OPERATING_MARGIN.compute(figures)


def ebitda_margin(figures: Figures) -> RatioOutcome:
    """Käyttökate-%: 100 × ebitda / revenue."""
    return EBITDA_MARGIN.compute(figures)


def revenue_growth(figures: Figures) -> RatioOutcome:
    """Revenue growth %: 100 × (revenue − revenue_previous) / revenue_previous."""
    return REVENUE_GROWTH.compute(figures)


def relative_indebtedness(figures: Figures) -> RatioOutcome:
    """Suhteellinen velkaantuneisuus-%: 100 × (total_liabilities − advances) / revenue."""
    return RELATIVE_INDEBTEDNESS.compute(figures)


def gearing(figures: Figures) -> RatioOutcome:
    """Nettovelkaantumisaste-%: 100 × (interest_bearing_debt − cash) / equity."""
    return GEARING.compute(figures)


def return_on_investment(figures: Figures) -> RatioOutcome:
    """Sijoitetun pääoman tuotto-% (ROI) on average invested capital when both years given."""
    return RETURN_ON_INVESTMENT.compute(figures)


def return_on_equity(figures: Figures) -> RatioOutcome:
    """Oman pääoman tuotto-% (ROE) on average equity when the previous year is given."""
    return RETURN_ON_EQUITY.compute(figures)


def compute_ratio(ratio_id: str, figures: Figures) -> RatioOutcome:
    """Compute one ratio by id; ``KeyError`` for an unknown id."""
    return RATIOS_BY_ID[ratio_id].compute(figures)


def compute_all(figures: Figures) -> dict[str, RatioOutcome]:
    """Every ratio of :data:`RATIOS`, by id, in report order."""
    return {ratio.id: ratio.compute(figures) for ratio in RATIOS}


# ----------------------------------------------------------------------------- compiled ratios

RatioFunction: TypeAlias = Callable[[Figures], RatioOutcome]
"""A ratio compiled by :func:`compile_ratio`: figures in, the outcome of ``compute`` out."""


def compile_ratio(definition: RatioDefinition) -> RatioFunction:
    """``definition.compute`` as one function for many evaluations, giving equal outcomes.

    The lists of inputs, the figures that must not be negative and the notes of missing
    optional figures are made once; a computable ratio is checked and computed with the
    same arithmetic in the same order as ``compute``, and an outcome for missing figures
    is made once for each set of missing names and shared (outcomes are immutable). Any
    other outcome (a figure that is no finite float, negative, inconsistent, a denominator
    that is not positive, a result that is not finite) is left to ``compute`` itself.
    """
    inputs = definition.inputs
    all_inputs = definition.all_inputs
    non_negative = tuple(name for name in all_inputs if name in NON_NEGATIVE_FIGURES)
    at_most = definition.at_most
    numerator = definition.numerator
    denominator_of = definition.denominator
    scale = definition.scale
    ratio_id = definition.id
    unit = definition.unit
    optional_notes = tuple((opt.name, Note(f"assumed_{opt.name}", opt.note_fi, opt.note_en))
                           for opt in definition.optional_inputs)
    more_notes = definition.notes
    isfinite = math.isfinite
    missing_outcomes: dict[tuple[str, ...], RatioOutcome] = {}

    def ratio(figures: Figures) -> RatioOutcome:
        get = figures.get
        for name in inputs:
            if get(name) is None:
                missing = tuple(name for name in inputs if get(name) is None)
                outcome = missing_outcomes.get(missing)
                if outcome is None:
                    outcome = missing_outcomes[missing] = _evaluate(definition, figures)
                return outcome
        values: dict[str, float] = {}
        for name in all_inputs:
            raw = get(name)
            if raw is None:
                continue
            if type(raw) is not float or not isfinite(raw):
                return _evaluate(definition, figures)
            values[name] = raw
        for name in non_negative:
            if values.get(name, 0.0) < 0:
                return _evaluate(definition, figures)
        for part, whole in at_most:
            if part in values and whole in values and values[part] > values[whole]:
                return _evaluate(definition, figures)
        denominator = denominator_of(values)
        if not denominator > 0:
            return _evaluate(definition, figures)
        value = scale * (numerator(values) / denominator)
        if not isfinite(value):
            return _evaluate(definition, figures)
        notes = [note for name, note in optional_notes if name not in values]
        if more_notes is not None:
            notes.extend(more_notes(values))
        return Computed(ratio_id, value + 0.0, unit, tuple(notes))

    return ratio
