"""Pydantic models of the scoring-rules and rule-test formats (mirror the schema files)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from asiakasarvo_engine._model_base import Frozen, Identifier, LocalizedText, SemVer

RULES_FORMAT_VERSIONS = ("1.0",)


class BankRef(Frozen):
    """The bank a rule set or answers file is written for."""

    id: Identifier
    version: SemVer | None = Field(default=None, description="Exact bank version, if pinned.")


class RuleSet(Frozen):
    """A versioned scoring rule set for one bank."""

    schema_version: Literal["1.0"]
    kind: Literal["scoring_rules"]
    id: Identifier
    version: SemVer
    title: LocalizedText
    description: LocalizedText | None = None
    bank: BankRef


class RuleTest(Frozen):
    """One scenario: answers in, expected scores, levels and indicators out."""

    name: str = Field(min_length=1, max_length=200)
    answers: str | dict[str, Any] = Field(description="A path to an answers file or inline answers.")
    expect: dict[str, Any] = Field(default_factory=dict)


class RuleTestFile(Frozen):
    """A file of rule tests for one rule set."""

    schema_version: Literal["1.0"]
    kind: Literal["rule_tests"]
    rules: Identifier
    tests: list[RuleTest] = Field(min_length=1)
