"""Benchmark: a keypress in the workbench to the updated live score, in real Chromium on loopback.

Run: .venv/bin/python benchmarks/bench_workbench.py [--presses N] [--chromium PATH]

Puts the small manufacturer's answers into a session of a SQLite store in a temporary
folder (so the sections have scores), starts ``asiakasarvo serve`` on it on 127.0.0.1,
opens the meeting view in headless Chromium (Debian's package, driven by Playwright) at a
Likert question, and moves its choice up and down the scale with the arrow keys, as a
person does. Each time is taken in the page, from the keydown to the moment the live
picture shows the new score (a MutationObserver), so it holds the save over HTTP, the
store's durable commit, the re-scoring and the swap. Printed: median, p95 and max
(target: median under 50 ms).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from asiakasarvo_engine._resources import examples_path
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.scoring.program import load_program
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

ITEM = "owner_strategy.owners_aligned"
_ARM = """
() => {
  const before = document.getElementById("live").textContent;
  window.__done = new Promise((resolve) => {
    let started = null;
    const mark = () => { started = performance.now(); };
    document.addEventListener("keydown", mark, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const live = document.getElementById("live");
      if (started !== null && live && live.textContent !== before) {
        observer.disconnect();
        resolve(performance.now() - started);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        exe = Path(sys.executable).with_name("asiakasarvo")
        store = Path(folder) / "sessions.sqlite3"
        session = _prepared(store)
        server = subprocess.Popen(
            [str(exe), "serve", "--port", "0", "--no-browser", "--store", str(store)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            times = _run(url, session, args.chromium, args.presses)
        finally:
            server.terminate()
            server.wait(timeout=20)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"keypress to updated live score, {len(times)} presses in Chromium on loopback:")
    median = statistics.median(times)
    print(f"  median {median:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms (target: median < 50 ms)")


def _prepared(store: Path) -> str:
    """A session holding the small manufacturer's answers; its id."""
    program = load_program()
    loaded = load_answers(examples_path() / "small_manufacturer.answers.yaml", program.bank)
    with SQLiteStore(store) as opened:
        interview = Interview.start(program, opened, company="Mittaus Oy", advisor="Benchmark")
        for name, entry in loaded.answers.items():
            interview.answer(name, entry.value, status=entry.status)
        return interview.session_id


def _run(url: str, session: str, chromium: str, presses: int) -> list[float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#session-rows")
        page.goto(f"{url.split('/?', maxsplit=1)[0]}/wb/s/{session}?item={ITEM}")
        page.wait_for_selector("#answer input[type=radio]")
        page.locator("#answer input[value='1']").check()  # and the focus is in the radio group
        page.wait_for_selector("#save-status .ok")
        times: list[float] = []
        position, step = 1, 1
        for index in range(presses + 10):
            if not 1 <= position + step <= 5:
                step = -step
            page.evaluate(_ARM)
            page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
            elapsed = page.evaluate("window.__done")
            position += step
            if index >= 10:  # the first presses warm the caches
                times.append(float(elapsed))
        browser.close()
    return times


if __name__ == "__main__":
    main()
