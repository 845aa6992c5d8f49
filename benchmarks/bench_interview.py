"""Benchmark: the shared interactive-session workload replayed through the interview API.

Run: .venv/bin/python benchmarks/bench_interview.py [--sessions N] [--sqlite-sessions M] [--dir PATH]

The workload (``../shared/bench/synthetic150.json``, see its README) is converted into a
bank and a minimal rule set (``benchmarks/synthetic150.py``); ``answers150.json`` is the
advisor's script of 123 answers. Each session starts an interview, goes to each section
as the script reaches it (not timed) and times every ``Interview.answer`` call: the full
path of an answer (validation, the event, the store's append, incremental visibility,
required, calculated values, live section and overall scores, progress, the outcome).
Every session must reach the documented end state (123 visible, 27 hidden, 23 visible and
required, cv_total 76, cv_band "mid", e_numbers_sum 317, e_total_pct 63.33...).

Printed, per answer (median, p95, p99) and per session:

* the interview over ``MemoryStore`` (a new store per session, as an embedding tool holds
  one session);
* the interview over the SQLite store (a file in a temporary folder, or ``--dir``);
* for comparison, a naive full re-evaluation after each answer with the same compiled
  bank and rules (``CompiledBank.evaluate``, and that plus the scoring engine's ``evaluate``);
* ``SQLiteStore.append`` alone, with prebuilt events;
* a bare SQLite ``BEGIN IMMEDIATE; INSERT; COMMIT`` of the same event bodies into the same
  table, with the store's durability settings (WAL, ``synchronous = FULL``).

The three SQLite figures are taken interleaved, answer by answer (see ``bench_sqlite``),
because the disk's fsync latency drifts by an order of magnitude over a run. Every timed
call there starts right after an untimed wait for the disk, as an answer in a live session
starts after idle time: Python code that runs after a wait is about three times slower than
warm, and no call may run with the caches the call before it just warmed (the interview
over SQLite right after the same answer in memory was about 30 us faster).

Targets (issue 20): in memory a median of at most 20 us per answer; with the store a median
of at most 100 us over the bare insert and commit with the same durability, measured in the
same run, each call cold after the fsync (issue 7's +20 % is printed beside it). These
machines are noisy: compare figures of one run, and run it several times. On a busy
machine a few answers take a whole scheduler time slice (about 4 ms) longer; they show in
p99, the "over 1 ms" count and the session totals, not in the medians.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synthetic150 import WORKLOAD, Workload, available, end_state_problems, load_workload

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.scoring.engine import evaluate
from asiakasarvo_engine.scoring.result import Company, Pin
from asiakasarvo_engine.session.events import Answered, Started, event_to_json
from asiakasarvo_engine.session.interview import Interview, utc_now
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore, Store

MEMORY_TARGET_US = 20.0
STORE_OVER_BARE_TARGET_US = 100.0
STORE_OVERHEAD_TARGET = 0.20
"""Issue 7's relative target, printed for comparison."""


def _us(ns: float) -> float:
    return ns / 1000


def _summary(times: list[int]) -> tuple[float, float, float]:
    """Median, p95 and p99 in microseconds."""
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return _us(statistics.median(times)), _us(cuts[94]), _us(cuts[98])


def _line(label: str, times: list[int], sessions: list[int]) -> str:
    median, p95, p99 = _summary(times)
    whole = f"; session median {_us(statistics.median(sessions)) / 1000:.2f} ms" if sessions else ""
    slow = sum(1 for t in times if t > 1_000_000)
    return (f"  {label:<44} median {median:8.1f} us   p95 {p95:8.1f} us   p99 {p99:8.1f} us"
            f"   ({len(times)} answers, {slow} over 1 ms{whole})")


def replay(workload: Workload, store: Store) -> tuple[list[int], Interview]:
    """One session of the script; the time of each answer call in nanoseconds."""
    interview = Interview.start(workload.program, store, company="Synteettinen Oy", advisor="Anna Neuvoja")
    clock = time.perf_counter_ns
    times: list[int] = []
    for name, value in workload.answers:
        if interview.position.section != name.partition(".")[0]:
            interview.go_to(name)
        started = clock()
        outcome = interview.answer(name, value)
        times.append(clock() - started)
        if not outcome.ok:
            raise SystemExit(f"{name}: refused: {outcome.problems}")
    live = interview.live
    problems = end_state_problems(workload, live.hidden, live.required, live.calculated)
    if problems:
        raise SystemExit("the replay did not reach the documented end state: " + "; ".join(problems))
    return times, interview


