"""``research followup``: T0 and T1 of the same companies, paired and compared under one rule version."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research.corpus import CodedResearchError, read_corpus
from asiakasarvo_engine.research.followup import followup, summary_rows
from asiakasarvo_engine.research.snapshot import SUPPRESSED
from asiakasarvo_engine.research.synth import SynthCorpus
from asiakasarvo_engine.scoring.program import ScoringProgram

IMPROVED = "customer_value_competence"


def _t1(program: ScoringProgram, corpus: SynthCorpus, folder: Path, *, skip: int = 0) -> Path:
    """T1 a year after T0: the same answers, but every Likert item of one section one point
    higher (at most the top of its scale). ``skip`` leaves out the last companies."""
    folder.mkdir()
    items = program.bank.items
    for path in corpus.files[:len(corpus.files) - skip]:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["date"] = "2027" + document["date"][4:]
        for name, value in document["answers"].items():
            compiled = items[name].item
            if name.startswith(f"{IMPROVED}.") and compiled.scale and isinstance(value, int):
                top = max(point.value for point in program.bank.loaded.bank.scales[compiled.scale].points)
                document["answers"][name] = min(top, value + 1)
        (folder / path.name.replace(".answers", "-t1.answers")).write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def t1_folder(program: ScoringProgram, small_corpus: SynthCorpus,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _t1(program, small_corpus, tmp_path_factory.mktemp("followup") / "t1", skip=2)


def test_pairs_change_only_where_the_answers_changed(program: ScoringProgram, small_corpus: SynthCorpus,
                                                     t1_folder: Path):
    corpus = read_corpus([small_corpus.files[0].parent, t1_folder], program.bank)
    found = followup(program, corpus, key=b"0123456789abcdef0123")
    assert len(found.pairs) == 18
    assert found.left_out["single"] == 2
    for row in found.pairs:
        assert row["t0_date"] < row["t1_date"] and row["days"] >= 365
        assert row["analyses"] == 2 and len(row["id"]) == 32
        for section in program.sections:
            change = row[f"{section.id}_change"]
            if section.id == IMPROVED:
                assert change is None or change >= 0
            else:  # untouched: the same answers, the same score
                assert change in (None, 0.0), (section.id, row)
    summary = {row["part"]: row for row in found.summary}
    improved = summary[IMPROVED]
    assert improved["n"] >= 15
    assert improved["change_mean"] > 5
    assert improved["level_down"] in (0, None)
    assert summary["owner_strategy"]["change_mean"] == 0
    assert summary["overall"]["change_mean"] > 0


def test_small_groups_are_hidden_in_the_summary(program: ScoringProgram, small_corpus: SynthCorpus,
                                                t1_folder: Path):
    corpus = read_corpus([small_corpus.files[0].parent, t1_folder], program.bank)
    found = followup(program, corpus, min_cell=19)  # 18 pairs: every mean hidden
    for row in summary_rows(found):
        assert row["change_mean"] == SUPPRESSED and row["t0_mean"] == SUPPRESSED
    moderate = followup(program, corpus, min_cell=5)
    for row in moderate.summary:
        moves = [row["level_up"], row["level_same"], row["level_down"]]
        assert sum(value is None for value in moves) != 1  # never one hidden among three that add up
        for value in moves:
            assert value is None or value == 0 or value >= 5


def test_no_pairs_is_res_030(program: ScoringProgram, small_corpus: SynthCorpus):
    with pytest.raises(CodedResearchError) as caught:
        followup(program, read_corpus([small_corpus.files[0].parent], program.bank))
    assert caught.value.code == "RES-030"
    assert "20" in caught.value.message("fi")


def test_the_same_day_twice_is_not_a_pair(program: ScoringProgram, small_corpus: SynthCorpus, tmp_path: Path):
    copy = tmp_path / "copy"
    copy.mkdir()
    first = small_corpus.files[0]
    (copy / "again.answers.yaml").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    later = yaml.safe_load(small_corpus.files[1].read_text(encoding="utf-8"))
    later["date"] = "2028-01-01"
    (copy / "later.answers.yaml").write_text(yaml.safe_dump(later, allow_unicode=True), encoding="utf-8")
    found = followup(program, read_corpus([first, small_corpus.files[1], copy], program.bank))
    assert len(found.pairs) == 1
    assert found.pairs[0]["t1_date"] == "2028-01-01"
    assert found.left_out["same_day"] == 2


def test_cli_markdown_csv_json(small_corpus: SynthCorpus, t1_folder: Path, key_file: Path):
    runner = CliRunner()
    folders = [str(small_corpus.files[0].parent), str(t1_folder)]
    md = runner.invoke(cli, ["research", "followup", *folders, "--lang", "en"])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Follow-up: T0 and T1")
    assert "18 companies paired; left out: single 2" in md.stderr
    assert "| Customer-value competence | 18 |" in md.stdout

    pairs = runner.invoke(cli, ["research", "followup", *folders, "--pairs", "--format", "csv",
                                "--key", str(key_file)])
    assert pairs.exit_code == 0, pairs.output
    table = list(csv.DictReader(io.StringIO(pairs.stdout), delimiter=";"))
    assert len(table) == 18 and all(len(row["id"]) == 32 for row in table)
    assert f"{IMPROVED}_change" in table[0]

    summary = runner.invoke(cli, ["research", "followup", *folders, "--format", "json"])
    assert summary.exit_code == 0, summary.output
    rows = json.loads(summary.stdout)
    assert [row["part"] for row in rows][-1] == "overall"
    assert runner.invoke(cli, ["research", "followup", *folders, "--pairs"]).exit_code == 2
