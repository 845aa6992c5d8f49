"""The workbench in real Chromium (Debian's package, driven by Playwright with its
``executable_path``) against ``asiakasarvo serve`` on loopback.

Without Chromium or Playwright the tests skip, except when ``CI`` is set: then they fail, so
CI never passes without having run them. Screenshots of each main view go to
``build/screenshots/`` (or ``$ASIAKASARVO_SCREENSHOTS``).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Browser, Page, Server, shot, skip_without_browser
from browser_support import new_page as _page

from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "</textarea><svg onload=window.__pwned=1>",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "javascript:window.__pwned=1",
]

skip_without_browser()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "sessions.sqlite3")
    yield running
    running.stop()


def _stored(store: Path, session_id: str) -> dict[str, Any]:
    with SQLiteStore(store, readonly=True) as opened:
        interview = Interview.open(load_program(), opened, session_id)
        return {name: (entry.status.value, entry.value) for name, entry in interview.answers.items()}


def _saved(page: Page) -> None:
    page.wait_for_selector("#save-status .ok, #save-status .error")
    assert page.locator("#save-status .error").count() == 0, page.inner_text("#save-status")


def _start(page: Page, name: str = "Konepaja Lehtoranta Oy", business_id: str = "0967214-5") -> str:
    page.fill("#company_name", name)
    page.locator("#business_id").press_sequentially(business_id)
    if business_id:
        page.wait_for_selector("#business_id_check .ok")
    page.click("#start button[type=submit]")
    page.wait_for_url("**/wb/s/**")
    page.wait_for_selector("#item")
    return page.url.split("/wb/s/")[1].split("?")[0]


def _go(page: Page, session_id: str, item: str) -> None:
    page.goto(f"{page.url.split('/wb/')[0]}/wb/s/{session_id}?item={item}")
    page.wait_for_selector(f'#item[data-item="{item}"]')


def test_a_meeting_in_the_browser_is_saved_as_it_happens(chromium: Browser, server: Server) -> None:
    context, page = _page(chromium, server.url)
    page.wait_for_selector("#company_name")
    shot(page, "01-front")
    page.locator("#business_id").press_sequentially("0967214-4")
    page.wait_for_selector("#business_id_check .error")
    page.fill("#business_id", "")
    session_id = _start(page)
    shot(page, "02-meeting")

    _go(page, session_id, "basic_info.company_form")
    page.get_by_label("Osakeyhtiö").first.check()
    _saved(page)
    _go(page, session_id, "basic_info.municipality")
    page.fill("input[data-filter]", "Varka")
    page.get_by_label("Varkaus").check()
    _saved(page)
    _go(page, session_id, "basic_info.turnover")
    page.fill("#f-v", "6 820 000,50")
    page.keyboard.press("Tab")
    _saved(page)
    _go(page, session_id, "owner_strategy.owners_aligned")
    page.locator("#answer input[value='4']").check()
    _saved(page)
    shot(page, "03-likert")
    _go(page, session_id, "basic_info.owners")
    page.click("[data-add-row]")
    page.fill("#f-r-0-name", "Timo Lehtoranta")
    page.keyboard.press("Tab")
    _saved(page)
    page.click("[data-add-row]")
    page.fill("#f-r-1-name", "Janne Lehtoranta")
    page.fill("#f-r-1-share", "25")
    page.keyboard.press("Tab")
    _saved(page)
    shot(page, "04-repeat-group")
    _go(page, session_id, "business_model.canvas_clarity")
    page.select_option("select[name='m.customer_segments.concreteness']", "4")
    _saved(page)
    shot(page, "05-matrix")
    _go(page, session_id, "owner_strategy.succession_preparation")
    page.keyboard.press("Alt+d")  # don't know
    page.wait_for_selector("#item button.on")

    page.reload()
    page.wait_for_selector("#item button.on")
    stored = _stored(server.store, session_id)
    assert stored["basic_info.company_form"] == ("answered", "oy")
    assert stored["basic_info.municipality"] == ("answered", "varkaus")
    assert stored["basic_info.turnover"] == ("answered", 6820000.5)
    assert stored["owner_strategy.owners_aligned"] == ("answered", 4)
    assert stored["basic_info.owners"] == (
        "answered",
        [{"name": "Timo Lehtoranta"}, {"name": "Janne Lehtoranta", "share": 25}],
    )
    assert stored["business_model.canvas_clarity"] == ("answered", {"customer_segments": {"concreteness": 4}})
    assert stored["owner_strategy.succession_preparation"][0] == "dont_know"
    page.click("text=Kokonaiskuva")
    page.wait_for_selector("table.overview-table")
    page.select_option("#level-management", "2")
    page.fill("#why-management", "Hallitus ei kokoonnu säännöllisesti.")
    page.click("form.override:has(#level-management) button[type=submit]")
    page.wait_for_load_state("networkidle")
    shot(page, "08-overview")
    interview_overrides = _overrides(server.store, session_id)
    assert interview_overrides == {"management": (2, "Hallitus ei kokoonnu säännöllisesti.")}
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def _overrides(store: Path, session_id: str) -> dict[str, tuple[int | None, str]]:
    with SQLiteStore(store, readonly=True) as opened:
        interview = Interview.open(load_program(), opened, session_id)
        return {s: (o.level, o.justification) for s, o in interview.overrides.items()}


def test_two_tabs_show_a_conflict(chromium: Browser, server: Server) -> None:
    context, first = _page(chromium, server.url)
    session_id = _start(first)
    _go(first, session_id, "basic_info.staff_headcount")
    second = context.new_page()
    second.goto(first.url)
    second.wait_for_selector("#item")
    first.fill("#f-v", "34")
    first.keyboard.press("Tab")
    _saved(first)
    second.fill("#f-v", "40")
    second.keyboard.press("Tab")
    second.wait_for_selector("#banner .conflict")
    shot(second, "06-conflict")
    assert _stored(server.store, session_id)["basic_info.staff_headcount"] == ("answered", 34)
    context.close()


def test_hostile_text_typed_into_fields_never_runs(chromium: Browser, server: Server) -> None:
    context, page = _page(chromium, server.url)
    session_id = _start(page, name=HOSTILE[0], business_id="")
    for text in HOSTILE:
        _go(page, session_id, "owner_strategy.advisor_strengths")
        page.fill("textarea#f-v", text)
        page.keyboard.press("Tab")
        _saved(page)
        page.fill("#note-text", text)
        page.click("form.note button[type=submit]")
        page.wait_for_selector("#notes li")
        page.reload()
        page.wait_for_selector("#item")
        assert page.evaluate("window.__pwned") is None
        assert page.input_value("textarea#f-v") == text
    page.goto(f"{server.base}/wb/")
    page.wait_for_selector("#session-rows")
    assert page.evaluate("window.__pwned") is None
    context.close()


def test_a_killed_server_loses_nothing_acknowledged(chromium: Browser, tmp_path: Path) -> None:
    store = tmp_path / "kill.sqlite3"
    first = Server(store)
    context, page = _page(chromium, first.url)
    session_id = _start(page)
    _go(page, session_id, "basic_info.staff_headcount")
    page.fill("#f-v", "34")
    page.keyboard.press("Tab")
    _saved(page)
    first.stop(signal.SIGKILL)
    context.close()
    again = Server(store)
    try:
        context, page = _page(chromium, again.url)
        _go(page, session_id, "basic_info.staff_headcount")
        assert page.input_value("#f-v") == "34"
        context.close()
    finally:
        again.stop()


def test_the_present_window_follows_the_advisor(chromium: Browser, server: Server) -> None:
    context, advisor = _page(chromium, server.url)
    session_id = _start(advisor)
    _go(advisor, session_id, "owner_strategy.owners_aligned")
    screen = context.new_page()
    screen.goto(f"{server.base}/wb/s/{session_id}/present")
    screen.wait_for_selector('h1[data-item="owner_strategy.owners_aligned"]')
    advisor.locator("#answer input[value='4']").check()
    _saved(advisor)
    screen.wait_for_selector(".present-options li.chosen", timeout=5000)
    assert "4" in screen.inner_text(".present-options li.chosen")
    shot(screen, "07-present")
    advisor.click("[data-key=next]")
    advisor.wait_for_url("**item=owner_strategy.growth_focus*")
    screen.wait_for_selector('h1[data-item="owner_strategy.growth_focus"]', timeout=5000)
    assert "Fasilitointivinkki" not in screen.content()
    context.close()


def test_server_mode_sign_in_through_the_workbench(chromium: Browser, tmp_path: Path) -> None:
    from asiakasarvo_engine.server.users import UserStore, users_path

    store = tmp_path / "shared.sqlite3"
    users = UserStore(users_path(store))
    users.add("anna", "advisor", "oikein-hyvä-salasana")
    users.close()
    exe = Path(sys.executable).with_name("asiakasarvo")
    proc = subprocess.Popen(
        [str(exe), "serve", "--mode", "server", "--port", "0", "--no-browser", "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip().rstrip("/")
        context, page = _page(chromium, f"{base}/wb/")
        page.fill("#name", "anna")
        page.fill("#password", "väärä salasana")
        page.click("#signin button[type=submit]")
        page.wait_for_selector("#signin-status:not(:empty)")
        assert "/wb/s/" not in page.url
        page.fill("#password", "oikein-hyvä-salasana")
        page.click("#signin button[type=submit]")
        page.wait_for_selector("#company_name")
        assert "anna" in page.inner_text("header")
        session_id = _start(page)
        with SQLiteStore(store, readonly=True) as opened:
            assert Interview.open(load_program(), opened, session_id).started.advisor == "anna"
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_main_views_reflow_at_200_percent_zoom(chromium: Browser, server: Server) -> None:
    """A 1280 px wide window at 200 % zoom is a 640 px viewport at scale 2: no view may need
    sideways scrolling, and every form control keeps a label (its name for a screen reader)."""
    context = chromium.new_context(locale="fi-FI", viewport={"width": 640, "height": 900},
                                   device_scale_factor=2)
    page = context.new_page()
    page.goto(server.url)
    page.wait_for_selector("#company_name")
    session_id = _start(page)
    base = page.url.split("/wb/")[0]
    views = {
        "front": f"{base}/wb/",
        "meeting-repeat-group": f"{base}/wb/s/{session_id}?item=basic_info.owners",
        "meeting-matrix": f"{base}/wb/s/{session_id}?item=business_model.canvas_clarity",
        "overview": f"{base}/wb/s/{session_id}/overview",
        "analysis": f"{base}/wb/s/{session_id}/analysis",
    }
    for name, url in views.items():
        page.goto(url)
        page.wait_for_selector("main")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        # wide tables scroll inside their own box, which WCAG's reflow allows for data tables
        assert widths[0] <= widths[1] + 1, (name, widths)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length)
                    && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !e.title)
            .map(e => e.name || e.id)""")
        assert unlabelled == [], (name, unlabelled)
        shot(page, f"zoom-200-{name}")
    context.close()


def test_alt_b_goes_back_after_a_jump(chromium: Browser, server: Server) -> None:
    context, page = _page(chromium, server.url)
    page.wait_for_selector("#company_name")
    session_id = _start(page)
    _go(page, session_id, "owner_strategy.documented")
    page.locator("nav.agenda > ol > li > button", has_text="Nykyinen johto").click()
    page.wait_for_selector('#item[data-item^="management."]')
    page.wait_for_selector('[data-key="back"]')
    page.keyboard.press("Alt+b")
    page.wait_for_selector('#item[data-item="owner_strategy.documented"]')
    assert page.locator('[data-key="back"]').count() == 0
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def test_a_session_starts_from_a_register_record_file(chromium: Browser, server: Server) -> None:
    context, page = _page(chromium, server.url)
    page.wait_for_selector("#record-file")
    record = Path(__file__).parents[1] / "prefill" / "data" / "oy_joensuu.json"
    page.set_input_files("#record-file", str(record))
    page.wait_for_url("**/wb/s/**")
    page.wait_for_selector("#item")
    session_id = page.url.split("/wb/s/")[1].split("?")[0]
    stored = _stored(server.store, session_id)
    assert stored["basic_info.municipality"][1] == "joensuu"
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()
