"""One bad-input fixture per diagnostic code: the code and its line:column (DESIGN Formats).

Each file in tests/data/bad_banks/ starts with ``# expect: CODE line:column``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asiakasarvo_engine import check_bank

BAD = Path(__file__).resolve().parents[1] / "data" / "bad_banks"
CASES = sorted(p for p in BAD.glob("*.yaml") if not p.name.startswith("_"))


def _expectation(path: Path) -> tuple[str, int, int]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    code, position = first.removeprefix("# expect:").split()
    line, column = position.split(":")
    return code, int(line), int(column)


def test_the_valid_base_bank_is_clean() -> None:
    loaded, diagnostics = check_bank(BAD / "_valid.yaml")
    assert loaded is not None, [str(d) for d in diagnostics]
    assert diagnostics == ()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_bank_reports_code_at_position(path: Path) -> None:
    code, line, column = _expectation(path)
    loaded, diagnostics = check_bank(path)
    assert loaded is None
    found = [(d.code, d.span.line if d.span else None, d.span.column if d.span else None)
             for d in diagnostics]
    assert (code, line, column) in found, [str(d) for d in diagnostics]


def test_every_file_code_has_a_fixture() -> None:
    covered = {p.name.split("_")[0] for p in CASES}
    wanted = {"SRC-002", "SRC-004", "SRC-005", "SRC-006", "SRC-011", "FMT-001", "SCH-002",
              "SCH-003", "SCH-004", "SCH-005", "SCH-006", "BANK-002", "BANK-003", "BANK-004",
              "BANK-005", "BANK-006", "BANK-007", "BANK-008", "BANK-009", "BANK-010",
              "BANK-015", "BANK-016"}
    assert wanted <= covered


def test_an_invalid_expression_reads_in_finnish_and_in_english() -> None:
    _, diagnostics = check_bank(BAD / "BANK-016_bad_expression.yaml")
    [bad] = [d for d in diagnostics if d.code == "BANK-016"]
    assert bad.message("fi").startswith("virheellinen lauseke: EXPR-001: lausekkeen syntaksivirhe: ")
    assert "(sarake 21)" in bad.message("fi")
    assert bad.message("en").startswith("invalid expression: EXPR-001: expression syntax error: ")
    assert "(column 21)" in bad.message("en")
