"""``asiakasarvo prefill RECORD.json --session ID``: fill basic_info from a saved PRH/YTJ record."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

WORDS = {
    "fi": {"written": "Kirjoitettu rekisteristä (tekijä register)", "kept": "Säilytetty, jo vastattu",
           "warnings": "Huomiot", "none": "ei mitään", "session": "Istunto"},
    "en": {"written": "Written from the register (author register)", "kept": "Kept, already answered",
           "warnings": "Warnings", "none": "nothing", "session": "Session"},
}


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


@click.command("prefill")
@click.argument("record", type=click.Path(path_type=Path), metavar="RECORD.json")
@click.option("--session", "session_ref", required=True, metavar="ID",
              help="The session to fill: an id, a unique id prefix or the company name.")
@click.option("--store", "store_path", default=None, metavar="PATH",
              help="Session store (default: $ASIAKASARVO_STORE or the user data folder).")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None,
              help="Scoring rules the session was started with (default: the shipped rules).")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
              help="Question bank the session was started with (default: the shipped bank).")
@click.pass_context
def prefill_command(ctx: click.Context, record: Path, *, session_ref: str, store_path: str | None,
                    rules_path: Path | None, bank_path: Path | None) -> None:
    """Esitäytä perustiedot YTJ-otteesta / prefill basic_info from a saved PRH/YTJ record.

    RECORD.json is a saved response of the PRH open-data API v3 (``companies: [...]``
    with one company) or a single company object. The answers are written with the author
    ``register`` and the record's date in the note; an item that already has an answer is
    kept as it is. Exit 1 on a bad record or one of another company than the
    session's (nothing is written).
    """
    from asiakasarvo_engine.cli.output import echo_diagnostics, format_text
    from asiakasarvo_engine.cli.sessions import opened
    from asiakasarvo_engine.errors import LoadError
    from asiakasarvo_engine.prefill.record import read_record
    from asiakasarvo_engine.prefill.write import REGISTER_AUTHOR, prefill_session
    from asiakasarvo_engine.scoring.program import load_program
    from asiakasarvo_engine.session.interview import Interview
    from asiakasarvo_engine.session.lookup import resolve_session

    lang = ctx.find_root().obj["lang"]
    words = WORDS[lang]
    try:
        company = read_record(record)
    except LoadError as exc:
        echo_diagnostics(exc.diagnostics, lang)
        sys.exit(1)
    program = load_program(rules_path, bank_path)
    with opened(store_path) as store:
        session_id = resolve_session(store, session_ref, lang)
        interview = Interview.open(program, store, session_id, author=REGISTER_AUTHOR)
        try:
            summary = prefill_session(interview, company)
        except LoadError as exc:
            echo_diagnostics(exc.diagnostics, lang)
            sys.exit(1)
    click.echo(f"{words['session']} {summary.session_id}")
    click.echo(f"{words['written']}:" + ("" if summary.written else f" {words['none']}"))
    for item, value in summary.written.items():
        click.echo(f"  {item} = {_shown(value)}")
    click.echo(f"{words['kept']}:" + ("" if summary.kept else f" {words['none']}"))
    for item in summary.kept:
        click.echo(f"  {item}")
    if summary.warnings:
        click.echo(f"{words['warnings']}:")
        for warning in summary.warnings:
            click.echo(f"  {format_text(warning, lang)}")
