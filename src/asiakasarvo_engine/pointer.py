"""RFC 6901 JSON pointers."""

from __future__ import annotations

from collections.abc import Iterable


def escape(token: str | int) -> str:
    """Escape one reference token."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join(base: str, *tokens: str | int) -> str:
    """Append tokens to a pointer: ``join("/a", "b", 0) == "/a/b/0"``."""
    return base + "".join("/" + escape(token) for token in tokens)


def from_path(path: Iterable[str | int]) -> str:
    """Build a pointer from a sequence of keys and indexes."""
    return join("", *path)


def parts(pointer: str) -> list[str]:
    """Split a pointer into unescaped tokens."""
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def parent(pointer: str) -> str:
    """The pointer one level up (the root's parent is the root)."""
    return pointer.rsplit("/", 1)[0] if pointer else ""
