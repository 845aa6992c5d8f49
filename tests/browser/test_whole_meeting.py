"""The small manufacturer's whole meeting through the browser (issue 15, item 9).

An advisor starts the session on the front page (company name and Y-tunnus typed into the
start form), then answers every item of ``examples/small_manufacturer.answers.yaml`` in bank
order in Debian's Chromium the way a person would. She moves on with Alt+→ when the next item
is the workbench's next one (the shortcut saves the focused form first, then moves), else by
the item's address (another phase, a skipped item). She clicks the label of a radio button or a
check box, types numbers in Finnish notation (``6 820 000``) and short texts key by key, picks
matrix cells and a group's choices from their lists, adds repeat-group rows with the add
button and fills each cell, marks "don't know" / "not applicable" with their buttons and
types each answer's note. Long texts are put into their text areas in one input (as a
paste): the workbench saves a text area 800 ms after its last key, so typing them key by key
would only make the run slower. Every save is waited for by its status fragment and the
session's sequence number (``body[data-seq]``), so no request is ever in flight when the
next one starts. The session is then finished on the overview page.

What is compared, the strongest comparison that is honest:

* the Interview's answers, read back from the store, equal the file's for every item:
  status, value and note (a multi choice's picks compared in the order of its choices: the
  form sends the ticked boxes in the order they are shown; the order changes neither the
  score nor the report). The item the file marks ``skipped`` is skipped with the Skip button;
* the session's Result (``Interview.result()``) equals ``analyse(...)`` of the file's
  answers for the session's company, date and advisor (the session starts today and its
  advisor is the local user, so the file's date and advisor cannot be used): every section's
  score and level, the overall, every item's score and the recommendations;
* the report Markdown from the API (``GET /api/v1/sessions/{id}/report?format=md&lang=fi``)
  equals, character for character, the report built from the answers file with
  ``analyse(...)`` and ``build_report(...)`` for that same company, date and advisor.

Screenshots of a repeat group and of the finished overview go to the same folder as the
other browser tests' (``build/screenshots/`` or ``$ASIAKASARVO_SCREENSHOTS``). Without
Chromium or Playwright the test skips, except when ``CI`` is set: then it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Browser, Page, Server, new_page, shot, skip_without_browser

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.answers import AnswerEntry, AnswerStatus
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.models import Item, QuestionType
from asiakasarvo_engine.recommend.engine import analyse
from asiakasarvo_engine.report import build_report, render_markdown
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.server.workbench.forms import NUMERIC, format_number
from asiakasarvo_engine.session.clock import meeting_date
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

TIMEOUT = 30_000
"""How long one save may take to come back (ms): a bound on a hang, never a timed assertion."""
REPEAT_GROUP_SHOT = "basic_info.owners"

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # pragma: no cover - the test extra installs it
    PlaywrightTimeout = TimeoutError  # type: ignore[assignment,misc]

skip_without_browser()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "sessions.sqlite3", log=tmp_path / "server.log")  # read: no tracebacks
    yield running
    running.stop()
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log[-4000:]


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


class Meeting:
    """The advisor's browser tab in one session: goes to items, fills controls, waits for saves."""

    def __init__(self, page: Page, base: str, session_id: str, program: ScoringProgram) -> None:
        self.page, self.base, self.session_id, self.program = page, base, session_id, program
        self.moves = 0
        """How many items were reached with the Alt+→ shortcut."""

    # ------------------------------------------------------------------ moving and saving

    def go(self, name: str) -> None:
        """Go to item ``name``: with Alt+→ when it is the workbench's next item (the shortcut
        saves what the focused form holds, then moves), else by its address."""
        if self.page.get_attribute("#item", "data-item") == name:
            return
        following = self.page.locator('#item [data-key="next"]')
        if following.count() and (following.get_attribute("hx-post") or "").endswith(f"/goto/{name}"):
            self.page.keyboard.press("Alt+ArrowRight")
            self.moves += 1
        else:
            self.page.goto(f"{self.base}/wb/s/{self.session_id}?item={name}")
        try:
            self.page.wait_for_selector(f'#item[data-item="{name}"]', timeout=TIMEOUT)
        except PlaywrightTimeout:
            shown = self.page.inner_text("body")[:3000] if self.page.locator("body").count() else ""
            raise AssertionError(f"{name} not shown at {self.page.url}: {shown}") from None

    def seq(self) -> str:
        return self.page.get_attribute("body", "data-seq") or ""

    def saved_after(self, seq: str) -> None:
        """Wait until a save after ``seq`` has come back; it must have been saved."""
        refused = "#save-status .error, #banner .conflict"
        done = f'body:not([data-seq="{seq}"]) #save-status .ok'
        self.page.wait_for_selector(f"{done}, {refused}", timeout=TIMEOUT)
        problem = self.page.locator(refused)
        assert problem.count() == 0, problem.first.inner_text()

    def save(self, action: Any) -> None:
        """Do ``action`` (one change of a control) and wait for its save."""
        before = self.seq()
        action()
        self.saved_after(before)

    def text_area(self, selector: str, text: str, writes_on_leave: bool = True) -> None:
        """Put ``text`` into a text area: saved 800 ms after the input, and again when the
        field is left (``writes_on_leave``: a save that writes; a mark's note does not)."""
        field = self.page.locator(selector)
        self.save(lambda: field.fill(text))
        if writes_on_leave:
            self.save(lambda: field.press("Tab"))

    def type_in(self, selector: str, text: str) -> None:
        """Type ``text`` key by key into an input over what it shows and leave it with Tab
        (which saves); an input that shows ``text`` already (the start form's company name
        and Y-tunnus may have answered their items) is left as it is."""
        field = self.page.locator(selector)
        if field.input_value() == text:
            return
        field.click()
        field.press("Control+a")
        field.press_sequentially(text)
        self.save(lambda: field.press("Tab"))

    def click_option(self, scope: str, value: str) -> None:
        option = self.page.locator(f"{scope} label.option:has(input[value='{value}'])")
        self.save(option.click)

    def pick(self, selector: str, value: str) -> None:
        self.save(lambda: self.page.select_option(selector, value))

    # ------------------------------------------------------------------ one item

    def answer(self, name: str, entry: AnswerEntry) -> None:
        self.go(name)
        item = self.program.bank.items[name].item
        if entry.status is AnswerStatus.ANSWERED:
            self.fill(item, entry.value)
            if entry.note:
                self.text_area("#f-note", entry.note)
        else:
            key = entry.status.value
            self.page.click(f'#item button[data-key="{key}"]')
            self.page.wait_for_selector(f'#item[data-item="{name}"] button[data-key="{key}"].on')
            if entry.note:
                self.text_area("#f-note", entry.note, writes_on_leave=False)

    def fill(self, item: Item, value: Any) -> None:
        kind = item.type
        if kind is QuestionType.MATRIX:
            for row, cells in value.items():
                for column, point in cells.items():
                    self.pick(f"select[name='m.{row}.{column}']", str(point))
        elif kind is QuestionType.REPEAT_GROUP:
            for index, row in enumerate(value):
                self.page.click("[data-add-row]")
                self.page.wait_for_selector(f'#group-rows tr[data-row="{index}"]')
                for sub in item.items or []:
                    if sub.id in row:
                        self.cell(sub, index, row[sub.id])
        elif kind is QuestionType.MULTI_CHOICE:
            for choice in value:
                self.click_option("#answer", choice)
        elif kind is QuestionType.SINGLE_CHOICE:
            filter_box = self.page.locator("#answer input[data-filter]")
            if filter_box.count():  # a long list: narrow it down by typing the choice's label
                label = self.page.locator(f"#answer label.option:has(input[value='{value}'])").inner_text()
                filter_box.press_sequentially(label.strip())
            self.click_option("#answer", value)
        elif kind in (QuestionType.LIKERT, QuestionType.BOOLEAN):
            self.click_option("#answer", _choice_text(value))
        elif kind is QuestionType.LONG_TEXT:
            self.text_area("textarea#f-v", value)
        else:
            self.type_in("#f-v", _typed(item, value))

    def cell(self, sub: Item, index: int, value: Any) -> None:
        """One cell of a repeat group's row ``index``."""
        field = f"#f-r-{index}-{sub.id}"
        kind = sub.type
        if kind is QuestionType.MULTI_CHOICE:
            for choice in value:
                self.click_option(f'#group-rows tr[data-row="{index}"]', choice)
        elif kind in (QuestionType.SINGLE_CHOICE, QuestionType.LIKERT, QuestionType.BOOLEAN):
            self.pick(field, _choice_text(value))
        elif kind is QuestionType.LONG_TEXT:
            self.text_area(field, value)
        else:
            self.type_in(field, _typed(sub, value))

    def finish(self) -> None:
        self.page.goto(f"{self.base}/wb/s/{self.session_id}/overview")
        self.page.wait_for_selector("section.finish button.primary")
        self.page.click("section.finish button.primary")
        self.page.wait_for_selector("section.finish button:not(.primary)")


