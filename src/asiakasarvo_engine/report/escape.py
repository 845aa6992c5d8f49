"""User text into Markdown as text, never as markup.

Every value a template prints goes through :func:`escape_markdown` (the Jinja
environment's ``finalize``), so an answer, a note or a company name cannot open a
link, an image, emphasis, a heading, a list, a table cell or an HTML tag: the
characters that mean something to CommonMark are backslash-escaped, whitespace runs
(newlines included) become one space, and control characters are dropped. Paragraphs
of long text are split before they reach a template (:func:`paragraphs`).
"""

from __future__ import annotations

import re

# Characters that open or close inline markup anywhere in a line (CommonMark + tables +
# strikethrough). ``&`` is escaped so that entities such as ``&lt;`` stay literal text.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# What starts a block when it comes first on a line: headings, quotes, list bullets,
# setext underlines and thematic breaks.
_LINE_START = re.compile(r"^([#>+=\-])")
# An ordered-list marker: up to nine digits, then ``.`` or ``)`` and a space or the end.
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# Whitespace to fold; the no-break spaces of number formats are kept.
_SPACE = re.compile(r"[^\S\u00a0\u202f]+")
# C0/C1 controls (other than whitespace) and lone surrogates: not text, and invalid in DOCX XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def clean(text: str) -> str:
    """Text with control characters dropped and whitespace folded to single spaces."""
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()


def escape_markdown(value: object) -> str:
    """One line of Markdown that renders exactly as ``value`` reads (``None`` is a dash)."""
    if value is None:
        return "–"
    text = clean(str(value))
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


def paragraphs(text: str | None) -> list[str]:
    """Long text split at blank lines into paragraphs (each folded; empty ones dropped)."""
    if not text:
        return []
    parts = (clean(part) for part in _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n")))
    return [part for part in parts if part]
