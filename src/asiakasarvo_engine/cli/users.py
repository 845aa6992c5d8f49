"""``asiakasarvo users``: the users of server mode (``serve --mode server``).

The user store is ``NAME.users.sqlite3`` beside the session store ``NAME.sqlite3`` (or
``--users PATH``). Whoever can write that file administers the users: these commands ask
for no sign-in. ``users share SESSION NAME`` lets another advisor read and change a session
(``users unshare`` takes it back); ``users token NAME`` prints a new API token once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from asiakasarvo_engine.cli.output import echo_json
from asiakasarvo_engine.cli.sessions import chosen_store, lang_of, store_option
from asiakasarvo_engine.server.users import ROLES, UserError, UserStore, no_user, users_path

_WORDS: dict[str, dict[str, object]] = {
    "fi": {
        "password": "Salasana",
        "again": "Salasana uudelleen",
        "mismatch": "salasanat eivät täsmää",
        "added": "Lisätty {role} {name} ({path}).",
        "removed": "Poistettu {name} ja hänen API-tunnisteensa (istunnot jäävät).",
        "confirm": "Poistetaanko käyttäjä {name}?",
        "none": "Ei käyttäjiä ({path}).",
        "token": "Uusi API-tunniste käyttäjälle {name}; se näytetään vain nyt, tallenna se:",
        "revoked": "Poistettu {n} API-tunnistetta käyttäjältä {name}.",
        "shared": "Istunto {id} jaettu neuvojalle {name}.",
        "unshared": "Istunnon {id} jako neuvojalle {name} poistettu.",
        "not_shared": "Istuntoa {id} ei ollut jaettu neuvojalle {name}.",
        "shared_with": "Jaettu: {names}",
        "cancelled": "Peruttu.",
        "roles": {"advisor": "neuvoja", "coordinator": "koordinaattori"},
        "header": "NIMI  ROOLI  LUOTU  API-TUNNISTEITA",
    },
    "en": {
        "password": "Password",
        "again": "Password again",
        "mismatch": "the passwords do not match",
        "added": "Added {role} {name} ({path}).",
        "removed": "Removed {name} and their API tokens (their sessions stay).",
        "confirm": "Remove user {name}?",
        "none": "No users ({path}).",
        "token": "A new API token for {name}; it is shown only now, keep it:",
        "revoked": "Removed {n} API tokens of {name}.",
        "shared": "Session {id} shared with advisor {name}.",
        "unshared": "Session {id} no longer shared with advisor {name}.",
        "not_shared": "Session {id} was not shared with advisor {name}.",
        "shared_with": "Shared with: {names}",
        "cancelled": "Cancelled.",
        "roles": {"advisor": "advisor", "coordinator": "coordinator"},
        "header": "NAME  ROLE  CREATED  API TOKENS",
    },
}


def _words(ctx: click.Context) -> dict[str, object]:
    return _WORDS["fi" if lang_of(ctx) == "fi" else "en"]


def _w(ctx: click.Context, key: str, **fields: object) -> str:
    return str(_words(ctx)[key]).format(**fields)


def _role(ctx: click.Context, role: str) -> str:
    roles = _words(ctx)["roles"]
    assert isinstance(roles, dict)
    return str(roles.get(role, role))


def _fail(ctx: click.Context, exc: UserError) -> NoReturn:
    click.echo(f"error {exc.code}: {exc.message(lang_of(ctx))}", err=True)
    ctx.exit(1)


def _users_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--users",
        "users_file",
        default=None,
        metavar="PATH",
        help="Käyttäjärekisteri / user store (default: NAME.users.sqlite3 beside the session store).",
    )(func)


def _users_file(ctx: click.Context, users_file: str | None, store_path: str | None) -> str:
    if users_file is not None:
        return users_file
    parent = ctx.parent
    while parent is not None:
        if isinstance(parent.obj, dict) and parent.obj.get("users") is not None:
            return str(parent.obj["users"])
        parent = parent.parent
    from asiakasarvo_engine.session.paths import MEMORY, store_target
    from asiakasarvo_engine.session.store import is_url

    store = store_target(chosen_store(ctx, store_path))
    if store == MEMORY:
        raise click.UsageError("an in-memory session store has no user store beside it; give --users PATH")
    if is_url(store):
        raise click.UsageError("a PostgreSQL session store has no user store beside it; give --users PATH")
    return str(users_path(store))


@contextmanager
def _opened(ctx: click.Context, users_file: str | None, store_path: str | None) -> Iterator[UserStore]:
    users = UserStore(_users_file(ctx, users_file, store_path))
    try:
        yield users
    finally:
        users.close()


@click.group("users")
@store_option
@_users_option
@click.pass_context
def users_group(ctx: click.Context, store_path: str | None, users_file: str | None) -> None:
    """Palvelintilan käyttäjät / users of server mode (serve --mode server)."""
    ctx.obj = {"store": store_path, "users": users_file}


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="neuvoja / advisor, coordinator.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Lue salasana syötteen ensimmäiseltä riviltä / read the password from stdin's first line.",
)
@store_option
@_users_option
@click.pass_context
def add_command(  # noqa: PLR0917 - click passes every option
    ctx: click.Context,
    name: str,
    role: str,
    password_stdin: bool,
    store_path: str | None,
    users_file: str | None,
) -> None:
    """Lisää käyttäjä / add a user (the password is asked twice without echo)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_w(ctx, "password"), hide_input=True)
        again = click.prompt(_w(ctx, "again"), hide_input=True)
        if password != again:
            raise click.UsageError(_w(ctx, "mismatch"))
    with _opened(ctx, users_file, store_path) as users:
        try:
            users.add(name, role, password)
        except UserError as exc:
            _fail(ctx, exc)
        click.echo(_w(ctx, "added", role=_role(ctx, role), name=name, path=users.path))


