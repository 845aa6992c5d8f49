"""Reliability of the instrument over a corpus (``research reliability``).

The variables are the item scores (0-100) the rules give answered items; an item that was
not answered (hidden, skipped, "don't know", "not applicable", no entry) is missing, never
the score the missing-data policy would put in a section mean. A matrix cell is a variable
of its own in the matrix's subscales.

Subscales come from the bank and the rules, not from a list of item ids:

* ``section``: the scored items of every scored section of the rules;
* ``instrument``: the scored items whose provenance names a known instrument
  (:data:`INSTRUMENTS`: MKTOR, MARKOR, EU Open DMA, Woodruff's value hierarchy), across
  sections, and each of the instrument's dimensions the provenance names (MKTOR's customer
  orientation, competitor orientation and interfunctional coordination, ...);
* ``matrix``: the rows of a matrix question, one subscale per scored column.

Only subscales of at least :data:`MIN_ITEMS` items are reported. An item that never varies,
or that the bank's conditions never show together with the others (fewer than
:data:`MIN_PAIRS` analyses answered both), is left out of its subscale's statistics and
listed as such (``in_scale`` false), the one with the most such pairs first.

Statistics of a subscale, from the pairwise-complete covariance matrix ``C`` of its items
(as R's ``psych::alpha`` does by default; the number of complete cases is reported too):

* Cronbach's alpha ``k / (k - 1) * (1 - trace(C) / sum(C))`` and the standardized alpha
  of the correlation matrix ``R``; alpha if an item is deleted (the same over ``C``
  without the item);
* the corrected item-total correlation: the item against the sum of the other items;
* the mean inter-item correlation;
* McDonald's omega (total) from a one-factor model fitted to ``R`` by iterated principal
  axis factoring: the communalities start at the squared multiple correlations
  ``1 - 1 / diag(R^-1)`` (the largest absolute correlation of the item when ``R`` is
  singular), the loadings are the first eigenvector of ``R`` with the communalities on its
  diagonal scaled by the root of its eigenvalue, and the communalities are the squared
  loadings again, until they change by less than 1e-6 (at most 500 rounds; a communality is
  kept at most 0.995, so a Heywood case does not break it).
  ``omega = (sum(l))^2 / ((sum(l))^2 + sum(1 - l^2))``, of the standardized items;
* floor and ceiling: the share of answers at the item's lowest and highest possible score
  under the rules, and for the subscale the share of analyses with every answered item at
  its floor (at its ceiling). Over 15 % is the customary mark of a floor or ceiling effect.

NumPy does the linear algebra; it is imported when the statistics are computed (the
``research`` extra installs it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asiakasarvo_engine.recommend.engine import compile_recommendations
from asiakasarvo_engine.research.corpus import Analysis, optional_module
from asiakasarvo_engine.research.rescore import Row, analyse_one
from asiakasarvo_engine.scoring.program import ItemProgram, ScoringProgram
from asiakasarvo_engine.scoring.result import ItemState

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MIN_ITEMS = 3
"""The fewest items a subscale needs to be reported (omega needs three)."""
EFFECT_SHARE = 0.15
"""A floor or ceiling share above this is flagged (McHorney & Tarlov 1995)."""
MIN_PAIRS = 3
"""The fewest analyses that answered both items of a pair for their covariance."""


@dataclass(frozen=True, slots=True)
class Instrument:
    """An instrument a provenance may name, and its dimensions (id, phrase, titles)."""

    id: str
    pattern: str
    title: Mapping[str, str]
    dimensions: tuple[tuple[str, str, Mapping[str, str]], ...] = ()


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("mktor", r"\bMKTOR\b",
               {"fi": "Markkinaorientaatio (MKTOR, Narver & Slater 1990)",
                "en": "Market orientation (MKTOR, Narver & Slater 1990)"},
               (("customer_orientation", "customer orientation",
                 {"fi": "Asiakasorientaatio", "en": "Customer orientation"}),
                ("competitor_orientation", "competitor orientation",
                 {"fi": "Kilpailijaorientaatio", "en": "Competitor orientation"}),
                ("interfunctional_coordination", "interfunctional coordination",
                 {"fi": "Toimintojen välinen koordinaatio", "en": "Interfunctional coordination"}))),
    Instrument("markor", r"\bMARKOR\b",
               {"fi": "Markkinaorientaatio (MARKOR, Kohli & Jaworski)",
                "en": "Market orientation (MARKOR, Kohli & Jaworski)"},
               (("intelligence_generation", "intelligence generation",
                 {"fi": "Markkinatiedon hankinta", "en": "Intelligence generation"}),
                ("intelligence_dissemination", "intelligence dissemination",
                 {"fi": "Markkinatiedon levitys", "en": "Intelligence dissemination"}),
                ("responsiveness", "responsiveness",
                 {"fi": "Reagointi", "en": "Responsiveness"}))),
    Instrument("open_dma", r"\bOpen DMA\b",
               {"fi": "Digitaalinen kypsyys (EU Open DMA)", "en": "Digital maturity (EU Open DMA)"}),
    Instrument("value_hierarchy", r"\bWoodruff\b",
               {"fi": "Asiakasarvon hierarkia (Woodruff 1997)",
                "en": "Customer value hierarchy (Woodruff 1997)"}),
)
"""The instruments recognised in the bank's provenance texts."""