def bench_interview(workload: Workload, make_store: Callable[[], Store], sessions: int, *, fresh: bool,
                    ) -> tuple[list[int], list[int]]:
    """Per-answer and per-session times of ``sessions`` replays, each in a store of its own
    (``fresh``: an in-memory store holds only its own session, as in an embedding tool) or
    all in one store (a store file that holds many sessions)."""
    shared = None if fresh else make_store()
    answers: list[int] = []
    totals: list[int] = []
    try:
        for round_ in range(sessions + 1):  # the first round warms up
            store = make_store() if shared is None else shared
            gc.collect()
            times, _ = replay(workload, store)
            if shared is None:
                store.close()
            if round_:
                answers += times
                totals.append(sum(times))
    finally:
        if shared is not None:
            shared.close()
    return answers, totals


def bench_naive(workload: Workload, sessions: int, *, with_scores: bool) -> tuple[list[int], list[int]]:
    """A full re-evaluation after each answer, with the same compiled bank and rules."""
    program = workload.program
    bank = program.bank
    clock = time.perf_counter_ns
    answers: list[int] = []
    totals: list[int] = []
    for round_ in range(sessions + 1):
        gc.collect()
        values: dict[str, object] = {}
        entries: dict[str, AnswerEntry] = {}
        times: list[int] = []
        for name, value in workload.answers:
            entry = AnswerEntry(value=value)
            started = clock()
            values[name] = value
            state = bank.evaluate(values)
            if with_scores:
                entries[name] = entry
                evaluate(program, entries)
            times.append(clock() - started)
        problems = end_state_problems(workload, state.hidden, state.required, state.calculated)
        if problems:
            raise SystemExit("the naive replay did not reach the end state: " + "; ".join(problems))
        if round_:
            answers += times
            totals.append(sum(times))
    return answers, totals


_INSERT = "INSERT INTO events (session_id, seq, type, time, body) VALUES (?, ?, ?, ?, ?)"


