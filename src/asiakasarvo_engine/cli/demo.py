"""``asiakasarvo demo``: a complete analysis of an example company on the shipped defaults.

The example's answers are given through a scripted interview in a temporary SQLite store,
as an advisor would give them in the meeting (with a note and an advisor's override), then the
advisor writes the summary of the written analysis; the finished session is scored and
written as the client version in HTML, Markdown and DOCX in Finnish and English.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.report import write_report
from asiakasarvo_engine.report.session_report import session_report
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.interview import Finish, Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

DEMO_COMPANY = "small_manufacturer.answers.yaml"
OVERRIDE = ("management", 2, {
    "fi": "Strategiaa ei ole kirjattu ja asiakkaat ovat hallituksen asialistalla harvoin; taso 2 "
          "kuvaa johtamisen nykytilaa paremmin kuin rajalla oleva pistemäärä.",
    "en": "The strategy is not written down and customers are rarely on the board's agenda; level 2 "
          "describes management better than a score right on the cut-off."})
SUMMARY = {
    "fi": ("Konepaja tuntee asiakkaansa hyvin ja toimittaa luotettavasti, mutta yrityksen tulevaisuus "
           "lepää yhden suuren asiakkaan varassa eikä hallitus vielä johda asiakasarvoa.",
           ["Tehkää varautumissuunnitelma suurimman asiakkaan varalle ennen seuraavaa budjettia.",
            "Ottakaa asiakkaat jokaisen hallituksen kokouksen ensimmäiseksi asiaksi.",
            "Kirjatkaa omistajien tahto yhdelle sivulle ja hyväksykää se hallituksessa."]),
    "en": ("The workshop knows its customers well and delivers reliably, but its future rests on one "
           "large customer and the board does not yet lead customer value.",
           ["Make a contingency plan for the largest customer before the next budget.",
            "Make customers the first item of every board meeting.",
            "Write the owners' will on one page and approve it at the board."]),
}


@dataclass(frozen=True)
class DemoRun:
    """What the demo did: the session, its outcome and the files written."""

    session_id: str
    finish: Finish
    files: list[Path]


def run_interview(program: ScoringProgram, store: SQLiteStore, lang: str) -> tuple[Interview, Finish]:
    """Give the example company's answers through an interview, section by section."""
    loaded = load_answers(examples_path() / DEMO_COMPANY, program.bank)
    meta = loaded.file
    company = Company(name=meta.company.name, business_id=meta.company.business_id) if meta.company else None
    interview = Interview.start(program, store, company=company, advisor=meta.advisor or "Demo",
                                lang="fi" if lang == "fi" else "en")
    for name in program.bank.items:
        entry = loaded.answers.get(name)
        if entry is None:
            continue
        if name.partition(".")[0] != interview.position.section:
            interview.go_to(name.partition(".")[0])
        outcome = interview.answer(name, entry.value, status=entry.status, note=entry.note)
        if not outcome.ok:
            raise click.ClickException(f"the demo answer to {name} was refused: {outcome.problems}")
    section, level, justification = OVERRIDE
    interview.override(section, level, justification[lang])
    finish = interview.finish()
    overall, proposals = SUMMARY[lang]
    interview.edit("/summary/overall", overall)
    interview.edit("/summary/proposals", proposals)
    return interview, finish


def write_reports(interview: Interview, out: Path) -> list[Path]:
    """The client version in both languages and all three formats."""
    files: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("fi", "en"):
        report = session_report(interview, lang=lang)
        for fmt in ("html", "md", "docx"):
            files += write_report(report, fmt, out / f"analyysi-{lang}.{fmt}")
    return files


def run_demo(lang: str, out: Path) -> DemoRun:
    """Run the whole demo and print a short summary with the paths."""
    program = load_program()
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "demo.sqlite3") as store:
        interview, finish = run_interview(program, store, lang)
        files = write_reports(interview, out)
    result = finish.result
    fi = lang == "fi"
    click.echo(("Esimerkkianalyysi" if fi else "Example analysis") + f": {result.company.name} "
               f"({result.company.business_id})")
    store_words = ("tapahtumaa väliaikaisessa SQLite-tietokannassa" if fi
                   else "events in a temporary SQLite store")
    click.echo(("Haastattelu" if fi else "Interview") + f": {len(interview.events)} {store_words}")
    overall = result.overall
    if overall.level is not None and overall.score is not None:
        score = f"{overall.score:.1f}".replace(".", "," if fi else ".")
        click.echo(("Kokonaisindeksi" if fi else "Overall index") + f": {score} / 100, "
                   + ("taso" if fi else "level") + f" {overall.level.level} {overall.level.name[lang]}")
    recs = result.recommendations
    if recs is not None:
        click.echo("Tärkeimmät suositukset:" if fi else "Key recommendations:")
        for rec in recs.items[: len(recs.key)]:
            click.echo(f"  {rec.rank}. {rec.title[lang]}")
    click.echo("Raportit:" if fi else "Reports:")
    for path in files:
        if path.suffix in {".html", ".md", ".docx"}:
            click.echo(f"  {path}")
    return DemoRun(interview.session_id, finish, files)
