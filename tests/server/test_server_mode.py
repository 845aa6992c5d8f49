"""Server mode through the ASGI test client: sign-in, API tokens, CSRF, who sees and changes
which session, who signs the events; and the ``users`` CLI."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from conftest import TestClient

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.scoring.program import ScoringProgram
from asiakasarvo_engine.scoring.result import Company
from asiakasarvo_engine.server import ServerConfig, create_app
from asiakasarvo_engine.server.auth import SESSION_COOKIE
from asiakasarvo_engine.server.users import UserError, UserStore, UserStoreError, token_digest, users_path
from asiakasarvo_engine.session.interview import Interview
from asiakasarvo_engine.session.sqlite_store import SQLiteStore

API = "/api/v1"
PASSWORD = "oikein-hyvä-salasana"
ITEM = "owner_strategy.documented"
# The cheapest argon2id parameters, so the tests spend no time hashing (production: the defaults).
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def users(tmp_path: Path) -> Iterator[UserStore]:
    store = UserStore(users_path(tmp_path / "sessions.sqlite3"), hasher=FAST)
    for name, role in (("anna", "advisor"), ("bertta", "advisor"), ("kaisa", "coordinator")):
        store.add(name, role, PASSWORD)
    yield store
    store.close()


@pytest.fixture
def app_factory(program: ScoringProgram, store: SQLiteStore, users: UserStore) -> Any:
    """New clients (each with its own cookies) of one server; ``extra`` makes a new server."""
    apps: dict[str, Any] = {}

    def make(**extra: Any) -> TestClient:
        key = repr(sorted(extra.items()))
        if key not in apps:
            apps[key] = create_app(ServerConfig(program, store, mode="server", users=users, **extra))
        return TestClient(apps[key], raise_server_exceptions=False)

    return make


def login(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """Sign in with a cookie and keep the session's CSRF token on every request."""
    response = client.post(f"{API}/login", json={"name": name, "password": password})
    assert response.status_code == 204, response.text
    client.headers["X-CSRF-Token"] = client.get(f"{API}/me").json()["csrf_token"]
    return client


def start(client: TestClient) -> tuple[str, int]:
    response = client.post(f"{API}/sessions", json={"company": {"name": "Testi Oy"}})
    assert response.status_code == 201, response.text
    return response.json()["id"], int(response.headers["ETag"].strip('"'))


def answer(client: TestClient, sid: str, seq: int, value: Any = "written", **body: Any) -> Any:
    return client.put(
        f"{API}/sessions/{sid}/answers/{ITEM}",
        json={"value": value, **body},
        headers={"If-Match": f'"{seq}"'},
    )


# ---------------------------------------------------------------------------- sign-in


def test_login_sets_a_strict_httponly_cookie_and_me_names_the_user(app_factory: Any) -> None:
    with app_factory() as client:
        response = client.post(f"{API}/login", json={"name": "anna", "password": PASSWORD})
        assert response.status_code == 204
        cookie = response.headers["set-cookie"]
        assert f"{SESSION_COOKIE}=" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert "Secure" not in cookie
        me = client.get(f"{API}/me").json()
        assert me == {"user": "anna", "role": "advisor", "mode": "server", "csrf_token": me["csrf_token"]}
        assert me["csrf_token"]


def test_secure_cookies_mark_the_cookie_secure(app_factory: Any) -> None:
    with app_factory(secure_cookies=True) as client:
        response = client.post(f"{API}/login", json={"name": "anna", "password": PASSWORD})
        assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_and_unknown_name_are_the_same_coded_401(app_factory: Any) -> None:
    with app_factory() as client:
        for name, password in (("anna", "väärä-salasana"), ("nobody", PASSWORD)):
            response = client.post(f"{API}/login", json={"name": name, "password": password})
            assert response.status_code == 401
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["code"] == "AUTH-004"
            assert "set-cookie" not in response.headers


def test_login_attempts_are_limited_per_name_with_a_coded_429(app_factory: Any) -> None:
    with app_factory() as client:
        for _ in range(5):
            assert client.post(f"{API}/login", json={"name": "anna", "password": "x"}).status_code == 401
        limited = client.post(f"{API}/login", json={"name": "anna", "password": PASSWORD})
        assert limited.status_code == 429
        assert limited.json()["code"] == "AUTH-005"
        assert int(limited.headers["Retry-After"]) >= 1


