"""The notebook API of ``asiakasarvo_engine.research``: plain tables, progress bars, determinism."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import asiakasarvo_engine.research as research
from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research import progress
from asiakasarvo_engine.research.corpus import optional_module
from asiakasarvo_engine.scoring.program import ScoringProgram


def test_the_api_returns_plain_tables(program: ScoringProgram, small_corpus):
    corpus = research.read_corpus([small_corpus.files[0].parent], program.bank)
    rows = research.rescore(program, corpus)
    assert isinstance(rows, list) and all(isinstance(row, dict) for row in rows)
    table = research.as_columns(rows, research.columns(program))
    assert list(table) == research.columns(program)
    assert all(len(values) == len(rows) for values in table.values())
    assert table["overall_score"] == [row["overall_score"] for row in rows]
    assert list(research.as_columns([{"a": 1}, {"b": 2}])) == ["a", "b"]
    assert research.as_columns([{"a": 1}, {"b": 2}])["a"] == [1, None]

    changes = research.compare_rule_sets(program, program, corpus)
    assert all(row["appeared"] == row["vanished"] == row["moved"] == [] for row in changes)
    summary = research.compare_summary(changes, [s.id for s in program.sections])
    assert summary["changed"] == 0
    json.dumps(summary)  # plain data, nothing else

    pytest.importorskip("numpy")
    result = research.sensitivity_analysis(program, corpus, perturb=research.parse_perturb("5%"), draws=20,
                                           seed=1)
    json.dumps(result)
    tables = research.export_tables(program, corpus)
    assert set(tables) == {"items", "results", "dictionary"}
    json.dumps(tables)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("tqdm")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(progress.track(range(5), total=5, label="rescore", enabled=True)) == [0, 1, 2, 3, 4]
    assert "rescore" in terminal.getvalue()
    assert list(progress.track(range(3), total=3, enabled=False)) == [0, 1, 2]  # not asked for

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    assert list(progress.track(range(5), total=5, label="rescore", enabled=True)) == [0, 1, 2, 3, 4]
    assert piped.getvalue() == ""
    assert progress.wanted(terminal) and not progress.wanted(piped)


def test_a_missing_extra_is_a_coded_error(monkeypatch: pytest.MonkeyPatch, program: ScoringProgram,
                                          small_corpus):
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy now fails
    with pytest.raises(research.CodedResearchError) as caught:
        optional_module("numpy")
    assert caught.value.code == "RES-020"
    assert "asiakasarvo-engine[research]" in caught.value.message("fi")
    assert "ei ole asennettu" in caught.value.message("fi")
    corpus = research.read_corpus([small_corpus.files[0]], program.bank)
    with pytest.raises(research.CodedResearchError):
        research.sensitivity_analysis(program, corpus, draws=2)


def test_the_core_imports_without_the_research_extra():
    code = ("import sys\n"
            "for name in ('numpy', 'pyarrow', 'duckdb', 'tqdm'): sys.modules[name] = None\n"
            "import asiakasarvo_engine.research, asiakasarvo_engine.research.sensitivity\n"
            "import asiakasarvo_engine.research.export, asiakasarvo_engine.cli.app\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_every_command_gives_the_same_bytes_for_the_same_corpus_and_seed(tmp_path: Path):
    """Two corpora written from one seed in two folders: every output byte for byte the same."""
    runner = CliRunner()
    outputs: list[dict[str, bytes]] = []
    for run in ("one", "two"):
        folder = tmp_path / run
        made = runner.invoke(cli, ["research", "synth", "--companies", "12", "--seed", "5", "--out",
                                   str(folder / "corpus")])
        assert made.exit_code == 0, made.output
        corpus = str(folder / "corpus")
        got: dict[str, bytes] = {}
        for name, args in {
                "rescore": ["rescore", corpus, "--excel"],
                "compare": ["compare", corpus, str(_rules()), str(_rules()), "--format", "json"],
                "sensitivity": ["sensitivity", corpus, "--draws", "30", "--seed", "9",
                                "--format", "json"]}.items():
            done = runner.invoke(cli, ["research", *args])
            assert done.exit_code == 0, done.output
            got[name] = done.stdout_bytes
        exported = runner.invoke(cli, ["research", "export", corpus, "--out", str(folder / "export")])
        assert exported.exit_code == 0, exported.output
        for path in sorted((folder / "export").iterdir()):
            got[path.name] = path.read_bytes()
        outputs.append(got)
    assert outputs[0].keys() == outputs[1].keys()
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def _rules() -> Path:
    return Path(__file__).resolve().parents[2] / "scoring_rules" / "asiakasarvo" / "rules.yaml"
