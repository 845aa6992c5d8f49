"""Loading an answers file and checking every answer against its bank, with positions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from asiakasarvo_engine import pointer as jp
from asiakasarvo_engine._validate import Locator, validate
from asiakasarvo_engine.bank.answer_check import check_meta, check_value
from asiakasarvo_engine.bank.answers import AnswerEntry, AnswersFile, AnswerStatus, is_long_form
from asiakasarvo_engine.bank.compiled import CompiledBank
from asiakasarvo_engine.bank.load import _display
from asiakasarvo_engine.bank.models import QuestionType
from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.diagnostics import Diagnostic, Hint, has_errors, make, rank
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.sources import read_document
from asiakasarvo_engine.suggest import did_you_mean

ANSWERS_FORMAT_VERSIONS = ("1.0",)


@dataclass(frozen=True)
class LoadedAnswers:
    """Answers that passed every check, each in long form, keyed ``section.item``."""

    file: AnswersFile
    answers: Mapping[str, AnswerEntry]
    name: str
    warnings: tuple[Diagnostic, ...] = ()

    def values(self) -> dict[str, Any]:
        """The answered values (status ``answered``) keyed ``section.item``."""
        return {name: entry.value for name, entry in self.answers.items()
                if entry.status is AnswerStatus.ANSWERED}


def entry_of(raw: Any) -> AnswerEntry:
    """The long form of a raw answer (a bare value means answered)."""
    if isinstance(raw, AnswerEntry):
        return raw
    if is_long_form(raw):
        return AnswerEntry.model_validate(raw)
    return AnswerEntry(value=raw)


def _entry_problems(exc: ValidationError, here: str, where: Locator) -> list[Diagnostic]:
    """An invalid long-form answer: a bad status is ANS-007, anything else ANS-002."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        at = jp.join(here, field) if field else here
        if field == "status":
            allowed = ", ".join(status.value for status in AnswerStatus)
            problems.append(make("ANS-007", pointer=at, span=where.span(at), found=error.get("input"),
                                 expected=allowed))
        else:
            problems.append(make("ANS-002", pointer=at, span=where.span(at),
                                 expected=f"{field}: {error['msg']}", found=repr(error.get("input"))[:60]))
    return problems


def check_entries(raw_answers: Mapping[str, Any], bank: CompiledBank, where: Locator,
                  base: str = "/answers") -> tuple[dict[str, AnswerEntry], list[Diagnostic]]:
    """Every answer checked against its item; diagnostics point into ``where`` under ``base``."""
    diagnostics: list[Diagnostic] = []
    entries: dict[str, AnswerEntry] = {}
    for name, raw in raw_answers.items():
        here = jp.join(base, name)
        compiled = bank.items.get(name)
        if compiled is None:
            diagnostics.append(make("ANS-001", pointer=here, span=where.span(here, key=True),
                                    found=name, hint=did_you_mean(name, bank.items)))
            continue
        try:
            entry = entry_of(raw)
        except ValidationError as exc:
            diagnostics.extend(_entry_problems(exc, here, where))
            continue
        value_pointer = jp.join(here, "value") if is_long_form(raw) else here
        if entry.views_differ and compiled.item.type is not QuestionType.LIKERT:
            at = jp.join(here, "views_differ")
            diagnostics.append(make("ANS-009", pointer=at, span=where.span(at, key=True),
                                    found=f"{name} ({compiled.item.type.value})"))
            continue
        if entry.status is AnswerStatus.ANSWERED:
            if entry.value is None:
                diagnostics.append(make("ANS-002", pointer=value_pointer, span=where.span(value_pointer),
                                        expected=compiled.item.type.value, found="null"))
                continue
            problems = list(check_value(compiled.item, entry.value, bank.loaded.bank))
            for problem in problems:
                at = value_pointer + problem.pointer
                diagnostics.append(make(problem.code, pointer=at, span=where.span(at, key=problem.at_key),
                                        expected=problem.expected, found=problem.found,
                                        expected_fi=problem.expected_fi, found_fi=problem.found_fi,
                                        hint=Hint(f"item {name}", f"kysymys {name}")))
            if problems:
                continue
        entries[name] = entry
    state = bank.evaluate({n: e.value for n, e in entries.items()
                           if e.status is AnswerStatus.ANSWERED})
    for name in entries:
        if name in state.hidden:
            here = jp.join(base, name)
            diagnostics.append(make("ANS-008", pointer=here, span=where.span(here, key=True),
                                    found=name))
    return entries, diagnostics


def check_answers(path: str | Path, bank: CompiledBank,
                  ) -> tuple[LoadedAnswers | None, tuple[Diagnostic, ...]]:
    """Load an answers file and check it against ``bank``; all problems, ranked."""
    target = Path(path)
    doc, diagnostics = read_document(target, display=_display(target))
    if doc is None or has_errors(diagnostics):
        return None, rank(diagnostics)
    answers_file, problems = validate(AnswersFile, doc.data, "answers", doc,
                                      formats=ANSWERS_FORMAT_VERSIONS, kind="answers")
    diagnostics.extend(problems)
    if answers_file is None:
        return None, rank(diagnostics)
    meta = bank.loaded.bank
    if answers_file.bank.id != meta.id:
        diagnostics.append(make("ANS-006", pointer="/bank/id", span=doc.span("/bank/id"),
                                found=repr(answers_file.bank.id), expected=repr(meta.id)))
        return None, rank(diagnostics)
    if answers_file.bank.version is not None and answers_file.bank.version != meta.version:
        diagnostics.append(make("ANS-006", pointer="/bank/version", span=doc.span("/bank/version"),
                                found=f"{answers_file.bank.id} {answers_file.bank.version}",
                                expected=f"{meta.id} {meta.version}", severity=Severity.WARNING,
                                hint=Hint("the answers were given to another version of the bank",
                                          "vastaukset on annettu kysymyspankin toiseen versioon")))
    company = answers_file.company
    for problem in check_meta(company.business_id if company else None, answers_file.date):
        diagnostics.append(make(problem.code, pointer=problem.pointer, span=doc.span(problem.pointer),
                                expected=problem.expected, found=problem.found,
                                expected_fi=problem.expected_fi, found_fi=problem.found_fi))
    entries, problems = check_entries(answers_file.answers, bank, doc)
    diagnostics.extend(problems)
    ranked = rank(diagnostics)
    if has_errors(ranked):
        return None, ranked
    return LoadedAnswers(answers_file, entries, doc.name, ranked), ranked


def load_answers(path: str | Path, bank: CompiledBank) -> LoadedAnswers:
    """Load and check an answers file; raise LoadError listing every problem."""
    loaded, diagnostics = check_answers(path, bank)
    if loaded is None:
        raise LoadError(diagnostics)
    return loaded
