"""The organisation a report is made by: its name and logo, from a small YAML or JSON file.

::

    organisation:            # or one name for both languages: organisation: Savon Kauppakamari
      fi: Itä-Suomen kauppakamari
      en: East Finland Chamber of Commerce
    logo: logo.png           # optional; PNG or JPEG, relative to this file, at most 1 MB

Every problem is a diagnostic at the file's line and column (a missing logo at the ``logo``
value), raised together as a :class:`~asiakasarvo_engine.errors.LoadError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asiakasarvo_engine.diagnostics import Diagnostic, make
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.sources import SourceDoc, read_document

ENV_VAR = "ASIAKASARVO_BRANDING"
"""A branding file used when none is given on the command line."""
MAX_LOGO_BYTES = 1024 * 1024
MAX_NAME = 120
LANGUAGES = ("fi", "en")
_KEYS = ("organisation", "logo")
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


@dataclass(frozen=True)
class Branding:
    """The organisation's name by language, and its logo image (PNG or JPEG bytes)."""

    organisation: Mapping[str, str] = field(default_factory=dict)
    logo: bytes | None = None
    logo_type: str | None = None

    def name(self, lang: str) -> str | None:
        """The organisation's name in ``lang`` (the other language's as a fallback)."""
        return self.organisation.get(lang) or next(iter(self.organisation.values()), None)


def _names(doc: SourceDoc, value: Any) -> tuple[dict[str, str], list[Diagnostic]]:
    expected = f"a name of 1 to {MAX_NAME} characters, or fi: and en: names"
    if isinstance(value, str):
        value = dict.fromkeys(LANGUAGES, value)
    if not isinstance(value, dict) or not value:
        return {}, [make("SCH-004", pointer="/organisation", span=doc.span("/organisation"),
                         found=type(value).__name__, expected=expected)]
    names, problems = {}, []
    for lang, name in value.items():
        pointer = f"/organisation/{lang}"
        if lang not in LANGUAGES:
            problems.append(make("SCH-002", pointer=pointer, span=doc.span(pointer, key=True), found=lang))
        elif not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            problems.append(make("SCH-001", pointer=pointer, span=doc.span(pointer),
                                 found=repr(name)[:60], expected=expected))
        else:
            names[lang] = name.strip()
    return names, problems


def _logo(doc: SourceDoc, value: Any, folder: Path) -> tuple[bytes | None, str | None, list[Diagnostic]]:
    span = doc.span("/logo")
    if not isinstance(value, str) or not value.strip():
        return None, None, [make("SCH-004", pointer="/logo", span=span, found=type(value).__name__,
                                 expected="the path of a PNG or JPEG file")]
    path = folder / value
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            return None, None, [make("SRC-003", pointer="/logo", span=span, found=f"{size} bytes",
                                     expected=f"{MAX_LOGO_BYTES} bytes")]
        data = path.read_bytes()
    except OSError as exc:
        reason = f"{value}: {exc.strerror or exc}"
        return None, None, [make("SRC-001", pointer="/logo", span=span, found=reason)]
    kind = next((k for signature, k in _SIGNATURES.items() if data.startswith(signature)), None)
    if kind is None:
        return None, None, [make("SCH-006", pointer="/logo", span=span, found=f"{value!r} (not an image)",
                                 expected="a PNG or JPEG image")]
    return data, kind, []


def load_branding(path: str | Path) -> Branding:
    """The branding of the file at ``path``; every problem in it raises one :class:`LoadError`."""
    doc, problems = read_document(path)
    if doc is None:
        raise LoadError(problems)
    data = doc.data
    if not isinstance(data, dict):
        raise LoadError([make("SRC-009", span=doc.span(""), found=type(data).__name__)])
    problems = [make("SCH-002", pointer=f"/{key}", span=doc.span(f"/{key}", key=True), found=key)
                for key in data if key not in _KEYS]
    names: dict[str, str] = {}
    if "organisation" in data:
        names, found = _names(doc, data["organisation"])
        problems += found
    else:
        problems.append(make("SCH-003", pointer="", span=doc.span(""), expected="organisation"))
    logo = kind = None
    if "logo" in data:
        logo, kind, found = _logo(doc, data["logo"], Path(path).parent)
        problems += found
    if problems:
        raise LoadError(problems)
    return Branding(names, logo, kind)


def branding_from(path: str | Path | None) -> Branding | None:
    """The branding of ``path``, else of the file ``$ASIAKASARVO_BRANDING`` names, else None."""
    chosen = path or os.environ.get(ENV_VAR)
    return load_branding(chosen) if chosen else None
