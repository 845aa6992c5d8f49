"""The workbench's Jinja2 environment (autoescaped: no answer, name or note becomes markup)
and the headers every page carries: a strict Content-Security-Policy and no caching."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import escape as _escape

from asiakasarvo_engine.server.workbench.texts import translator

__all__ = ["CSP", "environment", "escape", "fragment", "page", "translator"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""Scripts and styles from this server only, no inline code, no framing, no other origin."""


@cache
def environment() -> Environment:
    """The templates of the workbench package."""
    return Environment(
        loader=PackageLoader("asiakasarvo_engine.server.workbench", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def escape(text: str) -> str:
    """``text`` safe inside HTML."""
    return str(_escape(text))


def _html(body: str, status: int) -> HTMLResponse:
    return HTMLResponse(
        body, status_code=status, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"}
    )


def _render(name: str, values: dict[str, Any]) -> str:
    lang = values.get("lang", "fi")
    return environment().get_template(name).render(t=translator(lang), **values)


def page(name: str, values: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A whole page."""
    return _html(_render(name, values), status)


def fragment(name: str, values: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A piece of a page for htmx to swap in."""
    return _html(_render(name, values), status)
