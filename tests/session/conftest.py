"""Fixtures of the session-store tests: a PostgreSQL server and a fresh schema per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from pg_support import ENV, PrivateCluster, drop_schema, fresh_schema, pg_bin, reachable, unavailable


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server: ``$ASIAKASARVO_TEST_POSTGRES``, else a private cluster."""
    url = os.environ.get(ENV, "").strip()
    if url:
        why = reachable(url)
        if why is not None:
            unavailable(f"{ENV}={url} is not reachable ({why})")
        yield url
        return
    if pg_bin() is None:
        unavailable(f"{ENV} is not set and no PostgreSQL binaries (initdb, pg_ctl) are installed")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            unavailable(f"{ENV} is not set, and as root a private cluster needs the postgres user")
    cluster = PrivateCluster()
    try:
        yield cluster.url
    finally:
        cluster.destroy()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A URL whose connections see only a new, empty schema of their own."""
    name, url = fresh_schema(pg_server)
    yield url
    drop_schema(pg_server, name)