def test_login_attempts_are_limited_per_client_address(app_factory: Any) -> None:
    with app_factory() as client:
        for index in range(5):  # a different name each time: only the address is over its attempts
            response = client.post(f"{API}/login", json={"name": f"guess{index}", "password": "x"})
            assert response.status_code == 401
        limited = client.post(f"{API}/login", json={"name": "bertta", "password": PASSWORD})
        assert limited.status_code == 429
        assert limited.json()["code"] == "AUTH-005"


def test_logout_ends_the_cookie_session(app_factory: Any) -> None:
    with app_factory() as raw:
        client = login(raw, "anna")
        assert client.post(f"{API}/logout").status_code == 204
        client.cookies.clear()
        assert client.get(f"{API}/me").status_code == 401


def test_no_cookie_and_no_token_is_a_coded_401(app_factory: Any) -> None:
    with app_factory() as client:
        response = client.get(f"{API}/sessions")
        assert response.status_code == 401
        assert response.json()["code"] == "AUTH-001"
        assert "/api/v1/login" in response.json()["detail"]


def test_a_wrong_token_or_cookie_is_a_coded_401(app_factory: Any) -> None:
    with app_factory() as client:
        wrong = client.get(f"{API}/sessions", headers={"Authorization": "Bearer aa_not-a-real-token"})
        assert wrong.status_code == 401
        assert wrong.json()["code"] == "AUTH-002"
        assert wrong.headers["WWW-Authenticate"] == "Bearer"
        client.cookies.set(SESSION_COOKIE, "forged")
        assert client.get(f"{API}/sessions").json()["code"] == "AUTH-002"


def test_a_local_one_time_token_means_nothing_in_server_mode(app_factory: Any) -> None:
    with app_factory() as client:
        assert client.app.state.ctx.auth.local_token is None  # type: ignore[attr-defined]
        assert client.get("/?token=anything", follow_redirects=False).status_code == 401


# ---------------------------------------------------------------------------- CSRF and tokens


def test_a_cookie_write_without_the_csrf_header_is_refused(app_factory: Any) -> None:
    with app_factory() as raw:
        client = login(raw, "anna")
        sid, seq = start(client)
        del client.headers["X-CSRF-Token"]
        refused = answer(client, sid, seq)
        assert refused.status_code == 403
        assert refused.json()["code"] == "AUTH-003"
        assert client.post(f"{API}/sessions", json={}).json()["code"] == "AUTH-003"
        client.headers["X-CSRF-Token"] = "0" * 64
        assert answer(client, sid, seq).json()["code"] == "AUTH-003"
        assert client.get(f"{API}/sessions/{sid}").json()["seq"] == seq  # nothing was written


def test_a_token_write_needs_no_csrf_header(app_factory: Any, users: UserStore) -> None:
    token = users.new_token("anna")
    with app_factory() as client:
        client.headers["Authorization"] = f"Bearer {token}"
        sid, seq = start(client)
        written = answer(client, sid, seq)
        assert written.status_code == 200, written.text
        assert client.get(f"{API}/me").json()["csrf_token"] is None


def test_only_the_tokens_digest_is_stored(users: UserStore) -> None:
    token = users.new_token("anna")
    assert token.startswith("aa_") and len(token) > 40
    conn = sqlite3.connect(users.path)
    try:
        stored = [row[0] for row in conn.execute("SELECT digest FROM tokens")]
        hashes = [row[0] for row in conn.execute("SELECT password FROM users")]
    finally:
        conn.close()
    assert stored == [token_digest(token)]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert PASSWORD not in "".join(hashes)
    assert users.check_token(token) is not None
    assert users.revoke_tokens("anna") == 1
    assert users.check_token(token) is None


# ---------------------------------------------------------------------------- access


