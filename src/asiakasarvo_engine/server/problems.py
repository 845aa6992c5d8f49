"""Errors of the HTTP API as ``application/problem+json`` (RFC 9457), in the request's language.

Every refusal is a :class:`Problem`: an HTTP status, the engine's stable code, a title and a
detail in Finnish or English (``Accept-Language``; Finnish by default), and the
diagnostics behind it, each with its JSON pointer (``Diagnostic.to_dict``). Extra members
(``state`` on a 409, ``retry_after`` on a 429) travel beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from asiakasarvo_engine.codes import CODES, render
from asiakasarvo_engine.diagnostics import Diagnostic, make

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://asiakasarvo.fi/problems/"
"""Problem types are the code under this base (``.../problems/HTTP-009``); the page need not exist."""

_TITLES: dict[int, tuple[str, str]] = {
    400: ("Virheellinen pyyntö", "Bad request"),
    401: ("Ei kirjautunut", "Not signed in"),
    403: ("Kielletty", "Forbidden"),
    404: ("Ei löydy", "Not found"),
    405: ("Menetelmä ei sallittu", "Method not allowed"),
    409: ("Ristiriita", "Conflict"),
    413: ("Liian suuri pyyntö", "Content too large"),
    415: ("Sisältötyyppiä ei tueta", "Unsupported media type"),
    422: ("Käsittelykelvoton sisältö", "Unprocessable content"),
    428: ("Ennakkoehto puuttuu", "Precondition required"),
    429: ("Liian monta pyyntöä", "Too many requests"),
    500: ("Sisäinen virhe", "Internal server error"),
}


def language(accept_language: str | None) -> str:
    """``fi`` or ``en`` from an ``Accept-Language`` header (highest q first; default fi)."""
    if not accept_language:
        return "fi"
    best: tuple[float, str] | None = None
    for part in accept_language.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if primary in {"fi", "en"} and quality > 0 and (best is None or quality > best[0]):
            best = (quality, primary)
    return best[1] if best else "fi"


class Problem(Exception):  # noqa: N818 - it is the RFC's word, and it is raised
    """A refusal of the API with its status, code, diagnostics and extra members."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        diagnostics: Iterable[Diagnostic] = (),
        detail: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
        **fields: object,
    ) -> None:
        self.status = status
        self.code = code
        self.diagnostics = tuple(diagnostics)
        self.fields = fields
        self.detail_text = dict(detail) if detail else None
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})
        super().__init__(f"{status} {code}")

    def detail(self, lang: str) -> str:
        """The human explanation in ``lang``."""
        if self.detail_text:
            return (
                self.detail_text.get(lang)
                or self.detail_text.get("en")
                or next(iter(self.detail_text.values()))
            )
        if self.code in CODES:
            return render(self.code, lang, **self.fields)
        return self.code

    def body(self, lang: str, instance: str) -> dict[str, Any]:
        """The problem document (RFC 9457 members first, then ours)."""
        fi, en = _TITLES.get(self.status, ("Virhe", "Error"))
        document: dict[str, Any] = {
            "type": TYPE_BASE + self.code,
            "title": fi if lang == "fi" else en,
            "status": self.status,
            "detail": self.detail(lang),
            "instance": instance,
            "code": self.code,
            "lang": lang,
            "diagnostics": [_diagnostic(d, lang) for d in self.diagnostics],
        }
        document.update(self.extra)
        return document


def _diagnostic(diag: Diagnostic, lang: str) -> dict[str, Any]:
    data = diag.to_dict()
    data["text"] = diag.message(lang)
    return data


def coded(
    status: int,
    code: str,
    *,
    pointer: str = "",
    found: object = "",
    expected: object = "",
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Problem:
    """A problem with one diagnostic of ``code`` at ``pointer`` (the catalogue words)."""
    diag = make(code, pointer=pointer, found=found, expected=expected)
    return Problem(
        status, code, diagnostics=[diag], headers=headers, extra=extra, found=found, expected=expected
    )


def from_engine(
    status: int,
    code: str,
    message: str,
    diagnostic: Diagnostic | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Problem:
    """A problem from an engine error: its own message in English, the catalogue's in Finnish
    when the error carries a diagnostic."""
    if diagnostic is None:
        return Problem(status, code, detail={"en": message, "fi": message}, extra=extra)
    return Problem(
        status,
        code,
        diagnostics=[diagnostic],
        extra=extra,
        detail={"en": message, "fi": diagnostic.message("fi")},
    )
