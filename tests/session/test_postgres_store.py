"""What only the PostgreSQL store has: its schema versions, the server going away, the
table's erasure, live changes, and being chosen by a URL (the shared behaviour is in
test_store_contract.py)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from session_factory import answered, sample_log, started

from asiakasarvo_engine.errors import ErasureIncompleteError, ReadOnlyStoreError, StoreError
from asiakasarvo_engine.session import postgres_store
from asiakasarvo_engine.session.paths import STORE_ENV, open_store
from asiakasarvo_engine.session.postgres_store import SCHEMA_VERSION, Change, PostgresStore
from asiakasarvo_engine.session.store import StoreUnavailableError, is_url, redact


def sql(url: str, query: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(query, params or None)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


def tables(url: str) -> set[str]:
    query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {str(r[0]) for r in sql(url, query)}


def fill(store: PostgresStore, session: str, n: int = 3) -> None:
    store.create_log(session, sample_log(n))


def test_a_new_database_gets_the_current_schema_version(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    assert tables(pg_url) == {"asiakasarvo_schema", "asiakasarvo_events", "asiakasarvo_members",
                              "asiakasarvo_shares", "asiakasarvo_erasures"}
    assert sql(pg_url, "SELECT version FROM asiakasarvo_schema") == [(SCHEMA_VERSION,)]
    triggers = {str(r[0]) for r in sql(pg_url, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    assert triggers == {"asiakasarvo_events_notify_insert", "asiakasarvo_events_notify_delete",
                        "asiakasarvo_events_erased", "asiakasarvo_events_recreated"}


def test_an_older_schema_is_migrated_step_by_step_keeping_its_rows(pg_url: str) -> None:
    sql(pg_url, "CREATE TABLE asiakasarvo_schema (one boolean PRIMARY KEY DEFAULT true CHECK (one),"
                " version integer NOT NULL)")
    sql(pg_url, postgres_store.MIGRATIONS[0])
    sql(pg_url, "INSERT INTO asiakasarvo_schema (version) VALUES (1)")
    old = sample_log(2)
    from asiakasarvo_engine.session.events import event_to_json

    for event in old:
        sql(pg_url, "INSERT INTO asiakasarvo_events VALUES (%s, %s, %s, %s, %s)", "old", event.seq,
            event.type, event.time, event_to_json(event))
    with PostgresStore(pg_url) as store:
        assert [event_to_json(e) for e in store.events("old")] == [event_to_json(e) for e in old]
    assert sql(pg_url, "SELECT version FROM asiakasarvo_schema") == [(SCHEMA_VERSION,)]


def test_a_newer_schema_is_refused_and_left_untouched(pg_url: str) -> None:
    PostgresStore(pg_url).close()
    sql(pg_url, "UPDATE asiakasarvo_schema SET version = %s", SCHEMA_VERSION + 1)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="newer") as caught:
            PostgresStore(pg_url, readonly=readonly)
        assert caught.value.code == "SES-003"
    assert sql(pg_url, "SELECT version FROM asiakasarvo_schema") == [(SCHEMA_VERSION + 1,)]


def test_reading_creates_nothing_and_refuses_writes(pg_url: str) -> None:
    with PostgresStore(pg_url, readonly=True) as store:
        assert store.sessions() == []
        with pytest.raises(ReadOnlyStoreError) as caught:
            store.create("s-1", started())
        assert caught.value.code == "SES-032"
    assert tables(pg_url) == set()
    with PostgresStore(pg_url) as writer:
        fill(writer, "s-1")
    with PostgresStore(pg_url, readonly=True) as store:
        assert [s.id for s in store.sessions()] == ["s-1"]
        with pytest.raises(ReadOnlyStoreError):
            store.append("s-1", 6, answered(7))
        with pytest.raises(ReadOnlyStoreError):
            store.delete("s-1")


def test_a_url_chooses_the_postgresql_store_by_option_and_by_environment(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_url(pg_url) and is_url("postgres://x@y/z") and not is_url("/tmp/postgresql.sqlite3")
    store = open_store(pg_url)
    assert isinstance(store, PostgresStore)
    fill(store, "s-1")
    store.close()
    monkeypatch.setenv(STORE_ENV, pg_url)
    store = open_store(readonly=True)
    assert isinstance(store, PostgresStore) and store.readonly
    assert [s.id for s in store.sessions()] == ["s-1"]
    store.close()
    from asiakasarvo_engine.cli.app import cli

    listed = CliRunner().invoke(cli, ["sessions", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert [row["id"] for row in json.loads(listed.stdout)] == ["s-1"]
    monkeypatch.delenv(STORE_ENV)
    shown = CliRunner().invoke(cli, ["sessions", "list", "--store", pg_url, "--format", "json"])
    assert [row["id"] for row in json.loads(shown.stdout)] == ["s-1"]


def test_an_unreachable_server_is_ses_040_in_both_languages_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://neuvoja:salasana1@/db?host={tmp_path}&password=salasana2"
    with pytest.raises(StoreUnavailableError) as caught:
        PostgresStore(url)
    error = caught.value
    assert error.code == "SES-040"
    assert error.path == redact(url) == f"postgresql://neuvoja@/db?host={tmp_path}"
    assert error.message("fi").startswith("tietokantaan ei saada yhteyttä: postgresql://neuvoja@/db")
    assert error.message("en").startswith("database unreachable: postgresql://neuvoja@/db")
    assert all("salasana" not in text for text in (error.message("fi"), error.message("en"), str(error)))


def test_a_dropped_connection_is_ses_040_once_and_the_next_call_connects_again(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    fill(store, "s-1", 1)
    pid = store._connection().info.backend_pid
    sql(pg_url, "SELECT pg_terminate_backend(%s)", pid)
    with pytest.raises(StoreUnavailableError) as caught:
        store.append("s-1", 4, answered(5))
    assert caught.value.code == "SES-040"
    store.append("s-1", 4, answered(5))
    assert [e.seq for e in store.events("s-1")] == [1, 2, 3, 4, 5]
    store.close()


def _table_file(url: str) -> bytes:
    """The bytes of the event table's file, as the server has written it to disk."""
    sql(url, "CHECKPOINT")
    rows = sql(url, "SELECT pg_read_binary_file(pg_relation_filepath('asiakasarvo_events'))")
    return bytes(rows[0][0])  # type: ignore[arg-type]