def _routes(sid: str) -> list[tuple[str, str, dict[str, Any]]]:
    seq = {"If-Match": '"1"'}
    return [
        ("GET", f"{API}/sessions/{sid}", {}),
        ("GET", f"{API}/sessions/{sid}/events", {}),
        ("GET", f"{API}/sessions/{sid}/export", {}),
        ("GET", f"{API}/sessions/{sid}/live", {}),
        ("GET", f"{API}/sessions/{sid}/score", {}),
        ("GET", f"{API}/sessions/{sid}/explain", {}),
        ("GET", f"{API}/sessions/{sid}/report?format=md", {}),
        ("GET", f"{API}/sessions/{sid}/stream", {}),
        ("PUT", f"{API}/sessions/{sid}/answers/{ITEM}", {"json": {"value": "written"}, "headers": seq}),
        ("DELETE", f"{API}/sessions/{sid}/answers/{ITEM}", {"headers": seq}),
        ("POST", f"{API}/sessions/{sid}/notes", {"json": {"text": "x"}, "headers": seq}),
        (
            "PUT",
            f"{API}/sessions/{sid}/overrides/management",
            {"json": {"level": 2, "justification": "x"}, "headers": seq},
        ),
        ("PUT", f"{API}/sessions/{sid}/position", {"json": {"target": "management"}, "headers": seq}),
        ("POST", f"{API}/sessions/{sid}/undo", {"headers": seq}),
        ("POST", f"{API}/sessions/{sid}/finish", {"headers": seq}),
        ("POST", f"{API}/sessions/{sid}/reopen", {"headers": seq}),
        ("DELETE", f"{API}/sessions/{sid}", {"headers": seq}),
    ]


def test_an_advisor_cannot_see_another_advisors_session_on_any_route(app_factory: Any) -> None:
    with app_factory() as anna_raw, app_factory() as bertta_raw:
        anna, bertta = login(anna_raw, "anna"), login(bertta_raw, "bertta")
        sid, _seq = start(anna)
        assert [s["id"] for s in bertta.get(f"{API}/sessions").json()] == []
        assert [s["id"] for s in anna.get(f"{API}/sessions").json()] == [sid]
        for method, url, kwargs in _routes(sid):
            response = bertta.request(method, url, **kwargs)
            assert response.status_code == 404, (method, url, response.text)
            assert response.json()["code"] == "HTTP-010", (method, url)
        # nothing of Bertta's reached the log
        assert anna.get(f"{API}/sessions/{sid}").json()["seq"] == 1


def test_a_coordinator_reads_every_session_and_writes_none(app_factory: Any) -> None:
    with app_factory() as anna_raw, app_factory() as kaisa_raw:
        anna, kaisa = login(anna_raw, "anna"), login(kaisa_raw, "kaisa")
        sid, seq = start(anna)
        assert [s["id"] for s in kaisa.get(f"{API}/sessions").json()] == [sid]
        for method, url, kwargs in _routes(sid):
            if method != "GET" or url.endswith("/stream"):
                continue
            assert kaisa.request(method, url, **kwargs).status_code == 200, url
        refused = answer(kaisa, sid, seq)
        assert refused.status_code == 403
        assert refused.json()["code"] == "AUTH-006"
        deleted = kaisa.delete(f"{API}/sessions/{sid}", headers={"If-Match": f'"{seq}"'})
        assert deleted.status_code == 403
        assert anna.get(f"{API}/sessions/{sid}").json()["seq"] == seq
        # a coordinator's own session is theirs to change
        own, own_seq = start(kaisa)
        assert answer(kaisa, own, own_seq).status_code == 200


def test_sharing_lets_another_advisor_read_and_change_the_session(
    app_factory: Any, users: UserStore, store: SQLiteStore
) -> None:
    with app_factory() as anna_raw, app_factory() as bertta_raw:
        anna, bertta = login(anna_raw, "anna"), login(bertta_raw, "bertta")
        sid, seq = start(anna)
        assert bertta.get(f"{API}/sessions/{sid}").status_code == 404
        users.share(sid, store.events(sid)[0].time, "bertta")
        assert [s["id"] for s in bertta.get(f"{API}/sessions").json()] == [sid]
        written = answer(bertta, sid, seq)
        assert written.status_code == 200, written.text
        state = anna.get(f"{API}/sessions/{sid}").json()
        assert state["answers"][ITEM]["author"] == "bertta"
        assert users.unshare(sid, "bertta")
        assert bertta.get(f"{API}/sessions/{sid}").status_code == 404


