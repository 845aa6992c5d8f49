"""``research compare``: two rule sets over one corpus, row by row and summed up."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research.compare import compare, sections_of, summary, summary_markdown
from asiakasarvo_engine.research.corpus import CodedResearchError, read_corpus
from asiakasarvo_engine.research.rescore import rescore
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

SHIPPED = Path(__file__).resolve().parents[2] / "scoring_rules" / "asiakasarvo" / "rules.yaml"


def _variant(tmp: Path, name: str, *replacements: tuple[str, str]) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Level 3 from 45 instead of 40, and customer dependency already from 40 % / 20 %."""
    return _variant(tmp_path_factory.mktemp("reform"), "reform",
                    ("\nversion: 1.0.0\n", "\nversion: 1.1.0\n"),
                    ("    min_score: 40\n", "    min_score: 45\n"),
                    ("top5_customer_share >= 60 or basic_info.largest_customer_share >= 30",
                     "top5_customer_share >= 40 or basic_info.largest_customer_share >= 20"))


@pytest.fixture(scope="module")
def reweighted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The owner strategy's documentation weighs 6 instead of 2."""
    return _variant(tmp_path_factory.mktemp("reweighted"), "reweighted",
                    ("      documented:\n        weight: 2\n", "      documented:\n        weight: 6\n"))


def test_a_higher_cut_off_only_lowers_levels_and_a_wider_trigger_only_adds(
        program: ScoringProgram, small_corpus, reform: Path):
    corpus = read_corpus([small_corpus.files[0].parent], program.bank)
    program_b = load_program(reform)
    rows = compare(program, program_b, corpus)
    sections = sections_of(program, program_b)
    assert len(rows) == len(corpus) == 20
    lowered = 0
    for row in rows:
        for sid in [*sections, "overall"]:
            assert row[f"{sid}_score_a"] == row[f"{sid}_score_b"]  # weights did not change
            change = row[f"{sid}_change"]
            assert change in {None, 0, -1}
            score = row[f"{sid}_score_a"]
            if row[f"{sid}_level_a"] == 3 and score is not None and score < 45:
                assert row[f"{sid}_level_b"] == 2
                lowered += 1
        assert set(row["appeared"]) <= {"reduce_customer_dependency"}
        assert row["vanished"] == []
    assert lowered > 0
    def share(analysis, name: str) -> float:
        entry = analysis.answers.get(name)
        return entry.value if entry is not None and isinstance(entry.value, int | float) else -1

    widened = {analysis.source for analysis in corpus
               if 40 <= share(analysis, "business_model.top5_customer_share") < 60
               or 20 <= share(analysis, "basic_info.largest_customer_share") < 30}
    appeared = {analysis.source for analysis, row in zip(corpus, rows, strict=True) if row["appeared"]}
    assert appeared and appeared <= widened

    totals = summary(rows, sections)
    by_section = {entry["section"]: entry for entry in totals["sections"]}
    assert sum(entry["down"] for entry in totals["sections"]) == lowered  # every fall is one of these
    assert all(entry["up"] == 0 for entry in by_section.values())
    recs = {entry["recommendation"]: entry for entry in totals["recommendations"]}
    assert recs["reduce_customer_dependency"]["appeared"] == len(appeared)
    assert recs["reduce_customer_dependency"]["fired_b"] == recs["reduce_customer_dependency"]["fired_a"] \
        + len(appeared)


