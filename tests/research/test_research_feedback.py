"""``research feedback``: the quality surveys of a synthetic corpus, aggregated from the bank's structure."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from asiakasarvo_engine.bank.answers_load import check_answers
from asiakasarvo_engine.bank.compiled import CompiledBank
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.bank.sample import sample_value
from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research.corpus import CodedResearchError, read_corpus
from asiakasarvo_engine.research.feedback import feedback, load_feedback_bank, shown, surveys
from asiakasarvo_engine.research.snapshot import SUPPRESSED
from asiakasarvo_engine.research.synth import business_ids

GAIN = {"module_1": 1, "module_2": 2, "module_3": 0, "module_4": 1, "module_5": 2}
"""The designed change of every before/now item per module (before is 1-3, so never capped)."""
RESPONDENTS = {"after_analysis": 3, "module_1": 10, "module_2": 9, "module_3": 8, "module_4": 7,
               "module_5": 3}


@pytest.fixture(scope="module")
def bank() -> CompiledBank:
    return load_feedback_bank()


def _answers(bank: CompiledBank, survey: str, rng: random.Random) -> dict[str, Any]:
    loaded = bank.loaded.bank
    answers: dict[str, Any] = {"respondent.privacy_notice_read": True, "respondent.survey": survey,
                               "respondent.role": "ceo"}
    section = next(s for s in loaded.bodies() if s.id == survey)
    before: dict[str, int] = {}
    for item in section.items:
        name = f"{survey}.{item.id}"
        if item.type is QuestionType.LIKERT:
            points = [p.value for p in loaded.scales[item.scale or ""].points]
            if "_before_" in item.id:
                before[item.id.replace("_before_", "_now_")] = value = rng.randint(1, 3)
            elif item.id in before:
                value = before[item.id] + GAIN[survey]
            else:
                value = rng.choice(points)
            answers[name] = value
        elif item.required:
            answers[name] = sample_value(item, loaded, rng)
    return answers


def _write_corpus(bank: CompiledBank, folder: Path) -> list[dict[str, Any]]:
    folder.mkdir()
    rng = random.Random(5)
    ids = business_ids(sum(RESPONDENTS.values()), rng)
    written = []
    index = 0
    for survey, count in RESPONDENTS.items():
        for _ in range(count):
            answers = _answers(bank, survey, rng)
            if survey == "module_2":
                answers["module_1.usefulness"] = 1  # another survey's question: hidden, never counted
            document = {"schema_version": "1.0", "kind": "answers",
                        "bank": {"id": bank.loaded.bank.id, "version": bank.loaded.bank.version},
                        "company": {"name": f"Yritys {index}", "business_id": ids[index]},
                        "date": "2026-10-01", "answers": answers}
            path = folder / f"feedback-{index:03d}.answers.yaml"
            path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
            written.append(answers)
            index += 1
    return written


@pytest.fixture(scope="module")
def corpus(bank: CompiledBank, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("feedback") / "answers"
    return folder, _write_corpus(bank, folder)


def test_the_synthetic_answers_are_valid(bank: CompiledBank, corpus: tuple[Path, list[dict[str, Any]]]):
    folder, _ = corpus
    for path in sorted(folder.iterdir())[:8]:
        loaded, diagnostics = check_answers(path, bank)
        assert loaded is not None and not [d for d in diagnostics if d.severity.value == "error"], diagnostics


def test_surveys_are_read_from_the_bank(bank: CompiledBank):
    found = {survey.id: survey for survey in surveys(bank)}
    assert "respondent" not in found
    assert set(GAIN) <= set(found)
    for number in range(1, 6):
        module = found[f"module_{number}"]
        assert module.recommendation == f"module_{number}.recommend"
        assert module.usefulness == f"module_{number}.usefulness"
        assert 3 <= len(module.learning) <= 4
        for _, before, now in module.learning:
            assert before.startswith(f"module_{number}.m{number}_before_")
            assert now == before.replace("_before_", "_now_")
    assert found["after_analysis"].learning == ()
    assert found["follow_up"].recommendation == "follow_up.recommend"
    assert "follow_up.effects_seen" in dict(found["follow_up"].ratings)


def test_mean_change_per_module_is_the_designed_gain(bank: CompiledBank,
                                                     corpus: tuple[Path, list[dict[str, Any]]]):
    folder, written = corpus
    found = feedback(bank, read_corpus([folder], bank), min_cell=3)
    rows = {row["survey"]: row for row in found.surveys}
    assert found.respondents == sum(RESPONDENTS.values())
    for survey, gain in GAIN.items():
        row = rows[survey]
        assert row["respondents"] == RESPONDENTS[survey]
        assert row["learning_n"] == RESPONDENTS[survey]
        assert row["change_mean"] == gain
        assert row["change_sd"] == 0
        answers = [a for a in written if a["respondent.survey"] == survey]
        useful = [a[f"{survey}.usefulness"] for a in answers]
        assert row["usefulness_mean"] == round(sum(useful) / len(useful), 2)
        scores = [a[f"{survey}.recommend"] for a in answers]
        promoters = sum(s >= 9 for s in scores)
        detractors = sum(s <= 6 for s in scores)
        assert row["nps"] == round(100 * (promoters - detractors) / len(scores), 1)
    module_1 = [a["module_1.usefulness"] for a in written if a["respondent.survey"] == "module_1"]
    assert rows["module_1"]["usefulness_n"] == len(module_1)  # module 2's hidden answers not counted
    assert rows["all"]["respondents"] == sum(RESPONDENTS.values())
    for topic in found.topics:
        assert topic["change_mean"] == GAIN[topic["survey"]]
    value_sources = next(t for t in found.topics if t["topic"] == "value_sources")
    assert value_sources["topic_fi"] == "mistä asiakasarvo muodostuu"
    assert value_sources["topic_en"] == "where customer value comes from"


Corpus = tuple[Path, list[dict[str, Any]]]


def test_small_surveys_are_hidden_with_a_partner(bank: CompiledBank, corpus: Corpus):
    folder, _ = corpus
    found = feedback(bank, read_corpus([folder], bank), min_cell=5)
    rows = {row["survey"]: row for row in found.surveys}
    for column, group in (("usefulness_mean", "usefulness_n"), ("change_mean", "learning_n")):
        hidden = [survey for survey, row in rows.items() if column in row["suppressed"]]
        assert len(hidden) != 1, (column, hidden)
        assert "module_5" in hidden  # three respondents
        assert all(group in rows[survey]["suppressed"] for survey in hidden)
    learning_hidden = [s for s, row in rows.items() if "change_mean" in row["suppressed"]]
    assert learning_hidden == ["module_4", "module_5"]  # 7 is the smallest other survey with learning
    assert "change_mean" not in rows["all"]["suppressed"]
    table = shown(found.surveys, ["survey", "change_mean", "learning_n"])
    assert {"survey": "module_5", "change_mean": SUPPRESSED, "learning_n": SUPPRESSED} in table
    assert all(t["change_mean"] is None for t in found.topics if t["survey"] == "module_5")


def test_a_bank_without_surveys_is_res_031():
    from asiakasarvo_engine.scoring.program import load_program

    with pytest.raises(CodedResearchError) as caught:
        surveys(load_program().bank)
    assert caught.value.code == "RES-031"


def test_cli_markdown_csv_json(corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path):
    folder, _ = corpus
    runner = CliRunner()
    md = runner.invoke(cli, ["research", "feedback", str(folder)])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Palautekyselyt")
    assert f"| {SUPPRESSED} |" in md.stdout
    en = runner.invoke(cli, ["research", "feedback", str(folder), "--lang", "en", "--min-cell", "2"])
    assert en.exit_code == 0, en.output
    assert "Competence before and now" in en.stdout and f"| {SUPPRESSED} |" not in en.stdout
    assert "| where customer value comes from |" in en.stdout

    as_csv = runner.invoke(cli, ["research", "feedback", str(folder), "--format", "csv", "--table", "topics"])
    assert as_csv.exit_code == 0, as_csv.output
    topics = list(csv.DictReader(io.StringIO(as_csv.stdout), delimiter=";"))
    assert {row["survey"] for row in topics} == set(GAIN)

    out = tmp_path / "feedback.json"
    as_json = runner.invoke(cli, ["research", "feedback", str(folder), "--format", "json", "-o", str(out)])
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document) == {"respondents", "min_cell", "surveys", "topics", "ratings"}
    assert document["respondents"] == sum(RESPONDENTS.values())
