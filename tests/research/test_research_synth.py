"""``research synth``: deterministic, valid, with the designed provinces and latent structure."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path

import pytest
import yaml

from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.answers_load import check_answers
from asiakasarvo_engine.bank.ytunnus import is_valid_business_id
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.research.synth import SynthCorpus, synthesize
from asiakasarvo_engine.scoring.program import ScoringProgram


def _bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_bytes(program: ScoringProgram, tmp_path: Path):
    first = synthesize(program, 6, 42, tmp_path / "a")
    synthesize(program, 6, 42, tmp_path / "b")
    synthesize(program, 6, 43, tmp_path / "c")
    assert len(first.files) == 6
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    other = _bytes(tmp_path / "c")
    assert all(other[name] != data for name, data in _bytes(tmp_path / "a").items())


def test_libyaml_and_pure_yaml_write_the_same_text(small_corpus: SynthCorpus):
    for path in small_corpus.files[:5]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pure = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=100)
        text = path.read_text(encoding="utf-8")
        assert text.endswith(pure)


def test_every_file_loads_without_any_diagnostic(program: ScoringProgram, small_corpus: SynthCorpus):
    for path in small_corpus.files:
        loaded, diagnostics = check_answers(path, program.bank)
        assert loaded is not None, path
        assert diagnostics == (), (path, diagnostics)


def test_only_visible_items_are_answered(program: ScoringProgram, small_corpus: SynthCorpus):
    hidden_somewhere = 0
    for path in small_corpus.files:
        loaded, _ = check_answers(path, program.bank)
        assert loaded is not None
        state = program.bank.evaluate(loaded.values())
        assert not (set(loaded.answers) & state.hidden)
        hidden_somewhere += len(state.hidden)
    assert hidden_somewhere > 0  # the conditions did hide items, and none of them was answered


def test_missing_and_dont_know_at_a_few_percent(program: ScoringProgram, small_corpus: SynthCorpus):
    scored = set(program.item_names)
    counts: Counter[str] = Counter()
    for path in small_corpus.files:
        loaded, _ = check_answers(path, program.bank)
        assert loaded is not None
        for name in scored:
            entry = loaded.answers.get(name)
            counts["none" if entry is None else entry.status.value] += 1
    total = sum(counts.values())
    assert 0.01 < counts[AnswerStatus.DONT_KNOW.value] / total < 0.08
    assert 0 < counts[AnswerStatus.SKIPPED.value] / total < 0.05
    assert counts[AnswerStatus.ANSWERED.value] / total > 0.75


def test_companies_have_valid_distinct_ids_and_names(small_corpus: SynthCorpus):
    truth = json.loads(small_corpus.truth.read_text(encoding="utf-8"))
    ids = [row["business_id"] for row in truth["analyses"]]
    assert len(set(ids)) == len(ids) == 20
    assert all(is_valid_business_id(bid) for bid in ids)
    for path, row in zip(small_corpus.files, truth["analyses"], strict=True):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert row["file"] == path.name
        assert document["company"]["business_id"] == row["business_id"]
        assert document["answers"]["basic_info.business_id"] == row["business_id"]


def test_provinces_100_100_50_with_the_banks_municipalities(program: ScoringProgram, corpus_250: SynthCorpus):
    truth = json.loads(corpus_250.truth.read_text(encoding="utf-8"))
    assert Counter(row["province"] for row in truth["analyses"]) == {
        "pohjois_karjala": 100, "pohjois_savo": 100, "etela_savo": 50}
    for row in truth["analyses"][:40]:
        state = program.bank.evaluate({"basic_info.municipality": row["municipality"]})
        assert state.calculated["basic_info.province"] == row["province"]
    assert len({row["size_class"] for row in truth["analyses"]}) == 3
    assert len({row["industry"] for row in truth["analyses"]}) >= 8


def test_size_class_of_the_truth_is_the_one_the_engine_derives(program: ScoringProgram,
                                                               small_corpus: SynthCorpus):
    truth = json.loads(small_corpus.truth.read_text(encoding="utf-8"))
    for path, row in zip(small_corpus.files, truth["analyses"], strict=True):
        loaded, _ = check_answers(path, program.bank)
        assert loaded is not None
        assert loaded.values()["basic_info.municipality"] == row["municipality"]
        result = analyse(program, loaded.answers)
        assert result.indicators is not None
        assert result.indicators.size_class.size_class == row["size_class"]


def test_section_scores_follow_the_true_factors(program: ScoringProgram, corpus_250: SynthCorpus):
    """The latent structure is visible: on 100 companies every section's score correlates
    with its true factor (a loose threshold: the design gives about 0.9)."""
    truth = json.loads(corpus_250.truth.read_text(encoding="utf-8"))
    results = []
    for path in corpus_250.files[:100]:
        loaded, _ = check_answers(path, program.bank)
        assert loaded is not None
        results.append(analyse(program, loaded.answers))
    for section in program.sections:
        pairs = [(row["sections"][section.id], result.sections[section.id].score)
                 for row, result in zip(truth["analyses"], results, strict=False)
                 if result.sections[section.id].score is not None]
        assert len(pairs) >= 90
        factors, scores = zip(*pairs, strict=True)
        assert statistics.correlation(factors, scores) > 0.5, section.id


def test_no_companies_is_refused(program: ScoringProgram, tmp_path: Path):
    with pytest.raises(ValueError, match="at least 1"):
        synthesize(program, 0, 1, tmp_path)
