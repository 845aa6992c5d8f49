"""Shared fixtures of the research tests: the shipped program and small synthetic corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from asiakasarvo_engine.research.synth import SynthCorpus, synthesize
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program


@pytest.fixture(scope="session")
def program() -> ScoringProgram:
    return load_program()


@pytest.fixture(scope="session")
def small_corpus(program: ScoringProgram, tmp_path_factory: pytest.TempPathFactory) -> SynthCorpus:
    """20 companies: enough to compare every row, fast enough for every run."""
    return synthesize(program, 20, 11, tmp_path_factory.mktemp("synth20"))


@pytest.fixture(scope="session")
def corpus_250(program: ScoringProgram, tmp_path_factory: pytest.TempPathFactory) -> SynthCorpus:
    """The programme's 250 analyses (about 2 s to write)."""
    return synthesize(program, 250, 2026, tmp_path_factory.mktemp("synth250"))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "research.key"
    path.write_text("0123456789abcdef0123456789abcdef\n", encoding="ascii")
    return path
