"""Reading YAML and JSON with positions and no silent retyping (DESIGN Formats)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.sources import MAX_FILE_BYTES, parse_json, parse_text, parse_yaml, read_document


def codes(diagnostics: list) -> list[str]:
    return [d.code for d in diagnostics]


def test_yaml_implicit_typing_never_changes_a_value() -> None:
    doc, diagnostics = parse_yaml(
        "a: no\nb: 2024-01-01\nc: 0777\nd: 1:20\ne: 12\nf: 1.5\ng: ~\nh: '12'\ni: yes\nj: true\n"
        "k: 0x1F\nl: .inf\n", "t.yaml")
    assert diagnostics == []
    assert doc is not None
    assert doc.data == {"a": "no", "b": "2024-01-01", "c": "0777", "d": "1:20", "e": 12, "f": 1.5,
                        "g": None, "h": "12", "i": "yes", "j": True, "k": "0x1F", "l": ".inf"}


def test_positions_of_values_and_keys() -> None:
    doc, _ = parse_yaml("top:\n  items:\n    - id: x\n      text: hello\n", "t.yaml")
    assert doc is not None
    span = doc.span("/top/items/0/text")
    assert (span.line, span.column) == (4, 13)
    key = doc.span("/top/items/0/text", key=True)
    assert (key.line, key.column) == (4, 7)
    # An unknown pointer falls back to its nearest known ancestor.
    assert doc.span("/top/items/0/missing").line == 3


def test_duplicate_key_names_both_places() -> None:
    _, diagnostics = parse_yaml("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert codes(diagnostics) == ["SRC-005"]
    assert diagnostics[0].span is not None and diagnostics[0].span.line == 3
    assert diagnostics[0].expected == "t.yaml:1:1"


def test_alias_bomb_is_refused_with_bounded_memory() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    tracemalloc.start()
    try:
        doc, diagnostics = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert doc is None
    assert set(codes(diagnostics)) == {"SRC-006"}
    assert peak < 20_000_000  # the expansion would hold 9**10 strings


def test_foreign_tags_are_refused() -> None:
    _, diagnostics = parse_yaml("x: !!python/object/apply:os.system ['true']\n", "t.yaml")
    assert codes(diagnostics) == ["SRC-011"]


def test_tabs_get_a_hint() -> None:
    _, diagnostics = parse_yaml("a:\n\tb: 1\n", "t.yaml")
    assert codes(diagnostics) == ["SRC-004"]
    assert "tabs" in diagnostics[0].hint


def test_deep_nesting_is_bounded() -> None:
    text = "[" * 200 + "]" * 200
    _, diagnostics = parse_yaml(text, "deep.yaml")
    assert codes(diagnostics) == ["SRC-012"]


def test_json_with_positions_and_errors() -> None:
    doc, diagnostics = parse_json('{"a": 1,\n "b": [true, null, "x"]}', "t.json")
    assert diagnostics == [] and doc is not None
    assert doc.data == {"a": 1, "b": [True, None, "x"]}
    assert doc.span("/b/2").line == 2
    _, diagnostics = parse_json('{"a": 1,\n "b": }', "t.json")
    assert codes(diagnostics) == ["SRC-007"]
    assert diagnostics[0].span is not None and diagnostics[0].span.line == 2
    _, diagnostics = parse_json('{"a": 1, "a": 2}', "t.json")
    assert codes(diagnostics) == ["SRC-005"]
    _, diagnostics = parse_json('{"a": NaN}', "t.json")
    assert codes(diagnostics) == ["SRC-007"]


def test_not_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nb: Hyvä\n".encode("latin-1"))
    _, diagnostics = read_document(path)
    assert codes(diagnostics) == ["SRC-002"]
    assert diagnostics[0].span is not None
    assert (diagnostics[0].span.line, diagnostics[0].span.column) == (2, 7)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _, diagnostics = read_document(path)
    assert codes(diagnostics) == ["SRC-003"]
    _, diagnostics = parse_text("a" * (MAX_FILE_BYTES + 1), "big.yaml")
    assert codes(diagnostics) == ["SRC-003"]


def test_unsupported_suffix_and_missing_file(tmp_path: Path) -> None:
    _, diagnostics = read_document(tmp_path / "bank.txt")
    assert codes(diagnostics) == ["SRC-008"]
    _, diagnostics = read_document(tmp_path / "absent.yaml")
    assert codes(diagnostics) == ["SRC-001"]


_WORDS = ["a", "yes", "No", "on", "~", "null", "", "1", "+1", "-0", "012", "0x1F", "1e5", "1.5e3",
          "1.", ".5", "1_000", "1:20", "2024-01-01", ".inf", ".NaN", "<<", "=", "true", "FALSE", "y",
          "Onko", "a/b", "a~b", "x*y", "a * b", "ä", "1.0.0", "-"]
_TAGS = ["", "", "!!str ", "!!int ", "!!float ", "!!null ", "!foo ", "! "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TAGS), st.sampled_from(_WORDS) | st.text(max_size=4),
                          st.sampled_from(["plain", "single", "double"])), min_size=1, max_size=8))
def test_quick_loader_tags_nodes_like_safe_loader(scalars: list[tuple[str, str, str]]) -> None:
    import yaml

    from asiakasarvo_engine.sources import _FLOAT, _Loader

    def render(tag: str, word: str, style: str) -> str:
        if style == "single":
            return tag + "'" + word.replace("'", "''") + "'"
        if style == "double":
            return tag + json.dumps(word)
        return tag + word

    text = "[" + ", ".join(render(*s) for s in scalars) + "]"

    def tags(loader: type) -> object:
        try:
            root = yaml.compose(text, Loader=loader)
        except yaml.YAMLError as exc:
            return str(exc)
        return [(type(n).__name__, n.tag, repr(n.value), getattr(n, "style", None) or None,
                 n.start_mark.column, text[n.start_mark.index:n.start_mark.index + 2]) for n in root.value]

    def safe_loader_with_core_floats() -> object:
        # The one intended difference: a plain 1e5 or 1.5e3 is text to YAML 1.1 (it wants a
        # dot and a signed exponent) but a float in YAML 1.2 core, so the quick resolver says so.
        # libyaml resolves a scalar with the non-specific tag "!" like an untagged one (it
        # reads "! 1" as an integer), so "! 1e5" is tagged a float as well (quoted, it is still
        # read as text); "!!str 1e5" stays text.
        found = tags(yaml.CSafeLoader)
        if isinstance(found, str):
            return found
        return [(kind, "tag:yaml.org,2002:float" if (
                    tag == "tag:yaml.org,2002:str" and _FLOAT.fullmatch(value[1:-1])
                    and any(c.isdigit() for c in value)
                    and ((style is None and not start.startswith("!")) or start == "! ")) else tag,
                 value, style, column, start)
                for kind, tag, value, style, column, start in found]  # type: ignore[attr-defined]

    assert tags(_Loader) == safe_loader_with_core_floats()


def test_multiplication_is_no_alias_but_an_alias_is() -> None:
    doc, diagnostics = parse_yaml("x: a * b\ny: '*c'\nz: 2*3\n", "t.yaml")
    assert diagnostics == [] and doc is not None
    assert doc.data == {"x": "a * b", "y": "*c", "z": "2*3"}
    _, diagnostics = parse_yaml("a: &x 1\nb: [*x]\n", "t.yaml")
    assert codes(diagnostics) == ["SRC-006"]
    assert diagnostics[0].span is not None
    assert (diagnostics[0].span.line, diagnostics[0].span.column) == (2, 5)
    # An alias under a duplicate key is still found, though its value is never built.
    _, diagnostics = parse_yaml("a: &x 1\na: *x\n", "t.yaml")
    assert codes(diagnostics) == ["SRC-006"]


def test_plain_scalars_keep_yaml_1_2_core_meaning() -> None:
    doc, diagnostics = parse_yaml(
        "b: 1.\nc: .5\nd: +1\ne: !!str 12\nf: !!int '7'\ng: 1_000\nh: Null\ni: ''\n", "t.yaml")
    assert diagnostics == [] and doc is not None
    assert doc.data == {"b": 1.0, "c": 0.5, "d": 1, "e": "12", "f": "7", "g": "1_000",
                        "h": None, "i": ""}
    assert doc.quoted == frozenset({"/f", "/i"})


def test_exponent_floats_are_numbers_as_in_yaml_1_2() -> None:
    doc, diagnostics = parse_yaml("a: 1e5\nb: -1.5E-3\nc: [2e0, '2e0', !!str 3e1]\nd: e5\ne: 1e\n", "t.yaml")
    assert diagnostics == [] and doc is not None
    assert doc.data == {"a": 100000.0, "b": -0.0015, "c": [2.0, "2e0", "3e1"], "d": "e5", "e": "1e"}


_CLEAN_WORDS = ["a", "yes", "No", "~", "null", "", "1", "-0", "012", "1e5", "1.", ".5", "1:20",
                "2024-01-01", ".inf", "=", "true", "a/b", "a~b", "x*y", "ä", "1.0.0", "- x", "#"]
_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.sampled_from(_CLEAN_WORDS) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(_CLEAN_WORDS) | st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(data=_DATA, flow=st.sampled_from([None, True, False]), indent=st.integers(2, 5),
       as_json=st.booleans())
def test_quick_path_gives_what_the_composer_path_gives(data: object, flow: bool | None,
                                                        indent: int, as_json: bool) -> None:
    import yaml

    from asiakasarvo_engine.sources import _parse_clean, _parse_composed

    text = (json.dumps(data, indent=indent, ensure_ascii=False) if as_json else
            yaml.safe_dump(data, default_flow_style=flow, indent=indent, allow_unicode=True))
    clean = _parse_clean(text, "t.yaml")
    composed, diagnostics = _parse_composed(text, "t.yaml")
    if clean is None:
        return
    assert diagnostics == [] and composed is not None
    assert (clean.data, clean.values, clean.keys, clean.quoted) == (
        composed.data, composed.values, composed.keys, composed.quoted)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "? [a]\n: 1\n",
    "a: 1\n---\nb: 2\n", "", "a: =\n", "[" * 70 + "]" * 70, "a: [1,\n",
])
def test_quick_path_leaves_anything_to_report_to_the_composer(text: str) -> None:
    from asiakasarvo_engine.sources import _parse_clean

    assert _parse_clean(text, "t.yaml") is None


def test_shipped_files_take_the_quick_path() -> None:
    from asiakasarvo_engine._resources import default_bank_path, default_rules_path
    from asiakasarvo_engine.sources import _parse_clean

    folder = default_bank_path().parent
    for path in [default_bank_path(), *sorted(folder.glob("sections/*.yaml")), default_rules_path()]:
        assert _parse_clean(path.read_text(encoding="utf-8"), path.name) is not None, path


def test_a_number_beyond_float_range_is_an_error_where_it_stands() -> None:
    doc, diagnostics = parse_yaml("a: 1e400\nb: [1, -2e999]\nc: 1e308\n", "t.yaml")
    assert [(d.code, d.pointer, d.span.line, d.span.column) for d in diagnostics if d.span] == [
        ("SRC-013", "/a", 1, 4), ("SRC-013", "/b/1", 2, 8)]
    assert doc is not None and doc.data["c"] == 1e308
    _, diagnostics = parse_text('{"a": 1,\n "b": 1e400}', "t.json", fmt="json")
    found = [(d.code, d.pointer, d.span.line if d.span else None) for d in diagnostics]
    assert found == [("SRC-013", "/b", 2)]
