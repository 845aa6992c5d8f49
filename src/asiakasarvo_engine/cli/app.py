"""The ``asiakasarvo`` command."""

from __future__ import annotations

import os
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click

from asiakasarvo_engine.cli.output import echo_diagnostics, echo_json, summary
from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.errors import DiagnosticsError, EngineError

if TYPE_CHECKING:
    from asiakasarvo_engine.scoring.program import ScoringProgram

LANG = click.Choice(["fi", "en"])


def _default_lang() -> str:
    lang = os.environ.get("ASIAKASARVO_LANG", "fi")
    return lang if lang in {"fi", "en"} else "fi"


class _LazyGroup(click.Group):
    """A group whose larger commands are imported only when they run (or help lists them),
    so ``asiakasarvo validate`` does not import the server, the reports or the research."""

    lazy: ClassVar[dict[str, tuple[str, ...]]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute, *also = self.lazy[cmd_name]
            for extra in also:  # modules that add commands to the group
                import_module(extra)
            self.add_command(getattr(import_module(module), attribute), cmd_name)
        return self.commands.get(cmd_name)


def _lazy(name: str, module: str, attribute: str, *also: str) -> None:
    """Register command ``name`` as ``module.attribute``, imported on first use."""
    _LazyGroup.lazy[name] = (module, attribute, *also)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", package_name="asiakasarvo-engine", prog_name="asiakasarvo")
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


def _program(rules: Path | None, bank: Path | None) -> ScoringProgram:
    from asiakasarvo_engine.scoring.program import load_program

    return load_program(rules, bank)


@cli.command("score")
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="(ANSWERS_FILE | SESSION_ID)...")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None,
              help="Scoring rules (default: the shipped rules).")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
              help="Question bank (default: the shipped bank).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--store", "store_path", default=None, metavar="PATH",
              help="Session store for a SESSION_ID (default: $ASIAKASARVO_STORE or the user data folder).")
@click.pass_context
def score_command(ctx: click.Context, answers: tuple[Path, ...], *, rules_path: Path | None,
                  bank_path: Path | None, fmt: str, store_path: str | None) -> None:
    """Pisteytä vastaukset / score answers files or stored sessions.

    A stored session may be scored with other rules than it was started with (re-scoring
    past analyses), but only with its own bank.
    """
    from asiakasarvo_engine.cli.score import format_result, score_source

    program = _program(rules_path, bank_path)
    results = [score_source(program, path, ctx.obj["lang"], store_path) for path in answers]
    if fmt == "json":
        if len(results) == 1:
            click.echo(results[0].to_json(), nl=False)
        else:
            click.echo("[\n" + ",\n".join(r.to_json().rstrip() for r in results) + "\n]")
        return
    for index, result in enumerate(results):
        if index:
            click.echo()
        click.echo(format_result(result, ctx.obj["lang"]), nl=False)


@cli.command("explain")
@click.argument("answers", type=click.Path(path_type=Path), metavar="(ANSWERS_FILE | SESSION_ID)")
@click.option("--section", default=None, help="Only this section (an id such as owner_strategy).")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None)
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None)
@click.option("--store", "store_path", default=None, metavar="PATH",
              help="Session store for a SESSION_ID (default: $ASIAKASARVO_STORE or the user data folder).")
@click.pass_context
def explain_command(ctx: click.Context, answers: Path, *, section: str | None, rules_path: Path | None,
                    bank_path: Path | None, store_path: str | None) -> None:
    """Näytä, mistä pisteet syntyvät / show how every score came about."""
    from asiakasarvo_engine.cli.score import format_explain, score_source

    program = _program(rules_path, bank_path)
    result = score_source(program, answers, ctx.obj["lang"], store_path)
    if section is not None and section not in result.sections:
        raise click.BadParameter(f"unknown section {section!r}; one of {', '.join(result.sections)}",
                                 param_hint="--section")
    click.echo(format_explain(result, ctx.obj["lang"], section), nl=False)


@cli.command("report")
@click.argument("source", metavar="(SESSION_ID | ANSWERS_FILE)", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["html", "md", "docx", "pdf"]), default="html",
              show_default=True)
@click.option("--lang", "lang_option", type=LANG, default=None,
              help="Report language fi or en (default: --lang of the command).")
@click.option("-o", "--output", default=None,
              help="File to write (default <answers>.<lang>.<format>); '-' prints md or html.")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None)
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None)
@click.option("--store", "store_path", default=None, metavar="PATH",
              help="Session store for a SESSION_ID (default: $ASIAKASARVO_STORE or the user data folder).")
@click.option("--advisor-appendix", is_flag=True,
              help="Add the advisor's appendix (priorities, key answers, all answers) to the client version.")
@click.option("--final", is_flag=True, help="The final version: no draft mark on the pages.")
@click.option("--branding", "branding_path", default=None, metavar="FILE",
              help="The organisation's name and logo (YAML/JSON; default: $ASIAKASARVO_BRANDING).")
