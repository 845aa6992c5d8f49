"""The content hash of a rule set counts expressions by their JSON Logic."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine.bank.load import load_bank
from asiakasarvo_engine.jsonlogic import parse
from asiakasarvo_engine.rules.load import load_rules
from asiakasarvo_engine.sources import read_document


def _data() -> dict[str, Any]:
    doc, _ = read_document(default_rules_path())
    assert doc is not None
    return copy.deepcopy(doc.data)


def _hash(tmp_path: Path, data: dict[str, Any], name: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_rules(path, bank=load_bank()).content_hash


def test_infix_and_json_logic_hash_the_same_and_a_change_differs(tmp_path: Path) -> None:
    shipped = load_rules(bank=load_bank()).content_hash
    as_json = _data()
    assert _hash(tmp_path, as_json, "same.json") == shipped
    converted = _data()
    recs = converted["recommendations"]
    recs["priority"] = parse(recs["priority"])
    for rec in recs["items"]:
        rec["when"] = parse(rec["when"]) if isinstance(rec["when"], str) else rec["when"]
    for section in converted["sections"].values():
        for gate in section.get("gates", []):
            gate["when"] = parse(gate["when"])
    assert converted != as_json
    assert _hash(tmp_path, converted, "json_logic.json") == shipped
    changed = _data()
    changed["recommendations"]["items"][0]["when"] += " and management.board_meetings_per_year != None"
    assert _hash(tmp_path, changed, "changed.json") != shipped
