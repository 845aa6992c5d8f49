"""The "views differ" flag through the HTTP API: set with a rating answer, shown in the
session view and its events, refused on a choice question with the ANS-009 pointer."""

from __future__ import annotations

from typing import Any

from conftest import TestClient

API = "/api/v1"
RATING = "owner_strategy.owners_aligned"
CHOICE = "owner_strategy.documented"


def _start(client: TestClient) -> tuple[str, int]:
    response = client.post(f"{API}/sessions", json={"company": {"name": "Testi Oy"}, "advisor": "Anna"})
    assert response.status_code == 201, response.text
    return response.json()["id"], int(response.headers["ETag"].strip('"'))


def _put(client: TestClient, sid: str, seq: int, item: str, body: dict[str, Any]) -> Any:
    return client.put(f"{API}/sessions/{sid}/answers/{item}", json=body, headers={"If-Match": f'"{seq}"'})


def test_the_flag_is_accepted_on_a_rating_and_shown_in_the_session(client: TestClient) -> None:
    sid, seq = _start(client)
    response = _put(client, sid, seq, RATING, {"value": 2, "views_differ": True})
    assert response.status_code == 200, response.text
    seq = int(response.headers["ETag"].strip('"'))
    answers = client.get(f"{API}/sessions/{sid}").json()["answers"]
    assert answers[RATING]["views_differ"] is True
    assert answers[RATING]["value"] == 2
    events = client.get(f"{API}/sessions/{sid}/events", params={"since": 1}).json()["events"]
    assert [e.get("views_differ") for e in events if e["type"] == "answered"] == [True]
    export = client.get(f"{API}/sessions/{sid}/export").json()
    assert [e.get("views_differ") for e in export["events"] if e["type"] == "answered"] == [True]
    plain = _put(client, sid, seq, RATING, {"value": 2})  # a PUT replaces the answer, flag and all
    assert plain.status_code == 200
    assert client.get(f"{API}/sessions/{sid}").json()["answers"][RATING]["views_differ"] is False


def test_the_flag_on_a_choice_item_is_422_with_its_pointer(client: TestClient) -> None:
    sid, seq = _start(client)
    response = client.put(f"{API}/sessions/{sid}/answers/{CHOICE}",
                          json={"value": "written", "views_differ": True},
                          headers={"If-Match": f'"{seq}"', "Accept-Language": "en"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "ANS-009"
    assert [d["pointer"] for d in problem["diagnostics"]] == [f"/answers/{CHOICE}/views_differ"]
    assert "single_choice" in problem["detail"]
    assert "arviointikysymykseen" in problem["diagnostics"][0]["message"]["fi"]
    assert client.get(f"{API}/sessions/{sid}").json()["seq"] == seq


def test_a_flag_that_is_no_boolean_is_refused(client: TestClient) -> None:
    sid, seq = _start(client)
    response = _put(client, sid, seq, RATING, {"value": 2, "views_differ": "maybe"})
    assert response.status_code == 422
    assert client.get(f"{API}/sessions/{sid}").json()["seq"] == seq
