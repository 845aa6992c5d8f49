"""Dump and reload of a bank is lossless and hash-stable (DESIGN Formats, content hash)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakasarvo_engine import load_bank

BASE = Path(__file__).resolve().parents[1] / "data" / "bad_banks" / "_valid.yaml"


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def _dump(data: Any, fmt: str, style: bool | None, indent: int) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=bool(indent % 2), indent=indent)
    return yaml.safe_dump(data, default_flow_style=style, allow_unicode=True, sort_keys=False,
                          indent=indent)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), fmt=st.sampled_from(["yaml", "json"]),
       style=st.sampled_from([None, True, False]), indent=st.integers(2, 6))
def test_reformatted_bank_loads_to_same_model_and_hash(tmp_path: Path, seed: int, fmt: str,
                                                       style: bool | None, indent: int) -> None:
    original = load_bank(BASE)
    data = _shuffled(original.data, random.Random(seed))
    path = tmp_path / f"bank-{seed}.{fmt}"
    path.write_text(_dump(data, fmt, style, indent), encoding="utf-8")
    again = load_bank(path)
    assert again.bank == original.bank
    assert again.content_hash == original.content_hash


def test_included_and_inline_sections_hash_the_same(tmp_path: Path) -> None:
    original = load_bank(BASE)
    section = dict(original.data["sections"][0])
    (tmp_path / "owners.yaml").write_text(yaml.safe_dump(
        {"schema_version": "1.0", "kind": "question_bank_section", **section},
        allow_unicode=True), encoding="utf-8")
    manifest = {**original.data, "sections": [{"include": "owners.yaml"}]}
    (tmp_path / "bank.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    assert load_bank(tmp_path / "bank.yaml").content_hash == original.content_hash


def test_changed_content_changes_the_hash(tmp_path: Path) -> None:
    original = load_bank(BASE)
    data = json.loads(json.dumps(original.data))
    data["sections"][0]["agenda_minutes"] = 11
    (tmp_path / "bank.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_bank(tmp_path / "bank.json").content_hash != original.content_hash


def test_include_outside_the_bank_folder_is_refused(tmp_path: Path) -> None:
    from asiakasarvo_engine import check_bank

    original = load_bank(BASE)
    manifest = {**original.data, "sections": [{"include": "../../etc/passwd.yaml"}]}
    (tmp_path / "bank.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    loaded, diagnostics = check_bank(tmp_path / "bank.yaml")
    assert loaded is None
    assert [d.code for d in diagnostics] == ["BANK-012"]
