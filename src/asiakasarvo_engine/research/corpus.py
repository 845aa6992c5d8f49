"""A corpus: analyses read from answers files, session exports and session stores.

Each :class:`Analysis` keeps the answers, who and when, and the bank and rules it was
pinned to (a session pins both by content hash; an answers file names its bank and
pins no rules). Company ids are never put out as they are: :func:`pseudonym` turns a
business id into a keyed HMAC-SHA256 with a key the user keeps in a file of their own
(:func:`read_key`). A plain hash would not do: there are only about ten million business
ids, so hashing them all and looking the hash up takes seconds.

Sources, by what they are:

* a folder: every ``*.answers.yaml``/``.yml``/``.json`` and ``*.session.json`` in it (sorted by name,
  not recursive);
* a SQLite session store (recognised by its header): every session in it, oldest first;
* a JSON file whose ``kind`` is ``session``: a session export;
* anything else: an answers file, checked against the bank (every problem is reported).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.answers_load import load_answers
from asiakasarvo_engine.bank.compiled import CompiledBank
from asiakasarvo_engine.errors import EngineError
from asiakasarvo_engine.session.clock import meeting_date
from asiakasarvo_engine.session.events import Event, Started
from asiakasarvo_engine.session.state import fold

MIN_KEY_BYTES = 16
"""The shortest pseudonymisation key accepted (128 bits)."""
PSEUDONYM_HEX = 32
"""Hex digits of the HMAC kept in a pseudonym (128 bits: no collisions in practice)."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_ANSWERS_SUFFIXES = (".answers.yaml", ".answers.yml", ".answers.json")
_EXPORT_SUFFIX = ".session.json"


class ResearchError(EngineError):
    """A research input that cannot be used (a key file, a corpus source)."""

    code = "RES-001"


class CodedResearchError(ResearchError):
    """A research error with a catalogued code and fi/en texts (``codes.py``)."""

    def __init__(self, code: str, **fields: object) -> None:
        self.fields = fields
        super().__init__(self._render(code, "en"), code=code)

    def _render(self, code: str, lang: str) -> str:
        """The template filled in ``lang``; a field given as ``{"fi": ..., "en": ...}`` in its language."""
        from asiakasarvo_engine.codes import render

        fields = {name: value.get(lang, value.get("en")) if isinstance(value, dict) else value
                  for name, value in self.fields.items()}
        return render(code, lang, **fields)

    def message(self, lang: str) -> str:
        """The message in ``fi`` or ``en``."""
        return self._render(self.code, lang)


def optional_module(name: str) -> ModuleType:
    """Import a module of the ``research`` extra, or raise RES-020 saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise CodedResearchError("RES-020", found=name.partition(".")[0]) from None


@dataclass(frozen=True, slots=True)
class PinnedVersion:
    """The bank or rule set an analysis was made with (hash None: not pinned by content)."""

    id: str
    version: str | None
    hash: str | None = None


@dataclass(frozen=True)
class Analysis:
    """One analysis of a corpus: its answers, company, date and pins."""

    source: str
    """Where it was read: a file path, or ``store#session-id``."""
    kind: str
    """``answers``, ``export`` or ``store``."""
    answers: Mapping[str, AnswerEntry]
    business_id: str | None
    company_name: str | None
    date: str | None
    advisor: str | None
    bank: PinnedVersion
    rules: PinnedVersion | None
    """The rules a session was started with; None for an answers file (it pins none)."""
    zone: str | None = None


def read_key(path: str | Path) -> bytes:
    """The pseudonymisation key in a file (its bytes, without a trailing newline).

    Raises ResearchError (RES-001) when the file cannot be read or holds fewer than
    :data:`MIN_KEY_BYTES` bytes: a short key can be guessed like a missing one.
    """
    target = Path(path)
    try:
        key = target.read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise ResearchError(f"the key file {target} cannot be read: {exc.strerror or exc}") from None
    if len(key) < MIN_KEY_BYTES:
        raise ResearchError(f"the key file {target} holds {len(key)} bytes; a key needs at least "
                            f"{MIN_KEY_BYTES} (e.g. `openssl rand -hex 32 > {target.name}`)")
    return key


def pseudonym(key: bytes, business_id: str) -> str:
    """The pseudonym of a business id: HMAC-SHA256 under ``key``, the first
    :data:`PSEUDONYM_HEX` hex digits. Stable for the same key; another key gives another
    pseudonym; without the key it cannot be reversed by hashing every business id."""
    digest = hmac.new(key, business_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX]


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def _is_export(path: Path) -> bool:
    if path.name.endswith(_EXPORT_SUFFIX):
        return True
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and data.get("kind") == "session"


def _of_events(source: str, kind: str, events: list[Event]) -> Analysis:
    state = fold(events)
    started: Started = state.started
    return Analysis(
        source=source, kind=kind, answers=dict(state.answers), business_id=started.company.business_id,
        company_name=started.company.name, date=meeting_date(started.time, started.zone),
        advisor=started.advisor, zone=started.zone,
        bank=PinnedVersion(started.bank.id, started.bank.version, started.bank.hash),
        rules=PinnedVersion(started.rules.id, started.rules.version, started.rules.hash))


def _of_answers(path: Path, bank: CompiledBank) -> Analysis:
    loaded = load_answers(path, bank)
    meta = loaded.file
    return Analysis(
        source=str(path), kind="answers", answers=loaded.answers,
        business_id=meta.company.business_id if meta.company else None,
        company_name=meta.company.name if meta.company else None, date=meta.date, advisor=meta.advisor,
        bank=PinnedVersion(meta.bank.id, meta.bank.version), rules=None)


def _of_store(path: Path) -> list[Analysis]:
    from asiakasarvo_engine.session.sqlite_store import SQLiteStore

    store = SQLiteStore(path, readonly=True)
    try:
        summaries = sorted(store.sessions(), key=lambda s: (s.started, s.id))
        return [_of_events(f"{path}#{s.id}", "store", store.events(s.id)) for s in summaries]
    finally:
        store.close()


def _of_export(path: Path) -> Analysis:
    from asiakasarvo_engine.session.export import read_export_file

    export = read_export_file(path)
    return _of_events(str(path), "export", list(export.events))


def _folder(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir()
                  if p.is_file() and (p.name.endswith(_ANSWERS_SUFFIXES) or p.name.endswith(_EXPORT_SUFFIX)))


def read_corpus(sources: Iterable[str | Path], bank: CompiledBank) -> list[Analysis]:
    """Every analysis in ``sources`` (folders, stores, exports, answers files), in order.

    Answers files are checked against ``bank`` (LoadError lists every problem); a session
    keeps the bank and rules it was pinned to, and scoring it with another bank is refused
    later (:func:`asiakasarvo_engine.research.rescore.rescore`).
    """
    analyses: list[Analysis] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files = _folder(path)
            if not files:
                raise ResearchError(f"{path}: no *.answers.yaml, *.answers.json or *.session.json files")
        elif path.exists():
            files = [path]
        else:
            raise ResearchError(f"{path}: no such file or folder")
        for file in files:
            if _is_sqlite(file):
                analyses.extend(_of_store(file))
            elif _is_export(file):
                analyses.append(_of_export(file))
            else:
                analyses.append(_of_answers(file, bank))
    return analyses