def test_a_share_does_not_pass_to_a_new_session_under_an_erased_ones_id(
    app_factory: Any, users: UserStore, store: SQLiteStore
) -> None:
    with app_factory() as anna_raw, app_factory() as bertta_raw, app_factory() as kaisa_raw:
        anna, bertta, kaisa = login(anna_raw, "anna"), login(bertta_raw, "bertta"), login(kaisa_raw, "kaisa")
        created = anna.post(f"{API}/sessions", json={"id": "yhteinen"})
        assert created.status_code == 201
        users.share("yhteinen", store.events("yhteinen")[0].time, "bertta")
        assert bertta.get(f"{API}/sessions/yhteinen").status_code == 200
        erased = anna.delete(f"{API}/sessions/yhteinen", headers={"If-Match": '"1"'})
        assert erased.status_code == 204, erased.text
        # the coordinator starts a new session under the same id: Bertta's old share is not for it
        assert kaisa.post(f"{API}/sessions", json={"id": "yhteinen"}).status_code == 201
        assert bertta.get(f"{API}/sessions/yhteinen").status_code == 404
        assert bertta.get(f"{API}/sessions").json() == []


def test_a_session_can_be_shared_only_with_an_advisor(users: UserStore) -> None:
    with pytest.raises(UserError) as raised:
        users.share("abc", "2026-01-01T00:00:00.000000Z", "kaisa")
    assert raised.value.code == "AUTH-007"
    with pytest.raises(UserError):
        users.share("abc", "2026-01-01T00:00:00.000000Z", "nobody")


# ---------------------------------------------------------------------------- authorship


def test_the_author_is_the_signed_in_user_never_the_body(app_factory: Any) -> None:
    with app_factory() as raw:
        client = login(raw, "anna")
        impostor = client.post(f"{API}/sessions", json={"company": {"name": "X Oy"}, "advisor": "bertta"})
        assert impostor.status_code == 403
        assert impostor.json()["code"] == "AUTH-006"
        sid, seq = start(client)
        assert client.get(f"{API}/sessions/{sid}").json()["advisor"] == "anna"
        with_author = answer(client, sid, seq, author="bertta")
        assert with_author.status_code == 422
        assert with_author.json()["code"] == "SCH-002"
        written = answer(client, sid, seq)
        seq = int(written.headers["ETag"].strip('"'))
        note = client.post(
            f"{API}/sessions/{sid}/notes",
            json={"text": "Huom.", "author": "bertta"},
            headers={"If-Match": f'"{seq}"'},
        )
        assert note.status_code == 422
        note = client.post(
            f"{API}/sessions/{sid}/notes", json={"text": "Huom."}, headers={"If-Match": f'"{seq}"'}
        )
        assert note.status_code == 201, note.text
        assert note.json()["note"]["author"] == "anna"
        events = client.get(f"{API}/sessions/{sid}/events").json()["events"]
        authors = {e.get("author") for e in events if e["type"] != "started"}
        assert authors == {"anna"}


# ---------------------------------------------------------------------------- the user store


def test_bad_users_are_coded_errors(users: UserStore) -> None:
    for name, role, password in (
        ("anna", "advisor", PASSWORD),  # taken
        ("has space", "advisor", PASSWORD),
        ("uusi", "admin", PASSWORD),
        ("uusi", "advisor", "short"),
    ):
        with pytest.raises(UserError) as raised:
            users.add(name, role, password)
        assert raised.value.code == "AUTH-007"
        assert "odotettiin" in raised.value.message("fi")
        finnish = raised.value.message("fi")
        assert " at least " not in finnish and "a new name" not in finnish
    assert users.verify("anna", PASSWORD) is not None
    assert users.verify("anna", "väärä") is None


