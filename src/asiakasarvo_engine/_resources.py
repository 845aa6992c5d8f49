"""Where the shipped bank, rules and schemas live, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_root() -> Path:
    """The folder holding ``question_banks/``, ``scoring_rules/`` and ``schemas/``.

    In a wheel they are package data under ``asiakasarvo_engine/_data``; in an editable
    install or a source tree they sit at the repository's top level. The package folder is
    the one this file is in (what ``importlib.resources`` gives for a package on disk, without
    importing it); only an install the folder does not hold asks ``importlib.resources``.
    """
    here = Path(__file__).resolve().parent
    if (here / "_data").is_dir():
        return here / "_data"
    source = here.parents[1]
    if (source / "question_banks").is_dir():
        return source
    from importlib import resources  # e.g. a zipped install

    packaged = Path(str(resources.files("asiakasarvo_engine"))) / "_data"
    return packaged if packaged.is_dir() else source


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
