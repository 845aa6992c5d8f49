"""``research reliability``: the statistics against hand computation and a known factor model,
and the synthetic corpus's designed structure recovered (one factor per section)."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import statistics
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research.corpus import read_corpus
from asiakasarvo_engine.research.reliability import (
    Reliability,
    Subscale,
    Variable,
    alpha_of,
    item_scores,
    omega_of,
    one_factor,
    pairwise_covariance,
    reliability,
    scale_statistics,
    subscales,
)
from asiakasarvo_engine.research.synth import SynthCorpus, synthesize
from asiakasarvo_engine.scoring.program import ScoringProgram

NOISE_ITEM = "customer_value_competence.after_sales_service"


@pytest.fixture(scope="module")
def corpus_40(program: ScoringProgram, tmp_path_factory: pytest.TempPathFactory) -> SynthCorpus:
    return synthesize(program, 40, 7, tmp_path_factory.mktemp("synth40"))


@pytest.fixture(scope="module")
def found_40(program: ScoringProgram, corpus_40: SynthCorpus) -> Reliability:
    return reliability(program, read_corpus([corpus_40.files[0].parent], program.bank))


def test_alpha_equals_the_textbook_formula_on_complete_data():
    rows = [[1, 2, 2, 3], [2, 2, 3, 3], [4, 5, 4, 4], [3, 3, 4, 5], [5, 4, 5, 5], [1, 1, 2, 1]]
    k = 4
    item_vars = [statistics.variance([row[i] for row in rows]) for i in range(k)]
    total_var = statistics.variance([sum(row) for row in rows])
    expected = k / (k - 1) * (1 - sum(item_vars) / total_var)
    cov, counts = pairwise_covariance(np.array(rows, dtype=float))
    assert alpha_of(cov) == pytest.approx(expected, abs=1e-12)
    assert counts.min() == 6


def test_pairwise_covariance_uses_only_the_rows_with_both_answers():
    data = np.array([[1, 2], [2, np.nan], [3, 5], [4, 4], [np.nan, 1]], dtype=float)
    cov, counts = pairwise_covariance(data)
    assert counts.tolist() == [[4, 3], [3, 4]]
    assert cov[0, 1] == pytest.approx(statistics.covariance([1, 3, 4], [2, 5, 4]))
    assert cov[0, 0] == pytest.approx(statistics.variance([1, 2, 3, 4]))


def test_one_factor_recovers_known_loadings_and_omega():
    rng = np.random.default_rng(3)
    loadings = np.array([0.8, 0.7, 0.6, 0.5, 0.75])
    factor = rng.standard_normal(4000)
    noise = rng.standard_normal((4000, 5)) * np.sqrt(1 - loadings ** 2)
    data = factor[:, None] * loadings + noise
    corr = np.corrcoef(data, rowvar=False)
    fitted = one_factor(np.asarray(corr, dtype=float))
    assert fitted is not None
    assert np.abs(fitted - loadings).max() < 0.05
    truth = loadings.sum() ** 2 / (loadings.sum() ** 2 + (1 - loadings ** 2).sum())
    assert omega_of(fitted) == pytest.approx(truth, abs=0.02)


def test_uncorrelated_items_have_low_alpha_and_omega():
    rng = np.random.default_rng(4)
    data = rng.standard_normal((2000, 5))
    cov, _ = pairwise_covariance(data)
    alpha = alpha_of(cov)
    assert alpha is not None and abs(alpha) < 0.1
    omega = omega_of(one_factor(np.asarray(np.corrcoef(data, rowvar=False), dtype=float)))
    assert omega is not None and omega < 0.2


def test_floor_and_ceiling_shares_per_item_and_scale():
    scale = Subscale("s", "section", {"fi": "S", "en": "S"},
                     tuple(Variable(f"x.{i}", f"x.{i}", None, 0.0, 100.0) for i in range(3)))
    table = [{"x.0": 0.0, "x.1": 0.0, "x.2": 0.0},   # the scale at its floor
             {"x.0": 0.0, "x.1": 50.0},              # an item at the floor, not the scale
             {"x.0": 100.0, "x.1": 100.0},           # the answered items at the ceiling
             {"x.0": 25.0, "x.1": 75.0, "x.2": 100.0},
             {}]                                     # answered nothing: not counted
    summary, items = scale_statistics(scale, table)
    assert summary["floor"] == 0.25
    assert summary["ceiling"] == 0.25
    assert summary["n"] == 4
    assert summary["excluded"] == 1 and summary["n_complete"] == 4  # x.2: answered with x.0 twice only
    first = items[0]
    assert first["n"] == 4
    assert first["floor"] == 0.5 and first["ceiling"] == 0.25


def test_an_item_never_answered_with_another_is_left_out():
    """A condition shows x.3 only where x.2 is hidden: their covariance does not exist, so
    one of them (x.3, the one answered less) leaves the scale; the others keep their alpha."""
    rng = np.random.default_rng(8)
    scale = Subscale("s", "section", {"fi": "S", "en": "S"},
                     tuple(Variable(f"x.{i}", f"x.{i}", None, 0.0, 100.0) for i in range(4)))
    table = []
    for r in range(60):
        factor = rng.standard_normal()
        row = {f"x.{i}": float(50 + 15 * factor + 5 * rng.standard_normal()) for i in range(3)}
        if r % 3 == 0:
            del row["x.2"]
            row["x.3"] = float(50 + 15 * factor)
        table.append(row)
    summary, items = scale_statistics(scale, table)
    assert summary["k"] == 3 and summary["excluded"] == 1
    assert summary["alpha"] is not None and summary["alpha"] > 0.8
    assert [row["in_scale"] for row in items] == [True, True, True, False]
    assert items[3]["r_drop"] is None and items[3]["n"] == 20


def test_subscales_are_found_in_the_bank_and_rules(program: ScoringProgram):
    found = {scale.id: scale for scale in subscales(program)}
    for section in program.sections:
        if len(section.items) >= 3:
            assert [v.key for v in found[section.id].variables] == [item.name for item in section.items]
    mktor = found["mktor"]
    sections = {v.item.split(".")[0] for v in mktor.variables}
    assert {"market_position", "customer_value_competence"} <= sections  # market orientation across sections
    for dim in ("customer_orientation", "competitor_orientation", "interfunctional_coordination"):
        members = found[f"mktor.{dim}"].variables
        assert len(members) >= 3
        for variable in members:
            source = program.bank.items[variable.item].item.provenance
            assert source is not None and "MKTOR" in source.source
            assert dim.replace("_", " ") in source.source.lower()
    for scale in found.values():
        assert len(scale.variables) >= 3
        if scale.kind == "matrix":
            assert all(v.cell is not None for v in scale.variables)


def test_sections_of_the_synthetic_corpus_are_reliable(found_40: Reliability):
    """The design: every item of a section follows the section's factor, so alpha and omega
    are high and every item loads on the one factor."""
    by_id = {row["scale"]: row for row in found_40.scales}
    for row in found_40.scales:
        if row["kind"] == "section":
            assert row["alpha"] is not None and row["alpha"] > 0.75, row
            assert row["omega"] is not None and row["omega"] > 0.75, row
            assert row["n"] == 40
    assert by_id["mktor.customer_orientation"]["alpha"] > 0.7
    for item in found_40.items:
        if by_id[item["scale"]]["kind"] == "section" and item["n"] >= 15:
            assert item["loading"] is not None and item["loading"] > 0.2, item
            assert item["r_drop"] is not None and item["r_drop"] > 0.15, item


def test_items_correlate_more_within_a_section_than_across(program: ScoringProgram, corpus_40: SynthCorpus):
    """The sections' own factors: items of one section share theta, items of two sections
    only the company factor."""
    table = item_scores(program, read_corpus([corpus_40.files[0].parent], program.bank))
    names = [item.name for item in program.items]
    data = np.array([[row.get(name, np.nan) for name in names] for row in table])
    cov, _ = pairwise_covariance(data)
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    section = [name.split(".")[0] for name in names]
    within: list[float] = []
    across: list[float] = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if math.isfinite(corr[i, j]):
                (within if section[i] == section[j] else across).append(corr[i, j])
    assert statistics.mean(within) > statistics.mean(across) + 0.05


def _with_noise(program: ScoringProgram, corpus: SynthCorpus, folder: Path) -> Path:
    """The corpus with one item answered at random: a point of its scale, whatever the factor."""
    folder.mkdir()
    scale = program.bank.loaded.bank.scales[program.bank.items[NOISE_ITEM].item.scale or ""]
    points = [point.value for point in scale.points]
    rng = random.Random(99)
    for path in corpus.files:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["answers"][NOISE_ITEM] = rng.choice(points)
        (folder / path.name).write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return folder


def test_an_item_of_pure_noise_has_a_low_corrected_item_total_correlation(
        program: ScoringProgram, corpus_40: SynthCorpus, tmp_path: Path):
    noisy = _with_noise(program, corpus_40, tmp_path / "noisy")
    found = reliability(program, read_corpus([noisy], program.bank))
    rows = {row["item"]: row for row in found.items if row["scale"] == "customer_value_competence"}
    summary = next(row for row in found.scales if row["scale"] == "customer_value_competence")
    noise = rows[NOISE_ITEM]
    assert noise["n"] == 40
    assert noise["r_drop"] < 0.3
    assert noise["alpha_if_deleted"] >= summary["alpha"]
    others = [row["r_drop"] for name, row in rows.items() if name != NOISE_ITEM and row["n"] >= 30]
    assert min(others) > noise["r_drop"] + 0.1
    assert statistics.median(others) > 0.5


def test_cli_markdown_csv_and_json(corpus_40: SynthCorpus, tmp_path: Path):
    folder = str(corpus_40.files[0].parent)
    runner = CliRunner()
    md = runner.invoke(cli, ["research", "reliability", folder, "--lang", "en"])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Reliability of the instrument")
    assert "Market orientation (MKTOR" in md.stdout
    assert "| `customer_value_competence.after_sales_service` |" in md.stdout
    fi = runner.invoke(cli, ["research", "reliability", folder])
    assert fi.exit_code == 0, fi.output
    assert fi.stdout.startswith("# Mittarin luotettavuus")

    as_csv = runner.invoke(cli, ["research", "reliability", folder, "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    table = list(csv.DictReader(io.StringIO(as_csv.stdout), delimiter=";"))
    heads = [row for row in table if row["item"] == ""]
    assert {row["scale"] for row in heads} >= {"owner_strategy", "mktor"}
    assert all(0 < float(row["alpha"]) <= 1 for row in heads if row["kind"] == "section")

    out = tmp_path / "rel.json"
    as_json = runner.invoke(cli, ["research", "reliability", folder, "--format", "json", "-o", str(out)])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == len(table)
    assert "subscales" in as_json.stderr

    refused = runner.invoke(cli, ["research", "reliability", folder, "--excel"])
    assert refused.exit_code == 2