def test_a_foreign_or_damaged_user_store_is_a_coded_error_and_left_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.users.sqlite3"
    foreign.write_bytes(b"these are my notes, not a database\n")
    with pytest.raises(UserStoreError) as raised:
        UserStore(foreign, hasher=FAST)
    assert raised.value.code == "AUTH-008"
    assert foreign.read_bytes() == b"these are my notes, not a database\n"

    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(UserStoreError) as raised:
        UserStore(other, hasher=FAST)
    assert "käyttäjärekisteri" in raised.value.message("fi")
    assert other.read_bytes() == before


def test_users_live_beside_the_session_store(tmp_path: Path) -> None:
    assert users_path(tmp_path / "sessions.sqlite3") == tmp_path / "sessions.users.sqlite3"


# ---------------------------------------------------------------------------- the CLI


def test_cli_users_add_from_stdin_then_list_token_share_remove(
    tmp_path: Path, program: ScoringProgram
) -> None:
    store = str(tmp_path / "sessions.sqlite3")
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None) -> Any:
        return runner.invoke(cli, ["--lang", "en", "users", "--store", store, *args], input=stdin)

    added = run("add", "anna", "--role", "advisor", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "Added advisor anna" in added.output
    assert run("add", "bertta", "--role", "advisor", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    again = run("add", "anna", "--role", "advisor", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.exit_code == 1
    assert "AUTH-007" in again.output
    short = run("add", "cecilia", "--role", "coordinator", "--password-stdin", stdin="short\n")
    assert short.exit_code == 1 and "AUTH-007" in short.output

    listed = json.loads(run("list", "--format", "json").output)
    assert [(u["name"], u["role"], u["tokens"]) for u in listed] == [
        ("anna", "advisor", 0),
        ("bertta", "advisor", 0),
    ]

    token = run("token", "anna")
    assert token.exit_code == 0, token.output
    printed = token.stdout.strip().splitlines()[-1]
    check = UserStore(users_path(store), hasher=FAST)
    try:
        principal = check.check_token(printed)
        assert principal is not None and principal.name == "anna" and principal.via == "token"
        assert check.verify("anna", PASSWORD) is not None
    finally:
        check.close()

    with SQLiteStore(store) as sessions:
        sid = Interview.start(program, sessions, company=Company(name="Testi Oy"), advisor="anna").session_id
    shared = run("share", sid, "bertta")
    assert shared.exit_code == 0, shared.output
    assert "bertta" in shared.output
    assert run("unshare", sid, "bertta").exit_code == 0

    assert run("remove", "bertta", "--yes").exit_code == 0
    gone = run("remove", "bertta", "--yes")
    assert gone.exit_code == 1 and "AUTH-007" in gone.output
    assert [u["name"] for u in json.loads(run("list", "--format", "json").output)] == ["anna"]


def test_cli_users_add_asks_the_password_twice(tmp_path: Path) -> None:
    store = str(tmp_path / "sessions.sqlite3")
    runner = CliRunner()
    args = ["--lang", "fi", "users", "--store", store, "add", "anna", "--role", "advisor"]
    mismatch = runner.invoke(cli, args, input=f"{PASSWORD}\ntoinen-salasana\n")
    assert mismatch.exit_code == 2
    assert "salasanat eivät täsmää" in mismatch.output
    assert PASSWORD not in mismatch.output  # no echo
    ok = runner.invoke(cli, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert ok.exit_code == 0, ok.output
    assert "Lisätty neuvoja anna" in ok.output


def test_a_removed_user_loses_their_cookie_session_and_tokens(app_factory: Any, users: UserStore) -> None:
    token = users.new_token("bertta")
    with app_factory() as raw:
        client = login(raw, "bertta")
        assert client.get(f"{API}/sessions").status_code == 200
        users.remove("bertta")
        after = client.get(f"{API}/sessions")
        assert after.status_code == 401
        assert after.json()["code"] == "AUTH-002"
        client.cookies.clear()
        by_token = client.get(f"{API}/sessions", headers={"Authorization": f"Bearer {token}"})
        assert by_token.status_code == 401


def test_a_damaged_user_store_while_serving_is_a_coded_error(tmp_path: Path) -> None:
    users = UserStore(tmp_path / "u.sqlite3", hasher=FAST)
    users.add("anna", "advisor", PASSWORD)
    conn = sqlite3.connect(users.path)
    conn.execute("DROP TABLE shares")
    conn.commit()
    conn.close()
    with pytest.raises(UserStoreError) as raised:
        users.is_shared("abc", "2026-01-01T00:00:00.000000Z", "anna")
    assert raised.value.code == "AUTH-008"
    users.close()


# ---------------------------------------------------------------------------- serve --mode


def test_serve_refuses_other_addresses_in_local_mode_and_server_mode_without_users(tmp_path: Path) -> None:
    store = str(tmp_path / "sessions.sqlite3")
    runner = CliRunner()
    local = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--store", store, "--no-browser"])
    assert local.exit_code != 0
    assert getattr(local.exception, "code", None) == "HTTP-013"
    assert "--mode server" in str(local.exception)
    empty = runner.invoke(cli, ["serve", "--mode", "server", "--store", store, "--port", "0", "--no-browser"])
    assert getattr(empty.exception, "code", None) == "HTTP-013"
    assert "users add" in str(empty.exception)
    assert not Path(store).exists()  # nothing was served, no session store was made


def test_serve_in_server_mode_as_a_real_process(tmp_path: Path) -> None:
    import subprocess
    import sys

    import httpx

    store = tmp_path / "sessions.sqlite3"
    users = UserStore(users_path(store), hasher=FAST)
    users.add("anna", "advisor", PASSWORD)
    token = users.new_token("anna")
    users.close()
    exe = Path(sys.executable).with_name("asiakasarvo")
    args = [str(exe), "serve", "--mode", "server", "--port", "0", "--no-browser", "--store", str(store)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "token" not in url, url
        with httpx.Client(base_url=url.rstrip("/"), timeout=30) as client:
            assert client.get("/api/v1/me").status_code == 401
            signed = client.post("/api/v1/login", json={"name": "anna", "password": PASSWORD})
            assert signed.status_code == 204
            csrf = client.get("/api/v1/me").json()["csrf_token"]
            created = client.post("/api/v1/sessions", json={}, headers={"X-CSRF-Token": csrf})
            assert created.status_code == 201, created.text
            assert created.json()["advisor"] == "anna"
            client.cookies.clear()
            listed = client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"})
            assert [s["id"] for s in listed.json()] == [created.json()["id"]]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_sessions_advisor_shares_it_over_the_api(app_factory: Any) -> None:
    with app_factory() as anna_raw, app_factory() as bertta_raw, app_factory() as kaisa_raw:
        anna, bertta, kaisa = login(anna_raw, "anna"), login(bertta_raw, "bertta"), login(kaisa_raw, "kaisa")
        sid, seq = start(anna)
        shares = f"{API}/sessions/{sid}/shares"
        assert bertta.put(f"{shares}/bertta").status_code == 404  # she cannot even see it
        assert kaisa.put(f"{shares}/bertta").json()["code"] == "AUTH-006"  # reads, but is no owner
        no_advisor = anna.put(f"{shares}/kaisa")
        assert no_advisor.status_code == 422 and no_advisor.json()["code"] == "AUTH-007"
        del anna.headers["X-CSRF-Token"]
        assert anna.put(f"{shares}/bertta").json()["code"] == "AUTH-003"
        login(anna, "anna")
        shared = anna.put(f"{shares}/bertta")
        assert shared.status_code == 200, shared.text
        assert shared.json() == {"id": sid, "advisor": "anna", "shared_with": ["bertta"]}
        assert answer(bertta, sid, seq).status_code == 200
        assert bertta.get(shares).json()["shared_with"] == ["bertta"]
        assert bertta.delete(f"{shares}/bertta").json()["code"] == "AUTH-006"  # only the owner takes it back
        assert anna.delete(f"{shares}/bertta").status_code == 204
        assert bertta.get(f"{API}/sessions/{sid}").status_code == 404
        assert anna.delete(f"{shares}/bertta").status_code == 404


def test_sharing_routes_do_not_exist_on_a_local_server(client: TestClient) -> None:
    created = client.post(f"{API}/sessions", json={"advisor": "Anna"})
    sid = created.json()["id"]
    assert client.get(f"{API}/sessions/{sid}/shares").status_code == 404
    assert client.post(f"{API}/login", json={"name": "a", "password": "b"}).status_code == 404