@click.pass_context
def report_command(ctx: click.Context, *, source: Path, fmt: str, lang_option: str | None,
                   output: str | None, rules_path: Path | None, bank_path: Path | None,
                   store_path: str | None, advisor_appendix: bool, final: bool,
                   branding_path: str | None) -> None:
    """Kirjoita raportti / write the analysis report (HTML, Markdown, DOCX or PDF).

    SOURCE is an answers file or the id of a stored session (its answers, notes, the
    advisor's level overrides and edits of the written analysis). The client version leaves
    the internal figures and all answers out; ``--advisor-appendix`` adds them. Every page is
    marked a draft until ``--final``. Markdown gets its charts as SVG files beside it.
    """
    from asiakasarvo_engine.cli.report import run_report

    lang = lang_option or ctx.obj["lang"]
    written = run_report(_program(rules_path, bank_path), source, fmt, lang, output, store_path=store_path,
                         advisor_appendix=advisor_appendix, final=final, branding_path=branding_path)
    for path in written:
        click.echo(str(path))


@cli.group("rules")
def rules_group() -> None:
    """Pisteytyssäännöt / scoring rules."""


@rules_group.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None)
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None)
@click.pass_context
def rules_test_command(ctx: click.Context, paths: tuple[Path, ...], rules_path: Path | None,
                       bank_path: Path | None) -> None:
    """Aja sääntötestit / run rule tests (default: the shipped ones). Exit 1 on a failure."""
    from asiakasarvo_engine._resources import default_rule_tests_path
    from asiakasarvo_engine.cli.output import format_text
    from asiakasarvo_engine.recommend.rule_tests import rule_test_files, run_file

    lang = ctx.obj["lang"]
    program = _program(rules_path, bank_path)
    files = rule_test_files(list(paths) or [default_rule_tests_path()])
    passed = failed = 0
    for path in files:
        for outcome in run_file(program, path):
            where = f"{outcome.file}:{outcome.line}" if outcome.line else outcome.file
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            click.echo(f"FAIL {where}: {outcome.name}")
            for mismatch in outcome.mismatches:
                click.echo(f"    {mismatch}")
            for diagnostic in outcome.diagnostics:
                click.echo(f"    {format_text(diagnostic, lang)}")
    word = ("läpäisi", "epäonnistui", "tiedostoa") if lang == "fi" else ("passed", "failed", "files")
    click.echo(f"{passed} {word[0]}, {failed} {word[1]} ({len(files)} {word[2]})")
    sys.exit(1 if failed else 0)


@cli.command("demo")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("asiakasarvo-demo"),
              show_default=True, help="Folder for the six report files.")
@click.pass_context
def demo_command(ctx: click.Context, out: Path) -> None:
    """Esimerkkianalyysi haastatteluineen ja raportteineen / a complete example analysis.

    An example company's answers go through a scripted interview in a temporary store;
    the finished session is scored and its report written as HTML, Markdown and DOCX in
    Finnish and English to OUT.
    """
    from asiakasarvo_engine.cli.demo import run_demo

    run_demo(ctx.obj["lang"], out)


_lazy("sessions", "asiakasarvo_engine.cli.sessions", "sessions_group")
_lazy("interview", "asiakasarvo_engine.cli.interview", "interview_command")
_lazy("serve", "asiakasarvo_engine.cli.serve", "serve_command")
_lazy("users", "asiakasarvo_engine.cli.users", "users_group")
_lazy("research", "asiakasarvo_engine.cli.research", "research_group",
      "asiakasarvo_engine.cli.research_stats")  # research_stats adds its commands to the group
_lazy("prefill", "asiakasarvo_engine.cli.prefill", "prefill_command")
_lazy("sync", "asiakasarvo_engine.cli.sync", "sync_command")
_lazy("export-bank", "asiakasarvo_engine.cli.export", "export_bank_command")


def _argv_lang(args: list[str]) -> str:
    """The --lang given before the command, else the default (for errors raised inside it)."""
    for index, arg in enumerate(args):
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in {"fi", "en"} else _default_lang()
        if arg == "--lang" and index + 1 < len(args) and args[index + 1] in {"fi", "en"}:
            return args[index + 1]
    return _default_lang()


def main() -> None:
    """Entry point: user errors print diagnostics, never a bare traceback."""
    try:
        cli.main(standalone_mode=True)
    except DiagnosticsError as exc:
        lang = _argv_lang(sys.argv[1:])
        echo_diagnostics(exc.diagnostics, lang)
        sys.exit(1)
    except EngineError as exc:
        localized = getattr(exc, "message", None)  # errors with fi/en templates (e.g. SES-030..032)
        text = localized(_argv_lang(sys.argv[1:])) if callable(localized) else str(exc)
        click.echo(f"error {exc.code}: {text}", err=True)
        sys.exit(1)
