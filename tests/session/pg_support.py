"""PostgreSQL for the store tests: the server CI starts, or a private throwaway cluster.

``ASIAKASARVO_TEST_POSTGRES`` names a server (``.ci/run`` starts one and exports it). Without
it a private cluster is started under a temporary folder when Debian's PostgreSQL binaries
exist. Tests skip PostgreSQL only when CI is not set and neither is available, and say so;
with CI set they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ENV = "ASIAKASARVO_TEST_POSTGRES"


def pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl/postgres (Debian's newest, else on PATH), or None."""
    roots = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
                   if p.parent.name.isdigit() else 0)
    for folder in reversed(roots):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


class PrivateCluster:
    """A throwaway cluster listening on a Unix socket in a temporary folder only."""

    def __init__(self) -> None:
        folder = pg_bin()
        if folder is None:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl)")
        self.bin = folder
        self.dir = Path(tempfile.mkdtemp(prefix="aarv-pg-"))
        self.data = self.dir / "data"
        self.root = os.geteuid() == 0
        if self.root:  # the server refuses to run as root: the postgres user runs it
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/postgres?host={quote(str(self.dir), safe='/')}"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-c listen_addresses='' -c unix_socket_directories={self.dir} -c max_connections=60"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def reachable(url: str) -> str | None:
    """None when a server answers at ``url``, else why not."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def unavailable(reason: str) -> None:
    """Skip (no CI) or fail (CI) for want of PostgreSQL."""
    message = f"PostgreSQL tests not run: {reason}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so PostgreSQL is required)")
    pytest.skip(f"{message} (CI is not set; set {ENV} to a server URL to run them)")


def with_schema(url: str, schema: str) -> str:
    """``url`` whose connections use ``schema`` (its own tables), via ``options``."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-c search_path={schema}')}"


def fresh_schema(admin_url: str) -> tuple[str, str]:
    """A new empty schema on the server; returns (its name, a URL that uses it)."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return name, with_schema(admin_url, name)


def drop_schema(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
