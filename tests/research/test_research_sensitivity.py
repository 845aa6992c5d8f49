"""``research sensitivity``: the array draws equal the engine with the perturbed rules."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.recommend.engine import analyse, compile_recommendations
from asiakasarvo_engine.research import sensitivity as sens
from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError, read_corpus
from asiakasarvo_engine.scoring.engine import evaluate
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company

np = pytest.importorskip("numpy")


@pytest.fixture(scope="module")
def corpus(program: ScoringProgram, small_corpus) -> list[Analysis]:
    return read_corpus([small_corpus.files[0].parent], program.bank)


@pytest.fixture(scope="module")
def prepared(program: ScoringProgram, corpus: list[Analysis]) -> sens.Prepared:
    return sens.prepare(program, corpus)


def _engine_order(program: ScoringProgram, analysis: Analysis) -> list[str]:
    rules = program.rules.rules.recommendations
    assert rules is not None
    result = analyse(program, analysis.answers, recommendations=compile_recommendations(rules),
                     company=Company(name=analysis.company_name, business_id=analysis.business_id),
                     date=analysis.date, zone=analysis.zone)
    assert result.recommendations is not None
    return [item.id for item in result.recommendations.items]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), perturb=st.sampled_from([0.05, 0.2, 0.5, 0.9]))
def test_a_draw_equals_evaluate_and_analyse_with_the_perturbed_rules(
        program: ScoringProgram, corpus: list[Analysis], prepared: sens.Prepared, seed: int, perturb: float):
    item_weights, section_weights = sens.draw_weights(program, perturb, 3, seed)
    draws = sens.score_draws(prepared, item_weights, section_weights)
    orders = sens.orders(prepared, draws)
    d = random.Random(seed).randrange(3)
    rules = sens.perturbed_program(program, item_weights[d], section_weights[d])
    for c, analysis in enumerate(corpus):
        scores = evaluate(rules, analysis.answers)
        for s, section in enumerate(program.sections):
            got = scores.sections[section.id]
            vector = draws.section_scores[d, c, s]
            assert (got.score is None and np.isnan(vector)) or got.score == vector, (section.id, c)
            assert (got.level or 0) == draws.section_levels[d, c, s], (section.id, c)
        overall = scores.overall
        assert (overall.score is None and np.isnan(draws.overall_scores[d, c])) \
            or overall.score == draws.overall_scores[d, c]
        assert (overall.level or 0) == draws.overall_levels[d, c]
        recs = prepared.recommendations[c]
        assert [recs[k].id for k in orders[d, c, :len(recs)]] == _engine_order(rules, analysis)


def test_the_rules_own_weights_give_the_engines_baseline(program: ScoringProgram, corpus, prepared):
    items, sections = sens.base_weights(program)
    draws = sens.score_draws(prepared, np.asarray([items]), np.asarray([sections]))
    orders = sens.orders(prepared, draws)
    assert (draws.section_levels[0] == prepared.baseline_levels).all()
    prerequisites_moved = 0
    for c, analysis in enumerate(corpus):
        recs = prepared.recommendations[c]
        order = [recs[k].id for k in orders[0, c, :len(recs)]]
        assert order == _engine_order(program, analysis)
        ids = set(order)
        prerequisites_moved += any(r in ids for rec in recs for r in rec.requires)
    assert prerequisites_moved > 0  # the prerequisite rule was exercised


def _keyed(recs, row) -> list[int]:
    walk = sens._walk_keys(recs)
    assert walk is not None
    shift, paths = walk
    positions = np.empty(len(recs), dtype=np.int64)
    positions[row] = np.arange(len(recs))
    keys = np.full(len(recs), np.iinfo(np.int64).max, dtype=np.int64)
    for root, node, suffix in paths:
        keys[node] = min(keys[node], (int(positions[root]) << shift) | suffix)
    return [int(k) for k in np.argsort(keys)]


def test_the_prerequisite_keys_equal_the_engines_walk(program: ScoringProgram, prepared):
    """The integer keys of 'each prerequisite, depth first, just before its first dependant'
    against the engine's walk, on random orders of the corpus's recommendations and of a
    made-up chain with a shared prerequisite and a cycle."""
    rng = np.random.default_rng(3)
    cases = [recs for recs in prepared.recommendations
             if any(r in {x.id for x in recs} for rec in recs for r in rec.requires)]
    assert cases
    base = cases[0][0]
    chain = [base.model_copy(update={"id": "a", "requires": ["b", "c"]}),
             base.model_copy(update={"id": "b", "requires": ["d", "x"]}),
             base.model_copy(update={"id": "c", "requires": ["d"]}),
             base.model_copy(update={"id": "d", "requires": ["e"]}),
             base.model_copy(update={"id": "e", "requires": ["a"]}),  # a cycle: the engine stops it
             base.model_copy(update={"id": "f", "requires": []}),
             base.model_copy(update={"id": "g", "requires": ["c", "f"]})]
    for recs in [*cases[:12], chain]:
        for _ in range(40):
            row = rng.permutation(len(recs))
            assert _keyed(recs, row) == sens._place_prerequisites(row, recs)


def test_more_perturbation_flips_more_and_same_seed_same_numbers(program, corpus, prepared):
    small = sens.sensitivity(program, corpus, perturb=0.02, draws=200, seed=7, prepared=prepared)
    large = sens.sensitivity(program, corpus, perturb=0.6, draws=200, seed=7, prepared=prepared)
    flips_small = sum(row["flip_share"] or 0 for row in small["sections"])
    flips_large = sum(row["flip_share"] or 0 for row in large["sections"])
    assert flips_small < flips_large
    assert large["ranking"]["mean_tau"] < small["ranking"]["mean_tau"] <= 1
    assert large["ranking"]["min_tau"] >= -1
    again = sens.sensitivity(program, corpus, perturb=0.6, draws=200, seed=7, prepared=prepared)
    assert again == large
    other = sens.sensitivity(program, corpus, perturb=0.6, draws=200, seed=8, prepared=prepared)
    assert other != large
    by_chunks = sens.sensitivity(program, corpus, perturb=0.6, draws=200, seed=7, prepared=prepared, chunk=37)
    assert by_chunks == large
    assert [row["section"] for row in large["sections"]] == [*(s.id for s in program.sections), "overall"]
    scored = [*prepared.scored.sum(axis=0).tolist(), int(prepared.overall_scored.sum())]
    assert [row["companies"] for row in large["sections"]] == scored
    assert max(scored) == 20


def test_kendall_tau_of_known_orders():
    counts = np.asarray([4, 3])
    baseline = np.asarray([[0, 1, 2, 3], [2, 0, 1, 3]])
    base_positions = sens._positions(np, baseline)
    order = np.asarray([[[0, 1, 2, 3], [2, 0, 1, 3]],     # the same
                        [[3, 2, 1, 0], [1, 0, 2, 3]],     # reversed; 0 and 2 first, padding last
                        [[1, 0, 2, 3], [2, 1, 0, 3]]])    # one swap each
    tau, key_changed, first_changed = sens._ranking(np, counts, base_positions, order, key_count=2)
    assert tau.tolist() == [[1.0, 1.0], [-1.0, -1.0], [pytest.approx(4 / 6), pytest.approx(1 / 3)]]
    assert key_changed.tolist() == [[False, False], [True, True], [False, True]]  # 0 leaves the top 2
    assert first_changed.tolist() == [[False, False], [True, True], [True, False]]


@pytest.mark.parametrize(("text", "share"), [("10%", 0.1), ("10 %", 0.1), ("0.25", 0.25), ("0,5", 0.5)])
def test_perturbation_is_read_as_a_share(text: str, share: float):
    assert sens.parse_perturb(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["0", "100%", "1.5", "-5%", "paljon", ""])
def test_a_bad_perturbation_is_refused(text: str):
    with pytest.raises(CodedResearchError) as caught:
        sens.parse_perturb(text)
    assert caught.value.code == "RES-021"
    assert "painojen" in caught.value.message("fi") and "osuus yli 0" in caught.value.message("fi")
    assert "a share above 0" in caught.value.message("en")


def test_a_trigger_that_reads_levels_is_refused(program: ScoringProgram, corpus):
    rules = program.rules.rules.recommendations
    assert rules is not None
    first = rules.items[0]
    reads_levels = first.model_copy(update={"when": "result.levels.management <= 2"})
    changed = rules.model_copy(update={"items": [reads_levels, *rules.items[1:]]})
    reading = program.rules.rules.model_copy(update={"recommendations": changed})
    other = dataclasses.replace(program, rules=dataclasses.replace(program.rules, rules=reading))
    with pytest.raises(CodedResearchError) as caught:
        sens.prepare(other, corpus)
    assert caught.value.code == "RES-022"
    assert first.id in str(caught.value) and "result.levels.management" in str(caught.value)


def test_sensitivity_end_to_end(small_corpus, tmp_path):
    folder = str(small_corpus.files[0].parent)
    runner = CliRunner()
    text = runner.invoke(cli, ["--lang", "en", "research", "sensitivity", folder, "--draws", "50",
                               "--seed", "2"])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("Sensitivity analysis: asiakasarvo")
    assert "±10 %, 50 draws, seed 2, 20 analyses" in text.stdout
    assert "Kendall's tau" in text.stdout
    assert text.stderr == ""  # no bar: stderr is not a terminal

    fi = runner.invoke(cli, ["research", "sensitivity", folder, "--draws", "50", "--perturb", "20%",
                             "--format", "markdown"])
    assert fi.exit_code == 0, fi.output
    assert fi.stdout.startswith("# Herkkyysanalyysi")

    out = tmp_path / "s.json"
    as_json = runner.invoke(cli, ["research", "sensitivity", folder, "--draws", "50", "--format", "json",
                                  "-o", str(out)])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["draws"] == 50 and data["perturb"] == 0.1 and len(data["sections"]) == 9
    again = runner.invoke(cli, ["research", "sensitivity", folder, "--draws", "50", "--format", "json"])
    assert again.stdout_bytes == out.read_bytes()

    as_csv = runner.invoke(cli, ["research", "sensitivity", folder, "--draws", "20", "--format", "csv",
                                 "--excel"])
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.stdout_bytes.startswith(b"\xef\xbb\xbfsection;companies;flip_share")

    bad = runner.invoke(cli, ["research", "sensitivity", folder, "--perturb", "150%"])
    assert isinstance(bad.exception, CodedResearchError) and bad.exception.code == "RES-021"
