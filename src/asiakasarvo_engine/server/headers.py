"""The security headers on every response (a pure ASGI middleware: no task or stream per request).

``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and ``Referrer-Policy:
no-referrer`` on every response, and ``Cache-Control: no-store`` on ``/api/`` ones; a
header the route set itself is kept.
"""

from __future__ import annotations

from asiakasarvo_engine.server.limits import ASGIApp, Message, Receive, Scope, Send

_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
_API = ((b"cache-control", b"no-store"),)


class SecurityHeaders:
    """ASGI middleware adding the headers of the module's docstring unless already set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the missing headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _ALWAYS + _API if str(scope.get("path", "")).startswith("/api/") else _ALWAYS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {bytes(key).lower() for key, _ in headers}
                headers.extend((key, value) for key, value in extra if key not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
