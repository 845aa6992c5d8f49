"""Indicators of a result: financial ratios with their bands, the SME size class, de minimis.

``indicator_values`` computes them as plain data (the outcomes of the finance, SME and
de minimis functions); ``indicators_model`` turns those into the Result's model.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, NamedTuple

from asiakasarvo_engine.bank.compiled import BankState
from asiakasarvo_engine.jsonlogic._truthiness import is_number
from asiakasarvo_engine.rules.models import Band
from asiakasarvo_engine.scoring.deminimis import REGULATION, DeMinimisStatement, de_minimis_statement
from asiakasarvo_engine.scoring.finance import RATIOS_BY_ID, Computed, RatioOutcome
from asiakasarvo_engine.scoring.program import IndicatorProgram
from asiakasarvo_engine.scoring.result import (
    DeMinimisInfo,
    FinancialVerdict,
    Indicators,
    RatioResult,
    SizeClassInfo,
)
from asiakasarvo_engine.scoring.sme import SizeClassResult, sme_size_class


class IndicatorValues(NamedTuple):
    """The indicators of one analysis as plain data."""

    fiscal_year: int | None
    figures: dict[str, float]
    ratios: dict[str, tuple[RatioOutcome, Band | None]]
    """Each ratio's outcome (a value or why not) and the band holding the value."""
    size_inputs: dict[str, float | None]
    size: SizeClassResult
    de_minimis: DeMinimisStatement | None
    aid_received: float | None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the float range is no usable figure
        return None
    return number if math.isfinite(number) else None


def _euros(amount: float | None) -> Decimal:
    """EUR as an exact Decimal (whole euros without a trailing .0); unknown or negative is 0."""
    if amount is None or amount < 0:
        return Decimal(0)
    return Decimal(int(amount)) if amount.is_integer() else Decimal(str(amount))


def _band(value: float, bands: list[Band]) -> Band | None:
    """The band holding ``value`` (bounds included as each band says)."""
    return next((band for band in bands if band.contains(value)), None)


def _year_rows(program: IndicatorProgram, state: BankState) -> list[dict[str, Any]]:
    rows = state.value(program.rules.figures.group)
    if not isinstance(rows, list):
        return []
    year_field = program.rules.figures.year_field
    dated = [row for row in rows if isinstance(row, dict) and is_number(row.get(year_field))]
    return sorted(dated, key=lambda row: row[year_field], reverse=True)


def _figures(program: IndicatorProgram, row: dict[str, Any]) -> dict[str, float]:
    figures: dict[str, float] = {}
    isfinite = math.isfinite
    for figure, source in program.fields:
        raw = row.get(source) if isinstance(source, str) else source(row)
        if type(raw) is float:  # _number of a float, inline
            if isfinite(raw):
                figures[figure] = raw
        elif raw is not None and (value := _number(raw)) is not None:
            figures[figure] = value
    return figures


def financial_figures(program: IndicatorProgram, state: BankState) -> tuple[int | None, dict[str, float]]:
    """The latest fiscal year and its figures, with ``*_previous`` from the year before."""
    rows = _year_rows(program, state)
    if not rows:
        return None, {}
    year = int(rows[0][program.rules.figures.year_field])
    figures = _figures(program, rows[0])
    if len(rows) > 1 and rows[1][program.rules.figures.year_field] == year - 1:
        for name, value in _figures(program, rows[1]).items():
            figures[f"{name}_previous"] = value
    return year, figures


def _ratios(program: IndicatorProgram, figures: dict[str, float],
            ) -> dict[str, tuple[RatioOutcome, Band | None]]:
    results: dict[str, tuple[RatioOutcome, Band | None]] = {}
    for ratio_id, ratio, bands in program.ratios:  # each compute_ratio, compiled
        outcome = ratio(figures)
        band = None
        if type(outcome) is Computed:  # _band, inline
            value = outcome.value
            for candidate in bands:
                if candidate.contains(value):
                    band = candidate
                    break
        results[ratio_id] = (outcome, band)
    return results


