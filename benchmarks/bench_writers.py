"""Benchmark: N advisors' processes writing to one session store at once (issue 13, item 5).

Run: .venv/bin/python benchmarks/bench_writers.py [--writers 2,4,8] [--seconds S] [--store-path DIR]

For each N, N separate processes (multiprocessing, spawn) write to ONE store file in a
temporary folder (or in ``--store-path``). Each is an advisor's runner: it starts sessions
of its own and answers them with ``Interview.answer`` through ``SQLiteStore``, replaying the
shared synthetic workload's script (``../shared/bench``, see ``bench_interview.py``) as fast
as it can for S seconds after a common start barrier. Every answer is timed from the call
to its return (the wait an advisor sees: the interview's work, waiting for the write lock,
and the durable commit) and stamped with the monotonic clock when it returned; the stamps
of all writers merged by time give the order in which the writers committed.

Three variants of the same workload, each on a fresh file:

* ``turns``: the store as shipped (its own jittered retries and writer turns);
* ``retries only``: the same store with :class:`WriterTurns` switched off in the writer
  processes (jittered retries alone), to show what the turns add;
* ``sqlite``: plain SQLite as a program would use it by default: the same interview over
  ``MemoryStore``, then its event inserted with ``PRAGMA busy_timeout = 10000``, WAL,
  ``synchronous = FULL`` and ``BEGIN IMMEDIATE; INSERT; COMMIT`` (SQLite's busy handler).

Printed per N and variant, as a Markdown table: answers per second (all writers together),
the median, p95, p99 and worst wait per answer, the longest run of consecutive commits by
one writer (in answers), each writer's share of the answers (smallest and largest), and
how many writes gave up at the 10 s bound (SES-030; for plain SQLite "database is locked"),
which should be 0. Session starts and section changes also write; they are not timed or
counted, only answers are. The machine's cores bound the throughput: with more writers
than cores the processes also wait for the CPU, which shows in the waits.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from synthetic150 import WORKLOAD, Workload, available, load_workload

from asiakasarvo_engine.errors import StoreBusyError
from asiakasarvo_engine.session.events import event_to_json
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import WRITE_WAIT_S, SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore, Store
from asiakasarvo_engine.session.writer_turns import WriterTurns

VARIANTS = ("turns", "retries only", "sqlite")
_INSERT = "INSERT INTO events (session_id, seq, type, time, body) VALUES (?, ?, ?, ?, ?)"
_START_TIMEOUT_S = 120.0


@dataclass
class WriterLog:
    """What one writer process did: per answer its wait and when it returned (ns)."""

    waits: list[int]
    stamps: list[int]
    gave_up: int = 0


class _PlainWriter:
    """The baseline: the interview's work in memory, its event inserted by plain SQLite."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=WRITE_WAIT_S)
        self.conn.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_S * 1000)}")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.cursor = self.conn.cursor()

    def commit(self, session_id: str, interview: Interview) -> None:
        event = interview.events[-1]
        self.cursor.execute("BEGIN IMMEDIATE")
        self.cursor.execute(_INSERT, (session_id, event.seq, event.type, event.time, event_to_json(event)))
        self.cursor.execute("COMMIT")


def _setup_plain(path: Path) -> None:
    """The baseline's file: WAL and the store's table, created before the writers start."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL CHECK (seq >= 1),"
                 " body TEXT NOT NULL, type TEXT NOT NULL DEFAULT '', time TEXT NOT NULL DEFAULT '',"
                 " PRIMARY KEY (session_id, seq)) WITHOUT ROWID")
    conn.close()


@dataclass(frozen=True)
class Job:
    """One writer process's task."""

    variant: str
    path: Path
    name: str
    seconds: float


def writer(job: Job, barrier: Barrier, results: multiprocessing.Queue[Any]) -> None:
    """One advisor's process: sessions of its own, answered as fast as it can for ``seconds``."""
    workload = load_workload()
    if job.variant == "retries only":
        WriterTurns.let_others_go = lambda self: None  # type: ignore[method-assign]
        WriterTurns.wait = lambda self: False  # type: ignore[method-assign]
    plain = _PlainWriter(job.path) if job.variant == "sqlite" else None
    store = SQLiteStore(job.path) if plain is None else None
    log = WriterLog([], [])
    clock = time.monotonic_ns
    barrier.wait(_START_TIMEOUT_S)
    deadline = clock() + int(job.seconds * 1e9)
    sessions = 0
    while clock() < deadline:
        sessions += 1
        session_id = f"{job.name}-{sessions}"
        interview = _start(log, workload, store if store is not None else MemoryStore(), session_id, plain)
        for item, value in workload.answers:
            if clock() >= deadline:
                break
            if interview.position.section != item.partition(".")[0]:
                interview.go_to(item)
            while True:
                asked = clock()
                try:
                    outcome = interview.answer(item, value)
                    if plain is not None:
                        plain.commit(session_id, interview)
                except (StoreBusyError, sqlite3.OperationalError):
                    log.gave_up += 1
                    log.waits.append(clock() - asked)
                    continue
                done = clock()
                break
            if not outcome.ok:
                raise SystemExit(f"{item}: refused: {outcome.problems}")
            log.waits.append(done - asked)
            log.stamps.append(done)
    if store is not None:
        store.close()
    results.put((job.name, log))


