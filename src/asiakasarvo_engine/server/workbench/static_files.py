"""The workbench's static files, served from the package (works offline, no build step)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

from asiakasarvo_engine.server.problems import coded

static_router = APIRouter(prefix="/wb/static", include_in_schema=False)

FILES = {
    "htmx.min.js": "text/javascript; charset=utf-8",
    "workbench.js": "text/javascript; charset=utf-8",
    "workbench.css": "text/css; charset=utf-8",
    "htmx.LICENSE": "text/plain; charset=utf-8",
}
"""Every file served, with its media type; nothing else under ``static/`` is reachable."""


@cache
def _content(name: str) -> bytes:
    return resources.files("asiakasarvo_engine.server.workbench").joinpath("static", name).read_bytes()


@static_router.get("/{name}")
def static_file(name: str) -> Response:
    """One of :data:`FILES` (cached by the browser for an hour)."""
    media = FILES.get(name)
    if media is None:
        raise coded(404, "HTTP-005", found=name[:80])
    return Response(_content(name), media_type=media, headers={"Cache-Control": "max-age=3600"})
