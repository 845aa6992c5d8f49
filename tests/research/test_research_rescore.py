"""``research rescore``: one row per analysis, equal to scoring each file directly."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.research.corpus import PinnedVersion, pseudonym, read_corpus
from asiakasarvo_engine.research.rescore import columns, industry_section, rescore, rows_csv, rows_json
from asiakasarvo_engine.research.synth import SynthCorpus
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.interview import PinMismatchError

KEY = b"0123456789abcdef0123456789abcdef"


def test_one_row_per_company_equal_to_scoring_each_file(program: ScoringProgram, small_corpus: SynthCorpus):
    truth = json.loads(small_corpus.truth.read_text(encoding="utf-8"))["analyses"]
    rows = rescore(program, read_corpus(small_corpus.files, program.bank), key=KEY)
    assert len(rows) == len(small_corpus.files) == 20
    for row, path, known in zip(rows, small_corpus.files, truth, strict=True):
        loaded = load_answers(path, program.bank)
        meta = loaded.file
        assert meta.company is not None
        result = analyse(program, loaded.answers, date=meta.date, advisor=meta.advisor,
                         company=Company(name=meta.company.name, business_id=meta.company.business_id))
        assert list(row) == columns(program)
        assert row["id"] == pseudonym(KEY, known["business_id"])
        assert row["province"] == known["province"] == result.calculated["basic_info.province"]
        assert row["size_class"] == known["size_class"]
        assert row["industry"] == known["industry"]
        for section in program.sections:
            scored = result.sections[section.id]
            assert row[f"{section.id}_score"] == scored.score
            assert row[f"{section.id}_level"] == (scored.level.level if scored.level else None)
        assert row["overall_score"] == result.overall.score
        assert row["overall_level"] == (result.overall.level.level if result.overall.level else None)
        assert result.indicators is not None
        assert row["fiscal_year"] == result.indicators.fiscal_year
        for ratio, computed in result.indicators.ratios.items():
            assert (row[f"ratio_{ratio}"], row[f"ratio_{ratio}_band"]) == (computed.value, computed.band)
        assert result.recommendations is not None
        assert row["recommendations"] == [r.id for r in result.recommendations.items]
        assert row["rules_pinned"] is None
        assert row["date"] == meta.date
    assert not any(known["name"] in json.dumps(row, ensure_ascii=False) for row, known in zip(rows, truth,
                                                                                               strict=True))


def test_without_a_key_no_ids_are_put_out(program: ScoringProgram, small_corpus: SynthCorpus):
    rows = rescore(program, read_corpus(small_corpus.files[:3], program.bank))
    assert [row["id"] for row in rows] == [None, None, None]
    text = rows_json(rows).decode("utf-8")
    truth = json.loads(small_corpus.truth.read_text(encoding="utf-8"))["analyses"]
    assert all(known["business_id"] not in text for known in truth)


def test_rescoring_with_other_rules_changes_the_scores(program: ScoringProgram, small_corpus: SynthCorpus,
                                                       tmp_path: Path):
    tuned = tmp_path / "rules.yaml"
    shipped = default_rules_path().read_text(encoding="utf-8")
    text = shipped.replace("version: 1.0.0", "version: 1.1.0", 1)
    text = text.replace("scores: [0, 25, 50, 75, 100]\n    description: Evenly spaced; 'not in place'",
                        "scores: [0, 10, 30, 60, 100]\n    description: Evenly spaced; 'not in place'", 1)
    assert "[0, 10, 30, 60, 100]" in text
    tuned.write_text(text, encoding="utf-8")
    other = load_program(tuned)
    corpus = read_corpus(small_corpus.files[:5], program.bank)
    before, after = rescore(program, corpus), rescore(other, corpus)
    assert {row["rules"] for row in after} == {"asiakasarvo 1.1.0"}
    assert any(a["overall_score"] != b["overall_score"] for a, b in zip(after, before, strict=True))


def test_another_bank_is_refused(program: ScoringProgram, small_corpus: SynthCorpus):
    analysis = read_corpus(small_corpus.files[:1], program.bank)[0]
    foreign = dataclasses.replace(analysis, bank=PinnedVersion("asiakasarvo", "0.9.0", "sha256:" + "0" * 64))
    with pytest.raises(PinMismatchError, match="rescore it with that bank"):
        rescore(program, [foreign])


def test_csv_has_semicolons_and_excel_gets_a_bom_and_decimal_commas(program: ScoringProgram,
                                                                    small_corpus: SynthCorpus):
    rows = rescore(program, read_corpus(small_corpus.files[:4], program.bank), key=KEY)
    plain = rows_csv(rows, columns(program))
    assert not plain.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(plain.decode("utf-8")), delimiter=";"))
    assert table[0] == columns(program)
    assert len(table) == 5
    score = table[1][table[0].index("overall_score")]
    assert float(score) == rows[0]["overall_score"]
    assert table[1][table[0].index("recommendations")] == ",".join(rows[0]["recommendations"])
    excel = rows_csv(rows, columns(program), excel=True)
    assert excel.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(excel[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert float(table[1][table[0].index("overall_score")].replace(",", ".")) == rows[0]["overall_score"]
    assert "." not in table[1][table[0].index("overall_score")]


def test_industry_sections_of_tol_2008():
    assert industry_section("25620") == "C"
    assert industry_section("02200") == "A"
    assert industry_section("62010", "tol2008") == "J"
    assert industry_section("62010", "tol2025") is None
    assert industry_section(None) is None
    assert industry_section("x1") is None
