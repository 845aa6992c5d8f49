"""Did-you-mean suggestions for unknown names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from asiakasarvo_engine.diagnostics import Hint


def closest(name: str, candidates: Iterable[str], *, limit: int = 1) -> list[str]:
    """The known names most like ``name``, best first (possibly none)."""
    pool = sorted(set(candidates))
    found = difflib.get_close_matches(name, pool, n=limit, cutoff=0.6)
    if not found:
        # A dotted name whose last part is close is still worth suggesting.
        tail = name.rsplit(".", 1)[-1]
        by_tail = {c.rsplit(".", 1)[-1]: c for c in pool}
        found = [by_tail[t] for t in difflib.get_close_matches(tail, list(by_tail), n=limit)]
    return found


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A hint such as ``did you mean 'owner_strategy.documented'?``, or an empty string."""
    found = closest(name, candidates)
    return suggestion(found[0]) if found else ""


def suggestion(name: str) -> Hint:
    """``did you mean 'name'?``, in English and Finnish."""
    return Hint(f"did you mean {name!r}?", f"tarkoititko {name!r}?")
