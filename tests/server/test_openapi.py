"""``schemas/openapi.json`` is what the running server describes (regenerate with
``python -m asiakasarvo_engine.server.openapi schemas/openapi.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import TestClient

COMMITTED = Path(__file__).resolve().parents[2] / "schemas" / "openapi.json"


def test_committed_openapi_matches_the_running_server(client: TestClient) -> None:
    served = client.get("/openapi.json").json()
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == served
    assert "/api/v1/sessions/{session_id}/answers/{item}" in served["paths"]
