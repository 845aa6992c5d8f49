"""``asiakasarvo prefill (RECORD.json | --fetch BUSINESS_ID) --session ID``: fill basic_info from a
PRH/YTJ record, saved before or fetched from the PRH open-data API when asked."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

WORDS = {
    "fi": {"written": "Kirjoitettu rekisteristä (tekijä register)", "kept": "Säilytetty, jo vastattu",
           "warnings": "Huomiot", "none": "ei mitään", "session": "Istunto",
           "fetched": "Haettu rekisteristä", "saved": "Tietue tallennettu",
           "one_source": "anna joko RECORD.json tai --fetch Y-TUNNUS, ei molempia eikä kumpaakin pois"},
    "en": {"written": "Written from the register (author register)", "kept": "Kept, already answered",
           "warnings": "Warnings", "none": "nothing", "session": "Session",
           "fetched": "Fetched from the register", "saved": "Record saved",
           "one_source": "give either RECORD.json or --fetch BUSINESS_ID, not both and not neither"},
}


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


@click.command("prefill")
@click.argument("record", type=click.Path(path_type=Path), metavar="[RECORD.json]", required=False)
@click.option("--fetch", "fetch_id", default=None, metavar="BUSINESS_ID",
              help="Fetch the record from the PRH open-data API v3 instead of a file.")
@click.option("--prh-url", "prh_url", default=None, metavar="URL",
              help="Base URL of the register API (default: $ASIAKASARVO_PRH_URL or "
                   "https://avoindata.prh.fi/opendata-ytj-api/v3).")
@click.option("--save", "save_path", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Where --fetch saves the record (default: register-records/ beside the store).")
@click.option("--session", "session_ref", required=True, metavar="ID",
              help="The session to fill: an id, a unique id prefix or the company name.")
@click.option("--store", "store_path", default=None, metavar="PATH",
              help="Session store (default: $ASIAKASARVO_STORE or the user data folder).")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None,
              help="Scoring rules the session was started with (default: the shipped rules).")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
              help="Question bank the session was started with (default: the shipped bank).")
@click.pass_context
def prefill_command(ctx: click.Context, record: Path | None, *, fetch_id: str | None, prh_url: str | None,
                    save_path: Path | None, session_ref: str, store_path: str | None,
                    rules_path: Path | None, bank_path: Path | None) -> None:
    """Esitäytä perustiedot YTJ-otteesta / prefill basic_info from a saved PRH/YTJ record.

    RECORD.json is a saved response of the PRH open-data API v3 (``companies: [...]``
    with one company) or a single company object. ``--fetch BUSINESS_ID`` asks the API for
    it instead and saves the response (``--save``, else ``register-records/`` beside the
    store) before prefilling from it. The answers are written with the author ``register``
    and the record's date in the note; an item that already has an answer is kept as it is.
    Exit 1 on a bad record, one of another company than the session's or a register that
    cannot be reached (nothing is written); 2 on usage.
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
    if (record is None) == (fetch_id is None):
        raise click.UsageError(words["one_source"])
    fetched = None
    try:
        if fetch_id is not None:
            from asiakasarvo_engine.prefill.fetch import fetch_record

            fetched = fetch_record(fetch_id, base=prh_url)
            company = fetched.record
        else:
            assert record is not None
            company = read_record(record)
    except LoadError as exc:
        echo_diagnostics(exc.diagnostics, lang)
        sys.exit(1)
    program = load_program(rules_path, bank_path)
    with opened(store_path) as store:
        session_id = resolve_session(store, session_ref, lang)
        if fetched is not None:
            from asiakasarvo_engine.prefill.fetch import save_record

            click.echo(f"{words['fetched']}: {fetched.url}")
            target = save_path or _beside_store(store_path, session_id, company.business_id)
            try:
                saved = save_record(fetched, target)
            except OSError as exc:
                raise click.FileError(str(target), hint=exc.strerror or str(exc)) from None
            click.echo(f"{words['saved']}: {saved}")
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


def _beside_store(store_path: str | None, session_id: str, business_id: str) -> Path:
    """``register-records/<session>-<business id>-<UTC time>.json`` in the store file's folder
    (the current folder for a store that is not a file)."""
    from asiakasarvo_engine.session.paths import MEMORY, store_target
    from asiakasarvo_engine.session.store import is_url

    target = store_target(store_path)
    folder = Path.cwd() if target == MEMORY or is_url(target) else Path(target).expanduser().parent
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / "register-records" / f"{session_id}-{business_id}-{stamp}.json"
