"""Follow-up of the same companies: T0 and T1 under one rule version (``research followup``).

Analyses are paired by the company's business id (never put out: a row's id is the keyed
pseudonym, or None without a key). A company's T0 is its earliest dated analysis and T1 its
latest; a company with one analysis, no business id, no dates or all of them on one day is
left out and counted. Both are scored with the same program, whatever rules each was made
with (each pair row says which rules the two sessions pinned), so a change is a change of
the answers, not of the rules.

Per section and the overall index the summary gives the pairs, the mean score at T0 and T1,
the mean change with its standard deviation, and how many companies went up a level, stayed
and went down. A mean over fewer than ``min_cell`` pairs is hidden, and so are level counts
under it, with the secondary suppression of :mod:`.snapshot` (the three counts add up to
the pairs).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError
from asiakasarvo_engine.research.rescore import Row, rescore
from asiakasarvo_engine.research.snapshot import SUPPRESSED, suppress
from asiakasarvo_engine.scoring.program import ScoringProgram


@dataclass(frozen=True)
class Followup:
    """The pairs (one row per company) and the summary (one row per section and overall)."""

    pairs: list[Row]
    summary: list[Row]
    left_out: Mapping[str, int]
    """Analyses not paired, by reason: ``no_business_id``, ``no_date``, ``single``, ``same_day``."""
    min_cell: int


def _parts(program: ScoringProgram) -> list[tuple[str, Mapping[str, str]]]:
    sections = [(section.id, {lang: section.title.get(lang, section.id) for lang in ("fi", "en")})
                for section in program.sections]
    return [*sections, ("overall", {"fi": "Kokonaisindeksi", "en": "Overall index"})]


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


Pair = tuple[Analysis, Analysis, int, int]
"""T0, T1, how many analyses the company has, and the days between T0 and T1."""


def pairs_of(corpus: Iterable[Analysis]) -> tuple[list[Pair], dict[str, int]]:
    """Each company's T0 and T1 analysis (see :data:`Pair`), and what was left out."""
    left = {"no_business_id": 0, "no_date": 0, "single": 0, "same_day": 0}
    by_company: dict[str, list[tuple[date, int, Analysis]]] = {}
    for order, analysis in enumerate(corpus):
        business_id = (analysis.business_id or "").strip()
        day = _day(analysis.date)
        if not business_id:
            left["no_business_id"] += 1
        elif day is None:
            left["no_date"] += 1
        else:
            by_company.setdefault(business_id, []).append((day, order, analysis))
    pairs: list[Pair] = []
    for business_id in sorted(by_company):
        dated = sorted(by_company[business_id], key=lambda entry: (entry[0], entry[1]))
        if len(dated) == 1:
            left["single"] += 1
        elif dated[0][0] == dated[-1][0]:
            left["same_day"] += len(dated)
        else:
            pairs.append((dated[0][2], dated[-1][2], len(dated), (dated[-1][0] - dated[0][0]).days))
    return pairs, left


def followup(program: ScoringProgram, corpus: Iterable[Analysis], *, key: bytes | None = None,
             min_cell: int = 5) -> Followup:
    """Pair the corpus's analyses by company and compare T0 with T1 (see the module docstring).

    Raises CodedResearchError RES-030 when no company has two analyses on different days.
    """
    pairs, left = pairs_of(corpus)
    if not pairs:
        raise CodedResearchError("RES-030", found=sum(left.values()))
    parts = _parts(program)
    rows: list[Row] = []
    for t0, t1, count, days in pairs:
        first, last = rescore(program, [t0, t1], key=key)
        row: Row = {"id": first["id"], "province": first["province"], "size_class": first["size_class"],
                    "industry": first["industry"], "analyses": count, "t0_date": first["date"],
                    "t1_date": last["date"], "days": days,
                    "rules": first["rules"], "t0_rules_pinned": first["rules_pinned"],
                    "t1_rules_pinned": last["rules_pinned"]}
        for part, _ in parts:
            score, level = ("overall_score", "overall_level") if part == "overall" else \
                (f"{part}_score", f"{part}_level")
            before, after = first[score], last[score]
            row[f"{part}_t0"] = before
            row[f"{part}_t1"] = after
            both = before is not None and after is not None
            row[f"{part}_change"] = round(after - before, 2) if both else None
            row[f"{part}_level_t0"] = first[level]
            row[f"{part}_level_t1"] = last[level]
        rows.append(row)
    return Followup(rows, summarise(rows, parts, min_cell), left, min_cell)


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def summarise(rows: Sequence[Row], parts: Sequence[tuple[str, Mapping[str, str]]],
              min_cell: int) -> list[Row]:
    """One row per section and overall: n, means at T0 and T1, mean change and its SD, level
    moves; what fewer than ``min_cell`` pairs give is hidden (None, ``suppressed`` lists it)."""
    summary: list[Row] = []
    for part, title in parts:
        both = [row for row in rows if row[f"{part}_change"] is not None]
        changes = [float(row[f"{part}_change"]) for row in both]
        leveled = [row for row in both
                   if row[f"{part}_level_t0"] is not None and row[f"{part}_level_t1"] is not None]
        up = sum(row[f"{part}_level_t1"] > row[f"{part}_level_t0"] for row in leveled)
        down = sum(row[f"{part}_level_t1"] < row[f"{part}_level_t0"] for row in leveled)
        same = len(leveled) - up - down
        counts = [[up, same, down, len(leveled)]]
        _, mask = suppress(counts, [[(0, 0), (0, 1), (0, 2), (0, 3)]], min_cell, margins=[(0, 3)],
                           audit=False)
        hide_means = 0 < len(both) < min_cell
        line: Row = {
            "part": part, "title_fi": title["fi"], "title_en": title["en"], "n": len(both),
            "t0_mean": None if hide_means else _mean([float(row[f"{part}_t0"]) for row in both]),
            "t1_mean": None if hide_means else _mean([float(row[f"{part}_t1"]) for row in both]),
            "change_mean": None if hide_means else _mean(changes),
            "change_sd": None if hide_means or len(changes) < 2 else round(statistics.stdev(changes), 2),
            "level_up": None if mask[0][0] else up, "level_same": None if mask[0][1] else same,
            "level_down": None if mask[0][2] else down,
        }
        hidden_means = ["t0_mean", "t1_mean", "change_mean", "change_sd"] if hide_means else []
        moves = ("level_up", "level_same", "level_down")
        line["suppressed"] = hidden_means + [name for name, flag in zip(moves, mask[0], strict=False) if flag]
        summary.append(line)
    return summary


