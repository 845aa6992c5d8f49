"""The workbench's pages and saves through the ASGI test client (the browser tests drive the
same routes in Chromium)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markupsafe
import pytest
from fastapi.testclient import TestClient

from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.server.workbench.render import CSP
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "{{ 7*7 }}{% raw %}",
    "javascript:window.__pwned=1",
    "</textarea><script>window.__pwned=1</script>",
]


class Browser:
    """A signed-in workbench visitor: the CSRF token from the page, If-Match from the last ETag."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        token = client.app.state.ctx.auth.local_token  # type: ignore[attr-defined]
        assert client.get(f"/?token={token}", follow_redirects=False).headers["location"] == "/wb/"
        page = client.get("/wb/")
        found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
        assert found is not None
        self.csrf = found.group(1)
        self.seq = ""

    def get(self, url: str, **kwargs: Any) -> Any:
        response = self.client.get(url, **kwargs)
        self._seen(response)
        return response

    def send(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"X-CSRF-Token": self.csrf}
        if self.seq:
            headers["If-Match"] = f'"{self.seq}"'
        response = self.client.request(method, url, json=body, headers=headers)
        self._seen(response)
        return response

    def _seen(self, response: Any) -> None:
        tag = response.headers.get("etag")
        if tag:
            self.seq = tag.strip('"')

    def start(self, name: str = "Konepaja Lehtoranta Oy", business_id: str = "0967214-5") -> str:
        response = self.send("POST", "/wb/sessions", {"company_name": name, "business_id": business_id})
        assert response.status_code == 204, response.text
        url = response.headers["hx-redirect"]
        self.get(url)
        return url.rsplit("/", 1)[-1]


@pytest.fixture
def browser(app_store: tuple[Any, MemoryStore]) -> Browser:
    return Browser(TestClient(app_store[0]))


def answers(app_store: tuple[Any, MemoryStore], program: ScoringProgram, session_id: str) -> dict[str, Any]:
    interview = Interview.open(program, app_store[1], session_id)
    return {name: entry.value for name, entry in interview.answers.items()}


def test_pages_carry_a_strict_csp_and_need_a_sign_in(app_store: tuple[Any, MemoryStore]) -> None:
    client = TestClient(app_store[0])
    page = client.get("/wb/")
    assert page.status_code == 401
    assert page.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert "kertakäyttöinen tunniste" in page.text
    assert "<script>" not in page.text  # no inline script: only files from /wb/static
    assert client.get("/wb/s/anything").status_code == 401


def test_static_files_are_the_listed_ones_only(browser: Browser) -> None:
    htmx = browser.get("/wb/static/htmx.min.js")
    assert htmx.status_code == 200 and 'version:"2.' in htmx.text
    assert "Zero-Clause BSD" in browser.get("/wb/static/htmx.LICENSE").text
    assert browser.get("/wb/static/routes.py").status_code == 404
    assert browser.get("/wb/static/..%2Froutes.py").status_code == 404


