"""``asiakasarvo interview --variant``: the runner follows the agenda variant (issue 16, item 1)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.errors import EngineError
from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.events import Started
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

SESSION = re.compile(r"^Session: ([0-9a-f]{32})$", re.MULTILINE)
ASKED = re.compile(r"^\[([a-z0-9_]+\.[a-z0-9_]+)\] \(", re.MULTILINE)


def run(store: Path, stdin: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--lang", "en", "interview", "--store", str(store), *args], input=stdin)
    return result.exit_code, result.output + result.stderr


def test_a_core_session_plans_200_minutes_and_asks_no_extended_item(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    # an empty line moves on: walk every question without answering, then show the agenda
    code, output = run(store, "\n" * 200 + ":agenda\n:quit\n", "--company", "Testi Oy", "--variant", "core")
    assert code == 0, output
    assert "Agenda: Core questions (200 min) (core), 200 min." in output
    bank = load_program().bank.loaded.bank
    tier = {f"{s.id}.{i.id}": i.tier.value for s in bank.bodies() for i in s.items}
    asked = ASKED.findall(output)
    assert "next_steps.path_will" in asked
    assert asked and {tier[name] for name in asked} == {"core"}
    match = SESSION.search(output)
    assert match is not None
    with SQLiteStore(str(store)) as opened:
        started = opened.events(match.group(1))[0]
    assert isinstance(started, Started) and started.variant == "core"


def test_resuming_keeps_the_variant_and_refuses_another(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    code, output = run(store, ":quit\n", "--company", "Testi Oy", "--variant", "core_3h")
    assert code == 0, output
    match = SESSION.search(output)
    assert match is not None
    code, again = run(store, ":agenda\n:quit\n", "--session", match.group(1))
    assert code == 0, again
    assert "Agenda: Core questions, compact (3 h) (core_3h), 180 min." in again
    code, refused = run(store, ":quit\n", "--session", match.group(1), "--variant", "full")
    assert code == 2 and "follows core_3h" in refused


def test_an_unknown_variant_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    # the command raises the coded error; main() prints it as "error SES-010: ..." and exits 1
    result = CliRunner().invoke(cli, ["--lang", "en", "interview", "--store", str(tmp_path / "s.sqlite3"),
                                      "--company", "Testi Oy", "--variant", "kore"], input=":quit\n")
    error = result.exception
    assert isinstance(error, EngineError) and error.code == "SES-010"
    assert "full, core, core_3h" in str(error) and "did you mean 'core'" in str(error)
    assert not (tmp_path / "s.sqlite3").exists() or SQLiteStore(str(tmp_path / "s.sqlite3")).sessions() == []
