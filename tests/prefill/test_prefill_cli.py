"""``asiakasarvo prefill RECORD.json --session ID`` end to end with CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.paths import open_store

DATA = Path(__file__).parent / "data"


def _session(store_path: Path, *, name: str | None = None) -> str:
    store = open_store(store_path)
    try:
        interview = Interview.start(load_program(), store, company="Kuvitteellinen Sahapaja Oy",
                                    advisor="Anna Neuvoja")
        if name is not None:
            assert interview.answer("basic_info.company_name", name).ok
        return interview.session_id
    finally:
        store.close()


def _answers(store_path: Path, session_id: str) -> dict[str, tuple[object, str]]:
    store = open_store(store_path, readonly=True)
    try:
        interview = Interview.open(load_program(), store, session_id)
        return {item: (entry.value, entry.author or "") for item, entry in interview.answers.items()}
    finally:
        store.close()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False,
                              env={"ASIAKASARVO_STORE": None, "ASIAKASARVO_LANG": None})


def test_prefill_writes_keeps_and_warns(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _session(store, name="Neuvojan nimi Oy")
    result = invoke("--lang", "en", "prefill", str(DATA / "oy_joensuu.json"), "--session", session_id[:8],
                    "--store", str(store))
    assert result.exit_code == 0, result.output
    output = result.output
    assert f"Session {session_id}" in output
    assert "basic_info.municipality = 'joensuu'" in output and "basic_info.founding_year = 2015" in output
    assert "Kept, already answered:\n  basic_info.company_name" in output
    answers = _answers(store, session_id)
    assert answers["basic_info.company_name"] == ("Neuvojan nimi Oy", "Anna Neuvoja")
    assert answers["basic_info.business_id"] == ("1234567-1", "register")


def test_prefill_prints_warnings_in_finnish(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _session(store)
    result = invoke("--lang", "fi", "prefill", str(DATA / "ky_liquidation.json"), "--session", session_id,
                    "--store", str(store))
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Kirjoitettu rekisteristä" in output and "Huomiot:" in output
    assert "warning REG-010" in output and "selvitystila" in output


def test_a_bad_record_exits_1_with_its_code_and_pointer_and_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _session(store)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"companies": [{"businessId": {"value": "1234567"}}]}), encoding="utf-8")
    result = invoke("--lang", "en", "prefill", str(bad), "--session", session_id, "--store", str(store))
    assert result.exit_code == 1
    assert "REG-004" in result.output and "/companies/0/businessId/value" in result.output
    assert _answers(store, session_id) == {}
    missing = invoke("--lang", "en", "prefill", str(tmp_path / "none.json"), "--session", session_id,
                     "--store", str(store))
    assert missing.exit_code == 1 and "SRC-001" in missing.output


def test_a_record_of_another_company_exits_1(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _session(store)
    first = invoke("--lang", "en", "prefill", str(DATA / "oy_joensuu.json"), "--session", session_id,
                   "--store", str(store))
    assert first.exit_code == 0
    other = invoke("--lang", "en", "prefill", str(DATA / "ky_liquidation.json"), "--session", session_id,
                   "--store", str(store))
    assert other.exit_code == 1 and "REG-006" in other.output
    name = _answers(store, session_id)["basic_info.company_name"]
    assert name == ("Kuvitteellinen Sahapaja Oy", "register")