def _choice_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _typed(item: Item, value: Any) -> str:
    """What an advisor types for ``value``: numbers in Finnish notation (``6 820 000``)."""
    if item.type in NUMERIC:
        return format_number(value, item.type).replace("\u00a0", " ")
    assert isinstance(value, str)
    return value


def _start(page: Page, name: str, business_id: str) -> str:
    page.wait_for_selector("#company_name")
    page.locator("#company_name").press_sequentially(name)
    page.locator("#business_id").press_sequentially(business_id)
    page.wait_for_selector("#business_id_check .ok")
    page.click("#start button[type=submit]")
    page.wait_for_url("**/wb/s/**")
    page.wait_for_selector("#item")
    return page.url.split("/wb/s/")[1].split("?")[0]


def _entries(program: ScoringProgram, answers: dict[str, AnswerEntry]) -> dict[str, tuple[str, Any, Any]]:
    """Every item's status, value and note; a multi choice's picks in the bank's order of its
    choices (the form sends the ticked boxes in the order they are shown, the file lists them
    in its own order; a multi choice is a set: its score and the report do not depend on it)."""
    items = program.bank.items
    return {name: (e.status.value, _canonical(program, items[name].item, e.value), e.note)
            for name, e in answers.items()}


def _canonical(program: ScoringProgram, item: Item, value: Any) -> Any:
    bank = program.bank.loaded.bank
    if item.type is QuestionType.MULTI_CHOICE and isinstance(value, list):
        order = [choice.value for choice in choices_of(item, bank)]
        return sorted(value, key=order.index)
    if item.type is QuestionType.REPEAT_GROUP and isinstance(value, list):
        subs = {sub.id: sub for sub in item.items or []}
        return [{key: _canonical(program, subs[key], cell) for key, cell in row.items()} for row in value]
    return value


