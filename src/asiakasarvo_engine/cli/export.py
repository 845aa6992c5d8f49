"""``asiakasarvo export-bank [BANK] --format surveyjs``: a bank in another tool's format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

WORDS = {
    "fi": {"written": "Kirjoitettu", "refused": "Pankkia ei viety: {count} ongelmaa"},
    "en": {"written": "Written", "refused": "The bank was not exported: {count} problems"},
}


@click.command("export-bank")
@click.argument("bank", required=False, type=click.Path(path_type=Path), metavar="[BANK]")
@click.option("--format", "fmt", type=click.Choice(["surveyjs"]), default="surveyjs", show_default=True,
              help="Target format (SurveyJS survey JSON).")
@click.option("--lang", "content_lang", type=click.Choice(["fi", "en", "both"]), default="both",
              show_default=True, help="Language of the texts; both: SurveyJS localized strings.")
@click.option("--section", "sections", multiple=True, metavar="ID",
              help="Export only this section (repeatable; default every section).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Write to FILE instead of standard output.")
@click.pass_context
def export_bank_command(ctx: click.Context, bank: Path | None, *, fmt: str, content_lang: str,
                        sections: tuple[str, ...], output: Path | None) -> None:
    """Vie kysymyspankki SurveyJS-muotoon / export a question bank as SurveyJS JSON.

    BANK is a bank manifest (default: the shipped analysis bank). Conditions are translated
    only where SurveyJS gives exactly the engine's result; any other is an SJS-001 error at
    its place in the bank, and nothing is written. Exit 0 written, 1 errors, 2 usage.
    """
    from asiakasarvo_engine.bank.load import check_bank
    from asiakasarvo_engine.cli.output import echo_diagnostics
    from asiakasarvo_engine.export.surveyjs import export_surveyjs

    lang = ctx.find_root().obj["lang"]
    words = WORDS[lang]
    loaded, diagnostics = check_bank(bank)
    if loaded is None:
        echo_diagnostics(diagnostics, lang)
        sys.exit(1)
    assert fmt == "surveyjs"
    result = export_surveyjs(loaded, content_lang,  # type: ignore[arg-type]
                             sections=list(sections) or None)
    if result.survey is None:
        echo_diagnostics(result.diagnostics, lang)
        click.echo(words["refused"].format(count=len(result.diagnostics)), err=True)
        sys.exit(1)
    text = json.dumps(result.survey, ensure_ascii=False, indent=2) + "\n"
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from None
    click.echo(f"{words['written']}: {output}", err=True)
