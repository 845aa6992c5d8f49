"""``research snapshot``: small cells hidden, and no total gives a hidden cell away."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.research.snapshot import (
    SUPPRESSED,
    Snapshot,
    Table,
    count_lines,
    determined,
    extend,
    snapshot,
    suppress,
)
from asiakasarvo_engine.research.synth import SynthCorpus
from asiakasarvo_engine.scoring.program import ScoringProgram

Grid = list[list[int]]
Mask = list[list[bool]]


def _suppressed(counts: Grid, min_cell: int) -> tuple[Grid, Mask, Mask, list[list[tuple[int, int]]]]:
    grid = extend(counts)
    lines, margins = count_lines(len(counts), len(counts[0]))
    first, mask = suppress(grid, lines, min_cell, margins=margins)
    return grid, first, mask, lines


def test_a_hidden_cell_gets_a_partner_in_its_row_and_column():
    grid, first, mask, _ = _suppressed([[12, 3, 9], [10, 8, 7]], 5)
    assert grid == [[12, 3, 9, 24], [10, 8, 7, 25], [22, 11, 16, 49]]
    assert first[0][1] and sum(map(sum, first)) == 1
    # 3 is hidden; its row total would give it back (24 - 12 - 9), so the smallest other
    # cell of the row (9) goes too; then each of their columns needs a second hidden cell
    # (8 and 7), and row 2 has two hidden cells. Totals stay published.
    assert mask == [[False, True, True, False], [False, True, True, False], [False, False, False, False]]


def test_totals_minus_the_visible_cells_never_reveal_a_hidden_one():
    """A hand-made table where, with only the small cell hidden, the row total minus the
    visible cells is the hidden value; after suppression each published sum has either no
    hidden member or at least two, and no hidden cell is fixed by the equations."""
    counts = [[20, 2, 15, 30], [25, 18, 22, 40], [12, 16, 30, 9]]
    grid, _, mask, lines = _suppressed(counts, 5)
    hidden = [(r, c) for r, row in enumerate(mask) for c, flag in enumerate(row) if flag]
    assert (0, 1) in hidden
    row_total = grid[0][-1]
    visible = sum(grid[0][c] for c in range(len(counts[0])) if not mask[0][c])
    assert row_total - visible != grid[0][1]  # the subtraction gives a sum of several hidden cells
    for line in lines:
        assert sum(mask[r][c] for r, c in line) != 1
    assert determined(mask, lines) == []


def test_two_cycles_joined_by_one_cell_are_caught_by_the_audit():
    """Every row and column has 0 or 2+ small cells, yet the cell joining the two blocks is
    fixed by the totals: rule 1 alone would publish it in effect; the audit hides more."""
    big = 20
    counts = [[2, 3, big, big], [2, 3, 4, big], [big, big, 2, 4], [big, big, 3, 2]]
    grid = extend(counts)
    lines, margins = count_lines(4, 4)
    from asiakasarvo_engine.research.snapshot import primary, protect

    rule_one = protect(grid, primary(grid, 5), lines, margins)
    assert (1, 2) in determined(rule_one, lines)
    first, mask = suppress(grid, lines, 5, margins=margins)
    assert not [coord for coord in determined(mask, lines) if first[coord[0]][coord[1]]]
    assert sum(map(sum, mask)) > sum(map(sum, rule_one))


def test_a_threshold_of_one_hides_nothing():
    _, first, mask, _ = _suppressed([[1, 2], [0, 3]], 1)
    assert not any(map(any, first)) and not any(map(any, mask))


tables = st.integers(1, 5).flatmap(lambda rows: st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(st.integers(0, 14), min_size=cols, max_size=cols),
                          min_size=rows, max_size=rows)))


@settings(max_examples=200, deadline=None)
@given(counts=tables, min_cell=st.integers(2, 6))
def test_property_no_row_or_column_has_exactly_one_hidden_cell(counts: list[list[int]], min_cell: int):
    grid, first, mask, lines = _suppressed(counts, min_cell)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if 0 < value < min_cell:
                assert mask[r][c], (r, c)
            if first[r][c]:
                assert mask[r][c]
    rows, cols = len(counts), len(counts[0])
    for r in range(rows + 1):  # every row: its cells and its total (the total row too)
        assert sum(mask[r][c] for c in range(cols + 1)) != 1, (r, mask)
        inner = sum(mask[r][c] for c in range(cols))
        assert inner != 1 or mask[r][cols]
    for c in range(cols + 1):
        assert sum(mask[r][c] for r in range(rows + 1)) != 1, (c, mask)
    assert not [coord for coord in determined(mask, lines) if first[coord[0]][coord[1]]]


def _row(province: str, size: str, industry: str, score: float, level: int,
         sections: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {"province": province, "size_class": size, "industry": industry,
                           "overall_score": score, "overall_level": level, "date": "2026-03-01",
                           "rules": "asiakasarvo 1.0.0"}
    for sid in sections:
        row[f"{sid}_score"] = score
        row[f"{sid}_level"] = level
    return row


def _table(found: Snapshot, table_id: str) -> Table:
    return next(table for table in found.tables if table.id == table_id)


def test_hand_made_corpus_hides_the_small_province_and_a_partner(program: ScoringProgram):
    sections = [section.id for section in program.sections]
    rows = ([_row("pohjois_karjala", "micro", "C", 40.0 + i, 3, sections) for i in range(12)]
            + [_row("pohjois_savo", "small", "C", 60.0 + i, 4, sections) for i in range(10)]
            + [_row("etela_savo", "micro", "F", 10.0 * i, 1, sections) for i in range(3)])
    found = snapshot(program, rows, min_cell=5)
    means = _table(found, "scores_by_province")
    assert [key for key, _ in means.rows] == ["pohjois_karjala", "pohjois_savo", "etela_savo", "all"]
    for c in range(len(means.columns)):
        column = [means.cells[r][c] for r in range(4)]
        assert column[2].suppressed and column[2].primary and column[2].value is None
        assert column[1].suppressed  # else all minus Pohjois-Karjala minus Pohjois-Savo = Etelä-Savo
        assert not column[0].suppressed and column[0].value == round(sum(40.0 + i for i in range(12)) / 12, 1)
        assert not column[3].suppressed and column[3].n == 25
    counts = _table(found, "levels_by_province")
    sizes = [row[-1] for row in counts.cells]
    assert sizes[2].suppressed and sizes[1].suppressed and sizes[3].value == 25
    assert counts.cells[0][2].value == 12  # level 3 of Pohjois-Karjala: all twelve, published
    by_section = _table(found, "levels_by_section")
    for row in by_section.cells:  # 25 analyses per section: 12 at level 3, 10 at 4, 3 at 1 (hidden, with 10)
        assert [cell.suppressed for cell in row] == [True, False, False, True, False, False]
    with_one = snapshot(program, rows, min_cell=1)
    assert all(not cell.suppressed for table in with_one.tables for row in table.cells for cell in row)


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, ["research", "snapshot", *args])


def test_cli_html_markdown_csv_json(small_corpus: SynthCorpus, tmp_path: Path):
    folder = str(small_corpus.files[0].parent)
    page = _invoke(folder)
    assert page.exit_code == 0, page.output
    assert page.stdout.startswith("<!DOCTYPE html>")
    assert '<html lang="fi">' in page.stdout and "<svg" in page.stdout
    assert f'<td class="s">{SUPPRESSED}</td>' in page.stdout  # 20 companies: small cells exist
    assert "Tilannekuva" in page.stdout

    out = tmp_path / "snap.md"
    md = _invoke(folder, "--format", "md", "--lang", "en", "-o", str(out))
    assert md.exit_code == 0, md.output
    assert "20 analyses" in md.stderr and "cells hidden" in md.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Snapshot")
    assert "![Overall index – Province](snap-province.svg)" in text
    assert (tmp_path / "snap-province.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")

    as_json = _invoke(folder, "--format", "json", "--min-cell", "3")
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(as_json.stdout)
    assert document["min_cell"] == 3 and document["analyses"] == 20
    cells = [cell for table in document["tables"] for row in table["cells"] for cell in row]
    assert any(cell.get("suppressed") for cell in cells)
    assert all(set(cell) == {"suppressed"} for cell in cells if cell.get("suppressed"))
    assert all(cell["n"] >= 3 for table in document["tables"] if table["kind"] == "means"
               for row in table["cells"] for cell in row if not cell.get("suppressed") and cell["n"])

    as_csv = _invoke(folder, "--format", "csv", "--excel")
    assert as_csv.exit_code == 0, as_csv.output
    data = as_csv.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))
    assert any(row["value"] == SUPPRESSED and row["n"] == SUPPRESSED for row in table)
    assert {row["table"] for row in table} >= {"levels_by_province", "scores_by_industry",
                                               "levels_by_section"}

    assert _invoke(folder, "--min-cell", "0").exit_code == 2
    assert _invoke(folder, "--format", "md", "--excel").exit_code == 2
