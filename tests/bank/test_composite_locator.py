"""The assembled bank's locator (issue 20): a pointer's file is found by the pointer's own
prefixes, longest first, exactly as scanning every included part found it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.bank.load import CompositeLocator

tokens = st.sampled_from(["sections", "0", "1", "12", "items", "a", "", "x~1y"])
pointers = st.lists(tokens, max_size=5).map(lambda parts: "".join("/" + p for p in parts))


def _scan(parts: list[tuple[str, Any]], root: Any, pointer: str) -> tuple[Any, str]:
    """Every part against the pointer: what the locator did before."""
    best_prefix, best_doc = "", root
    for prefix, doc in parts:
        if (pointer == prefix or pointer.startswith(prefix + "/")) and len(prefix) > len(best_prefix):
            best_prefix, best_doc = prefix, doc
    return best_doc, pointer[len(best_prefix):]


@settings(max_examples=300, deadline=None)
@given(prefixes=st.lists(pointers, max_size=8), lookups=st.lists(pointers, max_size=8))
def test_locator_finds_what_a_scan_finds(prefixes: list[str], lookups: list[str]) -> None:
    root = object()
    locator = CompositeLocator(root)  # type: ignore[arg-type]
    parts = []
    for index, prefix in enumerate(prefixes):
        doc = ("doc", index)
        locator.add(prefix, doc)  # type: ignore[arg-type]
        parts.append((prefix, doc))
    for pointer in [*lookups, *prefixes, ""]:
        assert locator._find(pointer) == _scan(parts, root, pointer), pointer
