"""``asiakasarvo research`` statistics over a corpus: reliability, snapshot, feedback, follow-up."""

from __future__ import annotations

from asiakasarvo_engine.cli.research import research_group

__all__ = ["research_group"]
