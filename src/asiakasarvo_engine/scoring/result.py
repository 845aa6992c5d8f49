"""The Result of scoring an analysis (mirrors result.schema.json)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from asiakasarvo_engine._model_base import Frozen, Identifier, SemVer


class Pin(Frozen):
    """The exact bank or rule set a result was computed with."""

    id: Identifier
    version: SemVer
    hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")


class Result(Frozen):
    """The scored analysis of one company."""

    schema_version: Literal["1.0"]
    kind: Literal["result"]
    engine_version: str
    bank: Pin
    rules: Pin
