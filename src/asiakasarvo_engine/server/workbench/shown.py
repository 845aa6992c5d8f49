"""Which item each session's meeting view shows now, so the client's screen can follow.

Kept in memory, one registry per server: what a screen shows is no fact of the analysis, so
it is no event in the log.
"""

from __future__ import annotations

import threading

from fastapi import Request

from asiakasarvo_engine.server.deps import context


class Shown:
    """The item each session's meeting view shows now (one per server)."""

    def __init__(self) -> None:
        self._items: dict[str, str] = {}
        self._lock = threading.Lock()

    def set(self, session_id: str, item: str) -> bool:
        """Record the item; True when it changed."""
        with self._lock:
            changed = self._items.get(session_id) != item
            self._items[session_id] = item
        return changed

    def get(self, session_id: str) -> str | None:
        """The item shown, if the meeting view has shown one."""
        with self._lock:
            return self._items.get(session_id)


def shown(request: Request) -> Shown:
    """The server's :class:`Shown` (made on first use)."""
    state = request.app.state
    if not hasattr(state, "workbench_shown"):
        state.workbench_shown = Shown()
    registry: Shown = state.workbench_shown
    return registry


def showing(request: Request, session_id: str, item: str | None) -> None:
    """The meeting view shows ``item``: wake the client's screen when that is new."""
    if item is not None and shown(request).set(session_id, item):
        context(request).hub.notify(session_id)
