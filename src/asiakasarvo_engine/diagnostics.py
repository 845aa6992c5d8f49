"""Diagnostics: what went wrong, where, what was expected and what was found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from asiakasarvo_engine.codes import CODES, Severity, render


class Hint(str):
    """A hint in English (the string itself) that also knows its Finnish words (``fi``)."""

    fi: str

    def __new__(cls, en: str, fi: str) -> Hint:
        hint = super().__new__(cls, en)
        hint.fi = fi
        return hint


@dataclass(frozen=True, slots=True)
class Span:
    """A position in a source file; line and column are 1-based."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in an input, as data.

    ``code`` is a stable id from :mod:`asiakasarvo_engine.codes`; ``pointer`` is an
    RFC 6901 JSON pointer into the document; ``span`` is the source position.
    """

    code: str
    severity: Severity
    pointer: str = ""
    span: Span | None = None
    expected: str = ""
    found: str = ""
    hint: str = ""
    fields: tuple[tuple[str, str], ...] = field(default=())

    def message(self, lang: str = "en") -> str:
        """The human message in ``fi`` or ``en``, without the location.

        ``expected``, ``found`` and ``hint`` are English; ``fields`` may hold ``expected_fi``,
        ``found_fi`` and ``hint_fi`` for the Finnish message.
        """
        extra = dict(self.fields)
        finnish = {name: extra.pop(f"{name}_fi", "") for name in ("expected", "found", "hint")}
        if lang != "fi":
            finnish = {}
        text = render(self.code, lang, expected=finnish.get("expected") or self.expected,
                      found=finnish.get("found") or self.found, **extra)
        hint = finnish.get("hint") or self.hint
        if hint:
            text += f" ({hint})"
        return text

    @property
    def location(self) -> str:
        """``file:line:column`` when known, else the file, else the pointer."""
        if self.span is not None:
            return str(self.span)
        return self.pointer or "<input>"

    def __str__(self) -> str:
        where = self.location
        if self.span is not None and self.pointer:
            where += f" [{self.pointer}]"
        return f"{where}: {self.severity} {self.code}: {self.message()}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for ``--format json`` and embedding tools."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": self.span.file if self.span else None,
            "line": self.span.line if self.span else None,
            "column": self.span.column if self.span else None,
            "pointer": self.pointer,
            "expected": self.expected,
            "found": self.found,
            "hint": self.hint,
            "message": {"fi": self.message("fi"), "en": self.message("en")},
        }


def make(
    code: str,
    *,
    pointer: str = "",
    span: Span | None = None,
    expected: object = "",
    found: object = "",
    hint: str = "",
    severity: Severity | None = None,
    expected_fi: str = "",
    found_fi: str = "",
) -> Diagnostic:
    """Build a diagnostic; the severity defaults to the catalogue's. ``expected_fi``,
    ``found_fi`` and a :class:`Hint`'s Finnish words serve the Finnish message."""
    entry = CODES[code]
    hint_fi = getattr(hint, "fi", "")
    localized = tuple((name, text) for name, text in (
        ("expected_fi", expected_fi), ("found_fi", found_fi), ("hint_fi", hint_fi)) if text)
    return Diagnostic(
        code=code,
        severity=severity or entry.severity,
        pointer=pointer,
        span=span,
        expected=str(expected),
        found=str(found),
        hint=str(hint),
        fields=localized,
    )


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_STAGE_ORDER = {"SRC": 0, "FMT": 1, "SCH": 2, "EXPR": 3, "BANK": 4, "RULE": 4, "ANS": 5}


def _rank_key(diag: Diagnostic) -> tuple[int, int, str, int, int, str]:
    span = diag.span
    return (
        _SEVERITY_ORDER[diag.severity],
        _STAGE_ORDER.get(diag.code.split("-")[0], 9),
        span.file if span else "",
        (span.line or 0) if span else 0,
        (span.column or 0) if span else 0,
        diag.code,
    )


def rank(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Order diagnostics: errors first, earlier stages first, then by position.

    Exact duplicates (same code, place and details) are reported once.
    """
    unique = dict.fromkeys(diagnostics)
    return tuple(sorted(unique, key=_rank_key))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)
