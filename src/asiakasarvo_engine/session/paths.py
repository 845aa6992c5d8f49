"""Where the session store lives by default, and opening a store by its path.

The default is ``sessions.sqlite3`` in the user data folder of the operating system
(platformdirs: ``~/.local/share/asiakasarvo`` on Linux, ``~/Library/Application Support/
asiakasarvo`` on macOS, ``%LOCALAPPDATA%\\asiakasarvo`` on Windows); the environment
variable :data:`STORE_ENV` overrides it, and a path given explicitly (``--store PATH``)
overrides both. The path ``:memory:`` gives an in-memory store, and a ``postgresql://``
URL (in either place) the shared PostgreSQL store
(:class:`~asiakasarvo_engine.session.postgres_store.PostgresStore`).

Commands that only read open the store with ``readonly=True``: the file is opened
read-only (so a read-only file or folder can be listed), and a path where no store exists
creates nothing (no folder, no file) and reads as a store without sessions.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import DriverMissingError, MemoryStore, MissingStore, Store, is_url

STORE_ENV = "ASIAKASARVO_STORE"
"""The environment variable that names the store file."""

APP_NAME = "asiakasarvo"
STORE_FILE = "sessions.sqlite3"
MEMORY = ":memory:"


def default_store_path() -> Path:
    """``$ASIAKASARVO_STORE`` when set (and not empty), else the user data folder's store."""
    override = os.environ.get(STORE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False)) / STORE_FILE


def store_target(path: str | None = None) -> str:
    """What a command's store is: ``path``, else ``$ASIAKASARVO_STORE`` (a URL kept as it is),
    else the default file."""
    if path is not None:
        return path
    override = os.environ.get(STORE_ENV, "").strip()
    return override if is_url(override) else str(default_store_path())


def open_store(path: str | Path | None = None, *, readonly: bool = False, create: bool = True) -> Store:
    """Open the store at ``path`` (None: :func:`default_store_path`); ``:memory:`` is in memory.

    ``readonly``: open for reading only. With ``readonly`` or without ``create``, a path
    where no file exists creates nothing and reads as a store without sessions
    (:class:`~asiakasarvo_engine.session.store.MissingStore`; ``delete`` uses it). Raises
    :class:`~asiakasarvo_engine.errors.StoreError` when the file is not a session store (it
    is left untouched).
    """
    if path is None and is_url(os.environ.get(STORE_ENV, "")):
        path = os.environ[STORE_ENV].strip()
    target = default_store_path() if path is None else path
    if str(target) == MEMORY:
        return MemoryStore()
    if is_url(target):
        return open_postgres(str(target), readonly=readonly)
    file = Path(target).expanduser()
    if (readonly or not create) and not file.exists():
        return MissingStore(file)
    return SQLiteStore(file, readonly=readonly)


def open_postgres(url: str, *, readonly: bool = False) -> Store:
    """The PostgreSQL store at ``url``; SES-041 when psycopg is not installed."""
    try:
        from asiakasarvo_engine.session.postgres_store import PostgresStore
    except ImportError:
        from asiakasarvo_engine.session.store import redact

        raise DriverMissingError(redact(url)) from None
    return PostgresStore(url, readonly=readonly)
