"""``asiakasarvo report SESSION_ID``: the report of a stored session, overrides included."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.errors import SessionNotFoundError
from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore


def _report(store_path: Path, session_id: str, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["--lang", "fi", "report", session_id, "--store", str(store_path),
                                      "--format", "md", "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_of_a_session_shows_its_answers_notes_override_and_edits(tmp_path: Path) -> None:
    store_path = tmp_path / "sessions.sqlite3"
    program = load_program()
    with SQLiteStore(store_path) as store:
        interview = Interview.start(program, store, company="Raporttitesti Oy", advisor="Aino Advisor")
        assert interview.answer("management.strategy_status", "discussed").ok
        assert interview.answer("management.strategy_to_goals", 2, note="Tavoitteet vasta puheissa").ok
        interview.override("management", 1, "Hallitus ei ole kokoontunut vuoteen.")
        interview.finish()
        interview.edit("/summary/overall", "Hallitus herää asiakasarvoon.")
        session_id = interview.session_id
    text = _report(store_path, session_id, tmp_path / "report.md")
    assert "Raporttitesti Oy" in text
    assert "Hallitus ei ole kokoontunut vuoteen." in text
    assert "Hallitus herää asiakasarvoon." in text
    assert "Tavoitteet vasta puheissa" not in text, "the meeting notes are in the advisor's appendix"
    advisor = _report(store_path, session_id, tmp_path / "advisor.md", "--advisor-appendix")
    assert "Tavoitteet vasta puheissa" in advisor


def test_report_of_an_unknown_session_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "nosuchsession", "--store", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SessionNotFoundError)
    assert "nosuchsession" in str(result.exception)


def test_a_path_that_is_neither_a_file_nor_an_id_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "missing.answers.yaml")])
    assert result.exit_code == 2
    assert "not a session id" in result.output
