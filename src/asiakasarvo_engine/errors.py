"""Exception hierarchy of the engine.

Every error that reaches a user carries diagnostics (see :mod:`diagnostics`) or at
least a stable code, so the CLI never shows a bare traceback for bad input.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asiakasarvo_engine.diagnostics import Diagnostic


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""

    code: str = "ENGINE"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class DiagnosticsError(EngineError):
    """An error that holds one or more diagnostics, all of them worth reporting."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        from asiakasarvo_engine.diagnostics import rank

        self.diagnostics: tuple[Diagnostic, ...] = rank(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = str(first) if first is not None else "unknown error"
        extra = len(self.diagnostics) - 1
        if extra > 0:
            summary += f" (+{extra} more)"
        super().__init__(summary, code=first.code if first is not None else None)


class LoadError(DiagnosticsError):
    """A file could not be read, parsed or validated."""


class CompileError(DiagnosticsError):
    """A bank or rule set is well formed but inconsistent (lint errors)."""


class EvaluationError(EngineError):
    """An expression failed while being evaluated."""


class SecurityError(EngineError):
    """An input exceeded a safety bound (depth, size, number magnitude)."""


class SessionNotFoundError(EngineError):
    """No session has this id in the store."""

    code = "SES-001"


class ConflictError(EngineError):
    """Another writer appended to the session first; reload and retry."""

    code = "SES-002"

    def __init__(self, session_id: str, expected: int, actual: int) -> None:
        super().__init__(f"session {session_id}: expected to write event {expected + 1}, but the log "
                         f"already has {actual} events; reload the session and retry")
        self.session_id = session_id
        self.expected = expected
        self.actual = actual


class StoreError(EngineError):
    """The store file is corrupt, foreign or of a newer schema; it is left untouched."""

    code = "SES-003"


class StoreBusyError(EngineError):
    """Other writers kept the store's write lock for longer than the bounded wait; nothing
    was written, and the same call may simply be retried (SES-030)."""

    code = "SES-030"

    def __init__(self, path: str, seconds: float) -> None:
        self.path, self.seconds = path, seconds
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        from asiakasarvo_engine.codes import render

        return render(self.code, lang, path=self.path, seconds=f"{self.seconds:g}")


class ErasureIncompleteError(EngineError):
    """An erasure deleted the rows, but copies of them remain in the store's files because
    another program holds a read transaction from before; ``remaining`` names those files
    and ``asiakasarvo sessions compact`` finishes the erasure (SES-031)."""

    code = "SES-031"

    def __init__(self, path: str, remaining: tuple[str, ...], *, session_id: str | None,
                 seconds: float) -> None:
        self.path, self.remaining, self.session_id, self.seconds = path, remaining, session_id, seconds
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        from asiakasarvo_engine.codes import render

        joined = (" ja " if lang == "fi" else " and ").join(self.remaining)
        return render(self.code, lang, path=self.path, files=joined, seconds=f"{self.seconds:g}")


class ReadOnlyStoreError(StoreError):
    """A write to a store opened for reading, or to a file or folder that cannot be
    written; nothing was written (SES-032)."""

    code = "SES-032"

    def __init__(self, path: str, found: str) -> None:
        self.path, self.found = path, found
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        from asiakasarvo_engine.codes import render

        return render(self.code, lang, path=self.path, found=self.found)
