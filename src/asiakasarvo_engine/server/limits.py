"""The gate every request body passes before a route sees it (an ASGI middleware).

A body is read whole, up to :data:`MAX_BODY_BYTES` (a larger one, declared or streamed,
is HTTP-002, 413); a non-empty body must be ``application/json`` (HTTP-003, 415), UTF-8,
valid JSON without duplicate keys or non-finite numbers (HTTP-001, 400) and nested at most
:data:`MAX_DEPTH` levels (HTTP-004, 400). Only then is it handed on, byte for byte, so
nothing is stored from a body the gate refused.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from asiakasarvo_engine.server.problems import PROBLEM_JSON, Problem, coded, language

MAX_BODY_BYTES = 1024 * 1024
"""The largest request body accepted: 1 MiB (a whole exported session fits many times)."""
MAX_DEPTH = 32
"""The deepest JSON nesting accepted in a request body."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def send_problem(scope: Scope, send: Send, problem: Problem) -> None:
    """Answer the request with ``problem`` as problem+json (used outside FastAPI's handlers)."""
    lang = language(_header(scope, b"accept-language"))
    body = json.dumps(problem.body(lang, str(scope.get("path", ""))), ensure_ascii=False).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"content-language", lang.encode()),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key[:60]!r}")
        result[key] = value
    return result


def json_depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (a scalar is 0); iterative."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((child, depth) for child in node)
    return deepest


def check_body(body: bytes, content_type: str | None) -> None:
    """Raise a :class:`Problem` unless ``body`` is acceptable JSON (an empty body is)."""
    if not body:
        return
    media = (content_type or "").split(";")[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise coded(415, "HTTP-003", found=media or "none", expected="application/json")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise coded(400, "HTTP-001", found=f"not UTF-8 at byte {exc.start}") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise coded(
            400, "HTTP-004", found="deeper than the parser's limit", expected=f"{MAX_DEPTH} levels"
        ) from None
    except json.JSONDecodeError as exc:
        raise coded(400, "HTTP-001", found=f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError as exc:
        raise coded(400, "HTTP-001", found=str(exc)[:120]) from None
    depth = json_depth(data)
    if depth > MAX_DEPTH:
        raise coded(400, "HTTP-004", found=f"more than {MAX_DEPTH} levels", expected=f"{MAX_DEPTH} levels")


class BodyGuard:
    """ASGI middleware: size, media type and JSON shape of every request body (see the module)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read, check and replay the body; answer a refusal as problem+json."""
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = f"{self.max_bytes} bytes"
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.max_bytes):
            await send_problem(
                scope, send, coded(413, "HTTP-002", found=f"{declared[:20]} bytes", expected=limit)
            )
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_problem(
                    scope, send, coded(413, "HTTP-002", found=f"more than {limit}", expected=limit)
                )
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            check_body(body, _header(scope, b"content-type"))
        except Problem as problem:
            await send_problem(scope, send, problem)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
