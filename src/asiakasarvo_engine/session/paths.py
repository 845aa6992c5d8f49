"""Where the session store lives by default, and opening a store by its path.

The default is ``sessions.sqlite3`` in the user data folder of the operating system
(platformdirs: ``~/.local/share/asiakasarvo`` on Linux, ``~/Library/Application Support/
asiakasarvo`` on macOS, ``%LOCALAPPDATA%\\asiakasarvo`` on Windows); the environment
variable :data:`STORE_ENV` overrides it, and a path given explicitly (``--store PATH``)
overrides both. The path ``:memory:`` gives an in-memory store.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore, Store

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


def open_store(path: str | Path | None = None) -> Store:
    """Open the store at ``path`` (None: :func:`default_store_path`); ``:memory:`` is in memory.

    Raises :class:`~asiakasarvo_engine.errors.StoreError` when the file is not a session
    store (it is left untouched).
    """
    target = default_store_path() if path is None else path
    if str(target) == MEMORY:
        return MemoryStore()
    return SQLiteStore(Path(target).expanduser())
