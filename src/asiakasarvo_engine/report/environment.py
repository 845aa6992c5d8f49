"""The Jinja2 environment of the report templates: sandboxed, strict, Markdown-escaping.

Templates run in an :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` (no access to
internals, no mutation of the model), with :class:`~jinja2.StrictUndefined` (a misspelt
name is an error, never an empty string) and ``finalize`` set to
:func:`.escape.escape_markdown`: every value a template prints is text, so the template's
own literal text is the only Markdown markup in the output.
"""

from __future__ import annotations

from functools import cache

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from asiakasarvo_engine.report.escape import escape_markdown


def label(text: str) -> str:
    """``text`` followed by a colon, unless it already ends in a question mark or other stop."""
    return text if text.rstrip().endswith(("?", "!", ":", ".")) else f"{text}:"


@cache
def environment() -> ImmutableSandboxedEnvironment:
    """The shared, compile-once environment of the report templates."""
    env = ImmutableSandboxedEnvironment(  # output is Markdown: finalize escapes every value
        loader=PackageLoader("asiakasarvo_engine.report", "templates"),
        undefined=StrictUndefined,
        finalize=escape_markdown,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["label"] = label
    return env