@dataclass(frozen=True, slots=True)
class Variable:
    """One column of a subscale: an item's score, or one cell of a matrix item."""

    key: str
    """``section.item`` or ``section.item[row.column]``."""
    item: str
    cell: str | None
    low: float
    high: float
    """The lowest and highest score the rules can give it."""


@dataclass(frozen=True, slots=True)
class Subscale:
    """A set of variables that should measure one thing."""

    id: str
    kind: str
    """``section``, ``instrument`` or ``matrix``."""
    title: Mapping[str, str]
    variables: tuple[Variable, ...]


def _bounds(item: ItemProgram) -> tuple[float, float]:
    if item.scale is not None:
        return min(item.scale.scores.values()), max(item.scale.scores.values())
    if item.table is not None:
        values = list(item.table.values())
        if item.multi:
            return 0.0, min(100.0, sum(v for v in values if v > 0))
        return min(values), max(values)
    if item.columns:
        scores = [s for _, lookup in item.columns for s in lookup.scores.values()]
        return min(scores), max(scores)
    return 0.0, 100.0


def _title(program: ScoringProgram, name: str) -> dict[str, str]:
    text = program.bank.items[name].item.text
    return {"fi": text.get("fi", name), "en": text.get("en", name)} if isinstance(text, Mapping) else \
        {"fi": name, "en": name}


def subscales(program: ScoringProgram) -> list[Subscale]:
    """The subscales of the bank and rules (see the module docstring), in bank order."""
    found: list[Subscale] = []
    variables = {item.name: Variable(item.name, item.name, None, *_bounds(item)) for item in program.items}
    for section in program.sections:
        found.append(Subscale(section.id, "section", dict(section.title),
                              tuple(variables[item.name] for item in section.items)))
    provenance = {}
    for item in program.items:
        source = program.bank.items[item.name].item.provenance
        if source is not None:
            provenance[item.name] = source.source
    for instrument in INSTRUMENTS:
        members = [name for name, text in provenance.items() if re.search(instrument.pattern, text)]
        found.append(Subscale(instrument.id, "instrument", instrument.title,
                              tuple(variables[name] for name in members)))
        for dim_id, phrase, title in instrument.dimensions:
            inside = [name for name in members if phrase in provenance[name].lower()]
            named = {lang: f"{instrument.title[lang]}: {text.lower()}" for lang, text in title.items()}
            found.append(Subscale(f"{instrument.id}.{dim_id}", "instrument", named,
                                  tuple(variables[name] for name in inside)))
    for item in program.items:
        if not item.columns:
            continue
        compiled = program.bank.items[item.name].item
        for column, lookup in item.columns:
            low, high = min(lookup.scores.values()), max(lookup.scores.values())
            label = next((c.label for c in compiled.columns or [] if c.id == column), None)
            cells = tuple(Variable(f"{item.name}[{row.id}.{column}]", item.name, f"{row.id}.{column}",
                                   low, high) for row in compiled.rows or [])
            base = _title(program, item.name)
            words = label if isinstance(label, Mapping) else {}
            title = {lang: f"{base[lang]}: {words.get(lang, column)}" for lang in ("fi", "en")}
            found.append(Subscale(f"{item.name}[{column}]", "matrix", title, cells))
    return [scale for scale in found if len(scale.variables) >= MIN_ITEMS]


