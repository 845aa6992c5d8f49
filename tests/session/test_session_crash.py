"""Crash test: a child answering in a loop is killed with SIGKILL at random moments.

Each round a child process opens the store, resumes the session and appends answers as
fast as it can, printing each seq only after ``append`` returned. The parent kills it
after a random delay, then opens the store itself: it must open cleanly, and every seq a
child printed must be in the log, numbered without gaps. The children of the next rounds
start before their turn, so their start-up (imports) overlaps the rounds before.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asiakasarvo_engine.session.events import Answered
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

WORKER = Path(__file__).with_name("session_store_worker.py")
ROUNDS = 15
AHEAD = 3  # children started ahead of their round

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def spawn(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WORKER), "crash", str(db), "s"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_writer_loses_no_returned_append(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    rng = random.Random(7)
    confirmed: set[int] = set()
    queue = [spawn(db) for _ in range(AHEAD)]
    try:
        _rounds(db, rng, confirmed, queue)
    finally:
        for child in queue:
            child.kill()
            child.communicate()
    assert len(confirmed) > ROUNDS


def _rounds(db: Path, rng: random.Random, confirmed: set[int], queue: list[subprocess.Popen[str]]) -> None:
    for round_no in range(ROUNDS):
        child = queue.pop(0)
        assert child.stdout is not None and child.stdin is not None
        ready = child.stdout.readline()
        assert ready == "ready\n", f"round {round_no}: child did not start: {child.communicate()[1]}"
        child.stdin.write("go\n")
        child.stdin.flush()
        if round_no + AHEAD < ROUNDS:
            queue.append(spawn(db))
        # Mostly kill inside the answering loop (after a first append returned); sometimes
        # right away, while the child is still resuming the session (or creating it).
        early = round_no > 0 and rng.random() < 0.2
        first = "" if early else child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.1))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, f"round {round_no}: child failed:\n{err}"
        lines = (first + out).split("\n")[:-1]  # complete lines only
        assert all(line.isdigit() for line in lines if line), f"round {round_no}: {lines!r}"
        printed = {int(line) for line in lines if line}
        assert early or printed
        confirmed |= printed
        with SQLiteStore(db) as store:  # opens cleanly after the kill
            events = store.events("s")
        seqs = [e.seq for e in events]
        assert seqs == list(range(1, len(seqs) + 1)), f"round {round_no}: gaps in {seqs}"
        missing = confirmed - set(seqs)
        assert not missing, f"round {round_no}: returned appends lost: {sorted(missing)}"
        assert all(e.value == e.seq for e in events if isinstance(e, Answered))
