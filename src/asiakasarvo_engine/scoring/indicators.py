"""Indicators of a result: financial ratios with their bands, the SME size class, de minimis."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from asiakasarvo_engine.bank.compiled import BankState
from asiakasarvo_engine.jsonlogic._truthiness import is_number
from asiakasarvo_engine.rules.models import Band
from asiakasarvo_engine.scoring.deminimis import REGULATION, de_minimis_statement
from asiakasarvo_engine.scoring.finance import RATIOS_BY_ID, Computed, compute_ratio
from asiakasarvo_engine.scoring.program import IndicatorProgram
from asiakasarvo_engine.scoring.result import (
    DeMinimisInfo,
    Indicators,
    RatioResult,
    SizeClassInfo,
)
from asiakasarvo_engine.scoring.sme import sme_size_class


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _euros(amount: float | None) -> Decimal:
    """EUR as an exact Decimal (whole euros without a trailing .0); unknown or negative is 0."""
    if amount is None or amount < 0:
        return Decimal(0)
    return Decimal(int(amount)) if amount.is_integer() else Decimal(str(amount))


def _band(value: float, bands: list[Band]) -> Band | None:
    """The band holding ``value``: lower bound inclusive, upper bound exclusive."""
    for band in bands:
        if (band.min is None or value >= band.min) and (band.max is None or value < band.max):
            return band
    return None


def _year_rows(program: IndicatorProgram, state: BankState) -> list[dict[str, Any]]:
    rows = state.value(program.rules.figures.group)
    if not isinstance(rows, list):
        return []
    year_field = program.rules.figures.year_field
    dated = [row for row in rows if isinstance(row, dict) and is_number(row.get(year_field))]
    return sorted(dated, key=lambda row: row[year_field], reverse=True)


def _figures(program: IndicatorProgram, row: dict[str, Any]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for figure, rule in program.fields:
        value = _number(rule(row))
        if value is not None:
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


def _ratios(program: IndicatorProgram, figures: dict[str, float]) -> dict[str, RatioResult]:
    results: dict[str, RatioResult] = {}
    for ratio_id, rule in program.rules.ratios.items():
        definition = RATIOS_BY_ID[ratio_id]
        outcome = compute_ratio(ratio_id, figures)
        band = _band(outcome.value, rule.bands) if isinstance(outcome, Computed) else None
        results[ratio_id] = RatioResult(
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
    return results


def indicators(program: IndicatorProgram, state: BankState) -> Indicators:
    """Every indicator the rules ask for, from the answers the expressions see."""
    year, figures = financial_figures(program, state)
    size_rule = program.rules.size_class
    inputs = {"staff_headcount": _number(state.value(size_rule.staff_headcount)),
              "annual_turnover": _number(state.value(size_rule.annual_turnover)),
              "balance_sheet_total": _number(state.value(size_rule.balance_sheet_total))}
    size = sme_size_class(inputs["staff_headcount"], inputs["annual_turnover"],
                          inputs["balance_sheet_total"])
    size_info = SizeClassInfo(
        size_class=size.size_class.value if size.size_class else None,
        label={"fi": size.label_fi, "en": size.label_en},
        reason={"fi": size.reason_fi, "en": size.reason_en},
        inputs=inputs, source=size.source)
    de_minimis = None
    if size.size_class is not None:
        received = _number(state.value(program.rules.de_minimis.aid_received))
        statement = de_minimis_statement(
            size.size_class, _euros(received),
            include_path=program.rules.de_minimis.include_path)
        known = received is not None
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
    return Indicators(fiscal_year=year, figures=figures, ratios=_ratios(program, figures),
                      size_class=size_info, de_minimis=de_minimis)
