"""``asiakasarvo sessions list|show|export|import|delete`` end to end (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.events import (
    Answered,
    Event,
    Finished,
    NoteAdded,
    Overridden,
    Started,
    Undone,
    now,
)
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "session.schema.json").read_text(encoding="utf-8"))
ADVISOR = "Anna Neuvoja"
SECRET_COMPANY = "Salainen Pähkinätehdas Oy"
SECRET_NOTE = "LUOTTAMUKSELLINEN-MUISTIINPANO-ZQ7"


def run(*args: str, store: Path | None = None, stdin: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    extra = ["--store", str(store)] if store is not None else []
    environment = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", **(env or {})}
    environment.pop("ASIAKASARVO_LANG", None)
    if "ASIAKASARVO_STORE" not in (env or {}):
        environment.pop("ASIAKASARVO_STORE", None)
    return subprocess.run([sys.executable, "-m", "asiakasarvo_engine", "--lang", "en", *args, *extra],
                          cwd=ROOT, input=stdin, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False, env=environment)


@pytest.fixture(scope="module")
def pins() -> tuple[object, object]:
    program = load_program()
    return program.parts.bank, program.parts.rules


def session_log(pins: tuple[object, object], company: str = "Konepaja Testi Oy",
                business_id: str = "0967214-5", finished: bool = False,
                note: str = SECRET_NOTE) -> list[Event]:
    bank, rules = pins
    log: list[Event] = [Started(seq=1, time=now(), author=ADVISOR, advisor=ADVISOR,
                                company=Company(name=company, business_id=business_id),
                                bank=bank, rules=rules)]  # type: ignore[arg-type]

    def add(event_type: type[Event], **fields: object) -> None:
        log.append(event_type(seq=len(log) + 1, time=now(), author=ADVISOR, **fields))  # type: ignore[operator]

    add(Answered, item="owner_strategy.documented", value="discussed")
    add(Answered, item="owner_strategy.review_practice", value=2, note="depends on Timo")
    add(Answered, item="owner_strategy.owners_aligned", value=4)
    add(Answered, item="owner_strategy.growth_focus", value="profitable_growth")
    add(Answered, item="owner_strategy.risk_appetite", value="moderate")
    add(Answered, item="owner_strategy.investment_willingness", value=1)
    add(Undone, target=7)
    add(Answered, item="owner_strategy.investment_willingness", value=4)
    add(NoteAdded, target="owner_strategy", text=note)
    add(Overridden, section="owner_strategy", level=2, justification="Succession not prepared")
    if finished:
        add(Finished)
    return log


def make_store(path: Path, logs: dict[str, list[Event]]) -> Path:
    with SQLiteStore(path) as store:
        for session_id, log in logs.items():
            store.create_log(session_id, log)
    return path


def test_list_text_and_json(tmp_path: Path, pins: tuple[object, object]) -> None:
    store = make_store(tmp_path / "s.sqlite3", {"a1": session_log(pins),
                                                "b2": session_log(pins, "Toinen Oy", "1234567-8", True)})
    text = run("sessions", "list", store=store)
    assert text.returncode == 0, text.stderr
    head, *rows = text.stdout.splitlines()
    assert head.split()[:2] == ["id", "company"]
    assert len(rows) == 2
    assert rows[0].startswith("b2") and "Toinen Oy" in rows[0] and rows[0].rstrip().endswith("yes")
    assert rows[1].startswith("a1") and "0967214-5" in rows[1] and rows[1].rstrip().endswith("no")
    listed = json.loads(run("sessions", "list", "--format", "json", store=store).stdout)
    assert [s["id"] for s in listed] == ["b2", "a1"]
    assert listed[1] == {"id": "a1", "company": "Konepaja Testi Oy", "business_id": "0967214-5",
                         "advisor": ADVISOR, "started": listed[1]["started"], "events": 11,
                         "finished": False}
    assert listed[0]["finished"] is True


def test_list_of_an_empty_store_and_the_environment_variable(tmp_path: Path,
                                                              pins: tuple[object, object]) -> None:
    path = tmp_path / "env" / "env.sqlite3"
    result = run("sessions", "list", env={"ASIAKASARVO_STORE": str(path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "No sessions.\n"
    assert not path.parent.exists()  # reading commands never create a store, nor its folder
    make_store(path, {"e1": session_log(pins)})
    listed = run("sessions", "list", "--format", "json", env={"ASIAKASARVO_STORE": str(path)})
    assert [s["id"] for s in json.loads(listed.stdout)] == ["e1"]  # the store the variable names


def test_group_level_store_option(tmp_path: Path, pins: tuple[object, object]) -> None:
    store = make_store(tmp_path / "s.sqlite3", {"a1": session_log(pins)})
    result = subprocess.run([sys.executable, "-m", "asiakasarvo_engine", "sessions", "--store", str(store),
                             "list", "--format", "json"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert [s["id"] for s in json.loads(result.stdout)] == ["a1"]


def test_show_answers_notes_overrides_progress_scores(tmp_path: Path, pins: tuple[object, object]) -> None:
    store = make_store(tmp_path / "s.sqlite3", {"a1": session_log(pins)})
    result = run("sessions", "show", "a1", store=store)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Session a1" in out and "Konepaja Testi Oy (0967214-5)" in out
    assert "owner_strategy.documented: Discussed and agreed orally" in out  # a choice label
    assert "owner_strategy.review_practice: 2 (" in out and "> depends on Timo" in out  # scale label, note
    assert "owner_strategy.investment_willingness: 4 (" in out  # the undone answer is replaced
    assert "Progress: answered 6 of " in out
    assert SECRET_NOTE in out
    assert "owner_strategy: level 2" in out and "Succession not prepared" in out
    assert "Scores now:" in out
    owner_line = next(line for line in out.splitlines() if line.strip().startswith("Owner strategy"))
    assert "level" in owner_line and "advisor overrides: level 2" in owner_line
    assert "Event log" not in out
    log = run("sessions", "show", "a1", "--events", store=store).stdout
    lines = log.split("Event log:\n", 1)[1].splitlines()
    assert len(lines) == 11
    assert "answered (undone)" in lines[6] and '"value": 1' in lines[6]
    assert "undone" in lines[7] and '"target": 7' in lines[7]


def test_unknown_session_is_a_clean_error(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s.sqlite3", {})
    for command in (["show", "nope"], ["export", "nope"], ["delete", "nope", "--yes"]):
        result = run("sessions", *command, store=store)
        assert result.returncode == 1, command
        assert result.stderr.startswith("error SES-001: no session 'nope'"), result.stderr
        assert "Traceback" not in result.stderr


def test_foreign_store_file_is_a_clean_error_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100, encoding="utf-8")
    result = run("sessions", "list", store=path)
    assert result.returncode == 1
    assert result.stderr.startswith("error SES-003:"), result.stderr
    assert path.read_text(encoding="utf-8") == "not a database\n" * 100


def test_export_import_round_trip(tmp_path: Path, pins: tuple[object, object]) -> None:
    source = make_store(tmp_path / "a.sqlite3", {"a1": session_log(pins)})
    printed = run("sessions", "export", "a1", store=source)
    assert printed.returncode == 0, printed.stderr
    document = json.loads(printed.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["id"] == "a1" and len(document["events"]) == 11
    out = tmp_path / "a1.json"
    written = run("sessions", "export", "a1", "-o", str(out), store=source)
    assert written.returncode == 0 and json.loads(out.read_text(encoding="utf-8")) == document

    target = tmp_path / "b.sqlite3"
    imported = run("sessions", "import", str(out), store=target)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "a1"
    again = json.loads(run("sessions", "export", "a1", store=target).stdout)
    assert again == document  # the very same log, times and authors included

    twice = run("sessions", "import", str(out), store=target)
    assert twice.returncode == 1 and twice.stderr.startswith("error SES-002:"), twice.stderr
    named = run("sessions", "import", str(out), "--new-id", "kopio", store=target)
    assert named.returncode == 0 and named.stdout.strip() == "kopio"
    fresh = run("sessions", "import", str(out), "--new-id", store=target)
    assert fresh.returncode == 0, fresh.stderr
    fresh_id = fresh.stdout.strip()
    assert fresh_id not in {"a1", "kopio"} and fresh_id
    listed = {s["id"] for s in json.loads(run("sessions", "list", "--format", "json", store=target).stdout)}
    assert listed == {"a1", "kopio", fresh_id}


def test_import_of_a_broken_file_names_the_place(tmp_path: Path, pins: tuple[object, object]) -> None:
    source = make_store(tmp_path / "a.sqlite3", {"a1": session_log(pins)})
    document = json.loads(run("sessions", "export", "a1", store=source).stdout)
    document["events"][3]["seq"] = 9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document, indent=2), encoding="utf-8")
    target = tmp_path / "b.sqlite3"
    result = run("sessions", "import", str(bad), store=target)
    assert result.returncode == 1
    assert "bad.json:" in result.stderr and "/events/3/seq" in result.stderr and "SCH-001" in result.stderr
    assert "Traceback" not in result.stderr
    assert run("sessions", "list", store=target).stdout == "No sessions.\n"


def database_files_containing(path: Path, text: str) -> list[str]:
    """The store's files (database, -wal, -shm) that hold ``text`` as UTF-8 or as a JSON escape."""
    needles = [text.encode("utf-8"), json.dumps(text)[1:-1].encode("ascii")]
    return [p.name for p in path.parent.iterdir()
            if p.name.startswith(path.name) and any(n in p.read_bytes() for n in needles)]