def test_the_small_manufacturers_whole_meeting_gives_its_report(
    chromium: Browser, server: Server, program: ScoringProgram
) -> None:
    loaded = load_answers(examples_path() / "small_manufacturer.answers.yaml", program.bank)
    company = loaded.file.company
    assert company is not None and company.name and company.business_id
    context, page = new_page(chromium, server.url)
    session_id = _start(page, company.name, company.business_id)
    meeting = Meeting(page, server.base, session_id, program)
    order = list(program.bank.items)
    assert list(loaded.answers) == [name for name in order if name in loaded.answers]  # bank order
    for name, entry in loaded.answers.items():
        meeting.answer(name, entry)
        if name == REPEAT_GROUP_SHOT:
            shot(page, "10-whole-meeting-repeat-group")
    assert meeting.moves > 100, meeting.moves
    meeting.finish()
    shot(page, "11-whole-meeting-finished")
    report = page.request.get(f"{server.base}/api/v1/sessions/{session_id}/report?format=md&lang=fi")
    assert report.ok, report.text()
    markdown = report.text()
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()

    with SQLiteStore(server.store, readonly=True) as opened:
        interview = Interview.open(program, opened, session_id)
        stored = _entries(program, dict(interview.answers))
        result = interview.result()
        started = interview.started
        assert interview.finished
    expected = _entries(program, dict(loaded.answers))
    assert stored == expected
    assert started.company.name == company.name and started.company.business_id == company.business_id

    built = analyse(program, loaded.answers, company=started.company,
                    date=meeting_date(started.time, started.zone), zone=started.zone, advisor=started.advisor)
    assert result.model_dump() == built.model_dump()
    assert {s: (v.score, v.level) for s, v in result.sections.items()} == {
        s: (v.score, v.level) for s, v in built.sections.items()}
    assert markdown == render_markdown(build_report(built, loaded.answers, program, lang="fi"))

