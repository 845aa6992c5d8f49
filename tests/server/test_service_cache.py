"""The server's cache of open interviews follows the store: a session erased and started again
under the same id by another process, up to the same number of events, is not served stale."""

from __future__ import annotations

from pathlib import Path

from conftest import TestClient

from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

API = "/api/v1"
ITEM = "owner_strategy.documented"


def _restart_elsewhere(program: ScoringProgram, path: Path, sid: str, value: str) -> None:
    """What another process does: erase the session and start a new one under the same id,
    with one answer, so it has as many events as the old one had."""
    with SQLiteStore(path) as other:
        other.delete(sid)
        interview = Interview.start(program, other, advisor="Toinen", session_id=sid, company="Uusi Oy")
        assert interview.answer(ITEM, value).ok


def _seed(client: TestClient, sid: str) -> int:
    created = client.post(
        f"{API}/sessions", json={"id": sid, "advisor": "Anna", "company": {"name": "Vanha Oy"}}
    )
    assert created.status_code == 201, created.text
    answered = client.put(
        f"{API}/sessions/{sid}/answers/{ITEM}", json={"value": "written"}, headers={"If-Match": '"1"'}
    )
    assert answered.status_code == 200, answered.text
    return int(answered.json()["seq"])


def test_reads_see_a_session_started_again_under_the_same_id(
    client: TestClient, program: ScoringProgram, store: SQLiteStore
) -> None:
    seq = _seed(client, "sama")
    assert client.get(f"{API}/sessions/sama").json()["company"]["name"] == "Vanha Oy"  # cached now
    _restart_elsewhere(program, store.path, "sama", "tacit")
    state = client.get(f"{API}/sessions/sama").json()
    assert state["seq"] == seq  # the same number of events: only the content tells them apart
    assert state["company"]["name"] == "Uusi Oy"
    assert state["advisor"] == "Toinen"
    assert state["answers"][ITEM]["value"] == "tacit"
    events = client.get(f"{API}/sessions/sama/events").json()["events"]
    assert [e["type"] for e in events] == ["started", "answered"]
    assert events[1]["value"] == "tacit"


def test_a_stale_write_after_a_restart_elsewhere_reads_the_new_session(
    client: TestClient, program: ScoringProgram, store: SQLiteStore
) -> None:
    seq = _seed(client, "toka")
    _restart_elsewhere(program, store.path, "toka", "tacit")
    _restart_elsewhere(program, store.path, "toka", "discussed")  # and again: still seq 2
    wrote = client.put(
        f"{API}/sessions/toka/answers/{ITEM}", json={"value": "written"}, headers={"If-Match": '"3"'}
    )
    assert wrote.status_code == 409  # the If-Match differs: the refusal carries the new session
    assert wrote.json()["state"]["company"]["name"] == "Uusi Oy"
    assert wrote.json()["state"]["answers"][ITEM]["value"] == "discussed"
    assert wrote.json()["state"]["seq"] == seq
