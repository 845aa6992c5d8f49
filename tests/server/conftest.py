"""Fixtures of the HTTP API tests: one compiled program, apps over fresh stores, signed-in clients."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # starlette prefers httpx2 now; httpx is what the test extra installs
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from asiakasarvo_engine.scoring.program import ScoringProgram, load_program
from asiakasarvo_engine.server import ServerConfig, create_app
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore


@pytest.fixture(scope="session")
def program() -> ScoringProgram:
    return load_program()


def signed_in(client: TestClient) -> TestClient:
    """Spend the local server's one-time token and keep the CSRF token on every request."""
    token = client.app.state.ctx.auth.local_token  # type: ignore[attr-defined]
    response = client.get(f"/?token={token}", follow_redirects=False)
    assert response.status_code == 303
    me = client.get("/api/v1/me").json()
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    return client


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "sessions.sqlite3") as opened:
        yield opened


@pytest.fixture
def client(program: ScoringProgram, store: SQLiteStore) -> Iterator[TestClient]:
    app = create_app(ServerConfig(program, store))
    with TestClient(app, raise_server_exceptions=False) as raw:
        yield signed_in(raw)


@pytest.fixture
def app_store(program: ScoringProgram) -> tuple[Any, MemoryStore]:
    """An app over a fresh memory store, and the store (to read the log the app wrote)."""
    memory = MemoryStore()
    return create_app(ServerConfig(program, memory)), memory