def _bare_connection(path: Path) -> sqlite3.Connection:
    """A plain connection with the store's durability settings and its table."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL CHECK (seq >= 1),"
                 " body TEXT NOT NULL, type TEXT NOT NULL DEFAULT '', time TEXT NOT NULL DEFAULT '',"
                 " PRIMARY KEY (session_id, seq)) WITHOUT ROWID")
    conn.execute("CREATE INDEX events_by_type ON events (type, session_id, seq)")
    return conn


def bench_sqlite(workload: Workload, folder: Path, sessions: int,
                 ) -> tuple[list[int], list[int], list[int], list[int], list[int]]:
    """The interview over the SQLite store, interleaved answer by answer with the same event
    appended by ``SQLiteStore.append`` alone and inserted bare (``BEGIN IMMEDIATE; INSERT;
    COMMIT``), each into its own file in ``folder``, and with the same answer to an interview
    over ``MemoryStore``: all see the same disk at the same moments (fsync latency drifts a
    lot over time), and the in-memory interview shows what the Python work costs when it runs
    right after a wait for the disk. The order of the four rotates, and each timed call
    starts right after an untimed durable commit to a file of its own (``wait_for_disk``),
    so each starts equally cold.

    Returns per-answer times of the interview, the append, the bare insert and the in-memory
    interview, and the SQLite interview's per-session totals.
    """
    store = SQLiteStore(folder / "sessions.sqlite3")
    appends = SQLiteStore(folder / "append.sqlite3")
    bare = _bare_connection(folder / "bare.sqlite3")
    cursor = bare.cursor()
    pause = _bare_connection(folder / "pause.sqlite3")
    pause_cursor = pause.cursor()
    waits = itertools.count(1)

    def wait_for_disk() -> None:
        pause_cursor.execute("BEGIN IMMEDIATE")
        pause_cursor.execute(_INSERT, ("pause", next(waits), "", "", ""))
        pause_cursor.execute("COMMIT")

    clock = time.perf_counter_ns
    pin = Pin(id="synthetic150", version="1.0.0", hash="sha256:" + "0" * 64)
    timed: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
    totals: list[int] = []
    try:
        for round_ in range(sessions + 1):  # the first round warms up
            interview = Interview.start(workload.program, store, company="Synteettinen Oy", advisor="Anna")
            in_memory = Interview.start(workload.program, MemoryStore(), company="Synteettinen Oy",
                                        advisor="Anna")
            other = f"other-{round_}"
            appends.create(other, Started(seq=1, time=utc_now(), author="Anna", advisor="Anna",
                                          company=Company(name="X"), bank=pin, rules=pin))
            seq = 1
            session = 0
            for index, (name, value) in enumerate(workload.answers):
                if interview.position.section != name.partition(".")[0]:
                    interview.go_to(name)
                    in_memory.go_to(name)
                elapsed = [0, 0, 0, 0]
                for step in range(4):
                    kind = (index + step) % 4
                    if kind == 3:
                        wait_for_disk()
                        started = clock()
                        in_memory.answer(name, value)
                        elapsed[3] = clock() - started
                    elif kind == 0:
                        wait_for_disk()
                        started = clock()
                        outcome = interview.answer(name, value)
                        elapsed[0] = clock() - started
                        if not outcome.ok:
                            raise SystemExit(f"{name}: refused: {outcome.problems}")
                        event = interview.events[-1]
                        assert isinstance(event, Answered)
                    elif kind == 1:
                        copy = Answered(seq=seq + 1, time=utc_now(), author="Anna", item=name, value=value)
                        wait_for_disk()
                        started = clock()
                        appends.append(other, seq, copy)
                        elapsed[1] = clock() - started
                    else:
                        body = event_to_json(Answered(seq=seq + 1, time=utc_now(), author="Anna", item=name,
                                                      value=value))
                        wait_for_disk()
                        started = clock()
                        cursor.execute("BEGIN IMMEDIATE")
                        cursor.execute(_INSERT, (other, seq + 1, "answered", "", body))
                        cursor.execute("COMMIT")
                        elapsed[2] = clock() - started
                seq += 1
                if round_:
                    for kind in range(4):
                        timed[kind].append(elapsed[kind])
                    session += elapsed[0]
            live = interview.live
            problems = end_state_problems(workload, live.hidden, live.required, live.calculated)
            if problems:
                raise SystemExit("the SQLite replay did not reach the end state: " + "; ".join(problems))
            if round_:
                totals.append(session)
    finally:
        store.close()
        appends.close()
        bare.close()
        pause.close()
    return timed[0], timed[1], timed[2], timed[3], totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=200, help="in-memory sessions (123 answers each)")
    parser.add_argument("--sqlite-sessions", type=int, default=8, help="sessions with the SQLite store")
    parser.add_argument("--dir", type=Path, default=None,
                        help="folder for the SQLite files (default: a temporary folder)")
    args = parser.parse_args()
    if not available():
        raise SystemExit(f"the shared workload is not at {WORKLOAD} (set ASIAKASARVO_SHARED)")
    loading = time.perf_counter()
    workload = load_workload()
    loaded_in = time.perf_counter() - loading
    print(f"workload: {len(workload.program.bank.items)} questions, {len(workload.answers)} answers; "
          f"converted, loaded and compiled in {loaded_in * 1000:.0f} ms")
    print(f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, {platform.machine()}")

    memory, memory_sessions = bench_interview(workload, MemoryStore, args.sessions, fresh=True)
    naive_bank, naive_bank_sessions = bench_naive(workload, args.sessions, with_scores=False)
    naive_all, naive_all_sessions = bench_naive(workload, args.sessions, with_scores=True)
    with tempfile.TemporaryDirectory(prefix="bench-interview-", dir=args.dir) as tmp:
        folder = Path(tmp)
        print(f"SQLite files in {folder}")
        sqlite, appends, bare, cold, sqlite_sessions = bench_sqlite(workload, folder, args.sqlite_sessions)

    print("per answer:")
    print(_line("interview, MemoryStore", memory, memory_sessions))
    print(_line("naive: CompiledBank.evaluate after each", naive_bank, naive_bank_sessions))
    print(_line("naive: + scoring evaluate after each", naive_all, naive_all_sessions))
    print(_line("interview, SQLite store", sqlite, sqlite_sessions))
    print(_line("SQLiteStore.append alone", appends, []))
    print(_line("bare INSERT+COMMIT (WAL, synchronous=FULL)", bare, []))
    print(_line("interview, MemoryStore, between the fsyncs", cold, []))

    median = _summary(memory)[0]
    verdict = "met" if median <= MEMORY_TARGET_US else "MISSED"
    print(f"in memory: median {median:.1f} us per answer; target at most {MEMORY_TARGET_US:.0f} us: "
          f"{verdict} ({_summary(naive_all)[0] / median:.1f}x faster than re-evaluating bank and scores "
          "in full)")
    bare_median = _summary(bare)[0]
    sqlite_median = _summary(sqlite)[0]
    over_us = sqlite_median - bare_median
    verdict = "met" if over_us <= STORE_OVER_BARE_TARGET_US else "MISSED"
    print(f"with the store: median {sqlite_median:.1f} us vs bare insert+commit {bare_median:.1f} us: "
          f"{over_us:+.1f} us; target at most +{STORE_OVER_BARE_TARGET_US:.0f} us: {verdict}")
    over = sqlite_median / bare_median - 1
    verdict = "met" if over <= STORE_OVERHEAD_TARGET else "missed"
    print(f"  relative: {over:+.0%} (issue 7's at most +{STORE_OVERHEAD_TARGET:.0%}: {verdict}; it depends "
          f"on the disk's fsync time, hence the absolute target)")
    paired = [a - b for a, b in zip(sqlite, bare, strict=True)]
    appended = [a - b for a, b in zip(appends, bare, strict=True)]
    print(f"  paired, answer by answer: the interview takes {_us(statistics.median(paired)):+.1f} us "
          f"over the bare insert (median difference), SQLiteStore.append alone "
          f"{_us(statistics.median(appended)):+.1f} us; the in-memory interview's work between the "
          f"fsyncs takes {_us(statistics.median(cold)):.1f} us (warm: {median:.1f} us)")


if __name__ == "__main__":
    main()
