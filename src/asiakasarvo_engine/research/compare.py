"""Two rule sets over one corpus (``research compare``): a reform against a baseline.

Every analysis is scored with rule set A (the baseline) and rule set B (the reform).
A row tells, per section and overall, the scores and levels under both and the change of
level (B minus A), and which recommendations appear under B, vanish from A and change
rank. :func:`summary` counts, per section, the companies whose level goes up or down, and
per recommendation how often it appears, vanishes or moves; :func:`summary_markdown`
writes it in Finnish or English. Everything is plain data in a fixed order: the same
corpus gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError
from asiakasarvo_engine.research.rescore import Row, rescore
from asiakasarvo_engine.scoring.program import ScoringProgram

_HEAD = ("id", "province", "size_class", "industry", "date")


def sections_of(program_a: ScoringProgram, program_b: ScoringProgram) -> list[str]:
    """The scored sections of either rule set: A's order, then B's new ones."""
    ids = [section.id for section in program_a.sections]
    ids += [section.id for section in program_b.sections if section.id not in ids]
    return ids


def columns(program_a: ScoringProgram, program_b: ScoringProgram) -> list[str]:
    """The columns of a comparison row, in order."""
    parts = [f"{sid}_{part}" for sid in [*sections_of(program_a, program_b), "overall"]
             for part in ("score_a", "score_b", "level_a", "level_b", "change")]
    return [*_HEAD, *parts, "appeared", "vanished", "moved", "recommendations_a", "recommendations_b"]


def _change(level_a: int | None, level_b: int | None) -> int | None:
    return None if level_a is None or level_b is None else level_b - level_a


def compare_rows(rows_a: Sequence[Row], rows_b: Sequence[Row], sections: Sequence[str]) -> list[Row]:
    """The comparison rows of two rescores of the same corpus (row by row)."""
    if len(rows_a) != len(rows_b):
        raise ValueError(f"{len(rows_a)} rows under A but {len(rows_b)} under B")
    compared: list[Row] = []
    for row_a, row_b in zip(rows_a, rows_b, strict=True):
        row: Row = {name: row_a.get(name) for name in _HEAD}
        for sid in [*sections, "overall"]:
            level_a, level_b = row_a.get(f"{sid}_level"), row_b.get(f"{sid}_level")
            row[f"{sid}_score_a"] = row_a.get(f"{sid}_score")
            row[f"{sid}_score_b"] = row_b.get(f"{sid}_score")
            row[f"{sid}_level_a"] = level_a
            row[f"{sid}_level_b"] = level_b
            row[f"{sid}_change"] = _change(level_a, level_b)
        recs_a: list[str] = list(row_a.get("recommendations") or [])
        recs_b: list[str] = list(row_b.get("recommendations") or [])
        rank_a = {rec: rank for rank, rec in enumerate(recs_a, start=1)}
        rank_b = {rec: rank for rank, rec in enumerate(recs_b, start=1)}
        row["appeared"] = [rec for rec in recs_b if rec not in rank_a]
        row["vanished"] = [rec for rec in recs_a if rec not in rank_b]
        row["moved"] = [f"{rec}:{rank_a[rec]}>{rank_b[rec]}" for rec in recs_a
                        if rec in rank_b and rank_a[rec] != rank_b[rec]]
        row["recommendations_a"] = recs_a
        row["recommendations_b"] = recs_b
        compared.append(row)
    return compared


def compare(program_a: ScoringProgram, program_b: ScoringProgram, corpus: Sequence[Analysis], *,
            key: bytes | None = None, progress: bool = False) -> list[Row]:
    """One row per analysis of ``corpus``: A's and B's scores, levels and recommendations and
    what changed (see the module docstring). Both rule sets must be of the corpus's bank."""
    if not corpus:
        raise CodedResearchError("RES-023", found="compare")
    rows_a = rescore(program_a, corpus, key=key, progress=progress)
    rows_b = rescore(program_b, corpus, key=key, progress=progress)
    return compare_rows(rows_a, rows_b, sections_of(program_a, program_b))


def section_titles(program_a: ScoringProgram, program_b: ScoringProgram) -> dict[str, dict[str, str]]:
    """Each scored section's title (fi, en), and the overall index's."""
    titles = {section.id: dict(section.title) for section in (*program_b.sections, *program_a.sections)}
    return {**titles, "overall": {"fi": "Kokonaisuus", "en": "Overall"}}


