"""``asiakasarvo report`` end to end with click's CliRunner (issue 8 item 6, answers files for now)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from html_outline import outline
from report_fixtures import EXAMPLES, chapters, example_report

from asiakasarvo_engine.cli.app import cli

ANSWERS = str(EXAMPLES / "micro_family_firm.answers.yaml")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_html_report(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "out" / "report.html"
    args = ["report", ANSWERS, "--format", "html", "--lang", lang, "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    headings = outline(target.read_text(encoding="utf-8")).texts("h2")
    assert headings == chapters(example_report("micro_family_firm", lang))


def test_markdown_report_writes_its_charts_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "raportti.md"
    result = CliRunner().invoke(cli, ["report", ANSWERS, "--format", "md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    radar, bars = tmp_path / "raportti-radar.svg", tmp_path / "raportti-bars.svg"
    assert result.output.split() == [str(target), str(radar), str(bars)]
    text = target.read_text(encoding="utf-8")
    assert "![Osioiden pisteet](raportti-radar.svg)" in text
    assert radar.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_docx_report_in_the_root_language(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    args = ["--lang", "en", "report", ANSWERS, "--format", "docx", "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    document = docx.Document(io.BytesIO(target.read_bytes()))
    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"] \
        == chapters(example_report("micro_family_firm", "en"))


def test_default_output_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report", ANSWERS, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "micro_family_firm.en.html").is_file()


def test_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", ANSWERS, "--format", "md", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Asiakasarvoanalyysi: ")
    assert "(chart:radar)" in result.output
    refused = CliRunner().invoke(cli, ["report", ANSWERS, "--format", "docx", "-o", "-"])
    assert refused.exit_code == 2
    assert "DOCX cannot go to stdout" in refused.output


def test_missing_source_names_the_session_plan(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "nope.answers.yaml")])
    assert result.exit_code == 2
    assert "no such answers file" in result.output
    help_text = CliRunner().invoke(cli, ["report", "--help"]).output
    assert "SESSION_ID" in help_text
    assert "ANSWERS_FILE" in help_text


def test_bad_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["report", ANSWERS, "--format", "odt"])
    assert result.exit_code == 2
