"""The browser tests' Chromium: one per test module (see browser_support)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import launch, missing, sync_playwright


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    problem = missing()
    if problem is not None:
        pytest.fail(f"CI is set but the browser tests cannot run: {problem}")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
