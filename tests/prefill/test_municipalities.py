"""The 44 municipalities of the area: codes, provinces and the bank's municipality choices."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from asiakasarvo_engine import load_bank
from asiakasarvo_engine.bank.expressions import to_json_logic
from asiakasarvo_engine.jsonlogic import apply
from asiakasarvo_engine.prefill.municipalities import (
    BY_CODE,
    BY_VALUE,
    MUNICIPALITIES,
    by_code,
    normalize_code,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = Path("/work/shared/domain/seed-valintaesitys-2024.txt")


@pytest.fixture(scope="module")
def basic_info():  # type: ignore[no-untyped-def]
    return next(s for s in load_bank().bank.bodies() if s.id == "basic_info")


def test_exactly_44_with_unique_codes_and_values() -> None:
    assert len(MUNICIPALITIES) == 44
    assert len(BY_CODE) == 44 and len(BY_VALUE) == 44
    assert all(re.fullmatch(r"\d{3}", m.code) for m in MUNICIPALITIES)


def test_province_counts_match_the_source() -> None:
    # The project area: 13 municipalities in Pohjois-Karjala, 19 in Pohjois-Savo and 12 in
    # Etelä-Savo (tests/data/municipalities.csv, checked against the seed's list of 44).
    counts = Counter(m.province for m in MUNICIPALITIES)
    assert counts == {"pohjois_karjala": 13, "pohjois_savo": 19, "etela_savo": 12}
    with (ROOT / "tests" / "data" / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = {row["municipality_value"]: row for row in csv.DictReader(handle)}
    assert {m.value: m.province for m in MUNICIPALITIES} == {v: r["province"] for v, r in rows.items()}
    assert {m.value: m.name for m in MUNICIPALITIES} == {v: r["name_fi"] for v, r in rows.items()}


@pytest.mark.skipif(not SEED.exists(), reason="the shared domain material is not mounted")
def test_the_names_are_the_seeds_44() -> None:
    text = SEED.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("Heinävesi, Ilomantsi"))
    assert sorted(name.strip() for name in line.split(",")) == sorted(m.name for m in MUNICIPALITIES)


def test_heinavesi_and_joroinen_are_in_their_provinces_since_2021() -> None:
    assert BY_VALUE["heinavesi"].province == "pohjois_karjala"
    assert BY_VALUE["joroinen"].province == "pohjois_savo"
    assert by_code("090") == BY_VALUE["heinavesi"] and by_code(171) == BY_VALUE["joroinen"]


def test_every_bank_choice_is_covered_and_agrees_with_the_province_expression(basic_info) -> None:  # type: ignore[no-untyped-def]
    item = next(i for i in basic_info.items if i.id == "municipality")
    assert sorted(c.value for c in item.choices or []) == sorted(BY_VALUE)
    rule = to_json_logic(next(c for c in basic_info.calculated if c.id == "province").expression)
    for municipality in MUNICIPALITIES:
        assert apply(rule, {"basic_info": {"municipality": municipality.value}}) == municipality.province


@pytest.mark.parametrize(("given", "expected"), [("90", "090"), (90, "090"), ("167", "167"), (" 46 ", "046"),
                                                  ("1670", None), ("abc", None), ("", None), ("٣", None)])
def test_codes_are_normalized_to_three_digits(given: str | int, expected: str | None) -> None:
    assert normalize_code(given) == expected
