"""Printing diagnostics for people (text) and machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.diagnostics import Diagnostic


def format_text(diagnostic: Diagnostic, lang: str) -> str:
    """One line: ``file:line:column: severity CODE: message``."""
    where = diagnostic.location
    if diagnostic.span is not None and diagnostic.pointer:
        where += f" [{diagnostic.pointer}]"
    return f"{where}: {diagnostic.severity} {diagnostic.code}: {diagnostic.message(lang)}"


def summary(diagnostics: Sequence[Diagnostic], lang: str) -> str:
    """Counts of errors and warnings in the chosen language."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    if lang == "fi":
        return f"{errors} virhettä, {warnings} varoitusta"
    return f"{errors} errors, {warnings} warnings"


def echo_diagnostics(diagnostics: Sequence[Diagnostic], lang: str) -> None:
    """Print every diagnostic to stderr, most relevant first."""
    for diagnostic in diagnostics:
        click.echo(format_text(diagnostic, lang), err=True)


def echo_json(payload: object) -> None:
    """Print a JSON document to stdout."""
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))
