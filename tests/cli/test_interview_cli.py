"""``asiakasarvo interview``: the terminal runner driven through piped input.

The scripted sessions answer the example company ``small_manufacturer`` line by line in
the bank's order (only the items visible at that point, as the runner asks them), and
the finished session must score exactly as the answers file does.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.models import Item, QuestionType
from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.cli.interview import parse_answer, split_note
from asiakasarvo_engine.cli.score import format_result
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.scoring.result import Company, Result
from asiakasarvo_engine.session.clock import meeting_date
from asiakasarvo_engine.session.events import Answered, Finished, NoteAdded, Overridden, Started, Undone
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.state import fold

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "small_manufacturer.answers.yaml"
COMPANY = "Konepaja Lehtoranta Oy"
BUSINESS_ID = "0967214-5"
ADVISOR = "Pekka Räsänen"
ACK = re.compile(r"^  OK #(\d+) ([a-z0-9_]+\.[a-z0-9_]+) = ")
ASKED = re.compile(r"^\[([a-z0-9_]+\.[a-z0-9_]+)\] \(")
SESSION = re.compile(r"^Session: ([0-9a-f]{32})$", re.MULTILINE)


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


@pytest.fixture(scope="module")
def example(program: ScoringProgram) -> dict[str, AnswerEntry]:
    return dict(load_answers(EXAMPLE, program.bank).answers)


# --- the script ------------------------------------------------------------------------------

def _choice_number(program: ScoringProgram, item: Item, value: str) -> str:
    bank = program.bank.loaded.bank
    choices = item.choices if item.choices is not None else bank.choice_lists[item.choices_from or ""]
    return str([c.value for c in choices].index(value) + 1)


def value_line(program: ScoringProgram, item: Item, value: Any) -> str:
    """How an advisor types ``value`` (choice numbers, y/n, matrix rows, JSON for groups)."""
    kind = item.type
    if kind is QuestionType.SINGLE_CHOICE:
        return _choice_number(program, item, value)
    if kind is QuestionType.MULTI_CHOICE:
        return " ".join(_choice_number(program, item, v) for v in value) or "[]"
    if kind is QuestionType.BOOLEAN:
        return "y" if value else "n"
    if kind is QuestionType.MATRIX:
        columns = [c.id for c in item.columns or []]
        rows = [r.id for r in item.rows or []]
        if all(list(cells) == columns for cells in value.values()):
            return " ".join(f"{rows.index(row) + 1}=" + ",".join(str(cells[c]) for c in columns)
                            for row, cells in value.items())
        return json.dumps(value, ensure_ascii=False)
    if kind is QuestionType.REPEAT_GROUP:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        plain = value == value.strip() and "\n" not in value and "##" not in value and value[:1] not in ':"'
        return value if plain and value else json.dumps(value, ensure_ascii=False)
    return str(value)


def entry_line(program: ScoringProgram, item: Item, entry: AnswerEntry) -> str:
    note = entry.note
    if entry.status is AnswerStatus.ANSWERED:
        return value_line(program, item, entry.value) + (f" ## {note}" if note else "")
    command = {AnswerStatus.DONT_KNOW: ":dk", AnswerStatus.NOT_APPLICABLE: ":na",
               AnswerStatus.SKIPPED: ":skip"}[entry.status]
    return command + (f" {note}" if note else "")


def script(program: ScoringProgram, answers: Mapping[str, AnswerEntry]) -> list[tuple[str, str]]:
    """(item, line) for every item the runner asks, in bank order: an item is asked when it
    is visible given the answers before it; an item without an answer gets an empty line."""
    given: dict[str, Any] = {}
    lines: list[tuple[str, str]] = []
    for name, compiled in program.bank.items.items():
        if name in program.bank.evaluate(given).hidden:
            continue
        entry = answers.get(name)
        if entry is None:
            lines.append((name, ""))
            continue
        lines.append((name, entry_line(program, compiled.item, entry)))
        if entry.status is AnswerStatus.ANSWERED:
            given[name] = entry.value
    return lines


# --- running ---------------------------------------------------------------------------------

def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "asiakasarvo_engine", "--lang", "en", "interview", *args]


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("ASIAKASARVO_LANG", None)
    env.pop("ASIAKASARVO_STORE", None)
    return env


def new_session_args(store: Path) -> list[str]:
    return ["--store", str(store), "--company", COMPANY, "--business-id", BUSINESS_ID, "--advisor", ADVISOR]


class Child:
    """The runner as a child process, fed line by line, its output read line by line."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8", env=environment())
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, pattern: re.Pattern[str], timeout: float = 60) -> re.Match[str]:
        """Read output until a line (the part after any prompt) matches."""
        while True:
            line = self.lines.get(timeout=timeout)
            if line is None:
                raise AssertionError("the runner ended early:\n" + "\n".join(self.seen[-30:]))
            self.seen.append(line)
            found = pattern.search(line.rpartition("> ")[2] if pattern is ACK else line)
            if found:
                return found

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.close()

    def close(self) -> int:
        """Close the input, wait for the end, read the rest and close the pipes; the exit code."""
        assert self.proc.stdin is not None and self.proc.stdout is not None and self.proc.stderr is not None
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.close()
        code = self.proc.wait(timeout=300)
        self.pump.join(timeout=30)
        while (line := self.lines.get(timeout=30)) is not None:
            self.seen.append(line)
        self.errors = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return code