PAIR_COLUMNS_HEAD = ["id", "province", "size_class", "industry", "analyses", "t0_date", "t1_date", "days",
                     "rules", "t0_rules_pinned", "t1_rules_pinned"]
SUMMARY_COLUMNS = ["part", "title_fi", "title_en", "n", "t0_mean", "t1_mean", "change_mean", "change_sd",
                   "level_up", "level_same", "level_down"]


def pair_columns(program: ScoringProgram) -> list[str]:
    """The columns of a pair row, in order."""
    tail = [f"{part}_{name}" for part, _ in _parts(program)
            for name in ("t0", "t1", "change", "level_t0", "level_t1")]
    return [*PAIR_COLUMNS_HEAD, *tail]


def summary_rows(found: Followup) -> list[Row]:
    """The summary with hidden values shown as ``..``."""
    return [{name: SUPPRESSED if name in row["suppressed"] else row[name] for name in SUMMARY_COLUMNS}
            for row in found.summary]


_WORDS: Mapping[str, Mapping[str, str]] = {
    "fi": {"title": "Seuranta: T0 ja T1", "pairs": "yritystä, joilla on kaksi analyysia",
           "left": "jätettiin pois", "part": "Osio", "n": "n", "t0": "T0 ka.", "t1": "T1 ka.",
           "change": "Muutos ka.", "sd": "Muutos kh.", "up": "Taso nousi", "same": "Ennallaan",
           "down": "Taso laski",
           "note": (f"Molemmat analyysit on pisteytetty samoilla säännöillä ({{rules}}). Alle {{min_cell}} "
                    f"yrityksen luvut on piilotettu ({SUPPRESSED}).")},
    "en": {"title": "Follow-up: T0 and T1", "pairs": "companies with two analyses",
           "left": "left out", "part": "Section", "n": "n", "t0": "T0 mean", "t1": "T1 mean",
           "change": "Mean change", "sd": "SD of change", "up": "Level up", "same": "Same",
           "down": "Level down",
           "note": (f"Both analyses scored with the same rules ({{rules}}). Figures of fewer than "
                    f"{{min_cell}} companies are hidden ({SUPPRESSED}).")},
}


def _fmt(value: Any, lang: str) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "fi" else text
    return str(value)


def render_markdown(found: Followup, lang: str = "fi") -> str:
    """The summary as a Markdown table with a note on the pairing and the suppression."""
    words = _WORDS[lang]
    left = sum(found.left_out.values())
    rules = found.pairs[0]["rules"] if found.pairs else ""
    lines = [f"# {words['title']}", "",
             f"{len(found.pairs)} {words['pairs']}; {left} {words['left']}. "
             + words["note"].format(rules=rules, min_cell=found.min_cell), "",
             f"| {words['part']} | n | {words['t0']} | {words['t1']} | {words['change']} | {words['sd']} | "
             f"{words['up']} | {words['same']} | {words['down']} |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in summary_rows(found):
        lines.append(f"| {row[f'title_{lang}']} | {row['n']} | {_fmt(row['t0_mean'], lang)} | "
                     f"{_fmt(row['t1_mean'], lang)} | {_fmt(row['change_mean'], lang)} | "
                     f"{_fmt(row['change_sd'], lang)} | {_fmt(row['level_up'], lang)} | "
                     f"{_fmt(row['level_same'], lang)} | {_fmt(row['level_down'], lang)} |")
    lines.append("")
    return "\n".join(lines)