def summary(rows: Sequence[Row], sections: Sequence[str], *, rules_a: str = "A",
            rules_b: str = "B", titles: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
    """Counts over comparison rows: per section (and overall) how many companies go up, down,
    stay, or become scored or unscored, with the mean score change; per recommendation how
    often it fires under A and B, appears, vanishes, moves up or down. ``titles`` (see
    :func:`section_titles`) names the sections in the Markdown."""
    by_section: list[dict[str, Any]] = []
    for sid in [*sections, "overall"]:
        up = down = same = newly = lost = 0
        deltas: list[float] = []
        for row in rows:
            level_a, level_b = row[f"{sid}_level_a"], row[f"{sid}_level_b"]
            if level_a is None and level_b is not None:
                newly += 1
            elif level_a is not None and level_b is None:
                lost += 1
            elif level_a is not None and level_b is not None:
                up += level_b > level_a
                down += level_b < level_a
                same += level_b == level_a
            score_a, score_b = row[f"{sid}_score_a"], row[f"{sid}_score_b"]
            if score_a is not None and score_b is not None:
                deltas.append(score_b - score_a)
        by_section.append({"section": sid, "title": dict((titles or {}).get(sid, {})), "up": up, "down": down,
                           "same": same, "newly_scored": newly, "no_longer_scored": lost,
                           "mean_score_change": round(sum(deltas) / len(deltas), 2) if deltas else None})
    counts: dict[str, dict[str, Any]] = {}

    def entry(rec: str) -> dict[str, Any]:
        return counts.setdefault(rec, {"recommendation": rec, "fired_a": 0, "fired_b": 0, "appeared": 0,
                                       "vanished": 0, "moved_up": 0, "moved_down": 0})

    for row in rows:
        for rec in row["recommendations_a"]:
            entry(rec)["fired_a"] += 1
        for rec in row["recommendations_b"]:
            entry(rec)["fired_b"] += 1
        for rec in row["appeared"]:
            entry(rec)["appeared"] += 1
        for rec in row["vanished"]:
            entry(rec)["vanished"] += 1
        for moved in row["moved"]:
            rec, _, ranks = moved.rpartition(":")
            before, _, after = ranks.partition(">")
            entry(rec)["moved_up" if int(after) < int(before) else "moved_down"] += 1
    recommendations = sorted(counts.values(), key=lambda c: (-(c["appeared"] + c["vanished"]),
                                                             -(c["moved_up"] + c["moved_down"]),
                                                             c["recommendation"]))
    changed = sum(1 for row in rows if row["appeared"] or row["vanished"] or row["moved"]
                  or any(row[f"{sid}_change"] for sid in [*sections, "overall"]))
    return {"rules_a": rules_a, "rules_b": rules_b, "analyses": len(rows), "changed": changed,
            "sections": by_section, "recommendations": recommendations}


_WORDS = {
    "fi": {"title": "Sääntöjen vertailu", "analyses": "analyysia", "changed": "joissa jokin muuttui",
           "levels": "Tasomuutokset osioittain", "section": "osio", "up": "ylös", "down": "alas",
           "same": "ennallaan", "newly": "uusi pisteytys", "lost": "ei enää pisteytetty",
           "mean": "pisteiden muutos keskimäärin", "recs": "Suositukset", "rec": "suositus",
           "fired_a": "A:ssa", "fired_b": "B:ssä", "appeared": "ilmestyi", "vanished": "katosi",
           "moved_up": "nousi", "moved_down": "laski", "none": "Yksikään suositus ei muuttunut.",
           "overall": "kokonaisuus"},
    "en": {"title": "Comparison of rule sets", "analyses": "analyses", "changed": "with any change",
           "levels": "Level changes by section", "section": "section", "up": "up", "down": "down",
           "same": "same", "newly": "newly scored", "lost": "no longer scored",
           "mean": "mean score change", "recs": "Recommendations", "rec": "recommendation",
           "fired_a": "under A", "fired_b": "under B", "appeared": "appeared", "vanished": "vanished",
           "moved_up": "moved up", "moved_down": "moved down", "none": "No recommendation changed.",
           "overall": "overall"},
}


def _number(value: Any, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:+.2f}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if lang == "fi" else text


def _table(head: Sequence[str], body: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        return lines + ["| " + " | ".join(cells) + " |" for cells in body]
    widths = [max(len(cell) for cell in column) for column in zip(head, *body, strict=True)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
            for cells in [head, *body]]


def _label(section: dict[str, Any], words: dict[str, str], lang: str) -> str:
    title: str | None = (section.get("title") or {}).get(lang)
    if title:
        return title
    return words["overall"] if section["section"] == "overall" else str(section["section"])


def summary_markdown(data: dict[str, Any], lang: str = "fi", *, markdown: bool = True) -> str:
    """The summary as Markdown (or, ``markdown=False``, aligned plain text) in ``fi`` or ``en``."""
    words = _WORDS["fi" if lang == "fi" else "en"]
    heading = "# " if markdown else ""
    sub = "## " if markdown else ""
    lines = [f"{heading}{words['title']}: A = {data['rules_a']}, B = {data['rules_b']}", "",
             f"{data['analyses']} {words['analyses']}, {data['changed']} {words['changed']}.", "",
             f"{sub}{words['levels']}", ""]
    body = [[_label(s, words, lang), str(s["up"]), str(s["down"]), str(s["same"]),
             str(s["newly_scored"]), str(s["no_longer_scored"]), _number(s["mean_score_change"], lang)]
            for s in data["sections"]]
    lines += _table([words["section"], words["up"], words["down"], words["same"], words["newly"],
                     words["lost"], words["mean"]], body, markdown)
    lines += ["", f"{sub}{words['recs']}", ""]
    changed = [r for r in data["recommendations"]
               if r["appeared"] or r["vanished"] or r["moved_up"] or r["moved_down"]]
    if not changed:
        lines.append(words["none"])
    else:
        body = [[r["recommendation"], str(r["fired_a"]), str(r["fired_b"]), str(r["appeared"]),
                 str(r["vanished"]), str(r["moved_up"]), str(r["moved_down"])] for r in changed]
        lines += _table([words["rec"], words["fired_a"], words["fired_b"], words["appeared"],
                         words["vanished"], words["moved_up"], words["moved_down"]], body, markdown)
    return "\n".join(lines) + "\n"
