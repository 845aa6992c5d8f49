"""The regional picture (*tilannekuva*) of a corpus, with small cells suppressed (``research snapshot``).

Tables, each in Finnish and English:

* per province, size class and industry (TOL 2008 section letter): how many analyses are at
  each overall maturity level, with row and column totals (a count table);
* per the same groups: the mean score of every section and of the overall index, with the
  number of analyses it is over (a mean table, with a row for all analyses);
* per section: how many analyses are at each level (rows add up to the section's total).

**Suppression.** A count below ``min_cell`` (and above zero) is hidden, shown as ``..``
(primary suppression); so is a mean over fewer than ``min_cell`` analyses, with its n. A
table's totals are published, so a hidden cell could be recovered by subtraction; the
secondary suppression prevents that:

1. Every published sum is an equation: a row's cells and the row total, a column's cells
   and the column total, the column totals and the grand total (and for a mean table the
   groups of a column and the row of all analyses, through their sums ``n * mean``). No
   equation may have exactly one hidden member. Where one has, its smallest visible member
   is hidden too: a non-zero inner cell before a zero, an inner cell before a total, the
   first in reading order on a tie. This repeats until no equation has exactly one hidden
   member.
2. A count table is then audited as a linear system: a hidden cell whose value the visible
   cells and the equations together determine (its unit vector lies in the row space of the
   equations over the hidden cells) gets another member of one of its equations hidden, the
   smallest visible one, until no primary cell is determined. Rule 1 alone leaves that
   possible when the hidden cells form two cycles joined by a single cell.

What is left known about a hidden cell is an interval (from the non-negativity of counts), as
in every cell-suppression scheme; the threshold is a parameter (``--min-cell``, default 5).

Charts (matplotlib SVG, the report's bar chart against the level cut-offs) show the mean
overall score of every group whose mean is published.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from asiakasarvo_engine.research.rescore import Row
from asiakasarvo_engine.scoring.program import ScoringProgram

SUPPRESSED = ".."
"""What a hidden cell shows."""
UNKNOWN = "unknown"
"""The key of the group of analyses without the value (no province, size class or industry)."""
DEFAULT_MIN_CELL = 5

Coord = tuple[int, int]
Text = Mapping[str, str]

PROVINCES: Mapping[str, Text] = {
    "pohjois_karjala": {"fi": "Pohjois-Karjala", "en": "North Karelia"},
    "pohjois_savo": {"fi": "Pohjois-Savo", "en": "North Savo"},
    "etela_savo": {"fi": "Etelä-Savo", "en": "South Savo"},
}
SIZE_CLASSES: Mapping[str, Text] = {
    "micro": {"fi": "Mikroyritys", "en": "Micro"},
    "small": {"fi": "Pieni yritys", "en": "Small"},
    "medium": {"fi": "Keskisuuri yritys", "en": "Medium-sized"},
    "large": {"fi": "Suuri yritys", "en": "Large"},
}
TOL_SECTIONS: Mapping[str, Text] = {
    "A": {"fi": "Maatalous, metsätalous ja kalatalous", "en": "Agriculture, forestry and fishing"},
    "B": {"fi": "Kaivostoiminta ja louhinta", "en": "Mining and quarrying"},
    "C": {"fi": "Teollisuus", "en": "Manufacturing"},
    "D": {"fi": "Sähkö-, kaasu- ja lämpöhuolto, jäähdytysliiketoiminta",
          "en": "Electricity, gas, steam and air conditioning supply"},
    "E": {"fi": "Vesihuolto, viemäri- ja jätevesihuolto, jätehuolto ja muu ympäristön puhtaanapito",
          "en": "Water supply; sewerage, waste management and remediation"},
    "F": {"fi": "Rakentaminen", "en": "Construction"},
    "G": {"fi": "Tukku- ja vähittäiskauppa; moottoriajoneuvojen ja moottoripyörien korjaus",
          "en": "Wholesale and retail trade; repair of motor vehicles and motorcycles"},
    "H": {"fi": "Kuljetus ja varastointi", "en": "Transportation and storage"},
    "I": {"fi": "Majoitus- ja ravitsemistoiminta", "en": "Accommodation and food service activities"},
    "J": {"fi": "Informaatio ja viestintä", "en": "Information and communication"},
    "K": {"fi": "Rahoitus- ja vakuutustoiminta", "en": "Financial and insurance activities"},
    "L": {"fi": "Kiinteistöalan toiminta", "en": "Real estate activities"},
    "M": {"fi": "Ammatillinen, tieteellinen ja tekninen toiminta",
          "en": "Professional, scientific and technical activities"},
    "N": {"fi": "Hallinto- ja tukipalvelutoiminta", "en": "Administrative and support service activities"},
    "O": {"fi": "Julkinen hallinto ja maanpuolustus; pakollinen sosiaalivakuutus",
          "en": "Public administration and defence; compulsory social security"},
    "P": {"fi": "Koulutus", "en": "Education"},
    "Q": {"fi": "Terveys- ja sosiaalipalvelut", "en": "Human health and social work activities"},
    "R": {"fi": "Taiteet, viihde ja virkistys", "en": "Arts, entertainment and recreation"},
    "S": {"fi": "Muu palvelutoiminta", "en": "Other service activities"},
    "T": {"fi": "Kotitalouksien toiminta työnantajina", "en": "Activities of households as employers"},
    "U": {"fi": "Kansainvälisten organisaatioiden toiminta",
          "en": "Activities of extraterritorial organisations"},
}
"""The sections of TOL 2008 (Statistics Finland), by letter."""

DIMENSIONS: tuple[tuple[str, Text, Mapping[str, Text]], ...] = (
    ("province", {"fi": "Maakunta", "en": "Province"}, PROVINCES),
    ("size_class", {"fi": "Kokoluokka", "en": "Size class"}, SIZE_CLASSES),
    ("industry", {"fi": "Toimiala (TOL 2008)", "en": "Industry (TOL 2008)"}, TOL_SECTIONS),
)
_UNKNOWN: Text = {"fi": "Ei tiedossa", "en": "Not known"}
_ALL: Text = {"fi": "Kaikki", "en": "All"}
_TOTAL: Text = {"fi": "Yhteensä", "en": "Total"}
_NO_LEVEL: Text = {"fi": "Ei tasoa", "en": "No level"}
_OVERALL: Text = {"fi": "Kokonaisindeksi", "en": "Overall index"}


# --- suppression ------------------------------------------------------------------------

def primary(values: Sequence[Sequence[int]], min_cell: int) -> list[list[bool]]:
    """The cells below the threshold (a zero is not hidden: it tells of no one)."""
    return [[0 < value < min_cell for value in row] for row in values]


def _complement(line: Sequence[Coord], values: Sequence[Sequence[int]], hidden: list[list[bool]],
                margins: frozenset[Coord]) -> Coord | None:
    visible = [coord for coord in line if not hidden[coord[0]][coord[1]]]
    if not visible:
        return None
    return min(visible, key=lambda c: (c in margins, values[c[0]][c[1]] == 0, values[c[0]][c[1]], c))


def protect(values: Sequence[Sequence[int]], hidden: Sequence[Sequence[bool]],
            lines: Sequence[Sequence[Coord]], margins: Iterable[Coord] = ()) -> list[list[bool]]:
    """Rule 1 of the module docstring: hide more cells until no line (the members of one
    published sum) has exactly one hidden member. ``margins`` are the totals, hidden last."""
    mask = [list(row) for row in hidden]
    totals = frozenset(margins)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(mask[r][c] for r, c in line) == 1:
                pick = _complement(line, values, mask, totals)
                if pick is not None:
                    mask[pick[0]][pick[1]] = True
                    changed = True
    return mask


def determined(hidden: Sequence[Sequence[bool]], lines: Sequence[Sequence[Coord]]) -> list[Coord]:
    """The hidden cells whose value the lines' sums and the visible cells fix exactly."""
    from asiakasarvo_engine.research.corpus import optional_module

    np: Any = optional_module("numpy")

    unknown = [(r, c) for r, row in enumerate(hidden) for c, flag in enumerate(row) if flag]
    if not unknown:
        return []
    index = {coord: i for i, coord in enumerate(unknown)}
    equations = [[1.0 if coord in set(line) else 0.0 for coord in unknown] for line in lines
                 if any(coord in index for coord in line)]
    if not equations:
        return []
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    found: list[Coord] = []
    for coord, i in index.items():
        unit = np.zeros(len(unknown))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(coord)
    return found