def test_start_checks_the_business_id(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    assert "kelvollinen" in browser.get("/wb/check/business-id", params={"business_id": "0967214-5"}).text
    wrong = browser.get("/wb/check/business-id", params={"business_id": "0967214-4"}).text
    assert 'class="error"' in wrong
    refused = browser.send("POST", "/wb/sessions", {"company_name": "Testi Oy", "business_id": "0967214-4"})
    assert refused.status_code == 422 and "Y-tunnus" in refused.text
    assert browser.send("POST", "/wb/sessions", {"company_name": " ", "business_id": ""}).status_code == 422
    assert app_store[1].sessions() == []
    session_id = browser.start()
    [summary] = app_store[1].sessions()
    assert (summary.id, summary.company, summary.business_id) == (
        session_id,
        "Konepaja Lehtoranta Oy",
        "0967214-5",
    )
    listed = browser.get("/wb/sessions", params={"q": "lehtor"}).text
    assert "Konepaja Lehtoranta Oy" in listed
    assert "Konepaja" not in browser.get("/wb/sessions", params={"q": "zzz"}).text


def test_money_in_finnish_notation_and_a_refused_number(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start()
    url = f"/wb/s/{session_id}/answer/basic_info.turnover"
    saved = browser.send("PUT", url, {"v": "6 820 000,50 €"})
    assert saved.status_code == 200 and "Tallennettu" in saved.text
    assert 'id="live"' in saved.text and 'hx-swap-oob="true"' in saved.text
    assert answers(app_store, program, session_id)["basic_info.turnover"] == 6820000.5
    before = browser.seq
    refused = browser.send("PUT", url, {"v": "paljon"})
    assert refused.status_code == 422 and "ei ole luku" in refused.text
    assert browser.seq == before
    assert answers(app_store, program, session_id)["basic_info.turnover"] == 6820000.5
    page = browser.get(f"/wb/s/{session_id}?item=basic_info.turnover").text
    assert 'value="6\u00a0820\u00a0000,50"' in page


def test_a_stale_tab_gets_the_conflict_shown_and_nothing_stored(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start()
    stale = browser.seq
    assert (
        browser.send("PUT", f"/wb/s/{session_id}/answer/basic_info.staff_headcount", {"v": "34"}).status_code
        == 200
    )
    browser.seq = stale
    conflict = browser.send("PUT", f"/wb/s/{session_id}/answer/basic_info.staff_headcount", {"v": "40"})
    assert conflict.status_code == 409
    assert 'id="banner"' in conflict.text and "toisessa välilehdessä" in conflict.text
    assert answers(app_store, program, session_id)["basic_info.staff_headcount"] == 34


def test_a_write_without_the_csrf_header_is_refused(
    browser: Browser, app_store: tuple[Any, MemoryStore]
) -> None:
    refused = browser.client.post("/wb/sessions", json={"company_name": "Testi Oy", "business_id": ""})
    assert refused.status_code == 403
    assert app_store[1].sessions() == []


def test_repeat_group_rows_and_matrix_cells(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start()
    owners = f"/wb/s/{session_id}/answer/basic_info.owners"
    rows = {
        "r.0.name": "Timo Lehtoranta",
        "r.0.owner_type": "person",
        "r.0.share": "40",
        "r.0.roles": ["board_chair"],
        "r.0.active": "true",
        "r.3.name": "Janne Lehtoranta",
        "r.3.share": "25,5",
        "r.3.roles": ["ceo", "board_member"],
    }
    assert browser.send("PUT", owners, rows).status_code == 200
    assert answers(app_store, program, session_id)["basic_info.owners"] == [
        {
            "name": "Timo Lehtoranta",
            "owner_type": "person",
            "share": 40,
            "roles": ["board_chair"],
            "active": True,
        },
        {"name": "Janne Lehtoranta", "share": 25.5, "roles": ["ceo", "board_member"]},
    ]
    page = browser.get(f"/wb/s/{session_id}?item=basic_info.owners").text
    assert 'name="r.1.name" value="Janne Lehtoranta"' in page  # stored rows are renumbered
    new_row = browser.get(f"/wb/s/{session_id}/row/basic_info.owners", params={"index": 2}).text
    assert 'name="r.2.name"' in new_row and "data-remove-row" in new_row
    assert browser.send("PUT", owners, {"r.1.name": "Janne Lehtoranta"}).status_code == 200
    assert answers(app_store, program, session_id)["basic_info.owners"] == [{"name": "Janne Lehtoranta"}]
    assert browser.send("PUT", owners, {}).status_code == 200  # the last row removed: cleared
    assert "basic_info.owners" not in answers(app_store, program, session_id)
    matrix = f"/wb/s/{session_id}/answer/business_model.canvas_clarity"
    cells = {
        "m.customer_segments.concreteness": "4",
        "m.customer_segments.evidence": "2",
        "m.channels.evidence": "",
    }
    assert browser.send("PUT", matrix, cells).status_code == 200
    assert answers(app_store, program, session_id)["business_model.canvas_clarity"] == {
        "customer_segments": {"concreteness": 4, "evidence": 2}
    }
    bad = browser.send("PUT", matrix, {"m.channels.evidence": "9"})
    assert bad.status_code == 422 and "asteikon" in bad.text


def test_marks_undo_and_moves_redirect_to_the_item(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    assert (
        browser.send("PUT", f"{base}/answer/owner_strategy.documented", {"v": "written"}).status_code == 200
    )
    marked = browser.send("POST", f"{base}/mark/owner_strategy.owners_aligned/dont_know")
    assert marked.status_code == 204
    assert marked.headers["hx-redirect"] == f"{base}?item=owner_strategy.owners_aligned"
    interview = Interview.open(program, app_store[1], session_id)
    assert interview.answers["owner_strategy.owners_aligned"].status == "dont_know"
    undone = browser.send("POST", f"{base}/undo")
    assert undone.headers["hx-redirect"] == f"{base}?item=owner_strategy.owners_aligned"
    assert "owner_strategy.owners_aligned" not in answers(app_store, program, session_id)
    moved = browser.send("POST", f"{base}/goto/management")
    assert moved.status_code == 204 and "item=management." in moved.headers["hx-redirect"]
    page = browser.get(moved.headers["hx-redirect"]).text
    assert 'aria-current="step"' in page
    assert Interview.open(program, app_store[1], session_id).agenda().lines  # the section was entered


def test_an_answers_note_is_saved_with_the_answer_and_reaches_the_report(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    waiting = browser.send("PUT", f"{base}/answer/owner_strategy.documented", {"note": "Kysy hallitukselta"})
    assert waiting.status_code == 422 and "tallentuu vastauksen kanssa" in waiting.text
    assert "owner_strategy.documented" not in answers(app_store, program, session_id)
    saved = browser.send(
        "PUT", f"{base}/answer/owner_strategy.documented", {"v": "written", "note": "Kysy hallitukselta"}
    )
    assert saved.status_code == 200
    entry = Interview.open(program, app_store[1], session_id).answers["owner_strategy.documented"]
    assert (entry.value, entry.note) == ("written", "Kysy hallitukselta")
    marked = browser.send(
        "POST", f"{base}/mark/owner_strategy.owners_aligned/dont_know", {"note": "Omistajat eri mieltä"}
    )
    assert marked.status_code == 204
    entry = Interview.open(program, app_store[1], session_id).answers["owner_strategy.owners_aligned"]
    assert (entry.status, entry.note) == ("dont_know", "Omistajat eri mieltä")
    page = browser.get(f"{base}?item=owner_strategy.owners_aligned").text
    assert ">Omistajat eri mieltä</textarea>" in page
    report = browser.get(f"/api/v1/sessions/{session_id}/report?format=md&lang=fi&advisor_appendix=true")
    assert report.status_code == 200 and "Kysy hallitukselta" in report.text
    too_long = browser.send(
        "PUT", f"{base}/answer/owner_strategy.documented", {"v": "written", "note": "x" * 20001}
    )
    assert too_long.status_code == 413 and "HTTP-002" in too_long.text and "20001" in too_long.text
    entry = Interview.open(program, app_store[1], session_id).answers["owner_strategy.documented"]
    assert entry.note == "Kysy hallitukselta"  # the saved note stays


def test_every_item_of_the_bank_renders(browser: Browser, program: ScoringProgram) -> None:
    session_id = browser.start()
    for name, compiled in program.bank.items.items():
        page = browser.get(f"/wb/s/{session_id}", params={"item": name})
        assert page.status_code == 200, name
        assert f'data-item="{name}"' in page.text
        assert f'hx-put="/wb/s/{session_id}/answer/{name}"' in page.text
        if compiled.item.prompt:
            assert "Fasilitointivinkki" in page.text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_never_markup(browser: Browser, text: str) -> None:
    session_id = browser.start(name=text, business_id="")
    base = f"/wb/s/{session_id}"
    assert (
        browser.send("PUT", f"{base}/answer/owner_strategy.advisor_strengths", {"v": text}).status_code == 200
    )
    notes = browser.send(
        "POST", f"{base}/notes", {"text": text, "target": "owner_strategy.advisor_strengths"}
    )
    assert notes.status_code == 200
    for page in (
        browser.get("/wb/").text,
        browser.get(f"{base}?item=owner_strategy.advisor_strengths").text,
        notes.text,
    ):
        shown = str(markupsafe.escape(text))
        assert shown in page  # shown as text
        if shown != text:
            assert text not in page  # never as markup
        assert "<script>window" not in page and "<img src=x" not in page


def test_the_clients_screen_follows_the_meeting_view_without_advisor_texts(browser: Browser) -> None:
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    item = "owner_strategy.owners_aligned"
    browser.get(f"{base}?item={item}")
    assert browser.send("PUT", f"{base}/answer/{item}", {"v": "4"}).status_code == 200
    note = browser.send(
        "POST", f"{base}/notes", {"text": "Vain neuvojalle tarkoitettu huomio", "target": item}
    )
    assert note.status_code == 200
    screen = browser.get(f"{base}/present")
    assert screen.status_code == 200
    assert f'data-item="{item}"' in screen.text
    assert 'class="chosen"><span class="point">4</span>' in screen.text
    view = browser.get(f"{base}/present/view").text
    for advisor_only in ("Fasilitointivinkki", "Vain neuvojalle", "Muistiinpano", "Peru viimeisin"):
        assert advisor_only not in screen.text and advisor_only not in view
    browser.get(f"{base}?item=basic_info.turnover")
    assert 'data-item="basic_info.turnover"' in browser.get(f"{base}/present/view").text


def test_overview_overrides_break_finish_and_reopen(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    browser.send("POST", f"{base}/goto/management")
    page = browser.get(f"{base}/overview")
    assert page.status_code == 200
    # the start form gave the name and id; the closing block added next_steps.path_will (issue 16)
    assert "Pakollisia kysymyksiä vastaamatta: 18" in page.text
    assert f'href="{base}?item=basic_info.company_form"' in page.text  # a missing one links to its item
    refused = browser.client.post(
        f"{base}/override/management",
        json={"level": "2", "justification": ""},
        headers={"X-CSRF-Token": browser.csrf, "If-Match": f'"{browser.seq}"', "HX-Target": "banner"},
    )
    assert refused.status_code == 422 and 'class="conflict"' in refused.text and "SES-" in refused.text
    saved = browser.send(
        "POST", f"{base}/override/management", {"level": "2", "justification": "Hallitus ei kokoonnu."}
    )
    assert saved.status_code == 204
    interview = Interview.open(program, app_store[1], session_id)
    assert (interview.overrides["management"].level, interview.overrides["management"].justification) == (
        2,
        "Hallitus ei kokoonnu.",
    )
    assert browser.send("POST", f"{base}/pause").status_code == 204
    assert Interview.open(program, app_store[1], session_id).position.section is None
    assert browser.send("POST", f"{base}/finish").status_code == 204
    assert Interview.open(program, app_store[1], session_id).finished
    finished = browser.get(f"{base}/overview").text
    assert "Avaa uudelleen" in finished
    docx = re.search(r'href="(/api/v1/sessions/[^"]+format=docx&amp;lang=fi)"', finished)
    assert docx is not None
    download = browser.get(docx.group(1).replace("&amp;", "&"))
    assert download.status_code == 200 and download.content[:2] == b"PK"
    late = browser.send("PUT", f"{base}/answer/basic_info.staff_headcount", {"v": "3"})
    assert late.status_code == 409 and "SES-011" in late.text and "toisessa välilehdessä" not in late.text
    assert browser.send("POST", f"{base}/reopen").status_code == 204
    assert not Interview.open(program, app_store[1], session_id).finished


def test_preparation_meeting_and_assessment_are_separate_tabs(browser: Browser) -> None:
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    prep = browser.get(f"{base}?phase=pre_meeting").text
    assert 'data-item="basic_info.company_form"' in prep  # the first open one: the start gave name and id
    assert "Omistajastrategian vahvuudet" not in prep  # assessment items are on their own tab
    assessment = browser.get(f"{base}?phase=assessment").text
    assert 'data-item="owner_strategy.advisor_strengths"' in assessment
    assert "Y-tunnus" not in assessment.split('<main id="main">')[0].split('class="agenda"')[1]
    meeting = browser.get(f"{base}?phase=meeting").text
    item = re.search(r'data-item="([^"]+)"', meeting)
    assert item is not None and item.group(1) == "basic_info.staff_headcount"
    note = browser.send(
        "POST",
        f"{base}/notes",
        {"text": "Hypoteesi: asiakaskeskittymä", "target": "basic_info"},
    )
    assert note.status_code == 200 and "(osio)" in note.text
    assert "Hypoteesi: asiakaskeskittymä" in browser.get(f"{base}?item=basic_info.turnover").text
    # the advisor's assessment never reaches the client's screen
    browser.get(f"{base}?item=owner_strategy.advisor_strengths")
    assert "advisor_strengths" not in browser.get(f"{base}/present/view").text


def test_a_jump_from_the_agenda_offers_the_way_back(browser: Browser) -> None:
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    here = browser.get(f"{base}?item=owner_strategy.documented").text
    assert f'hx-post="{base}/goto/management?back=owner_strategy.documented"' in here
    assert 'data-key="back"' not in here, "no way back before a jump"
    jumped = browser.send("POST", f"{base}/goto/management?back=owner_strategy.documented")
    target = jumped.headers["hx-redirect"]
    assert target.startswith(f"{base}?item=management.")
    assert target.endswith("&back=owner_strategy.documented")
    page = browser.get(target).text
    assert f'data-key="back" hx-post="{base}/goto/owner_strategy.documented"' in page
    assert "Takaisin" in page
    returned = browser.send("POST", f"{base}/goto/owner_strategy.documented")
    assert returned.headers["hx-redirect"] == f"{base}?item=owner_strategy.documented"
    assert 'data-key="back"' not in browser.get(f"{base}?item=management.strategy_status&back=no.such").text


def test_the_start_form_answers_the_company_name_and_business_id(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start("Konepaja Lehtoranta Oy", "0967214-5")
    answers_now = Interview.open(program, app_store[1], session_id).answers
    assert answers_now["basic_info.company_name"].value == "Konepaja Lehtoranta Oy"
    assert answers_now["basic_info.business_id"].value == "0967214-5"
    without_id = browser.start("Toiminimi Testi", "")
    assert "basic_info.business_id" not in Interview.open(program, app_store[1], without_id).answers


RECORDS = Path(__file__).parents[1] / "prefill" / "data"


def test_a_session_starts_from_a_register_record(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    record = (RECORDS / "ky_liquidation.json").read_text(encoding="utf-8")
    started = browser.send("POST", "/wb/sessions/record", {"record": record})
    assert started.status_code == 204, started.text
    session_id = started.headers["hx-redirect"].rsplit("/", 1)[-1]
    interview = Interview.open(program, app_store[1], session_id)
    assert interview.started.company.business_id
    prefilled = {name: entry for name, entry in interview.answers.items() if entry.author == "register"}
    assert "basic_info.business_id" in prefilled and "basic_info.company_name" in prefilled
    assert all(entry.note and entry.note.startswith("PRH/YTJ") for entry in prefilled.values())
    notes = [note.text for note in interview.state.notes]
    assert any(text.startswith("Kaupparekisterin huomiot:") for text in notes), notes


def test_a_bad_register_record_starts_nothing(browser: Browser, app_store: tuple[Any, MemoryStore]) -> None:
    refused = browser.send("POST", "/wb/sessions/record", {"record": '{"companies": [{"names": 3}]}'})
    assert refused.status_code == 422
    assert "REG-" in refused.text and "/companies/0" in refused.text
    assert app_store[1].sessions() == []


def test_an_item_is_skipped_with_its_note(
    browser: Browser, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    session_id = browser.start()
    base = f"/wb/s/{session_id}"
    item = "market_position.target_advantage"
    assert 'data-key="skipped"' in browser.get(f"{base}?item={item}").text
    assert browser.send("POST", f"{base}/mark/{item}/skipped").status_code == 204
    assert browser.send("PUT", f"{base}/answer/{item}", {"note": "Palataan tähän."}).status_code == 200
    entry = Interview.open(program, app_store[1], session_id).answers[item]
    assert (entry.status, entry.note) == ("skipped", "Palataan tähän.")
    assert browser.send("POST", f"{base}/mark/{item}/later").status_code == 404
