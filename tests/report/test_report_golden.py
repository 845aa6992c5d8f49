"""Golden Markdown of the three example companies in Finnish and English (issue 8 item 5).

The Markdown is what the templates write; HTML and DOCX are rendered from it. When a
change to the templates, the bank texts or the rules is intended, regenerate with::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/report/test_report_golden.py tests/report/test_report_edits.py -q
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from report_fixtures import COMPANIES, ROOT, example_report

from asiakasarvo_engine.report import render_markdown

GOLDEN = ROOT / "tests" / "data" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
REGENERATE = ("UPDATE_GOLDEN=1 .venv/bin/pytest tests/report/test_report_golden.py "
              "tests/report/test_report_edits.py -q")


def test_three_example_companies() -> None:
    assert len(COMPANIES) == 3, COMPANIES


def check_golden(text: str, path: Path) -> None:
    """Fail with a diff when ``text`` differs from the golden file ``path`` (or write it when updating)."""
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing; create it with: {REGENERATE}"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(keepends=True),
                                                 text.splitlines(keepends=True),
                                                 f"golden/{path.name}", "rendered"))[:60])
        pytest.fail(f"{path.name} differs from the rendered report.\n"
                    f"If the change is intended, regenerate the golden files with:\n    {REGENERATE}\n\n"
                    f"{diff}", pytrace=False)


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("company", COMPANIES)
def test_markdown_matches_golden_file(company: str, lang: str) -> None:
    check_golden(render_markdown(example_report(company, lang)), GOLDEN / f"{company}.{lang}.md")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_markdown_is_deterministic(lang: str) -> None:
    report = example_report(COMPANIES[0], lang)
    assert render_markdown(report) == render_markdown(report)