def indicator_values(program: IndicatorProgram, state: BankState) -> IndicatorValues:
    """Every indicator the rules ask for, from the answers the expressions see."""
    year, figures = financial_figures(program, state)
    size_rule = program.rules.size_class
    inputs = {"staff_headcount": _number(state.value(size_rule.staff_headcount)),
              "annual_turnover": _number(state.value(size_rule.annual_turnover)),
              "balance_sheet_total": _number(state.value(size_rule.balance_sheet_total))}
    size = sme_size_class(inputs["staff_headcount"], inputs["annual_turnover"],
                          inputs["balance_sheet_total"])
    statement = received = None
    if size.size_class is not None:
        received = _number(state.value(program.rules.de_minimis.aid_received))
        statement = de_minimis_statement(size.size_class, _euros(received),
                                         include_path=program.rules.de_minimis.include_path)
    return IndicatorValues(year, figures, _ratios(program, figures), inputs, size, statement, received)


def _ratio_model(program: IndicatorProgram, ratio_id: str, outcome: RatioOutcome,
                 band: Band | None) -> RatioResult:
    rule = program.rules.ratios[ratio_id]
    definition = RATIOS_BY_ID[ratio_id]
    return RatioResult(
        title={"fi": definition.name_fi, "en": definition.name_en},
        value=round(outcome.value, 4) if isinstance(outcome, Computed) else None,
        unit=definition.unit.value,
        formula=definition.formula,
        band=band.id if band else None,
        band_label=band.label if band else None,
        not_computable=None if isinstance(outcome, Computed)
        else {"fi": outcome.message_fi, "en": outcome.message_en},
        note=rule.note,
        notes=[{"fi": n.fi, "en": n.en} for n in outcome.notes] if isinstance(outcome, Computed) else [],
        source=rule.source,
        verified=rule.verified,
    )


def indicators_model(program: IndicatorProgram, values: IndicatorValues) -> Indicators:
    """The Result's indicators, with labels, reasons, formulas and sources."""
    size = values.size
    size_info = SizeClassInfo(
        size_class=size.size_class.value if size.size_class else None,
        label={"fi": size.label_fi, "en": size.label_en},
        reason={"fi": size.reason_fi, "en": size.reason_en},
        inputs=values.size_inputs, source=size.source)
    de_minimis = None
    statement = values.de_minimis
    if statement is not None:
        known = values.aid_received is not None
        warning = ({"fi": statement.warning_fi, "en": statement.warning_en}
                   if statement.warning_fi and statement.warning_en else None)
        de_minimis = DeMinimisInfo(
            eligible=statement.eligible, path_included=statement.path_included,
            analysis_aid=statement.analysis_aid, path_market_price=statement.path_market_price,
            path_own_share=statement.path_own_share, path_aid=statement.path_aid,
            total_new_aid=statement.total_new_aid,
            aid_received=statement.aid_received if known else None,
            ceiling=statement.ceiling,
            headroom_before=statement.headroom_before if known else None,
            headroom_after=statement.headroom_after if known else None,
            exceeds_ceiling=statement.exceeds_ceiling, warning=warning, regulation=REGULATION)
    ratios = {ratio_id: _ratio_model(program, ratio_id, outcome, band)
              for ratio_id, (outcome, band) in values.ratios.items()}
    return Indicators(fiscal_year=values.fiscal_year, figures=values.figures, ratios=ratios,
                      size_class=size_info, de_minimis=de_minimis, verdict=financial_verdict(program, values))


def financial_verdict(program: IndicatorProgram, values: IndicatorValues) -> FinancialVerdict | None:
    """The rules' verdict on the financial position: the weakest band of the listed ratios."""
    rule = program.rules.verdict
    if rule is None:
        return None
    bands = {ratio_id: (band.id if (band := values.ratios[ratio_id][1]) is not None else None)
             if ratio_id in values.ratios else None for ratio_id in rule.ratios}
    known = [rule.order.index(b) for b in bands.values() if b is not None and b in rule.order]
    worst = rule.order[min(known)] if known else None
    return FinancialVerdict(
        section=rule.section, band=worst, label=rule.labels.get(worst) if worst is not None else None,
        ratios=bands, deciding=[r for r, b in bands.items() if worst is not None and b == worst],
        source=rule.source)


def indicators(program: IndicatorProgram, state: BankState) -> Indicators:
    """Every indicator the rules ask for, as the Result's model."""
    return indicators_model(program, indicator_values(program, state))
