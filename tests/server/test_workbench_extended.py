"""The overview lists the extended items a core session leaves out of the meeting, for
before the meeting or module homework (issue 16, item 1)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from test_workbench import Browser
from test_workbench_variant import _start

from asiakasarvo_engine.session.store import MemoryStore

CHANNELS = "business_model.bmc_channels"
HEADING = "Ennen tapaamista tai moduulin ennakkotehtävänä"


def _entry(page: str, item: str) -> str:
    found = re.search(rf'<li class="hw-[a-z_]+"><a href="[^"]*\?item={re.escape(item)}">[^<]*</a> · '
                      r'<span class="status">[^<]*</span></li>', page)
    assert found, f"{item} not in the list"
    return found.group(0)


def test_a_core_session_lists_its_extended_items_with_status_and_links(
        app_store: tuple[Any, MemoryStore]) -> None:
    browser = Browser(TestClient(app_store[0]))
    core = _start(browser, "core")
    page = browser.get(f"/wb/s/{core}/overview")
    assert page.status_code == 200, page.text
    assert f'<h2 id="homework-title">{HEADING}</h2>' in page.text
    assert "avoinna" in _entry(page.text, CHANNELS)
    saved = browser.send("PUT", f"/wb/s/{core}/answer/{CHANNELS}", {"v": "Verkkokauppa ja jälleenmyyjät"})
    assert saved.status_code == 200, saved.text
    page = browser.get(f"/wb/s/{core}/overview")
    entry = _entry(page.text, CHANNELS)
    assert "vastattu" in entry and "avoinna" not in entry
    assert "avoinna" in _entry(page.text, "business_model.bmc_customer_relationships")
    link = re.search(r'href="([^"]+)"', entry)
    assert link
    opened = browser.get(link.group(1).replace("&amp;", "&"))
    assert opened.status_code == 200 and f"/answer/{CHANNELS}" in opened.text


def test_a_full_session_has_no_homework_list(app_store: tuple[Any, MemoryStore]) -> None:
    browser = Browser(TestClient(app_store[0]))
    full = _start(browser, "full")
    page = browser.get(f"/wb/s/{full}/overview")
    assert page.status_code == 200
    assert HEADING not in page.text


def test_the_pre_meeting_tab_links_to_the_list_only_when_items_are_left_out(
        app_store: tuple[Any, MemoryStore]) -> None:
    browser = Browser(TestClient(app_store[0]))
    link = "/overview#homework"
    assert link in browser.get(f"/wb/s/{_start(browser, 'core')}?phase=pre_meeting").text
    assert link not in browser.get(f"/wb/s/{_start(browser, 'full')}?phase=pre_meeting").text