def test_delete_asks_and_erases_every_trace(tmp_path: Path, pins: tuple[object, object]) -> None:
    path = make_store(tmp_path / "s.sqlite3", {"secret": session_log(pins, SECRET_COMPANY, "7654321-9"),
                                               "kept": session_log(pins, "Julkinen Oy", "1111111-1",
                                                                   note="tavallinen muistiinpano")})
    assert database_files_containing(path, SECRET_COMPANY)  # the search finds what is there

    refused = run("sessions", "delete", "secret", store=path, stdin="n\n")
    assert refused.returncode == 1 and "nothing was deleted" in refused.stderr
    assert "Delete session secret (Salainen Pähkinätehdas Oy)" in refused.stderr
    no_input = run("sessions", "delete", "secret", store=path, stdin="")
    assert no_input.returncode == 1 and "Traceback" not in no_input.stderr
    assert len(json.loads(run("sessions", "list", "--format", "json", store=path).stdout)) == 2

    agreed = run("sessions", "delete", "secret", store=path, stdin="y\n")
    assert agreed.returncode == 0, agreed.stderr
    assert agreed.stdout.strip() == "Deleted session: secret"
    for text in (SECRET_COMPANY, "7654321-9", "secret", SECRET_NOTE):
        assert not database_files_containing(path, text), f"{text!r} survived the delete"
    assert database_files_containing(path, "Julkinen Oy")
    listed = json.loads(run("sessions", "list", "--format", "json", store=path).stdout)
    assert [s["id"] for s in listed] == ["kept"]

    gone = run("sessions", "delete", "kept", "--yes", store=path)
    assert gone.returncode == 0, gone.stderr
    assert not database_files_containing(path, "Julkinen Oy")
    assert run("sessions", "list", store=path).stdout == "No sessions.\n"


def test_a_session_from_the_runner_is_listed_shown_and_erased(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    lines = ["0967214-5", SECRET_COMPANY, "1", ":note " + SECRET_NOTE, ":quit"]
    started = run("interview", "--company", SECRET_COMPANY, "--business-id", "0967214-5",
                  "--advisor", ADVISOR, store=path, stdin="\n".join(lines) + "\n")
    assert started.returncode == 0, started.stderr
    listed = json.loads(run("sessions", "list", "--format", "json", store=path).stdout)
    assert len(listed) == 1 and listed[0]["company"] == SECRET_COMPANY and not listed[0]["finished"]
    session_id = listed[0]["id"]
    assert f"Session: {session_id}" in started.stdout
    shown = run("sessions", "show", session_id, store=path).stdout
    assert "basic_info.company_form: Limited company (Oy)" in shown and SECRET_NOTE in shown
    assert "Progress: answered 3 of " in shown
    assert database_files_containing(path, SECRET_COMPANY)
    assert run("sessions", "delete", session_id, "--yes", store=path).returncode == 0
    for text in (SECRET_COMPANY, SECRET_NOTE, session_id):
        assert not database_files_containing(path, text), f"{text!r} survived the delete"
