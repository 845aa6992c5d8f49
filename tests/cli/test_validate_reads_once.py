"""`asiakasarvo validate` reads and parses each file once (issue 20): the kind is taken
from the same reading the file's checker uses."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from asiakasarvo_engine import sources
from asiakasarvo_engine._resources import default_bank_path, default_rules_path
from asiakasarvo_engine.cli.validate import check_paths


def test_each_file_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    real = sources.parse_yaml

    def counting(text: str, name: str) -> Any:
        parsed[Path(name).name] += 1
        return real(text, name)

    monkeypatch.setattr(sources, "parse_yaml", counting)
    reports = check_paths([default_bank_path(), default_rules_path()])
    assert [(r.kind, r.diagnostics) for r in reports] == [
        ("question_bank", ()), ("scoring_rules", ())]
    sections = sorted(p.name for p in default_bank_path().parent.glob("sections/*.yaml"))
    assert parsed[default_bank_path().name] == 1
    assert parsed[default_rules_path().name] == 1
    assert all(parsed[name] == 1 for name in sections) and sections


def test_a_file_s_diagnostics_are_those_of_its_one_reading(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    text = default_rules_path().read_text(encoding="utf-8")
    rules.write_text(text.replace("kind: scoring_rules", "kind: scoring_rules\nkind: x", 1),
                     encoding="utf-8")
    [report] = check_paths([rules])
    found = [(d.code, d.span.line if d.span else None) for d in report.diagnostics]
    line = text.splitlines().index("kind: scoring_rules") + 2
    assert ("SRC-005", line) in found