def events_of(store: Path, session_id: str) -> list[Any]:
    with SQLiteStore(store) as opened:
        return opened.events(session_id)


def session_result(program: ScoringProgram, answers: Mapping[str, AnswerEntry], started: Started) -> Result:
    return analyse(program, answers, company=Company(name=started.company.name,
                                                     business_id=started.company.business_id),
                   date=meeting_date(started.time, started.zone), zone=started.zone,
                   advisor=started.advisor)


def assert_same_analysis(program: ScoringProgram, example: Mapping[str, AnswerEntry], store: Path,
                         session_id: str, stdout: str) -> None:
    log = events_of(store, session_id)
    state = fold(log)
    assert isinstance(log[-1], Finished)
    for name, entry in example.items():  # every answer, status and note, nothing lost
        got = state.answers.get(name)
        assert got is not None, f"{name} is missing"
        assert (got.value, got.status, got.note) == (entry.value, entry.status, entry.note), name
    assert set(state.answers) == set(example)
    expected = session_result(program, example, state.started)
    got_result = session_result(program, state.answers, state.started)
    assert {sid: (s.score, s.level.level if s.level else None, s.completeness)
            for sid, s in got_result.sections.items()} == \
        {sid: (s.score, s.level.level if s.level else None, s.completeness)
         for sid, s in expected.sections.items()}
    assert got_result.overall == expected.overall
    assert format_result(expected, "en") in stdout  # what :finish printed is the file's analysis


def items_from(lines: list[tuple[str, str]], item: str) -> list[tuple[str, str]]:
    index = next(i for i, (name, _) in enumerate(lines) if name == item)
    return lines[index:]


# --- the scripted sessions -------------------------------------------------------------------

def test_script_follows_the_bank(program: ScoringProgram, example: dict[str, AnswerEntry]) -> None:
    lines = script(program, example)
    assert {name for name, _ in lines} == set(example)  # every answer is asked for, in one pass
    bank = program.bank.loaded.bank
    for name, line in lines:  # and each line reads back as the file's value
        entry = example[name]
        if entry.status is AnswerStatus.ANSWERED:
            text, note = split_note(line)
            assert note == entry.note, name
            assert parse_answer(bank, program.bank.items[name].item, text) == entry.value, name


def test_scripted_session_runs_from_start_to_finish(tmp_path: Path, program: ScoringProgram,
                                                    example: dict[str, AnswerEntry]) -> None:
    store = tmp_path / "sessions.sqlite3"
    lines = script(program, example)
    stdin = "\n".join([line for _, line in lines] + [":finish"]) + "\n"
    run = subprocess.run(command(*new_session_args(store)), cwd=ROOT, input=stdin, capture_output=True,
                         text=True, encoding="utf-8", timeout=300, check=False, env=environment())
    assert run.returncode == 0, run.stderr + run.stdout[-3000:]
    assert "error" not in run.stdout.replace("Errors", ""), run.stdout
    session_id = SESSION.search(run.stdout)
    assert session_id is not None
    acks = [ACK.search(line.rpartition("> ")[2]) for line in run.stdout.splitlines()]
    assert [m.group(2) for m in acks if m] == [name for name, _ in lines]
    assert "Session finished." in run.stdout
    assert_same_analysis(program, example, store, session_id.group(1), run.stdout)