def test_rows_equal_the_two_rescores(program: ScoringProgram, small_corpus, reweighted: Path):
    corpus = read_corpus([small_corpus.files[0].parent], program.bank)
    program_b = load_program(reweighted)
    rows = compare(program, program_b, corpus)
    rows_a, rows_b = rescore(program, corpus), rescore(program_b, corpus)
    changed_scores = 0
    for row, row_a, row_b in zip(rows, rows_a, rows_b, strict=True):
        for section in program.sections:
            sid = section.id
            assert row[f"{sid}_score_a"] == row_a[f"{sid}_score"]
            assert row[f"{sid}_score_b"] == row_b[f"{sid}_score"]
            if sid != "owner_strategy":
                assert row[f"{sid}_score_a"] == row[f"{sid}_score_b"]
        changed_scores += row["owner_strategy_score_a"] != row["owner_strategy_score_b"]
        assert row["recommendations_a"] == row_a["recommendations"]
        assert row["recommendations_b"] == row_b["recommendations"]
        ranks_b = {rec: rank for rank, rec in enumerate(row_b["recommendations"], start=1)}
        for moved in row["moved"]:
            rec, _, ranks = moved.partition(":")
            before, after = (int(part) for part in ranks.split(">"))
            assert row_a["recommendations"][before - 1] == rec
            assert ranks_b[rec] == after != before
    assert changed_scores > 0
    totals = summary(rows, sections_of(program, program_b))
    mean = {entry["section"]: entry["mean_score_change"] for entry in totals["sections"]}
    assert mean["owner_strategy"] != 0
    assert all(value in {0, None} for sid, value in mean.items() if sid not in {"owner_strategy", "overall"})


def test_an_empty_corpus_is_refused(program: ScoringProgram):
    with pytest.raises(CodedResearchError) as caught:
        compare(program, program, [])
    assert caught.value.code == "RES-023"
    assert "aineistossa" in caught.value.message("fi")


def test_the_summary_reads_in_finnish_and_english(program: ScoringProgram, small_corpus, reform: Path):
    corpus = read_corpus([small_corpus.files[0].parent], program.bank)
    program_b = load_program(reform)
    totals = summary(compare(program, program_b, corpus), sections_of(program, program_b))
    fi = summary_markdown(totals, "fi")
    en = summary_markdown(totals, "en", markdown=False)
    assert fi.startswith("# Sääntöjen vertailu")
    assert "| reduce_customer_dependency |" in fi
    assert en.startswith("Comparison of rule sets")
    assert "reduce_customer_dependency" in en and "|" not in en


def test_compare_end_to_end(small_corpus, reform: Path, key_file: Path, tmp_path: Path):
    folder = str(small_corpus.files[0].parent)
    runner = CliRunner()
    text = runner.invoke(cli, ["--lang", "en", "research", "compare", folder, str(SHIPPED), str(reform)])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("Comparison of rule sets: A = asiakasarvo 1.0.0, B = asiakasarvo 1.1.0")
    assert "20 analyses" in text.stdout

    markdown = runner.invoke(cli, ["research", "compare", folder, str(SHIPPED), str(reform),
                                   "--format", "markdown"])
    assert markdown.exit_code == 0, markdown.output
    assert markdown.stdout.startswith("# Sääntöjen vertailu")

    as_csv = runner.invoke(cli, ["research", "compare", folder, str(SHIPPED), str(reform), "--format", "csv",
                                 "--key", str(key_file)])
    assert as_csv.exit_code == 0, as_csv.output
    table = list(csv.reader(io.StringIO(as_csv.stdout), delimiter=";"))
    assert len(table) == 21
    assert table[0][0] == "id" and all(len(row[0]) == 32 for row in table[1:])
    assert "owner_strategy_change" in table[0]

    out = tmp_path / "rows.json"
    as_json = runner.invoke(cli, ["research", "compare", folder, str(SHIPPED), str(reform),
                                  "--format", "json", "-o", str(out)])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [len(row["appeared"]) > 0 for row in rows].count(True) > 0
    assert "20 analyses" in as_json.stderr

    again = runner.invoke(cli, ["research", "compare", folder, str(SHIPPED), str(reform), "--format", "json"])
    assert again.stdout_bytes == out.read_bytes()


def test_excel_only_with_csv(small_corpus, reform: Path):
    result = CliRunner().invoke(cli, ["research", "compare", str(small_corpus.files[0].parent), str(SHIPPED),
                                      str(reform), "--excel"])
    assert result.exit_code == 2
