"""Owners and organisations, enforced by the database itself (row-level security): every
client connected as an advisor's role, not only the server, keeps to the access rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from session_factory import answered, noted, started

from asiakasarvo_engine.errors import SessionNotFoundError
from asiakasarvo_engine.session.postgres_store import (
    AccessDeniedError,
    ErasureNeedsOwnerError,
    Member,
    PostgresStore,
)


def as_user(url: str, user: str) -> str:
    """``url`` connecting as ``user`` (trust authentication on the test server)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query, parts.fragment))


@dataclass
class People:
    admin: PostgresStore
    anna: PostgresStore
    ben: PostgresStore
    cora: PostgresStore
    names: dict[str, str]
    url: str


@pytest.fixture
def people(pg_url: str) -> Iterator[People]:
    tag = uuid.uuid4().hex[:8]
    names = {who: f"{who}_{tag}" for who in ("anna", "ben", "cora", "dan")}
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for name in names.values():
            conn.execute(psycopg.sql.SQL("CREATE ROLE {} LOGIN").format(psycopg.sql.Identifier(name)))
    admin = PostgresStore(pg_url)  # the tables' owner migrates and adds the members
    admin.add_member(names["anna"], "advisor", "Pohjois-Karjalan kauppakamari")
    admin.add_member(names["ben"], "advisor", "Hallituspartnerit Itä-Suomi")
    admin.add_member(names["cora"], "coordinator", "Pohjois-Karjalan kauppakamari")
    with psycopg.connect(pg_url, autocommit=True) as conn:  # dan may connect but is no member
        conn.execute(psycopg.sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(
            psycopg.sql.Identifier(str(conn.execute("SELECT current_schema()").fetchone()[0])),  # type: ignore[index]
            psycopg.sql.Identifier(names["dan"])))
    stores = {who: PostgresStore(as_user(pg_url, name)) for who, name in names.items() if who != "dan"}
    yield People(admin, stores["anna"], stores["ben"], stores["cora"], names, pg_url)
    for store in (admin, *stores.values()):
        store.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for name in names.values():
            who = psycopg.sql.Identifier(name)
            conn.execute(psycopg.sql.SQL("DROP OWNED BY {}").format(who))
            conn.execute(psycopg.sql.SQL("DROP ROLE {}").format(who))


def test_members_belong_to_organisations(people: People) -> None:
    n = people.names
    assert people.anna.user == n["anna"]
    assert people.admin.members() == sorted([
        Member(n["anna"], "advisor", "Pohjois-Karjalan kauppakamari"),
        Member(n["ben"], "advisor", "Hallituspartnerit Itä-Suomi"),
        Member(n["cora"], "coordinator", "Pohjois-Karjalan kauppakamari")], key=lambda m: m.name)
    people.anna.create("a-1", started(advisor=n["anna"]))
    assert people.anna.owner("a-1") == (n["anna"], "Pohjois-Karjalan kauppakamari")
    with pytest.raises(ValueError, match="role"):
        people.admin.add_member(n["dan"], "boss", "X")


def test_an_advisor_starts_sessions_only_as_themselves(people: People) -> None:
    n = people.names
    people.anna.create("a-1", started(advisor=n["anna"]))
    with pytest.raises(AccessDeniedError) as caught:
        people.anna.create("a-2", started(advisor=n["ben"]))
    assert caught.value.code == "SES-043"
    assert n["anna"] in caught.value.message("fi")
    with pytest.raises(AccessDeniedError) as refused:  # a role that is no member cannot even open it
        PostgresStore(as_user(people.url, n["dan"]))
    assert n["dan"] in refused.value.message("en")
    assert [s.id for s in people.admin.sessions()] == ["a-1"]


def test_others_neither_see_nor_change_a_session_until_it_is_shared(people: People) -> None:
    n = people.names
    people.anna.create("a-1", started(advisor=n["anna"]))
    people.anna.append("a-1", 1, answered(2))
    assert people.ben.sessions() == []
    with pytest.raises(SessionNotFoundError):
        people.ben.events("a-1")
    with pytest.raises(SessionNotFoundError):
        people.ben.append("a-1", 2, noted(3, "Bén"))
    with pytest.raises(SessionNotFoundError):
        people.ben.delete("a-1")
    with pytest.raises(SessionNotFoundError):
        people.ben.share("a-1", n["ben"])  # only the owner shares, and ben does not see it
    people.anna.share("a-1", n["ben"])
    assert people.anna.shared_with("a-1") == [n["ben"]]
    assert [s.id for s in people.ben.sessions()] == ["a-1"]
    people.ben.append("a-1", 2, noted(3, "Ben jatkoi."))
    with pytest.raises(AccessDeniedError):
        people.ben.share("a-1", n["cora"])  # a shared advisor may not pass it on
    people.anna.unshare("a-1", n["ben"])
    assert people.ben.sessions() == []
    assert [e.seq for e in people.anna.events("a-1")] == [1, 2, 3]


def test_a_coordinator_reads_every_session_and_changes_none_of_theirs(people: People) -> None:
    n = people.names
    people.anna.create("a-1", started(advisor=n["anna"]))
    people.ben.create("b-1", started(advisor=n["ben"]))
    assert sorted(s.id for s in people.cora.sessions()) == ["a-1", "b-1"]
    assert len(people.cora.events("b-1")) == 1
    with pytest.raises(AccessDeniedError) as caught:
        people.cora.append("b-1", 1, noted(2, "koordinaattori"))
    assert caught.value.code == "SES-043"
    assert len(people.ben.events("b-1")) == 1
    people.cora.create("c-1", started(advisor=n["cora"]))  # their own they change
    people.cora.append("c-1", 1, noted(2, "oma"))
    assert [s.id for s in people.anna.sessions()] == ["a-1"]


def test_an_advisor_erases_their_session_and_the_owner_finishes_the_rewrite(people: People) -> None:
    n = people.names
    people.anna.create("a-1", started(advisor=n["anna"]))
    with pytest.raises(ErasureNeedsOwnerError) as caught:
        people.anna.delete("a-1")
    assert caught.value.code == "SES-044"
    assert "sessions compact" in caught.value.message("en")
    assert people.admin.sessions() == []  # the rows are gone for everyone
    people.admin.compact(wait=5)


def test_sync_as_an_advisor_skips_what_the_shared_store_refuses_and_writes_the_rest(
        people: People, tmp_path: object) -> None:
    from pathlib import Path

    from asiakasarvo_engine.session.sqlite_store import SQLiteStore
    from asiakasarvo_engine.session.sync import sync

    n = people.names
    people.ben.create("b-1", started(advisor=n["ben"]))
    laptop = SQLiteStore(Path(str(tmp_path)) / "cora.sqlite3")
    assert sync(laptop, people.cora).pulled == {"b-1": 1}  # a coordinator reads all
    laptop.append("b-1", 1, noted(2, "koordinaattorin muistiinpano"))
    laptop.create("c-1", started(advisor=n["cora"]))
    report = sync(laptop, people.cora)
    assert list(report.refused) == ["b-1"]
    assert report.refused["b-1"].code == "SES-043"
    assert n["cora"] in report.refused["b-1"].message("fi")  # type: ignore[attr-defined]
    assert report.pushed == {"c-1": 1}
    assert not report.clean
    assert len(people.ben.events("b-1")) == 1  # nothing written to ben's session
    laptop.close()