def test_stopped_and_killed_session_resumes_with_nothing_lost(tmp_path: Path, program: ScoringProgram,
                                                              example: dict[str, AnswerEntry]) -> None:
    store = tmp_path / "sessions.sqlite3"
    lines = script(program, example)
    third = len(lines) // 3

    # 1. The input stops after a third of the answers: a clean stop with the id printed.
    stdin = "\n".join(line for _, line in lines[:third]) + "\n"
    first = subprocess.run(command(*new_session_args(store)), cwd=ROOT, input=stdin, capture_output=True,
                           text=True, encoding="utf-8", timeout=300, check=False, env=environment())
    assert first.returncode == 0, first.stderr
    found = SESSION.search(first.stdout)
    assert found is not None
    session_id = found.group(1)
    # the whole command, with the store it was run on
    assert first.stdout.rstrip().endswith(f"asiakasarvo interview --store {store} --session {session_id}")
    acked = [m.group(2) for m in map(ACK.search, (ln.rpartition("> ")[2] for ln in first.stdout.splitlines()))
             if m]
    assert acked == [name for name, _ in lines[:third]]

    # 2. Resumed where it stopped, then killed with SIGKILL after more answers, one more in flight.
    child = Child(command("--store", str(store), "--session", session_id))
    asked = child.until(ASKED).group(1)
    assert asked == lines[third][0], "resumes at the first question not yet answered"
    stop = 2 * len(lines) // 3
    for name, line in lines[third:stop]:
        child.send(line)
        assert child.until(ACK).group(2) == name
        acked.append(name)
    child.send(lines[stop][1])  # its answer may or may not be stored: it was never acknowledged
    child.kill()
    state = fold(events_of(store, session_id))
    for name in acked:  # every acknowledged answer survived the kill
        assert name in state.answers, name
        assert state.answers[name].status is example[name].status

    # 3. Resumed again and finished: the same analysis as the answers file.
    child = Child(command("--store", str(store), "--session", session_id))
    asked = child.until(ASKED).group(1)
    assert asked in (lines[stop][0], lines[stop + 1][0])
    for _, line in items_from(lines, asked):
        child.send(line)
    child.send(":finish")
    assert child.close() == 0, child.errors
    stdout = "\n".join(child.seen)
    assert stdout.rstrip().endswith(f"Session: {session_id}")
    assert_same_analysis(program, example, store, session_id, stdout)


# --- commands (in process) -------------------------------------------------------------------

