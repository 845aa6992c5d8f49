"""The quality surveys aggregated by survey and module (``research feedback``).

The corpus is answers files (or sessions) of the feedback bank (``question_banks/palaute``).
What is measured is read from the bank's structure, not from a list of ids:

* a *survey* is a section with a recommendation score, a usefulness item or before/now
  learning items (the respondent part has none of them);
* its *recommendation score* is a Likert item on a 0-10 scale: the mean and the NPS
  (promoters 9-10 minus detractors 0-6, in percentage points);
* its *usefulness* is the Likert item ``usefulness`` (the bank keeps an id the same in
  every survey where it means the same): the mean and the share answering the top two points;
* its *learning items* are the before/now pairs ``<prefix>before_<topic>`` and
  ``<prefix>now_<topic>`` on one scale: per respondent the mean of now minus before over the
  topics answered both ways, then the mean over respondents; and per topic;
* every other Likert item is a rating: its mean per survey.

An answer the bank's conditions hide (another survey's question) is not counted.

Small cells: a figure over fewer than ``min_cell`` respondents is hidden (``..``). The
first table has a row for all surveys together, so each of its columns is a published sum
(``n * mean``) and gets the secondary suppression of :mod:`.snapshot`: never exactly one
hidden survey in a column.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.compiled import CompiledBank, compile_bank
from asiakasarvo_engine.bank.load import load_bank
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError
from asiakasarvo_engine.research.rescore import Row
from asiakasarvo_engine.research.snapshot import SUPPRESSED, protect

_BEFORE = re.compile(r"^(?P<prefix>.*?)before_(?P<topic>.+)$")
USEFULNESS = "usefulness"
"""The id of the usefulness item in every survey."""


def feedback_bank_path() -> Path:
    """The shipped feedback bank's manifest."""
    from asiakasarvo_engine._resources import data_root

    return data_root() / "question_banks" / "palaute" / "bank.yaml"


def load_feedback_bank(path: str | Path | None = None) -> CompiledBank:
    """The feedback bank (the shipped one by default), loaded and compiled."""
    return compile_bank(load_bank(path if path is not None else feedback_bank_path()))


@dataclass(frozen=True)
class Survey:
    """A survey section and the items the aggregates read (full ``section.item`` names)."""

    id: str
    title: Mapping[str, str]
    recommendation: str | None
    usefulness: str | None
    usefulness_top: tuple[int, ...]
    """The top two points of the usefulness scale."""
    learning: tuple[tuple[str, str, str], ...]
    """(topic, before item, now item)."""
    ratings: tuple[tuple[str, Mapping[str, str]], ...] = field(default=())


def surveys(bank: CompiledBank) -> list[Survey]:
    """The surveys of a feedback bank (see the module docstring); RES-031 when it has none."""
    loaded = bank.loaded.bank
    found: list[Survey] = []
    for section in loaded.bodies():
        likert = [item for item in section.items if item.type is QuestionType.LIKERT and item.scale]
        if not likert:
            continue
        by_id = {item.id: item for item in likert}
        recommendation = usefulness = None
        top: tuple[int, ...] = ()
        learning: list[tuple[str, str, str]] = []
        paired: set[str] = set()
        for item in likert:
            points = [point.value for point in loaded.scales[item.scale or ""].points]
            if recommendation is None and points == list(range(11)):
                recommendation = item.id
            elif item.id == USEFULNESS:
                usefulness = item.id
                top = tuple(sorted(points)[-2:])
            match = _BEFORE.match(item.id)
            if match:
                now = f"{match['prefix']}now_{match['topic']}"
                if now in by_id and by_id[now].scale == item.scale:
                    learning.append((match["topic"], item.id, now))
                    paired |= {item.id, now}
        if recommendation is None and usefulness is None and not learning:
            continue
        ratings = tuple((item.id, dict(item.text)) for item in likert
                        if item.id not in paired and item.id not in {recommendation, usefulness})
        name = f"{section.id}."
        found.append(Survey(
            section.id, dict(section.title), name + recommendation if recommendation else None,
            name + usefulness if usefulness else None, top,
            tuple((topic, name + before, name + now) for topic, before, now in learning),
            tuple((name + item, text) for item, text in ratings)))
    if not found:
        raise CodedResearchError("RES-031", found=f"{loaded.id} {loaded.version}",
                                 expected="Likert items (usefulness, a 0-10 recommendation, "
                                          "before/now pairs)")
    return found


