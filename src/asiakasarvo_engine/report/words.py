"""The words of each report language, kept beside its templates (``templates/<lang>/words.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("fi", "en")


@cache
def words(lang: str) -> dict[str, Any]:
    """The word table of ``lang`` (``fi`` or ``en``)."""
    if lang not in LANGUAGES:
        msg = f"no report templates for language {lang!r}; one of {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    text = (resources.files("asiakasarvo_engine.report") / "templates" / lang / "words.yaml").read_text(
        encoding="utf-8")
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):  # pragma: no cover - a packaging error
        msg = f"templates/{lang}/words.yaml is not a mapping"
        raise TypeError(msg)
    return loaded
