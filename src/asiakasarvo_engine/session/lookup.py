"""Which session a reference names: a whole id, a unique prefix of one, or a company name.

Every command that takes a session (``interview --session``, ``sessions show``,
``score``, ``report`` ...) resolves what the advisor typed here, so ``3f2a`` or
``Konepaja`` works wherever the 32-character id does. The whole id always wins; then a
unique id prefix; then the company name, whole (case and spacing ignored) before a
unique prefix of it. A reference that names no session is SES-001, one that names
several is SES-020; both list the candidates so the advisor can pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from asiakasarvo_engine.errors import EngineError, SessionNotFoundError

if TYPE_CHECKING:
    from asiakasarvo_engine.session.store import SessionSummary, Store

_FILE_SUFFIXES = (".yaml", ".yml", ".json")
_SHOWN = 10
"""At most this many candidates are listed in an error."""

_WORDS = {
    "fi": {"unknown": "istuntoa {ref!r} ei löydy (ei tunnusta, tunnuksen alkua eikä yrityksen nimeä)",
           "close": "; lähimmät: {names}", "none": "; varastossa ei ole istuntoja",
           "ambiguous": "{ref!r} sopii {n} istuntoon: {names}; anna pidempi tunnuksen alku"},
    "en": {"unknown": "no session {ref!r} (no id, id prefix or company name matches)",
           "close": "; closest: {names}", "none": "; the store holds no sessions",
           "ambiguous": "{ref!r} matches {n} sessions: {names}; give a longer id prefix"},
}


class AmbiguousSessionError(EngineError):
    """A reference that fits more than one session."""

    code = "SES-020"

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


class UnknownSessionError(SessionNotFoundError):
    """A reference that fits no session (SES-001, with the closest candidates)."""

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


def is_reference(text: str) -> bool:
    """Whether a command-line source may name a session rather than a file: no folder
    separator and no answers-file suffix (``x.answers.yaml`` is always a file)."""
    return (0 < len(text) <= 200 and "/" not in text and "\\" not in text
            and not text.lower().endswith(_FILE_SUFFIXES))


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _describe(summary: SessionSummary, lang: str) -> str:
    from asiakasarvo_engine.report.formats import Formats

    company = summary.company or "-"
    return f"{summary.id} ({company}, {Formats(lang, missing='-').moment(summary.started)})"


def matches(summaries: Sequence[SessionSummary], reference: str) -> list[SessionSummary]:
    """The sessions ``reference`` fits, by the first rule that fits any: the whole id,
    an id prefix, the whole company name, a prefix of the company name."""
    wanted = reference.strip()
    folded = _fold(wanted)
    if not folded:
        return []
    rules = (lambda s: s.id == wanted,
             lambda s: s.id.lower().startswith(wanted.lower()),
             lambda s: _fold(s.company) == folded,
             lambda s: bool(s.company) and _fold(s.company).startswith(folded))
    for rule in rules:
        found = [s for s in summaries if rule(s)]
        if found:
            return found
    return []


def resolve_session(store: Store, reference: str, lang: str = "fi") -> str:
    """The id of the one session ``reference`` names (raises SES-001 or SES-020)."""
    from asiakasarvo_engine.suggest import closest

    words = _WORDS["en" if lang == "en" else "fi"]
    summaries = store.sessions()
    found = matches(summaries, reference)
    if len(found) == 1:
        return found[0].id
    if found:
        names = ", ".join(_describe(s, lang) for s in found[:_SHOWN]) + (" …" if len(found) > _SHOWN else "")
        raise AmbiguousSessionError(words["ambiguous"].format(ref=reference, n=len(found), names=names),
                                    [s.id for s in found])
    by_key = {s.id: s for s in summaries}
    by_key.update({s.company: s for s in summaries if s.company})
    near = [by_key[key] for key in closest(reference, by_key, limit=3)]
    near = list({s.id: s for s in near}.values())[:3]
    message = words["unknown"].format(ref=reference)
    if near:
        message += words["close"].format(names=", ".join(_describe(s, lang) for s in near))
    elif not summaries:
        message += words["none"]
    raise UnknownSessionError(message, [s.id for s in near])