@users_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@store_option
@_users_option
@click.pass_context
def list_command(ctx: click.Context, fmt: str, store_path: str | None, users_file: str | None) -> None:
    """Listaa käyttäjät / list the users (never their passwords or tokens)."""
    with _opened(ctx, users_file, store_path) as users:
        found = users.users()
        if fmt == "json":
            echo_json(
                [{"name": u.name, "role": u.role, "created": u.created, "tokens": u.tokens} for u in found]
            )
            return
        if not found:
            click.echo(_w(ctx, "none", path=users.path))
            return
        click.echo(_w(ctx, "header"))
        for user in found:
            click.echo(f"{user.name}  {_role(ctx, user.role)}  {user.created}  {user.tokens}")


@users_group.command("remove")
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Älä kysy vahvistusta / do not ask for confirmation.")
@store_option
@_users_option
@click.pass_context
def remove_command(
    ctx: click.Context, name: str, yes: bool, store_path: str | None, users_file: str | None
) -> None:
    """Poista käyttäjä ja hänen API-tunnisteensa / remove a user and their API tokens."""
    with _opened(ctx, users_file, store_path) as users:
        if users.get(name) is None:
            _fail(ctx, no_user(name))
        if not yes and not click.confirm(_w(ctx, "confirm", name=name), default=False):
            click.echo(_w(ctx, "cancelled"))
            return
        users.remove(name)
        click.echo(_w(ctx, "removed", name=name))


@users_group.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Poista kaikki tunnisteet / remove every API token instead.")
@store_option
@_users_option
@click.pass_context
def token_command(
    ctx: click.Context, name: str, revoke: bool, store_path: str | None, users_file: str | None
) -> None:
    """Uusi API-tunniste (näytetään kerran) / a new API token, printed once (Authorization: Bearer)."""
    with _opened(ctx, users_file, store_path) as users:
        try:
            if revoke:
                if users.get(name) is None:
                    raise no_user(name)
                click.echo(_w(ctx, "revoked", n=users.revoke_tokens(name), name=name))
                return
            token = users.new_token(name)
        except UserError as exc:
            _fail(ctx, exc)
        click.echo(_w(ctx, "token", name=name), err=True)
        click.echo(token)


def _session(ctx: click.Context, store_path: str | None, reference: str) -> tuple[str, str]:
    """The id and the start time of the session ``reference`` names."""
    from asiakasarvo_engine.cli.sessions import opened
    from asiakasarvo_engine.session.lookup import resolve_session

    with opened(chosen_store(ctx, store_path), readonly=True) as store:
        session_id = resolve_session(store, reference, lang_of(ctx))
        return session_id, store.events(session_id)[0].time


@users_group.command("share")
@click.argument("session")
@click.argument("name")
@store_option
@_users_option
@click.pass_context
def share_command(
    ctx: click.Context, session: str, name: str, store_path: str | None, users_file: str | None
) -> None:
    """Jaa istunto toiselle neuvojalle / let another advisor read and change a session."""
    session_id, started = _session(ctx, store_path, session)
    with _opened(ctx, users_file, store_path) as users:
        try:
            users.share(session_id, started, name)
        except UserError as exc:
            _fail(ctx, exc)
        click.echo(_w(ctx, "shared", id=session_id, name=name))
        click.echo(_w(ctx, "shared_with", names=", ".join(users.shared_with(session_id, started))))


@users_group.command("unshare")
@click.argument("session")
@click.argument("name")
@store_option
@_users_option
@click.pass_context
def unshare_command(
    ctx: click.Context, session: str, name: str, store_path: str | None, users_file: str | None
) -> None:
    """Peru istunnon jako / stop sharing a session with an advisor."""
    session_id, _started = _session(ctx, store_path, session)
    with _opened(ctx, users_file, store_path) as users:
        done = users.unshare(session_id, name)
        click.echo(_w(ctx, "unshared" if done else "not_shared", id=session_id, name=name))
