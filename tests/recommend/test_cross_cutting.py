"""Board work as a cross-cutting theme: a recommendation without a module is named by its theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_recommendations import _answers, _program_with, _rec, _shipped_rules, _write

from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.scoring.program import load_program

WHEN = "management.strategy_to_goals <= 2"


def test_a_recommendation_without_a_module_carries_its_theme(tmp_path: Path) -> None:
    items = [_rec("board", WHEN, module=None, themes=["board_work", "responsibility"]),
             _rec("taught", WHEN)]
    recs = analyse(_program_with(tmp_path, items), _answers()).recommendations
    assert recs is not None
    by_id = {r.id: r for r in recs.items}
    assert by_id["board"].module is None
    assert by_id["board"].module_title == {"fi": "Läpileikkaava teema: Hallitustyö",
                                           "en": "Cross-cutting theme: Board work"}
    assert by_id["taught"].module == 1 and by_id["taught"].module_title["fi"].startswith("Moduuli 1")


def test_the_shipped_board_work_recommendations_are_cross_cutting() -> None:
    rules = load_program().rules.rules.recommendations
    assert rules is not None
    cross = {rec.id for rec in rules.items if rec.module is None}
    assert {"board_working_rhythm", "shareholder_agreement", "board_self_assessment"} <= cross
    assert all(rec.themes[0] == "board_work" for rec in rules.items if rec.module is None)


def test_no_module_and_no_theme_is_reported(tmp_path: Path) -> None:
    data = _shipped_rules()
    data["recommendations"]["items"] = [_rec("nowhere", WHEN, module=None, themes=[])]
    with pytest.raises(LoadError) as caught:
        load_program(_write(tmp_path, data))
    errors = [(d.code, d.pointer) for d in caught.value.diagnostics if d.severity is Severity.ERROR]
    assert errors == [("RULE-017", "/recommendations/items/0/themes")]
