"""``asiakasarvo serve``: the HTTP API on uvicorn (local mode: 127.0.0.1 with a one-time token URL)."""

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
def serve_command(host: str, port: int, store_path: str | None, no_browser: bool) -> None:
    """Palvele HTTP-rajapintaa / serve the HTTP API (first line of output: the URL to open)."""
    import socket

    import uvicorn

    from asiakasarvo_engine.errors import EngineError
    from asiakasarvo_engine.scoring.program import load_program
    from asiakasarvo_engine.server import ServerConfig, create_app
    from asiakasarvo_engine.session.paths import open_store

    if not _loopback(host):
        raise EngineError(
            f"cannot serve on {host}: local mode binds loopback only (server mode is not "
            "available in this version)",
            code="HTTP-013",
        )
    program = load_program()
    store = open_store(store_path)
    app = create_app(ServerConfig(program, store))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
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
    url = f"http://{host}:{bound}/?token={app.state.ctx.auth.local_token}"
    click.echo(url)
    sys.stdout.flush()
    if not no_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, access_log=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        store.close()
