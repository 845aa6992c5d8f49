"""End-to-end runs of the ``asiakasarvo`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "data" / "bad_banks" / "_valid.yaml"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "asiakasarvo_engine", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("asiakasarvo, version ")


def test_validate_shipped_bank_and_rules_is_clean() -> None:
    result = run("--lang", "en", "validate")
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout


def test_validate_reports_all_five_mistakes_with_positions(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("type: single_choice", "type: single_choise")          # SCH-005
    text = text.replace("title: {fi: Pieni, en: Tiny}", "title: {fi: Pieni}")  # BANK-005
    text = text.replace("scale: agree5", "scale: agre5")                        # BANK-004
    text = text.replace("- id: review", "- id: documented")                     # BANK-002
    text = text.replace("visible_if: \"owners.documented", "visible_if: \"owners.documnted")
    bank = tmp_path / "bank.yaml"
    bank.write_text(text, encoding="utf-8")
    result = run("--lang", "en", "validate", str(bank))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if " error " in line]
    # The schema error stops the later stages for that item, so the five mistakes are
    # reported in two rounds: first the schema error, then, once fixed, the rest.
    assert any("SCH-005" in line and "bank.yaml:19:15" in line for line in lines), lines
    bank.write_text(text.replace("single_choise", "single_choice"), encoding="utf-8")
    result = run("--lang", "en", "validate", str(bank))
    assert result.returncode == 1
    found = {line.split(" error ")[1].split(":")[0]: line.split(" ")[0] for line in
             result.stderr.splitlines() if " error " in line}
    assert set(found) == {"BANK-002", "BANK-004", "BANK-005", "BANK-007"}, result.stderr
    assert all(re.fullmatch(r".+:\d+:\d+", loc) for loc in found.values()), found


def test_validate_json_output(tmp_path: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(VALID.read_text(encoding="utf-8").replace("agree5\n", "agre5\n", 1) , encoding="utf-8")
    result = run("validate", "--format", "json", str(bank))
    payload = json.loads(result.stdout)
    assert result.returncode == 1
    assert payload["ok"] is False
    codes = [d["code"] for f in payload["files"] for d in f["diagnostics"]]
    assert "BANK-004" in codes
    first = payload["files"][0]["diagnostics"][0]
    assert {"file", "line", "column", "pointer", "expected", "found", "message"} <= set(first)
    assert set(first["message"]) == {"fi", "en"}


def test_validate_usage_error_exits_2() -> None:
    assert run("validate", "--format", "xml").returncode == 2


def test_no_traceback_on_garbage(tmp_path: Path) -> None:
    garbage = tmp_path / "x.yaml"
    garbage.write_bytes(b"\x00\xff\xfe not yaml at all: [")
    result = run("validate", str(garbage))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SRC-" in result.stderr


@pytest.mark.parametrize("name", ["question-bank", "scoring-rules", "answers", "result"])
def test_schema_command_prints_the_schema(name: str) -> None:
    result = run("schema", name)
    assert result.returncode == 0
    assert json.loads(result.stdout)["$id"].endswith(f"{name}.schema.json")


def test_demo_interviews_scores_and_writes_six_reports(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run("--lang", "en", "demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Konepaja Lehtoranta Oy" in result.stdout
    assert "Key recommendations:" in result.stdout
    written = sorted(p.name for p in out.iterdir() if p.suffix in {".html", ".md", ".docx"})
    assert written == [f"analyysi-{lang}.{fmt}" for lang in ("en", "fi") for fmt in ("docx", "html", "md")]
    for path in written:
        assert str(out / path) in result.stdout
    english = (out / "analyysi-en.md").read_text(encoding="utf-8")
    assert "Konepaja Lehtoranta Oy" in english
    assert "level 2 describes management better" in english
    assert "Strategiaa ei ole kirjattu" in (out / "analyysi-fi.md").read_text(encoding="utf-8")
    assert (out / "analyysi-fi.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "analyysi-fi.docx").read_bytes()[:2] == b"PK"


def test_a_wrong_type_is_named_in_the_messages_language(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text('schema_version: "1.0"\nkind: scoring_rules\nid: x\nversion: 1.0.0\n'
                     "bank: {id: asiakasarvo, version: 1.0.0}\nsections: 5\n", encoding="utf-8")
    finnish = [line for line in run("--lang", "fi", "validate", str(rules)).stderr.splitlines()
               if "SCH-004" in line]
    assert finnish == [f"{rules}:6:11 [/sections]: error SCH-004: väärä tyyppi: löytyi kokonaisluku, "
                       "odotettiin avain–arvo-rakenne"]
    english = [line for line in run("--lang", "en", "validate", str(rules)).stderr.splitlines()
               if "SCH-004" in line]
    assert english == [f"{rules}:6:11 [/sections]: error SCH-004: wrong type: found an integer, "
                       "expected a mapping"]
    unknown = tmp_path / "list.yaml"
    unknown.write_text("- 1\n", encoding="utf-8")
    assert "odotettiin 'question_bank' tai 'question_bank_section' tai" in run(
        "--lang", "fi", "validate", str(unknown)).stderr
