"""The corpus: answers files, session exports and stores; keyed pseudonyms of company ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.research.corpus import (
    MIN_KEY_BYTES,
    ResearchError,
    pseudonym,
    read_corpus,
    read_key,
)
from asiakasarvo_engine.research.synth import SynthCorpus
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.export import export_json
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

BID = "0737546-2"


def test_pseudonym_is_stable_keyed_and_not_a_plain_hash():
    key = b"k" * 32
    first = pseudonym(key, BID)
    assert first == pseudonym(key, BID)
    assert first != pseudonym(b"j" * 32, BID)
    assert first != pseudonym(key, "1572860-0")
    plain = hashlib.sha256(BID.encode()).hexdigest()
    assert first not in plain
    assert not plain.startswith(first)
    assert len(first) == 32
    assert int(first, 16) >= 0


def test_key_file_is_read_without_its_newline_and_must_be_long(tmp_path: Path):
    path = tmp_path / "k"
    path.write_bytes(b"x" * MIN_KEY_BYTES + b"\n")
    assert read_key(path) == b"x" * MIN_KEY_BYTES
    path.write_bytes(b"short\n")
    with pytest.raises(ResearchError, match="at least 16"):
        read_key(path)
    with pytest.raises(ResearchError, match="cannot be read"):
        read_key(tmp_path / "missing")


def _store_sessions(program: ScoringProgram, store_path: Path, files: list[Path]) -> list[str]:
    ids = []
    with SQLiteStore(store_path) as store:
        for path in files:
            loaded = load_answers(path, program.bank)
            company = loaded.file.company
            assert company is not None
            interview = Interview.start(program, store, advisor="Tutkija",
                                        company=Company(name=company.name, business_id=company.business_id))
            for name, entry in loaded.answers.items():
                assert interview.answer(name, entry.value, status=entry.status).ok, name
            ids.append(interview.session_id)
    return ids


def test_a_corpus_reads_folders_files_exports_and_stores(program: ScoringProgram, small_corpus: SynthCorpus,
                                                         tmp_path: Path):
    files = list(small_corpus.files)
    store_path = tmp_path / "sessions.sqlite3"
    ids = _store_sessions(program, store_path, files[:2])
    with SQLiteStore(store_path, readonly=True) as store:
        export = tmp_path / "one.session.json"
        export.write_text(export_json(store, ids[0]), encoding="utf-8")
    corpus = read_corpus([small_corpus.files[0].parent, files[3], export, store_path], program.bank)
    assert [a.kind for a in corpus] == ["answers"] * 20 + ["answers", "export", "store", "store"]
    by_kind = {a.kind: a for a in corpus}
    session = by_kind["store"]
    assert session.rules is not None
    assert session.rules.hash == program.parts.rules.hash
    assert session.bank.hash == program.parts.bank.hash
    assert session.source.endswith(f"#{ids[0]}") or session.source.endswith(f"#{ids[1]}")
    assert by_kind["answers"].rules is None
    assert by_kind["answers"].bank.version == "1.0.0"
    first = load_answers(files[0], program.bank)
    assert corpus[0].business_id == first.file.company.business_id  # type: ignore[union-attr]
    assert by_kind["export"].business_id == corpus[0].business_id
    assert dict(by_kind["export"].answers).keys() == first.answers.keys()


def test_a_bad_answers_file_or_missing_source_is_refused(program: ScoringProgram, tmp_path: Path):
    bad = tmp_path / "bad.answers.yaml"
    bad.write_text('schema_version: "1.0"\nkind: answers\nbank: {id: asiakasarvo}\n'
                   "answers:\n  owner_strategy.documented: maybe\n", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_corpus([bad], program.bank)
    assert raised.value.diagnostics[0].code == "ANS-003"
    with pytest.raises(ResearchError, match="no such file"):
        read_corpus([tmp_path / "nowhere"], program.bank)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ResearchError, match=r"no \*\.answers\.yaml"):
        read_corpus([tmp_path / "empty"], program.bank)


def test_a_stored_session_rescores_as_its_answers_file_with_its_pinned_rules(
        program: ScoringProgram, small_corpus: SynthCorpus, tmp_path: Path):
    from asiakasarvo_engine.research.rescore import rescore

    store_path = tmp_path / "sessions.sqlite3"
    _store_sessions(program, store_path, [small_corpus.files[5]])
    key = b"s" * 32
    from_store, from_file = rescore(program, read_corpus([store_path, small_corpus.files[5]], program.bank),
                                    key=key)
    assert from_store["rules_pinned"] == "asiakasarvo 1.0.0"
    assert from_file["rules_pinned"] is None
    skip = {"rules_pinned", "date"}
    assert {k: v for k, v in from_store.items() if k not in skip} == \
        {k: v for k, v in from_file.items() if k not in skip}