def item_scores(program: ScoringProgram, corpus: Iterable[Analysis]) -> list[dict[str, float]]:
    """Per analysis, the score of every answered item and matrix cell (missing: absent)."""
    rules = program.rules.rules.recommendations
    compiled = compile_recommendations(rules) if rules is not None else None  # once, not per analysis
    table: list[dict[str, float]] = []
    for analysis in corpus:
        result = analyse_one(program, analysis, recommendations=compiled)
        scores: dict[str, float] = {}
        for name, item in result.items.items():
            if item.state is not ItemState.ANSWERED or item.score is None:
                continue
            scores[name] = item.score
            cells = item.detail.get("cells")
            if isinstance(cells, dict):
                for cell, value in cells.items():
                    scores[f"{name}[{cell}]"] = float(value)
        table.append(scores)
    return table


# --- statistics ------------------------------------------------------------------------

def _numpy() -> Any:
    return optional_module("numpy")  # RES-020 with the way to install it when it is missing


def pairwise_covariance(data: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """The covariance matrix of the columns of ``data`` (NaN: missing) over the rows where
    both columns are present (ddof 1), and the number of those rows; NaN where fewer than
    :data:`MIN_PAIRS`."""
    np = _numpy()
    present = ~np.isnan(data)
    k = data.shape[1]
    cov = np.full((k, k), np.nan)
    counts = present.T.astype(int) @ present.astype(int)
    for i in range(k):
        for j in range(i, k):
            both = present[:, i] & present[:, j]
            if both.sum() < MIN_PAIRS:
                continue
            x, y = data[both, i], data[both, j]
            value = float(((x - x.mean()) * (y - y.mean())).sum() / (len(x) - 1))
            cov[i, j] = cov[j, i] = value
    return cov, counts


def alpha_of(cov: NDArray[np.float64]) -> float | None:
    """Cronbach's alpha of a covariance (or, standardized, correlation) matrix."""
    np = _numpy()
    k = int(cov.shape[0])
    if k < 2 or np.isnan(cov).any():
        return None
    total = float(cov.sum())
    if total <= 0:
        return None
    return k / (k - 1) * (1 - float(np.trace(cov)) / total)


def _correlation(cov: NDArray[np.float64]) -> NDArray[np.float64]:
    np = _numpy()
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / np.outer(sd, sd)
    corr[~np.isfinite(corr)] = np.nan
    np.fill_diagonal(corr, np.where(sd > 0, 1.0, np.nan))
    return corr  # type: ignore[no-any-return]


def one_factor(corr: NDArray[np.float64], *, rounds: int = 500,
               tolerance: float = 1e-6) -> NDArray[np.float64] | None:
    """Loadings of one factor fitted to a correlation matrix by iterated principal axis
    factoring (see the module docstring); None when the matrix has missing entries."""
    np = _numpy()
    if np.isnan(corr).any() or corr.shape[0] < MIN_ITEMS:
        return None
    try:
        inverse = np.linalg.inv(corr)
        communality = 1 - 1 / np.diag(inverse)
        if not np.all(np.isfinite(communality)) or (communality < 0).any():
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        off = np.abs(corr - np.eye(corr.shape[0]))
        communality = off.max(axis=1)
    communality = np.clip(communality, 0.0, 0.995)
    loadings = np.sqrt(communality)
    for _ in range(rounds):
        reduced = corr.copy()
        np.fill_diagonal(reduced, communality)
        values, vectors = np.linalg.eigh(reduced)
        top = max(float(values[-1]), 0.0)
        vector = vectors[:, -1]
        if vector.sum() < 0:  # the sign of an eigenvector is arbitrary: most loadings positive
            vector = -vector
        loadings = vector * math.sqrt(top)
        updated = np.clip(loadings ** 2, 0.0, 0.995)
        change = float(np.abs(updated - communality).max())
        communality = updated
        if change < tolerance:
            break
    return loadings  # type: ignore[no-any-return]


def omega_of(loadings: NDArray[np.float64] | None) -> float | None:
    """McDonald's omega (total) of standardized items with one-factor ``loadings``."""
    if loadings is None:
        return None
    common = float(loadings.sum()) ** 2
    unique = float((1 - loadings ** 2).sum())
    return common / (common + unique) if common + unique > 0 else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def _usable(cov: NDArray[np.float64], answers: NDArray[np.int64]) -> list[int]:
    """The items the statistics can use: those that vary, less those never answered together
    with the others (the one with the most missing covariances goes first, then the next)."""
    np = _numpy()
    used = [i for i in range(cov.shape[0]) if math.isfinite(cov[i, i]) and cov[i, i] > 0]
    while used:
        missing = np.isnan(cov[np.ix_(used, used)]).sum(axis=1)
        if not missing.any():
            break
        worst = max(range(len(used)), key=lambda j: (int(missing[j]), -int(answers[used[j]]), j))
        used.pop(worst)
    return used


def scale_statistics(scale: Subscale, table: Sequence[Mapping[str, float]]) -> tuple[Row, list[Row]]:
    """The summary row of one subscale and a row per variable (see the module docstring).

    An item that never varies, or that a condition never shows together with the others
    (fewer than :data:`MIN_PAIRS` analyses answered both), is left out of the statistics
    (``in_scale`` False; the summary counts it in ``excluded``)."""
    np = _numpy()
    keys = [v.key for v in scale.variables]
    data = np.array([[row.get(key, np.nan) for key in keys] for row in table], dtype=float).reshape(
        len(table), len(keys))
    present = ~np.isnan(data)
    full, full_counts = pairwise_covariance(data)
    used = _usable(full, present.sum(axis=0))
    cov = full[np.ix_(used, used)]
    counts = full_counts[np.ix_(used, used)]
    corr = _correlation(cov)
    k = len(used)
    answered = present[:, used].sum(axis=1)
    loadings = one_factor(corr)
    alpha = alpha_of(cov)
    off = corr[~np.eye(k, dtype=bool)]
    floors, ceilings = [], []
    for r in range(len(table)):
        seen = [(data[r, i], v) for i, v in enumerate(scale.variables) if present[r, i]]
        if seen:
            floors.append(all(value <= v.low for value, v in seen))
            ceilings.append(all(value >= v.high for value, v in seen))
    summary: Row = {
        "scale": scale.id, "kind": scale.kind,
        "title_fi": scale.title.get("fi"), "title_en": scale.title.get("en"),
        "item": None, "k": k, "excluded": len(keys) - k, "n": int((answered >= 2).sum()),
        "n_complete": int((answered == k).sum()) if k else 0,
        "min_pair_n": int(counts.min()) if k else 0,
        "alpha": _round(alpha), "alpha_std": _round(alpha_of(corr)), "omega": _round(omega_of(loadings)),
        "mean_r": _round(float(off.mean())) if off.size and not np.isnan(off).any() else None,
        "floor": _share(floors), "ceiling": _share(ceilings),
    }
    items: list[Row] = []
    for i, variable in enumerate(scale.variables):
        column = data[present[:, i], i]
        row: Row = {"scale": scale.id, "kind": scale.kind, "item": variable.key, "in_scale": i in used,
                    "n": int(column.size), "mean": _round(float(column.mean())) if column.size else None,
                    "sd": _round(float(column.std(ddof=1))) if column.size > 1 else None,
                    "r_drop": None, "alpha_if_deleted": None, "loading": None,
                    "floor": _share([bool(v <= variable.low) for v in column]),
                    "ceiling": _share([bool(v >= variable.high) for v in column])}
        if i in used:
            at = used.index(i)
            others = [j for j in range(k) if j != at]
            sub = cov[np.ix_(others, others)]
            rest = float(cov[at, others].sum())
            rest_var = float(sub.sum())
            r_drop = rest / math.sqrt(cov[at, at] * rest_var) if cov[at, at] > 0 and rest_var > 0 else None
            row.update(r_drop=_round(r_drop), alpha_if_deleted=_round(alpha_of(sub)),
                       loading=_round(float(loadings[at])) if loadings is not None else None)
        items.append(row)
    return summary, items


@dataclass(frozen=True)
class Reliability:
    """The reliability of every subscale: one summary row each, and a row per item."""

    scales: list[Row]
    items: list[Row]

    def rows(self) -> list[Row]:
        """One long table: each subscale's summary row followed by its items' rows."""
        out: list[Row] = []
        for summary in self.scales:
            out.append(summary)
            out.extend(row for row in self.items if row["scale"] == summary["scale"])
        return out


COLUMNS = ["scale", "kind", "item", "in_scale", "k", "excluded", "n", "n_complete", "min_pair_n", "alpha",
           "alpha_std", "omega", "mean_r", "mean", "sd", "r_drop", "alpha_if_deleted", "loading", "floor",
           "ceiling", "title_fi", "title_en"]
"""The columns of :meth:`Reliability.rows` as CSV."""


def reliability(program: ScoringProgram, corpus: Iterable[Analysis], *,
                scales: Sequence[Subscale] | None = None) -> Reliability:
    """The reliability statistics of ``scales`` (default: :func:`subscales`) over ``corpus``."""
    table = item_scores(program, corpus)
    summaries: list[Row] = []
    items: list[Row] = []
    for scale in scales if scales is not None else subscales(program):
        summary, rows = scale_statistics(scale, table)
        summaries.append(summary)
        items.extend(rows)
    return Reliability(summaries, items)


_LABELS: Mapping[str, Mapping[str, str]] = {
    "fi": {"title": "Mittarin luotettavuus", "analyses": "analyysia", "kind": "Laji",
           "section": "osio", "instrument": "mittari", "matrix": "matriisi",
           "items": "kysymystä", "complete": "vastasi kaikkiin", "item": "Kysymys", "mean": "Ka.",
           "sd": "Kh.",
           "r_drop": "Korj. r (osio-summa)", "alpha_if_deleted": "Alfa ilman", "loading": "Lataus",
           "floor": "Lattia", "ceiling": "Katto", "flag": "yli 15 % lattialla tai katossa",
           "excluded": "jätetty pois (ei vaihtele tai ei koskaan vastattu yhdessä muiden kanssa)",
           "left_out": "ei mukana",
           "note": ("Alfa ja omega lasketaan parittain täydellisistä kovariansseista; omega yhden faktorin "
                    "mallista (iteroitu pääakselimenetelmä). Puuttuva vastaus ei saa pistettä.")},
    "en": {"title": "Reliability of the instrument", "analyses": "analyses", "kind": "Kind",
           "section": "section", "instrument": "instrument", "matrix": "matrix",
           "items": "items", "complete": "complete", "item": "Item", "mean": "Mean", "sd": "SD",
           "r_drop": "Corr. item-total r", "alpha_if_deleted": "Alpha if deleted", "loading": "Loading",
           "floor": "Floor", "ceiling": "Ceiling", "flag": "over 15 % at the floor or ceiling",
           "excluded": "left out (no variation, or never answered together with the others)",
           "left_out": "left out",
           "note": ("Alpha and omega from pairwise-complete covariances; omega from a one-factor model "
                    "(iterated principal axis). A missing answer gets no score.")},
}


def _fmt(value: Any, lang: str, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if lang == "fi" else text
    return str(value)


def render_markdown(found: Reliability, lang: str = "fi", *, analyses: int | None = None) -> str:
    """The statistics as Markdown: a heading and a summary per subscale, then its items."""
    words = _LABELS[lang]
    lines = [f"# {words['title']}", ""]
    if analyses is not None:
        lines += [f"{analyses} {words['analyses']}. {words['note']}", ""]
    for summary in found.scales:
        flag = any((summary.get(part) or 0) > EFFECT_SHARE for part in ("floor", "ceiling"))
        lines += [
            f"## {summary[f'title_{lang}']} (`{summary['scale']}`, {words[str(summary['kind'])]})", "",
            f"k = {summary['k']} {words['items']}, n = {summary['n']} ({summary['n_complete']} "
            f"{words['complete']}); alpha = {_fmt(summary['alpha'], lang)} "
            f"(std {_fmt(summary['alpha_std'], lang)}), omega = {_fmt(summary['omega'], lang)}, "
            f"mean r = {_fmt(summary['mean_r'], lang)}; {words['floor']} {_fmt(summary['floor'], lang)}, "
            f"{words['ceiling']} {_fmt(summary['ceiling'], lang)}" + (f" ({words['flag']})" if flag else "")
            + (f"; {summary['excluded']} {words['excluded']}" if summary["excluded"] else ""),
            "",
            f"| {words['item']} | n | {words['mean']} | {words['sd']} | {words['r_drop']} | "
            f"{words['alpha_if_deleted']} | {words['loading']} | {words['floor']} | {words['ceiling']} |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in found.items:
            if row["scale"] != summary["scale"]:
                continue
            mark = "" if row["in_scale"] else f" ({words['left_out']})"
            lines.append(
                f"| `{row['item']}`{mark} | {row['n']} | "
                f"{_fmt(row['mean'], lang, 1)} | "
                f"{_fmt(row['sd'], lang, 1)} | "
                f"{_fmt(row['r_drop'], lang)} | {_fmt(row['alpha_if_deleted'], lang)} | "
                f"{_fmt(row['loading'], lang)} | {_fmt(row['floor'], lang)} | {_fmt(row['ceiling'], lang)} |")
        lines.append("")
    return "\n".join(lines)
