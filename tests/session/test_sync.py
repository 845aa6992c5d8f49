"""Offline sync between a laptop's store and the shared one: push, pull, retry, conflict."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from example_sessions import example_logs, program
from session_factory import answered, noted, sample_log

from asiakasarvo_engine.session.events import Event, event_to_json
from asiakasarvo_engine.session.export import export_json
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore
from asiakasarvo_engine.session.store import MemoryStore, Store, StoreUnavailableError
from asiakasarvo_engine.session.sync import CONFLICT_MARK, common_prefix, conflict_id, sync


@pytest.fixture(params=["sqlite", "postgres"])
def remote_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the shared store lives: PostgreSQL, or a second SQLite file."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite3")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def remote(remote_target: str) -> Iterator[Store]:
    from asiakasarvo_engine.session.paths import open_store

    store = open_store(remote_target)
    yield store
    store.close()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "laptop.sqlite3")
    yield store
    store.close()


def put(store: Store, session: str, log: Sequence[Event]) -> None:
    store.create_log(session, list(log))  # type: ignore[attr-defined]


def texts(store: Store, session: str) -> list[str]:
    return [event_to_json(e) for e in store.events(session)]


def everything(store: Store) -> dict[str, list[str]]:
    return {s.id: texts(store, s.id) for s in store.sessions()}


def test_the_three_examples_round_trip_with_nothing_lost_or_duplicated(laptop: SQLiteStore, remote: Store,
                                                                       tmp_path: Path) -> None:
    logs = example_logs()
    for sid, log in logs.items():
        put(laptop, sid, log)
    pushed = sync(laptop, remote)
    assert pushed.pushed == {sid: len(log) for sid, log in logs.items()}
    assert pushed.clean
    for sid in logs:
        assert export_json(remote, sid) == export_json(laptop, sid)
    # A second laptop pulls them all, byte for byte.
    other = SQLiteStore(tmp_path / "other.sqlite3")
    pulled = sync(other, remote)
    assert pulled.pulled == pushed.pushed
    assert everything(other) == everything(laptop) == everything(remote)
    # Again: nothing to do, nothing duplicated.
    again = sync(other, remote)
    assert (again.pushed, again.pulled, sorted(again.same)) == ({}, {}, sorted(logs))
    assert all(s.events == len(logs[s.id]) for s in remote.sessions())
    other.close()


def test_answers_given_offline_are_pushed_and_others_pulled(laptop: SQLiteStore, remote: Store) -> None:
    sid = next(iter(example_logs()))
    put(remote, sid, example_logs()[sid])
    sync(laptop, remote)
    # The advisor continues the meeting offline through the interview.
    interview = Interview.open(program(), laptop, sid)
    interview.reopen()
    interview.note("Jatkettu ilman verkkoa.")
    offline = len(laptop.events(sid)) - len(example_logs()[sid])
    report = sync(laptop, remote)
    assert report.pushed == {sid: offline}
    assert texts(remote, sid) == texts(laptop, sid)
    # The coordinator adds a note on the shared store; the laptop pulls it.
    count = len(remote.events(sid))
    remote.append(sid, count, noted(count + 1, "Koordinaattorin huomio."))
    report = sync(laptop, remote)
    assert report.pulled == {sid: 1}
    assert texts(laptop, sid) == texts(remote, sid)


class Dropping:
    """A store whose connection drops after ``writes`` writes (each write itself commits)."""

    def __init__(self, inner: Store, writes: int) -> None:
        self.inner, self.left = inner, writes

    def __getattr__(self, name: str) -> object:
        attr = getattr(self.inner, name)
        if name not in {"create", "append", "append_many", "create_log"}:
            return attr

        def write(*args: object) -> object:
            if self.left == 0:
                raise StoreUnavailableError("postgresql://test@/db", "server closed the connection")
            self.left -= 1
            return attr(*args)

        return write


@pytest.mark.parametrize("writes", [0, 1, 2])
def test_a_sync_that_drops_midway_and_is_run_again_duplicates_nothing(laptop: SQLiteStore, remote: Store,
                                                                      writes: int) -> None:
    logs = example_logs()
    for sid, log in logs.items():
        put(laptop, sid, log)
    shared = next(iter(logs))
    put(remote, shared, logs[shared][:10])  # the shared store had the first ten events
    with pytest.raises(StoreUnavailableError) as caught:
        sync(laptop, Dropping(remote, writes))  # type: ignore[arg-type]
    assert caught.value.code == "SES-040"
    report = sync(laptop, remote)
    assert report.clean
    assert len(report.pushed) == len(logs) - writes
    assert everything(remote) == everything(laptop)
    assert {s.id: s.events for s in remote.sessions()} == {sid: len(log) for sid, log in logs.items()}


def test_a_session_changed_on_both_sides_is_a_conflict_with_both_versions_kept(laptop: SQLiteStore,
                                                                              remote: Store) -> None:
    base = sample_log(2)[:3]
    put(laptop, "s-1", base)
    put(remote, "s-1", base)
    laptop.append("s-1", 3, answered(4, item="s1.q9", value="laptop"))
    remote.append_many("s-1", 3, [answered(4, item="s1.q9", value="remote"), noted(5, "toinen")])
    mine, theirs = laptop.events("s-1"), remote.events("s-1")
    report = sync(laptop, remote)
    assert not report.clean
    [conflict] = report.conflicts
    assert (conflict.session_id, conflict.common, conflict.local_events, conflict.remote_events) == (
        "s-1", 3, 4, 5)
    assert conflict.local_copy == conflict_id("s-1", theirs)
    assert conflict.remote_copy == conflict_id("s-1", mine)
    assert CONFLICT_MARK in conflict.local_copy
    # Nothing merged: each side keeps its own log, and holds the other's as a copy.
    assert texts(laptop, "s-1") == [event_to_json(e) for e in mine]
    assert texts(remote, "s-1") == [event_to_json(e) for e in theirs]
    assert texts(laptop, conflict.local_copy) == [event_to_json(e) for e in theirs]
    assert texts(remote, conflict.remote_copy) == [event_to_json(e) for e in mine]
    # Running it again reports the same conflict and makes no further copies.
    again = sync(laptop, remote)
    assert [c.session_id for c in again.conflicts] == ["s-1"]
    assert sorted(s.id for s in laptop.sessions()) == sorted(s.id for s in remote.sessions())
    assert len(laptop.sessions()) == 3
    assert common_prefix(mine, theirs) == 3


def test_the_cli_syncs_and_reports_a_conflict_in_both_languages(tmp_path: Path, remote_target: str) -> None:
    from asiakasarvo_engine.cli.app import cli
    from asiakasarvo_engine.session.paths import open_store

    laptop_file = tmp_path / "cli-laptop.sqlite3"
    with SQLiteStore(laptop_file) as store:
        put(store, "s-1", sample_log(2))
    runner = CliRunner()
    done = runner.invoke(cli, ["sync", "--from", str(laptop_file), "--to", remote_target])
    assert done.exit_code == 0, done.output
    assert "s-1" in done.output
    again = runner.invoke(cli, ["--lang", "en", "sync", "--from", str(laptop_file), "--to", remote_target,
                                "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["same"] == ["s-1"]
    remote = open_store(remote_target)
    count = len(remote.events("s-1"))
    remote.append("s-1", count, noted(count + 1, "etänä"))
    remote.close()
    with SQLiteStore(laptop_file) as store:
        store.append("s-1", count, noted(count + 1, "paikallisesti"))
    clash = runner.invoke(cli, ["sync", "--from", str(laptop_file), "--to", remote_target])
    assert clash.exit_code == 1
    assert "error SES-042: synkronointiristiriita" in clash.stderr
    clash_en = runner.invoke(cli, ["--lang", "en", "sync", "--from", str(laptop_file), "--to", remote_target])
    assert clash_en.exit_code == 1
    assert "error SES-042: sync conflict: session s-1" in clash_en.stderr


def test_an_unreachable_shared_store_is_ses_040_without_the_password(tmp_path: Path) -> None:
    from asiakasarvo_engine.cli.app import cli

    pytest.importorskip("psycopg")
    laptop_file = tmp_path / "l.sqlite3"
    with SQLiteStore(laptop_file) as store:
        put(store, "s-1", sample_log(1))
    url = f"postgresql://neuvoja:salainen@/asiakasarvo?host={tmp_path}/nowhere"
    result = CliRunner().invoke(cli, ["sync", "--from", str(laptop_file), "--to", url])
    assert result.exit_code == 1
    assert isinstance(result.exception, StoreUnavailableError)
    message = result.exception.message("fi")
    assert message.startswith("tietokantaan ei saada yhteyttä: postgresql://neuvoja@/asiakasarvo")
    assert "salainen" not in message
    assert "salainen" not in result.exception.message("en")
    assert texts(SQLiteStore(laptop_file), "s-1")  # nothing lost locally


def test_memory_stores_sync_too() -> None:
    one, two = MemoryStore(), MemoryStore()
    put(one, "a", sample_log(1))
    put(two, "b", sample_log(2))
    report = sync(one, two)
    assert (report.pushed, report.pulled) == ({"a": 4}, {"b": 5})
    assert everything(one) == everything(two)


def test_an_erasure_on_the_shared_store_erases_the_laptops_copy_instead_of_coming_back(
        pg_url: str, tmp_path: Path) -> None:
    from asiakasarvo_engine.cli.app import cli
    from asiakasarvo_engine.session.postgres_store import PostgresStore

    shared = PostgresStore(pg_url)
    put(shared, "gone", sample_log(2, company="Poistettava Oy"))
    put(shared, "kept", sample_log(1))
    laptop = SQLiteStore(tmp_path / "erasing.sqlite3")
    assert sorted(sync(laptop, shared).pulled) == ["gone", "kept"]
    shared.delete("gone")
    assert shared.erasures() == {"gone"}
    laptop.close()
    result = CliRunner().invoke(cli, ["--lang", "en", "sync", "--from", str(tmp_path / "erasing.sqlite3"),
                                      "--to", pg_url])
    assert result.exit_code == 0, result.output
    assert "Erased locally: gone" in result.output
    laptop = SQLiteStore(tmp_path / "erasing.sqlite3")
    assert [s.id for s in laptop.sessions()] == ["kept"]
    assert [s.id for s in shared.sessions()] == ["kept"]
    assert sync(laptop, shared).clean  # and it stays erased
    assert [s.id for s in shared.sessions()] == ["kept"]
    # Creating the id again on the shared store forgets the erasure: it syncs as any session.
    put(shared, "gone", sample_log(1))
    assert shared.erasures() == set()
    assert sync(laptop, shared).pulled == {"gone": len(sample_log(1))}
    laptop.close()
    shared.close()
