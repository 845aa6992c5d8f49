"""The core set of the shipped bank: it fits the agenda variants and keeps every level meaningful.

How core-only scores stay meaningful (docs/question-bank.*.md, "Ydinkysymykset"):

* every section's core items hold at least the section's minimum answered share of its
  scored items, so a core-only analysis is scored, never "insufficient data";
* every gate reads only core items (directly or through calculated values), so a gate never
  holds or fails just because an extended item was not asked;
* for every scored section, answers to the core items alone reach each level 1..5
  (checked below by scoring real answers, not by arithmetic on weights).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine import check_bank
from asiakasarvo_engine.bank.answer_check import choices_of
from asiakasarvo_engine.bank.answers import AnswerEntry
from asiakasarvo_engine.bank.models import QuestionType, Tier
from asiakasarvo_engine.scoring.engine import evaluate
from asiakasarvo_engine.scoring.program import ItemProgram, ScoringProgram, load_program
from asiakasarvo_engine.session.agenda import build_agenda, outside_variant, planned_minutes

PROGRAM: ScoringProgram = load_program()
BANK = PROGRAM.bank.loaded.bank
TIER = {f"{s.id}.{i.id}": i.tier for s in BANK.bodies() for i in s.items}
CLOSING = "next_steps"
BAD_BANKS = Path(__file__).resolve().parents[1] / "data" / "bad_banks"

BASICS: dict[str, Any] = {
    "basic_info.company_form": "oy",
    "basic_info.staff_headcount": 12,
    "basic_info.turnover": 1_500_000,
    "basic_info.board_members": 3,
    "basic_info.has_ceo": True,
    "basic_info.owners": [{"name": "A", "share": 60}, {"name": "B", "share": 40}],
}
"""A small Oy with a board, a CEO and two owners: every board and owner item is shown."""


def test_the_bank_declares_full_core_and_3h_variants() -> None:
    assert [v.id for v in BANK.agenda.variants] == ["full", "core", "core_3h"]  # type: ignore[union-attr]
    assert BANK.variant("core").tiers == [Tier.CORE]  # type: ignore[union-attr]
    assert BANK.variant("full").asks(Tier.EXTENDED)  # type: ignore[union-attr]


@pytest.mark.parametrize(("variant", "limit"), [("core", 200), ("core_3h", 180)])
def test_the_core_agenda_fits_its_limit_with_the_closing_block(variant: str, limit: int) -> None:
    agenda = build_agenda(BANK, {}, current=None, entered_at=None, now="2026-01-01T10:00:00Z",
                          lang="fi", variant=variant)
    minutes = {line.section: line.planned_minutes for line in agenda.lines}
    assert CLOSING in minutes and 20 <= minutes[CLOSING] <= 30
    assert agenda.planned_minutes == planned_minutes(BANK, variant) <= limit
    assert all(minutes[s.id] > 0 for s in BANK.bodies() if s.id != "basic_info")


def test_the_full_agenda_is_longer_than_the_core_one() -> None:
    assert planned_minutes(BANK, "full") > planned_minutes(BANK, "core") > planned_minutes(BANK, "core_3h")


def test_a_core_meeting_leaves_out_exactly_the_extended_items() -> None:
    extended = {name for name, tier in TIER.items() if tier is Tier.EXTENDED}
    assert outside_variant(BANK, "core") == extended
    assert outside_variant(BANK, "full") == frozenset()
    assert outside_variant(BANK, None) == frozenset()
    # the examples of extended content: the rest of the canvas blocks, the CLV inputs
    assert {"business_model.bmc_key_partnerships", "customer_value_competence.clv_inputs_known"} <= extended
    assert len(extended) >= 30


def test_every_required_item_is_core() -> None:
    required = {item.name for item in PROGRAM.bank.items.values() if item.item.required}
    assert all(TIER[name] is Tier.CORE for name in required)


def test_the_shipped_bank_is_clean_of_variant_diagnostics() -> None:
    _, diagnostics = check_bank()
    assert not [d for d in diagnostics if d.code in {"BANK-021", "BANK-022", "BANK-023"}]


@pytest.mark.parametrize("section", PROGRAM.sections, ids=lambda s: s.id)
def test_core_items_hold_the_minimum_answered_share(section: Any) -> None:
    core = [item for item in section.items if TIER[item.name] is Tier.CORE]
    assert len(core) / len(section.items) >= section.min_share


def _reads(variables: frozenset[str]) -> Iterator[str]:
    """The items a rule reads, through calculated values."""
    calculated = dict(PROGRAM.bank.calculated)
    seen: set[str] = set()
    todo = list(variables)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in calculated:
            todo.extend(calculated[name].variables)
        elif name in TIER:
            yield name


@pytest.mark.parametrize("section", [s for s in PROGRAM.sections if s.gates], ids=lambda s: s.id)
def test_every_gate_reads_only_core_items(section: Any) -> None:
    for gate, rule in section.gates:
        extended = [name for name in _reads(rule.variables) if TIER[name] is not Tier.CORE]
        assert not extended, f"gate {gate.id} reads extended items {extended}"


def _values(item: ItemProgram) -> list[Any]:
    """Answers worth trying for an item, from its question type (and its choice scores)."""
    compiled = PROGRAM.bank.items[item.name].item
    kind = compiled.type
    if item.scale is not None:
        return list(item.scale.scores)
    if kind is QuestionType.BOOLEAN:
        return [False, True]
    if kind in {QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE}:
        keys = [choice.value for choice in choices_of(compiled, BANK)]
        if kind is QuestionType.SINGLE_CHOICE:
            return keys
        table = item.table or {}
        ranked = sorted((key for key in keys if table.get(key, 0) > 0), key=lambda key: table[key])
        return [[key] for key in keys] + [ranked[-n:] for n in range(2, len(ranked) + 1)]
    if kind is QuestionType.MATRIX:  # every row alike, every combination of column points
        columns = compiled.columns or []
        grids = itertools.product(*([point.value for point in BANK.scales[column.scale].points]
                                    for column in columns))
        return [{row.id: dict(zip((column.id for column in columns), grid, strict=True))
                 for row in compiled.rows or []} for grid in grids]
    if kind is QuestionType.REPEAT_GROUP:
        return [[{} for _ in range(count)] for count in range(6)]
    validation = compiled.validation
    low = validation.min if validation and validation.min is not None else 0
    high = validation.max if validation and validation.max is not None else 100
    values = [low + (high - low) * step / 40 for step in range(41)]
    whole = kind in {QuestionType.INTEGER, QuestionType.PERCENT}
    return sorted({int(v) for v in values}) if whole else values


def _candidates(item: ItemProgram) -> list[tuple[Any, float]]:
    """Answers an item can take, each with its score under the shipped rules."""
    found = []
    for value in _values(item):
        score = item.score(value, PROGRAM.bank.evaluate({**BASICS, item.name: value}).data)
        if score is not None:
            found.append((value, score))
    assert found, f"no scored answer found for {item.name}"
    return found


def _levels_reached(section: Any) -> set[int]:
    core = [item for item in section.items if TIER[item.name] is Tier.CORE]
    options = {item.name: _candidates(item) for item in core}
    reached: set[int] = set()
    for target in range(0, 101, 2):
        answers = {name: AnswerEntry(value=value) for name, value in BASICS.items()}
        for name, pairs in options.items():
            value, _ = min(pairs, key=lambda pair: (abs(pair[1] - target), pair[1]))
            answers[name] = AnswerEntry(value=value)
        scores = evaluate(PROGRAM, answers).sections[section.id]
        assert scores.status.value == "scored", (section.id, target, scores.completeness)
        assert scores.level is not None
        reached.add(scores.level)
    return reached


@pytest.mark.parametrize("section", PROGRAM.sections, ids=lambda s: s.id)
def test_core_answers_alone_reach_every_level(section: Any) -> None:
    assert _levels_reached(section) == {1, 2, 3, 4, 5}


def test_a_required_extended_item_is_warned_about(tmp_path: Any) -> None:
    source = (BAD_BANKS / "BANK-021_variant_over.yaml").read_text(encoding="utf-8")
    source = source.replace("max_minutes: 15", "max_minutes: 20").replace(
        "        tier: extended\n", "        tier: extended\n        required: true\n")
    path = tmp_path / "bank.yaml"
    path.write_text(source, encoding="utf-8")
    loaded, diagnostics = check_bank(path)
    assert loaded is not None
    [warning] = [d for d in diagnostics if d.code == "BANK-023"]
    assert (warning.pointer, warning.span.line if warning.span else None) == ("/sections/0/items/1/tier", 32)
    assert "owners.details" in warning.message("en") and "'core'" in warning.message("fi")