@dataclass(frozen=True)
class FeedbackSummary:
    """Per survey the headline figures, per survey and topic the learning, and the ratings."""

    surveys: list[Row]
    topics: list[Row]
    ratings: list[Row]
    respondents: int
    min_cell: int


def _visible_values(bank: CompiledBank, analysis: Analysis) -> dict[str, Any]:
    values = {name: entry.value for name, entry in analysis.answers.items()
              if entry.status is AnswerStatus.ANSWERED}
    hidden = bank.evaluate(values).hidden
    return {name: value for name, value in values.items() if name not in hidden}


def _mean(values: Sequence[float], digits: int = 2) -> float | None:
    return round(statistics.fmean(values), digits) if values else None


def _numbers(values: Iterable[dict[str, Any]], name: str) -> list[float]:
    return [float(v[name]) for v in values
            if isinstance(v.get(name), int | float) and not isinstance(v[name], bool)]


def _gain(values: Mapping[str, Any], survey: Survey) -> tuple[float, float, float] | None:
    pairs = [(float(values[before]), float(values[now])) for _, before, now in survey.learning
             if isinstance(values.get(before), int) and isinstance(values.get(now), int)]
    if not pairs:
        return None
    before = statistics.fmean(b for b, _ in pairs)
    now = statistics.fmean(n for _, n in pairs)
    return before, now, now - before


def _headline(found: Sequence[Survey], answered: Mapping[str, list[dict[str, Any]]]) -> list[Row]:
    rows: list[Row] = []
    groups: list[tuple[str, Mapping[str, str], list[tuple[Survey, dict[str, Any]]]]] = [
        (survey.id, survey.title, [(survey, values) for values in answered[survey.id]]) for survey in found]
    groups.append(("all", {"fi": "Kaikki kyselyt", "en": "All surveys"},
                   [(survey, values) for survey in found for values in answered[survey.id]]))
    for key, title, members in groups:
        useful = [float(v[s.usefulness]) for s, v in members
                  if s.usefulness and isinstance(v.get(s.usefulness), int)]
        tops = [v[s.usefulness] in s.usefulness_top for s, v in members
                if s.usefulness and isinstance(v.get(s.usefulness), int)]
        scores = [float(v[s.recommendation]) for s, v in members
                  if s.recommendation and isinstance(v.get(s.recommendation), int)]
        gains = [gain for s, v in members if (gain := _gain(v, s)) is not None]
        rows.append({
            "survey": key, "title_fi": title.get("fi"), "title_en": title.get("en"),
            "respondents": len(members),
            "usefulness_n": len(useful), "usefulness_mean": _mean(useful),
            "usefulness_top2": round(sum(tops) / len(tops), 4) if tops else None,
            "recommend_n": len(scores), "recommend_mean": _mean(scores),
            "nps": round(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores), 1)
            if scores else None,
            "learning_n": len(gains), "before_mean": _mean([g[0] for g in gains]),
            "now_mean": _mean([g[1] for g in gains]), "change_mean": _mean([g[2] for g in gains]),
            "change_sd": round(statistics.stdev([g[2] for g in gains]), 2) if len(gains) > 1 else None,
        })
    return rows


_GROUPS = {"respondents": ("respondents",),
           "usefulness_n": ("usefulness_mean", "usefulness_top2"),
           "recommend_n": ("recommend_mean", "nps"),
           "learning_n": ("before_mean", "now_mean", "change_mean", "change_sd")}
"""Each n and the figures over it, hidden together."""


