"""Schema files mirror the pydantic models, and shipped YAML names its schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from asiakasarvo_engine import _schemas

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(_schemas.SCHEMA_MODELS))
def test_schema_file_matches_models(name: str) -> None:
    stored = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert stored == _schemas.render(name), (
        f"schemas/{name}.schema.json drifted from the models; "
        "run: python -m asiakasarvo_engine._schemas schemas")


@pytest.mark.parametrize("name", sorted(_schemas.SCHEMA_MODELS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


SHIPPED = sorted([*ROOT.glob("question_banks/**/*.yaml"), *ROOT.glob("scoring_rules/**/*.yaml"),
                  *ROOT.glob("examples/**/*.yaml")])


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(ROOT)) for p in SHIPPED])
def test_shipped_yaml_starts_with_schema_comment(path: Path) -> None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target.is_file(), f"{path}: schema comment points to a missing file {target}"
