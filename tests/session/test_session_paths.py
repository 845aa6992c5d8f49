"""Where the default store lives, and opening a store by path."""

from __future__ import annotations

from pathlib import Path

import pytest
from platformdirs import user_data_dir
from session_factory import started

from asiakasarvo_engine.errors import StoreError
from asiakasarvo_engine.session.paths import STORE_ENV, default_store_path, open_store
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore


def test_default_is_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STORE_ENV, raising=False)
    path = default_store_path()
    assert path == Path(user_data_dir("asiakasarvo", appauthor=False)) / "sessions.sqlite3"
    assert path.parent.name == "asiakasarvo"


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_variable_is_ignored(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(STORE_ENV, value)
    assert default_store_path().name == "sessions.sqlite3"


def test_the_environment_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "my.sqlite3"
    monkeypatch.setenv(STORE_ENV, str(target))
    assert default_store_path() == target
    store = open_store()
    try:
        assert isinstance(store, SQLiteStore)
        store.create("a", started())
    finally:
        store.close()
    assert target.is_file()


def test_an_explicit_path_wins_over_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "env.sqlite3"))
    store = open_store(tmp_path / "given.sqlite3")
    store.close()
    assert (tmp_path / "given.sqlite3").is_file()
    assert not (tmp_path / "env.sqlite3").exists()


def test_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(open_store(":memory:"), MemoryStore)
    monkeypatch.setenv(STORE_ENV, ":memory:")
    assert isinstance(open_store(), MemoryStore)


def test_a_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(path)
    assert path.read_text(encoding="utf-8") == "hello"
