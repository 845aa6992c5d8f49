"""Loading a scoring rule set and checking it against a bank."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine._validate import validate
from asiakasarvo_engine.bank.load import LoadedBank, _display
from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.diagnostics import Diagnostic, Hint, has_errors, make, rank
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.hashing import content_hash, rules_hash_document
from asiakasarvo_engine.rules.lint import lint_rules
from asiakasarvo_engine.rules.models import RULES_FORMAT_VERSIONS, RuleSet
from asiakasarvo_engine.sources import SourceDoc, read_document


@dataclass(frozen=True)
class LoadedRules:
    """A rule set that passed its checks (warnings may remain)."""

    rules: RuleSet
    source: SourceDoc
    warnings: tuple[Diagnostic, ...]

    @cached_property
    def content_hash(self) -> str:
        """``sha256:...`` of the rule set's content, independent of formatting; expressions
        count by their JSON Logic, however they are written."""
        return content_hash(rules_hash_document(self.rules.model_dump(mode="json")))


def check_rules(path: str | Path | None = None, bank: LoadedBank | None = None, *,
                source: tuple[SourceDoc | None, list[Diagnostic]] | None = None,
                ) -> tuple[LoadedRules | None, tuple[Diagnostic, ...]]:
    """Load and check a rule set (against ``bank`` when given); ``source`` is the file as
    :func:`read_document` already read it from ``path`` (not read again)."""
    target = Path(path) if path is not None else default_rules_path()
    doc, read = source if source is not None else read_document(target, display=_display(target))
    diagnostics = list(read)
    if doc is None or has_errors(diagnostics):
        return None, rank(diagnostics)
    rules, problems = validate(RuleSet, doc.data, "scoring-rules", doc,
                               formats=RULES_FORMAT_VERSIONS, kind="scoring_rules")
    diagnostics.extend(problems)
    if rules is None:
        return None, rank(diagnostics)
    if bank is not None and rules.bank.id != bank.bank.id:
        diagnostics.append(make("RULE-001", pointer="/bank/id", span=doc.span("/bank/id"),
                                found=repr(rules.bank.id), expected=repr(bank.bank.id)))
    elif bank is not None:
        if rules.bank.version is not None and rules.bank.version != bank.bank.version:
            diagnostics.append(make("RULE-001", pointer="/bank/version", span=doc.span("/bank/version"),
                                    found=f"{rules.bank.id} {rules.bank.version}",
                                    expected=f"{bank.bank.id} {bank.bank.version}", severity=Severity.WARNING,
                                    hint=Hint("the rules were written for another version of the bank",
                                              "säännöt on kirjoitettu kysymyspankin toiseen versioon")))
        diagnostics.extend(lint_rules(rules, doc, bank))
    ranked = rank(diagnostics)
    if has_errors(ranked):
        return None, ranked
    return LoadedRules(rules, doc, ranked), ranked


def load_rules(path: str | Path | None = None, bank: LoadedBank | None = None) -> LoadedRules:
    """Load a rule set (the shipped default when no path is given); raise LoadError on errors."""
    loaded, diagnostics = check_rules(path, bank)
    if loaded is None:
        raise LoadError(diagnostics)
    return loaded
