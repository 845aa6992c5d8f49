"""The workbench's "views differ" checkbox on rating questions: saved with the answer and
its marks, shown again on the page, read by the report's appendix, refused on a choice."""

from __future__ import annotations

import re
from typing import Any

from test_workbench import Browser

from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore

RATING = "owner_strategy.owners_aligned"
CHOICE = "owner_strategy.documented"
CHECKBOX = re.compile(r'<input type="checkbox" id="f-views-differ" name="views_differ"[^>]*>')


def _flag(app_store: tuple[Any, MemoryStore], program: ScoringProgram, session_id: str, item: str) -> Any:
    entry = Interview.open(program, app_store[1], session_id).answers.get(item)
    return None if entry is None else (entry.value if entry.status == "answered" else entry.status,
                                       entry.views_differ)


def test_the_checkbox_is_on_a_rating_only_with_its_label_and_shortcut(
    app_store: tuple[Any, MemoryStore],
) -> None:
    from fastapi.testclient import TestClient

    browser = Browser(TestClient(app_store[0]))
    base = f"/wb/s/{browser.start()}"
    rating = browser.get(f"{base}?item={RATING}").text
    box = CHECKBOX.search(rating)
    assert box is not None and "checked" not in box.group(0)
    assert 'aria-keyshortcuts="Alt+E"' in box.group(0)
    assert '<label for="f-views-differ">Näkemykset eroavat: omistajat tai hallitus' in rating
    assert "Alt+E näkemykset eroavat" in rating  # the shortcut table
    assert CHECKBOX.search(browser.get(f"{base}?item={CHOICE}").text) is None


def test_the_flag_is_saved_kept_by_a_mark_and_reaches_the_appendix(
    app_store: tuple[Any, MemoryStore], program: ScoringProgram,
) -> None:
    from fastapi.testclient import TestClient

    browser = Browser(TestClient(app_store[0]))
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    waiting = browser.send("PUT", f"{base}/answer/{RATING}", {"views_differ": "on"})
    assert waiting.status_code == 422 and "valitse ensin vastaus" in waiting.text
    assert _flag(app_store, program, session_id, RATING) is None
    assert browser.send("PUT", f"{base}/answer/{RATING}", {"v": "2", "views_differ": "on"}).status_code == 200
    assert _flag(app_store, program, session_id, RATING) == (2, True)
    box = CHECKBOX.search(browser.get(f"{base}?item={RATING}").text)
    assert box is not None and "checked" in box.group(0)
    report = browser.get(f"/api/v1/sessions/{session_id}/report?format=md&lang=fi&advisor_appendix=true")
    assert report.status_code == 200 and "Näkemykset eroavat: omistajat" in report.text
    assert browser.send("PUT", f"{base}/answer/{RATING}", {"v": "2"}).status_code == 200  # unticked
    assert _flag(app_store, program, session_id, RATING) == (2, False)
    marked = browser.send("POST", f"{base}/mark/{RATING}/dont_know", {"views_differ": "on"})
    assert marked.status_code == 204
    assert _flag(app_store, program, session_id, RATING) == ("dont_know", True)


def test_the_flag_on_a_choice_is_refused_with_ans_009(
    app_store: tuple[Any, MemoryStore], program: ScoringProgram,
) -> None:
    from fastapi.testclient import TestClient

    browser = Browser(TestClient(app_store[0]))
    session_id = browser.start()
    refused = browser.send("PUT", f"/wb/s/{session_id}/answer/{CHOICE}",
                           {"v": "written", "views_differ": "on"})
    assert refused.status_code == 422
    assert "arviointikysymykseen (Likert)" in refused.text and "(ANS-009)" in refused.text
    assert _flag(app_store, program, session_id, CHOICE) is None
    odd = browser.send("PUT", f"/wb/s/{session_id}/answer/{RATING}", {"v": "2", "views_differ": "yes"})
    assert odd.status_code == 422 and "HTTP-011" in odd.text
    assert _flag(app_store, program, session_id, RATING) is None
