"""The dependency graph's name index (issue 20): the names a data path reaches, found by the
path's parts, exactly as matching every name against the path would find them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.bank.expressions import NameIndex

parts = st.sampled_from(["a", "b", "ab", "a_b", "0", "1", "x"])
dotted = st.lists(parts, min_size=1, max_size=4).map(".".join)


def _scan(path: str, names: set[str]) -> set[str]:
    """Every name against the path: what the graph did before the index."""
    return {name for name in names
            if name == path or path.startswith(name + ".") or name.startswith(path + ".")}


@settings(max_examples=300, deadline=None)
@given(names=st.sets(dotted, max_size=12), paths=st.lists(dotted, max_size=8))
def test_index_finds_what_a_scan_finds(names: set[str], paths: list[str]) -> None:
    index = NameIndex(names)
    for path in [*paths, *names, ""]:
        assert index.matches(path) == _scan(path, names), path


def test_paths_into_items_and_whole_sections() -> None:
    index = NameIndex({"owner.documented", "owner.review", "finance.equity", "finance.equity_ratio"})
    assert index.matches("owner.documented") == {"owner.documented"}
    assert index.matches("owner.documented.0") == {"owner.documented"}  # into a list or group
    assert index.matches("owner") == {"owner.documented", "owner.review"}  # a whole section
    assert index.matches("finance.equity") == {"finance.equity"}  # not equity_ratio
    assert index.matches("finance.equit") == set()
    assert index.matches("other.x") == set()
