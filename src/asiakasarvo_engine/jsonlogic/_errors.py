"""Errors of the expression language, with code, JSON pointer and infix column."""

from __future__ import annotations

from typing import Any

from asiakasarvo_engine.codes import render
from asiakasarvo_engine.errors import EngineError, EvaluationError, SecurityError

__all__ = [
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionLimitError",
    "escape_pointer",
]


def escape_pointer(token: object) -> str:
    """Escape one RFC 6901 reference token."""
    return str(token).replace("~", "~0").replace("/", "~1")


class ExpressionError(EngineError):
    """A rule or infix text is invalid, or its evaluation failed.

    Attributes: ``code`` (``EXPR-0xx``), ``found``, ``expected``, ``column`` (1-based
    column in infix text, or ``None``) and ``pointer`` (RFC 6901 pointer inside the rule).
    """

    def __init__(
        self,
        code: str,
        *,
        found: object = None,
        expected: object = None,
        column: int | None = None,
        pointer: str = "",
        hint: str | None = None,
    ) -> None:
        self.code = code
        self.found = found
        self.expected = expected
        self.column = column
        self.pointer = pointer
        self.hint = hint
        super().__init__(self.text("en"), code=code)

    def text(self, lang: str = "en") -> str:
        """The message in ``fi`` or ``en``: code, what was wrong, column and pointer, hint.

        Text the parser itself gives (Python's syntax messages) stays as it is.
        """
        fields: dict[str, Any] = {}
        if self.found is not None:
            fields["found"] = self.found
        if self.expected is not None:
            fields["expected"] = self.expected
        text = f"{self.code}: {render(self.code, lang, **fields)}"
        fi = lang == "fi"
        where = []
        if self.column is not None:
            where.append(f"{'sarake' if fi else 'column'} {self.column}")
        if self.pointer:
            where.append(f"{'kohdassa' if fi else 'at'} {self.pointer}")
        if where:
            text += " (" + ", ".join(where) + ")"
        hint = (getattr(self.hint, "fi", "") or self.hint) if fi else self.hint
        if hint:
            text += f"; {hint}"
        return text

    def at(self, pointer: str) -> ExpressionError:
        """Set the pointer if none is known yet; return ``self`` for ``raise``."""
        if not self.pointer:
            self.pointer = pointer
            self.args = (self.text("en"),)
        return self


class ExpressionLimitError(ExpressionError, SecurityError):
    """A safety bound (depth, size, number magnitude, string length) was exceeded."""


class ExpressionEvaluationError(ExpressionError, EvaluationError):
    """Evaluation failed (``EXPR-010``); ``error_type`` names it for ``try``/``throw``.

    ``payload`` is the value given to ``throw`` (or ``{"type": error_type}``).
    """

    def __init__(self, error_type: str, *, payload: object = None, pointer: str = "") -> None:
        self.error_type = error_type
        self.payload: object = {"type": error_type} if payload is None else payload
        super().__init__("EXPR-010", found=error_type, pointer=pointer)
