"""The written analysis page in real Chromium (Debian's package, driven by Playwright with its
``executable_path``) against ``asiakasarvo serve`` on loopback: a finished session's summary
is typed, saved, still there after a reload, and in the Markdown report.

Without Chromium or Playwright the tests skip, except when ``CI`` is set (browser_support).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Browser, Page, Server, new_page, shot, skip_without_browser

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

OVERALL = "Yhtiön asiakasarvo nojaa yhteen asiakkaaseen; hallituksen on otettava riski työlistalleen."
TITLE = "Omistajien tahto paperille ennen joulua"

skip_without_browser()


def _finished_session(store: Path) -> str:
    """A finished session with the small manufacturer's answers, written before the server starts."""
    program = load_program()
    with SQLiteStore(store) as opened:
        interview = Interview.start(program, opened, company="Konepaja Lehtoranta Oy", advisor="Anna")
        loaded = load_answers(examples_path() / "small_manufacturer.answers.yaml", program.bank)
        for name, entry in loaded.answers.items():
            assert not interview.answer(name, entry.value, entry.status, entry.note).problems
        interview.finish()
        return interview.session_id


@pytest.fixture
def finished(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    store = tmp_path / "sessions.sqlite3"
    session_id = _finished_session(store)
    running = Server(store)
    yield running, session_id
    running.stop()


def _written(store: Path, session_id: str) -> Any:
    with SQLiteStore(store, readonly=True) as opened:
        return Interview.open(load_program(), opened, session_id).written


def _saved(page: Page, field: str) -> None:
    form = f"form:has({field})"
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f"{form} .status .ok, {form} .status .error, {form} .status .conflict")
    assert page.locator(f"{form} .status .ok").count() == 1, page.inner_text(f"{form} .status")


def test_the_summary_typed_in_the_browser_is_kept_and_reported(
    chromium: Browser, finished: tuple[Server, str]
) -> None:
    server, session_id = finished
    context, page = new_page(chromium, server.url)
    errors = page.errors  # type: ignore[attr-defined]
    page.wait_for_url("**/wb/")
    url = f"{server.base}/wb/s/{session_id}/analysis"
    page.goto(url)
    page.wait_for_selector("#f-summary-overall")

    page.fill("#f-summary-overall", OVERALL)
    _saved(page, "#f-summary-overall")
    page.fill("#f-summary-findings", "Yksi asiakas kantaa yhtiötä.\nHinnoittelu on kustannuspohjaista.")
    _saved(page, "#f-summary-findings")  # the page's seq follows each save's ETag
    page.fill("#f-recommendations-write_down_owner_will-title", TITLE)
    _saved(page, "#f-recommendations-write_down_owner_will-title")
    shot(page, "09-analysis")

    page.reload()
    page.wait_for_selector("#f-summary-overall")
    assert page.input_value("#f-summary-overall") == OVERALL
    assert page.input_value("#f-summary-findings") == (
        "Yksi asiakas kantaa yhtiötä.\nHinnoittelu on kustannuspohjaista.")
    assert page.input_value("#f-recommendations-write_down_owner_will-title") == TITLE

    # untick the last of the engine's ten: the page loads again with nine
    assert page.locator("input[name=chosen]:checked").count() == 10
    page.uncheck("#pick-customer_meetings_beyond_sales")
    page.click("#chosen button[type=submit]")
    page.wait_for_selector("text=Nyt raportissa on neuvojan valinta.")
    assert page.locator("input[name=chosen]:checked").count() == 9
    written = _written(server.store, session_id)
    assert written.summary("overall") == OVERALL
    assert written.chosen is not None and "customer_meetings_beyond_sales" not in written.chosen

    report = context.request.get(f"{server.base}/api/v1/sessions/{session_id}/report?format=md&lang=fi")
    assert report.status == 200
    assert OVERALL in report.text()
    assert TITLE in report.text()
    assert errors == []
    context.close()
