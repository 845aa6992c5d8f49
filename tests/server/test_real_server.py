"""``asiakasarvo serve`` as a real process on loopback: the printed URL, a live stream, and a
SIGKILL while answering after which every acknowledged answer is in the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ITEMS = [("owner_strategy.documented", "written"), ("owner_strategy.documented", "discussed")]


def _serve(store: Path) -> tuple[subprocess.Popen[str], str, httpx.Client]:
    exe = Path(sys.executable).with_name("asiakasarvo")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", "0", "--no-browser", "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()  # the first line is the URL with its one-time token
    assert url.startswith("http://127.0.0.1:") and "?token=" in url, url
    base = url.split("/?token=")[0]
    client = httpx.Client(base_url=base, timeout=30)
    assert client.get(url, follow_redirects=False).status_code == 303
    client.headers["X-CSRF-Token"] = client.get("/api/v1/me").json()["csrf_token"]
    return proc, base, client


def _stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(timeout=20)
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], httpx.Client, Path]]:
    store = tmp_path / "s.sqlite3"
    proc, _base, client = _serve(store)
    yield proc, client, store
    client.close()
    _stop(proc)


def test_stream_follows_a_write(server: tuple[subprocess.Popen[str], httpx.Client, Path]) -> None:
    _proc, client, _store = server
    created = client.post("/api/v1/sessions", json={"advisor": "Anna"})
    sid, seq = created.json()["id"], created.json()["seq"]
    got: list[str] = []
    ready = threading.Event()

    def follow() -> None:
        with client.stream("GET", f"/api/v1/sessions/{sid}/stream") as response:
            for line in response.iter_lines():
                if line.startswith("event: hello"):
                    ready.set()
                if line.startswith("event: answered"):
                    got.append(line)
                    return

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    assert ready.wait(30)
    response = client.put(
        f"/api/v1/sessions/{sid}/answers/owner_strategy.documented",
        json={"value": "written"},
        headers={"If-Match": f'"{seq}"'},
    )
    assert response.status_code == 200
    thread.join(30)
    assert got == ["event: answered"]


def test_sigkill_keeps_every_acknowledged_answer(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    proc, _base, client = _serve(store)
    sid = client.post("/api/v1/sessions", json={"advisor": "Anna"}).json()["id"]
    seq = 1
    acknowledged: list[int] = []
    choices = ["not_formed", "tacit", "discussed", "written", "written_reviewed"]
    for index in range(40):
        response = client.put(
            f"/api/v1/sessions/{sid}/answers/owner_strategy.documented",
            json={"value": choices[index % 5]},
            headers={"If-Match": f'"{seq}"'},
        )
        assert response.status_code == 200
        seq = response.json()["seq"]
        acknowledged.append(seq)
        if index == 25:
            os.kill(proc.pid, signal.SIGKILL)
            break
    _stop(proc)
    client.close()
    proc2, _base2, client2 = _serve(store)
    try:
        events = client2.get(f"/api/v1/sessions/{sid}/events").json()["events"]
        stored = {e["seq"] for e in events}
        assert set(acknowledged) <= stored
    finally:
        client2.close()
        _stop(proc2)
