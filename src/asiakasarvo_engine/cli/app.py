"""The ``asiakasarvo`` command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from asiakasarvo_engine._version import __version__
from asiakasarvo_engine.cli.output import echo_diagnostics, echo_json, summary
from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.errors import DiagnosticsError, EngineError

LANG = click.Choice(["fi", "en"])


def _default_lang() -> str:
    lang = os.environ.get("ASIAKASARVO_LANG", "fi")
    return lang if lang in {"fi", "en"} else "fi"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="asiakasarvo")
@click.option("--lang", type=LANG, default=_default_lang, show_default="fi",
              help="Kieli / language of messages (fi, en); env ASIAKASARVO_LANG.")
@click.pass_context
def cli(ctx: click.Context, lang: str) -> None:
    """Asiakasarvoanalyysin moottori / customer-value analysis engine."""
    ctx.obj = {"lang": lang}


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Tarkista pankit, säännöt ja vastaukset / check banks, rules and answers.

    Without paths, the shipped bank and rules are checked. Exit 0 clean, 1 errors.
    """
    from asiakasarvo_engine._resources import default_bank_path, default_rules_path
    from asiakasarvo_engine.cli.validate import check_paths

    lang = ctx.obj["lang"]
    targets = list(paths) or [default_bank_path(), default_rules_path()]
    reports = check_paths(targets)
    every = [d for report in reports for d in report.diagnostics]
    failed = any(d.severity is Severity.ERROR for d in every)
    if fmt == "json":
        echo_json({
            "ok": not failed,
            "files": [{"path": r.path, "kind": r.kind,
                       "diagnostics": [d.to_dict() for d in r.diagnostics]} for r in reports],
        })
    else:
        echo_diagnostics(every, lang)
        ok = "OK" if not failed else ("VIRHEITÄ" if lang == "fi" else "ERRORS")
        click.echo(f"{ok}: {len(reports)} " + ("tiedostoa" if lang == "fi" else "files")
                   + f", {summary(every, lang)}")
    sys.exit(1 if failed else 0)


@cli.command("schema")
@click.argument("name", type=click.Choice(
    ["question-bank", "question-bank-section", "scoring-rules", "rule-tests", "answers",
     "result"]))
def schema_command(name: str) -> None:
    """Tulosta JSON Schema / print a JSON Schema."""
    from asiakasarvo_engine._resources import schema_path

    click.echo(schema_path(name).read_text(encoding="utf-8"), nl=False)


@cli.group("bank")
def bank_group() -> None:
    """Kysymyspankit / question banks."""


@bank_group.command("show")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md")
@click.option("--lang", "lang_option", type=LANG, default=None,
              help="fi or en (default: --lang of the command).")
@click.pass_context
def bank_show_command(ctx: click.Context, path: Path | None, fmt: str, lang_option: str | None) -> None:
    """Näytä pankki luettavana / print a bank readably (Markdown or JSON)."""
    from asiakasarvo_engine.bank.load import load_bank
    from asiakasarvo_engine.bank.review import bank_markdown

    lang = lang_option or ctx.find_root().obj["lang"]
    loaded = load_bank(path)
    if fmt == "json":
        echo_json(loaded.bank.model_dump(mode="json", exclude_none=True))
    else:
        click.echo(bank_markdown(loaded.bank, lang), nl=False)


@cli.command("demo")
@click.pass_context
def demo_command(ctx: click.Context) -> None:
    """Esittely oletuspankilla / demo on the shipped bank and rules."""
    from asiakasarvo_engine.cli.demo import run_demo

    run_demo(ctx.obj["lang"])


def main() -> None:
    """Entry point: user errors print diagnostics, never a bare traceback."""
    try:
        cli.main(standalone_mode=True)
    except DiagnosticsError as exc:
        lang = _default_lang()
        echo_diagnostics(exc.diagnostics, lang)
        sys.exit(1)
    except EngineError as exc:
        click.echo(f"error {exc.code}: {exc}", err=True)
        sys.exit(1)
