"""What the browser tests share: Debian's Chromium driven by Playwright (``executable_path``),
``asiakasarvo serve`` on loopback with its own store, pages that collect script errors, and
screenshots in ``build/screenshots/`` (or ``$ASIAKASARVO_SCREENSHOTS``).

Without Chromium or Playwright the browser tests skip, except when ``CI`` is set: then they
fail, so CI never passes without having run them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

CHROMIUM = os.environ.get("ASIAKASARVO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("ASIAKASARVO_SCREENSHOTS", Path(__file__).parents[2] / "build" / "screenshots"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None  # type: ignore[assignment]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if sync_playwright is None:
        return "playwright is not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def skip_without_browser() -> None:
    """At a test module's top: skip it without a browser, unless CI is set."""
    if missing() is not None and not os.environ.get("CI"):
        pytest.skip(missing() or "", allow_module_level=True)


class Server:
    """``asiakasarvo serve`` in local mode on a free port, with its store (stderr to ``log``)."""

    def __init__(self, store: Path, log: Path | None = None) -> None:
        self.store = store
        self.log: IO[str] | None = log.open("w") if log is not None else None
        exe = Path(sys.executable).with_name("asiakasarvo")
        self.proc = subprocess.Popen(
            [str(exe), "serve", "--port", "0", "--no-browser", "--store", str(store)],
            stdout=subprocess.PIPE,
            stderr=self.log if self.log is not None else subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert "?token=" in self.url, self.url
        self.base = self.url.split("/?token=")[0]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=20)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        if self.log is not None:
            self.log.close()


def launch(playwright: Any) -> Browser:
    """Debian's Chromium, headless."""
    browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return browser


def new_page(chromium: Browser, url: str, **options: Any) -> tuple[Any, Page]:
    """A fresh context and page at ``url``; script errors collect in ``page.errors``."""
    context = chromium.new_context(**{"locale": "fi-FI", "viewport": {"width": 1400, "height": 1000},
                                      **options})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(url)
    return context, page


def shot(page: Page, name: str) -> None:
    """A full-page screenshot for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