def interview(store: Path, stdin: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--lang", "en", "interview", "--store", str(store), *args], input=stdin,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def started_id(output: str) -> str:
    found = SESSION.search(output)
    assert found is not None, output
    return found.group(1)


def test_invalid_answers_are_asked_again(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = interview(store, "\n".join([
        "1234567-8",       # a wrong check digit: ANS-005 from the API
        "0967214-5",       # accepted
        "Konepaja Testi Oy",
        "10",              # company form: there are 9 choices
        "oy",              # a choice by its value
    ]) + "\n", "--company", "Testi Oy", "--advisor", "Anna")
    assert "error ANS-005 [/answers/basic_info.business_id]" in out
    assert out.count("basic_info.business_id> ") == 2  # asked again
    assert "Could not read the answer: '10' is neither a choice number" in out
    assert out.count("basic_info.company_form> ") == 2
    state = fold(events_of(store, started_id(out)))
    assert {k: v.value for k, v in state.answers.items()} == {
        "basic_info.business_id": "0967214-5", "basic_info.company_name": "Konepaja Testi Oy",
        "basic_info.company_form": "oy"}
    assert "basic_info.industry_code> " in out  # it went on


def test_goto_note_undo_override_and_resume(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = interview(store, "\n".join([
        ":goto owner_strategy",
        "2 ## written long ago",          # documented: a choice by number, with a note
        "3",                              # owners_aligned
        ":note Owners disagree on the pace",  # on growth_focus, the question now
        "1",                              # growth_focus = strong_growth
        ":undo",                          # takes it back and returns to growth_focus
        "2",                              # growth_focus = profitable_growth
        ":goto owner_strategy.owners_aligned",
        ":clear",
        ":override owner_strategy 2 Succession unprepared",
        ":override nowhere 2 x",          # an unknown section: an error, the dialogue goes on
        ":overview",
        ":agenda",
        ":bogus",
        ":quit",
        "3",                              # never read: :quit ended the dialogue
    ]) + "\n", "--company", "Testi Oy", "--advisor", "Anna")
    session_id = started_id(out)
    assert "[owner_strategy.documented]" in out
    assert "Note saved (#" in out and "owner_strategy.growth_focus)." in out
    assert "Undid event #" in out and "(answered owner_strategy.growth_focus)" in out
    after_undo = out[out.index("Undid event #"):]
    question = "[owner_strategy.growth_focus]"
    assert after_undo.index(question) < after_undo.index("owner_strategy.growth_focus> 2")
    assert "owner_strategy.owners_aligned: answer removed" in out
    assert "Section owner_strategy level: computed" in out and "advisor's 2" in out
    assert "error SES-012" in out
    assert "Overview (answered/visible" in out and "Agenda (spent/planned):" in out
    assert "Unknown command :bogus" in out
    assert out.rstrip().endswith(f"interview --store {store} --session {session_id}")
    log = events_of(store, session_id)
    state = fold(log)
    answers = {k: (v.value, v.note) for k, v in state.answers.items()}
    assert answers == {"owner_strategy.documented": ("tacit", "written long ago"),
                       "owner_strategy.growth_focus": ("profitable_growth", None)}
    assert [n.text for n in state.notes] == ["Owners disagree on the pace"]
    assert state.notes[0].target == "owner_strategy.growth_focus"
    assert state.overrides["owner_strategy"].level == 2
    assert state.overrides["owner_strategy"].justification == "Succession unprepared"
    assert sum(isinstance(e, Undone) for e in log) == 1
    assert sum(isinstance(e, Overridden) for e in log) == 1
    assert all(e.author == "Anna" for e in log)

    # Resumed: the first open question of the section it stopped in (owners_aligned was cleared).
    again = interview(store, "3\n:finish\ny\n", "--session", session_id)  # y: finish with required open
    assert "Resuming session" in again
    assert again.index("[owner_strategy.owners_aligned]") < again.index("owner_strategy.owners_aligned> 3")
    assert "Session finished." in again and "Advisor overrides:" in again
    assert "Succession unprepared" in again
    state = fold(events_of(store, session_id))
    assert state.finished and state.answers["owner_strategy.owners_aligned"].value == 3

    # A finished session says so and refuses answers until reopened.
    done = interview(store, "4\n:reopen\n:quit\n", "--session", session_id)
    assert "The session is finished" in done and "error SES-011" in done
    assert "Session reopened." in done
    assert not fold(events_of(store, session_id)).finished


def test_note_targets_and_answer_syntax(program: ScoringProgram) -> None:
    bank = program.bank.loaded.bank
    items = program.bank.items
    assert split_note('"a ## b" ## c') == ('"a ## b"', "c")
    assert split_note("48 ## was 55 % in 2024") == ("48", "was 55 % in 2024")
    assert parse_answer(bank, items["basic_info.turnover"].item, "6 820 000 €") == 6820000
    assert parse_answer(bank, items["owner_strategy.operating_profit_target"].item, "7,5 %") == 7.5
    assert parse_answer(bank, items["basic_info.outside_board_members"].item, "ei") is False
    assert parse_answer(bank, items["basic_info.social_media"].item, "1, 2") == [
        c.value for c in (items["basic_info.social_media"].item.choices or
                          bank.choice_lists[items["basic_info.social_media"].item.choices_from or ""])[:2]]
    matrix = items["business_model.canvas_clarity"].item
    assert parse_answer(bank, matrix, "1=4,3 customer_segments.evidence=5 2.1=2") == {
        "customer_segments": {"concreteness": 4, "evidence": 5}, "value_propositions": {"concreteness": 2}}
    group = items["basic_info.owners"].item
    assert parse_answer(bank, group, '+ {"name": "B"}', [{"name": "A"}]) == [{"name": "A"}, {"name": "B"}]
    assert parse_answer(bank, items["business_model.bmc_customer_segments"].item,
                        '"two\\nlines"') == "two\nlines"


def test_unknown_session_is_a_clean_error(tmp_path: Path) -> None:
    args = command("--store", str(tmp_path / "s.sqlite3"), "--session", "nope")
    run = subprocess.run(args, cwd=ROOT, input="", capture_output=True, text=True, timeout=120, check=False,
                         env=environment())
    assert run.returncode == 1
    assert run.stderr.startswith("error SES-001:") and "Traceback" not in run.stderr


def test_the_log_records_answers_and_notes(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = interview(store, "0967214-5 ## from YTJ\n:note checked\n", "--company", "Testi Oy",
                    "--advisor", "Anna")
    log = events_of(store, started_id(out))
    assert isinstance(log[0], Started) and log[0].company.name == "Testi Oy"
    answered = [e for e in log if isinstance(e, Answered)]
    assert [(e.item, e.value, e.note) for e in answered] == [("basic_info.business_id", "0967214-5",
                                                              "from YTJ")]
    notes = [e for e in log if isinstance(e, NoteAdded)]
    assert [(e.target, e.text) for e in notes] == [("basic_info.company_name", "checked")]


def test_a_refused_answer_is_explained_in_finnish(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["interview", "--store", str(tmp_path / "s.sqlite3"), "--company",
                                      "Testi Oy", "--advisor", "Anna"], input="1234567-8\n",
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert ("virheellinen Y-tunnus '1234567-8': tarkistusnumero on 8, odotettiin 1 "
            "(kysymys basic_info.business_id)") in result.output


def test_a_question_mark_shows_help_and_a_bare_command_word_is_hinted(tmp_path: Path) -> None:
    out = interview(tmp_path / "s.sqlite3", "0967214-5\n?\nTesti Oy\nquit\n", "--company", "Testi Oy")
    assert "Help: :help or ? · stop: :quit" in out
    assert "Answer the question on one line, or give a command." in out  # "?" is help, not a name
    assert "basic_info.company_name = Testi Oy" in out
    assert ("is neither a choice number 1-9 nor a choice value or name; commands start with a colon: :quit"
            in out)


# --- the runner as an advisor meets it (issue 13, item 9) ------------------------------------

def finnish(store: Path, stdin: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--lang", "fi", "interview", "--store", str(store), *args], input=stdin,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_quit_prints_the_whole_resume_command_and_any_unique_prefix_resumes(tmp_path: Path) -> None:
    store = tmp_path / "my store.sqlite3"
    out = interview(store, "0967214-5\n:quit\n", "--company", "Prefiksi Oy", "--advisor", "Anna")
    session_id = started_id(out)
    resume = f"asiakasarvo interview --store {shlex.quote(str(store))} --session {session_id}"
    assert out.rstrip().endswith(resume)
    again = interview(store, ":quit\n", "--session", session_id[:5])
    assert f"Resuming session {session_id}" in again
    by_name = interview(store, ":quit\n", "--session", "prefiksi oy")
    assert f"Resuming session {session_id}" in by_name


def test_finish_with_required_answers_missing_lists_them_and_asks(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = interview(store, "0967214-5\n:finish\nn\n:quit\n", "--company", "Testi Oy", "--advisor", "Anna")
    assert "required questions are still unanswered:" in out
    assert "  - basic_info.company_name: " in out
    assert "Finish the session anyway?" in out
    assert "carrying on from basic_info.company_name" in out
    assert "Session finished." not in out
    assert not fold(events_of(store, started_id(out))).finished
    out = interview(store, ":finish\ny\n", "--session", started_id(out))
    assert "Session finished." in out


def test_an_empty_line_on_a_required_question_says_so(tmp_path: Path) -> None:
    out = finnish(tmp_path / "s.sqlite3", "\n:quit\n", "--company", "Testi Oy")
    assert "Pakollinen kysymys basic_info.business_id jäi vastaamatta; :back palaa siihen." in out


def test_goto_offers_the_way_back(tmp_path: Path) -> None:
    out = interview(tmp_path / "s.sqlite3", ":goto owner_strategy\n:goto -\n:quit\n", "--company", "Testi Oy")
    after = out[out.index("basic_info.business_id> :goto owner_strategy"):]
    assert "(back to basic_info.business_id: :goto -)" in after
    back = after[after.index("owner_strategy.documented> :goto -"):]
    assert "[basic_info.business_id]" in back and "(back to" not in back


def test_choices_by_label_in_any_case_and_a_long_list_in_columns(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = finnish(store, "0967214-5\nTesti Oy\nOSAKEYHTIÖ\n\n\nk\nKuopio\n\nfacebook, LinkedIn\n:quit\n",
                  "--company", "Testi Oy")
    state = fold(events_of(store, started_id(out.replace("Istunto: ", "Session: "))))
    assert state.answers["basic_info.company_form"].value == "oy"
    assert state.answers["basic_info.municipality"].value == "kuopio"
    assert state.answers["basic_info.social_media"].value == ["facebook", "linkedin"]
    assert "'k' sopii useaan vaihtoehtoon: 10) Kaavi, 11) Kangasniemi" in out  # filtered by what was typed
    asked = out[out.index("[basic_info.municipality]"):out.index("basic_info.municipality> ")]
    assert len(asked.splitlines()) < 20  # 44 municipalities in columns, not 44 lines
    assert "16) Kuopio" in asked and "44) Vieremä" in asked


def test_matrix_rows_on_a_second_visit_are_merged_and_the_change_is_told(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = interview(store, "\n".join([
        ":goto business_model.canvas_clarity", "1=4,3 2=2,2",
        ":goto business_model.canvas_clarity", "2=5", ":quit"]) + "\n", "--company", "Testi Oy")
    state = fold(events_of(store, started_id(out)))
    assert state.answers["business_model.canvas_clarity"].value == {
        "customer_segments": {"concreteness": 4, "evidence": 3}, "value_propositions": {"concreteness": 5,
                                                                                       "evidence": 2}}
    assert "changed: value_propositions.concreteness 2 → 5" in out
    assert "unchanged: customer_segments" in out


def test_finnish_screens_have_no_english_or_internal_words(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = finnish(store, "\n".join([
        "1234567-8", "0967214-5", "Testi Oy", ":undo", ":goto basic_info.staff_headcount", "12,5", "2020,5",
        ":goto basic_info.founding_year", "1990,5", ":goto nowhere", ":quit"]) + "\n",
        "--company", "Testi Oy", "--advisor", "Anna")
    assert "Tallennettu: basic_info.company_name = Testi Oy" in out
    assert "OK #" not in out and "(answered" not in out and "error" not in out
    assert "Peruttu: vastaus kysymykseen basic_info.company_name." in out
    assert "virhe ANS-005: virheellinen Y-tunnus" in out and "[/answers/" not in out
    assert "basic_info.staff_headcount = 12,5 htv" in out and "basic_info.turnover = 2 020,5 €" in out
    assert "väärä vastaustyyppi (kokonaisluku): löytyi luku" in out
    assert "(year" not in out and "integer" not in out and "1990.5" not in out
    assert "hallitusasiantuntija Anna" in out and "neuvoja" not in out
    assert "virhe SES-012: Ei kysymystä eikä osiota 'nowhere'" in out


def test_a_business_id_answered_in_the_interview_shows_in_the_list_and_on_the_report_cover(
        tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = interview(store, "0967214-5\n:quit\n", "--company", "Tunnukseton Oy")  # no --business-id
    session_id = started_id(out)
    listed = CliRunner().invoke(cli, ["--lang", "en", "sessions", "list", "--store", str(store), "--format",
                                      "json"], catch_exceptions=False)
    assert json.loads(listed.output)[0]["business_id"] == "0967214-5"
    shown = CliRunner().invoke(cli, ["--lang", "en", "sessions", "show", session_id[:6], "--store",
                                     str(store)], catch_exceptions=False)
    assert "Tunnukseton Oy (0967214-5)" in shown.output
    report = tmp_path / "r.md"
    made = CliRunner().invoke(cli, ["--lang", "fi", "report", "tunnukseton", "--store", str(store),
                                    "--format", "md", "-o", str(report)], catch_exceptions=False)
    assert made.exit_code == 0, made.output
    cover = report.read_text(encoding="utf-8").split("\n## ")[0]
    assert "0967214-5" in cover


def test_a_repeat_groups_fields_name_their_types_in_finnish(tmp_path: Path) -> None:
    out = finnish(tmp_path / "s.sqlite3", ":goto basic_info.owners\n:quit\n", "--company", "Testi Oy")
    assert "name (lyhyt teksti, pakollinen)" in out and "short_text" not in out


# --- views differ (issue 16, item 5) ---------------------------------------------------------

def test_views_differ_is_marked_kept_taken_off_and_refused_on_a_choice(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    out = interview(store, "\n".join([
        ":goto owner_strategy.owners_aligned",
        ":differ",                            # no answer yet: says to answer first
        "3",
        ":goto owner_strategy.owners_aligned",
        ":differ",                            # on
        "4 ## Sanna and Mikko disagree",      # a new answer keeps the flag
        ":goto owner_strategy.documented",
        "2",
        ":goto owner_strategy.documented",
        ":differ",                            # a choice question: ANS-009
        ":goto owner_strategy.owners_aligned",
        ":quit",
    ]) + "\n", "--company", "Testi Oy", "--advisor", "Anna")
    assert "Answer first; then :differ marks" in out
    assert "owner_strategy.owners_aligned: views differ" in out
    assert ("error ANS-009 [/answers/owner_strategy.documented/views_differ]: 'views differ' can mark only "
            "a rating (Likert) question, not owner_strategy.documented (single_choice)") in out
    assert "Current answer: 4 (Somewhat agree) (views differ) ## Sanna and Mikko disagree" in out
    assert ":differ = views differ" in out  # the rating's hint names the command
    session_id = started_id(out)
    log = events_of(store, session_id)
    flags = [(e.value, e.views_differ) for e in log if isinstance(e, Answered)
             and e.item == "owner_strategy.owners_aligned"]
    assert flags == [(3, False), (3, True), (4, True)]
    assert fold(log).answers["owner_strategy.documented"].views_differ is False
    again = interview(store, ":goto owner_strategy.owners_aligned\n:differ\n:quit\n", "--session", session_id)
    assert "owner_strategy.owners_aligned: views no longer differ" in again
    assert fold(events_of(store, session_id)).answers["owner_strategy.owners_aligned"].views_differ is False
    interview(store, ":undo\n:quit\n", "--session", session_id)
    assert fold(events_of(store, session_id)).answers["owner_strategy.owners_aligned"].views_differ is True


def test_views_differ_in_finnish(tmp_path: Path) -> None:
    out = finnish(tmp_path / "s.sqlite3", ":goto owner_strategy.owners_aligned\n3\n"
                  ":goto owner_strategy.owners_aligned\n:eroavat\n:goto owner_strategy.documented\n"
                  ":eroavat\n:quit\n", "--company", "Testi Oy", "--advisor", "Anna")
    assert "Tallennettu: owner_strategy.owners_aligned: näkemykset eroavat" in out
    assert ":eroavat = näkemykset eroavat" in out
    assert "merkinnän ”näkemykset eroavat” voi tehdä vain arviointikysymykseen (Likert)" in out


def test_the_help_lists_views_differ_in_both_languages(tmp_path: Path) -> None:
    assert ":differ         (or :eroavat) views differ" in interview(tmp_path / "a.sqlite3", ":help\n:quit\n")
    assert ":eroavat        (tai :differ) näkemykset eroavat" in finnish(tmp_path / "b.sqlite3",
                                                                        ":help\n:quit\n")


def test_the_resume_command_never_shows_a_database_password(program: ScoringProgram) -> None:
    from asiakasarvo_engine.cli.interview import Runner, _Io
    from asiakasarvo_engine.session.interview import Interview
    from asiakasarvo_engine.session.store import MemoryStore

    interview = Interview.start(program, MemoryStore(), company="Salasana Oy", advisor="Anna")
    io = _Io(read=lambda: "", echo_input=False)
    url = "postgresql://anna:s3cret@db.example/asiakasarvo"
    command = Runner(interview, "en", io, url).resume_command()
    assert "s3cret" not in command
    assert command == ("asiakasarvo interview --store postgresql://anna@db.example/asiakasarvo "
                       f"--session {interview.session_id}")
    local = Runner(interview, "en", io, "/tmp/my store.sqlite3").resume_command()
    assert local.startswith("asiakasarvo interview --store '/tmp/my store.sqlite3' --session ")
