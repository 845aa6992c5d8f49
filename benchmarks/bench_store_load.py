"""Benchmark: a bounded load on the shared store, beside SQLite's (issue 19, item 7).

Run: .venv/bin/python benchmarks/bench_store_load.py [--writers 20] [--answers 500] [--url URL]

W writer processes (multiprocessing, spawn), each an advisor answering a session of its own,
append A answers as fast as they can after a common start barrier, each append a durable
commit through the store as shipped: ``PostgresStore`` over the local Unix socket connected
as the tables' owner, the same connected as an advisor's own role (so row-level security
checks every row it reads and writes), then ``SQLiteStore`` on one file in a temporary folder.
Every append is timed from the call to its return. The PostgreSQL server is ``--url``, else
``$ASIAKASARVO_TEST_POSTGRES``, else a private throwaway cluster started under a temporary
folder (Debian's binaries; as root it runs as the postgres user), stopped at the end; each
run uses a schema of its own.

Printed as a Markdown table per store: answers per second (all writers together), the
median (p50), p95, p99 and worst time per answer in ms, and the answers lost: the rows
counted afterwards against the answers acknowledged, which must be 0. The machine's cores
bound the throughput: with more writers than cores the processes also wait for the CPU.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "session"))

from pg_support import ENV, PrivateCluster, drop_schema, fresh_schema
from session_factory import answered, started

from asiakasarvo_engine.session.paths import open_store

_START_TIMEOUT_S = 120.0


def _writer(target: str, index: int, answers: int, barrier: Barrier, out: Any, *, advisor: str) -> None:
    store = open_store(target)
    session = f"load-{index:03d}"
    store.create(session, started(company=f"Kuormitus {index} Oy", advisor=advisor))
    barrier.wait(_START_TIMEOUT_S)
    waits: list[float] = []
    for seq in range(2, answers + 2):
        event = answered(seq, item=f"s1.q{seq % 40 + 1}", value=seq % 5 + 1)
        begun = time.perf_counter()
        store.append(session, seq - 1, event)
        waits.append(time.perf_counter() - begun)
    store.close()
    out.send(waits)
    out.close()


def run(target: str, writers: int, answers: int, advisor: str = "Anna Neuvoja") -> dict[str, float]:
    """One load: ``writers`` processes x ``answers`` appends on the store at ``target``."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(writers + 1)
    pipes, procs = [], []
    for index in range(writers):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_writer, args=(target, index, answers, barrier, send),
                           kwargs={"advisor": advisor})
        proc.start()
        send.close()
        pipes.append(receive)
        procs.append(proc)
    barrier.wait(_START_TIMEOUT_S)
    begun = time.perf_counter()
    waits: list[float] = []
    for receive in pipes:
        waits.extend(receive.recv())
    elapsed = time.perf_counter() - begun
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit(f"a writer failed (exit {proc.exitcode})")
    store = open_store(target)
    stored = sum(s.events - 1 for s in store.sessions() if s.id.startswith("load-"))
    store.close()
    ms = sorted(w * 1000 for w in waits)
    cut = statistics.quantiles(ms, n=100, method="inclusive")
    return {"rate": len(ms) / elapsed, "p50": statistics.median(ms), "p95": cut[94], "p99": cut[98],
            "max": ms[-1], "lost": len(ms) - stored, "acked": len(ms)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--url", default=os.environ.get(ENV, "").strip() or None,
                        help=f"PostgreSQL server (default: ${ENV}, else a private cluster)")
    args = parser.parse_args()
    cluster = None
    server = args.url
    if server is None:
        cluster = PrivateCluster()
        server = cluster.url
    import psycopg
    import psycopg.sql

    from asiakasarvo_engine.session.postgres_store import PostgresStore

    schema, url = fresh_schema(server)
    owned, owned_url = fresh_schema(server)
    role = f"bench_{schema}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN").format(psycopg.sql.Identifier(role)))
    with PostgresStore(owned_url) as admin:
        admin.add_member(role, "advisor", "Pohjois-Karjalan kauppakamari")
    parts = urlsplit(owned_url)
    as_role = urlunsplit((parts.scheme, f"{role}@{parts.netloc.rpartition('@')[2]}", parts.path,
                          parts.query, parts.fragment))
    rows = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            for name, target, advisor in (
                    ("PostgreSQL, the owner (Unix socket)", url, "Anna Neuvoja"),
                    ("PostgreSQL, an advisor's role (row-level security)", as_role, role),
                    ("SQLite (one file, WAL)", str(Path(folder) / "load.sqlite3"), "Anna Neuvoja")):
                rows.append((name, run(target, args.writers, args.answers, advisor)))
    finally:
        drop_schema(server, schema)
        drop_schema(server, owned)
        with psycopg.connect(server, autocommit=True) as conn:
            who = psycopg.sql.Identifier(role)
            conn.execute(psycopg.sql.SQL("DROP OWNED BY {}").format(who))
            conn.execute(psycopg.sql.SQL("DROP ROLE {}").format(who))
        if cluster is not None:
            cluster.destroy()
    print(f"{args.writers} writers x {args.answers} answers, each on its own session; "
          f"{os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| store | answers/s | p50 ms | p95 ms | p99 ms | worst ms | acknowledged | lost |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['rate']:.0f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} | "
              f"{r['max']:.1f} | {r['acked']:.0f} | {r['lost']:.0f} |")


if __name__ == "__main__":
    main()
