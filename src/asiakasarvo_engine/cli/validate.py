"""``asiakasarvo validate``: check banks, rule sets, answers and rule tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from asiakasarvo_engine._validate import validate
from asiakasarvo_engine.bank.answers import AnswersFile
from asiakasarvo_engine.bank.answers_load import check_answers
from asiakasarvo_engine.bank.compiled import compile_bank
from asiakasarvo_engine.bank.load import LoadedBank, _display, check_bank
from asiakasarvo_engine.diagnostics import Diagnostic, make, rank
from asiakasarvo_engine.rules.load import check_rules
from asiakasarvo_engine.rules.models import RULES_FORMAT_VERSIONS, RuleTestFile
from asiakasarvo_engine.scoring.program import check_program
from asiakasarvo_engine.sources import SourceDoc, read_document

KINDS = ("question_bank", "question_bank_section", "scoring_rules", "answers", "rule_tests")


@dataclass
class FileReport:
    """What checking one file found."""

    path: str
    kind: str | None
    diagnostics: tuple[Diagnostic, ...] = field(default=())


_Read = tuple[SourceDoc | None, list[Diagnostic]]


def _kind_of(path: Path) -> tuple[str | None, tuple[Diagnostic, ...], _Read]:
    """The file's declared kind (None with the problems when it has none we know), and the
    file as read: its checker takes it instead of reading and parsing it again."""
    read = read_document(path, display=_display(path))
    doc, diagnostics = read
    if doc is None:
        return None, rank(diagnostics), read
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    if kind not in KINDS:
        return None, rank([*diagnostics, make(
            "FMT-002", pointer="/kind", span=doc.span("/kind"), found=repr(kind),
            expected=" or ".join(repr(k) for k in KINDS),
            expected_fi=" tai ".join(repr(k) for k in KINDS))]), read
    return str(kind), (), read


def check_paths(paths: list[Path]) -> list[FileReport]:
    """Check each file by its declared kind; rule sets are checked against a bank given
    in the same call, else against the shipped bank."""
    kinds = [(path, *_kind_of(path)) for path in paths]
    banks: dict[str, LoadedBank] = {}
    reports: list[FileReport] = []
    for path, kind, problems, read in kinds:
        if kind == "question_bank":
            loaded, diagnostics = check_bank(path, source=read)
            if loaded is not None:
                banks[loaded.bank.id] = loaded
            reports.append(FileReport(str(path), kind, diagnostics))
        elif kind is None:
            reports.append(FileReport(str(path), None, problems))
    # A bank of this call that failed is reported on its own; rules are then checked alone.
    failed = any(r.kind == "question_bank" and r.diagnostics and not banks for r in reports)
    bank_paths = {path.resolve() for path, kind, _, _ in kinds if kind == "question_bank"}
    for path, kind, _, read in kinds:
        if kind in {None, "question_bank"}:
            continue
        if kind == "question_bank_section":
            reports.append(FileReport(str(path), kind, _check_section(path, bank_paths)))
            continue
        reports.append(FileReport(str(path), kind,
                                  _check_other(path, str(kind), banks, banks_failed=failed, read=read)))
    return reports


def including_bank(section: Path) -> Path | None:
    """The bank manifest beside or above ``section`` (two folders up) that includes it."""
    target = section.resolve()
    for folder in (target.parent, target.parent.parent):
        try:
            candidates = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".yaml", ".yml", ".json"}
                                and p.is_file() and p.resolve() != target)[:_MAX_CANDIDATES]
        except OSError:  # a folder we may not list: no bank found there
            continue
        for candidate in candidates:
            doc, _ = read_document(candidate)
            data = doc.data if doc is not None else None
            if not isinstance(data, dict) or data.get("kind") != "question_bank":
                continue
            for entry in data.get("sections") or []:
                ref = entry.get("include") if isinstance(entry, dict) else None
                if isinstance(ref, str) and (candidate.parent / ref).resolve() == target:
                    return candidate
    return None


_MAX_CANDIDATES = 50


def _check_section(path: Path, bank_paths: set[Path]) -> tuple[Diagnostic, ...]:
    """A section file checked as part of its bank (the one including it, else the shipped
    bank): schema, scales, choices, expressions and the names they read. When its bank is
    checked in the same call, its findings are reported there."""
    from asiakasarvo_engine._resources import default_bank_path

    manifest = including_bank(path)
    if manifest is not None and manifest.resolve() in bank_paths:
        return ()
    _, diagnostics = check_bank(manifest or default_bank_path(), section=path)
    return diagnostics


def _bank_for(banks: dict[str, LoadedBank], *, banks_failed: bool) -> LoadedBank | None:
    """A bank of this call, else the shipped bank (None when a bank of this call failed)."""
    bank = next(iter(banks.values()), None)
    if bank is None and not banks_failed:
        bank, _ = check_bank(None)
    return bank


def _check_other(path: Path, kind: str, banks: dict[str, LoadedBank], *, banks_failed: bool,
                 read: _Read) -> tuple[Diagnostic, ...]:
    if kind == "scoring_rules":
        # Against a bank of this call, else the shipped bank; a broken bank is reported
        # on its own and the rules are then checked alone.
        bank = _bank_for(banks, banks_failed=banks_failed)
        rules, found = check_rules(path, bank, source=read)
        if rules is None or bank is None:
            return found
        return rank([*found, *check_program(bank, rules)[1]])
    if kind == "answers":
        bank = _bank_for(banks, banks_failed=banks_failed)
        if bank is not None:
            return check_answers(path, compile_bank(bank))[1]
    doc, diagnostics = read
    if doc is None:
        return rank(diagnostics)
    if kind == "answers":
        _, problems = validate(AnswersFile, doc.data, "answers", doc, formats=("1.0",), kind=kind)
    else:
        _, problems = validate(RuleTestFile, doc.data, "rule-tests", doc,
                               formats=RULES_FORMAT_VERSIONS, kind=kind)
    return rank([*diagnostics, *problems])