def _suppress_headline(rows: list[Row], min_cell: int) -> None:
    columns = list(_GROUPS)
    counts = [[int(row[name]) for name in columns] for row in rows]
    first = [[0 < value < min_cell for value in line] for line in counts]
    lines = [[(r, c) for r in range(len(rows))] for c in range(len(columns))]
    margins = [(len(rows) - 1, c) for c in range(len(columns))]
    mask = protect(counts, first, lines, margins)
    for r, row in enumerate(rows):
        row["suppressed"] = [name for c, n_name in enumerate(columns) if mask[r][c]
                             for name in (n_name, *_GROUPS[n_name])]


def _topic(bank: CompiledBank, now: str) -> dict[str, str]:
    """A learning topic's words: the now item's text after its first colon ("My competence
    now: where customer value comes from"), or the whole text."""
    text = bank.items[now].item.text
    return {lang: text.get(lang, now).partition(": ")[2] or text.get(lang, now) for lang in ("fi", "en")}


def feedback(bank: CompiledBank, corpus: Iterable[Analysis], *, min_cell: int = 5) -> FeedbackSummary:
    """Aggregate the feedback corpus (see the module docstring)."""
    found = surveys(bank)
    answered: dict[str, list[dict[str, Any]]] = {survey.id: [] for survey in found}
    every: list[dict[str, Any]] = []
    for analysis in corpus:
        values = _visible_values(bank, analysis)
        every.append(values)
        for survey in found:
            if any(name.startswith(f"{survey.id}.") for name in values):
                answered[survey.id].append(values)
    if not every:
        raise CodedResearchError("RES-023", found="aggregate")
    headline = _headline(found, answered)
    _suppress_headline(headline, min_cell)
    topics: list[Row] = []
    ratings: list[Row] = []
    for survey in found:
        members = answered[survey.id]
        for topic, before, now in survey.learning:
            both = [v for v in members if isinstance(v.get(before), int) and isinstance(v.get(now), int)]
            hide = 0 < len(both) < min_cell
            changes = [float(v[now]) - float(v[before]) for v in both]
            words = _topic(bank, now)
            topics.append({"survey": survey.id, "survey_fi": survey.title.get("fi"),
                           "survey_en": survey.title.get("en"), "topic": topic,
                           "topic_fi": words["fi"], "topic_en": words["en"], "n": len(both),
                           "before_mean": None if hide else _mean(_numbers(both, before)),
                           "now_mean": None if hide else _mean(_numbers(both, now)),
                           "change_mean": None if hide else _mean(changes),
                           "suppressed": ["before_mean", "now_mean", "change_mean"] if hide else []})
        for item, text in survey.ratings:
            scores = _numbers(members, item)
            hide = 0 < len(scores) < min_cell
            ratings.append({"survey": survey.id, "survey_fi": survey.title.get("fi"),
                            "survey_en": survey.title.get("en"), "item": item, "text_fi": text.get("fi"),
                            "text_en": text.get("en"), "n": len(scores),
                            "mean": None if hide else _mean(scores), "suppressed": ["mean"] if hide else []})
    return FeedbackSummary(headline, topics, ratings, len(every), min_cell)


HEADLINE_COLUMNS = ["survey", "title_fi", "title_en", "respondents", "usefulness_n", "usefulness_mean",
                    "usefulness_top2", "recommend_n", "recommend_mean", "nps", "learning_n", "before_mean",
                    "now_mean", "change_mean", "change_sd"]
TOPIC_COLUMNS = ["survey", "survey_fi", "survey_en", "topic", "topic_fi", "topic_en", "n", "before_mean",
                 "now_mean", "change_mean"]
RATING_COLUMNS = ["survey", "survey_fi", "survey_en", "item", "text_fi", "text_en", "n", "mean"]


def shown(rows: Sequence[Row], columns: Sequence[str]) -> list[Row]:
    """The rows with hidden figures as ``..``."""
    return [{name: SUPPRESSED if name in row.get("suppressed", ()) else row.get(name) for name in columns}
            for row in rows]


