"""Exports of a corpus for statistics tools (``research export``): three tables.

* ``items``: one row per analysis and item of the bank: the analysis (its number in the
  corpus and, with a key, its pseudonymous id), the item, its status (``answered``,
  ``dont_know``, ``not_applicable``, ``skipped``, ``missing``: shown but without an entry,
  ``hidden``: not shown by the bank's conditions), the value as text and, when it is a
  number, as a number, and the ``dont_know`` and ``missing`` flags.
* ``results``: the rescore rows (:mod:`.rescore`) with the analysis number in front.
* ``dictionary``: one row per item: section, type, the question in Finnish and English,
  the choices and the scale points with their labels, the weight in the rules, the unit,
  and whether its values are exported.

Identifying answers never leave: business ids and free texts are withheld (a repeat
group's rows lose their text fields), the municipality is withheld (the province is in
``results``) and the industry code is cut to its TOL section letter.

Formats: CSV files with ``;`` (``excel=True``: the byte-order mark and decimal commas of
Finnish Excel), Parquet files (pyarrow) or one DuckDB database with the three tables
(duckdb); both are in the ``research`` extra and asked for only when used (RES-020).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.answers import AnswerStatus
from asiakasarvo_engine.bank.models import Item, QuestionType
from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError, optional_module
from asiakasarvo_engine.research.progress import track
from asiakasarvo_engine.research.rescore import Row, columns, industry_section, rescore, rows_csv
from asiakasarvo_engine.scoring.program import ScoringProgram

FORMATS = ("csv", "parquet", "duckdb")
ITEM_COLUMNS = ("analysis", "id", "item", "section", "status", "value", "value_number", "dont_know",
                "missing")
DICTIONARY_COLUMNS = ("item", "section", "type", "text_fi", "text_en", "choices", "scale", "scale_points",
                      "weight", "unit_fi", "unit_en", "exported")
_CREATE = {"items": "CREATE TABLE items AS SELECT * FROM _incoming",
           "results": "CREATE TABLE results AS SELECT * FROM _incoming",
           "dictionary": "CREATE TABLE dictionary AS SELECT * FROM _incoming"}
"""The statements that make the DuckDB tables (fixed names, nothing from the input)."""
_TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT, QuestionType.BUSINESS_ID}
_WITHHELD_NAMES = {"basic_info.municipality": "withheld: identifying (the province is in results)",
                   "basic_info.website": "withheld: identifying"}
_REDUCED_NAMES = {"basic_info.industry_code": "reduced to the TOL 2008 section letter"}


def _exported(name: str, item: Item) -> str:
    if name in _WITHHELD_NAMES:
        return _WITHHELD_NAMES[name]
    if name in _REDUCED_NAMES:
        return _REDUCED_NAMES[name]
    if item.type in _TEXT_TYPES:
        return "withheld: free text or identifier"
    if item.type is QuestionType.REPEAT_GROUP and any(f.type in _TEXT_TYPES for f in item.items or []):
        return "yes, without its text fields"
    return "yes"


def _bank_items(program: ScoringProgram) -> list[tuple[str, str, Item]]:
    return [(f"{body.id}.{item.id}", body.id, item) for body in program.bank.loaded.bank.bodies()
            for item in body.items]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _value(name: str, item: Item, value: Any, answers: dict[str, Any]) -> Any:
    """The exportable form of an answered value (None: withheld)."""
    if name in _WITHHELD_NAMES or (item.type in _TEXT_TYPES and name not in _REDUCED_NAMES):
        return None
    if name in _REDUCED_NAMES:
        return industry_section(value, answers.get("basic_info.industry_code_version"))
    if item.type is QuestionType.REPEAT_GROUP and isinstance(value, list):
        dropped = {f.id for f in item.items or [] if f.type in _TEXT_TYPES}
        return [{k: v for k, v in row.items() if k not in dropped} if isinstance(row, dict) else row
                for row in value]
    return value


def item_rows(program: ScoringProgram, corpus: Sequence[Analysis], *, key: bytes | None = None,
              ids: Sequence[str | None] | None = None, progress: bool = False) -> list[Row]:
    """The ``items`` table (see the module docstring); ``ids`` the pseudonyms of the
    analyses when already known (else made with ``key``)."""
    from asiakasarvo_engine.research.corpus import pseudonym

    items = _bank_items(program)
    rows: list[Row] = []
    for number, analysis in enumerate(track(corpus, total=len(corpus), label="items", enabled=progress),
                                      start=1):
        if ids is not None:
            pid = ids[number - 1]
        else:
            pid = pseudonym(key, analysis.business_id) if key is not None and analysis.business_id else None
        values = {name: e.value for name, e in analysis.answers.items() if e.status is AnswerStatus.ANSWERED}
        hidden = program.bank.evaluate(values).hidden
        for name, section, item in items:
            entry = analysis.answers.get(name)
            value: Any = None
            if name in hidden:
                status = "hidden"
            elif entry is None:
                status = "missing"
            else:
                status = entry.status.value
                if entry.status is AnswerStatus.ANSWERED:
                    value = _value(name, item, entry.value, values)
            number_value = float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
                else None
            rows.append({"analysis": number, "id": pid, "item": name, "section": section, "status": status,
                         "value": _text(value), "value_number": number_value,
                         "dont_know": status == "dont_know", "missing": status in {"missing", "skipped"}})
    return rows


def _labels(points: Iterable[tuple[Any, dict[str, str]]]) -> str:
    return " | ".join(f"{value} = {label.get('fi', '')} / {label.get('en', '')}" for value, label in points)


def dictionary_rows(program: ScoringProgram) -> list[Row]:
    """The ``dictionary`` table: one row per item of the bank."""
    bank = program.bank.loaded.bank
    weights = {item.name: item.weight for item in program.items}
    rows: list[Row] = []
    for name, section, item in _bank_items(program):
        choices = choices_of(item, bank)
        scale = bank.scales.get(item.scale or "") if item.scale else None
        matrix = ""
        if item.type is QuestionType.MATRIX:
            rows_text = ", ".join(row.id for row in item.rows or [])
            matrix = f"rows: {rows_text}; columns: " + ", ".join(
                f"{column.id} ({column.scale})" for column in item.columns or [])
        fields = ", ".join(f"{field.id} ({field.type.value})" for field in item.items or [])
        rows.append({
            "item": name, "section": section, "type": item.type.value,
            "text_fi": item.text.get("fi"), "text_en": item.text.get("en"),
            "choices": _labels((c.value, c.label) for c in choices) or matrix or
            (f"fields: {fields}" if fields else None),
            "scale": item.scale,
            "scale_points": _labels((p.value, p.label) for p in scale.points) if scale is not None else None,
            "weight": weights.get(name),
            "unit_fi": item.unit.get("fi") if item.unit else None,
            "unit_en": item.unit.get("en") if item.unit else None,
            "exported": _exported(name, item)})
    return rows


def export_tables(program: ScoringProgram, corpus: Sequence[Analysis], *, key: bytes | None = None,
                  progress: bool = False) -> dict[str, list[Row]]:
    """The three tables as plain rows: ``items``, ``results`` and ``dictionary``."""
    if not corpus:
        raise CodedResearchError("RES-023", found="export")
    results = [{"analysis": number, **row} for number, row in
               enumerate(rescore(program, corpus, key=key, progress=progress), start=1)]
    items = item_rows(program, corpus, ids=[row["id"] for row in results], progress=progress)
    return {"items": items, "results": results, "dictionary": dictionary_rows(program)}


def table_columns(program: ScoringProgram) -> dict[str, list[str]]:
    """The columns of each table, in order."""
    return {"items": list(ITEM_COLUMNS), "results": ["analysis", *columns(program)],
            "dictionary": list(DICTIONARY_COLUMNS)}


def _arrow(tables: dict[str, list[Row]], header: dict[str, list[str]]) -> dict[str, Any]:
    pa = optional_module("pyarrow")
    built: dict[str, Any] = {}
    for name, rows in tables.items():
        names = header[name]
        data = {column: [row.get(column) for row in rows] for column in names}
        built[name] = pa.table({column: pa.array(values, type=_arrow_type(pa, values))
                                for column, values in data.items()})
    return built


def _arrow_type(pa: Any, values: list[Any]) -> Any:
    """A column's type from its values (None: every value is missing, kept as text)."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return pa.string()
    if kinds == {bool}:
        return pa.bool_()
    if kinds <= {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    if kinds == {list}:
        return pa.list_(pa.string())
    return pa.string()


def write_export(tables: dict[str, list[Row]], header: dict[str, list[str]], out: str | Path, fmt: str, *,
                 excel: bool = False) -> list[Path]:
    """Write the tables into the folder ``out`` (made when missing) as ``fmt``; the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        written = []
        for name, rows in tables.items():
            path = folder / f"{name}.csv"
            path.write_bytes(rows_csv(rows, header[name], excel=excel))
            written.append(path)
        return written
    arrow = _arrow(tables, header)
    if fmt == "parquet":
        parquet = optional_module("pyarrow.parquet")
        written = []
        for name, table in arrow.items():
            path = folder / f"{name}.parquet"
            parquet.write_table(table, path, compression="zstd")
            written.append(path)
        return written
    duckdb = optional_module("duckdb")
    path = folder / "research.duckdb"
    for stale in (path, folder / "research.duckdb.wal"):
        stale.unlink(missing_ok=True)
    connection = duckdb.connect(str(path))
    try:
        for name, table in arrow.items():
            connection.register("_incoming", table)
            connection.execute(_CREATE[name])
            connection.unregister("_incoming")
    finally:
        connection.close()
    return [path]
