"""``asiakasarvo score SESSION_ID``: a stored session scored, also with tuned rules."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.errors import EngineError
from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "examples" / "small_manufacturer.answers.yaml"


def _stored_example(store_path: Path) -> str:
    """The small manufacturer's answers, given one by one in an interview."""
    program = load_program()
    answers = load_answers(SMALL, program.bank).answers
    with SQLiteStore(store_path) as store:
        interview = Interview.start(program, store, company="Konepaja Lehtoranta Oy", advisor="Pekka")
        for name, entry in answers.items():
            assert interview.answer(name, entry.value, status=entry.status, note=entry.note).ok, name
        return interview.session_id


def _score(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["score", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_stored_session_scores_as_its_answers_file_does(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _stored_example(store)
    from_session = _score(session_id, "--store", str(store))
    from_file = _score(str(SMALL))
    assert from_session["overall"] == from_file["overall"]
    assert from_session["sections"] == from_file["sections"]
    assert from_session["company"]["name"] == "Konepaja Lehtoranta Oy"  # type: ignore[index]


def test_a_stored_session_is_rescored_with_tuned_rules_and_said_so(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _stored_example(store)
    tuned = tmp_path / "rules.yaml"
    text = default_rules_path().read_text(encoding="utf-8")
    tuned.write_text(text.replace("version: 1.0.0", "version: 1.1.0", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "score", session_id, "--store", str(store),
                                      "--rules", str(tuned), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rules"]["version"] == "1.1.0"
    assert f"Session {session_id} scored with rules asiakasarvo 1.1.0" in result.stderr


def test_a_session_is_not_scored_with_another_bank(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _stored_example(store)
    bank = ROOT / "question_banks" / "asiakasarvo"
    copy = tmp_path / "bank"
    copy.mkdir()
    for path in bank.rglob("*.yaml"):
        target = copy / path.relative_to(bank)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    manifest = copy / "bank.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0.1", 1),
                        encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text(default_rules_path().read_text(encoding="utf-8").replace(
        "  version: 1.0.0", "  version: 1.0.1", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", session_id, "--store", str(store), "--bank", str(manifest),
                                      "--rules", str(rules)])
    assert result.exit_code == 1
    assert isinstance(result.exception, EngineError) and result.exception.code == "SES-014"
    assert "score it with that bank" in str(result.exception)


def test_explain_takes_a_stored_session(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _stored_example(store)
    args = ["--lang", "en", "explain", "--section", "management"]
    from_session = CliRunner().invoke(cli, [*args, session_id, "--store", str(store)])
    from_file = CliRunner().invoke(cli, [*args, str(SMALL)])
    assert from_session.exit_code == 0, from_session.output
    assert from_session.stdout == from_file.stdout and "management" in from_session.stdout.lower()
