"""Section 7 split: the ratio-based financial verdict beside the financial-management score."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import build_report, render_markdown
from asiakasarvo_engine.scoring.engine import score
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.sources import read_document

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "examples" / "small_manufacturer.answers.yaml"
YEAR = {"year": 2025, "revenue": 6_820_000, "ebitda": 610_000, "operating_profit": 330_000,
        "net_profit": 225_000, "equity": 2_150_000, "total_assets": 4_600_000, "advances_received": 120_000,
        "current_assets": 2_350_000, "inventories": 980_000, "current_liabilities": 1_450_000,
        "interest_bearing_debt": 1_700_000, "cash": 310_000}


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


def _answers(program: ScoringProgram, **year: float) -> dict[str, AnswerEntry]:
    answers = dict(load_answers(SMALL, program.bank).answers)
    answers["financial_position.fiscal_years"] = AnswerEntry(value=[{**YEAR, **year}])
    return answers


def test_the_verdict_is_the_weakest_band_of_the_listed_ratios(program: ScoringProgram) -> None:
    result = score(program, _answers(program))
    verdict = result.indicators.verdict if result.indicators else None
    assert verdict is not None and verdict.section == "financial_position"
    assert verdict.ratios == {"equity_ratio": "good", "quick_ratio": "good",
                              "current_ratio": "satisfactory", "relative_indebtedness": "good"}
    assert (verdict.band, verdict.deciding) == ("satisfactory", ["current_ratio"])
    assert verdict.label is not None and verdict.label["fi"].startswith("Tyydyttävä")


def test_one_weak_ratio_makes_the_verdict_weak_and_leaves_the_score(program: ScoringProgram) -> None:
    sound = score(program, _answers(program))
    thin = score(program, _answers(program, equity=-50_000))  # negative equity: a weak equity ratio
    verdict = thin.indicators.verdict if thin.indicators else None
    assert verdict is not None
    assert (verdict.band, verdict.deciding) == ("weak", ["equity_ratio"])
    assert thin.sections["financial_position"].score == sound.sections["financial_position"].score


def test_all_good_ratios_give_a_good_verdict(program: ScoringProgram) -> None:
    result = score(program, _answers(program, current_liabilities=1_000_000))
    verdict = result.indicators.verdict if result.indicators else None
    assert verdict is not None and verdict.band == "good"
    assert verdict.deciding == list(verdict.ratios)


def test_no_figures_no_verdict_band(program: ScoringProgram) -> None:
    answers = dict(load_answers(SMALL, program.bank).answers)
    del answers["financial_position.fiscal_years"]
    verdict = score(program, answers).indicators.verdict  # type: ignore[union-attr]
    assert verdict is not None
    assert (verdict.band, verdict.label, verdict.deciding) == (None, None, [])


@pytest.mark.parametrize(("lang", "words"), [("fi", "Talouden tila tunnuslukujen perusteella:"),
                                             ("en", "Financial position by the ratios:")])
def test_the_report_shows_the_verdict_beside_section_7(program: ScoringProgram, lang: str,
                                                       words: str) -> None:
    answers = _answers(program, equity=-50_000)
    result = analyse(program, answers)
    text = render_markdown(build_report(result, answers, program, lang=lang))
    assert text.count(words) == 1
    chapter = text[text.index(words) - 600:text.index(words)]
    assert "/ 100" in chapter  # right after the section's own score line
    line = text[text.index(words):].splitlines()[0]
    assert ("Heikko" if lang == "fi" else "Weak") in line


def _rules() -> dict[str, Any]:
    doc, _ = read_document(default_rules_path())
    assert doc is not None
    return copy.deepcopy(doc.data)


def test_an_unknown_ratio_or_a_missing_label_is_reported(tmp_path: Path) -> None:
    data = _rules()
    data["indicators"]["verdict"]["ratios"].append("equity_ration")
    del data["indicators"]["verdict"]["labels"]["good"]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_program(path)
    assert sorted((d.code, d.pointer) for d in caught.value.diagnostics) == [
        ("RULE-013", "/indicators/verdict/ratios/4"), ("RULE-017", "/indicators/verdict/labels")]
