"""Wake-ups for live streams: a write on a session wakes every stream following it.

Writes run in worker threads; streams wait in the event loop. :meth:`Hub.notify` is
thread-safe and hands the wake-up to each subscriber's loop.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field


@dataclass(eq=False)
class Subscription:
    """One stream's wake-up flag on one session."""

    session_id: str
    loop: asyncio.AbstractEventLoop
    flag: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait(self, timeout: float) -> bool:
        """Wait for a write (True) or ``timeout`` seconds (False); clears the flag."""
        try:
            await asyncio.wait_for(self.flag.wait(), timeout)
        except TimeoutError:
            return False
        self.flag.clear()
        return True


class Hub:
    """Subscribers per session."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()

    def subscribe(self, session_id: str) -> Subscription:
        """A new subscription in the running loop."""
        sub = Subscription(session_id, asyncio.get_running_loop())
        with self._lock:
            self._subs.setdefault(session_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        """Stop waking ``sub``."""
        with self._lock:
            subs = self._subs.get(sub.session_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[sub.session_id]

    def notify(self, session_id: str, _seq: int = 0) -> None:
        """Wake every stream of ``session_id`` (from any thread)."""
        with self._lock:
            subs = list(self._subs.get(session_id, ()))
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub.flag.set)
            except RuntimeError:  # the loop is closed: the stream is gone
                self.unsubscribe(sub)
