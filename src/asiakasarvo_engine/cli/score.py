"""``asiakasarvo score`` and ``asiakasarvo explain``: a result as text, and its trace tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.cli.output import echo_diagnostics
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report.formats import Formats
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import (
    Company,
    GateResult,
    ItemResult,
    Result,
    SectionResult,
    SectionStatus,
)
from asiakasarvo_engine.session.clock import meeting_date
from asiakasarvo_engine.session.interview import PinMismatchError
from asiakasarvo_engine.session.lookup import is_reference, resolve_session
from asiakasarvo_engine.session.paths import open_store
from asiakasarvo_engine.session.state import fold
from asiakasarvo_engine.session.store import Store

_WORDS: dict[str, dict[str, Any]] = {
    "fi": {"overall": "Kokonaisindeksi", "level": "taso", "completeness": "kattavuus",
           "insufficient": "liian vähän tietoa", "descriptive": "kuvaileva, ei pisteytetä",
           "ratios": "Tunnusluvut", "year": "tilikausi", "size": "Kokoluokka", "de_minimis": "De minimis",
           "aid": "uusi tuki", "headroom": "tukitilaa jäljellä tuen jälkeen", "unknown": "ei tiedossa",
           "warnings": "Huomiot", "gate": "portti", "weights": "painotettu keskiarvo",
           "capped": "rajattu tasolle", "not_fired": "ei lauennut", "not_computable": "ei laskettavissa",
           "section": "Osio", "score": "pisteet",
           "recommendations": "Toimenpidesuositukset", "key": "Tärkeimmät", "others": "Muut suositukset",
           "first_step": "Ensimmäinen askel", "months": "kk", "why": "Miksi", "priority": "prioriteetti",
           "owner": {"owners": "omistajat", "board": "hallitus", "ceo": "toimitusjohtaja",
                     "management_team": "johtoryhmä"},
           "plan": "Kehittämissuunnitelman runko", "baseline": "lähtötaso",
           "rescored": "Istunto {session} pisteytetty säännöillä {used}; se aloitettiin "
                       "säännöillä {pinned}."},
    "en": {"overall": "Overall index", "level": "level", "completeness": "completeness",
           "insufficient": "insufficient data", "descriptive": "descriptive, not scored",
           "ratios": "Key ratios", "year": "fiscal year", "size": "Size class", "de_minimis": "De minimis",
           "aid": "new aid", "headroom": "headroom left after the aid", "unknown": "not known",
           "warnings": "Notes", "gate": "gate", "weights": "weighted mean",
           "capped": "capped at level", "not_fired": "not fired", "not_computable": "not computable",
           "section": "Section", "score": "score",
           "recommendations": "Recommendations", "key": "Key recommendations",
           "others": "Other recommendations",
           "first_step": "First step", "months": "months", "why": "Why", "priority": "priority",
           "owner": {"owners": "owners", "board": "board", "ceo": "CEO",
                     "management_team": "management team"},
           "plan": "Development-plan skeleton", "baseline": "baseline",
           "rescored": "Session {session} scored with rules {used}; it was started with rules {pinned}."},
}


def score_session(program: ScoringProgram, store: Store, session_id: str, lang: str = "fi") -> Result:
    """Score the answers of a stored session; the bank must be the one the session was
    started with, the rules may differ (re-scoring past analyses with tuned rules), and
    then a note on stderr says so."""
    state = fold(store.events(session_id))
    started = state.started
    parts = program.parts
    if started.bank != parts.bank:
        raise PinMismatchError(
            f"session {session_id} was started with bank {started.bank.id} {started.bank.version} "
            f"({started.bank.hash}), not {parts.bank.id} {parts.bank.version} ({parts.bank.hash}); "
            "score it with that bank (--bank)")
    if started.rules != parts.rules:
        pinned, used = started.rules, parts.rules
        click.echo(_WORDS[lang]["rescored"].format(
            session=session_id, used=f"{used.id} {used.version} ({used.hash[:19]})",
            pinned=f"{pinned.id} {pinned.version} ({pinned.hash[:19]})"), err=True)
    company = Company(name=started.company.name, business_id=started.company.business_id)
    return analyse(program, state.answers, company=company, date=meeting_date(started.time, started.zone),
                   zone=started.zone, advisor=started.advisor)


def score_source(program: ScoringProgram, source: Path, lang: str, store_path: str | None) -> Result:
    """Score an answers file, or a stored session by its id."""
    if source.exists() or not is_reference(str(source)):
        return score_file(program, source, lang)
    store = open_store(store_path, readonly=True)
    try:
        return score_session(program, store, resolve_session(store, str(source), lang), lang)
    finally:
        store.close()


def score_file(program: ScoringProgram, path: Path, lang: str = "fi") -> Result:
    """Load, check and analyse one answers file; its warnings go to stderr."""
    loaded = load_answers(path, program.bank)
    echo_diagnostics(loaded.warnings, lang)
    meta = loaded.file
    company = Company(name=meta.company.name, business_id=meta.company.business_id) if meta.company else None
    return analyse(program, loaded.answers, company=company, date=meta.date, advisor=meta.advisor)


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f} %"


def _num(value: float | None, lang: str, digits: int = 1) -> str:
    return Formats(lang, missing="-").number(value, digits)


def _section_line(section_id: str, section: SectionResult, lang: str) -> str:
    words = _WORDS[lang]
    title = section.title.get(lang, section_id)
    if section.status is SectionStatus.DESCRIPTIVE:
        return f"  {title:<44} {words['descriptive']}"
    if section.status is SectionStatus.INSUFFICIENT_DATA:
        return f"  {title:<44} {words['insufficient']} ({words['completeness']} {_pct(section.completeness)})"
    level = section.level
    name = f"{level.level} {level.name.get(lang, '')}" if level else "-"
    return f"  {title:<44} {_num(section.score, lang):>6}  {name:<22} {_pct(section.completeness):>6}"


def format_result(result: Result, lang: str) -> str:
    """The result for a person: overall, sections, indicators, warnings."""
    words = _WORDS[lang]
    lines: list[str] = []
    who = " ".join(p for p in (result.company.name, f"({result.company.business_id})"
                               if result.company.business_id else None) if p)
    lines.append(f"{who or '-'}  {result.date or ''}".rstrip())
    lines.append(f"{result.bank.id} {result.bank.version} / {result.rules.id} {result.rules.version}")
    overall = result.overall
    if overall.score is None or overall.level is None:
        lines.append(f"{words['overall']}: {words['insufficient']}")
    else:
        lines.append(f"{words['overall']}: {_num(overall.score, lang)} / 100, {words['level']} "
                     f"{overall.level.level} {overall.level.name.get(lang, '')} "
                     f"({words['completeness']} {_pct(overall.completeness)})")
    lines.append(f"  {words['section']:<44} {words['score']:>6}  {words['level']:<22} "
                 f"{words['completeness']:>6}")
    lines.extend(_section_line(sid, section, lang) for sid, section in result.sections.items())
    indicators = result.indicators
    if indicators is not None:
        year = f" ({words['year']} {indicators.fiscal_year})" if indicators.fiscal_year else ""
        lines.append(f"{words['ratios']}{year}:")
        for ratio in indicators.ratios.values():
            unit = " %" if ratio.unit == "percent" else ""
            if ratio.value is None:
                shown = words["not_computable"]
            else:
                band = f"  {ratio.band_label.get(lang, '')}" if ratio.band_label else ""
                shown = f"{_num(ratio.value, lang, 2)}{unit}{band}"
            lines.append(f"  {ratio.title.get(lang, ''):<44} {shown}")
        size = indicators.size_class
        lines.append(f"{words['size']}: {size.label.get(lang, '')}. {size.reason.get(lang, '')}")
        aid = indicators.de_minimis
        if aid is not None:
            headroom = words["unknown"] if aid.headroom_after is None \
                else f"{_num(float(aid.headroom_after), lang, 0)} EUR"
            new_aid = _num(float(aid.total_new_aid), lang, 0)
            lines.append(f"{words['de_minimis']}: {words['aid']} {new_aid} EUR, "
                         f"{words['headroom']} {headroom}")
            if aid.warning:
                lines.append(f"  ! {aid.warning.get(lang, '')}")
    lines.extend(_recommendation_lines(result, lang))
    if result.warnings:
        lines.append(f"{words['warnings']}:")
        lines.extend(f"  - {w.get(lang, '')}" for w in result.warnings)
    return "\n".join(lines) + "\n"


def _recommendation_lines(result: Result, lang: str) -> list[str]:
    words = _WORDS[lang]
    recs = result.recommendations
    if recs is None or not recs.items:
        return []
    lines = [f"{words['recommendations']}:"]
    for index, rec in enumerate(recs.items):
        if index == 0:
            lines.append(f"  {words['key']}:")
        elif not rec.key and recs.items[index - 1].key:
            lines.append(f"  {words['others']}:")
        lines.append(f"  {rec.rank}. {rec.title.get(lang, '')}  [{rec.horizon} {words['months']}, "
                     f"{words['owner'][rec.owner]}, {rec.module_title.get(lang, '')}]")
        if rec.key:
            lines.append(f"     {rec.text.get(lang, '')}")
            lines.append(f"     {words['first_step']}: {rec.first_step.get(lang, '')}")
    if recs.plan:
        lines.append(f"{words['plan']}:")
        for entry in recs.plan:
            metrics = "; ".join(f"{m.title.get(lang, '')} ({words['baseline']} {_baseline(m.baseline, lang)})"
                                for m in entry.metrics)
            lines.append(f"  - {entry.goal.get(lang, '')} {metrics}")
    return lines


def _baseline(value: float | str | None, lang: str) -> str:
    if value is None:
        return "-"
    return _num(value, lang) if isinstance(value, float) else value


def _why_lines(result: Result, lang: str) -> list[str]:
    words = _WORDS[lang]
    recs = result.recommendations
    if recs is None:
        return []
    lines = [f"{words['recommendations']} ({words['priority']} = {recs.formula}):"]
    for rec in recs.items:
        inputs = ", ".join(f"{k}={'-' if v is None else f'{v:g}'}" for k, v in rec.priority_inputs.items())
        because = ", ".join(f"{k}={v!r}" for k, v in rec.fired_because.items())
        lines.append(f"  {rec.rank}. {rec.id}: {words['priority']} {rec.priority:g} ({inputs})")
        lines.append(f"     {words['why']}: {because}")
    lines.extend(f"  - {d.id}: superseded by {d.superseded_by}" for d in recs.dropped)
    return lines


def _item_line(name: str, item: ItemResult, lang: str) -> str:
    detail = item.detail
    if item.score is None:
        how = f"{item.state.value} -> ({item.counts_as.value})"
    elif item.basis == "scale":
        how = f"{detail.get('scale')} point {detail.get('point')} -> {item.score:g}"
    elif item.basis == "choices" and "chosen" in detail:
        how = f"{', '.join(detail['chosen'])} -> sum {detail['sum']:g} -> {item.score:g}"
    elif item.basis == "choices":
        how = f"{detail.get('choice')} -> {item.score:g}"
    elif item.basis == "columns":
        cells = ", ".join(f"{k}={v:g}" for k, v in detail.get("cells", {}).items())
        how = f"mean of [{cells}] -> {item.score:g}"
    elif item.basis == "expression":
        how = f"expression -> {detail.get('expression_value')} -> {item.score:g}"
    else:
        how = f"{item.state.value} ({item.basis}) -> {item.score:g}"
    return f"    {name.split('.', 1)[1]:<36} w={item.weight:<4g} {how}"


def format_explain(result: Result, lang: str, section: str | None = None) -> str:
    """The trace tree: overall from sections, sections from items, with weights and gates."""
    words = _WORDS[lang]
    lines: list[str] = []
    overall = result.overall
    if section is None:
        parts = " + ".join(f"{sid} {result.sections[sid].score:g}x{w:g}"
                           for sid, w in overall.sections.items() if result.sections[sid].score is not None)
        level = "-" if overall.level is None else \
            f"{words['level']} {overall.level.level} (>= {overall.level.min_score:g})"
        lines.append(f"{words['overall']}: {_num(overall.score, lang, 2)} = {words['weights']} "
                     f"[{parts}] -> {level}")
        lines.extend(_gate_lines(overall.gates, overall.level_before_gates, lang))
        lines.extend(_why_lines(result, lang))
    for sid, body in result.sections.items():
        if section is not None and sid != section:
            continue
        lines.append(_section_line(sid, body, lang).strip())
        if body.status is SectionStatus.DESCRIPTIVE:
            continue
        items = [(name, item) for name, item in result.items.items() if item.section == sid]
        scored = [(item.weight, item.score) for _, item in items
                  if item.score is not None and item.weight > 0]
        total = sum(w * s for w, s in scored)
        weights = sum(w for w, _ in scored)
        lines.extend(_item_line(name, item, lang) for name, item in items)
        lines.append(f"    = {total:g} / {weights:g} ({words['weights']}); {words['completeness']} "
                     f"{body.answered}/{body.expected} = {_pct(body.completeness)} "
                     f"(min {_pct(body.min_answered_share)})")
        if body.level is not None:
            lines.append(f"    -> {words['level']} {body.level_before_gates} "
                         f"(cut-offs: {_cutoffs(result)})")
        lines.extend(_gate_lines(body.gates, body.level_before_gates, lang))
    return "\n".join(lines) + "\n"


def _cutoffs(result: Result) -> str:
    return ", ".join(f"{level.level}>={level.min_score:g}" for level in result.levels)


def _gate_lines(gates: list[GateResult], level_before: int | None, lang: str) -> list[str]:
    words = _WORDS[lang]
    lines = []
    for gate in gates:
        effect = f"{words['capped']} {gate.cap_level}" if gate.applied \
            else f"({words['level']} {level_before} <= {gate.cap_level})"
        lines.append(f"    {words['gate']} {gate.id}: {effect} - {gate.reason.get(lang, '')}")
    return lines
