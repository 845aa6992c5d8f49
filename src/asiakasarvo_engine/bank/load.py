"""Loading a question bank: files -> located data -> schema -> models -> lint."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine._resources import default_bank_path
from asiakasarvo_engine._validate import build_model, validate
from asiakasarvo_engine.bank.models import BANK_FORMAT_VERSIONS, Bank, SectionFile
from asiakasarvo_engine.diagnostics import Diagnostic, Span, has_errors, make, rank
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.hashing import bank_hash_document, content_hash
from asiakasarvo_engine.sources import SourceDoc, read_document

MAX_INCLUDES = 100


class CompositeLocator:
    """Maps pointers of an assembled document back to the file each part came from."""

    def __init__(self, root: SourceDoc) -> None:
        self._root = root
        self._parts: dict[str, SourceDoc] = {}  # prefix -> the file of everything below it

    def add(self, prefix: str, doc: SourceDoc) -> None:
        """Say that everything below ``prefix`` came from ``doc`` (the first one said wins)."""
        if prefix:
            self._parts.setdefault(prefix, doc)

    def _find(self, pointer: str) -> tuple[SourceDoc, str]:
        """The file of the longest prefix that is ``pointer`` or holds it, and the rest: the
        pointer's own prefixes are looked up, longest first (not every part scanned)."""
        candidate = pointer
        while candidate and self._parts:
            doc = self._parts.get(candidate)
            if doc is not None:
                return doc, pointer[len(candidate):]
            cut = candidate.rfind("/")
            if cut <= 0:
                break
            candidate = candidate[:cut]
        return self._root, pointer

    def span(self, pointer: str, *, key: bool = False) -> Span:
        """The source position of the node at ``pointer``."""
        doc, inner = self._find(pointer)
        return doc.span(inner, key=key)

    def quoted(self, pointer: str) -> bool:
        """True when the scalar at ``pointer`` was written in quotes."""
        doc, inner = self._find(pointer)
        return inner in doc.quoted



@dataclass(frozen=True)
class LoadedBank:
    """A bank that passed schema, model and lint checks (warnings may remain)."""

    bank: Bank
    data: dict[str, Any]
    locator: CompositeLocator
    files: tuple[str, ...]
    warnings: tuple[Diagnostic, ...]

    @cached_property
    def content_hash(self) -> str:
        """``sha256:...`` of the bank's content, independent of formatting and file layout.

        Expressions count by their JSON Logic, not by how they are written: infix text
        and the JSON Logic it stands for hash the same.
        """
        return content_hash(bank_hash_document(self.bank.model_dump(mode="json")))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_section(manifest: Path, ref: str, pointer: str, where: CompositeLocator,
                  ) -> tuple[SourceDoc | None, dict[str, Any] | None, list[Diagnostic]]:
    base = manifest.parent.resolve()
    target = (base / ref).resolve()
    if Path(ref).is_absolute() or not target.is_relative_to(base):
        return None, None, [make("BANK-012", pointer=pointer, span=where.span(pointer),
                                 found=ref, expected="a path inside the bank's folder")]
    if not target.is_file():
        return None, None, [make("BANK-012", pointer=pointer, span=where.span(pointer),
                                 found=ref, expected="an existing file")]
    return read_section(target)


def read_section(target: Path) -> tuple[SourceDoc | None, dict[str, Any] | None, list[Diagnostic]]:
    """A section file: its document, its body (None on errors) and its diagnostics."""
    doc, diagnostics = read_document(target, display=_display(target))
    if doc is None or diagnostics:
        return doc, None, diagnostics
    section, problems = validate(SectionFile, doc.data, "question-bank-section", doc,
                                 formats=BANK_FORMAT_VERSIONS, kind="question_bank_section")
    if section is None:
        return doc, None, problems
    body = {k: v for k, v in doc.data.items() if k not in {"schema_version", "kind"}}
    return doc, body, problems


def check_bank(path: str | Path | None = None, *, section: Path | None = None,
               source: tuple[SourceDoc | None, list[Diagnostic]] | None = None,
               ) -> tuple[LoadedBank | None, tuple[Diagnostic, ...]]:
    """Load and check a bank; returns the bank (None on errors) and every diagnostic, ranked.

    ``section`` is a section file checked as part of this bank: it takes the place of the
    bank's section with the same id, or comes last when the bank has none. ``source`` is
    the manifest as :func:`read_document` already read it from ``path`` (not read again).
    """
    from asiakasarvo_engine.bank.lint import lint

    manifest = Path(path) if path is not None else default_bank_path()
    doc, read = source if source is not None else read_document(manifest, display=_display(manifest))
    diagnostics = list(read)
    if doc is None or has_errors(diagnostics):
        return None, rank(diagnostics)
    where = CompositeLocator(doc)
    model, problems = validate(Bank, doc.data, "question-bank", doc,
                               formats=BANK_FORMAT_VERSIONS, kind="question_bank")
    diagnostics.extend(problems)
    if model is None:
        return None, rank(diagnostics)
    files = [doc.name]
    given: tuple[SourceDoc, dict[str, Any], list[Diagnostic]] | None = None
    if section is not None:
        given_doc, given_body, given_problems = read_section(section)
        if given_doc is None or given_body is None:
            return None, rank([*diagnostics, *given_problems])
        given = given_doc, given_body, given_problems
    assembled = dict(doc.data)
    sections: list[Any] = []
    for index, raw in enumerate(doc.data["sections"]):
        if index >= MAX_INCLUDES:
            pointer = jp.join("/sections", index)
            diagnostics.append(make("BANK-012", pointer=pointer, span=where.span(pointer),
                                    found=f"{index + 1} sections",
                                    expected=f"at most {MAX_INCLUDES}"))
            break
        if "include" not in raw:
            sections.append(raw)
            continue
        pointer = jp.join("/sections", index, "include")
        sub_doc, body, problems = _load_section(manifest, raw["include"], pointer, where)
        if given is not None and body is not None and body.get("id") == given[1].get("id"):
            sub_doc, body, problems = given
            given = None
        diagnostics.extend(problems)
        if sub_doc is not None:
            files.append(sub_doc.name)
            where.add(jp.join("/sections", index), sub_doc)
        sections.append(body if body is not None else raw)
    if given is not None:  # a section the bank does not have yet
        where.add(jp.join("/sections", len(sections)), given[0])
        files.append(given[0].name)
        diagnostics.extend(given[2])
        sections.append(given[1])
    if has_errors(diagnostics):
        return None, rank(diagnostics)
    assembled["sections"] = sections
    bank, problems = build_model(Bank, assembled, where)
    diagnostics.extend(problems)
    if bank is None:
        return None, rank(diagnostics)
    loaded = LoadedBank(bank, assembled, where, tuple(files), ())
    diagnostics.extend(lint(loaded))
    ranked = rank(diagnostics)
    if has_errors(ranked):
        return None, ranked
    return LoadedBank(bank, assembled, where, tuple(files), ranked), ranked


def load_bank(path: str | Path | None = None) -> LoadedBank:
    """Load a bank (the shipped default when no path is given); raise LoadError on errors."""
    loaded, diagnostics = check_bank(path)
    if loaded is None:
        raise LoadError(diagnostics)
    return loaded
