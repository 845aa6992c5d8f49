"""Live changes of the shared store: another program's write to PostgreSQL wakes the
server's streams at once (LISTEN/NOTIFY carrying ids only)."""

from __future__ import annotations

import queue
import warnings

from example_sessions import program
from session_factory import answered, sample_log

from asiakasarvo_engine.server.app import ServerConfig, create_app
from asiakasarvo_engine.session.postgres_store import PostgresStore

with warnings.catch_warnings():  # starlette prefers httpx2 now; httpx is what the test extra installs
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_a_write_by_another_program_wakes_the_servers_streams(pg_url: str) -> None:
    served, other = PostgresStore(pg_url), PostgresStore(pg_url)
    app = create_app(ServerConfig(program(), served))
    woken: queue.Queue[tuple[str, int]] = queue.Queue()
    hub = app.state.ctx.hub
    wake = hub.notify

    def record(session_id: str, seq: int = 0) -> None:
        if session_id == "muualla":  # the server is one of many on the test database
            woken.put((session_id, seq))
        wake(session_id, seq)

    hub.notify = record
    with TestClient(app):
        assert app.state.watcher.listening.wait(10)
        other.create_log("muualla", sample_log(1)[:2])
        other.append("muualla", 2, answered(3))
        got = [woken.get(timeout=10) for _ in range(3)]
    assert got == [("muualla", 1), ("muualla", 2), ("muualla", 3)]
    served.close()
    other.close()
