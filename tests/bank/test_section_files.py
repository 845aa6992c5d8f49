"""``asiakasarvo validate SECTION_FILE`` checks the section against its bank (issue 13, item 8).

A section file names no bank: it is checked as part of the bank manifest beside or above
it that includes it, else of the shipped bank (in place of the section with its id, or
added). So its scales, choices and the names its expressions read are checked, not only
its schema. Each file in tests/data/bad_sections/ starts with ``# expect: CODE line:column``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asiakasarvo_engine._resources import default_bank_path
from asiakasarvo_engine.bank.load import check_bank
from asiakasarvo_engine.cli.validate import check_paths, including_bank

DATA = Path(__file__).resolve().parents[1] / "data"
BAD = DATA / "bad_sections"
CASES = sorted(p for p in BAD.glob("*.yaml") if not p.name.startswith("_"))
SHIPPED_SECTIONS = sorted((default_bank_path().parent / "sections").glob("*.yaml"))


def _expectation(path: Path) -> tuple[str, int, int]:
    code, position = path.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("# expect:").split()
    line, column = position.split(":")
    return code, int(line), int(column)


def test_the_valid_section_is_clean_against_the_shipped_bank() -> None:
    [report] = check_paths([BAD / "_valid.yaml"])
    assert report.kind == "question_bank_section"
    assert report.diagnostics == ()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_a_bad_section_file_reports_code_at_position(path: Path) -> None:
    code, line, column = _expectation(path)
    [report] = check_paths([path])
    found = [(d.code, d.span.file, d.span.line, d.span.column) for d in report.diagnostics if d.span]
    assert [f for f in found if f[0] == code and f[2:] == (line, column)], found
    assert all(f[1].endswith(path.name) for f in found), found


def test_an_unknown_scale_gets_a_did_you_mean() -> None:
    [report] = check_paths([BAD / "BANK-004_unknown_scale.yaml"])
    [problem] = report.diagnostics
    assert problem.hint == "did you mean 'agree5'?"


@pytest.mark.parametrize("path", SHIPPED_SECTIONS, ids=[p.stem for p in SHIPPED_SECTIONS])
def test_every_shipped_section_is_found_in_its_bank_and_clean(path: Path) -> None:
    assert including_bank(path) == default_bank_path()
    [report] = check_paths([path])
    assert report.diagnostics == ()


def test_a_section_is_checked_against_the_bank_that_includes_it(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(default_bank_path().parent, bank)
    section = bank / "sections" / "02_owner_strategy.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("scale: agree5", "scale: agre5", 1), encoding="utf-8")
    assert including_bank(section) == bank / "bank.yaml"
    [report] = check_paths([section])
    assert [(d.code, d.found) for d in report.diagnostics] == [("BANK-004", "agre5")]
    assert report.diagnostics[0].span is not None
    assert report.diagnostics[0].span.file.endswith("02_owner_strategy.yaml")
    # checked with its bank in one call: the bank's report carries the finding, once
    reports = check_paths([bank / "bank.yaml", section])
    assert [len(r.diagnostics) for r in reports] == [1, 0]


def test_check_bank_puts_the_given_section_in_place_of_the_one_with_its_id(tmp_path: Path) -> None:
    shipped = default_bank_path().parent / "sections" / "02_owner_strategy.yaml"
    section = tmp_path / "owner.yaml"
    section.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    loaded, diagnostics = check_bank(None, section=section)
    assert loaded is not None, [str(d) for d in diagnostics]
    assert any(name.endswith("owner.yaml") for name in loaded.files)
    assert not any(name.endswith("02_owner_strategy.yaml") for name in loaded.files)
    assert [s.id for s in loaded.bank.bodies()].count("owner_strategy") == 1
