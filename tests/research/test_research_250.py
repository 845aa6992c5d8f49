"""Every corpus command of ``asiakasarvo research`` on the programme's size: 250 synthetic analyses.

The other research tests use small corpora for detail; this one runs each command end to
end on 250 companies (provinces 100/100/50), as the programme's regional picture will.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research.synth import SynthCorpus
from asiakasarvo_engine.scoring.program import ScoringProgram

PROVINCES = {"pohjois_karjala": 100, "pohjois_savo": 100, "etela_savo": 50}


def _run(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["research", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def folder(corpus_250: SynthCorpus) -> str:
    assert len(corpus_250.files) == 250
    return str(corpus_250.files[0].parent)


def test_rescore_gives_one_row_per_analysis(folder: str, key_file: Path):
    rows = json.loads(_run("rescore", folder, "--format", "json", "--key", str(key_file)).stdout)
    assert len(rows) == 250
    assert len({row["id"] for row in rows}) == 250
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["province"]] = counts.get(row["province"], 0) + 1
    assert counts == PROVINCES


def test_compare_a_reform_that_raises_one_cut_off(folder: str, tmp_path: Path):
    rules = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    reform = tmp_path / "reform.yaml"
    rules["levels"] = [{**level, "min_score": 90} if level["level"] == 5 else level
                       for level in rules["levels"]]
    reform.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    same = json.loads(_run("compare", folder, str(default_rules_path()), str(default_rules_path()),
                           "--format", "json").stdout)
    assert len(same) == 250
    changed = json.loads(_run("compare", folder, str(default_rules_path()), str(reform),
                              "--format", "json").stdout)
    assert len(changed) == 250
    assert not any(row["overall_change"] for row in same)
    assert any(row["overall_change"] for row in changed)
    assert all((row["overall_change"] or 0) <= 0 for row in changed)


def test_sensitivity_reports_every_section(folder: str, program: ScoringProgram):
    sections = list(csv.DictReader(io.StringIO(
        _run("sensitivity", folder, "--draws", "50", "--seed", "1", "--format", "csv").stdout),
        delimiter=";"))
    assert {section.id for section in program.sections} <= {row["section"] for row in sections}
    assert all(0 <= float(row["flip_share"]) <= 1 for row in sections)


def test_reliability_of_every_scored_section(folder: str, program: ScoringProgram):
    rows = json.loads(_run("reliability", folder, "--format", "json").stdout)
    alphas = {row["scale"]: row["alpha"] for row in rows
              if row["kind"] == "section" and row["item"] is None}
    assert set(alphas) == {section.id for section in program.sections}
    assert all(alpha is not None and alpha > 0.7 for alpha in alphas.values()), alphas


def test_snapshot_shows_the_provinces_and_hides_small_cells(folder: str):
    document = json.loads(_run("snapshot", folder, "--format", "json").stdout)
    assert document["analyses"] == 250 and document["min_cell"] == 5
    by_province = next(t for t in document["tables"] if t["id"] == "levels_by_province")
    assert [row["key"] for row in by_province["rows"]] == [*PROVINCES, "total"]
    html = _run("snapshot", folder).stdout
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html


def test_export_writes_items_results_and_the_dictionary(folder: str, tmp_path: Path):
    out = tmp_path / "export"
    _run("export", folder, "--format", "csv", "--out", str(out))
    results = list(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8")),
                                  delimiter=";"))
    assert len(results) == 250
    items = (out / "items.csv").read_text(encoding="utf-8").splitlines()
    assert len(items) > 250 * 50
    assert (out / "dictionary.csv").stat().st_size > 0


def test_followup_pairs_every_company(folder: str, corpus_250: SynthCorpus, tmp_path: Path):
    later = tmp_path / "t1"
    later.mkdir()
    for path in corpus_250.files:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["date"] = "2027" + document["date"][4:]
        (later / path.name.replace(".answers", "-t1.answers")).write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pairs = json.loads(_run("followup", folder, str(later), "--pairs", "--format", "json").stdout)
    assert len(pairs) == 250
    assert all(row["overall_change"] in (0, 0.0, None) for row in pairs)
