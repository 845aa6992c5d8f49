"""Faults of the shared store: a writer killed with SIGKILL, the database stopped with
``pg_ctl stop -m immediate`` mid-run and restarted: no acknowledged answer is lost, and
while the database is down every write is a clear SES-040. Runs on a private cluster it
starts itself, when the PostgreSQL binaries exist."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import PrivateCluster, pg_bin

from asiakasarvo_engine.session.postgres_store import PostgresStore

WORKER = Path(__file__).with_name("pg_fault_worker.py")

pytestmark = pytest.mark.skipif(pg_bin() is None, reason="no PostgreSQL binaries (initdb, pg_ctl) here")


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    made = PrivateCluster()
    yield made
    made.destroy()


class Writer:
    """A writer process and what it acknowledged."""

    def __init__(self, url: str, session: str) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(WORKER.parent), *sys.path]))
        self.proc = subprocess.Popen([sys.executable, str(WORKER), url, session], stdout=subprocess.PIPE,
                                     text=True, env=env)
        self.acked: list[int] = []
        self.down: list[str] = []
        assert self.line() == "ready"

    def line(self) -> str:
        assert self.proc.stdout is not None
        text = self.proc.stdout.readline()
        assert text, "the writer ended"
        return text.rstrip("\n")

    def until(self, acked: int | None = None, down: int | None = None) -> None:
        """Read its lines until it acknowledged ``acked`` more answers or reported ``down`` failures."""
        target_ok = len(self.acked) + (acked or 0)
        target_down = len(self.down) + (down or 0)
        while (acked is not None and len(self.acked) < target_ok) or (
                down is not None and len(self.down) < target_down):
            text = self.line()
            if text.startswith("ok "):
                self.acked.append(int(text[3:]))
            elif text.startswith("down "):
                self.down.append(text[5:])

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        assert self.proc.stdout is not None
        for text in self.proc.stdout.read().splitlines():  # acknowledged before it died
            if text.startswith("ok "):
                self.acked.append(int(text[3:]))
        self.proc.stdout.close()


def stored_seqs(url: str, session: str) -> list[int]:
    with PostgresStore(url) as store:
        return [e.seq for e in store.events(session)]


def test_a_writer_killed_with_sigkill_loses_no_acknowledged_answer(cluster: PrivateCluster) -> None:
    writer = Writer(cluster.url, "killed")
    writer.until(acked=200)
    writer.kill()
    seqs = stored_seqs(cluster.url, "killed")
    assert seqs == list(range(1, len(seqs) + 1))
    assert set(writer.acked) <= set(seqs)
    assert max(writer.acked) >= 201
    # Another writer carries on where the log ends.
    again = Writer(cluster.url, "killed")
    again.until(acked=10)
    again.kill()
    assert stored_seqs(cluster.url, "killed")[-1] >= len(seqs) + 10


def test_an_immediate_stop_and_restart_of_the_database_loses_no_acknowledged_answer(
        cluster: PrivateCluster) -> None:
    writer = Writer(cluster.url, "restarted")
    try:
        writer.until(acked=150)
        cluster.stop("immediate")
        writer.until(down=5)
        cluster.start()
        writer.until(acked=150)
    finally:
        writer.kill()
    assert all(text.startswith("SES-040 tietokantaan ei saada yhteyttä: postgresql://postgres@/postgres")
               for text in writer.down), writer.down[:3]
    seqs = stored_seqs(cluster.url, "restarted")
    assert seqs == list(range(1, len(seqs) + 1))
    assert set(writer.acked) <= set(seqs)
    assert len(writer.acked) >= 300


def test_an_interview_carries_on_when_the_database_is_back(cluster: PrivateCluster) -> None:
    from example_sessions import program

    from asiakasarvo_engine.scoring.result import Company
    from asiakasarvo_engine.session.interview import Interview
    from asiakasarvo_engine.session.store import StoreUnavailableError

    shipped = program()
    store = PostgresStore(cluster.url)
    interview = Interview.start(shipped, store, company=Company(name="Katkos Oy"), advisor="Anna")
    item = "basic_info.company_name"
    assert interview.answer(item, "Katkos Oy").ok
    before = len(store.events(interview.session_id))
    cluster.stop("immediate")
    try:
        with pytest.raises(StoreUnavailableError) as caught:
            interview.note("Verkko katkesi.")
        assert caught.value.code == "SES-040"
    finally:
        cluster.start()
    interview.note("Verkko palasi.")
    log = store.events(interview.session_id)
    assert len(log) == before + 1
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert log[-1].text == "Verkko palasi."  # type: ignore[union-attr]
    again = Interview.open(shipped, store, interview.session_id)
    assert again.answers[item].value == "Katkos Oy"
    store.close()


def test_the_terminal_interview_says_ses_040_in_finnish_while_down_and_goes_on(
        cluster: PrivateCluster) -> None:
    import queue
    import threading

    command = str(Path(sys.executable).with_name("asiakasarvo"))
    proc = subprocess.Popen([command, "interview", "--store", cluster.url, "--company", "Pääte Oy"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    output = proc.stdout

    def pump() -> None:
        for line in output:
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen: list[str] = []

    def until(text: str) -> None:
        while not any(text in line for line in seen):
            try:
                seen.append(lines.get(timeout=60))  # a hang guard only
            except queue.Empty:
                pytest.fail(f"no {text!r} from the interview; last lines: {seen[-5:]}")

    try:
        until("Istunto:")
        proc.stdin.write(":note ennen katkosta\n")
        until("ennen katkosta")
        cluster.stop("immediate")
        try:
            proc.stdin.write(":note katkoksen aikana\n")
            until("virhe SES-040: tietokantaan ei saada yhteyttä")
        finally:
            cluster.start()
        proc.stdin.write(":note katkoksen jälkeen\n:quit\n")
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(timeout=10)
        proc.stdout.close()
        if not proc.stdin.closed:
            proc.stdin.close()
    while not lines.empty():
        seen.append(lines.get())
    assert "Traceback" not in "".join(seen)
    with PostgresStore(cluster.url) as store:
        [summary] = [s for s in store.sessions() if s.company == "Pääte Oy"]
        notes = [e.text for e in store.events(summary.id) if e.type == "note_added"]  # type: ignore[union-attr]
    assert notes == ["ennen katkosta", "katkoksen jälkeen"]