def test_erasure_leaves_no_byte_of_the_session_in_the_table_file(pg_url: str) -> None:
    with PostgresStore(pg_url) as store:
        store.create_log("gone", sample_log(3, company="Poistettava Yritys Oy"))
        fill(store, "kept")
        assert b"Poistettava Yritys Oy" in _table_file(pg_url)
        store.delete("gone")
        assert b"Poistettava Yritys Oy" not in _table_file(pg_url)
        assert [s.id for s in store.sessions()] == ["kept"]


def test_erasure_held_up_by_a_reader_is_ses_031_and_compact_finishes_it(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    store.create_log("gone", sample_log(2, company="Poistettava Yritys Oy"))
    reader = psycopg.connect(pg_url)
    reader.execute("SELECT count(*) FROM asiakasarvo_events").fetchone()  # holds the table open
    told: list[float] = []
    with pytest.raises(ErasureIncompleteError) as caught:
        store.delete("gone", wait=0.6, on_wait=told.append)
    assert caught.value.code == "SES-031"
    assert told == [0.6]
    assert "table asiakasarvo_events" in caught.value.message("en")
    assert store.sessions() == []  # the rows are gone for every reader
    reader.rollback()
    reader.close()
    store.compact(wait=5)
    assert b"Poistettava Yritys Oy" not in _table_file(pg_url)
    store.close()


def test_live_changes_carry_only_ids(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    other = PostgresStore(pg_url)
    got: list[Change] = []
    stream = store.changes(timeout=3)  # listening from here on

    def listen() -> None:
        got.extend(change for change in stream if change.session_id.startswith("live-"))

    thread = threading.Thread(target=listen)
    thread.start()
    other.create_log("live-1", sample_log(1)[:2])
    other.append("live-1", 2, answered(3))
    other.delete("live-1")
    thread.join()
    assert got == [Change("live-1", 1), Change("live-1", 2), Change("live-1", 3), Change("live-1", 0)]
    store.close()
    other.close()


def test_the_cli_works_on_a_postgresql_store(pg_url: str) -> None:
    from asiakasarvo_engine.cli.app import cli

    runner = CliRunner()
    ran = runner.invoke(cli, ["--lang", "en", "interview", "--store", pg_url, "--company", "Verkko Oy"],
                        input=":quit\n")
    assert ran.exit_code == 0, ran.output
    assert f"--store '{pg_url}'" in ran.output  # the resume command names the URL as given
    with PostgresStore(pg_url) as store:
        [summary] = store.sessions()
    assert summary.company == "Verkko Oy"
    deleted = runner.invoke(cli, ["sessions", "delete", summary.id, "--yes", "--store", pg_url])
    assert deleted.exit_code == 0, deleted.output
    compacted = runner.invoke(cli, ["--lang", "en", "sessions", "compact", "--store", pg_url])
    assert compacted.exit_code == 0, compacted.output
    assert redact(pg_url) in compacted.output
    with PostgresStore(pg_url) as store:
        assert store.sessions() == []
    users = runner.invoke(cli, ["users", "list", "--store", pg_url])
    assert users.exit_code == 2
    assert "--users PATH" in users.output


def test_a_reader_opened_before_the_tables_existed_sees_them_once_written(pg_url: str) -> None:
    reader = PostgresStore(pg_url, readonly=True)
    assert reader.sessions() == []
    with PostgresStore(pg_url) as writer:
        fill(writer, "later")
    assert [s.id for s in reader.sessions()] == ["later"]
    assert len(reader.events("later")) == len(sample_log(3))
    reader.close()
