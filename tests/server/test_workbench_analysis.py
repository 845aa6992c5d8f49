"""The written analysis in the workbench (/wb/s/{id}/analysis): the page shows what the report
says, each save is one ``analysis_edited`` event with If-Match, the report carries it, and a
refused value or a stale If-Match is shown beside the field with nothing written."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_workbench import Browser

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.server.workbench.render import CSP
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.store import MemoryStore

OVERALL = "Yhtiön asiakasarvo nojaa yhteen asiakkaaseen; hallituksen on otettava riski työlistalleen."
TITLE = "Omistajien tahto paperille ennen joulua"
KAC, OWN, AGENDA = "key_account_contingency", "write_down_owner_will", "customers_on_board_agenda"
SHARE = f"/plan/v0/{KAC}/metrics/largest_customer_share/target"


class Visitor(Browser):
    """A signed-in workbench visitor (test_workbench's Browser) that posts with If-Match."""

    def post(self, url: str, body: dict[str, Any], seq: str | None = None) -> Any:
        if seq is not None:
            self.seq = seq
        return self.send("POST", url, body)


@pytest.fixture
def visitor(app_store: tuple[Any, MemoryStore]) -> Visitor:
    return Visitor(TestClient(app_store[0]))


@pytest.fixture
def finished(app_store: tuple[Any, MemoryStore], program: ScoringProgram) -> str:
    """A finished session with the small manufacturer's answers."""
    interview = Interview.start(program, app_store[1], company="Konepaja Lehtoranta Oy", advisor="Anna")
    loaded = load_answers(examples_path() / "small_manufacturer.answers.yaml", program.bank)
    for name, entry in loaded.answers.items():
        assert not interview.answer(name, entry.value, entry.status, entry.note).problems
    interview.finish()
    return interview.session_id


def _interview(app_store: tuple[Any, MemoryStore], program: ScoringProgram, sid: str) -> Interview:
    return Interview.open(program, app_store[1], sid)


def _events(app_store: tuple[Any, MemoryStore], program: ScoringProgram, sid: str) -> int:
    return len(_interview(app_store, program, sid).events)


def _report(visitor: Visitor, sid: str, lang: str = "fi") -> str:
    response = visitor.client.get(f"/api/v1/sessions/{sid}/report", params={"format": "md", "lang": lang})
    assert response.status_code == 200, response.text
    return str(response.text)


def _save(visitor: Visitor, sid: str, path: str, value: str) -> Any:
    return visitor.post(f"/wb/s/{sid}/analysis", {"path": path, "value": value})


def _saved(visitor: Visitor, sid: str, path: str, value: str) -> None:
    response = _save(visitor, sid, path, value)
    assert response.status_code == 200 and "Tallennettu" in response.text, response.text


def test_the_page_renders_for_a_finished_session_in_both_languages(visitor: Visitor, finished: str) -> None:
    page = visitor.get(f"/wb/s/{finished}/analysis")
    assert page.status_code == 200, page.text
    assert page.headers["content-security-policy"] == CSP
    assert page.headers["etag"].strip('"').isdigit()
    text = page.text
    for words in ("Kirjallinen analyysi", "Yhteenveto hallitukselle", "Suositukset asiakkaalle",
                  "Kehittämissuunnitelma (v0)", "raporttiin", "enintään 10"):
        assert words in text, words
    assert "<script>" not in text
    # the generated findings are the hint of the empty findings field
    assert 'placeholder="Vahvin osio on' in text
    # the engine's choice is ticked and numbered; every fired recommendation is listed
    assert text.count('name="chosen"') > 10
    assert text.count(" checked>") == 10
    assert 'name="pos_key_account_contingency" value="1"' in text
    # the chosen recommendations' texts and the plan's fields are there, prefilled
    assert 'value="/recommendations/key_account_contingency/title"' in text
    assert 'value="/plan/v0/key_account_contingency/quarter"' in text
    assert 'value="/plan/v0/key_account_contingency/metrics/largest_customer_share/target"' in text
    assert 'pattern="[0-9]{4}-[Qq][1-4]"' in text and 'type="date"' in text
    for link in ("format=pdf", "format=docx", "format=html&amp;advisor_appendix=true", "lang=en"):
        assert link in text, link
    english = visitor.client.get(f"/wb/lang/en?next=/wb/s/{finished}/analysis").text
    for words in ("Written analysis", "Summary for the board", "Recommendations for the client",
                  "Development plan (v0)", "in the report", "at most 10"):
        assert words in english, words
    assert 'placeholder="The strongest section' in english


def test_saving_the_summary_choosing_and_editing_reach_the_report(
    visitor: Visitor, finished: str, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    base = f"/wb/s/{finished}/analysis"
    visitor.get(base)
    _saved(visitor, finished, "/summary/overall", f"  {OVERALL}\n")
    _saved(visitor, finished, "/summary/findings",
           "Yksi asiakas kantaa yhtiötä.\n\n Hinnoittelu on kustannuspohjaista.")
    _saved(visitor, finished, "/summary/level", "2")
    _saved(visitor, finished, "/summary/level_reason", "Hallitus ei käsittele asiakkaita.")
    chosen = visitor.post(f"{base}/chosen", {
        "chosen": [KAC, OWN, AGENDA], f"pos_{OWN}": "1", f"pos_{KAC}": "2", f"pos_{AGENDA}": "3",
        "pos_value_based_pricing": "4",  # a number without a tick stays out
    })
    assert chosen.status_code == 204 and chosen.headers["hx-redirect"] == base, chosen.text
    _saved(visitor, finished, f"/recommendations/{OWN}/title", TITLE)
    _saved(visitor, finished, f"/recommendations/{OWN}/owner", "board")
    _saved(visitor, finished, f"/plan/v0/{OWN}/responsible_person", "Matti Lehtoranta")
    _saved(visitor, finished, f"/plan/v0/{OWN}/quarter", "2027-q1")
    _saved(visitor, finished, SHARE, "35,5")

    written = _interview(app_store, program, finished).written
    assert written.summary("overall") == OVERALL
    findings = ["Yksi asiakas kantaa yhtiötä.", "Hinnoittelu on kustannuspohjaista."]
    assert written.summary("findings") == findings
    assert written.summary("level") == 2
    assert written.chosen == [OWN, KAC, AGENDA]
    assert written.recommendation(OWN, "title") == TITLE
    assert written.recommendation(OWN, "owner") == "board"
    plan = written.plan(OWN)
    assert (plan.responsible_person, plan.quarter) == ("Matti Lehtoranta", "2027-Q1")
    assert written.plan(KAC).metric_targets == {"largest_customer_share": 35.5}
    api = visitor.client.get(f"/api/v1/sessions/{finished}/analysis").json()
    assert {e["path"] for e in api["edits"]} >= {"/summary/overall", "/chosen", "/summary/findings"}

    report = _report(visitor, finished)
    assert OVERALL in report
    assert "Yksi asiakas kantaa yhtiötä." in report
    assert f"### 1. {TITLE}" in report
    assert "**Vastuuhenkilö:** Matti Lehtoranta" in report
    assert "35,5" in report

    # the page shows the edits back, the choice in its order
    page = html.unescape(visitor.get(base).text)
    assert OVERALL in page and TITLE in page and "Matti Lehtoranta" in page
    assert f'name="pos_{OWN}" value="1"' in page
    assert page.count(" checked>") == 3
    assert 'value="2027-Q1"' in page and 'value="35.5"' in page


def test_a_field_saved_as_generated_or_empty_goes_back_to_the_generated_text(
    visitor: Visitor, finished: str, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    page = html.unescape(visitor.get(f"/wb/s/{finished}/analysis").text)
    generated = re.search(r'id="f-recommendations-key_account_contingency-title" type="text" name="value" '
                          r'value="([^"]+)"', page)
    assert generated is not None
    before = _events(app_store, program, finished)
    # unchanged generated texts and selections write nothing
    _saved(visitor, finished, f"/recommendations/{KAC}/title", generated.group(1))
    _saved(visitor, finished, f"/recommendations/{KAC}/owner", "board")
    _saved(visitor, finished, "/summary/proposals", " \n ")
    assert _events(app_store, program, finished) == before
    _saved(visitor, finished, f"/recommendations/{KAC}/title", TITLE)
    assert _interview(app_store, program, finished).written.recommendation(KAC, "title") == TITLE
    _saved(visitor, finished, f"/recommendations/{KAC}/title", generated.group(1))
    interview = _interview(app_store, program, finished)
    assert interview.written.recommendation("key_account_contingency", "title") is None
    assert len(interview.events) == before + 2


def test_refusals_are_shown_beside_the_field_and_write_nothing(
    visitor: Visitor, finished: str, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    visitor.get(f"/wb/s/{finished}/analysis")
    before, seq = _events(app_store, program, finished), visitor.seq
    quarter = _save(visitor, finished, f"/plan/v0/{KAC}/quarter", "2027-Q7")
    assert quarter.status_code == 422
    assert "Ei tallennettu" in quarter.text and "VVVV-Qn" in quarter.text and "SES-010" in quarter.text
    number = _save(visitor, finished, SHARE, "paljon")
    assert number.status_code == 422 and "ei ole luku" in number.text
    lines = _save(visitor, finished, "/summary/strengths", "\n".join(f"kohta {i}" for i in range(11)))
    assert lines.status_code == 422 and "1–10" in lines.text
    ticked = [f"rec_{i}" for i in range(11)]
    too_many = visitor.post(f"/wb/s/{finished}/analysis/chosen", {"chosen": ticked})
    assert too_many.status_code == 422 and "enintään 10 suositusta" in too_many.text
    assert visitor.seq == seq
    assert _events(app_store, program, finished) == before
    english = visitor.client.post(
        f"/wb/s/{finished}/analysis", json={"path": f"/plan/v0/{KAC}/quarter", "value": "Q1"},
        headers={"X-CSRF-Token": visitor.csrf, "If-Match": f'"{seq}"', "Accept-Language": "en"})
    assert english.status_code == 422 and "Not saved" in english.text and "YYYY-Qn" in english.text


def test_a_stale_if_match_is_a_conflict_shown_on_the_page(
    visitor: Visitor, finished: str, app_store: tuple[Any, MemoryStore], program: ScoringProgram
) -> None:
    visitor.get(f"/wb/s/{finished}/analysis")
    stale = visitor.seq
    assert _save(visitor, finished, "/summary/overall", OVERALL).status_code == 200
    before = _events(app_store, program, finished)
    conflict = visitor.post(f"/wb/s/{finished}/analysis", {"path": "/summary/overall", "value": "Toinen."},
                            seq=stale)
    assert conflict.status_code == 409
    assert "toisessa välilehdessä" in conflict.text
    assert f'href="/wb/s/{finished}/analysis"' in conflict.text  # reload this page
    assert _events(app_store, program, finished) == before
    assert _interview(app_store, program, finished).written.summary("overall") == OVERALL


def test_not_signed_in_is_the_sign_in_page(app_store: tuple[Any, MemoryStore], finished: str) -> None:
    client = TestClient(app_store[0])
    page = client.get(f"/wb/s/{finished}/analysis")
    assert page.status_code == 401 and "kertakäyttöinen tunniste" in page.text
    write = client.post(f"/wb/s/{finished}/analysis", json={"path": "/summary/overall", "value": "x"},
                        headers={"If-Match": '"1"'})
    assert write.status_code in (401, 403)


def test_the_overview_links_the_page_and_the_reports(visitor: Visitor, finished: str) -> None:
    page = visitor.get(f"/wb/s/{finished}/overview").text
    assert f'href="/wb/s/{finished}/analysis"' in page
    assert "format=pdf" in page and "advisor_appendix=true" in page
