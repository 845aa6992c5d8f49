"""``research export``: item and result tables with a data dictionary, as CSV, Parquet, DuckDB."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError, pseudonym, read_corpus, read_key
from asiakasarvo_engine.research.export import export_tables, table_columns, write_export
from asiakasarvo_engine.research.rescore import rescore
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program


@pytest.fixture(scope="module")
def corpus(program: ScoringProgram, small_corpus) -> list[Analysis]:
    return read_corpus([small_corpus.files[0].parent], program.bank)


@pytest.fixture(scope="module")
def tables(program: ScoringProgram, corpus) -> dict[str, list[dict]]:
    return export_tables(program, corpus)


def _bank_names(program: ScoringProgram) -> list[str]:
    return [f"{body.id}.{item.id}" for body in program.bank.loaded.bank.bodies() for item in body.items]


def test_every_analysis_has_a_row_per_item_with_its_status(program, corpus, tables):
    names = _bank_names(program)
    rows = tables["items"]
    assert len(rows) == len(corpus) * len(names)
    statuses = {row["status"] for row in rows}
    assert {"answered", "hidden", "missing"} <= statuses
    for number, analysis in enumerate(corpus, start=1):
        own = [row for row in rows if row["analysis"] == number]
        assert [row["item"] for row in own] == names
        values = {n: e.value for n, e in analysis.answers.items() if e.status is AnswerStatus.ANSWERED}
        hidden = program.bank.evaluate(values).hidden
        for row in own:
            entry = analysis.answers.get(row["item"])
            if row["item"] in hidden:
                assert row["status"] == "hidden"
            elif entry is None:
                assert row["status"] == "missing" and row["missing"] and row["value"] is None
            else:
                assert row["status"] == entry.status.value
                assert row["dont_know"] == (entry.status is AnswerStatus.DONT_KNOW)
            integral = row["status"] == "answered" and type(entry.value) is int
            if integral and row["item"] != "basic_info.industry_code":
                assert row["value_number"] == entry.value
                assert row["value"] == str(entry.value)


def test_no_identifying_answer_leaves(corpus, tables):
    secrets = set()
    for analysis in corpus:
        for name in ("basic_info.company_name", "basic_info.business_id", "basic_info.municipality"):
            entry = analysis.answers.get(name)
            if entry is not None and entry.value:
                secrets.add(str(entry.value))
        secrets.add(analysis.business_id or "")
        secrets.add(analysis.company_name or "")
    secrets.discard("")
    assert secrets
    blob = repr(tables["items"]) + repr(tables["results"])
    assert not [secret for secret in secrets if secret in blob]
    industry = [row["value"] for row in tables["items"] if row["item"] == "basic_info.industry_code"
                and row["status"] == "answered"]
    assert industry and all(value is None or (len(value) == 1 and value.isupper()) for value in industry)


def test_results_are_the_rescore_rows(program, corpus, tables):
    assert [{k: v for k, v in row.items() if k != "analysis"} for row in tables["results"]] \
        == rescore(program, corpus)
    assert [row["analysis"] for row in tables["results"]] == list(range(1, len(corpus) + 1))


def test_the_dictionary_describes_every_item_in_both_languages(program, tables):
    rows = {row["item"]: row for row in tables["dictionary"]}
    assert list(rows) == _bank_names(program)
    assert all(row["text_fi"] and row["text_en"] for row in rows.values())
    documented = rows["owner_strategy.documented"]
    assert documented["type"] == "single_choice"
    assert "written = " in documented["choices"] and " / " in documented["choices"]
    assert documented["weight"] == 2
    likert = next(row for row in rows.values() if row["scale"])
    assert likert["scale_points"].startswith("1 = ")
    assert rows["basic_info.business_id"]["exported"].startswith("withheld")
    assert rows["basic_info.industry_code"]["exported"].startswith("reduced")


def test_csv_for_finnish_excel_and_the_same_bytes_twice(program, tables, tmp_path: Path):
    first = write_export(tables, table_columns(program), tmp_path / "a", "csv", excel=True)
    again = write_export(tables, table_columns(program), tmp_path / "b", "csv", excel=True)
    assert [p.name for p in first] == ["items.csv", "results.csv", "dictionary.csv"]
    for one, two in zip(first, again, strict=True):
        assert one.read_bytes() == two.read_bytes()
        assert one.read_bytes().startswith(b"\xef\xbb\xbf")
    text = first[0].read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == list(table_columns(program)["items"])
    assert len(table) == len(tables["items"]) + 1


def test_parquet_reads_back(program, tables, tmp_path: Path):
    parquet = pytest.importorskip("pyarrow.parquet")
    written = write_export(tables, table_columns(program), tmp_path / "p", "parquet")
    again = write_export(tables, table_columns(program), tmp_path / "q", "parquet")
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in again]
    items = parquet.read_table(written[0])
    assert items.num_rows == len(tables["items"])
    assert items.column_names == list(table_columns(program)["items"])
    assert str(items.schema.field("value_number").type) == "double"
    results = parquet.read_table(written[1]).to_pylist()
    assert results[0]["recommendations"] == tables["results"][0]["recommendations"]
    assert results[0]["overall_score"] == tables["results"][0]["overall_score"]


def test_duckdb_holds_the_three_tables(program, tables, tmp_path: Path):
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    (path,) = write_export(tables, table_columns(program), tmp_path / "d", "duckdb")
    (path_again,) = write_export(tables, table_columns(program), tmp_path / "d", "duckdb")  # replaces it
    assert path == path_again
    connection = duckdb.connect(str(path), read_only=True)
    try:
        counts = {name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                  for name in ("items", "results", "dictionary")}
        dont_know = connection.execute("SELECT count(*) FROM items WHERE dont_know").fetchone()[0]
        joined = connection.execute(
            "SELECT count(DISTINCT r.analysis) FROM results r JOIN items i USING (analysis)").fetchone()[0]
    finally:
        connection.close()
    assert counts == {name: len(rows) for name, rows in tables.items()}
    assert dont_know == sum(row["dont_know"] for row in tables["items"]) > 0
    assert joined == len(tables["results"])


def test_an_empty_corpus_is_refused(program):
    with pytest.raises(CodedResearchError) as caught:
        export_tables(program, [])
    assert caught.value.code == "RES-023"


def test_export_end_to_end(small_corpus, key_file: Path, tmp_path: Path):
    folder = str(small_corpus.files[0].parent)
    runner = CliRunner()
    result = runner.invoke(cli, ["research", "export", folder, "--out", str(tmp_path / "csv"),
                                 "--key", str(key_file)])
    assert result.exit_code == 0, result.output
    assert "results 20" in result.stderr
    items = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "items.csv").read_text("utf-8")),
                                delimiter=";"))
    results = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "results.csv").read_text("utf-8")),
                                  delimiter=";"))
    ids = {row["id"] for row in results}
    assert len(ids) == 20 and all(len(pid) == 32 for pid in ids)
    assert {row["id"] for row in items} == ids
    assert ids == {pseudonym(read_key(key_file), analysis.business_id or "")
                   for analysis in read_corpus([folder], load_program().bank)}

    for fmt in ("parquet", "duckdb"):
        pytest.importorskip("pyarrow")
        pytest.importorskip("duckdb")
        done = runner.invoke(cli, ["research", "export", folder, "--format", fmt,
                                   "--out", str(tmp_path / fmt)])
        assert done.exit_code == 0, done.output
        assert "No --key" in done.stderr
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == [
        "dictionary.parquet", "items.parquet", "results.parquet"]
    assert (tmp_path / "duckdb" / "research.duckdb").is_file()

    bad = runner.invoke(cli, ["research", "export", folder, "--format", "parquet", "--excel", "--out",
                              str(tmp_path / "x")])
    assert bad.exit_code == 2
