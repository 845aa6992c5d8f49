"""Benchmark: one answer over HTTP on loopback beside the same answer through the Python API.

Run: .venv/bin/python benchmarks/bench_server.py [--answers N] [--clients C] [--per-client M]

Starts ``asiakasarvo serve`` on 127.0.0.1 with a SQLite store in a temporary folder and
signs in with its one-time token. Part 1, interleaved answer by answer so the disk's
drifting fsync time hits both alike: ``PUT /api/v1/sessions/{id}/answers/{item}`` with
If-Match over one keep-alive connection (http.client), and ``Interview.answer`` on a
SQLiteStore of its own in this process. Printed: median, p95, p99 of each and the median
difference (target: HTTP at most 1 ms over the Python API). Part 2, the bounded load test:
C clients in threads, each answering M times on its own session; every acknowledged
answer must be in the log afterwards (0 lost); p50 and p99 per answer are printed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

ITEM = "owner_strategy.documented"
CHOICES = ["not_formed", "tacit", "discussed", "written", "written_reviewed"]


@dataclass(frozen=True)
class Login:
    """Where the server listens and the signed-in browser's cookie and CSRF token."""

    host: str
    port: int
    cookie: str
    csrf: str


class Api:
    """A keep-alive HTTP connection with the session cookie and CSRF token."""

    def __init__(self, login: Login) -> None:
        self.conn = http.client.HTTPConnection(login.host, login.port, timeout=60)
        self.conn.connect()  # headers and body go out as two writes: without TCP_NODELAY, Nagle
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # waits for a delayed ACK
        self.headers = {"Cookie": login.cookie, "X-CSRF-Token": login.csrf,
                        "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object = None, seq: int | None = None) -> tuple[int, dict]:
        headers = dict(self.headers)
        if seq is not None:
            headers["If-Match"] = f'"{seq}"'
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else {}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{name:<34} median {statistics.median(ms):7.3f} ms  p95 {percentile(ms, 0.95):7.3f}  "
            f"p99 {percentile(ms, 0.99):7.3f}  (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=400)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=200)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("asiakasarvo")
    with tempfile.TemporaryDirectory() as folder:
        proc = subprocess.Popen([str(exe), "serve", "--port", "0", "--no-browser", "--store",
                                 str(Path(folder) / "server.sqlite3")], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            hostport, _, token = url.removeprefix("http://").partition("/?token=")
            host, _, port_text = hostport.partition(":")
            port = int(port_text)
            first = http.client.HTTPConnection(host, port)
            first.request("GET", f"/?token={token}")
            reply = first.getresponse()
            reply.read()
            cookie = reply.getheader("set-cookie", "").split(";")[0]
            first.request("GET", "/api/v1/me", headers={"Cookie": cookie})
            csrf = json.loads(first.getresponse().read())["csrf_token"]
            run(args, Login(host, port, cookie, csrf), Path(folder))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def run(args: argparse.Namespace, login: Login, folder: Path) -> None:
    program = load_program()
    store = SQLiteStore(folder / "direct.sqlite3")
    interview = Interview.start(program, store, advisor="Bench")
    api = Api(login)
    _, state = api.call("POST", "/api/v1/sessions", {"advisor": "Bench"})
    sid, seq = state["id"], state["seq"]
    http_times: list[float] = []
    py_times: list[float] = []
    for index in range(args.answers):
        value = CHOICES[index % len(CHOICES)]
        start = time.perf_counter()
        status, body = api.call("PUT", f"/api/v1/sessions/{sid}/answers/{ITEM}", {"value": value}, seq)
        http_times.append(time.perf_counter() - start)
        assert status == 200, body
        seq = body["seq"]
        start = time.perf_counter()
        outcome = interview.answer(ITEM, value)
        py_times.append(time.perf_counter() - start)
        assert outcome.ok
    store.close()
    print(line("HTTP PUT answer (SQLite)", http_times))
    print(line("Interview.answer (SQLite)", py_times))
    overhead = (statistics.median(http_times) - statistics.median(py_times)) * 1000
    print(f"HTTP overhead over the Python API: {overhead:.3f} ms median (target at most 1 ms)")
    load(args, login)


def load(args: argparse.Namespace, login: Login) -> None:
    times: list[float] = []
    lost: list[int] = []
    lock = threading.Lock()

    def client() -> None:
        api = Api(login)
        _, state = api.call("POST", "/api/v1/sessions", {"advisor": "Load"})
        sid, seq = state["id"], state["seq"]
        acknowledged = []
        mine = []
        for index in range(args.per_client):
            start = time.perf_counter()
            status, body = api.call("PUT", f"/api/v1/sessions/{sid}/answers/{ITEM}",
                                    {"value": CHOICES[index % len(CHOICES)]}, seq)
            mine.append(time.perf_counter() - start)
            assert status == 200, body
            seq = body["seq"]
            acknowledged.append(seq)
        _, events = api.call("GET", f"/api/v1/sessions/{sid}/events")
        stored = {e["seq"] for e in events["events"]}
        with lock:
            times.extend(mine)
            lost.extend(s for s in acknowledged if s not in stored)

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    ms = [t * 1000 for t in times]
    print(f"load: {args.clients} clients x {args.per_client} answers, {len(times)} acknowledged, "
          f"{len(lost)} lost, {wall:.2f} s wall, {len(times) / wall:.0f} answers/s; per answer p50 "
          f"{statistics.median(ms):.2f} ms, p99 {percentile(ms, 0.99):.2f} ms")


if __name__ == "__main__":
    main()