def suppress(values: Sequence[Sequence[int]], lines: Sequence[Sequence[Coord]], min_cell: int, *,
             margins: Iterable[Coord] = (), audit: bool = True) -> tuple[list[list[bool]], list[list[bool]]]:
    """The primary and the final mask of a grid of counts whose ``lines`` are published sums
    (rules 1 and 2 of the module docstring)."""
    first = primary(values, min_cell)
    totals = frozenset(margins)
    mask = protect(values, first, lines, totals)
    while audit:
        exposed = [coord for coord in determined(mask, lines) if first[coord[0]][coord[1]]]
        if not exposed:
            break
        r, c = exposed[0]
        touching = [line for line in lines if (r, c) in line]
        picks = [pick for line in touching if (pick := _complement(line, values, mask, totals)) is not None]
        if not picks:
            break
        pick = min(picks, key=lambda p: (p in totals, values[p[0]][p[1]] == 0, values[p[0]][p[1]], p))
        mask[pick[0]][pick[1]] = True
        mask = protect(values, mask, lines, totals)
    return first, mask


def count_lines(rows: int, columns: int) -> tuple[list[list[Coord]], list[Coord]]:
    """The published sums of a ``rows`` x ``columns`` count table extended by a total column
    and a total row: every row and column of the extended grid; and its margins."""
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    margins = [(r, columns) for r in range(rows + 1)] + [(rows, c) for c in range(columns)]
    return lines, margins


