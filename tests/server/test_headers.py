"""The security headers every response carries (a pure ASGI middleware adds them)."""

from __future__ import annotations

from conftest import TestClient


def test_api_responses_carry_the_security_headers_and_no_store(client: TestClient) -> None:
    created = client.post("/api/v1/sessions", json={"advisor": "Anna"})
    answered = client.put(
        f"/api/v1/sessions/{created.json()['id']}/answers/owner_strategy.documented",
        json={"value": "written"},
        headers={"If-Match": created.headers["ETag"]},
    )
    missing = client.get("/api/v1/nothing-here")
    for response in (created, answered, missing):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
    assert answered.status_code == 200
    assert answered.headers["ETag"] == f'"{answered.json()["seq"]}"'
    assert missing.status_code == 404


def test_a_header_the_route_set_is_kept_and_pages_are_not_no_store(client: TestClient) -> None:
    static = client.get("/wb/static/workbench.css")  # the route says how long to cache it
    assert static.status_code == 200
    assert static.headers.get_list("Cache-Control") == ["max-age=3600"]
    assert static.headers["X-Frame-Options"] == "DENY"
    docs = client.get("/openapi.json")
    assert docs.headers["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in docs.headers
