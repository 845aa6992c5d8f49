"""A writer for the PostgreSQL fault tests (run as a script, not collected).

``python pg_fault_worker.py URL SESSION``: open the store, print ``ready``, then append
answers forever, printing ``ok SEQ`` after each append returned (acknowledged), ``down CODE
MESSAGE`` while the database cannot be reached (retrying every 20 ms), and ``reload SEQ``
when an append whose answer was lost turns out to have been written (a ConflictError).
"""

from __future__ import annotations

import sys
import time

from session_factory import answered, started

from asiakasarvo_engine.errors import ConflictError, SessionNotFoundError
from asiakasarvo_engine.session.postgres_store import PostgresStore
from asiakasarvo_engine.session.store import StoreUnavailableError


def main(url: str, session: str) -> None:
    store = PostgresStore(url)
    try:
        seq = len(store.events(session))
    except SessionNotFoundError:
        store.create(session, started())
        seq = 1
    print("ready", flush=True)
    while True:
        try:
            store.append(session, seq, answered(seq + 1, item=f"s1.q{seq % 40 + 1}"))
        except StoreUnavailableError as exc:
            print(f"down {exc.code} {exc.message('fi')}", flush=True)
            time.sleep(0.02)
            continue
        except ConflictError:
            while True:
                try:
                    seq = len(store.events(session))
                    break
                except StoreUnavailableError:
                    time.sleep(0.02)
            print(f"reload {seq}", flush=True)
            continue
        seq += 1
        print(f"ok {seq}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
