"""Fair turns between processes that write one session store.

SQLite gives the write lock to whoever asks at the moment it is free. A writer that
commits and at once begins again asks first, because the others are asleep in their retry
waits, so under steady load one process can write thousands of events in a row while
another waits out its whole timeout. Jitter alone shortens those runs but does not end
them, since the committing writer never learns that anybody is waiting.

Here a waiting writer says so: while it waits it holds a shared advisory lock
(``fcntl.lockf``) on the first byte of ``<store>-turns``, a file that only ever holds
locks, never data. Before each write transaction a writer asks, with a non-blocking
exclusive test lock, whether another process is waiting; if one is, it lets that one go
first (for at most :data:`COURTESY_S`) and then queues like everybody else. The operating
system drops the locks of a process that dies, so a crashed waiter blocks nobody.

On a platform without ``fcntl`` (Windows), or where the file cannot be created, turns are
off and writers rely on the store's jittered retries alone.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SUFFIX = "-turns"
"""The lock file's name is the store's name with this suffix."""

COURTESY_S = 0.05
"""The longest a writer waits for a waiting writer to take its turn before it asks itself."""

_STEP_S = 0.0002


class WriterTurns:
    """The waiting flag of one store's writers (one object per store connection)."""

    def __init__(self, store_path: Path) -> None:
        self.path = store_path.with_name(store_path.name + SUFFIX)
        self._fd: int | None = None
        self._waiting = False
        self._broken = fcntl is None

    def _open(self, *, create: bool) -> int | None:
        if self._fd is not None or self._broken:
            return self._fd
        flags = os.O_RDWR | (os.O_CREAT if create else 0)
        try:
            self._fd = os.open(self.path, flags, 0o600)
        except FileNotFoundError:
            return None
        except OSError:
            self._broken = True  # e.g. a read-only folder: turns are off, retries still work
            return None
        return self._fd

    def others_waiting(self) -> bool:
        """Whether another process is waiting for the write lock right now."""
        fd = self._open(create=False)
        if fd is None or self._waiting:
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 0)
        return False

    def let_others_go(self) -> None:
        """When another process waits, give it the chance to take the lock first (bounded)."""
        if not self.others_waiting():
            return
        until = time.monotonic() + COURTESY_S
        while time.monotonic() < until:
            time.sleep(_STEP_S)
            if not self.others_waiting():
                return

    def wait(self) -> bool:
        """Say that this process is waiting (a shared lock); False when it could not say so
        this time (another writer was testing; the next try may)."""
        if self._waiting:
            return True
        fd = self._open(create=True)
        if fd is None:
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, 0)
        except OSError:
            return False
        self._waiting = True
        return True

    def done(self) -> None:
        """This process no longer waits (it got the lock, or gave up)."""
        if self._waiting and self._fd is not None:
            self._waiting = False
            with contextlib.suppress(OSError):
                fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, 0)

    def close(self) -> None:
        """Release the file (and with it any lock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._waiting = False
