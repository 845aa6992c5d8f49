"""asiakasarvo-engine: the engine for advisor-led customer-value analyses.

The public API is what this module exports; everything else is private. The names are
loaded on first use (``import asiakasarvo_engine`` itself imports nothing heavy).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asiakasarvo_engine._version import __version__ as __version__
    from asiakasarvo_engine.bank.answers import AnswerEntry as AnswerEntry
    from asiakasarvo_engine.bank.answers import AnswerStatus as AnswerStatus
    from asiakasarvo_engine.bank.answers_load import LoadedAnswers as LoadedAnswers
    from asiakasarvo_engine.bank.answers_load import load_answers as load_answers
    from asiakasarvo_engine.bank.load import LoadedBank as LoadedBank
    from asiakasarvo_engine.bank.load import check_bank as check_bank
    from asiakasarvo_engine.bank.load import load_bank as load_bank
    from asiakasarvo_engine.codes import Severity as Severity
    from asiakasarvo_engine.diagnostics import Diagnostic as Diagnostic
    from asiakasarvo_engine.diagnostics import Span as Span
    from asiakasarvo_engine.errors import CompileError as CompileError
    from asiakasarvo_engine.errors import EngineError as EngineError
    from asiakasarvo_engine.errors import LoadError as LoadError
    from asiakasarvo_engine.recommend.engine import analyse as analyse
    from asiakasarvo_engine.rules.load import LoadedRules as LoadedRules
    from asiakasarvo_engine.rules.load import check_rules as check_rules
    from asiakasarvo_engine.rules.load import load_rules as load_rules
    from asiakasarvo_engine.scoring.engine import score as score
    from asiakasarvo_engine.scoring.program import ScoringProgram as ScoringProgram
    from asiakasarvo_engine.scoring.program import load_program as load_program
    from asiakasarvo_engine.scoring.result import Result as Result

_EXPORTS: dict[str, str] = {
    "AnswerEntry": "bank.answers",
    "AnswerStatus": "bank.answers",
    "CompileError": "errors",
    "Diagnostic": "diagnostics",
    "EngineError": "errors",
    "LoadError": "errors",
    "LoadedAnswers": "bank.answers_load",
    "LoadedBank": "bank.load",
    "LoadedRules": "rules.load",
    "Result": "scoring.result",
    "ScoringProgram": "scoring.program",
    "Severity": "codes",
    "Span": "diagnostics",
    "__version__": "_version",
    "analyse": "recommend.engine",
    "check_bank": "bank.load",
    "check_rules": "rules.load",
    "load_answers": "bank.answers_load",
    "load_bank": "bank.load",
    "load_program": "scoring.program",
    "load_rules": "rules.load",
    "score": "scoring.engine",
}
"""Each public name and the module (below this package) that defines it."""

__all__ = [
    "AnswerEntry",
    "AnswerStatus",
    "CompileError",
    "Diagnostic",
    "EngineError",
    "LoadError",
    "LoadedAnswers",
    "LoadedBank",
    "LoadedRules",
    "Result",
    "ScoringProgram",
    "Severity",
    "Span",
    "__version__",
    "analyse",
    "check_bank",
    "check_rules",
    "load_answers",
    "load_bank",
    "load_program",
    "load_rules",
    "score",
]


def __getattr__(name: str) -> Any:
    """Load a public name on first use and keep it in the module."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