def extend(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """A count table with its row totals, column totals and grand total added."""
    grid = [[*row, sum(row)] for row in counts]
    width = len(grid[0]) if grid else 1
    grid.append([sum(row[c] for row in grid) for c in range(width)])
    return grid


# --- tables -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Cell:
    """One published cell: its value and n, or hidden (``suppressed``; then both are None)."""

    value: float | int | None
    n: int | None
    suppressed: bool = False
    primary: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The cell as JSON: a hidden one carries nothing but the mark."""
        if self.suppressed:
            return {"suppressed": True}
        return {"value": self.value, "n": self.n}


@dataclass(frozen=True)
class Table:
    """A published table: rows and columns with their labels, and the cells."""

    id: str
    kind: str
    """``counts`` or ``means``."""
    title: Text
    row_head: Text
    rows: Sequence[tuple[str, Text]]
    columns: Sequence[tuple[str, Text]]
    cells: list[list[Cell]]

    def hidden(self) -> int:
        """How many cells are suppressed."""
        return sum(cell.suppressed for row in self.cells for cell in row)


@dataclass(frozen=True)
class Snapshot:
    """The tables and charts of a corpus."""

    analyses: int
    min_cell: int
    rules: str | None
    dates: tuple[str | None, str | None]
    tables: list[Table]
    charts: list[tuple[str, Text, list[tuple[Text, float]]]] = field(default_factory=list)
    """Per dimension: its title and the published mean overall score of each group."""


def _groups(rows: Sequence[Row], dimension: str, labels: Mapping[str, Text]) -> list[tuple[str, Text]]:
    present = {row.get(dimension) for row in rows}
    ordered = [key for key in labels if key in present]
    others = sorted(str(key) for key in present if key is not None and key not in labels)
    groups = [(key, labels[key]) for key in ordered] + [(key, {"fi": key, "en": key}) for key in others]
    if None in present:
        groups.append((UNKNOWN, _UNKNOWN))
    return groups


def _key(value: Any) -> str:
    return UNKNOWN if value is None else str(value)


def _level_columns(program: ScoringProgram) -> list[tuple[str, Text]]:
    return [(str(level.level),
             {lang: f"{level.level} {level.name.get(lang, '')}".strip() for lang in ("fi", "en")})
            for level in program.levels]


def _counts_table(table_id: str, title: Text, row_head: Text, *, groups: Sequence[tuple[str, Text]],
                  columns: Sequence[tuple[str, Text]], counts: list[list[int]], min_cell: int) -> Table:
    grid = extend(counts)
    lines, margins = count_lines(len(groups), len(columns))
    first, mask = suppress(grid, lines, min_cell, margins=margins)
    cells = [[Cell(None, None, True, first[r][c]) if mask[r][c] else Cell(value, value)
              for c, value in enumerate(row)] for r, row in enumerate(grid)]
    return Table(table_id, "counts", title, row_head, [*groups, ("total", _TOTAL)],
                 [*columns, ("total", _TOTAL)], cells)


def _row_counts_table(table_id: str, title: Text, row_head: Text, *, groups: Sequence[tuple[str, Text]],
                      columns: Sequence[tuple[str, Text]], counts: list[list[int]], min_cell: int) -> Table:
    """A count table whose rows only add up (each row a distribution of its own)."""
    grid = [[*row, sum(row)] for row in counts]
    lines = [[(r, c) for c in range(len(columns) + 1)] for r in range(len(groups))]
    margins = [(r, len(columns)) for r in range(len(groups))]
    first, mask = suppress(grid, lines, min_cell, margins=margins)
    cells = [[Cell(None, None, True, first[r][c]) if mask[r][c] else Cell(value, value)
              for c, value in enumerate(row)] for r, row in enumerate(grid)]
    return Table(table_id, "counts", title, row_head, groups, [*columns, ("total", _TOTAL)], cells)


def _means_table(table_id: str, title: Text, row_head: Text, *, groups: Sequence[tuple[str, Text]],
                 columns: Sequence[tuple[str, Text]], values: list[list[list[float]]], min_cell: int,
                 hidden_rows: Iterable[int] = ()) -> Table:
    """Means of ``values[group][column]`` with a row for all; hidden by n, each column a sum.
    ``hidden_rows`` are hidden whole: groups whose size the count table hides (their n
    would give it away)."""
    everyone = [[v for group in values for v in group[c]] for c in range(len(columns))]
    counts = [[len(cell) for cell in group] for group in values] + [[len(cell) for cell in everyone]]
    lines = [[(r, c) for r in range(len(groups) + 1)] for c in range(len(columns))]
    margins = [(len(groups), c) for c in range(len(columns))]
    first = primary(counts, min_cell)
    whole = set(hidden_rows)
    start = [[flag or r in whole for flag in row] for r, row in enumerate(first)]
    mask = protect(counts, start, lines, margins)
    cells: list[list[Cell]] = []
    for r, group in enumerate([*values, everyone]):
        line: list[Cell] = []
        for c, scores in enumerate(group):
            if mask[r][c]:
                line.append(Cell(None, None, True, first[r][c]))
            else:
                line.append(Cell(round(sum(scores) / len(scores), 1) if scores else None, len(scores)))
        cells.append(line)
    return Table(table_id, "means", title, row_head, [*groups, ("all", _ALL)], columns, cells)


def snapshot(program: ScoringProgram, rows: Sequence[Row], *, min_cell: int = DEFAULT_MIN_CELL) -> Snapshot:
    """The tables of the module docstring over rescored ``rows``
    (:func:`~asiakasarvo_engine.research.rescore.rescore`)."""
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    levels = _level_columns(program)
    level_keys = [key for key, _ in levels]
    has_unscored = any(row.get("overall_level") is None for row in rows)
    level_cols = [*levels, ("none", _NO_LEVEL)] if has_unscored else levels
    sections = [(section.id, {lang: section.title.get(lang, section.id) for lang in ("fi", "en")})
                for section in program.sections]
    score_cols = [*sections, ("overall", _OVERALL)]
    tables: list[Table] = []
    charts: list[tuple[str, Text, list[tuple[Text, float]]]] = []
    for dimension, head, labels in DIMENSIONS:
        groups = _groups(rows, dimension, labels)
        members = [[row for row in rows if _key(row.get(dimension)) == key] for key, _ in groups]
        counts = [[sum(_key(row.get("overall_level")) == key for row in group) for key in level_keys]
                  + ([sum(row.get("overall_level") is None for row in group)] if has_unscored else [])
                  for group in members]
        levels_table = _counts_table(
            f"levels_by_{dimension}",
            {"fi": f"Kokonaistaso – {head['fi']}", "en": f"Overall level – {head['en']}"},
            head, groups=groups, columns=level_cols, counts=counts, min_cell=min_cell)
        tables.append(levels_table)
        sizes_hidden = [r for r in range(len(groups)) if levels_table.cells[r][-1].suppressed]
        scores = [[[float(row[f"{sid}_score"]) for row in group if row.get(f"{sid}_score") is not None]
                   for sid in [*(s for s, _ in sections)]]
                  + [[float(row["overall_score"]) for row in group if row.get("overall_score") is not None]]
                  for group in members]
        means = _means_table(
            f"scores_by_{dimension}",
            {"fi": f"Keskimääräiset pisteet – {head['fi']}", "en": f"Mean scores – {head['en']}"},
            head, groups=groups, columns=score_cols, values=scores, min_cell=min_cell,
            hidden_rows=sizes_hidden)
        tables.append(means)
        published = [(label, float(value)) for r, (_, label) in enumerate(groups)
                     if (value := means.cells[r][-1].value) is not None]
        charts.append((dimension, {"fi": f"Kokonaisindeksi – {head['fi']}",
                                   "en": f"Overall index – {head['en']}"}, published))
    section_counts = [[sum(_key(row.get(f"{sid}_level")) == key for row in rows) for key in level_keys]
                      for sid, _ in sections]
    tables.append(_row_counts_table(
        "levels_by_section", {"fi": "Osioiden tasot", "en": "Levels of the sections"},
        {"fi": "Osio", "en": "Section"}, groups=sections, columns=levels, counts=section_counts,
        min_cell=min_cell))
    dates = sorted(str(row["date"]) for row in rows if row.get("date"))
    rules = next((str(row["rules"]) for row in rows if row.get("rules")), None)
    return Snapshot(len(rows), min_cell, rules, (dates[0] if dates else None, dates[-1] if dates else None),
                    tables, charts)


# --- rendering ----------------------------------------------------------------------------

_WORDS: Mapping[str, Mapping[str, str]] = {
    "fi": {"title": "Tilannekuva: asiakasarvon johtaminen", "analyses": "analyysia",
           "rules": "säännöt", "period": "ajalta",
           "rule": (f"Alle {{min_cell}} analyysin solut on piilotettu ({SUPPRESSED}), samoin niin monta "
                    "muuta solua, ettei piilotettua voi laskea summista."),
           "axis": "Keskimääräiset pisteet 0–100", "charts_left_out": "Kaaviot ovat HTML-muodossa."},
    "en": {"title": "Snapshot: leading customer value", "analyses": "analyses",
           "rules": "rules", "period": "from",
           "rule": (f"Cells of fewer than {{min_cell}} analyses are hidden ({SUPPRESSED}), and as many "
                    "others as it takes that no hidden cell can be computed from the totals."),
           "axis": "Mean score 0-100", "charts_left_out": "The charts are in the HTML."},
}


def _number(value: float | int | None, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "fi" else text
    return str(value)


def cell_text(cell: Cell, table: Table, lang: str) -> str:
    """What a cell shows: ``..`` when hidden, a count, or a mean with its n."""
    if cell.suppressed:
        return SUPPRESSED
    if table.kind == "means":
        return f"{_number(cell.value, lang)} (n={cell.n})" if cell.n else "–"
    return _number(cell.value, lang)


def _intro(found: Snapshot, lang: str) -> str:
    words = _WORDS[lang]
    first, last = found.dates
    period = f", {words['period']} {first}–{last}" if first else ""
    rules = f", {words['rules']} {found.rules}" if found.rules else ""
    rule = words["rule"].format(min_cell=found.min_cell)
    return f"{found.analyses} {words['analyses']}{period}{rules}. {rule}"


def render_markdown(found: Snapshot, lang: str = "fi", *,
                    chart_files: Mapping[str, str] | None = None) -> str:
    """The snapshot as Markdown; ``chart_files`` maps a dimension to its SVG file's name."""
    lines = [f"# {_WORDS[lang]['title']}", "", _intro(found, lang), ""]
    charts = {dimension: title for dimension, title, _ in found.charts}
    for table in found.tables:
        dimension = table.id.removeprefix("levels_by_")
        if chart_files and dimension in chart_files and dimension in charts:
            lines += [f"![{charts[dimension][lang]}]({chart_files[dimension]})", ""]
        lines += [f"## {table.title[lang]}", "",
                  "| " + " | ".join([table.row_head[lang], *(label[lang] for _, label in table.columns)])
                  + " |",
                  "|---|" + "---:|" * len(table.columns)]
        for (_, label), cells in zip(table.rows, table.cells, strict=True):
            shown = [label[lang], *(cell_text(cell, table, lang) for cell in cells)]
            lines.append("| " + " | ".join(shown) + " |")
        lines.append("")
    return "\n".join(lines)


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def chart_svgs(program: ScoringProgram, found: Snapshot, lang: str = "fi") -> dict[str, str]:
    """Per dimension, the bar chart of the published mean overall scores as SVG."""
    from asiakasarvo_engine.report.charts import chart_svg
    from asiakasarvo_engine.report.model import Chart, ChartPoint, LevelView

    levels = [LevelView(level.level, level.name.get(lang, ""), f"{level.min_score:g}")
              for level in program.levels]
    cutoffs = [float(level.min_score) for level in program.levels]
    drawn: dict[str, str] = {}
    for dimension, title, points in found.charts:
        if not points:
            continue
        chart = Chart("bars", title[lang],  # the id picks the report's bar chart
                      [ChartPoint(_short(label[lang]), label[lang], value, _number(value, lang), "", "")
                       for label, value in points], levels, cutoffs, _WORDS[lang]["axis"])
        drawn[dimension] = chart_svg(chart)
    return drawn


_CSS = """body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:2em auto;max-width:60em;color:#222}
div.t{overflow-x:auto;margin:0 0 1.5em}table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #bbb;padding:.2em .5em}td{text-align:right;white-space:nowrap}
th{background:#eef2f6;text-align:left}td.s{color:#888;text-align:center}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}"""


def render_html(found: Snapshot, lang: str = "fi", *, charts: Mapping[str, str] | None = None) -> str:
    """The snapshot as one standalone HTML file; ``charts`` are SVG documents by dimension."""
    esc = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">',
             f"<title>{esc(_WORDS[lang]['title'])}</title><style>{_CSS}</style></head><body>",
             f"<h1>{esc(_WORDS[lang]['title'])}</h1>", f"<p>{esc(_intro(found, lang))}</p>"]
    titles = {dimension: title for dimension, title, _ in found.charts}
    for table in found.tables:
        dimension = table.id.removeprefix("levels_by_")
        if charts and dimension in charts:
            svg = charts[dimension]
            svg = svg[svg.find("<svg"):]
            parts.append(f'<figure>{svg}<figcaption>{esc(titles[dimension][lang])}</figcaption></figure>')
        parts.append(f'<h2>{esc(table.title[lang])}</h2><div class="t"><table><thead><tr>'
                     f"<th>{esc(table.row_head[lang])}</th>"
                     + "".join(f"<th>{esc(label[lang])}</th>" for _, label in table.columns)
                     + "</tr></thead><tbody>")
        for (_, label), cells in zip(table.rows, table.cells, strict=True):
            parts.append(f"<tr><th>{esc(label[lang])}</th>" + "".join(
                f'<td class="s">{SUPPRESSED}</td>' if cell.suppressed
                else f"<td>{esc(cell_text(cell, table, lang))}</td>"
                for cell in cells) + "</tr>")
        parts.append("</tbody></table></div>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


CSV_COLUMNS = ["table", "kind", "row", "row_fi", "row_en", "column", "column_fi", "column_en", "value", "n"]


def snapshot_rows(found: Snapshot) -> list[Row]:
    """Every cell as a row (a hidden cell's value and n are ``..``)."""
    out: list[Row] = []
    for table in found.tables:
        for (row_key, row_label), cells in zip(table.rows, table.cells, strict=True):
            for (col_key, col_label), cell in zip(table.columns, cells, strict=True):
                out.append({"table": table.id, "kind": table.kind, "row": row_key,
                            "row_fi": row_label["fi"], "row_en": row_label["en"],
                            "column": col_key, "column_fi": col_label["fi"],
                            "column_en": col_label["en"],
                            "value": SUPPRESSED if cell.suppressed else cell.value,
                            "n": SUPPRESSED if cell.suppressed else cell.n})
    return out


def render_csv(found: Snapshot, *, excel: bool = False) -> bytes:
    """The cells as CSV with ``;`` (``excel``: byte-order mark and decimal commas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n" if excel else "\n")
    writer.writerow(CSV_COLUMNS)
    for row in snapshot_rows(found):
        values = []
        for name in CSV_COLUMNS:
            value = row[name]
            text = "" if value is None else str(value)
            values.append(text.replace(".", ",") if excel and isinstance(value, float) else text)
        writer.writerow(values)
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if excel else data


def render_json(found: Snapshot) -> bytes:
    """The snapshot as JSON: its tables with labels in both languages; a hidden cell is
    ``{"suppressed": true}`` and holds no value."""
    document = {
        "kind": "snapshot", "analyses": found.analyses, "min_cell": found.min_cell, "rules": found.rules,
        "dates": list(found.dates),
        "tables": [{"id": t.id, "kind": t.kind, "title": dict(t.title), "row_head": dict(t.row_head),
                    "rows": [{"key": key, "label": dict(label)} for key, label in t.rows],
                    "columns": [{"key": key, "label": dict(label)} for key, label in t.columns],
                    "cells": [[cell.as_dict() for cell in row] for row in t.cells]} for t in found.tables],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
