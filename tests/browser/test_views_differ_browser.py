"""The "views differ" checkbox in real Chromium: Alt+E ticks it on a rating question, the
flag is stored with the answer, and the checkbox is found by its label."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import Browser, Page, Server, skip_without_browser
from browser_support import new_page as _page

from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

RATING = "owner_strategy.owners_aligned"

skip_without_browser()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "sessions.sqlite3")
    yield running
    running.stop()


def _flag(store: Path, session_id: str) -> tuple[object, bool] | None:
    with SQLiteStore(store, readonly=True) as opened:
        entry = Interview.open(load_program(), opened, session_id).answers.get(RATING)
    return None if entry is None else (entry.value, entry.views_differ)


def _wait_for(store: Path, session_id: str, wanted: tuple[object, bool]) -> tuple[object, bool] | None:
    """The stored answer once it is ``wanted`` (or what it is after 15 s of polling)."""
    deadline = time.monotonic() + 15
    found = _flag(store, session_id)
    while found != wanted and time.monotonic() < deadline:
        time.sleep(0.1)
        found = _flag(store, session_id)
    return found


def _start(page: Page) -> str:
    page.wait_for_selector("#company_name")
    page.fill("#company_name", "Konepaja Lehtoranta Oy")
    page.click("#start button[type=submit]")
    page.wait_for_url("**/wb/s/**")
    page.wait_for_selector("#item")
    return page.url.split("/wb/s/")[1].split("?")[0]


def test_alt_e_marks_views_differ_on_a_rating(chromium: Browser, server: Server) -> None:
    context, page = _page(chromium, server.url)
    session_id = _start(page)
    page.goto(f"{server.base}/wb/s/{session_id}?item={RATING}")
    page.wait_for_selector(f'#item[data-item="{RATING}"]')
    page.locator('#answer input[type=radio][value="3"]').check()
    assert _wait_for(server.store, session_id, (3, False)) == (3, False)
    page.keyboard.press("Alt+e")
    assert _wait_for(server.store, session_id, (3, True)) == (3, True)
    box = page.get_by_label("Näkemykset eroavat: omistajat tai hallitus ovat tästä eri mieltä")
    assert box.is_checked()
    page.reload()
    page.wait_for_selector(f'#item[data-item="{RATING}"]')
    assert page.get_by_label("Näkemykset eroavat: omistajat tai hallitus ovat tästä eri mieltä").is_checked()
    box = page.get_by_label("Näkemykset eroavat: omistajat tai hallitus ovat tästä eri mieltä")
    box.uncheck()
    assert _wait_for(server.store, session_id, (3, False)) == (3, False)
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()
