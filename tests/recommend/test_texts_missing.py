"""A placeholder whose value is missing leaves a sentence that still reads right.

Rule texts mark a part that depends on a figure the trigger does not guarantee as optional:
``[Liikevoitto oli {result.ratios.operating_margin} %.|...]``; the part is shown only when
the figure is there, else the text after ``|`` (or nothing).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from asiakasarvo_engine.recommend.engine import compile_recommendations
from asiakasarvo_engine.recommend.texts import fill
from asiakasarvo_engine.rules.lint import PLACEHOLDER
from asiakasarvo_engine.scoring.program import ScoringProgram, load_program

# "Liikevoitto oli ei tiedossa %." : a unit after the missing word, or a verb before it.
_BROKEN = re.compile(r"(ei tiedossa|not known)\s*(%|/5|€|htv)|\b(oli|on|was|is) (ei tiedossa|not known)\b")


@pytest.fixture(scope="module")
def program() -> ScoringProgram:
    return load_program()


def _fill(program: ScoringProgram, text: str, lang: str, data: dict[str, Any]) -> str:
    items = {name: compiled.item for name, compiled in program.bank.items.items()}
    return fill(text, lang, data, items, program.bank.loaded.bank)


def test_an_optional_part_is_shown_only_with_its_figure(program: ScoringProgram) -> None:
    text = "Hinnat jäivät jälkeen. [Liikevoitto oli {result.ratios.operating_margin} %.] Toimikaa."
    assert _fill(program, text, "fi", {}) == "Hinnat jäivät jälkeen. Toimikaa."
    assert _fill(program, text, "fi", {"result": {"ratios": {"operating_margin": 4.5}}}) == \
        "Hinnat jäivät jälkeen. Liikevoitto oli 4,5 %. Toimikaa."
    other = "[The margin was {result.ratios.operating_margin} %.|The margin is not known.] Act."
    assert _fill(program, other, "en", {}) == "The margin is not known. Act."
    assert _fill(program, "[not a placeholder] {x.y}", "en", {"x": {"y": 2}}) == "[not a placeholder] 2"
    assert _fill(program, "[Known: {x.y}.|None yet.]", "en", {"x": {"y": []}}) == "None yet."


def _data_for(names: set[str]) -> dict[str, Any]:
    """Every name the trigger reads given a value (a band implies its ratio), nothing else."""
    data: dict[str, Any] = {}
    wanted = set(names) | {name.replace("result.bands.", "result.ratios.") for name in names
                           if name.startswith("result.bands.")}
    for name in wanted:
        node = data
        *parents, last = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = 1
    return data


def test_no_shipped_text_reads_a_missing_figure_as_a_value(program: ScoringProgram) -> None:
    rules = program.rules.rules.recommendations
    assert rules is not None
    checked = 0
    for rec, trigger in compile_recommendations(rules).triggers:
        data = _data_for(set(trigger.variables))
        for field in ("title", "text", "first_step"):
            for lang, text in getattr(rec, field).items():
                if not PLACEHOLDER.search(text):
                    continue
                filled = _fill(program, text, lang, data)
                checked += 1
                assert not _BROKEN.search(filled), (rec.id, field, lang, filled)
                assert "{" not in filled and "[" not in filled and "|" not in filled, (rec.id, lang, filled)
    assert checked > 40
