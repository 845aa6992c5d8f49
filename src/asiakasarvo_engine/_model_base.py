"""Shared pydantic building blocks for every file format."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="A lower-case id: a letter, then letters, digits or underscores."),
]
SemVer = Annotated[
    str,
    StringConstraints(pattern=r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$"),
    Field(description="A semantic version such as 1.0.0."),
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
LocalizedText = Annotated[
    dict[LanguageCode, Annotated[str, StringConstraints(min_length=1, max_length=20000)]],
    Field(
        description="Text per language code; Finnish (fi) and English (en) are expected.",
        json_schema_extra={"additionalProperties": False},
    ),
]
Expression = Annotated[
    str | bool | dict[str, Any],
    Field(description="A condition: infix text such as \"a.b == 'yes'\" or JSON Logic."),
]


class Frozen(BaseModel):
    """Base of every file model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
