"""The workbench and the API start a session in an agenda variant, and the meeting view's
"next" follows it (issue 16, item 1)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from test_workbench import Browser

from asiakasarvo_engine.session.events import Started
from asiakasarvo_engine.session.store import MemoryStore

SEGMENTS = "business_model.bmc_value_propositions"


def _next_of(browser: Browser, session_id: str, item: str) -> str | None:
    page = browser.get(f"/wb/s/{session_id}?item={item}")
    assert page.status_code == 200, page.text
    found = re.search(r'data-key="next"[^>]*hx-post="/wb/s/[^/]+/goto/([a-z0-9_.]+)"', page.text)
    return found.group(1) if found else None


def _start(browser: Browser, variant: str | None) -> str:
    body: dict[str, Any] = {"company_name": "Testi Oy", "business_id": ""}
    if variant is not None:
        body["variant"] = variant
    response = browser.send("POST", "/wb/sessions", body)
    assert response.status_code == 204, response.text
    return str(response.headers["hx-redirect"].rsplit("/", 1)[-1])


def test_the_start_form_offers_the_variants_with_their_minutes(app_store: tuple[Any, MemoryStore]) -> None:
    browser = Browser(TestClient(app_store[0]))
    page = browser.get("/wb/")
    assert '<select id="variant" name="variant">' in page.text
    assert re.search(r'<option value="core">[^<]*200 min</option>', page.text)
    assert re.search(r'<option value="core_3h">[^<]*180 min</option>', page.text)


def test_a_core_session_from_the_workbench_skips_the_extended_canvas_blocks(
        app_store: tuple[Any, MemoryStore]) -> None:
    browser = Browser(TestClient(app_store[0]))
    core = _start(browser, "core")
    started = app_store[1].events(core)[0]
    assert isinstance(started, Started) and started.variant == "core"
    assert _next_of(browser, core, SEGMENTS) == "business_model.bmc_revenue_streams"
    # an extended item reached by a jump goes on to the next core item
    assert _next_of(browser, core, "business_model.bmc_channels") == "business_model.bmc_revenue_streams"
    full = _start(browser, "full")
    assert _next_of(browser, full, SEGMENTS) == "business_model.bmc_channels"


def test_an_unknown_variant_is_shown_and_starts_nothing(app_store: tuple[Any, MemoryStore]) -> None:
    browser = Browser(TestClient(app_store[0]))
    response = browser.send("POST", "/wb/sessions", {"company_name": "Testi Oy", "variant": "kore"})
    assert response.status_code == 422
    assert "SES-010" in response.text and "core" in response.text
    assert app_store[1].sessions() == []


def test_the_api_starts_a_session_in_a_variant_and_shows_it(client: TestClient) -> None:
    made = client.post("/api/v1/sessions", json={"company": {"name": "Testi Oy"}, "variant": "core_3h"})
    assert made.status_code == 201, made.text
    assert made.json()["variant"] == "core_3h"
    again = client.get(f"/api/v1/sessions/{made.json()['id']}")
    assert again.json()["variant"] == "core_3h"
    refused = client.post("/api/v1/sessions", json={"company": {"name": "Testi Oy"}, "variant": "kore"})
    assert refused.status_code == 422 and refused.json()["code"] == "SES-010"
