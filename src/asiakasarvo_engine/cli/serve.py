"""``asiakasarvo serve``: the HTTP API on uvicorn.

Local mode (default): 127.0.0.1 only, one user, a one-time token URL. Server mode
(``--mode server``): any address, users from the user store beside the session store
(``asiakasarvo users``) sign in at ``POST /api/v1/login`` or send an API token.
"""

from __future__ import annotations

import ipaddress
import sys

import click

LOOPBACK = "127.0.0.1"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option(
    "--host", default=LOOPBACK, show_default=True, help="Address to bind; local mode binds loopback only."
)
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port)."
)
@click.option(
    "--store",
    "store_path",
    default=None,
    metavar="PATH",
    help="Session store (default: $ASIAKASARVO_STORE or the user data folder).",
)
@click.option("--no-browser", is_flag=True, help="Do not open the URL in a browser.")
@click.option(
    "--mode",
    type=click.Choice(["local", "server"]),
    default="local",
    show_default=True,
    help="Paikallinen tai palvelin (käyttäjät kirjautuvat) / local or server (users sign in).",
)
@click.option(
    "--users",
    "users_file",
    default=None,
    metavar="PATH",
    help="Käyttäjärekisteri / user store (default: NAME.users.sqlite3 beside the session store).",
)
@click.option(
    "--branding",
    "branding_path",
    default=None,
    metavar="FILE",
    help="Organisaation nimi ja logo raportteihin / the organisation's name and logo on reports "
    "(default: $ASIAKASARVO_BRANDING).",
)
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="Evästeet vain HTTPS:llä / mark cookies Secure (set when a TLS proxy is in front).",
)
def serve_command(  # noqa: PLR0917 - click passes every option
    host: str,
    port: int,
    store_path: str | None,
    no_browser: bool,
    mode: str,
    users_file: str | None,
    secure_cookies: bool,
    branding_path: str | None,
) -> None:
    """Palvele HTTP-rajapintaa / serve the HTTP API (first line of output: the URL to open)."""
    import socket

    import uvicorn

    from asiakasarvo_engine.errors import EngineError
    from asiakasarvo_engine.scoring.program import load_program
    from asiakasarvo_engine.server import ServerConfig, create_app
    from asiakasarvo_engine.server.users import UserStore, users_path
    from asiakasarvo_engine.session.paths import MEMORY, open_store, store_target
    from asiakasarvo_engine.session.store import is_url

    if mode == "local" and not _loopback(host):
        raise EngineError(
            f"cannot serve on {host}: local mode binds loopback only; use --mode server "
            "(users sign in) to serve other addresses",
            code="HTTP-013",
        )
    users = None
    if mode == "server":
        target = store_target(store_path)
        if users_file is None and target == MEMORY:
            raise EngineError("server mode with an in-memory store needs --users PATH", code="HTTP-013")
        if users_file is None and is_url(target):
            raise EngineError("server mode with a PostgreSQL store needs --users PATH (no file lies "
                              "beside a database)", code="HTTP-013")
        users = UserStore(users_file or users_path(target))
        if not users.users():
            raise EngineError(
                f"cannot serve on {host}: server mode needs users; add one with "
                f"'asiakasarvo users add NAME --role advisor' (user store {users.path})",
                code="HTTP-013",
            )
    from asiakasarvo_engine.report.branding import branding_from

    branding = branding_from(branding_path)
    program = load_program()
    store = open_store(store_path)
    app = create_app(
        ServerConfig(
            program, store, mode="server" if users else "local", users=users, secure_cookies=secure_cookies,
            branding=branding,
        )
    )
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit TCP_NODELAY: a response's head and body are two writes, and
    # Nagle would hold the body for the client's delayed ACK (40 ms a keep-alive request).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise EngineError(f"cannot serve on {host}:{port}: {exc.strerror or exc}", code="HTTP-013") from None
    sock.listen(2048)  # connections made as soon as the URL is printed wait in the backlog
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    token = app.state.ctx.auth.local_token
    url = f"http://{shown}:{bound}/" + (f"?token={token}" if token else "")
    click.echo(url)
    sys.stdout.flush()
    if not no_browser and token:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, access_log=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        store.close()
        if users is not None:
            users.close()
