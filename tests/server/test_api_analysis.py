"""The written analysis over HTTP (issue 17): the advisor's edits are events, every report made
later carries them, and bad paths or values are refused at a JSON pointer."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from conftest import TestClient, signed_in

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.report.branding import Branding
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.server import ServerConfig, create_app
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

API = "/api/v1"
TITLE = "Omistajien tahto paperille ennen joulua"


def _seq(response: Any) -> int:
    return int(response.headers["ETag"].strip('"'))


def _start(client: TestClient) -> tuple[str, int]:
    created = client.post(f"{API}/sessions", json={"company": {"name": "Testi Oy"}, "advisor": "Anna"})
    assert created.status_code == 201, created.text
    return created.json()["id"], _seq(created)


def _finished_example(client: TestClient, program: ScoringProgram) -> tuple[str, int]:
    loaded = load_answers(examples_path() / "small_manufacturer.answers.yaml", program.bank)
    sid, seq = _start(client)
    for name, entry in loaded.answers.items():
        response = client.put(f"{API}/sessions/{sid}/answers/{name}", headers={"If-Match": f'"{seq}"'},
                              json={"value": entry.value, "status": str(entry.status), "note": entry.note})
        assert response.status_code == 200, response.text
        seq = _seq(response)
    finish = client.post(f"{API}/sessions/{sid}/finish", headers={"If-Match": f'"{seq}"'})
    assert finish.status_code == 200, finish.text
    return sid, finish.json()["seq"]


def _edit(client: TestClient, sid: str, seq: int, path: str, value: Any) -> Any:
    return client.put(f"{API}/sessions/{sid}/analysis", headers={"If-Match": f'"{seq}"'},
                      json={"path": path, "value": value})


def _report(client: TestClient, sid: str, **params: Any) -> str:
    response = client.get(f"{API}/sessions/{sid}/report", params={"format": "md", "lang": "fi", **params})
    assert response.status_code == 200, response.text
    return response.text


def test_an_edit_made_through_the_api_survives_making_the_report_again(
        program: ScoringProgram, store: SQLiteStore) -> None:
    app = create_app(ServerConfig(program, store))
    with TestClient(app, raise_server_exceptions=False) as raw:
        client = signed_in(raw)
        sid, seq = _finished_example(client, program)
        edits = {
            "/chosen": ["write_down_owner_will", "key_account_contingency", "customers_on_board_agenda"],
            "/recommendations/write_down_owner_will/title": TITLE,
            "/plan/v0/write_down_owner_will/responsible_person": "Matti Lehtoranta",
            "/summary/proposals": ["Varautumissuunnitelma ennen budjettia."],
        }
        for path, value in edits.items():
            response = _edit(client, sid, seq, path, value)
            assert response.status_code == 200, response.text
            assert response.json()["edit"]["value"] == value and response.json()["stale"] == []
            seq = response.json()["seq"]
            assert _seq(response) == seq
        first = _report(client, sid)
        assert f"### 1. {TITLE}" in first
        assert "**Vastuuhenkilö:** Matti Lehtoranta" in first
        assert "Varautumissuunnitelma ennen budjettia." in first
        assert _report(client, sid) == first
        analysis = client.get(f"{API}/sessions/{sid}/analysis").json()
        assert {e["path"]: e["value"] for e in analysis["edits"]} == edits
        assert all(e["author"] and e["seq"] > 0 for e in analysis["edits"])
    # a new server over the same store: the edits are in the log, so the report carries them
    with TestClient(create_app(ServerConfig(program, store)), raise_server_exceptions=False) as raw:
        again = signed_in(raw)
        assert _report(again, sid) == first
        response = again.get(f"{API}/sessions/{sid}/report", params={"format": "docx", "lang": "fi"})
        assert response.status_code == 200
        paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
        assert f"1. {TITLE}" in paragraphs


def test_undo_after_finishing_takes_back_the_latest_edit(client: TestClient, program: ScoringProgram) -> None:
    sid, seq = _finished_example(client, program)
    seq = _edit(client, sid, seq, "/recommendations/write_down_owner_will/title", TITLE).json()["seq"]
    assert TITLE in _report(client, sid)
    undone = client.post(f"{API}/sessions/{sid}/undo", headers={"If-Match": f'"{seq}"'})
    assert undone.status_code == 200, undone.text
    assert TITLE not in _report(client, sid)
    assert client.get(f"{API}/sessions/{sid}/analysis").json()["edits"] == []


@pytest.mark.parametrize(("path", "value", "pointer"), [
    ("/summary/mood", "hyvä", "/path"),
    ("/recommendations/no_such_rec/title", "x", "/path"),
    ("/plan/v9/write_down_owner_will/goal", "x", "/path"),
    ("/plan/v0/write_down_owner_will/quarter", "Q1 2027", "/value"),
    ("/summary/level", 9, "/value"),
    ("/chosen", ["write_down_owner_will", "write_down_owner_will"], "/value"),
])
def test_a_bad_edit_is_refused_at_its_pointer_and_writes_nothing(
        client: TestClient, program: ScoringProgram, path: str, value: Any, pointer: str) -> None:
    sid, seq = _start(client)
    response = _edit(client, sid, seq, path, value)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "SES-010"
    assert problem["diagnostics"][0]["pointer"] == pointer
    assert client.get(f"{API}/sessions/{sid}/analysis").json() == {"seq": seq, "edits": [], "stale": []}


def test_an_edit_needs_the_current_seq(client: TestClient) -> None:
    sid, seq = _start(client)
    stale = _edit(client, sid, seq + 5, "/summary/overall", "Teksti.")
    assert stale.status_code in {409, 412}, stale.text
    assert _edit(client, sid, seq, "/summary/overall", "Teksti.").status_code == 200


def test_an_edit_of_a_recommendation_that_does_not_fire_is_listed_as_stale(client: TestClient) -> None:
    sid, seq = _start(client)
    response = _edit(client, sid, seq, "/recommendations/form_owner_strategy/text", "Oma teksti.")
    assert response.status_code == 200, response.text
    stale = response.json()["stale"]
    fired = "form_owner_strategy" in _report(client, sid, advisor_appendix="true")
    assert stale == ([] if fired else ["/recommendations/form_owner_strategy/text"])


def test_the_servers_branding_and_the_final_switch_reach_the_report(
        program: ScoringProgram, store: SQLiteStore) -> None:
    branding = Branding({"fi": "Savon Kauppakamari", "en": "Savo Chamber of Commerce"})
    with TestClient(create_app(ServerConfig(program, store, branding=branding)),
                    raise_server_exceptions=False) as raw:
        client = signed_in(raw)
        sid, _ = _start(client)
        draft = _report(client, sid)
        assert "**Laatija:** Savon Kauppakamari" in draft and "*Luonnos:*" in draft
        final = _report(client, sid, final="true", lang="en")
        assert "**Prepared by:** Savo Chamber of Commerce" in final and "*Draft:*" not in final
