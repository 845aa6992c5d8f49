"""Re-scoring a corpus with a rule set: one plain row per analysis (``research rescore``).

A row holds the pseudonymous company id (only with a key: without one the id is None),
the province, size class and industry (TOL section letter), every scored section's score
and level, the overall score and level, the fiscal year and each financial ratio of the
rules with its band (``ratio_<id>``, ``ratio_<id>_band``), and the fired recommendations in
rank order. No
name, business id, municipality or full industry code is put in a row.

:func:`rows_csv` writes the rows as CSV with ``;`` between fields, as Finnish Excel reads
it; ``excel=True`` adds the UTF-8 byte-order mark and decimal commas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from asiakasarvo_engine.recommend.engine import analyse, compile_recommendations
from asiakasarvo_engine.research.corpus import Analysis, pseudonym
from asiakasarvo_engine.research.progress import track
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company, Result
from asiakasarvo_engine.session.interview import PinMismatchError

Row = dict[str, Any]

_TOL2008_SECTIONS: tuple[tuple[int, int, str], ...] = (
    (1, 3, "A"), (5, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"), (41, 43, "F"),
    (45, 47, "G"), (49, 53, "H"), (55, 56, "I"), (58, 63, "J"), (64, 66, "K"), (68, 68, "L"),
    (69, 75, "M"), (77, 82, "N"), (84, 84, "O"), (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"),
    (94, 96, "S"), (97, 98, "T"), (99, 99, "U"))
"""TOL 2008 (NACE Rev. 2) divisions to their section letters."""


def industry_section(code: Any, version: Any = None) -> str | None:
    """The TOL 2008 section letter of an industry code (None when the code is absent or of
    TOL 2025, whose sections differ: a letter would mislead)."""
    if not isinstance(code, str) or len(code) < 2 or not code[:2].isdigit() or version == "tol2025":
        return None
    division = int(code[:2])
    return next((letter for low, high, letter in _TOL2008_SECTIONS if low <= division <= high), None)


def _ratios(program: ScoringProgram) -> list[str]:
    indicators = program.rules.rules.indicators
    return list(indicators.ratios) if indicators is not None else []


def columns(program: ScoringProgram) -> list[str]:
    """The columns of a row, in order."""
    head = ["id", "province", "size_class", "industry", "date", "bank", "rules", "rules_pinned"]
    sections = [f"{section.id}_{part}" for section in program.sections for part in ("score", "level")]
    ratios = [f"ratio_{ratio}{part}" for ratio in _ratios(program) for part in ("", "_band")]
    return [*head, *sections, "overall_score", "overall_level", "fiscal_year", *ratios, "recommendations"]


def check_pin(program: ScoringProgram, analysis: Analysis) -> None:
    """Refuse (SES-014) an analysis made with another bank than ``program``'s."""
    bank = program.parts.bank
    pinned = analysis.bank
    if pinned.id != bank.id or (pinned.hash is not None and pinned.hash != bank.hash):
        raise PinMismatchError(
            f"{analysis.source} was made with bank {pinned.id} {pinned.version} ({pinned.hash}), not "
            f"{bank.id} {bank.version} ({bank.hash}); rescore it with that bank (--bank)")


def analyse_one(program: ScoringProgram, analysis: Analysis, **kwargs: Any) -> Result:
    """The result of one analysis under ``program`` (refused when it was made with another bank)."""
    check_pin(program, analysis)
    company = Company(name=analysis.company_name, business_id=analysis.business_id)
    return analyse(program, analysis.answers, company=company, date=analysis.date, advisor=analysis.advisor,
                   zone=analysis.zone, **kwargs)


def row_of(program: ScoringProgram, analysis: Analysis, result: Result, key: bytes | None) -> Row:
    """The plain row of one scored analysis."""
    calculated = result.calculated
    values = {name: entry.value for name, entry in analysis.answers.items()}
    pinned = analysis.rules
    row: Row = {
        "id": pseudonym(key, analysis.business_id) if key is not None and analysis.business_id else None,
        "province": calculated.get("basic_info.province"),
        "size_class": result.indicators.size_class.size_class if result.indicators else None,
        "industry": industry_section(values.get("basic_info.industry_code"),
                                     values.get("basic_info.industry_code_version")),
        "date": result.date,
        "bank": f"{result.bank.id} {result.bank.version}",
        "rules": f"{result.rules.id} {result.rules.version}",
        "rules_pinned": None if pinned is None else f"{pinned.id} {pinned.version}",
    }
    for section in program.sections:
        scored = result.sections[section.id]
        row[f"{section.id}_score"] = scored.score
        row[f"{section.id}_level"] = scored.level.level if scored.level else None
    row["overall_score"] = result.overall.score
    row["overall_level"] = result.overall.level.level if result.overall.level else None
    indicators = result.indicators
    row["fiscal_year"] = indicators.fiscal_year if indicators else None
    for ratio in _ratios(program):
        computed = indicators.ratios.get(ratio) if indicators else None
        row[f"ratio_{ratio}"] = computed.value if computed else None
        row[f"ratio_{ratio}_band"] = computed.band if computed else None
    recommendations = result.recommendations
    row["recommendations"] = [r.id for r in recommendations.items] if recommendations else []
    return row


def rescore(program: ScoringProgram, corpus: Iterable[Analysis], *, key: bytes | None = None,
            progress: bool = False) -> list[Row]:
    """One row per analysis of ``corpus`` scored with ``program`` (see the module docstring);
    ``key`` pseudonymises the company ids, and without it they are left out (None).
    ``progress`` shows a bar on stderr when it is a terminal."""
    rules = program.rules.rules.recommendations
    compiled = compile_recommendations(rules) if rules is not None else None
    analyses = list(corpus)
    return [row_of(program, analysis, analyse_one(program, analysis, recommendations=compiled), key)
            for analysis in track(analyses, total=len(analyses), label="rescore", enabled=progress)]


def _cell(value: Any, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def rows_csv(rows: Sequence[Row], header: Sequence[str], *, excel: bool = False) -> bytes:
    """The rows as UTF-8 CSV with ``;`` between fields and a header line; ``excel`` adds the
    byte-order mark and decimal commas that Finnish Excel expects. Lists (the
    recommendations) are joined with commas; None is an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n" if excel else "\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(name), excel) for name in header])
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if excel else data


def as_columns(rows: Sequence[Row], header: Sequence[str] | None = None) -> dict[str, list[Any]]:
    """The rows as a column dict (``{column: [value, ...]}``), the columns of ``header`` or, by
    default, every key of the rows in the order first seen; a row without a key gives None."""
    names = list(header) if header is not None else list(dict.fromkeys(k for row in rows for k in row))
    return {name: [row.get(name) for row in rows] for name in names}


def rows_json(rows: Sequence[Row]) -> bytes:
    """The rows as a JSON list, one object per row, ending in a newline."""
    return (json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
