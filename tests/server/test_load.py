"""A bounded load test on a real ``asiakasarvo serve`` process: 20 clients in threads, each
answering 200 times on its own session with If-Match. Afterwards every acknowledged answer is
in its session's log, read through the API and, after the server stopped, from the store file
opened read-only; no request got a 5xx. Latency is printed by ``benchmarks/bench_server.py``,
never asserted here."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx
from test_real_server import _serve, _stop

from asiakasarvo_engine.session.events import Answered
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

CLIENTS = 20
ANSWERS = 200
ITEM = "owner_strategy.documented"
CHOICES = ["not_formed", "tacit", "discussed", "written", "written_reviewed"]


def _client_run(base: str, cookie: httpx.Cookies, csrf: str, sid: str, out: dict[str, list[int]]) -> None:
    acknowledged: list[int] = []
    with httpx.Client(base_url=base, cookies=cookie, headers={"X-CSRF-Token": csrf}, timeout=60) as http:
        seq = 1
        for index in range(ANSWERS):
            response = http.put(
                f"/api/v1/sessions/{sid}/answers/{ITEM}",
                json={"value": CHOICES[index % len(CHOICES)]},
                headers={"If-Match": f'"{seq}"'},
            )
            if response.status_code != 200:
                out.setdefault("failed", []).append(response.status_code)
                return
            seq = response.json()["seq"]
            acknowledged.append(seq)
    out[sid] = acknowledged


def test_twenty_clients_two_hundred_answers_each_lose_nothing(tmp_path: Path) -> None:
    store_path = tmp_path / "load.sqlite3"
    proc, base, client = _serve(store_path)
    results: dict[str, list[int]] = {}
    try:
        csrf = client.headers["X-CSRF-Token"]
        sids = []
        for number in range(CLIENTS):
            created = client.post("/api/v1/sessions", json={"advisor": f"Kuormittaja {number}"})
            assert created.status_code == 201, created.text
            sids.append(created.json()["id"])
        threads = [
            threading.Thread(target=_client_run, args=(base, client.cookies, csrf, sid, results))
            for sid in sids
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        assert "failed" not in results, results.get("failed")
        assert sorted(results) == sorted(sids)
        for sid in sids:
            assert results[sid] == list(range(2, ANSWERS + 2))  # each answer acknowledged once, in turn
            events = client.get(f"/api/v1/sessions/{sid}/events").json()["events"]
            stored = {e["seq"]: e for e in events}
            assert all(seq in stored and stored[seq]["type"] == "answered" for seq in results[sid])
    finally:
        client.close()
        _stop(proc, signal.SIGTERM)
    with SQLiteStore(store_path, readonly=True) as stored_file:
        for sid in sids:
            log = stored_file.events(sid)
            answered = {e.seq: e for e in log if isinstance(e, Answered)}
            assert sorted(answered) == results[sid]
            for index, seq in enumerate(results[sid]):
                assert answered[seq].value == CHOICES[index % len(CHOICES)]
