"""``asiakasarvo research`` statistics over a corpus: reliability, snapshot, feedback, follow-up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from asiakasarvo_engine.cli.research import (
    bank_option,
    corpus_argument,
    excel_option,
    out_option,
    research_group,
    rules_option,
    write_output,
)

__all__ = ["research_group"]

F = TypeVar("F", bound=Callable[..., Any])

_LANG = click.Choice(["fi", "en"])


def _lang(option: str | None) -> str:
    """``--lang`` of this command, else the ``asiakasarvo --lang`` before it (or its default)."""
    root = click.get_current_context().find_root().obj
    return option or (root or {}).get("lang", "fi")


@research_group.command("reliability")
@corpus_argument
@rules_option
@bank_option
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True,
              help="md: a summary and an item table per subscale; csv/json: one long table.")
@excel_option
@click.option("--lang", type=_LANG, default=None, help="Markdown language (default: asiakasarvo --lang).")
@out_option
def reliability_command(corpus: tuple[Path, ...], *, rules_path: Path | None, bank_path: Path | None,
                        fmt: str, excel: bool, lang: str | None, out: str) -> None:
    """Mittarin luotettavuus / reliability of every section and subscale.

    Cronbach's alpha (raw and standardized), alpha if an item is deleted, corrected
    item-total correlations, McDonald's omega of a one-factor model, the mean inter-item
    correlation and floor and ceiling shares, per section, per instrument found in the
    bank's provenance (MKTOR, MARKOR, Open DMA, ...) and its dimensions, and per matrix.
    """
    lang = _lang(lang)
    from asiakasarvo_engine.research.corpus import read_corpus
    from asiakasarvo_engine.research.reliability import COLUMNS, reliability, render_markdown
    from asiakasarvo_engine.research.rescore import rows_csv, rows_json
    from asiakasarvo_engine.scoring.program import load_program

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    program = load_program(rules_path, bank_path)
    analyses = read_corpus(corpus, program.bank)
    found = reliability(program, analyses)
    if fmt == "md":
        data = render_markdown(found, lang, analyses=len(analyses)).encode("utf-8")
    elif fmt == "csv":
        data = rows_csv(found.rows(), COLUMNS, excel=excel)
    else:
        data = rows_json(found.rows())
    write_output(data, out, f"{len(found.scales)} subscales")


@research_group.command("snapshot")
@corpus_argument
@rules_option
@bank_option
@click.option("--min-cell", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="Cells of fewer analyses are hidden (..), with as many others as protect them.")
@click.option("--lang", type=_LANG, default=None, help="Language (default: asiakasarvo --lang).")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "csv", "json"]), default="html",
              show_default=True)
@excel_option
@out_option
def snapshot_command(corpus: tuple[Path, ...], *, rules_path: Path | None, bank_path: Path | None,
                     min_cell: int, lang: str | None, fmt: str, excel: bool, out: str) -> None:
    """Tilannekuva / snapshot: levels and scores by province, size class, industry and section.

    Counts of analyses by overall level and mean scores of every section per province,
    size class and industry (TOL 2008 section), and the levels of every section. Cells of
    fewer than --min-cell analyses are hidden (..), and so many others that no total gives
    a hidden cell away. HTML has the charts inline; Markdown written to a file gets them as
    SVG files beside it.
    """
    lang = _lang(lang)
    from asiakasarvo_engine.research.corpus import read_corpus
    from asiakasarvo_engine.research.rescore import rescore
    from asiakasarvo_engine.research.snapshot import (
        chart_svgs,
        render_csv,
        render_html,
        render_json,
        render_markdown,
        snapshot,
    )
    from asiakasarvo_engine.scoring.program import load_program

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    program = load_program(rules_path, bank_path)
    rows = rescore(program, read_corpus(corpus, program.bank))
    found = snapshot(program, rows, min_cell=min_cell)
    if fmt == "html":
        data = render_html(found, lang, charts=chart_svgs(program, found, lang)).encode("utf-8")
    elif fmt == "md":
        files: dict[str, str] = {}
        if out != "-":
            target = Path(out)
            for dimension, svg in chart_svgs(program, found, lang).items():
                name = f"{target.stem}-{dimension}.svg"
                (target.parent / name).write_text(svg, encoding="utf-8")
                files[dimension] = name
        data = render_markdown(found, lang, chart_files=files).encode("utf-8")
    elif fmt == "csv":
        data = render_csv(found, excel=excel)
    else:
        data = render_json(found)
    hidden = sum(table.hidden() for table in found.tables)
    write_output(data, out, f"{found.analyses} analyses, {hidden} cells hidden")


@research_group.command("followup")
@corpus_argument
@rules_option
@bank_option
@click.option("--key", "key_path", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Key file of the pseudonymous ids (HMAC-SHA256); without it the pairs have no ids.")
@click.option("--min-cell", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="Summary figures of fewer companies are hidden (..).")
@click.option("--pairs", "show_pairs", is_flag=True, help="csv/json: the pairs, one row per company, "
              "instead of the summary.")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True)
@excel_option
@click.option("--lang", type=_LANG, default=None, help="Markdown language (default: asiakasarvo --lang).")
@out_option
def followup_command(corpus: tuple[Path, ...], *, rules_path: Path | None, bank_path: Path | None,
                     key_path: Path | None, min_cell: int, show_pairs: bool, fmt: str, excel: bool,
                     lang: str | None, out: str) -> None:
    """Seuranta / follow-up: each company's T0 and T1 analysis under one rule version.

    Analyses of the same company (business id) on different days are paired: the earliest
    is T0, the latest T1, both scored with the same rules. Per section and overall: the
    pairs, mean scores at T0 and T1, the mean change and how many went up or down a level.
    """
    lang = _lang(lang)
    from asiakasarvo_engine.research.corpus import read_corpus, read_key
    from asiakasarvo_engine.research.followup import (
        SUMMARY_COLUMNS,
        followup,
        pair_columns,
        render_markdown,
        summary_rows,
    )
    from asiakasarvo_engine.research.rescore import rows_csv, rows_json
    from asiakasarvo_engine.scoring.program import load_program

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    if show_pairs and fmt == "md":
        raise click.UsageError("--pairs applies to --format csv or json")
    key = read_key(key_path) if key_path is not None else None
    program = load_program(rules_path, bank_path)
    found = followup(program, read_corpus(corpus, program.bank), key=key, min_cell=min_cell)
    if fmt == "md":
        data = render_markdown(found, lang).encode("utf-8")
    else:
        rows = found.pairs if show_pairs else summary_rows(found)
        header = pair_columns(program) if show_pairs else SUMMARY_COLUMNS
        data = rows_csv(rows, header, excel=excel) if fmt == "csv" else rows_json(rows)
    left = ", ".join(f"{reason} {count}" for reason, count in found.left_out.items() if count)
    click.echo(f"{len(found.pairs)} companies paired" + (f"; left out: {left}" if left else ""), err=True)
    write_output(data, out, "follow-up")


@research_group.command("feedback")
@corpus_argument
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
              help="The feedback bank (default: the shipped question_banks/palaute).")
@click.option("--min-cell", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="Figures of fewer respondents are hidden (..).")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True)
@click.option("--table", type=click.Choice(["surveys", "topics", "ratings"]), default="surveys",
              show_default=True, help="csv: which table (json has all three).")
@excel_option
@click.option("--lang", type=_LANG, default=None, help="Markdown language (default: asiakasarvo --lang).")
@out_option
def feedback_command(corpus: tuple[Path, ...], *, bank_path: Path | None, min_cell: int, fmt: str,
                     table: str, excel: bool, lang: str | None, out: str) -> None:
    """Palautekyselyt / the quality surveys aggregated by survey and module.

    CORPUS is answers files (or sessions) of the feedback bank. Per survey: respondents,
    usefulness (mean, share of the top two points), the 0-10 recommendation (mean, NPS)
    and the before/now learning items (mean change with n); per module and topic the
    learning; the other ratings. Figures of fewer than --min-cell respondents are hidden.
    """
    lang = _lang(lang)
    import json

    from asiakasarvo_engine.research.corpus import read_corpus
    from asiakasarvo_engine.research.feedback import (
        HEADLINE_COLUMNS,
        RATING_COLUMNS,
        TOPIC_COLUMNS,
        feedback,
        load_feedback_bank,
        render_markdown,
        shown,
    )
    from asiakasarvo_engine.research.rescore import rows_csv

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    bank = load_feedback_bank(bank_path)
    found = feedback(bank, read_corpus(corpus, bank), min_cell=min_cell)
    tables = {"surveys": (found.surveys, HEADLINE_COLUMNS), "topics": (found.topics, TOPIC_COLUMNS),
              "ratings": (found.ratings, RATING_COLUMNS)}
    if fmt == "md":
        data = render_markdown(found, lang).encode("utf-8")
    elif fmt == "csv":
        rows, columns = tables[table]
        data = rows_csv(shown(rows, columns), columns, excel=excel)
    else:
        document = {"respondents": found.respondents, "min_cell": found.min_cell,
                    **{name: shown(rows, columns) for name, (rows, columns) in tables.items()}}
        data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_output(data, out, f"{found.respondents} responses")