def _start(log: WriterLog, workload: Workload, store: Store, session_id: str,
           plain: _PlainWriter | None) -> Interview:
    """Start a session (not timed); a write that gave up at the bound is counted and repeated."""
    while True:
        try:
            interview = Interview.start(workload.program, store, company=f"Asiakas {session_id} Oy",
                                        advisor="Anna Neuvoja", session_id=session_id)
            break
        except StoreBusyError:
            log.gave_up += 1
    while plain is not None:
        try:
            plain.commit(session_id, interview)
            break
        except sqlite3.OperationalError:
            log.gave_up += 1
    return interview


def run(variant: str, writers: int, seconds: float, folder: Path) -> dict[str, WriterLog]:
    """``writers`` processes of ``variant`` on one new file in ``folder``."""
    path = folder / f"{variant.replace(' ', '-')}-{writers}.sqlite3"
    if variant == "sqlite":
        _setup_plain(path)
    else:
        SQLiteStore(path).close()  # created and set up before the writers open it
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(writers)
    results: multiprocessing.Queue[Any] = ctx.Queue()
    procs = [ctx.Process(target=writer, args=(Job(variant, path, f"w{n}", seconds), barrier, results))
             for n in range(writers)]
    for proc in procs:
        proc.start()
    logs: dict[str, WriterLog] = {}
    try:
        for _ in procs:
            name, log = results.get(timeout=_START_TIMEOUT_S + seconds + 4 * WRITE_WAIT_S)
            logs[name] = log
    finally:
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
    return logs


def longest_run(logs: dict[str, WriterLog]) -> int:
    """The most answers one writer committed in a row (all writers' stamps merged by time)."""
    order = sorted((stamp, name) for name, log in logs.items() for stamp in log.stamps)
    best = streak = 0
    previous = None
    for _, name in order:
        streak = streak + 1 if name == previous else 1
        previous = name
        best = max(best, streak)
    return best


def row(variant: str, writers: int, seconds: float, logs: dict[str, WriterLog]) -> str:
    """One line of the Markdown table."""
    waits = [w for log in logs.values() for w in log.waits]
    answers = sum(len(log.stamps) for log in logs.values())
    cuts = statistics.quantiles(waits, n=100, method="inclusive")
    shares = [len(log.stamps) / answers for log in logs.values()]

    def ms(ns: float) -> str:
        return f"{ns / 1e6:.1f}" if ns >= 1e6 else f"{ns / 1e6:.2f}"

    return (f"| {writers} | {variant} | {answers / seconds:,.0f} | {ms(statistics.median(waits))} | "
            f"{ms(cuts[94])} | {ms(cuts[98])} | {ms(max(waits))} | {longest_run(logs):,} | "
            f"{min(shares):.0%}–{max(shares):.0%} | {sum(log.gave_up for log in logs.values())} |")


HEADER = ("| writers | variant | answers/s | median ms | p95 ms | p99 ms | worst ms | longest run "
          "| share min–max | SES-030 |\n|---:|---|---:|---:|---:|---:|---:|---:|---|---:|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", default="2,4,8", help="numbers of writer processes, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each group writes")
    parser.add_argument("--store-path", type=Path, default=None,
                        help="folder for the store files (default: a temporary folder)")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help=f"which of {', '.join(VARIANTS)} to run, comma-separated")
    args = parser.parse_args()
    counts = [int(n) for n in args.writers.split(",")]
    variants = [v.strip() for v in args.variants.split(",")]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        raise SystemExit(f"unknown variants: {', '.join(sorted(unknown))}")
    if not available():
        raise SystemExit(f"the shared workload is not at {WORKLOAD} (set ASIAKASARVO_SHARED)")
    print(f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, {platform.machine()}, "
          f"{os.cpu_count()} cores; {args.seconds:g} s per group; waits per answer in ms")
    if args.store_path is not None:
        args.store_path.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-writers-", dir=args.store_path) as tmp:
        print(f"store files in {tmp}\n")
        print(HEADER, flush=True)
        for writers in counts:
            for variant in variants:
                logs = run(variant, writers, args.seconds, Path(tmp))
                print(row(variant, writers, args.seconds, logs), flush=True)


if __name__ == "__main__":
    main()
