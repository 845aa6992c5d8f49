"""Register prefill over HTTP (issue 21): POST /sessions/{id}/prefill with a saved PRH/YTJ record."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import TestClient

API = "/api/v1"
RECORDS = Path(__file__).parents[1] / "prefill" / "data"


def _start(client: TestClient, **company: str) -> tuple[str, int]:
    body = {"company": {"name": "Testi Oy", **company}, "advisor": "Anna"}
    created = client.post(f"{API}/sessions", json=body)
    assert created.status_code == 201, created.text
    return created.json()["id"], int(created.headers["ETag"].strip('"'))


def test_a_record_prefills_the_session_as_register(client: TestClient) -> None:
    sid, seq = _start(client)
    body = (RECORDS / "oy_joensuu.json").read_bytes()
    done = client.post(f"{API}/sessions/{sid}/prefill", content=body,
                       headers={"If-Match": f'"{seq}"', "Content-Type": "application/json"})
    assert done.status_code == 200, done.text
    out = done.json()
    assert out["written"]["basic_info.municipality"] == "joensuu"
    assert int(done.headers["ETag"].strip('"')) == out["seq"] > seq
    state = client.get(f"{API}/sessions/{sid}").json()
    assert state["answers"]["basic_info.municipality"]["author"] == "register"
    again = client.post(f"{API}/sessions/{sid}/prefill", content=body,
                        headers={"If-Match": f'"{out["seq"]}"', "Content-Type": "application/json"})
    assert again.status_code == 200 and again.json()["written"] == {}
    assert "basic_info.municipality" in again.json()["kept"]


def test_a_bad_or_foreign_record_writes_nothing(client: TestClient) -> None:
    sid, seq = _start(client, business_id="0967214-5")
    headers = {"If-Match": f'"{seq}"', "Content-Type": "application/json"}
    bad = client.post(f"{API}/sessions/{sid}/prefill", content=json.dumps({"companies": [{"names": 3}]}),
                      headers=headers)
    assert bad.status_code == 422 and bad.json()["code"].startswith("REG-")
    assert bad.json()["diagnostics"][0]["pointer"].startswith("/companies/0")
    foreign = client.post(f"{API}/sessions/{sid}/prefill", content=(RECORDS / "oy_joensuu.json").read_bytes(),
                          headers=headers)
    assert foreign.status_code == 422 and foreign.json()["code"] == "REG-006"
    assert client.get(f"{API}/sessions/{sid}").json()["seq"] == seq
