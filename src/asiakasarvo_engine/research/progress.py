"""Progress bars of long research runs: on stderr, and only when stderr is a terminal.

A bar never goes to stdout (the tables do) and never into a file or a pipe, so the
same corpus and seed give the same bytes wherever they are written. The bar is tqdm's
(the ``research`` extra); without tqdm a run simply has none.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")


def wanted(stream: IO[str] | None = None) -> bool:
    """Whether a bar belongs on ``stream`` (default stderr): only on a terminal."""
    target = sys.stderr if stream is None else stream
    try:
        return bool(target.isatty())
    except (AttributeError, ValueError):  # a closed or a fake stream
        return False


def track(items: Iterable[T], *, total: int | None = None, label: str = "",
          enabled: bool = False) -> Iterator[T]:
    """``items`` one by one, with a bar on stderr while they are gone through when
    ``enabled`` and stderr is a terminal (else the items alone, nothing printed)."""
    if not enabled or not wanted():
        yield from items
        return
    try:
        from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]  # tqdm ships no types
    except ImportError:
        yield from items
        return
    with tqdm(items, total=total, desc=label, file=sys.stderr, leave=False, dynamic_ncols=True,
              unit="") as bar:
        yield from bar
