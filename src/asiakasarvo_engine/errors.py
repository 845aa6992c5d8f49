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
