"""Financial key figures with their bands, the size class and the de minimis statement."""

from __future__ import annotations

from asiakasarvo_engine.report.context import ReportContext
from asiakasarvo_engine.report.escape import clean
from asiakasarvo_engine.report.model import DeMinimis, FigureRow, Finance, RatioRow
from asiakasarvo_engine.scoring.result import DeMinimisInfo, RatioResult

FIGURES = ("revenue", "ebitda", "operating_profit", "net_profit", "equity", "total_assets",
           "current_assets", "current_liabilities", "interest_bearing_debt", "cash")
"""The figures shown, in this order, when the answers have them."""


def _ratio_value(ctx: ReportContext, ratio: RatioResult) -> str:
    if ratio.value is None:
        return ctx.fmt.missing
    if ratio.unit == "percent":
        return ctx.fmt.percent(ratio.value, 1)
    return ctx.fmt.number(ratio.value, 2)


def _ratio_note(ctx: ReportContext, ratio: RatioResult) -> str | None:
    parts = [ctx.text(text) for text in (ratio.not_computable, ratio.note) if text]
    parts += [ctx.text(text) for text in ratio.notes]
    return clean(" ".join(parts)) or None


def finance(ctx: ReportContext) -> Finance | None:
    """The key figures of the latest fiscal year, or ``None`` without indicators."""
    indicators = ctx.result.indicators
    if indicators is None:
        return None
    year = indicators.fiscal_year
    figures = indicators.figures
    has_previous = any(name.endswith("_previous") for name in figures)
    labels = ctx.words["figures"]
    rows = [FigureRow(str(labels.get(name, name)), ctx.fmt.money(figures[name]),
                      ctx.fmt.money(figures.get(f"{name}_previous")))
            for name in FIGURES if name in figures]
    ratios = [RatioRow(clean(ctx.text(r.title)), _ratio_value(ctx, r),
                       clean(ctx.text(r.band_label)) if r.band_label else None, _ratio_note(ctx, r))
              for r in indicators.ratios.values()]
    size = indicators.size_class
    return Finance(
        fiscal_year=str(year) if year is not None else None,
        previous_year=str(year - 1) if year is not None and has_previous else None,
        figures=rows, ratios=ratios,
        size_class=clean(ctx.text(size.label)) if size.size_class else None,
        size_reason=clean(ctx.text(size.reason)) or None)


def _statement(ctx: ReportContext, aid: DeMinimisInfo) -> DeMinimis:
    money = ctx.fmt.money
    return DeMinimis(
        eligible=aid.eligible, path_included=aid.path_included, analysis_aid=money(aid.analysis_aid),
        path_market_price=money(aid.path_market_price), path_own_share=money(aid.path_own_share),
        path_aid=money(aid.path_aid), total_new_aid=money(aid.total_new_aid),
        aid_received=money(aid.aid_received), ceiling=money(aid.ceiling),
        headroom_before=money(aid.headroom_before), headroom_after=money(aid.headroom_after),
        exceeds_ceiling=aid.exceeds_ceiling,
        warning=clean(ctx.text(aid.warning)) if aid.warning else None, regulation=aid.regulation)


def de_minimis(ctx: ReportContext) -> DeMinimis | None:
    """The de minimis statement, when the rules compute one."""
    indicators = ctx.result.indicators
    if indicators is None or indicators.de_minimis is None:
        return None
    return _statement(ctx, indicators.de_minimis)