_WORDS: Mapping[str, Mapping[str, str]] = {
    "fi": {"title": "Palautekyselyt", "respondents": "vastausta", "survey": "Kysely", "n": "Vastaajia",
           "useful": "Hyödyllisyys ka. (n)", "top2": "Hyödyllinen (4–5)", "recommend": "Suosittelu ka. (n)",
           "nps": "NPS", "learning": "Osaamisen muutos ka. (n)", "topics": "Osaaminen ennen ja nyt",
           "topic": "Aihe", "before": "Ennen", "now": "Nyt", "change": "Muutos",
           "ratings": "Muut arviot", "item": "Kysymys", "mean": "Ka.",
           "note": f"Alle {{min_cell}} vastaajan luvut on piilotettu ({SUPPRESSED})."},
    "en": {"title": "Feedback surveys", "respondents": "responses", "survey": "Survey", "n": "Respondents",
           "useful": "Usefulness mean (n)", "top2": "Useful (4-5)", "recommend": "Recommendation mean (n)",
           "nps": "NPS", "learning": "Change in competence mean (n)", "topics": "Competence before and now",
           "topic": "Topic", "before": "Before", "now": "Now", "change": "Change",
           "ratings": "Other ratings", "item": "Item", "mean": "Mean",
           "note": f"Figures of fewer than {{min_cell}} respondents are hidden ({SUPPRESSED})."},
}


def _fmt(value: Any, lang: str, digits: int = 2) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    if isinstance(value, float):
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if lang == "fi" else text
    return str(value)


def _with_n(mean: Any, n: Any, lang: str) -> str:
    return SUPPRESSED if mean == SUPPRESSED else f"{_fmt(mean, lang)} ({n})"


def render_markdown(found: FeedbackSummary, lang: str = "fi") -> str:
    """The three tables as Markdown."""
    words = _WORDS[lang]
    lines = [f"# {words['title']}", "", f"{found.respondents} {words['respondents']}. "
             + words["note"].format(min_cell=found.min_cell), "",
             f"| {words['survey']} | {words['n']} | {words['useful']} | {words['top2']} | "
             f"{words['recommend']} | "
             f"{words['nps']} | {words['learning']} |", "|---|---:|---:|---:|---:|---:|---:|"]
    for row in shown(found.surveys, [*HEADLINE_COLUMNS, "respondents"]):
        lines.append(f"| {row[f'title_{lang}']} | {_fmt(row['respondents'], lang)} | "
                     f"{_with_n(row['usefulness_mean'], row['usefulness_n'], lang)} | "
                     f"{_fmt(row['usefulness_top2'], lang)} | "
                     f"{_with_n(row['recommend_mean'], row['recommend_n'], lang)} | "
                     f"{_fmt(row['nps'], lang, 1)} | "
                     f"{_with_n(row['change_mean'], row['learning_n'], lang)} |")
    lines += ["", f"## {words['topics']}", "",
              f"| {words['survey']} | {words['topic']} | n | {words['before']} | {words['now']} | "
              f"{words['change']} |", "|---|---|---:|---:|---:|---:|"]
    for row in shown(found.topics, TOPIC_COLUMNS):
        lines.append(f"| {row[f'survey_{lang}']} | {row[f'topic_{lang}']} | {row['n']} | "
                     f"{_fmt(row['before_mean'], lang)} | "
                     f"{_fmt(row['now_mean'], lang)} | {_fmt(row['change_mean'], lang)} |")
    lines += ["", f"## {words['ratings']}", "",
              f"| {words['survey']} | {words['item']} | n | {words['mean']} |",
              "|---|---|---:|---:|"]
    for row in shown(found.ratings, RATING_COLUMNS):
        lines.append(f"| {row[f'survey_{lang}']} | {row[f'text_{lang}']} | {row['n']} | "
                     f"{_fmt(row['mean'], lang)} |")
    lines.append("")
    return "\n".join(lines)
