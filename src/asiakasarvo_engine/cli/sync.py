"""``asiakasarvo sync --from LOCAL --to URL``: exchange sessions with the shared store."""

from __future__ import annotations

import json
import sys

import click

WORDS = {
    "fi": {"pushed": "Lähetetty", "pulled": "Haettu", "events": "tapahtumaa",
           "summary": "Synkronoitu: {pushed} istuntoa lähetetty, {pulled} haettu, {same} ennallaan, "
                      "{conflicts} ristiriitaa",
           "busy": "Istuntoa {id} muutettiin koko synkronoinnin ajan; aja synkronointi uudelleen",
           "erased": "Poistettu {side}: {id} (poistettu toisesta varastosta)",
           "local": "paikallisesti", "remote": "etävarastosta",
           "kept": "paikallinen versio: {local} (etävarastossa myös {remote_copy}); etäversio: "
                   "{remote} (paikallisesti myös {local_copy})"},
    "en": {"pushed": "Pushed", "pulled": "Pulled", "events": "events",
           "summary": "Synced: {pushed} sessions pushed, {pulled} pulled, {same} unchanged, "
                      "{conflicts} conflicts",
           "busy": "Session {id} kept changing during the sync; run the sync again",
           "erased": "Erased {side}: {id} (erased from the other store)",
           "local": "locally", "remote": "from the remote store",
           "kept": "local version: {local} (also in the remote store as {remote_copy}); remote "
                   "version: {remote} (also locally as {local_copy})"},
}


def _text(error: Exception, lang: str) -> str:
    """An error's message in ``lang`` when it has one in both languages."""
    localized = getattr(error, "message", None)
    return str(localized(lang)) if callable(localized) else str(error)


@click.command("sync")
@click.option("--from", "local_path", default=None, metavar="LOCAL",
              help="This laptop's store: a file or a URL (default: $ASIAKASARVO_STORE or the user "
                   "data folder).")
@click.option("--to", "remote_url", required=True, metavar="URL",
              help="The shared store, e.g. postgresql://user@host/db (or another store file).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format.")
@click.pass_context
def sync_command(ctx: click.Context, local_path: str | None, remote_url: str, fmt: str) -> None:
    """Synkronoi istunnot / sync sessions with the shared store, both ways.

    Events are pushed and pulled by (session, sequence number). A session changed on both
    sides after their common point is a conflict (SES-042): nothing is merged, each store
    keeps its version and gets the other's as a separate session ID~HASH. A sync stopped
    midway may simply be run again; nothing is duplicated. Exit 0 in step, 1 on conflicts.
    """
    from asiakasarvo_engine.codes import render
    from asiakasarvo_engine.session.paths import open_store
    from asiakasarvo_engine.session.sync import sync

    lang = ctx.find_root().obj["lang"]
    words = WORDS[lang]
    local = open_store(local_path)
    try:
        remote = open_store(remote_url)
        try:
            report = sync(local, remote)
        finally:
            remote.close()
    finally:
        local.close()
    if fmt == "json":
        click.echo(json.dumps({
            "pushed": report.pushed, "pulled": report.pulled, "same": report.same, "busy": report.busy,
            "erased": report.erased,
            "refused": {sid: {"code": e.code, "message": _text(e, lang)}
                        for sid, e in report.refused.items()},
            "unfinished": {sid: {"code": e.code, "message": _text(e, lang)}
                           for sid, e in report.unfinished.items()},
            "conflicts": [{"session": c.session_id, "common_events": c.common, "local_events": c.local_events,
                           "remote_events": c.remote_events, "local_copy": c.local_copy,
                           "remote_copy": c.remote_copy, "code": "SES-042"} for c in report.conflicts],
        }, ensure_ascii=False, indent=2))
    else:
        for session_id, count in report.pushed.items():
            click.echo(f"{words['pushed']} {session_id}: {count} {words['events']}")
        for session_id, count in report.pulled.items():
            click.echo(f"{words['pulled']} {session_id}: {count} {words['events']}")
        for conflict in report.conflicts:
            kept = words["kept"].format(local=conflict.local_events, remote=conflict.remote_events,
                                        local_copy=conflict.local_copy, remote_copy=conflict.remote_copy)
            click.echo("error SES-042: " + render("SES-042", lang, found=conflict.session_id,
                                                  expected=conflict.common, path=kept), err=True)
        for session_id, side in report.erased.items():
            click.echo(words["erased"].format(id=session_id, side=words[side]))
        for problem in (*report.unfinished.values(), *report.refused.values()):
            click.echo(f"error {problem.code}: {_text(problem, lang)}", err=True)
        for session_id in report.busy:
            click.echo(words["busy"].format(id=session_id), err=True)
        click.echo(words["summary"].format(pushed=len(report.pushed), pulled=len(report.pulled),
                                           same=len(report.same), conflicts=len(report.conflicts)))
    if not report.clean:
        sys.exit(1)
