"""``asiakasarvo research`` end to end through click."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from asiakasarvo_engine.cli.app import cli


def test_synth_writes_the_corpus_and_the_truth(tmp_path: Path):
    out = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["research", "synth", "--companies", "5", "--seed", "3",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 analyses" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        *(f"company-00{i}.answers.yaml" for i in range(1, 6)), "truth.json"]
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 3
    assert len(truth["analyses"]) == 5
    assert set(truth["analyses"][0]["sections"]) == set(truth["section_mean"])


def test_synth_needs_an_out_folder():
    result = CliRunner().invoke(cli, ["research", "synth", "--companies", "5"])
    assert result.exit_code == 2
    assert "--out" in result.output
