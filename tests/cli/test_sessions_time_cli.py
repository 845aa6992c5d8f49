"""Session times and imports end to end: a stored bad time is a coded error naming the
event; the list orders by instant and shows the offset in the hour that repeats; a
session is dated in its meeting's zone; an import checks meaning and the content hash and
reads a file only up to the bound."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.sources import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, store: Path, tz: str = "Europe/Helsinki", lang: str = "en",
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "TZ": tz}
    environment.pop("ASIAKASARVO_LANG", None)
    environment.pop("ASIAKASARVO_STORE", None)
    command = [sys.executable, "-m", "asiakasarvo_engine", "--lang", lang, *args, "--store", str(store)]
    return subprocess.run(command,
                          cwd=ROOT, input=stdin, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False, env=environment)


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


def fixed(*times: str) -> object:
    readings = iter(times)
    last = [times[0]]

    def clock() -> str:
        last[0] = next(readings, last[0])
        return last[0]

    return clock


def stored(path: Path, program: ScoringProgram, start: str, company: str = "Testi Oy",
           zone: str = "Europe/Helsinki") -> str:
    with SQLiteStore(path) as store:
        chosen = {} if zone == "Europe/Helsinki" else {"zone": zone}  # the default is Helsinki
        interview = Interview.start(program, store, company=Company(name=company), advisor="Anna",
                                    clock=fixed(start), **chosen)  # type: ignore[arg-type]
        interview.go_to("owner_strategy")
        assert interview.answer("owner_strategy.documented", "discussed").ok
        assert interview.answer("owner_strategy.owners_aligned", 4).ok
        return interview.session_id


# --- item 2: a log that holds a bad time -------------------------------------------------------

def test_a_stored_bad_time_is_a_coded_error_naming_the_event(tmp_path: Path, program: ScoringProgram) -> None:
    path = tmp_path / "old.sqlite3"
    session_id = stored(path, program, "2026-10-21T09:00:00Z")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE events SET body = replace(body, '2026-10-21T09:00:00Z', '2026-12-31T23:59:60Z') "
                     "WHERE session_id = ? AND seq = 3", (session_id,))
    conn.close()
    for command in (["sessions", "show", session_id], ["sessions", "export", session_id],
                    ["score", session_id], ["report", session_id, "-o", "-"]):
        result = run(*command, store=path)
        assert result.returncode == 1, (command, result.stdout)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("error SES-"), result.stderr
        assert "event 3" in result.stderr and "23:59:60" in result.stderr, result.stderr
    resumed = run("interview", "--session", session_id, store=path, stdin=":quit\n")
    assert resumed.returncode != 0 and "Traceback" not in resumed.stderr, resumed.stderr
    assert "SES-" in resumed.stderr and "event 3" in resumed.stderr, resumed.stderr
    assert session_id in run("sessions", "list", store=path).stdout  # the list still reads


def test_a_stored_figure_beyond_the_float_range_is_a_coded_error_naming_the_event(
        tmp_path: Path, program: ScoringProgram) -> None:
    path = tmp_path / "old.sqlite3"
    session_id = stored(path, program, "2026-10-21T09:00:00Z")
    with sqlite3.connect(path) as conn:  # a log written before the answer check refused it
        conn.execute("UPDATE events SET body = replace(body, '\"value\":4', ?) "
                     "WHERE session_id = ? AND seq = 4", ('"value":1' + "0" * 400, session_id))
    conn.close()
    for command in (["sessions", "show", session_id], ["score", session_id]):
        result = run(*command, store=path)
        assert result.returncode == 1, (command, result.stdout)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("error SES-"), result.stderr
        assert "event 4" in result.stderr and "float range" in result.stderr, result.stderr
    erased = run("sessions", "delete", session_id, store=path, stdin="y\n")  # a damaged log still goes
    assert erased.returncode == 0, erased.stderr
    assert session_id not in run("sessions", "list", store=path).stdout
    assert not any(session_id.encode() in f.read_bytes() for f in tmp_path.iterdir())


# --- item 6: order by instant, offsets where the hour repeats, the meeting's date ----------------

def test_the_list_orders_by_instant_not_by_the_text(tmp_path: Path, program: ScoringProgram) -> None:
    path = tmp_path / "s.sqlite3"
    east = stored(path, program, "2026-10-21T10:30:00+03:00", "Itä Oy")  # 07:30Z
    utc = stored(path, program, "2026-10-21T08:00:00Z", "Länsi Oy")  # later, though its text sorts lower
    listed = json.loads(run("sessions", "list", "--format", "json", store=path).stdout)
    assert [s["id"] for s in listed] == [utc, east]
    text = run("sessions", "list", store=path).stdout.splitlines()
    assert "Länsi Oy" in text[1] and "11:00" in text[1] and "Itä Oy" in text[2] and "10:30" in text[2]


def test_the_hour_that_repeats_at_the_end_of_summer_time_shows_its_offset(tmp_path: Path,
                                                                         program: ScoringProgram) -> None:
    path = tmp_path / "s.sqlite3"
    for n, start in enumerate(["2026-10-25T00:50:00Z", "2026-10-25T01:30:00Z", "2026-10-25T01:50:00Z",
                               "2026-10-25T09:00:00Z"]):
        stored(path, program, start, f"Yritys {n}")
    rows = run("sessions", "list", store=path, lang="fi").stdout.splitlines()[1:]
    assert [row.split("  ")[0] for row in rows] != []
    shown = [next(part for part in row.split("  ") if "klo" in part).strip() for row in rows]
    assert shown == ["25.10.2026 klo 11.00", "25.10.2026 klo 3.50 (UTC+2)", "25.10.2026 klo 3.30 (UTC+2)",
                     "25.10.2026 klo 3.50 (UTC+3)"]
    english = run("sessions", "list", store=path).stdout
    assert "25 October 2026 03:50 (UTC+3)" in english and "25 October 2026 11:00 " in english + " "


def test_a_session_is_dated_in_its_meeting_zone(tmp_path: Path, program: ScoringProgram) -> None:
    path = tmp_path / "s.sqlite3"
    helsinki = stored(path, program, "2026-10-24T22:30:00Z")  # 01.30 on the 25th in Helsinki
    utc = stored(path, program, "2026-10-24T22:30:00Z", "UTC Oy", zone="UTC")
    for tz in ("UTC", "America/New_York"):  # the machine's zone does not matter
        result = json.loads(run("score", helsinki, "--format", "json", store=path, tz=tz).stdout)
        assert (result["date"], result["zone"]) == ("2026-10-25", "Europe/Helsinki")
    other = json.loads(run("score", utc, "--format", "json", store=path).stdout)
    assert (other["date"], other["zone"]) == ("2026-10-24", "UTC")
    report = run("report", helsinki, "--format", "md", "-o", "-", store=path)
    assert report.returncode == 0, report.stderr
    assert "25 October 2026" in report.stdout or "25.10.2026" in report.stdout
    with SQLiteStore(path) as store:
        interview = Interview.open(program, store, helsinki)
        first, second = interview.result().to_json(), interview.result().to_json()
        assert first == second and '"zone": "Europe/Helsinki"' in first


# --- item 4: import checks meaning and the content hash ------------------------------------------

def exported(tmp_path: Path, program: ScoringProgram) -> tuple[Path, dict[str, object]]:
    source = tmp_path / "a.sqlite3"
    session_id = stored(source, program, "2026-10-21T09:00:00Z")
    out = tmp_path / "a.json"
    assert run("sessions", "export", session_id, "-o", str(out), store=source).returncode == 0
    return out, json.loads(out.read_text(encoding="utf-8"))


def test_import_refuses_an_answer_the_interview_would_refuse(tmp_path: Path, program: ScoringProgram) -> None:
    out, data = exported(tmp_path, program)
    events = data["events"]
    assert isinstance(events, list) and events[3]["item"] == "owner_strategy.owners_aligned"
    events[3]["value"] = 99
    out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    target = tmp_path / "b.sqlite3"
    result = run("sessions", "import", str(out), "--accept-edited", store=target)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "ANS-003" in result.stderr and "[/events/3/value]" in result.stderr, result.stderr
    assert run("sessions", "list", store=target).stdout == "No sessions.\n"


def test_import_of_an_edited_file_needs_accept_edited_and_records_it(tmp_path: Path,
                                                                     program: ScoringProgram) -> None:
    out, data = exported(tmp_path, program)
    events = data["events"]
    assert isinstance(events, list)
    events[3]["value"] = 5
    out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    target = tmp_path / "b.sqlite3"
    refused = run("sessions", "import", str(out), store=target)
    assert refused.returncode == 1 and "SES-017" in refused.stderr and "[/content_hash]" in refused.stderr
    assert "--accept-edited" in refused.stderr
    finnish = run("sessions", "import", str(out), store=target, lang="fi")
    assert "muokattu" in finnish.stderr
    taken = run("sessions", "import", str(out), "--accept-edited", "--author", "Tutkija", store=target)
    assert taken.returncode == 0, taken.stderr
    assert "SES-018" in taken.stderr and "event 5" in taken.stderr
    session_id = taken.stdout.strip()
    log = run("sessions", "show", session_id, "--events", store=target).stdout
    assert "Tutkija  edit_accepted" in log


def test_import_reads_a_huge_file_only_up_to_the_bound(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as stream:
        stream.write(b'{"schema_version": "1.0", "kind": "session", "id": "x", "events": [')
        stream.truncate(100 * 1024 * 1024)
    store = tmp_path / "s.sqlite3"
    tracemalloc.start()
    try:
        result = CliRunner().invoke(cli, ["sessions", "import", str(huge), "--store", str(store)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exit_code != 0
    assert "SRC-003" in str(result.exception) or "SRC-003" in result.output
    assert peak < 3 * MAX_FILE_BYTES, f"peak {peak} bytes for a 100 MB file"
