"""The JSON Schemas of every exchanged file, generated from the pydantic models.

``schemas/*.schema.json`` are the published contract; a test regenerates them and
fails when they drift from the models (``python -m asiakasarvo_engine._schemas``
rewrites them).

Reading a published schema (:func:`load`) imports no model: the models, and pydantic's
schema generation, are loaded only to generate (``SCHEMA_MODELS`` is built on first use).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asiakasarvo_engine._resources import schema_path

if TYPE_CHECKING:
    from pydantic import BaseModel

    SCHEMA_MODELS: dict[str, tuple[type[BaseModel], str]]

BASE_ID = "https://asiakasarvo-engine.invalid/schemas/"


@cache
def schema_models() -> dict[str, tuple[type[BaseModel], str]]:
    """Each published schema's name, model and title (imports the models)."""
    from asiakasarvo_engine.bank.answers import AnswersFile
    from asiakasarvo_engine.bank.models import Bank, SectionFile
    from asiakasarvo_engine.rules.models import RuleSet, RuleTestFile
    from asiakasarvo_engine.scoring.result import Result
    from asiakasarvo_engine.session.export import SessionExport

    return {
        "question-bank": (Bank, "Question bank (kysymyspankki)"),
        "question-bank-section": (SectionFile, "Question-bank section file (kysymyspankin osio)"),
        "scoring-rules": (RuleSet, "Scoring rules (pisteytyssäännöt)"),
        "rule-tests": (RuleTestFile, "Rule tests (sääntötestit)"),
        "answers": (AnswersFile, "Answers (vastaukset)"),
        "result": (Result, "Analysis result (analyysin tulos)"),
        "session": (SessionExport, "Interview session (haastattelusessio)"),
    }


def __getattr__(name: str) -> Any:
    """``SCHEMA_MODELS``: :func:`schema_models`, loaded on first use."""
    if name == "SCHEMA_MODELS":
        return schema_models()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


KIND_TO_SCHEMA = {
    "question_bank": "question-bank",
    "question_bank_section": "question-bank-section",
    "scoring_rules": "scoring-rules",
    "rule_tests": "rule-tests",
    "answers": "answers",
    "result": "result",
    "session": "session",
}


def generate(name: str) -> dict[str, Any]:
    """The schema document for ``name``, built from its model."""
    model, title = schema_models()[name]
    body = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_ID}{name}.schema.json",
        **{k: v for k, v in body.items() if k != "title"},
        "title": title,
    }


def render(name: str) -> str:
    """The schema as the text stored in ``schemas/``."""
    return json.dumps(generate(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@cache
def load(name: str) -> dict[str, Any]:
    """The published schema file for ``name``."""
    data: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return data


def write_all(folder: Path) -> None:
    """Regenerate every schema file into ``folder``."""
    for name in schema_models():
        (folder / f"{name}.schema.json").write_text(render(name), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas"))
