"""``asiakasarvo research``: synthetic corpora and re-scoring of many analyses."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group("research")
def research_group() -> None:
    """Tutkimustyökalut / research toolkit: synthetic corpora, re-scoring."""

# The options the research commands share (this module's and research_stats').
corpus_argument = click.argument("corpus", nargs=-1, required=True, metavar="CORPUS...",
                                 type=click.Path(path_type=Path, exists=True))
rules_option = click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None,
                            help="Scoring rules (default: the shipped rules).")
bank_option = click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
                           help="Question bank (default: the shipped bank).")
key_option = click.option(
    "--key", "key_path", type=click.Path(path_type=Path), default=None, metavar="FILE",
    help="Key file of the pseudonymous ids (HMAC-SHA256); without it no ids are written.")
excel_option = click.option("--excel", is_flag=True,
                            help="CSV for Finnish Excel: UTF-8 byte-order mark and decimal commas.")
out_option = click.option("-o", "--out", "out", default="-", show_default=True, metavar="FILE",
                          help="File to write; '-' prints.")



@research_group.command("synth")
@click.option("--companies", type=click.IntRange(1, 100_000), default=250, show_default=True,
              help="How many synthetic analyses to write.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same bytes.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for the answers files and truth.json.")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None,
              help="Scoring rules the answers aim at (default: the shipped rules).")
@bank_option
def synth_command(companies: int, seed: int, out: Path, rules_path: Path | None,
                  bank_path: Path | None) -> None:
    """Synteettinen aineisto / write a synthetic corpus with a known latent structure.

    Writes company-NNN.answers.yaml files (provinces 40/40/20 %, size classes,
    industries, a few percent missing and don't-know answers) and truth.json, the maturity
    factor of every company and section the answers were drawn from.
    """
    from asiakasarvo_engine.research.synth import synthesize
    from asiakasarvo_engine.scoring.program import load_program

    written = synthesize(load_program(rules_path, bank_path), companies, seed, out)
    click.echo(f"{len(written.files)} analyses, truth in {written.truth}")


@research_group.command("rescore")
@corpus_argument
@rules_option
@bank_option
@key_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@excel_option
@out_option
def rescore_command(corpus: tuple[Path, ...], *, rules_path: Path | None, bank_path: Path | None,
                    key_path: Path | None, fmt: str, excel: bool, out: str) -> None:
    """Pisteytä aineisto uudelleen / re-score a corpus: one row per analysis.

    CORPUS is answers files, session exports, session stores (SQLite) or folders of
    answers files and exports. A row: pseudonymous id, province, size class, industry,
    every section's score and level, the overall score and level, and the fired
    recommendations.
    """
    from asiakasarvo_engine.research.corpus import read_corpus, read_key
    from asiakasarvo_engine.research.rescore import columns, rescore, rows_csv, rows_json
    from asiakasarvo_engine.scoring.program import load_program

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    key = read_key(key_path) if key_path is not None else None
    if key is None:
        click.echo("No --key: the rows have no company ids.", err=True)
    program = load_program(rules_path, bank_path)
    rows = rescore(program, read_corpus(corpus, program.bank), key=key)
    data = rows_csv(rows, columns(program), excel=excel) if fmt == "csv" else rows_json(rows)
    write_output(data, out, f"{len(rows)} rows")


def write_output(data: bytes, out: str, what: str) -> None:
    """Print ``data`` (``out`` '-') or write it to the file ``out`` and say so on stderr."""
    if out == "-":
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    else:
        Path(out).write_bytes(data)
        click.echo(f"{what} -> {out}", err=True)


@research_group.command("compare")
@corpus_argument
@click.argument("rules_a", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("rules_b", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@bank_option
@key_option
@click.option("--format", "fmt", type=click.Choice(["text", "md", "markdown", "csv", "json"]), default="text",
              show_default=True, help="text/md: the summary; csv/json: one row per analysis.")
@excel_option
@out_option
@click.pass_context
def compare_command(ctx: click.Context, corpus: tuple[Path, ...], rules_a: Path, rules_b: Path, *,
                    bank_path: Path | None, key_path: Path | None, fmt: str, excel: bool, out: str) -> None:
    """Vertaa kahta sääntöversiota / compare two rule sets over a corpus.

    RULES_A is the baseline, RULES_B the reform. The summary counts per section the
    companies whose level goes up or down, and the recommendations that appear, vanish or
    move; csv/json give one row per analysis with both scores, levels and rankings.
    """
    from asiakasarvo_engine.research import compare as cmp
    from asiakasarvo_engine.research.corpus import read_corpus, read_key
    from asiakasarvo_engine.research.rescore import rows_csv, rows_json
    from asiakasarvo_engine.scoring.program import load_program

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    key = read_key(key_path) if key_path is not None else None
    program_a, program_b = load_program(rules_a, bank_path), load_program(rules_b, bank_path)
    analyses = read_corpus(corpus, program_a.bank)
    rows = cmp.compare(program_a, program_b, analyses, key=key, progress=True)
    if fmt == "csv":
        data = rows_csv(rows, cmp.columns(program_a, program_b), excel=excel)
    elif fmt == "json":
        data = rows_json(rows)
    else:
        label_a = f"{program_a.rules.rules.id} {program_a.rules.rules.version}"
        label_b = f"{program_b.rules.rules.id} {program_b.rules.rules.version}"
        totals = cmp.summary(rows, cmp.sections_of(program_a, program_b), rules_a=label_a,
                             rules_b=label_b, titles=cmp.section_titles(program_a, program_b))
        lang = ctx.find_root().obj["lang"] if ctx.find_root().obj else "fi"
        data = cmp.summary_markdown(totals, lang, markdown=fmt in ("md", "markdown")).encode("utf-8")
    write_output(data, out, f"{len(rows)} analyses")


@research_group.command("sensitivity")
@corpus_argument
@click.option("--perturb", default="10%", show_default=True,
              help="How far each weight may move: a share of it (10% or 0.1), drawn uniformly.")
@click.option("--draws", type=click.IntRange(1, 100_000), default=1000, show_default=True,
              help="How many perturbed weight sets.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same numbers.")
@rules_option
@bank_option
@click.option("--format", "fmt", type=click.Choice(["text", "md", "markdown", "csv", "json"]), default="text",
              show_default=True, help="text/md: the summary; csv: the sections; json: everything.")
@excel_option
@out_option
@click.pass_context
def sensitivity_command(ctx: click.Context, corpus: tuple[Path, ...], *, perturb: str, draws: int, seed: int,
                        rules_path: Path | None, bank_path: Path | None, fmt: str, excel: bool,
                        out: str) -> None:
    """Herkkyysanalyysi / sensitivity of levels and rankings to the weights.

    Every item and section weight is multiplied by 1 + u, u uniform within ±--perturb,
    in each of --draws draws. Per section: the share of companies whose level flips; for
    the recommendations: Kendall's tau between the baseline and the perturbed order.
    """
    import json as json_module

    from asiakasarvo_engine.research import sensitivity as sens
    from asiakasarvo_engine.research.corpus import read_corpus
    from asiakasarvo_engine.research.rescore import rows_csv
    from asiakasarvo_engine.scoring.program import load_program

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    share = sens.parse_perturb(perturb)
    program = load_program(rules_path, bank_path)
    result = sens.sensitivity(program, read_corpus(corpus, program.bank), perturb=share, draws=draws,
                              seed=seed, progress=True)
    if fmt == "csv":
        data = rows_csv(result["sections"], ["section", "companies", "flip_share", "ever_flipped",
                                             "max_flip_share"], excel=excel)
    elif fmt == "json":
        data = (json_module.dumps(result, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        lang = ctx.find_root().obj["lang"] if ctx.find_root().obj else "fi"
        data = sens.summary_markdown(result, lang, markdown=fmt in ("md", "markdown")).encode("utf-8")
    write_output(data, out, f"{result['analyses']} analyses, {draws} draws")


@research_group.command("export")
@corpus_argument
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "duckdb"]), default="csv",
              show_default=True, help="CSV files, Parquet files or one DuckDB database.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for items, results and dictionary.")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), default=None,
              help="Scoring rules of the results (default: the shipped rules).")
@bank_option
@key_option
@excel_option
def export_command(corpus: tuple[Path, ...], *, fmt: str, out: Path, rules_path: Path | None,
                   bank_path: Path | None, key_path: Path | None, excel: bool) -> None:
    """Vie aineisto / export a corpus: item-level and result-level tables and a data dictionary.

    items: one row per analysis and item (status, value, don't know, missing); results:
    the rescore rows; dictionary: every item's question in fi and en, type, choices and
    scale. Business ids, free texts and the municipality are withheld.
    """
    from asiakasarvo_engine.research.corpus import read_corpus, read_key
    from asiakasarvo_engine.research.export import export_tables, table_columns, write_export
    from asiakasarvo_engine.scoring.program import load_program

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    key = read_key(key_path) if key_path is not None else None
    if key is None:
        click.echo("No --key: the rows have no company ids.", err=True)
    program = load_program(rules_path, bank_path)
    tables = export_tables(program, read_corpus(corpus, program.bank), key=key, progress=True)
    written = write_export(tables, table_columns(program), out, fmt, excel=excel)
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in tables.items())
    click.echo(f"{counts} rows -> " + ", ".join(str(path) for path in written), err=True)
