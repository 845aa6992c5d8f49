"""Where the shipped bank, rules and schemas live, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_root() -> Path:
    """The folder holding ``question_banks/``, ``scoring_rules/`` and ``schemas/``.

    In a wheel they are package data under ``asiakasarvo_engine/_data``; in an editable
    install or a source tree they sit at the repository's top level.
    """
    packaged = Path(str(resources.files("asiakasarvo_engine"))) / "_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def default_bank_path() -> Path:
    """The manifest of the shipped analysis bank."""
    return data_root() / "question_banks" / "asiakasarvo" / "bank.yaml"


def default_rules_path() -> Path:
    """The shipped default rule set."""
    return data_root() / "scoring_rules" / "asiakasarvo" / "rules.yaml"


def schema_path(name: str) -> Path:
    """A schema file by its short name, e.g. ``question-bank``."""
    return data_root() / "schemas" / f"{name}.schema.json"


def default_rule_tests_path() -> Path:
    """The folder of the shipped rule tests."""
    return data_root() / "scoring_rules" / "tests"


def examples_path() -> Path:
    """The folder of the example companies' answer files."""
    return data_root() / "examples"
